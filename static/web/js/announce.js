// announce.js: what the screen reader hears: polite announcements, and the
// events of the table worth announcing.
import { t } from './i18n.js';
import { byId, personName } from './model.js';

/** announce says something politely through the page's live region. */
export function announce(text) {
  const el = document.getElementById('announcer');
  if (!el) return;
  el.textContent = '';
  // A fresh text node after a tick is announced even when the text repeats.
  setTimeout(() => { el.textContent = text; }, 50);
}

/** ownGroup: a group's idea is announced to its own members (and scribe)
 * only, never on the room screen, to the facilitators or to other groups
 * that see it in a live work. */
const ownGroup = (s, g) => (s.work || []).some((w) => w.running && w.mine && w.mine === g);

/** watchAnnouncements announces the events worth hearing: a new current
 * item, its phase, new ideas, revealed results, the floor, the closing. */
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
    } else if (m.event === 'idea.added' && ideas && d.item === s.current && (!d.inGroup || ownGroup(s, d.group))) {
      announce(t('announce.idea', { text: d.text }));
    } else if (m.event === 'item.revealed' && d.revealed && d.item === s.current) {
      announce(t('announce.revealed'));
    } else if (m.event === 'table.closed' && d.closed) {
      announce(t('table.closedNote'));
    } else if (m.event === 'action.updated' && d.update && d.update.link) {
      // An owner reported through their update link (facilitators only see the link).
      const a = byId(s.actions, d.action);
      if (a) announce(t('announce.update', { title: a.title, status: t(`status.action.${d.update.status}`) }));
    } else if (m.event === 'floor.given' && d.participant) {
      announce(t('announce.floor', { name: personName(s, d.participant) }));
    }
  });
}
