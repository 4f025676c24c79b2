// captions.js: the interpreter's live text (kirjoitustulkkaus) as captions:
// a band at the foot of the window with the last few lines, newest last,
// in large type. The lines are a polite live region (a log), so a screen
// reader or a braille display follows them too. While the band shows, the
// page keeps room for it at the bottom, and a focused control is never
// scrolled under it.
import { h, syncList, setText } from './dom.js';
import { t } from './i18n.js';

/** captionBand makes the band. lines is how many of the last lines show;
 * onHide, if given, adds a button that hides the band. */
export function captionBand({ screen = false, lines = 3, onHide = null } = {}) {
  const list = h('div', { class: 'caption-lines', role: 'log', 'aria-live': 'polite', 'aria-labelledby': 'captions-h' });
  const waiting = h('p', { class: 'caption-waiting', text: t('captions.waiting') });
  const head = h('div', { class: screen ? 'caption-head sr-only' : 'caption-head' }, h('h2', { id: 'captions-h', class: 'caption-h', text: t('captions.heading') }));
  if (onHide) {
    const hide = h('button', { type: 'button', class: 'btn btn-small caption-hide', text: t('captions.hide') });
    hide.addEventListener('click', onHide);
    head.append(hide);
  }
  const el = h('section', { class: screen ? 'captions captions-screen' : 'captions', 'aria-labelledby': 'captions-h', hidden: true }, head, list, waiting);
  const root = document.documentElement;
  // clip marks the lines when the oldest shown has lost its start above the
  // band (the newest words stay in view), so that the cut edge fades.
  const clip = () => {
    const first = list.firstElementChild;
    list.classList.toggle('clipped', !!first && first.getBoundingClientRect().top < list.getBoundingClientRect().top - 1);
  };
  // The room the band takes, for the page's bottom padding and scrolling.
  const ro = typeof ResizeObserver === 'function'
    ? new ResizeObserver(() => {
      root.style.setProperty('--captions-h', `${Math.ceil(el.getBoundingClientRect().height)}px`);
      clip();
    })
    : null;
  if (ro) ro.observe(el);
  let shown = false;

  /** render shows the last lines of s when on, and hides the band otherwise. */
  const render = (s, on) => {
    if (on !== shown) {
      shown = on;
      el.hidden = !on;
      root.classList.toggle('has-captions', on);
    }
    if (!on) return;
    const cs = (s.captions || []).slice(-lines);
    list.lang = s.table.lang || '';
    syncList(list, cs, (c) => `${c.at}|${c.text}`, () => h('p', { class: 'caption-line arrive' }), (li, c) => {
      setText(li, c.text);
      li.classList.toggle('latest', c === cs[cs.length - 1]);
    });
    waiting.hidden = cs.length > 0;
    clip();
  };
  const stop = () => {
    if (ro) ro.disconnect();
    root.classList.remove('has-captions');
    root.style.removeProperty('--captions-h');
  };
  return { el, render, stop };
}
