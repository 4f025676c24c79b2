// results.js: vote results: an idea's total, the ranking, where the dots
// came from, and the chart.
import { h } from './dom.js';
import { t, tn, fmtNum } from './i18n.js';
import { ideaSource, itemIdeas } from './model.js';
import { hyphenate } from './hyphenate.js';

/** total is an idea's participants' dots plus room dots. */
export function total(idea) {
  let n = idea.votes || 0;
  for (const d of Object.values(idea.roomDots || {})) n += d;
  return n;
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
      h('span', { class: 'result-text', text: screen ? hyphenate(i.text, s.table.lang) : i.text }),
      src && !screen ? h('span', { class: 'result-src', text: src }) : null,
      meter,
      h('span', { class: 'result-count', text: tn('results.dots', n) }),
      split && n > 0 ? splitLine(s, i) : null));
  }
  if (!list.length) ol.append(h('li', { class: 'empty', text: t('results.none') }));
  return ol;
}
