// badges.js: short marks of where the table stands: an item's phase, a
// locked or closed table.
import { h } from './dom.js';
import { t } from './i18n.js';

/** phaseBadge names a phase. */
export function phaseBadge(phase) {
  return h('span', { class: `phase phase-${phase}`, text: t(`phase.${phase}`) });
}

/** tableBanner shows the table-wide state: locked or closed. */
export function tableBanner(s) {
  if (s.table.closed) return h('p', { class: 'banner banner-closed', role: 'note', text: t('table.closedNote') });
  if (s.table.locked) return h('p', { class: 'banner banner-locked', role: 'note', text: t('table.lockedNote') });
  return null;
}
