// The share dialog: join code, QR code, join link, screen link, the
// interpreter's link, and the printed material for people without a
// device (the poster, the paper idea forms).
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
  let shown = '';
  const row = (label, url, id, hint) => {
    const input = h('input', { type: 'text', readonly: true, value: url, id, class: 'link-input' });
    const hid = hint ? `${id}-hint` : null;
    if (hid) input.setAttribute('aria-describedby', hid);
    return h('div', { class: 'link-row' }, h('label', { for: id, text: label }),
      hint ? h('p', { class: 'hint', id: hid, text: hint }) : null,
      h('div', { class: 'link-line' }, input, copyButton(() => url, t('copy.button'))));
  };
  // A printout opens in a tab of its own, to print from there.
  const print = (label, path) => h('a', { class: 'btn btn-small', href: path, target: '_blank', rel: 'noopener' },
    label, h('span', { class: 'sr-only', text: ' ' + t('share.newTab') }));
  const render = (s) => {
    const key = `${s.table.code}|${s.screenToken || ''}|${s.interpreterToken || ''}`;
    if (key === shown && body.childElementCount) return;
    shown = key;
    const code = s.table.code;
    const links = [row(t('created.joinLink'), absolute('/j/' + code), 'sh-join')];
    if (s.screenToken) links.push(row(t('created.screenLink'), absolute(`/s/${s.table.id}#${s.screenToken}`), 'sh-screen'));
    if (s.interpreterToken) links.push(row(t('share.interpreterLink'), absolute(`/i/${s.table.id}#${s.interpreterToken}`), 'sh-interp', t('share.interpreterHint')));
    const join = `/api/join/${encodeURIComponent(code)}`;
    clear(body, h('div', { class: 'share-grid' },
      h('div', {}, h('p', { class: 'code-label', text: t('created.code') }), h('p', { class: 'code-big', text: code }), links),
      h('img', { class: 'qr', src: qrURL(code), alt: t('created.qrAlt', { code }), width: '180', height: '180' })),
    h('section', { class: 'share-print', 'aria-labelledby': 'sh-print-h' },
      h('h3', { id: 'sh-print-h', class: 'panel-h', text: t('share.printHeading') }),
      h('p', { class: 'hint', text: t('share.printHint') }),
      h('div', { class: 'btn-row' }, print(t('share.poster'), `${join}/poster`), print(t('share.forms'), `${join}/forms`))));
  };
  return { el, render, open: () => el.showModal() };
}
