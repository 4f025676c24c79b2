// The facilitator's action board: what, who, by when, and its status.
// An owner is a person, an organisation, or a person named as representing
// their organisation; the form says which, and a person and an
// organisation given together are two owners.
import { h, setText, syncList, field, nextId, clear } from '../dom.js';
import { t, tn } from '../i18n.js';
import { bindDraft } from '../store.js';
import { STATUSES } from '../enums.js';
import { currentItem, byId } from '../model.js';
import { menuButton } from '../menu.js';
import { ownerLabel, ideasOf } from './actions-common.js';
import { linksDialog, latestUpdate } from './f-links.js';

/** personOptions lists the people an owner can be: each person alone, and
 * each person with an organisation as its representative. The value says
 * which: "p:<id>" or "po:<id>". */
function personOptions(s, first) {
  const people = s.participants.filter((p) => !p.removed);
  const withOrg = people.filter((p) => p.org);
  return [h('option', { value: '', text: first }),
    h('optgroup', { label: t('action.groupPerson') }, people.map((p) => h('option', { value: 'p:' + p.id, text: p.name }))),
    withOrg.length ? h('optgroup', { label: t('action.groupRepresents') },
      withOrg.map((p) => h('option', { value: 'po:' + p.id, text: t('action.representing', { name: p.name, org: p.org }) }))) : null];
}

/** ownerOf turns a chosen option into an owner input. */
function ownerOf(s, value) {
  const [kind, id] = value.split(':');
  const p = byId(s.participants, id);
  if (!p) return null;
  return kind === 'po' && p.org ? { participant: id, org: p.org } : { participant: id };
}

