// badges.js: short marks of where the table stands: an item's phase (or
// that it reviews an earlier table's actions), a locked or closed table.
import { h } from './dom.js';
import { t } from './i18n.js';

/** phaseBadge names a phase. */
export function phaseBadge(phase) {
  return h('span', { class: `phase phase-${phase}`, text: t(`phase.${phase}`) });
}

/** isFollowItem reports whether the item reviews an earlier table's
 * actions: it has no idea, vote or action phases of its own. */
export const isFollowItem = (s, it) => !!(it && s.followItem && it.id === s.followItem && (s.followUps || []).length);

/** itemBadge names what an item is doing: its phase, or the follow-up. */
export function itemBadge(s, it) {
  return isFollowItem(s, it) ? h('span', { class: 'phase phase-followup', text: t('phase.followup') }) : phaseBadge(it.phase);
}

/** tableBanner shows the table-wide state: locked or closed. */
export function tableBanner(s) {
  if (s.table.closed) return h('p', { class: 'banner banner-closed', role: 'note', text: t('table.closedNote') });
  if (s.table.locked) return h('p', { class: 'banner banner-locked', role: 'note', text: t('table.lockedNote') });
  return null;
}
