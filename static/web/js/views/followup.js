// The review of an earlier table's actions at the next table of a series:
// the facilitator marks each done, carried on (it becomes an action of this
// table) or dropped, with a note; participants and the room screen follow
// the review read-only while its agenda item is current.
import { h, setText, syncList, nextId, clear } from '../dom.js';
import { t, fmtDate } from '../i18n.js';
import { drafts } from '../store.js';
import { OUTCOMES } from '../enums.js';
import { byId } from '../model.js';
import { hyphenate } from '../hyphenate.js';
import { fmtAt } from './actions-common.js';

/** reviewing reports whether the current item reviews an earlier table's actions. */
export const reviewing = (s) => !!(s && s.followItem && s.current === s.followItem && (s.followUps || []).length);

/** reviewed counts the follow-ups with an outcome. */
export const reviewed = (s) => (s.followUps || []).filter((f) => f.outcome).length;

/** ownersText names an earlier action's owners, kept as text. */
export function ownersText(f) {
  const names = (f.owners || []).map((o) => (o.name && o.org ? `${o.name}, ${o.org}` : o.name || o.org || '')).filter(Boolean);
  return names.length ? names.join('; ') : t('action.noOwners');
}

/** sourceText says which earlier table (or tables) the actions come from. */
export function sourceText(s) {
  const seen = new Map();
  for (const f of s.followUps || []) if (!seen.has(f.table)) seen.set(f.table, f);
  return [...seen.values()].map((f) => (f.tableDate
    ? t('follow.fromDated', { title: f.tableTitle, date: fmtDate(f.tableDate, 'medium') })
    : t('follow.from', { title: f.tableTitle }))).join(' · ');
}

function facts(f) {
  // Each term and its value in a div (allowed in a dl), so that the room
  // screen can lay the pairs out in a row and keep each pair together.
  return h('dl', { class: 'action-facts' },
    h('div', {}, h('dt', { text: t('action.owners') }), h('dd', { text: ownersText(f) })),
    h('div', {}, h('dt', { text: t('action.due') }), h('dd', { text: f.due ? fmtDate(f.due, 'medium') : t('action.noDue') })),
    h('div', {}, h('dt', { text: t('follow.earlierStatus') }),
      h('dd', {}, h('span', { class: `status-tag st-${f.status}`, text: t(`status.action.${f.status || 'open'}`) }))),
    // The owner's report between the tables is where the review starts.
    f.update ? h('div', { class: 'fu-update' }, h('dt', { text: t('follow.update') }),
      h('dd', {}, h('span', { class: 'fu-update-when', text: fmtAt(f.update.at) }), f.update.note ? h('span', { class: 'fu-update-note', text: f.update.note }) : null)) : null);
}

const outcomeTag = (f) => h('span', { class: `outcome-tag oc-${f.outcome || 'none'}`, text: t(`follow.outcome.${f.outcome || 'none'}`) });

const carriedOn = (s, f) => !!(f.carried && byId(s.actions, f.carried));

/** followUpList is the read-only review for participants and the room screen. */
export function followUpList({ screen = false } = {}) {
  const hid = nextId('fu-h');
  const el = h('section', { class: screen ? 'screen-follow' : 'card follow', 'aria-labelledby': hid });
  const heading = h('h2', { id: hid, class: screen ? 'screen-sub' : null });
  const from = h('p', { class: screen ? 'screen-follow-from' : 'muted' });
  const intro = screen ? null : h('p', { class: 'small muted', text: t('follow.introReadOnly') });
  const list = h('ol', { class: 'follow-list' });
  el.append(...[heading, from, intro, list].filter(Boolean));
  const render = (s) => {
    el.hidden = !reviewing(s);
    if (el.hidden) return;
    setText(heading, `${t('follow.heading')} · ${t('follow.progress', { done: reviewed(s), total: s.followUps.length })}`);
    setText(from, sourceText(s));
    syncList(list, s.followUps, (f) => f.action, () => h('li', { class: 'fu fu-read' }), (li, f) => {
      const key = JSON.stringify([f, carriedOn(s, f)]);
      if (li.key === key) return;
      li.key = key;
      li.dataset.outcome = f.outcome || 'none';
      clear(li,
        h('p', { class: 'fu-title', text: screen ? hyphenate(f.title, s.table.lang) : f.title }),
        h('div', { class: 'fu-status' }, outcomeTag(f), carriedOn(s, f) ? h('span', { class: 'fu-carried', text: t('follow.carried') }) : null),
        facts(f),
        f.note ? h('p', { class: 'fu-note', text: f.note }) : null);
    });
  };
  return { el, render };
}

