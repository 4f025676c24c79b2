// model.js: questions asked of the client's model of the table (the View
// that fold.js keeps): look-ups by id, people's names, where an idea came
// from, an item's ideas.
import { t } from './i18n.js';

export const byId = (list, id) => (list || []).find((x) => x.id === id);
export const currentItem = (s) => (s ? byId(s.items, s.current) : null);
/** forgotten: the person asked to be forgotten (GDPR erasure); their name
 * and organisation are gone, and what they gave stays anonymous. */
export const forgotten = (p) => !!p && p.removed && !p.name;
export const personName = (s, id) => { const p = byId(s.participants, id); return p ? (forgotten(p) ? t('idea.anonymous') : p.name) : t('person.unknown'); };

/** personLabel is "Name, Organisation". */
export function personLabel(s, id) {
  const p = byId(s.participants, id);
  if (!p) return t('person.unknown');
  if (forgotten(p)) return t('idea.anonymous');
  return p.org ? `${p.name}, ${p.org}` : p.name;
}

/** ideaSource says where an idea came from, never naming an anonymous author. */
export function ideaSource(s, idea, { screen = false } = {}) {
  if (idea.anonymous) return idea.mine ? t('idea.byYouAnon') : t('idea.anonymous');
  const parts = [];
  if (idea.group) { const g = byId(s.groups, idea.group); if (g) parts.push(g.name); }
  if (idea.onBehalf) parts.push(idea.onBehalf);
  if (idea.author && !screen) parts.push(idea.mine ? t('idea.byYou') : personLabel(s, idea.author));
  if (idea.paper) parts.push(t('idea.paper'));
  return parts.join(' · ');
}

/** itemIdeas are the item's plenary ideas that are neither merged nor
 * (optionally) hidden: a group's own ideas in group work stay in the
 * group (js/work.js); the plenary has the ideas the groups reported. */
export function itemIdeas(s, itemId, { hidden = false } = {}) {
  return s.ideas.filter((i) => i.item === itemId && !i.inGroup && !i.mergedInto && (hidden || !i.hidden));
}
