// The current item's controls: phase, timer, voting rules, reveal, notes.
import { h, setText } from '../dom.js';
import { t, tn, fmtNum } from '../i18n.js';
import { drafts } from '../store.js';
import { PHASES } from '../enums.js';
import { currentItem } from '../model.js';
import { timerView } from '../timer.js';

export function currentPanel(conn, table) {
  const el = h('section', { class: 'panel current-panel', 'aria-labelledby': 'cur-h' });
  const title = h('h2', { id: 'cur-h' });
  const question = h('p', { class: 'now-question' });
  const presenter = h('p', { class: 'muted' });

  const phases = h('div', { class: 'segmented', role: 'group', 'aria-label': t('fac.phase') });
  const phaseBtns = PHASES.map((p) => {
    const b = h('button', { type: 'button', class: `seg seg-${p}`, text: t(`phase.${p}`) });
    b.addEventListener('click', () => { const it = currentItem(conn.state); if (it && it.phase !== p) conn.send('item.phase', { item: it.id, phase: p }); });
    phases.append(b);
    return b;
  });
  const next = h('button', { type: 'button', class: 'btn btn-primary' });
  next.addEventListener('click', () => {
    const it = currentItem(conn.state);
    const k = PHASES.indexOf(it.phase);
    if (k < PHASES.length - 1) conn.send('item.phase', { item: it.id, phase: PHASES[k + 1] });
  });

  const timer = timerView(conn, () => currentItem(conn.state), { big: true });
  const startBtn = h('button', { type: 'button', class: 'btn btn-small' });
  const resetBtn = h('button', { type: 'button', class: 'btn btn-small', text: t('timer.reset') });
  const mins = h('input', { type: 'number', min: '1', max: '1440', inputmode: 'numeric', id: 'timer-min', class: 'num' });
  const setBtn = h('button', { type: 'button', class: 'btn btn-small', text: t('timer.startNew') });
  startBtn.addEventListener('click', () => {
    const it = currentItem(conn.state);
    if (it.timer.running) conn.send('timer.pause', { item: it.id });
    else if (it.timer.duration) conn.send('timer.start', { item: it.id });
    else if (Number(mins.value) > 0) conn.send('timer.start', { item: it.id, seconds: Math.round(Number(mins.value) * 60) });
  });
  resetBtn.addEventListener('click', () => conn.send('timer.reset', { item: currentItem(conn.state).id }));
  setBtn.addEventListener('click', () => {
    const m = Number(mins.value);
    if (m > 0) conn.send('timer.start', { item: currentItem(conn.state).id, seconds: Math.round(m * 60) });
  });
  const timerBox = h('div', { class: 'timer-box' }, timer,
    h('div', { class: 'btn-row' }, startBtn, resetBtn),
    h('div', { class: 'inline-form' }, h('label', { for: 'timer-min', text: t('timer.minutes') }), mins, setBtn));

  const dots = h('input', { type: 'number', min: '1', max: '20', inputmode: 'numeric', id: 'dots-n', class: 'num' });
  const multi = h('input', { type: 'checkbox', id: 'dots-multi' });
  const votingSave = h('button', { type: 'button', class: 'btn btn-small', text: t('common.save') });
  votingSave.addEventListener('click', () => {
    const it = currentItem(conn.state);
    const d = Number(dots.value);
    if (d >= 1 && (d !== it.dots || multi.checked !== it.multiDot)) conn.send('item.voting', { item: it.id, dots: d, multiDot: multi.checked });
  });
  const cast = h('p', { class: 'cast', role: 'status' });
  const reveal = h('button', { type: 'button', class: 'btn' });
  reveal.addEventListener('click', () => { const it = currentItem(conn.state); conn.send('item.reveal', { item: it.id, revealed: !it.revealed }); });
  const votingBox = h('div', { class: 'voting-box' },
    h('div', { class: 'inline-form' }, h('label', { for: 'dots-n', text: t('fac.dots') }), dots,
      h('span', { class: 'check' }, multi, h('label', { for: 'dots-multi', text: t('fac.multiDot') })), votingSave),
    cast, reveal);

  const notes = h('textarea', { id: 'notes', rows: '4', maxlength: '10000' });
  const notesSave = h('button', { type: 'button', class: 'btn btn-small', text: t('fac.notesSave') });
  const notesState = h('span', { class: 'muted small', role: 'status' });
  let notesItem = '', dirty = false;
  notes.addEventListener('input', () => { dirty = true; drafts.set(table, 'notes:' + notesItem, notes.value); setText(notesState, t('fac.notesUnsaved')); });
  notesSave.addEventListener('click', () => {
    const it = currentItem(conn.state);
    if (notes.value !== it.notes) conn.send('item.notes', { item: it.id, notes: notes.value });
    dirty = false; drafts.set(table, 'notes:' + it.id, '');
    setText(notesState, t('fac.notesSaving'));
  });
  const notesBox = h('div', { class: 'notes-box' },
    h('label', { for: 'notes', class: 'label-strong', text: t('fac.notes') }),
    h('p', { class: 'hint', text: t('fac.notesHint') }), notes, h('div', { class: 'btn-row' }, notesSave, notesState));

  el.append(title, presenter, question,
    h('div', { class: 'phase-row' }, phases, next),
    h('div', { class: 'controls' }, timerBox, votingBox), notesBox);

  const render = (s) => {
    const it = currentItem(s);
    el.hidden = !it;
    if (!it) return;
    setText(title, t('fac.current', { title: it.title }));
    setText(question, it.question); question.hidden = !it.question;
    setText(presenter, it.presenter); presenter.hidden = !it.presenter;
    phaseBtns.forEach((b, k) => b.setAttribute('aria-pressed', String(PHASES[k] === it.phase)));
    const k = PHASES.indexOf(it.phase);
    next.hidden = k === PHASES.length - 1;
    if (k < PHASES.length - 1) setText(next, t('fac.nextPhase', { phase: t(`phase.${PHASES[k + 1]}`) }));
    setText(startBtn, it.timer.running ? t('timer.pause') : it.timer.elapsed ? t('timer.resume') : t('timer.start'));
    startBtn.disabled = !it.timer.running && !it.timer.duration && !(Number(mins.value) > 0);
    if (document.activeElement !== mins && !mins.value) mins.value = it.timebox || '';
    if (document.activeElement !== dots) dots.value = it.dots;
    if (document.activeElement !== multi) multi.checked = it.multiDot;
    setText(cast, tn('fac.cast', it.cast, { people: fmtNum(s.participants.filter((p) => !p.removed).length) }));
    setText(reveal, it.revealed ? t('fac.hideResults') : t('fac.reveal'));
    reveal.setAttribute('aria-pressed', String(it.revealed));
    if (notesItem !== it.id) {
      notesItem = it.id;
      const d = drafts.get(table, 'notes:' + it.id);
      dirty = !!d && d !== it.notes;
      notes.value = dirty ? d : it.notes;
      setText(notesState, dirty ? t('fac.notesUnsaved') : '');
    } else if (!dirty && notes.value !== it.notes && document.activeElement !== notes) {
      notes.value = it.notes;
    }
    if (!dirty && notesState.textContent === t('fac.notesSaving') && notes.value === it.notes) setText(notesState, t('fac.notesSaved'));
    const closed = s.table.closed;
    for (const b of [...phaseBtns, next, startBtn, resetBtn, setBtn, votingSave, reveal]) b.disabled = b.disabled || closed;
    if (!closed) { for (const b of [...phaseBtns, next, resetBtn, setBtn, votingSave, reveal]) b.disabled = false; }
  };
  return { el, render, stop: () => timer.stop() };
}
