// The current item's notes and decisions, for the minutes. Typed text is
// kept as a draft until it is saved.
import { h, setText } from '../dom.js';
import { t } from '../i18n.js';
import { drafts } from '../store.js';
import { currentItem } from '../model.js';

export function notesBox(conn, table) {
  const notes = h('textarea', { id: 'notes', rows: '3', maxlength: '10000' });
  const save = h('button', { type: 'button', class: 'btn btn-small', text: t('fac.notesSave') });
  const state = h('span', { class: 'muted small notes-state', role: 'status' });
  const summary = h('summary', {}, h('span', { text: t('fac.notes') }), state);
  const el = h('details', { class: 'notes-box' }, summary,
    h('label', { for: 'notes', class: 'sr-only', text: t('fac.notes') }),
    h('p', { class: 'hint', id: 'notes-hint', text: t('fac.notesHint') }), notes, h('div', { class: 'btn-row' }, save));
  notes.setAttribute('aria-describedby', 'notes-hint');
  let shown = '', dirty = false;
  notes.addEventListener('input', () => { dirty = true; drafts.set(table, 'notes:' + shown, notes.value); setText(state, t('fac.notesUnsaved')); });
  save.addEventListener('click', () => {
    const it = currentItem(conn.state);
    if (notes.value !== it.notes) conn.send('item.notes', { item: it.id, notes: notes.value });
    dirty = false; drafts.set(table, 'notes:' + it.id, '');
    setText(state, t('fac.notesSaving'));
  });
  const render = (s) => {
    const it = currentItem(s);
    if (!it) return;
    if (shown !== it.id) {
      shown = it.id;
      const d = drafts.get(table, 'notes:' + it.id);
      dirty = !!d && d !== it.notes;
      notes.value = dirty ? d : it.notes;
      setText(state, dirty ? t('fac.notesUnsaved') : it.notes ? t('fac.notesSaved') : '');
      if (dirty) el.open = true;
    } else if (!dirty && notes.value !== it.notes && document.activeElement !== notes) {
      notes.value = it.notes;
    }
    if (!dirty && state.textContent === t('fac.notesSaving') && notes.value === it.notes) setText(state, t('fac.notesSaved'));
  };
  return { el, render };
}
