// presence.js: who is at the table, by sector.
import { h } from './dom.js';
import { t, tn, fmtNum } from './i18n.js';
import { SECTORS } from './enums.js';

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