export function actionBoard(conn, table) {
  const el = h('section', { class: 'actions-board', id: 'actions-board', 'aria-labelledby': 'board-h' });
  const heading = h('h3', { id: 'board-h', class: 'panel-h' });
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
    const owners = [];
    const who = owner.value ? ownerOf(s, owner.value) : null;
    if (who) owners.push(who);
    if (org.value.trim()) owners.push({ org: org.value.trim() });
    if (owners.length) op.owners = owners;
    conn.send('action.add', op);
    clearDraft(); owner.value = ''; org.value = ''; due.value = '';
    title.focus();
  });
  const list = h('ul', { class: 'action-list board' });
  const empty = h('p', { class: 'empty', text: t('action.none') });
  const links = linksDialog(conn);
  el.append(h('div', { class: 'panel-head' }, heading, addBox), h('div', { class: 'scroll-panel board-scroll' }, list, empty), links.el);

  const create = () => {
    const li = h('li', { class: 'action' });
    const sid = nextId('st'), did = nextId('due'), tid = nextId('at');
    const p = li.parts = {
      title: h('p', { class: 'action-title', id: tid }), where: h('p', { class: 'muted small' }),
      owners: h('ul', { class: 'owners', 'aria-label': t('action.owners') }),
      update: h('div', { class: 'action-update' }),
      status: h('select', { id: sid }, STATUSES.map((st) => h('option', { value: st, text: t(`status.action.${st}`) }))),
      due: h('input', { type: 'date', id: did }),
      addWho: h('select', { 'aria-label': t('action.ownerPerson'), 'aria-describedby': tid }),
      addWhoBtn: h('button', { type: 'submit', class: 'btn btn-small', text: t('action.add') }),
      addOrg: h('input', { type: 'text', maxlength: '150', 'aria-label': t('action.ownerOrg'), placeholder: t('action.orgPlaceholder'), 'aria-describedby': tid }),
      addOrgBtn: h('button', { type: 'submit', class: 'btn btn-small', text: t('action.add') }),
    };
    const id = () => li.dataset.key;
    p.menu = menuButton({ label: '⋯', cls: 'btn btn-small btn-menu btn-dots', items: () => [
      { label: t('action.updateLink'), run: () => links.open(id(), p.menu.button), keepFocus: true },
      { label: t('action.removeAction'), danger: true, run: () => { if (confirm(t('action.removeConfirm'))) conn.send('action.remove', { action: id() }); } },
    ] });
    p.status.addEventListener('change', () => conn.send('action.edit', { action: id(), status: p.status.value }));
    p.due.addEventListener('change', () => conn.send('action.edit', { action: id(), due: p.due.value }));
    const whoForm = h('form', { class: 'owner-form owner-person' }, p.addWho, p.addWhoBtn);
    whoForm.addEventListener('submit', (e) => {
      e.preventDefault();
      const o = p.addWho.value ? ownerOf(conn.state, p.addWho.value) : null;
      if (!o) { p.addWho.focus(); return; }
      conn.send('action.assign', { action: id(), ...o });
      p.addWho.value = '';
    });
    const orgForm = h('form', { class: 'owner-form owner-org' }, p.addOrg, p.addOrgBtn);
    orgForm.addEventListener('submit', (e) => {
      e.preventDefault();
      const o = p.addOrg.value.trim();
      if (!o) { p.addOrg.focus(); return; }
      conn.send('action.assign', { action: id(), org: o });
      p.addOrg.value = '';
    });
    li.append(
      h('div', { class: 'action-head' }, p.title, p.menu.el),
      p.where, p.owners, p.update,
      h('div', { class: 'owner-add' }, whoForm, orgForm),
      h('div', { class: 'action-edit' },
        h('label', { for: sid, text: t('action.status') }), p.status,
        h('label', { for: did, text: t('action.due') }), p.due));
    return li;
  };

  let peopleKey = '';
  let expect = ''; // an idea just made into an action: focus its owner picker when it comes
  let known = null;
  const render = (s) => {
    const it = currentItem(s);
    const acts = [...s.actions.filter((a) => it && a.item === it.id), ...s.actions.filter((a) => !it || a.item !== it.id)];
    setText(heading, tn('action.heading', s.actions.length));
    const pk = s.participants.map((x) => x.id + x.name + x.org + (x.removed ? 1 : 0)).join();
    const peopleChanged = pk !== peopleKey;
    peopleKey = pk;
    if (peopleChanged) { const v = owner.value; clear(owner, personOptions(s, t('action.nobody'))); owner.value = v; }
    addBox.hidden = false;
    syncList(list, acts, (a) => a.id, create, (li, a) => {
      const p = li.parts;
      setText(p.title, a.title);
      const from = ideasOf(s, a);
      const item = byId(s.items, a.item);
      const where = [];
      if (!it || a.item !== it.id) where.push(item ? t('action.ofItem', { title: item.title }) : t('action.noItem'));
      // An action made from one idea usually carries its text: say so only when it differs.
      if (from.length && !(from.length === 1 && a.title.startsWith(from[0].slice(0, 40)))) where.push(t('action.fromIdeas', { ideas: from.join(' · ') }));
      setText(p.where, where.join(' · '));
      p.where.hidden = !where.length;
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
      if (peopleChanged || !p.addWho.options.length) { const v = p.addWho.value; clear(p.addWho, personOptions(s, t('action.pickPerson'))); p.addWho.value = v; }
      if (document.activeElement !== p.status) p.status.value = a.status;
      if (document.activeElement !== p.due) p.due.value = a.due;
      li.classList.toggle('done', a.status === 'done');
      latestUpdate(s, a, p.update);
      const short = a.title.length > 80 ? a.title.slice(0, 79) + '…' : a.title;
      p.menu.button.setAttribute('aria-label', t('action.menu', { title: short }));
      p.addWhoBtn.setAttribute('aria-label', t('action.addPersonTo', { title: short }));
      p.addOrgBtn.setAttribute('aria-label', t('action.addOrgTo', { title: short }));
    });
    empty.hidden = acts.length > 0;
    links.render(s);
    const ids = new Set(acts.map((a) => a.id));
    if (known && expect) {
      const fresh = acts.find((a) => !known.has(a.id) && a.ideas.includes(expect));
      if (fresh) {
        expect = '';
        const li = [...list.children].find((x) => x.dataset.key === fresh.id);
        // Its owner may still be missing: the person picker takes the focus then.
        if (li) { li.scrollIntoView({ block: 'nearest' }); li.classList.add('arrive'); if (!fresh.owners.length) li.parts.addWho.focus(); }
      }
    }
    known = ids;
  };
  return { el, render, expectFrom: (ideaId) => { expect = ideaId; } };
}
