// work.js: questions asked of a table's group work (session/groupwork.go,
// docs/protocol.md §7.14): the running work, a group's part in it, its
// own ideas and members, and the groups' reports once the work has ended.
import { h } from './dom.js';
import { t, tn } from './i18n.js';
import { byId, ideaSource } from './model.js';
import { hyphenate } from './hyphenate.js';

export const workOf = (s, item) => (s && s.work || []).find((w) => w.item === item);
export const runningWork = (s) => (s && s.work || []).find((w) => w.running);
export const teamOf = (w, g) => (w && g ? w.groups.find((x) => x.group === g) : undefined);

/** groupName is a group's name (a removed or unknown group still says so). */
export function groupName(s, g) {
  const x = byId(s.groups, g);
  return x ? x.name : t('results.split.unknownGroup');
}

/** isRoomGroup: a table in the hall with a scribe, not a group made for people online. */
export const isRoomGroup = (s, g) => { const x = byId(s.groups, g); return !!x && !x.online; };

/** teamIdeaSource says where a group's idea came from, inside the group:
 * its author or the person a scribe named (the group goes without
 * saying), a room group's scribe, or a facilitator. */
export function teamIdeaSource(s, i) {
  return ideaSource(s, { ...i, group: '' }) || (isRoomGroup(s, i.group) ? groupName(s, i.group) : t('idea.byFacilitator'));
}

/** membersOf are a group's members whose names the view holds, in join order. */
export function membersOf(s, tv) {
  const ids = new Set((tv && tv.members) || []);
  return s.participants.filter((p) => ids.has(p.id));
}

/** groupIdeas are a group's own ideas in a work, in the order they came. */
export function groupIdeas(s, w, g, { hidden = false } = {}) {
  return s.ideas.filter((i) => i.inGroup && i.item === w.item && i.group === g && !i.mergedInto && (hidden || !i.hidden));
}

/** ideasCount is how many ideas a group has made: from the view when the
 * caller sees the group's ideas, else from the progress the server tells
 * everyone (counts, never content). */
export function ideasCount(conn, w, g) {
  const s = conn.state;
  if (conn.role === 'facilitator' || !w.private || w.mine === g) return groupIdeas(s, w, g).length;
  return (conn.progress && conn.progress[g]) || 0;
}

/** reportedIdeas are the plenary ideas a group brought from a work: the
 * item's ideas labelled with the group (merged ones live on in others). */
export function reportedIdeas(s, w, g) {
  return s.ideas.filter((i) => i.item === w.item && !i.inGroup && i.group === g && !i.mergedInto && !i.hidden && !i.pending);
}

/** latestMessage is the facilitator's last broadcast to the groups. */
export const latestMessage = (w) => (w && w.messages && w.messages.length ? w.messages[w.messages.length - 1] : null);

/** groupReports lists what each group of an ended work brought: its
 * summary and its ideas in the plenary. On the room screen the text is
 * hyphenated for large type and no person is named. */
export function groupReports(s, w, { screen = false } = {}) {
  const lang = s.table.lang;
  const text = (x) => (screen ? hyphenate(x, lang) : x);
  const ul = h('ul', { class: screen ? 'reports reports-screen' : 'reports' });
  for (const tv of w.groups) {
    // A group that picked nothing brings its summary as an idea: shown once.
    const ideas = reportedIdeas(s, w, tv.group).filter((i) => i.origin || !tv.summary || !tv.summary.startsWith(i.text.replace(/…$/, '')));
    const reporter = !screen && tv.reporter ? byId(s.participants, tv.reporter) : null;
    ul.append(h('li', { class: 'report' },
      h(screen ? 'h3' : 'h4', { class: 'report-name', text: text(groupName(s, tv.group)) }),
      reporter ? h('p', { class: 'muted small', text: t('work.reporterIs', { name: reporter.name }) }) : null,
      tv.summary ? h('p', { class: 'report-summary', lang, text: text(tv.summary) }) : null,
      ideas.length ? h('ul', { class: 'report-ideas', lang, 'aria-label': tn('work.reportIdeas', ideas.length, { name: groupName(s, tv.group) }) },
        ideas.map((i) => h('li', { text: text(i.text) }))) : null,
      !tv.summary && !ideas.length ? h('p', { class: 'empty small', text: t('work.reportEmpty') }) : null));
  }
  return ul;
}
