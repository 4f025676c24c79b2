// Group work on the room screen: while it runs, the groups, how far each
// has got (its number of ideas, from the progress everyone is told) and
// the facilitator's latest message, never a group's content; after the
// report-back, what each group brought to the plenary.
import { h, setText, syncList, clear } from '../dom.js';
import { t, tn } from '../i18n.js';
import { byId } from '../model.js';
import { hyphenate } from '../hyphenate.js';
import { workOf, groupName, isRoomGroup, latestMessage, groupReports } from '../work.js';

export function screenWork(conn) {
  const el = h('section', { class: 'screen-work', 'aria-labelledby': 'screen-work-h' });
  const heading = h('h2', { id: 'screen-work-h', class: 'screen-sub' });
  const message = h('p', { class: 'screen-message' });
  const tiles = h('ul', { class: 'screen-teams' });
  const reports = h('div', { class: 'screen-reports' });
  el.append(heading, message, tiles, reports);

  /** render shows the current item's group work; false when it has none to show. */
  const render = (s, it) => {
    const w = it ? workOf(s, it.id) : null;
    const show = !!w && (w.running || !it.revealed);
    el.hidden = !show;
    if (!show) return false;
    const lang = s.table.lang;
    el.lang = lang;
    tiles.hidden = !w.running;
    reports.hidden = w.running;
    if (w.running) {
      setText(heading, tn('screen.workRunning', w.groups.length));
      const msg = latestMessage(w);
      setText(message, msg ? hyphenate(msg.text, lang) : '');
      message.hidden = !msg;
      syncList(tiles, w.groups, (g) => g.group, () => {
        const li = h('li', { class: 'screen-team' });
        li.parts = { name: h('p', { class: 'screen-team-name' }), topic: h('p', { class: 'screen-team-topic' }), stats: h('p', { class: 'screen-team-stats' }) };
        li.append(li.parts.name, li.parts.topic, li.parts.stats);
        return li;
      }, (li, g) => {
        const gr = byId(s.groups, g.group);
        setText(li.parts.name, hyphenate(groupName(s, g.group), lang));
        setText(li.parts.topic, gr && gr.topic ? hyphenate(gr.topic, lang) : '');
        li.parts.topic.hidden = !(gr && gr.topic);
        const n = (conn.progress && conn.progress[g.group]) || 0;
        const people = isRoomGroup(s, g.group) && !g.size ? t('screen.roomTable') : tn('work.members', g.size);
        setText(li.parts.stats, `${people} · ${tn('work.ideas', n)}`);
      });
    } else {
      setText(heading, t('screen.workReports'));
      message.hidden = true;
      clear(reports, groupReports(s, w, { screen: true }));
    }
    return true;
  };
  return { el, render };
}
