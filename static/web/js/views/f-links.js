// Update links: between the tables an action's owner reports how it
// stands through a private link, without an account. From an action's
// menu the facilitator makes a link (named for whom it is), copies it to
// send on, and revokes it; each action on the board shows its latest
// report as it arrives.
import { h, setText, clear, syncList, field, nextId } from '../dom.js';
import { t } from '../i18n.js';
import { byId } from '../model.js';
import { copyButton, absolute } from '../links.js';
import { ownerLabel, fmtAt, statusText } from './actions-common.js';

const MAX_LABEL = 120; // session.MaxLabel

/** defaultLabel names the action's owners, as the link's label. */
function defaultLabel(s, a) {
  const s2 = a.owners.map((o) => ownerLabel(s, o)).filter(Boolean).join(', ');
  return [...s2].length > MAX_LABEL ? [...s2].slice(0, MAX_LABEL - 1).join('') + '…' : s2;
}

/** linksDialog lists, makes and revokes one action's update links. */
export function linksDialog(conn) {
  const title = h('p', { class: 'links-action' });
  const label = h('input', { type: 'text', maxlength: String(MAX_LABEL), autocomplete: 'off' });
  const make = h('button', { type: 'submit', class: 'btn btn-primary btn-small', text: t('links.create') });
  const form = h('form', { class: 'links-form' }, field(t('links.label'), label, t('links.labelHint')), make);
  const listH = h('h3', { class: 'panel-h links-h', text: t('links.listHeading') });
  const list = h('ul', { class: 'link-list' });
  const none = h('p', { class: 'empty', text: t('links.none') });
  const closeBtn = h('button', { type: 'button', class: 'btn', text: t('common.close') });
  const hid = nextId('links-h');
  const el = h('dialog', { class: 'dialog links-dialog', 'aria-labelledby': hid },
    h('h2', { id: hid, text: t('links.heading') }), title,
    h('p', { class: 'hint', text: t('links.intro') }), form, listH, list, none,
    h('div', { class: 'btn-row' }, closeBtn));
  closeBtn.addEventListener('click', () => el.close());
  let action = '';
  let known = new Set(); // links already shown, to focus the one just made
  let expect = false;

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!action) return;
    conn.send('action.link', { action, label: label.value.trim() });
    expect = true;
  });

  const render = (s) => {
    if (!action || !el.open) return;
    const a = byId(s.actions, action);
    if (!a) { el.close(); return; }
    setText(title, t('links.forAction', { title: a.title }));
    const links = (s.updateLinks || []).filter((l) => l.action === action);
    syncList(list, links, (l) => l.id, () => {
      const li = h('li', { class: 'link-item' });
      const id = nextId('ul');
      const name = h('p', { class: 'link-name' });
      const input = h('input', { type: 'text', readonly: true, class: 'link-input', id });
      const copy = copyButton(() => input.value, t('links.copy'));
      const revoke = h('button', { type: 'button', class: 'btn btn-small btn-danger', text: t('links.revoke') });
      revoke.addEventListener('click', () => {
        const l = byId(conn.state.updateLinks, li.dataset.key);
        if (l && !l.revoked && confirm(t('links.revokeConfirm', { label: l.label || t('links.noLabel') }))) conn.send('action.unlink', { link: l.id });
      });
      const lbl = h('label', { for: id, class: 'sr-only' });
      li.parts = { name, input, copy, revoke, lbl, line: h('div', { class: 'link-line' }, input, copy, revoke) };
      li.append(name, lbl, li.parts.line);
      return li;
    }, (li, l) => {
      const p = li.parts, who = l.label || t('links.noLabel');
      clear(p.name, h('span', { class: 'link-label', text: who }), ' ',
        h('span', { class: 'muted small', text: t('links.made', { when: fmtAt(l.created) }) }),
        l.revoked ? h('span', { class: 'revoked-tag', text: t('links.revoked') }) : null);
      li.classList.toggle('revoked', !!l.revoked);
      const url = l.token ? absolute(`/u/${s.table.id}#${l.token}`) : '';
      if (p.input.value !== url) p.input.value = url;
      setText(p.lbl, t('links.urlFor', { label: who }));
      p.line.hidden = !url;
      p.copy.setAttribute('aria-label', t('links.copyFor', { label: who }));
      p.revoke.setAttribute('aria-label', t('links.revokeFor', { label: who }));
    });
    none.hidden = links.length > 0;
    listH.hidden = !links.length;
    const fresh = links.find((l) => !known.has(l.id) && l.token);
    if (expect && fresh) {
      expect = false;
      const li = [...list.children].find((x) => x.dataset.key === fresh.id);
      if (li) { li.classList.add('arrive'); li.parts.copy.focus(); }
    }
    known = new Set(links.map((l) => l.id));
  };

  let back = null; // where the focus returns when the dialog closes
  const open = (id, from) => {
    const s = conn.state, a = byId(s.actions, id);
    if (!a) return;
    action = id; expect = false; back = from || null;
    known = new Set((s.updateLinks || []).filter((l) => l.action === id).map((l) => l.id));
    label.value = defaultLabel(s, a);
    clear(list);
    el.showModal();
    render(s);
    label.focus();
  };
  el.addEventListener('close', () => { action = ''; if (back && back.isConnected) back.focus(); back = null; });
  return { el, open, render };
}

/** latestUpdate shows an action's latest report on the board: its status,
 * when, whether its owner made it (through a link), and the note; and
 * whom the working links are for. */
export function latestUpdate(s, a, box) {
  const u = (a.updates || [])[(a.updates || []).length - 1];
  const links = (s.updateLinks || []).filter((l) => l.action === a.id && !l.revoked);
  const key = JSON.stringify([u, links.map((l) => l.label)]);
  if (box.key === key) return;
  box.key = key;
  clear(box,
    u ? h('p', { class: 'action-update-head' },
      h('span', { class: `status-tag st-${u.status}`, text: statusText(u.status) }), ' · ',
      h('span', { text: t(u.link ? 'links.byOwner' : 'links.byFacilitator', { when: fmtAt(u.at) }) })) : null,
    u && u.note ? h('p', { class: 'action-update-note', text: u.note }) : null,
    links.length ? h('p', { class: 'small muted action-links', text: t('links.onCard', { labels: links.map((l) => l.label || t('links.noLabel')).join(', ') }) }) : null);
  box.hidden = !u && !links.length;
}
