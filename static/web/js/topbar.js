// topbar.js: the header of every live view: the brand, the role, the
// table's title, the connection state and the language switch.
import { h, setText } from './dom.js';
import { t, tn, currentLang, setLang, uiLangs, htmlLang } from './i18n.js';

/** statusPill shows the connection state and how many ops wait for the server. */
export function statusPill(conn) {
  const el = h('span', { class: 'status', role: 'status' });
  const dot = h('span', { class: 'status-dot', 'aria-hidden': 'true' });
  const label = h('span', { class: 'status-text' });
  el.append(dot, label);
  const update = () => {
    const s = conn.status;
    el.dataset.state = s;
    const n = conn.pending.length;
    let text = t(`status.${s}`);
    if (n && s !== 'closed') text += ' · ' + tn('status.unsent', n);
    setText(label, text);
  };
  update();
  conn.on('status', update);
  conn.on('state', update);
  return el;
}

/** langSwitch lets each person pick their language; the view is rebuilt. */
export function langSwitch() {
  const sel = h('select', { class: 'lang', 'aria-label': t('lang.choose') },
    uiLangs().map((l) => h('option', { value: l, selected: l === currentLang(), lang: htmlLang(l), text: t(`lang.name.${l}`) })));
  sel.addEventListener('change', () => setLang(sel.value, true));
  return sel;
}

/** topBar is the header of every live view. A compact bar (a
 * participant's phone) is one row: the brand, the connection and the
 * language; the page itself names the table. */
export function topBar({ title, role, conn, extra = [], compact = false, heading = false }) {
  const titleEl = heading ? h('h1', { class: 'bar-title fac-title', text: title || '' }) : h('p', { class: 'bar-title', text: title || '' });
  return h('header', { class: compact ? 'bar bar-compact' : 'bar' },
    h('div', { class: 'bar-brand' },
      h('a', { href: '/', class: 'brand', 'aria-label': t('brand.home') }, 'Pöytä'),
      role ? h('span', { class: 'role-tag', text: t(`role.${role}`) }) : null),
    compact ? null : titleEl,
    h('div', { class: 'bar-tools' }, extra, conn ? statusPill(conn) : null, langSwitch()));
}
