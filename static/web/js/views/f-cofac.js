// Co-facilitators: a second facilitator gets a link and a name of their
// own, so that what they do is theirs, and the link can be taken back
// without changing the table's secret.
import { h, setText, syncList } from '../dom.js';
import { t, tn } from '../i18n.js';
import { copyButton, absolute } from '../links.js';
import { menuButton } from '../menu.js';

export function coFacilitatorsPanel(conn) {
  const el = h('details', { class: 'panel side-panel cofac' });
  const summary = h('summary');
  const list = h('ul', { class: 'cofac-list' });
  const name = h('input', { type: 'text', maxlength: '80', id: 'cofac-name', required: true, autocomplete: 'off' });
  const form = h('form', { class: 'inline-form cofac-form' },
    h('label', { for: 'cofac-name', text: t('cofac.name') }), name,
    h('button', { type: 'submit', class: 'btn btn-small', text: t('cofac.add') }));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const v = name.value.trim();
    if (v) { conn.send('facilitator.add', { name: v }); name.value = ''; }
  });
  el.append(summary, h('p', { class: 'hint', text: t('cofac.hint') }), list, form);

  const render = (s) => {
    const live = (s.coFacilitators || []).filter((c) => !c.removed);
    setText(summary, live.length ? tn('cofac.headingN', live.length) : t('cofac.heading'));
    syncList(list, live, (c) => c.id, () => {
      const li = h('li', { class: 'cofac-item' });
      const cname = h('span', { class: 'g-name' });
      const link = () => li.dataset.link;
      const copy = copyButton(() => link(), t('cofac.copyLink'));
      const menu = menuButton({ label: '⋯', cls: 'btn btn-small btn-menu btn-dots', items: () => [
        { label: t('cofac.remove'), danger: true, run: () => {
          const c = (conn.state.coFacilitators || []).find((x) => x.id === li.dataset.key);
          if (c && confirm(t('cofac.removeConfirm', { name: c.name }))) conn.send('facilitator.remove', { facilitator: c.id });
        } },
      ] });
      li.parts = { name: cname, copy, menu };
      li.append(h('div', { class: 'group-line' }, cname, h('span', { class: 'btn-row' }, copy, menu.el)));
      return li;
    }, (li, c) => {
      setText(li.parts.name, c.name);
      li.dataset.link = c.token ? absolute(`/f/${s.table.id}#${c.token}`) : '';
      li.parts.copy.hidden = !li.dataset.link;
      li.parts.copy.setAttribute('aria-label', t('cofac.copyLinkFor', { name: c.name }));
      li.parts.menu.button.setAttribute('aria-label', t('cofac.menu', { name: c.name }));
      li.parts.menu.el.hidden = s.table.closed;
    });
    form.hidden = s.table.closed;
  };
  return { el, render };
}
