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

/** timerView shows an item's countdown, updated every quarter second. */
export function timerView(conn, getItem, { big = false } = {}) {
  const el = h('div', { class: big ? 'timer timer-big' : 'timer', role: 'timer', 'aria-live': 'off' });
  const label = h('span', { class: 'timer-label', text: t('timer.label') });
  const value = h('span', { class: 'timer-value' });
  el.append(label, value);
  let warned = false;
  const tick = () => {
    const it = getItem();
    if (!it || !it.timer || !it.timer.duration) { el.hidden = true; return; }
    el.hidden = false;
    const ms = remaining(it.timer, conn.now());
    setText(value, fmtDuration(ms));
    el.dataset.state = !it.timer.running ? 'paused' : ms < 0 ? 'over' : ms < 60000 ? 'low' : 'running';
    el.setAttribute('aria-label', `${t('timer.label')}: ${fmtDuration(ms)}${it.timer.running ? '' : ' (' + t('timer.paused') + ')'}`);
    if (it.timer.running && ms < 0 && !warned) { warned = true; announce(t('timer.over')); }
    if (ms >= 0) warned = false;
  };
  tick();
  const iv = setInterval(tick, 250);
  el.stop = () => clearInterval(iv);
  return el;
}
