// Pieces of the action list shared by the participant and facilitator views.
import { h } from '../dom.js';
import { t, fmtDate, locale } from '../i18n.js';
import { byId, personName } from '../model.js';

/** ownerLabel names an owner: a person, an organisation, or a person for their organisation. */
export function ownerLabel(s, o) {
  if (o.participant && o.org) return t('action.ownerFor', { name: personName(s, o.participant), org: o.org });
  if (o.participant) return personName(s, o.participant);
  return o.org || '';
}

/** fmtAt formats an RFC 3339 instant (an update's) as a local date and time. */
export function fmtAt(iso) {
  const d = new Date(iso);
  if (isNaN(d)) return '';
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

/** statusText names an action's status, or the tracker's "dropped". */
export const statusText = (st) => (st === 'dropped' ? t('follow.outcome.dropped') : t(`status.action.${st || 'open'}`));

/** actionFacts is the "who · when · status" line of an action. */
export function actionFacts(s, a) {
  const owners = a.owners.map((o) => ownerLabel(s, o));
  return h('dl', { class: 'action-facts' },
    h('dt', { text: t('action.owners') }),
    h('dd', { text: owners.length ? owners.join(', ') : t('action.noOwners') }),
    h('dt', { text: t('action.due') }),
    h('dd', { text: a.due ? fmtDate(a.due, 'medium') : t('action.noDue') }),
    h('dt', { text: t('action.status') }),
    h('dd', {}, h('span', { class: `status-tag st-${a.status}`, text: t(`status.action.${a.status}`) })));
}

/** actionOpen reports whether participants may act on an action now. */
export function actionOpen(s, a) {
  if (s.table.closed || s.table.locked) return false;
  const it = byId(s.items, a.item || s.current);
  return !!it && it.phase === 'actions';
}

/** ideasOf names the ideas an action came from. */
export function ideasOf(s, a) {
  return a.ideas.map((id) => byId(s.ideas, id)).filter(Boolean).map((i) => i.text);
}
