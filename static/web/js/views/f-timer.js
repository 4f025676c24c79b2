// The facilitator's timer controls for the current item: start, pause and
// resume (key T), reset, and a new length in minutes.
import { h, setText } from '../dom.js';
import { t } from '../i18n.js';
import { currentItem } from '../model.js';
import { timerView } from '../timer.js';
import { keyHint } from '../shortcuts.js';

export function timerControls(conn) {
  const item = () => currentItem(conn.state);
  const view = timerView(conn, item, { big: true });
  const toggleBtn = keyHint(h('button', { type: 'button', class: 'btn btn-small timer-toggle' }), 't');
  const resetBtn = h('button', { type: 'button', class: 'btn btn-small btn-quiet', text: t('timer.reset') });
  const mins = h('input', { type: 'number', min: '1', max: '1440', inputmode: 'numeric', id: 'timer-min', class: 'num' });
  const setBtn = h('button', { type: 'submit', class: 'btn btn-small', text: t('timer.startNew') });
  const setForm = h('form', { class: 'inline-form timer-set-form' }, h('label', { for: 'timer-min', text: t('timer.minutes') }), mins, setBtn);
  const setBox = h('details', { class: 'timer-set' }, h('summary', { text: t('timer.set') }), setForm);
  const el = h('div', { class: 'timer-ctl' }, view, h('div', { class: 'btn-row timer-btns' }, toggleBtn, resetBtn, setBox));

  /** toggle starts, pauses or resumes the timer; false when it cannot. */
  const toggle = () => {
    const it = item();
    if (!it || conn.state.table.closed) return false;
    if (it.timer.running) conn.send('timer.pause', { item: it.id });
    else if (it.timer.duration) conn.send('timer.start', { item: it.id });
    else if (Number(mins.value) > 0) conn.send('timer.start', { item: it.id, seconds: Math.round(Number(mins.value) * 60) });
    else { setBox.open = true; mins.focus(); return false; }
    return true;
  };
  toggleBtn.addEventListener('click', toggle);
  resetBtn.addEventListener('click', () => conn.send('timer.reset', { item: item().id }));
  setForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const m = Number(mins.value);
    if (m > 0) { conn.send('timer.start', { item: item().id, seconds: Math.round(m * 60) }); setBox.open = false; }
  });

  let shownItem = '';
  const render = (s) => {
    const it = item();
    if (!it) return;
    if (shownItem !== it.id) { shownItem = it.id; mins.value = it.timebox || ''; }
    const tm = it.timer;
    setText(toggleBtn, tm.running ? t('timer.pause') : tm.elapsed ? t('timer.resume') : t('timer.start'));
    toggleBtn.classList.toggle('btn-primary', !tm.running && !!tm.duration && !tm.elapsed);
    resetBtn.hidden = !tm.running && !tm.elapsed;
    toggleBtn.hidden = !tm.duration;
    setText(setBox.querySelector('summary'), tm.duration ? t('timer.set') : t('timer.setNew'));
    for (const b of [toggleBtn, resetBtn, setBtn]) b.disabled = s.table.closed;
    view.tick();
  };
  return { el, render, toggle, stop: () => view.stop() };
}
