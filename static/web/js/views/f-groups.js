// The facilitator's overview of a running group work: every group at
// once (its members by sector, how many ideas it has, who called for
// help, highlighted), a message to all groups, and the end of the work
// (the report-back). People move between groups through each person's
// menu, or by dragging them onto another group; anyone not in a group is
// listed apart. "Avaa" opens a group live beside the overview (f-team.js).
import { h, setText, syncList, clear } from '../dom.js';
import { t, tn, fmtTime } from '../i18n.js';
import { byId } from '../model.js';
import { menuButton } from '../menu.js';
import { announce } from '../announce.js';
import { runningWork, teamOf, groupName, isRoomGroup, ideasCount, membersOf } from '../work.js';

export function groupsOverview(conn, { open }) {
  const el = h('section', { class: 'work-panel', 'aria-labelledby': 'work-h' });
  const heading = h('h3', { id: 'work-h', class: 'panel-h' });
  const facts = h('p', { class: 'muted small work-facts' });
  const msg = h('input', { type: 'text', id: 'work-msg', maxlength: '500', required: true });
  const send = h('button', { type: 'submit', class: 'btn btn-small', text: t('work.send') });
  const bform = h('form', { class: 'broadcast-form' }, h('label', { for: 'work-msg', class: 'small', text: t('work.message') }), h('div', { class: 'inline-form' }, msg, send));
  bform.addEventListener('submit', (e) => {
    e.preventDefault();
    const v = msg.value.trim();
    if (!v) return;
    conn.send('groups.broadcast', { text: v });
    msg.value = '';
  });
  const end = h('button', { type: 'button', class: 'btn btn-primary work-end', text: t('work.end') });
  end.addEventListener('click', () => { if (confirm(t('work.endConfirm'))) conn.send('groups.end', {}); });
  // Calls for help are announced as they come (below); the line shows who waits.
  const helpLine = h('p', { class: 'work-help-line' });
  const grid = h('ul', { class: 'team-grid', 'aria-labelledby': 'work-h' });
  const dragHint = h('p', { class: 'hint', text: t('work.dragHint') });
  el.append(h('div', { class: 'panel-head' }, h('div', { class: 'work-title' }, heading, facts), end), bform, helpLine,
    h('div', { class: 'scroll-panel work-scroll' }, grid, dragHint));

  let dragged = '';
  const move = (participant, group) => conn.send('group.move', { participant, group });

  // One person in a card: name and organisation, sector, online, the reporter's mark; a menu to move them.
  const createMember = () => {
    const li = h('li', { class: 'member', draggable: true });
    li.parts = { name: h('span', { class: 'member-name' }), org: h('span', { class: 'member-org' }), meta: h('span', { class: 'member-meta' }) };
    li.parts.menu = menuButton({ label: '⋯', cls: 'btn btn-small btn-menu btn-dots', items: () => {
      const s = conn.state, w = runningWork(s);
      if (!w) return [];
      const id = li.dataset.key, now = li.closest('.team-card').group;
      const p = byId(s.participants, id);
      const tv = teamOf(w, now);
      return [
        ...w.groups.filter((g) => g.group !== now).map((g) => ({ label: t('work.moveTo', { name: groupName(s, g.group) }), run: () => move(id, g.group) })),
        { label: t('work.moveOut'), run: () => move(id, ''), hidden: !now },
        { label: t('work.makeReporter'), run: () => conn.send('group.reporter', { group: now, participant: id }), hidden: !tv || tv.reporter === id || !p },
      ];
    } });
    li.append(h('span', { class: 'online-dot', 'aria-hidden': 'true' }), h('span', { class: 'member-text' }, li.parts.name, li.parts.org, li.parts.meta), li.parts.menu.el);
    li.addEventListener('dragstart', (e) => { dragged = li.dataset.key; e.dataTransfer.setData('text/plain', dragged); e.dataTransfer.effectAllowed = 'move'; li.classList.add('dragging'); });
    li.addEventListener('dragend', () => { li.classList.remove('dragging'); dragged = ''; });
    return li;
  };
  const updateMember = (s, tv) => (li, p) => {
    // The organisation on a line of its own, in smaller type.
    setText(li.parts.name, p.org ? `${p.name},` : p.name);
    setText(li.parts.org, p.org || '');
    li.parts.org.hidden = !p.org;
    const on = conn.online.has(p.id);
    li.classList.toggle('online', on);
    const bits = [t(`sector.${p.sector || 'other'}`)];
    if (tv && tv.reporter === p.id) bits.push(t('work.reporterTag'));
    if (!on) bits.push(t('people.offline'));
    setText(li.parts.meta, bits.join(' · '));
    li.classList.toggle('is-reporter', !!(tv && tv.reporter === p.id));
    li.parts.menu.button.setAttribute('aria-label', t('work.memberMenu', { name: p.name }));
  };

  const createCard = () => {
    const li = h('li', { class: 'team-card' });
    const p = li.parts = {
      name: h('h4', { class: 'team-name' }), kind: h('span', { class: 'team-kind' }), topic: h('p', { class: 'team-topic' }),
      stats: h('p', { class: 'team-stats' }), help: h('p', { class: 'team-help-tag', text: t('work.helpCalled') }),
      answer: h('button', { type: 'button', class: 'btn btn-small', text: t('work.answer') }),
      members: h('ul', { class: 'member-list' }), empty: h('p', { class: 'empty small' }),
      video: h('p', { class: 'team-video small' }),
      open: h('button', { type: 'button', class: 'btn btn-small team-open', text: t('work.open') }),
    };
    p.helpRow = h('div', { class: 'team-help' }, p.help, p.answer);
    p.answer.addEventListener('click', () => conn.send('group.help', { group: li.group, help: false }));
    p.open.addEventListener('click', () => open(li.group));
    // "Avaa" in the card's head: in view however many people the card lists.
    li.append(h('div', { class: 'team-head' }, h('div', { class: 'team-head-text' }, p.name, p.kind), p.open), p.topic, p.helpRow, p.stats, p.members, p.empty, p.video);
    li.addEventListener('dragover', (e) => { if (dragged) { e.preventDefault(); li.classList.add('drop'); } });
    li.addEventListener('dragleave', () => li.classList.remove('drop'));
    li.addEventListener('drop', (e) => {
      e.preventDefault(); li.classList.remove('drop');
      const who = e.dataTransfer.getData('text/plain') || dragged;
      const w = runningWork(conn.state);
      if (!who || !w) return;
      const from = (w.groups.find((g) => (g.members || []).includes(who)) || {}).group || '';
      if (from !== li.group) move(who, li.group);
    });
    return li;
  };

  // Help calls, announced as they come.
  let helping = new Set();
  const render = (s, selected) => {
    const w = runningWork(s);
    if (!w) return;
    const placed = new Set(w.groups.flatMap((g) => g.members || []));
    const unplaced = s.participants.filter((p) => !p.removed && !placed.has(p.id));
    setText(heading, tn('work.heading', w.groups.length));
    setText(facts, [t(w.private ? 'work.privateShort' : 'work.liveShort'), t(`work.place.${w.placement}`),
      w.dots ? tn('work.dotsShort', w.dots) : t('work.noDots'), tn('work.peopleShort', placed.size)].join(' · '));
    const calling = w.groups.filter((g) => g.help).map((g) => g.group);
    for (const g of calling) if (!helping.has(g)) announce(t('work.helpAnnounce', { name: groupName(s, g) }));
    helping = new Set(calling);
    setText(helpLine, calling.length ? t('work.helpLine', { names: calling.map((g) => groupName(s, g)).join(', ') }) : '');
    helpLine.hidden = !calling.length;
    // The people in no group come first while there are any: they wait to be placed.
    const cards = w.groups.map((g) => g.group);
    if (unplaced.length) cards.unshift('');
    else if (w.placement === 'manual' || w.placement === 'choice') cards.push('');
    syncList(grid, cards, (g) => g || '-', createCard, (li, g) => {
      const p = li.parts, tv = teamOf(w, g);
      li.group = g; // the card of people in no group has ""
      const room = g && isRoomGroup(s, g);
      const gr = byId(s.groups, g);
      setText(p.name, g ? groupName(s, g) : t('work.unplaced'));
      setText(p.kind, room ? t('work.roomKind') : '');
      p.kind.hidden = !room;
      setText(p.topic, gr && gr.topic ? gr.topic : '');
      p.topic.hidden = !(gr && gr.topic);
      li.classList.toggle('help', !!(tv && tv.help));
      li.classList.toggle('unplaced', !g);
      li.classList.toggle('selected', !!g && g === selected);
      p.helpRow.hidden = !(tv && tv.help);
      p.answer.setAttribute('aria-label', t('work.answerFor', { name: groupName(s, g) }));
      const members = g ? membersOf(s, tv) : unplaced;
      if (g) {
        const picked = (tv.picked || []).length;
        setText(p.stats, [tn('work.members', members.length), tn('work.ideas', ideasCount(conn, w, g)), picked ? tn('work.picked', picked) : ''].filter(Boolean).join(' · '));
      } else setText(p.stats, tn('work.members', members.length));
      syncList(p.members, members, (m) => m.id, createMember, updateMember(s, tv));
      setText(p.empty, g ? (room ? t('work.roomEmpty') : t('work.groupEmpty')) : t('work.nobodyUnplaced'));
      p.empty.hidden = members.length > 0;
      clear(p.video, tv && tv.video ? [t('work.videoSet') + ' ', h('a', { href: tv.video, target: '_blank', rel: 'noopener noreferrer', text: tv.video })] : null);
      p.video.hidden = !(tv && tv.video);
      p.open.hidden = !g;
      p.open.setAttribute('aria-label', t('work.openFor', { name: groupName(s, g) }));
      p.open.setAttribute('aria-pressed', String(!!g && g === selected));
    });
    dragHint.hidden = w.groups.length < 2;
    end.disabled = send.disabled = s.table.closed;
  };
  /** focusOpen puts the focus on a group's "Avaa" button (after its detail closes). */
  const focusOpen = (g) => { const li = [...grid.children].find((c) => c.group === g); if (li) li.parts.open.focus(); };
  return { el, render, focusOpen };
}

/** messagesList shows the broadcasts sent to the groups, newest first. */
export function messagesList(w) {
  const msgs = [...(w.messages || [])].reverse();
  if (!msgs.length) return h('p', { class: 'empty small', text: t('work.noMessages') });
  return h('ul', { class: 'message-list' }, msgs.map((m) => h('li', {},
    h('span', { class: 'muted small', text: fmtTime(m.at) + ' ' }), h('span', { class: 'message-text', text: m.text }))));
}
