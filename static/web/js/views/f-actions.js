// The facilitator's action board: what, who, by when, and its status.
import { h, setText, syncList, field, nextId, clear } from '../dom.js';
import { t, tn } from '../i18n.js';
import { bindDraft } from '../store.js';
import { STATUSES } from '../enums.js';
import { currentItem, byId } from '../model.js';
import { ownerLabel, ideasOf } from './actions-common.js';

function participantOptions(s, first) {
  return [h('option', { value: '', text: first }),
    s.participants.filter((p) => !p.removed).map((p) => h('option', { value: p.id, text: p.org ? `${p.name} (${p.org})` : p.name }))];
}

export function actionBoard(conn, table) {
  const el = h('section', { class: 'panel actions-board', id: 'actions-board', 'aria-labelledby': 'board-h' });
  const heading = h('h2', { id: 'board-h' });
  const title = h('textarea', { rows: '2', maxlength: '300', required: true });
  const clearDraft = bindDraft(title, table, 'faction');
  const owner = h('select', {});
  const org = h('input', { type: 'text', maxlength: '150' });
  const due = h('input', { type: 'date' });
  const form = h('form', { class: 'action-form' },
    field(t('action.title'), title),
    h('div', { class: 'row3' }, field(t('action.ownerPerson'), owner), field(t('action.ownerOrg'), org, t('action.ownerOrgHint')), field(t('action.due'), due)),
    h('button', { type: 'submit', class: 'btn btn-primary btn-small', text: t('action.create') }));
  const addBox = h('details', { class: 'add-action' }, h('summary', { text: t('action.createHeading') }), form);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const s = conn.state, it = currentItem(s);
    const v = title.value.trim();
    if (!v) return;
    const op = { item: it ? it.id : '', title: v, due: due.value };
    if (owner.value || org.value.trim()) op.owners = [{ participant: owner.value, org: org.value.trim() }];
    conn.send('action.add', op);
    clearDraft(); owner.value = ''; org.value = ''; due.value = '';
    title.focus();
  });
  const list = h('ul', { class: 'action-list board' });
  const empty = h('p', { class: 'empty', text: t('action.none') });
  el.append(heading, list, empty, addBox);

  const create = () => {
    const li = h('li', { class: 'action' });
    const sid = nextId('st'), did = nextId('due');
    const p = li.parts = {
      title: h('p', { class: 'action-title' }), item: h('p', { class: 'muted small' }), from: h('p', { class: 'muted small' }),
      owners: h('ul', { class: 'owners' }),
      status: h('select', { id: sid }, STATUSES.map((st) => h('option', { value: st, text: t(`status.action.${st}`) }))),
      due: h('input', { type: 'date', id: did }),
      addWho: h('select', { 'aria-label': t('action.ownerPerson') }),
      addOrg: h('input', { type: 'text', maxlength: '150', 'aria-label': t('action.ownerOrg'), placeholder: t('action.ownerOrg') }),
      addBtn: h('button', { type: 'submit', class: 'btn btn-small', text: t('action.addOwner') }),
      remove: h('button', { type: 'button', class: 'btn btn-small btn-quiet btn-danger', text: t('common.remove') }),
    };
    const id = () => li.dataset.key;
    p.status.addEventListener('change', () => conn.send('action.edit', { action: id(), status: p.status.value }));
    p.due.addEventListener('change', () => conn.send('action.edit', { action: id(), due: p.due.value }));
    p.remove.addEventListener('click', () => { if (confirm(t('action.removeConfirm'))) conn.send('action.remove', { action: id() }); });
    const ownerForm = h('form', { class: 'owner-form' }, p.addWho, p.addOrg, p.addBtn);
    ownerForm.addEventListener('submit', (e) => {
      e.preventDefault();
      const o = p.addOrg.value.trim();
      if (!p.addWho.value && !o) return;
      conn.send('action.assign', { action: id(), participant: p.addWho.value, org: o });
      p.addWho.value = ''; p.addOrg.value = '';
    });
    li.append(p.title, p.item, p.from, h('p', { class: 'small-heading', text: t('action.owners') }), p.owners, ownerForm,
      h('div', { class: 'action-edit' },
        h('label', { for: sid, text: t('action.status') }), p.status,
        h('label', { for: did, text: t('action.due') }), p.due, p.remove));
    return li;
  };

  let peopleKey = '';
  const render = (s) => {
    setText(heading, tn('action.heading', s.actions.length));
    const pk = s.participants.map((x) => x.id + x.name + x.org + (x.removed ? 1 : 0)).join();
    const peopleChanged = pk !== peopleKey;
    peopleKey = pk;
    if (peopleChanged) { const v = owner.value; clear(owner, ...participantOptions(s, t('action.nobody')).flat()); owner.value = v; }
    addBox.hidden = s.table.closed;
    syncList(list, s.actions, (a) => a.id, create, (li, a) => {
      const p = li.parts;
      setText(p.title, a.title);
      const it = byId(s.items, a.item);
      setText(p.item, it ? t('action.ofItem', { title: it.title }) : t('action.noItem'));
      const from = ideasOf(s, a);
      p.from.hidden = !from.length;
      if (from.length) setText(p.from, t('action.fromIdeas', { ideas: from.join(' · ') }));
      for (const c of [...p.owners.children]) if (!c.dataset.key) c.remove();
      syncList(p.owners, a.owners, (o) => o.id, () => {
        const oli = h('li', { class: 'owner-chip' }, h('span'), h('button', { type: 'button', class: 'chip-x', text: '×' }));
        oli.lastChild.addEventListener('click', () => conn.send('action.unassign', { action: li.dataset.key, owner: oli.dataset.key }));
        return oli;
      }, (oli, o) => {
        const label = ownerLabel(s, o);
        setText(oli.firstChild, label);
        oli.lastChild.setAttribute('aria-label', t('action.removeOwner', { name: label }));
      });
      if (!a.owners.length) clear(p.owners, h('li', { class: 'muted small', text: t('action.noOwners') }));
      if (peopleChanged || !p.addWho.options.length) { clear(p.addWho, ...participantOptions(s, t('action.pickPerson')).flat()); }
      if (document.activeElement !== p.status) p.status.value = a.status;
      if (document.activeElement !== p.due) p.due.value = a.due;
      li.classList.toggle('done', a.status === 'done');
      p.remove.hidden = s.table.closed;
    });
    empty.hidden = s.actions.length > 0;
  };
  return { el, render };
}
