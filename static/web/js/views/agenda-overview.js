// The agenda as a participant or scribe sees it: every item, the current one marked.
import { h, syncList, setText, clear } from '../dom.js';
import { t } from '../i18n.js';
import { itemBadge } from '../badges.js';

export function agendaOverview(conn) {
  const el = h('details', { class: 'card agenda-overview' });
  const summary = h('summary', { text: t('agenda.heading') });
  const list = h('ol', { class: 'agenda-list' });
  el.append(summary, list);
  const render = (s) => {
    syncList(list, s.items, (i) => i.id, () => {
      const li = h('li');
      li.parts = { title: h('span', { class: 'agenda-title' }), meta: h('span', { class: 'agenda-meta' }) };
      li.append(li.parts.title, li.parts.meta);
      return li;
    }, (li, it) => {
      setText(li.parts.title, it.title);
      const cur = it.id === s.current;
      li.classList.toggle('current', cur);
      if (cur) li.setAttribute('aria-current', 'step'); else li.removeAttribute('aria-current');
      clear(li.parts.meta, 
        cur ? h('span', { class: 'now-tag', text: t('agenda.now') }) : null,
        itemBadge(s, it),
        it.presenter ? h('span', { class: 'muted small', text: it.presenter }) : null,
        it.timebox ? h('span', { class: 'muted small', text: t('agenda.minutes', { n: it.timebox }) }) : null);
    });
  };
  return { el, render };
}
