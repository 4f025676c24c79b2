// timer.js: an agenda item's countdown.
import { h, setText } from './dom.js';
import { t, fmtDuration } from './i18n.js';
import { announce } from './announce.js';

/** remaining is the timer's remaining milliseconds at the server's now. */
export function remaining(timer, now) {
  let ms = timer.duration * 1000 - (timer.elapsed || 0);
  if (timer.running) ms -= now - Date.parse(timer.startedAt);
  return ms;
}

/** timerView shows an item's countdown, updated every quarter second. A
 * timer that has never run says so ("Aikaa varattu 50:00 · ei
 * käynnissä"), and a paused one that it is paused: a bare 50:00 would
 * read as if time were running out. */
export function timerView(conn, getItem, { big = false } = {}) {
  const el = h('div', { class: big ? 'timer timer-big' : 'timer', role: 'timer', 'aria-live': 'off' });
  const label = h('span', { class: 'timer-label' });
  const value = h('span', { class: 'timer-value' });
  const state = h('span', { class: 'timer-state' });
  el.append(label, value, state);
  let warned = false;
  let lastMinute = false;
  const tick = () => {
    const it = getItem();
    if (!it || !it.timer || !it.timer.duration) { el.hidden = true; return; }
    el.hidden = false;
    const tm = it.timer;
    const idle = !tm.running && !tm.elapsed;
    const ms = remaining(tm, conn.now());
    const st = idle ? 'idle' : !tm.running ? 'paused' : ms < 0 ? 'over' : ms < 60000 ? 'low' : 'running';
    setText(label, idle ? t('timer.planned') : t('timer.label'));
    setText(value, fmtDuration(ms));
    setText(state, idle ? t('timer.notRunning') : st === 'paused' ? t('timer.paused') : '');
    state.hidden = !state.textContent;
    el.dataset.state = st;
    el.setAttribute('aria-label', `${label.textContent}: ${fmtDuration(ms)}${state.textContent ? ' (' + state.textContent + ')' : ''}`);
    if (tm.running && ms < 0 && !warned) { warned = true; announce(t('timer.over')); }
    if (ms >= 0) warned = false;
    // The last minute is told once as it starts (WCAG 4.1.3: a status
    // message, heard without moving the focus).
    if (tm.running && ms >= 0 && ms < 60000 && !lastMinute) { lastMinute = true; announce(t('timer.lastMinute')); }
    if (ms >= 60000 || !tm.running) lastMinute = false;
  };
  tick();
  const iv = setInterval(tick, 250);
  el.stop = () => clearInterval(iv);
  el.tick = tick;
  return el;
}
