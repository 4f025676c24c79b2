// The share dialog: join code, QR code, join link, screen link.
import { h, clear } from '../dom.js';
import { t } from '../i18n.js';
import { qrURL } from '../api.js';
import { copyButton, absolute } from '../links.js';

export function shareDialog(conn) {
  const body = h('div', { class: 'share-body' });
  const closeBtn = h('button', { type: 'button', class: 'btn', text: t('common.close') });
  const el = h('dialog', { class: 'dialog', 'aria-labelledby': 'share-h' },
    h('h2', { id: 'share-h', text: t('fac.shareHeading') }), body, h('div', { class: 'btn-row' }, closeBtn));
  closeBtn.addEventListener('click', () => el.close());
  let code = '';
  const row = (label, url, id) => {
    const input = h('input', { type: 'text', readonly: true, value: url, id, class: 'link-input' });
    return h('div', { class: 'link-row' }, h('label', { for: id, text: label }), h('div', { class: 'link-line' }, input, copyButton(() => url, t('copy.button'))));
  };
  const render = (s) => {
    if (s.table.code === code && body.childElementCount) return;
    code = s.table.code;
    const links = [row(t('created.joinLink'), absolute('/j/' + code), 'sh-join')];
    if (s.screenToken) links.push(row(t('created.screenLink'), absolute(`/s/${s.table.id}#${s.screenToken}`), 'sh-screen'));
    clear(body, h('div', { class: 'share-grid' },
      h('div', {}, h('p', { class: 'code-label', text: t('created.code') }), h('p', { class: 'code-big', text: code }), links),
      h('img', { class: 'qr', src: qrURL(code), alt: t('created.qrAlt', { code }), width: '180', height: '180' })));
  };
  return { el, render, open: () => el.showModal() };
}
