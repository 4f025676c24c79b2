// The participant's action list: volunteer for an action, propose one in
// the actions phase, and set the status of actions you own.
import { h, setText, syncList, clear } from '../dom.js';
import { t, tn } from '../i18n.js';
import { bindDraft } from '../store.js';
import { STATUSES } from '../enums.js';
import { currentItem, byId } from '../model.js';
import { actionFacts, actionOpen, ideasOf } from './actions-common.js';

export function actionSection(conn, table) {
  const el = h('section', { class: 'card actions', 'aria-labelledby': 'actions-h' });
  const heading = h('h2', { id: 'actions-h' });
  const intro = h('p', { class: 'muted' });
  const forOrg = h('input', { type: 'checkbox', id: 'vol-org' });
  const forOrgLabel = h('label', { for: 'vol-org' });
  const forOrgRow = h('div', { class: 'check' }, forOrg, forOrgLabel);
  const title = h('textarea', { id: 'action-title', rows: '2', maxlength: '300', required: true });
  const clearDraft = bindDraft(title, table, 'action');
  const vol = h('input', { type: 'checkbox', id: 'action-vol', checked: true });
  const form = h('form', { class: 'action-form' },
    h('h3', { text: t('action.proposeHeading') }),
    h('label', { for: 'action-title', text: t('action.title') }), title,
    h('div', { class: 'check' }, vol, h('label', { for: 'action-vol', text: t('action.volunteerToo') })),
    h('button', { type: 'submit', class: 'btn btn-primary', text: t('action.propose') }));
  const list = h('ul', { class: 'action-list' });
  el.append(heading, intro, forOrgRow, list, form);

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const v = title.value.trim();
    if (!v) return;
    conn.send('action.add', { item: '', title: v, volunteer: vol.checked });
    clearDraft();
  });

  const create = () => {
    const li = h('li', { class: 'action' });
    li.parts = {
      title: h('p', { class: 'action-title' }), from: h('p', { class: 'muted small' }), facts: h('div'),
      tools: h('div', { class: 'btn-row' }),
      join: h('button', { type: 'button', class: 'btn btn-primary btn-small' }),
      leave: h('button', { type: 'button', class: 'btn btn-small' }),
      status: h('select', { class: 'small-select' }, STATUSES.map((st) => h('option', { value: st, text: t(`status.action.${st}`) }))),
    };
    li.parts.statusLabel = h('label', { class: 'inline-label' }, h('span', { text: t('action.status') }), li.parts.status);
    li.parts.tools.append(li.parts.join, li.parts.leave, li.parts.statusLabel);
    li.parts.join.addEventListener('click', () => conn.send('action.volunteer', { action: li.dataset.key, org: forOrg.checked && !forOrgRow.hidden }));
    li.parts.leave.addEventListener('click', () => conn.send('action.unvolunteer', { action: li.dataset.key }));
    li.parts.status.addEventListener('change', () => conn.send('action.edit', { action: li.dataset.key, status: li.parts.status.value }));
    li.append(li.parts.title, li.parts.from, li.parts.facts, li.parts.tools);
    return li;
  };

  const render = (s) => {
    const it = currentItem(s);
    const me = byId(s.participants, conn.you);
    // Actions of the current item first, then the table's other actions.
    const acts = s.actions.filter((a) => !a.item || (it && a.item === it.id));
    const open = it && it.phase === 'actions' && !s.table.closed && !s.table.locked;
    el.hidden = !acts.length && !open;
    setText(heading, tn('action.heading', acts.length));
    setText(intro, open ? t('action.introOpen') : t('action.introClosed'));
    form.hidden = !open;
    forOrgRow.hidden = !(open && me && me.org);
    if (me && me.org) setText(forOrgLabel, t('action.forMyOrg', { org: me.org }));
    syncList(list, acts, (a) => a.id, create, (li, a) => {
      const p = li.parts;
      setText(p.title, a.title);
      const from = ideasOf(s, a);
      p.from.hidden = !from.length;
      if (from.length) setText(p.from, t('action.fromIdeas', { ideas: from.join(' · ') }));
      clear(p.facts, actionFacts(s, a));
      const owner = a.owners.some((o) => o.participant === conn.you);
      const can = actionOpen(s, a);
      const busy = conn.pendingOps((o) => o.action === a.id).length > 0;
      p.join.hidden = owner || !can;
      p.leave.hidden = !owner || !can;
      setText(p.join, t('action.volunteer'));
      setText(p.leave, t('action.unvolunteer'));
      p.join.setAttribute('aria-label', `${t('action.volunteer')}: ${a.title}`);
      p.leave.setAttribute('aria-label', `${t('action.unvolunteer')}: ${a.title}`);
      p.join.disabled = p.leave.disabled = busy;
      p.statusLabel.hidden = !owner || s.table.closed;
      if (document.activeElement !== p.status) p.status.value = a.status;
      li.classList.toggle('mine', owner);
    });
  };
  return { el, render };
}
