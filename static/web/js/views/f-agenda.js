// The facilitator's agenda: open an item, move it, edit it, add and remove items.
import { h, setText, syncList, field, clear } from '../dom.js';
import { t } from '../i18n.js';
import { phaseBadge } from '../badges.js';

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
  f.first = title;
  return f;
}

export function agendaPanel(conn) {
  const el = h('section', { class: 'panel', 'aria-labelledby': 'agenda-h' });
  const list = h('ol', { class: 'agenda-edit' });
  const add = h('details', { class: 'add-item' });
  const addForm = itemForm({}, (v) => {
    conn.send('item.add', v);
    add.open = false;
    addForm.reset();
  }, null, t('agenda.add'));
  add.append(h('summary', { text: t('agenda.addHeading') }), addForm);
  el.append(h('h2', { id: 'agenda-h', text: t('agenda.heading') }), list, add);

  const create = () => {
    const li = h('li', { class: 'agenda-item' });
    const p = li.parts = {
      title: h('span', { class: 'agenda-title' }), meta: h('span', { class: 'agenda-meta' }),
      open: h('button', { type: 'button', class: 'btn btn-small btn-primary' }),
      up: h('button', { type: 'button', class: 'btn btn-icon', text: '↑' }),
      down: h('button', { type: 'button', class: 'btn btn-icon', text: '↓' }),
      edit: h('button', { type: 'button', class: 'btn btn-small btn-quiet', text: t('common.edit') }),
      remove: h('button', { type: 'button', class: 'btn btn-small btn-quiet', text: t('common.remove') }),
    };
    p.tools = h('div', { class: 'agenda-tools' }, p.open, p.up, p.down, p.edit, p.remove);
    li.append(p.title, p.meta, p.tools);
    const id = () => li.dataset.key;
    const idx = () => conn.state.items.findIndex((i) => i.id === id());
    p.open.addEventListener('click', () => conn.send('item.open', { item: id() }));
    p.up.addEventListener('click', () => { conn.send('item.move', { item: id(), index: idx() - 1 }); p.up.focus(); });
    p.down.addEventListener('click', () => { conn.send('item.move', { item: id(), index: idx() + 1 }); p.down.focus(); });
    p.remove.addEventListener('click', () => { if (confirm(t('agenda.removeConfirm'))) conn.send('item.remove', { item: id() }); });
    p.edit.addEventListener('click', () => {
      const it = conn.state.items.find((i) => i.id === id());
      const done = () => { f.remove(); li.editing = false; p.tools.hidden = false; p.edit.focus(); };
      const f = itemForm(it, (v) => {
        const ch = {};
        for (const k of Object.keys(v)) if (v[k] !== it[k]) ch[k] = v[k];
        if (Object.keys(ch).length) conn.send('item.edit', { item: it.id, ...ch });
        done();
      }, done, t('common.save'));
      li.editing = true; p.tools.hidden = true;
      li.append(f); f.first.focus();
    });
    return li;
  };

  const render = (s) => {
    const n = s.items.length;
    syncList(list, s.items, (i) => i.id, create, (li, it) => {
      const p = li.parts, k = s.items.indexOf(it), cur = it.id === s.current;
      setText(p.title, it.title);
      li.classList.toggle('current', cur);
      if (cur) li.setAttribute('aria-current', 'step'); else li.removeAttribute('aria-current');
      const ideas = s.ideas.filter((i) => i.item === it.id && !i.mergedInto).length;
      clear(p.meta, phaseBadge(it.phase),
        it.timebox ? h('span', { class: 'muted small', text: t('agenda.minutes', { n: it.timebox }) }) : null,
        ideas ? h('span', { class: 'muted small', text: t('agenda.ideas', { n: ideas }) }) : null,
        it.id === s.followItem && (s.followUps || []).length
          ? h('span', { class: 'muted small', text: t('follow.agendaMeta', { done: s.followUps.filter((f) => f.outcome).length, total: s.followUps.length }) }) : null);
      setText(p.open, cur ? t('agenda.isOpen') : t('agenda.open'));
      p.open.disabled = cur;
      p.open.setAttribute('aria-label', `${cur ? t('agenda.isOpen') : t('agenda.open')}: ${it.title}`);
      p.up.setAttribute('aria-label', t('agenda.up', { title: it.title }));
      p.down.setAttribute('aria-label', t('agenda.down', { title: it.title }));
      p.edit.setAttribute('aria-label', `${t('common.edit')}: ${it.title}`);
      p.remove.setAttribute('aria-label', `${t('common.remove')}: ${it.title}`);
      p.up.disabled = k === 0; p.down.disabled = k === n - 1;
      // The follow-up item of a series holds the review: it stays.
      p.remove.hidden = ideas > 0 || s.actions.some((a) => a.item === it.id) || (it.id === s.followItem && (s.followUps || []).length > 0);
    });
  };
  return { el, render };
}
