// The facilitator's agenda rail: the items in order, the current one
// marked; open an item (key J opens the next one); each item's menu edits,
// moves or removes it, or imports ideas collected on paper into it; add an
// item at the end.
import { h, setText, syncList, field, clear } from '../dom.js';
import { t } from '../i18n.js';
import { itemBadge, isFollowItem } from '../badges.js';
import { menuButton } from '../menu.js';
import { toast } from '../toast.js';

function itemForm(values, onSubmit, onCancel, submitText) {
  const title = h('input', { type: 'text', maxlength: '200', required: true, value: values.title || '' });
  const question = h('textarea', { rows: '2', maxlength: '500' });
  question.value = values.question || '';
  const presenter = h('input', { type: 'text', maxlength: '160', value: values.presenter || '' });
  const timebox = h('input', { type: 'number', min: '0', max: '1440', inputmode: 'numeric', value: String(values.timebox || 0) });
  const cancel = onCancel ? h('button', { type: 'button', class: 'btn btn-small', text: t('common.cancel') }) : null;
  if (cancel) cancel.addEventListener('click', onCancel);
  const f = h('form', { class: 'item-form' },
    field(t('start.itemTitle'), title), field(t('start.itemQuestion'), question),
    field(t('start.itemPresenter'), presenter), field(t('start.itemTimebox'), timebox),
    h('div', { class: 'btn-row' }, h('button', { type: 'submit', class: 'btn btn-primary btn-small', text: submitText }), cancel));
  f.addEventListener('submit', (e) => {
    e.preventDefault();
    onSubmit({ title: title.value.trim(), question: question.value.trim(), presenter: presenter.value.trim(), timebox: Number(timebox.value) || 0 });
  });
  f.addEventListener('keydown', (e) => { if (e.key === 'Escape' && onCancel) { e.preventDefault(); onCancel(); } });
  f.first = title;
  return f;
}

/** agendaPanel is the rail. onImport(itemId, focusAfter) opens the import
 * of ideas from paper into an item. */
export function agendaPanel(conn, { onImport } = {}) {
  const el = h('section', { class: 'panel rail-panel', 'aria-labelledby': 'agenda-h' });
  const list = h('ol', { class: 'agenda-edit' });
  const add = h('details', { class: 'add-item' });
  const addForm = itemForm({}, (v) => {
    conn.send('item.add', v);
    add.open = false;
    addForm.reset();
  }, null, t('agenda.add'));
  add.append(h('summary', { text: t('agenda.addHeading') }), addForm);
  el.append(h('h2', { id: 'agenda-h', class: 'panel-h', text: t('agenda.heading') }), list, add);

  const create = () => {
    const li = h('li', { class: 'agenda-item' });
    const id = () => li.dataset.key;
    const idx = () => conn.state.items.findIndex((i) => i.id === id());
    const p = li.parts = {
      title: h('span', { class: 'agenda-title' }), meta: h('span', { class: 'agenda-meta' }),
      open: h('button', { type: 'button', class: 'btn btn-small agenda-open', text: t('agenda.open') }),
      now: h('span', { class: 'now-tag', text: t('agenda.now') }),
    };
    const it = () => conn.state.items.find((i) => i.id === id());
    const focusMenu = () => requestAnimationFrame(() => p.menu.button.focus());
    p.menu = menuButton({ label: '⋯', cls: 'btn btn-small btn-menu btn-dots', items: () => {
      const s = conn.state, k = idx(), cur = it();
      if (!cur) return [];
      const ideas = s.ideas.some((i) => i.item === cur.id);
      return [
        { label: t('common.edit'), run: () => startEdit(), keepFocus: true },
        { label: t('agenda.import'), run: () => onImport(cur.id, p.menu.button), keepFocus: true, hidden: !onImport || isFollowItem(s, cur) },
        { label: t('agenda.moveUp'), run: () => { conn.send('item.move', { item: id(), index: k - 1 }); focusMenu(); }, hidden: k === 0 },
        { label: t('agenda.moveDown'), run: () => { conn.send('item.move', { item: id(), index: k + 1 }); focusMenu(); }, hidden: k === s.items.length - 1 },
        { label: t('common.remove'), danger: true, run: () => { if (confirm(t('agenda.removeConfirm'))) conn.send('item.remove', { item: id() }); },
          hidden: ideas || s.actions.some((a) => a.item === cur.id) || isFollowItem(s, cur) },
      ];
    } });
    const startEdit = () => {
      const cur = it();
      if (!cur || li.editing) return;
      const done = () => { f.remove(); li.editing = false; p.line.hidden = false; p.menu.button.focus(); };
      const f = itemForm(cur, (v) => {
        const ch = {};
        for (const k of Object.keys(v)) if (v[k] !== cur[k]) ch[k] = v[k];
        if (Object.keys(ch).length) conn.send('item.edit', { item: cur.id, ...ch });
        done();
      }, done, t('common.save'));
      li.editing = true; p.line.hidden = true;
      li.append(f); f.first.focus();
    };
    p.line = h('div', { class: 'agenda-line' }, p.title,
      h('div', { class: 'agenda-row2' }, p.meta, h('div', { class: 'agenda-tools' }, p.now, p.open, p.menu.el)));
    li.append(p.line);
    p.open.addEventListener('click', () => conn.send('item.open', { item: id() }));
    return li;
  };

  const render = (s) => {
    syncList(list, s.items, (i) => i.id, create, (li, it) => {
      const p = li.parts, cur = it.id === s.current;
      setText(p.title, it.title);
      li.classList.toggle('current', cur);
      if (cur) li.setAttribute('aria-current', 'step'); else li.removeAttribute('aria-current');
      const ideas = s.ideas.filter((i) => i.item === it.id && !i.mergedInto).length;
      const follow = isFollowItem(s, it);
      clear(p.meta, itemBadge(s, it),
        it.timebox ? h('span', { class: 'muted small', text: t('agenda.minutes', { n: it.timebox }) }) : null,
        ideas && !follow ? h('span', { class: 'muted small', text: t('agenda.ideas', { n: ideas }) }) : null,
        follow ? h('span', { class: 'muted small', text: t('follow.agendaMeta', { done: s.followUps.filter((f) => f.outcome).length, total: s.followUps.length }) }) : null);
      p.open.hidden = cur || s.table.closed;
      p.now.hidden = !cur;
      p.open.setAttribute('aria-label', `${t('agenda.open')}: ${it.title}`);
      p.menu.button.setAttribute('aria-label', t('agenda.menu', { title: it.title }));
      p.menu.el.hidden = s.table.closed;
    });
    add.hidden = s.table.closed;
  };

  /** openNext makes the item after the current one current (key J). */
  const openNext = () => {
    const s = conn.state;
    if (!s || s.table.closed) return false;
    const k = s.items.findIndex((i) => i.id === s.current);
    const next = s.items[k + 1];
    if (!next) { toast(t('keys.lastItem')); return false; }
    conn.send('item.open', { item: next.id });
    return true;
  };
  return { el, render, openNext };
}