/** followUpPanel is the facilitator's review: an outcome and a note per action. */
export function followUpPanel(conn) {
  const el = h('section', { class: 'follow-panel', 'aria-labelledby': 'follow-h' });
  const heading = h('h3', { id: 'follow-h', class: 'panel-h' });
  const from = h('p', { class: 'muted small' });
  const list = h('ol', { class: 'follow-list' });
  el.append(heading, from, h('p', { class: 'hint', text: t('follow.intro') }), h('div', { class: 'scroll-panel follow-scroll' }, list));

  const pendingOutcome = (id) => {
    const ops = conn.pendingOps((o) => o.op === 'followup.mark' && o.action === id);
    return ops.length ? ops[ops.length - 1] : null;
  };

  const create = (f) => {
    const li = h('li', { class: 'fu' });
    const tid = nextId('fu'), nid = nextId('fun');
    const p = li.parts = {
      title: h('p', { class: 'fu-title', id: tid }), facts: h('div'), status: h('div', { class: 'fu-status' }),
      group: h('div', { class: 'segmented fu-outcomes', role: 'group' }),
      note: h('textarea', { id: nid, rows: '2', maxlength: '10000' }),
      save: h('button', { type: 'button', class: 'btn btn-small', text: t('follow.noteSave'), 'aria-describedby': tid }),
      saved: h('span', { class: 'muted small', role: 'status' }),
      carried: h('p', { class: 'fu-carried-line' }),
    };
    p.buttons = OUTCOMES.map((o) => {
      const b = h('button', { type: 'button', class: `seg seg-oc-${o}`, text: t(`follow.outcome.${o}`) });
      b.addEventListener('click', () => mark(o));
      p.group.append(b);
      return b;
    });
    const id = () => li.dataset.key;
    const current = () => byId(conn.state.followUps || [], id()) || f;
    const saved = drafts.get(conn.table, 'fu:' + f.action);
    if (saved) { p.note.value = saved; li.dirty = saved !== f.note; }
    p.note.addEventListener('input', () => {
      li.dirty = p.note.value !== current().note;
      drafts.set(conn.table, 'fu:' + id(), li.dirty ? p.note.value : '');
      render(conn.state);
    });
    const mark = (outcome) => {
      const cur = current(), pend = pendingOutcome(id());
      const note = li.dirty ? p.note.value : cur.note;
      const was = pend ? pend.outcome : cur.outcome, wasNote = pend ? pend.note : cur.note;
      if (outcome === was && note === wasNote) return;
      conn.send('followup.mark', { action: id(), outcome, note });
      li.dirty = false; drafts.set(conn.table, 'fu:' + id(), '');
      setText(p.saved, t('fac.notesSaving'));
    };
    p.save.addEventListener('click', () => {
      const cur = current(), pend = pendingOutcome(id());
      mark(pend ? pend.outcome : cur.outcome);
    });
    li.append(p.title, p.status, p.facts, p.group,
      h('div', { class: 'fu-note-box' },
        h('label', { for: nid, text: t('follow.note') }), p.note,
        h('div', { class: 'btn-row' }, p.save, p.saved)),
      p.carried);
    return li;
  };

  const render = (s) => {
    // Also when the follow-up item is gone from the agenda: the review must stay reachable.
    el.hidden = !(reviewing(s) || ((s.followUps || []).length && !byId(s.items, s.followItem)));
    if (el.hidden) return;
    setText(heading, `${t('follow.heading')} · ${t('follow.progress', { done: reviewed(s), total: s.followUps.length })}`);
    setText(from, sourceText(s));
    syncList(list, s.followUps, (f) => f.action, create, (li, f) => {
      const p = li.parts, pend = pendingOutcome(f.action);
      const outcome = pend ? pend.outcome : f.outcome;
      li.dataset.outcome = outcome || 'none';
      setText(p.title, f.title);
      if (li.factsKey !== JSON.stringify([f.owners, f.due, f.status, f.update])) {
        li.factsKey = JSON.stringify([f.owners, f.due, f.status, f.update]);
        clear(p.facts, facts(f));
      }
      clear(p.status, outcomeTag({ outcome }));
      p.group.setAttribute('aria-label', t('follow.outcomeFor', { title: f.title }));
      p.buttons.forEach((b, k) => b.setAttribute('aria-pressed', String(OUTCOMES[k] === outcome)));
      if (!li.dirty && document.activeElement !== p.note && p.note.value !== f.note) p.note.value = f.note;
      p.save.disabled = !li.dirty;
      if (li.dirty) setText(p.saved, t('fac.notesUnsaved'));
      else if (!pend && p.saved.textContent === t('fac.notesSaving')) setText(p.saved, t('fac.notesSaved'));
      else if (!pend && p.saved.textContent === t('fac.notesUnsaved')) setText(p.saved, '');
      const carried = carriedOn(s, f);
      p.carried.hidden = !carried;
      if (carried && !p.carried.firstChild) {
        p.carried.append(h('span', { text: t('follow.carried') + ' ' }), h('a', { href: '#actions-board', text: t('follow.carriedLink') }));
      }
    });
  };
  return { el, render };
}
