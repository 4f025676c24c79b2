// parts.js: small pieces shared by the views.
import { h, setText, clear } from './dom.js';
import { t, tn, LANGS, currentLang, setLang, fmtDuration, errorText, fmtNum } from './i18n.js';

export const SECTORS = ['municipality', 'wellbeing', 'association', 'business', 'resident', 'education', 'other'];
export const PHASES = ['collect', 'vote', 'actions', 'closed'];
export const STATUSES = ['open', 'in_progress', 'done'];

/** announce says something politely through the page's live region. */
export function announce(text) {
  const el = document.getElementById('announcer');
  if (!el) return;
  el.textContent = '';
  // A fresh text node after a tick is announced even when the text repeats.
  setTimeout(() => { el.textContent = text; }, 50);
}

/** toast shows a short message; errors also go to the assertive region. */
export function toast(text, kind = 'info') {
  const box = document.getElementById('toasts');
  if (!box) return;
  const el = h('div', { class: `toast toast-${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);
  box.append(el);
  setTimeout(() => el.remove(), kind === 'error' ? 8000 : 4000);
}

/** showRefusal turns a refused op into a translated message. */
export function showRefusal(err) { toast(errorText(err.code, err.kind), 'error'); }

/** statusPill shows the connection state and how many ops wait for the server. */
export function statusPill(conn) {
  const el = h('span', { class: 'status', role: 'status' });
  const dot = h('span', { class: 'status-dot', 'aria-hidden': 'true' });
  const label = h('span');
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
    LANGS.map((l) => h('option', { value: l, selected: l === currentLang(), lang: l, text: t(`lang.name.${l}`) })));
  sel.addEventListener('change', () => setLang(sel.value, true));
  return sel;
}

/** topBar is the header of every live view. */
export function topBar({ title, role, conn, extra = [] }) {
  return h('header', { class: 'bar' },
    h('div', { class: 'bar-brand' },
      h('a', { href: '/', class: 'brand', 'aria-label': t('brand.home') }, 'Pöytä'),
      role ? h('span', { class: 'role-tag', text: t(`role.${role}`) }) : null),
    h('p', { class: 'bar-title', text: title || '' }),
    h('div', { class: 'bar-tools' }, extra, conn ? statusPill(conn) : null, langSwitch()));
}

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

/** phaseBadge names a phase. */
export function phaseBadge(phase) {
  return h('span', { class: `phase phase-${phase}`, text: t(`phase.${phase}`) });
}

export const byId = (list, id) => (list || []).find((x) => x.id === id);
export const currentItem = (s) => (s ? byId(s.items, s.current) : null);
export const personName = (s, id) => { const p = byId(s.participants, id); return p ? p.name : t('person.unknown'); };

/** personLabel is "Name, Organisation". */
export function personLabel(s, id) {
  const p = byId(s.participants, id);
  if (!p) return t('person.unknown');
  return p.org ? `${p.name}, ${p.org}` : p.name;
}

/** ideaSource says where an idea came from, never naming an anonymous author. */
export function ideaSource(s, idea, { screen = false } = {}) {
  if (idea.anonymous) return idea.mine ? t('idea.byYouAnon') : t('idea.anonymous');
  const parts = [];
  if (idea.group) { const g = byId(s.groups, idea.group); if (g) parts.push(g.name); }
  if (idea.onBehalf) parts.push(idea.onBehalf);
  if (idea.author && !screen) parts.push(idea.mine ? t('idea.byYou') : personLabel(s, idea.author));
  return parts.join(' · ');
}

/** total is an idea's participants' dots plus room dots. */
export function total(idea) {
  let n = idea.votes || 0;
  for (const d of Object.values(idea.roomDots || {})) n += d;
  return n;
}

/** itemIdeas are the item's ideas that are neither merged nor (optionally) hidden. */
export function itemIdeas(s, itemId, { hidden = false } = {}) {
  return s.ideas.filter((i) => i.item === itemId && !i.mergedInto && (hidden || !i.hidden));
}

/** ranked orders ideas by total, ties in the order they were added. */
export function ranked(ideas) {
  return ideas.map((i, n) => ({ i, n, tot: total(i) })).sort((a, b) => b.tot - a.tot || a.n - b.n).map((x) => x.i);
}

/** hasRoomDots reports whether any of the ideas got dots from a room group. */
export const hasRoomDots = (ideas) => ideas.some((i) => i.roomDots && Object.keys(i.roomDots).length > 0);

/** dotSplit is where an idea's dots came from: the participants' dots and
 * each room group's, labelled by the group's name (removed groups keep
 * theirs). Groups follow the table's order, so each has a fixed colour. */
export function dotSplit(s, idea) {
  const parts = [{ key: 'p', cls: 'src-p', n: idea.votes || 0, label: t('results.split.participants', { n: fmtNum(idea.votes || 0) }) }];
  const rd = idea.roomDots || {};
  const order = (s.groups || []).map((g) => g.id);
  const ids = Object.keys(rd).sort((a, b) => (order.indexOf(a) >>> 0) - (order.indexOf(b) >>> 0));
  for (const g of ids) {
    const k = order.indexOf(g);
    const name = k >= 0 ? s.groups[k].name : t('results.split.unknownGroup');
    parts.push({ key: g, cls: `src-g${(k < 0 ? 0 : k) % 4}`, n: rd[g], label: t('results.split.group', { name, n: fmtNum(rd[g]) }) });
  }
  return parts;
}

/** splitLine names the sources of an idea's dots as text, with a colour key. */
export function splitLine(s, idea) {
  const parts = dotSplit(s, idea).filter((x, k) => k === 0 || x.n > 0);
  return h('span', { class: 'result-split' }, parts.map((x) => h('span', { class: 'split-part' },
    h('span', { class: `swatch ${x.cls}`, 'aria-hidden': 'true' }), x.label)));
}

/** resultsChart draws a ranked bar chart (an ordered list; bars are
 * decoration, the text says everything). When room groups counted dots,
 * each idea also shows its split by source, participants and each group
 * by name, and its bar is split the same way. */
export function resultsChart(s, itemId, { screen = false, limit = 0 } = {}) {
  let list = ranked(itemIdeas(s, itemId));
  if (limit) list = list.slice(0, limit);
  const max = Math.max(1, ...list.map(total));
  const split = hasRoomDots(list);
  const ol = h('ol', { class: split ? 'results results-split' : 'results' });
  for (const i of list) {
    const n = total(i);
    const meter = h('span', { class: 'meter', 'aria-hidden': 'true' });
    const segs = split ? dotSplit(s, i).filter((x) => x.n > 0) : [{ cls: '', n }];
    for (const x of segs) {
      const bar = h('span', { class: `meter-fill ${x.cls}`.trim() });
      bar.style.width = `${(x.n / max) * 100}%`;
      meter.append(bar);
    }
    const src = ideaSource(s, i, { screen });
    ol.append(h('li', { class: 'result' },
      h('span', { class: 'result-text', text: i.text }),
      src && !screen ? h('span', { class: 'result-src', text: src }) : null,
      meter,
      h('span', { class: 'result-count', text: tn('results.dots', n) }),
      split && n > 0 ? splitLine(s, i) : null));
  }
  if (!list.length) ol.append(h('li', { class: 'empty', text: t('results.none') }));
  return ol;
}

/** presenceChart shows who is at the table by sector. */
export function presenceChart(counts, { compact = false } = {}) {
  const by = counts.bySector || {};
  const max = Math.max(1, ...Object.values(by));
  const wrap = h('div', { class: 'presence' });
  wrap.append(h('p', { class: 'presence-total', text: tn('presence.online', counts.participants || 0) }));
  const ul = h('ul', { class: 'sectors' });
  for (const sec of SECTORS) {
    const n = by[sec] || 0;
    if (compact && !n) continue;
    const bar = h('span', { class: `meter-fill sector-${sec}`, 'aria-hidden': 'true' });
    bar.style.width = `${Math.round((n / max) * 100)}%`;
    ul.append(h('li', { class: 'sector' },
      h('span', { class: 'sector-name', text: t(`sector.${sec}`) }),
      h('span', { class: 'meter' }, bar),
      h('span', { class: 'sector-count', text: fmtNum(n) })));
  }
  wrap.append(ul);
  const extra = [];
  if (counts.facilitators) extra.push(tn('presence.facilitators', counts.facilitators));
  if (counts.scribes) extra.push(tn('presence.scribes', counts.scribes));
  if (counts.screens) extra.push(tn('presence.screens', counts.screens));
  if (extra.length) wrap.append(h('p', { class: 'muted small', text: extra.join(' · ') }));
  return wrap;
}

/** copyButton copies text to the clipboard and says so. */
export function copyButton(getText, label) {
  const b = h('button', { type: 'button', class: 'btn btn-small', text: label });
  b.addEventListener('click', async () => {
    const text = getText();
    try {
      await navigator.clipboard.writeText(text);
      toast(t('copy.done'));
    } catch {
      // Clipboard may be refused (no permission, not https): select the text instead.
      toast(t('copy.failed'), 'error');
    }
  });
  return b;
}

/** absolute turns a server path into a full URL of this site. */
export const absolute = (path) => new URL(path, location.origin).href;

/** banner shows the table-wide state: locked or closed. */
export function tableBanner(s) {
  if (s.table.closed) return h('p', { class: 'banner banner-closed', role: 'note', text: t('table.closedNote') });
  if (s.table.locked) return h('p', { class: 'banner banner-locked', role: 'note', text: t('table.lockedNote') });
  return null;
}

/** phaseAnnouncer announces new ideas and phase changes from events. */
export function watchAnnouncements(conn, { ideas = true } = {}) {
  return conn.on('event', (m) => {
    const s = conn.state;
    if (!s) return;
    const d = m.data;
    if (m.event === 'item.phase' && d.item === s.current) {
      announce(t('announce.phase', { phase: t(`phase.${d.phase}`) }));
    } else if (m.event === 'item.opened') {
      const it = byId(s.items, d.item);
      if (it) announce(t('announce.opened', { title: it.title }));
    } else if (m.event === 'idea.added' && ideas && d.item === s.current) {
      announce(t('announce.idea', { text: d.text }));
    } else if (m.event === 'item.revealed' && d.revealed && d.item === s.current) {
      announce(t('announce.revealed'));
    } else if (m.event === 'table.closed' && d.closed) {
      announce(t('table.closedNote'));
    } else if (m.event === 'floor.given' && d.participant) {
      announce(t('announce.floor', { name: personName(s, d.participant) }));
    }
  });
}

/** emptyNote is the friendly text of an empty list. */
export const emptyNote = (text) => h('p', { class: 'empty', text });

export { clear };
