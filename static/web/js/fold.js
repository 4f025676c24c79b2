// fold.js applies one received event to the client's View. It mirrors the
// Go fold event by event ((*View).Fold in session/fold.go, and each event's
// fold method beside its data in session/), so that a view that starts
// from a snapshot and folds every later event equals the snapshot the
// server would send at that seq. me = {role, you}.

const byId = (list, id) => list.find((x) => x.id === id);

function seesTally(v, item, fac) {
  if (fac) return true;
  const it = byId(v.items, item);
  return !!(it && it.revealed);
}

function setMine(v, item, idea, n) {
  if (n <= 0) {
    const m = v.myVotes && v.myVotes[item];
    if (m) {
      delete m[idea];
      if (Object.keys(m).length === 0) delete v.myVotes[item];
    }
    if (v.myVotes && Object.keys(v.myVotes).length === 0) delete v.myVotes;
    return;
  }
  v.myVotes ??= {};
  v.myVotes[item] ??= {};
  v.myVotes[item][idea] = n;
}
const mineOf = (v, item, idea) => (v.myVotes && v.myVotes[item] && v.myVotes[item][idea]) || 0;

function insertIdea(v, iv) {
  let at = v.ideas.findIndex((i) => i.seq > iv.seq || (i.seq === iv.seq && (i.order || 0) > (iv.order || 0)));
  if (at < 0) at = v.ideas.length;
  v.ideas.splice(at, 0, iv);
}

function setRoomDots(i, group, n) {
  if (!n) {
    if (i.roomDots) {
      delete i.roomDots[group];
      if (Object.keys(i.roomDots).length === 0) delete i.roomDots;
    }
    return;
  }
  i.roomDots ??= {};
  i.roomDots[group] = n;
}

const clone = (o) => (o == null ? o : JSON.parse(JSON.stringify(o)));
const isZeroTime = (s) => !s || s.startsWith('0001-01-01');
const removeHand = (q, p) => q.filter((h) => h.participant !== p);

function addPeople(v, sector, n) {
  v.people ??= { total: 0, bySector: {} };
  v.people.bySector ??= {};
  v.people.total += n;
  v.people.bySector[sector] = (v.people.bySector[sector] || 0) + n;
  if (v.people.bySector[sector] <= 0) delete v.people.bySector[sector];
}

function insertParticipant(v, p) {
  let at = v.participants.findIndex((x) => x.seq > p.seq);
  if (at < 0) at = v.participants.length;
  v.participants.splice(at, 0, p);
}

const profile = (p) => {
  const c = { id: p.id, name: p.name || '', org: p.org || '', sector: p.sector || '', seq: p.seq || 0 };
  if (p.removed) c.removed = true;
  return c;
};

// foldNamed keeps the participant list of a view other than the
// facilitator's to exactly the people its content names, and the caller:
// profiles arrive with the events that first name someone, and people no
// longer named leave the list.
function foldNamed(v, event, d, me) {
  const profiles = [];
  switch (event) {
    case 'idea.added': case 'idea.hidden': case 'idea.approved': case 'action.owner.added': case 'hand.changed': case 'floor.given':
      if (d.profile) profiles.push(d.profile);
      break;
    case 'groups.started':
      profiles.push(...(d.profiles || []));
      break;
    case 'group.moved':
      if (d.profile) profiles.push(d.profile);
      if (d.content) profiles.push(...(d.content.members || []), ...(d.content.authors || []));
      break;
    case 'action.added':
      profiles.push(...(d.profiles || []));
      break;
  }
  for (const p of profiles) if (!byId(v.participants, p.id)) insertParticipant(v, profile(p));
  const named = new Set();
  for (const i of v.ideas) if (i.author) named.add(i.author);
  for (const a of v.actions) {
    named.add(a.proposedBy);
    for (const o of a.owners) named.add(o.participant);
  }
  for (const h of v.queue) named.add(h.participant);
  named.add(v.floor);
  const w = runningWork(v);
  const own = w && w.mine && team(w, w.mine);
  if (own) for (const p of own.members || []) named.add(p);
  v.participants = v.participants.filter((p) => named.has(p.id) || (me.role === 'participant' && p.id === me.you));
}

function ideaFrom(src, seq, me) {
  const iv = { id: src.id, item: src.item, text: src.text, seq, created: src.created };
  if (src.author) iv.author = src.author;
  if (src.anonymous) iv.anonymous = true;
  if (src.group) iv.group = src.group;
  if (src.onBehalf) iv.onBehalf = src.onBehalf;
  if (src.pending) iv.pending = true;
  if (src.inGroup) iv.inGroup = true;
  if (src.private) iv.private = true;
  if (src.origin) iv.origin = src.origin;
  if (src.paper) iv.paper = true;
  if (src.order) iv.order = src.order;
  const mine = me.role === 'participant' && !!src.author && src.author === me.you;
  if (mine) iv.mine = true;
  if (iv.anonymous && !mine) delete iv.author;
  return iv;
}

// Group work (session/groupwork.go, teams.go, workview.go).
const workOf = (v, item) => (v.work || []).find((w) => w.item === item);
const runningWork = (v) => (v.work || []).find((w) => w.running);
const team = (w, g) => (g ? w.groups.find((x) => x.group === g) : undefined);
const seesTeam = (w, me, g) => me.role === 'facilitator' || !w.private || (!!w.mine && w.mine === g);
const inGroup = (v, item, g) => { const w = workOf(v, item); return !!w && w.mine === g; };
const setOpt = (o, k, val) => { if (val) o[k] = val; else delete o[k]; };
function seenTeam(v, d, me) {
  const w = workOf(v, d.item);
  return w && seesTeam(w, me, d.group) ? team(w, d.group) : undefined;
}
// leaveGroup takes you out of your group: in a private work its content leaves your view.
function leaveGroup(v, w) {
  const old = w.mine;
  delete w.mine;
  if (!w.private || !old) return;
  const tv = team(w, old);
  if (tv) for (const k of Object.keys(tv)) if (k !== 'group' && k !== 'size') delete tv[k];
  v.ideas = v.ideas.filter((i) => !(i.inGroup && i.private && i.group === old && i.item === w.item));
}
// ideaFromWhole builds an IdeaView from a whole idea (restored, approved, a group's content).
function ideaFromWhole(r, me, tally) {
  const iv = ideaFrom(r, r.seq, me);
  if (r.hidden) iv.hidden = true;
  if (r.mergedInto) iv.mergedInto = r.mergedInto;
  if (r.merged && r.merged.length) iv.merged = [...r.merged];
  if (tally) {
    if (r.votes) iv.votes = r.votes;
    if (r.roomDots && Object.keys(r.roomDots).length) iv.roomDots = clone(r.roomDots);
    if (r.paperDots) iv.paperDots = r.paperDots;
  }
  if (!isZeroTime(r.edited)) iv.edited = r.edited;
  return iv;
}

const folds = {
  'table.created'(v, d, me) {
    const fac = me.role === 'facilitator';
    for (const k of Object.keys(v)) delete v[k];
    Object.assign(v, {
      seq: 0,
      table: { id: d.id, code: d.code, title: d.title, theme: d.theme || '', date: d.date || '', start: d.start || '', end: d.end || '',
        room: d.room || '', link: d.link || '', lang: d.lang || '', facilitators: [...(d.facilitators || [])],
        allowAnonymous: !!d.allowAnonymous, moderated: !!d.moderated, captionsOnScreen: false, captionsInMinutes: false, dots: d.dots || 0, multiDot: !!d.multiDot, locked: false, closed: false, created: d.created },
      items: (d.items || []).filter(Boolean).map(clone), current: '', participants: [], people: { total: 0, bySector: {} }, ideas: [], actions: [], queue: [], floor: '', groups: [],
    });
    if (v.items.length) v.current = v.items[0].id;
    // A table that continues a series: the earlier table's open actions under review.
    v.followUps = (d.followUps || []).filter(Boolean).map((f) => ({ ...clone(f), owners: clone(f.owners || []) }));
    if (d.followItem) v.followItem = d.followItem;
    if (fac && d.screenToken) v.screenToken = d.screenToken;
    if (fac && d.interpreterToken) v.interpreterToken = d.interpreterToken;
  },
  'table.edited'(v, d) {
    for (const k of ['title', 'theme', 'date', 'start', 'end', 'room', 'link', 'lang', 'allowAnonymous', 'dots', 'multiDot', 'moderated', 'captionsOnScreen', 'captionsInMinutes']) {
      if (k in d) v.table[k] = d[k];
    }
    if (d.facilitators) v.table.facilitators = [...d.facilitators];
  },
  'table.locked'(v, d) { v.table.locked = !!d.locked; },
  'table.closed'(v, d) {
    v.table.closed = !!d.closed;
    if (!d.closed) return;
    v.queue = []; v.floor = ''; delete v.floorSince;
    for (const p of d.paused || []) {
      const it = byId(v.items, p.item);
      if (it) it.timer = clone(p.timer);
    }
  },
  'participant.joined'(v, d, me, seq) {
    addPeople(v, d.sector, 1);
    const w = d.item ? workOf(v, d.item) : null;
    const self = me.role === 'participant' && me.you === d.id;
    const mate = !!(w && d.group && w.running && w.mine === d.group && d.name);
    if ((me.role === 'facilitator' || self || mate) && !byId(v.participants, d.id)) {
      insertParticipant(v, { id: d.id, name: d.name || '', org: d.org || '', sector: d.sector || '', seq });
    }
    if (!w || !d.group) return;
    if (self) w.mine = d.group;
    const tv = team(w, d.group);
    if (!tv) return;
    tv.size++;
    if (w.running && seesTeam(w, me, d.group) && !(tv.members || []).includes(d.id)) tv.members = [...(tv.members || []), d.id].sort();
  },
  'participant.updated'(v, d) {
    if (d.from) { addPeople(v, d.from, -1); addPeople(v, d.sector, 1); }
    const p = byId(v.participants, d.participant);
    if (p) Object.assign(p, { name: d.name || '', org: d.org || '', sector: d.sector || '' });
  },
  'participant.removed'(v, d, me) {
    addPeople(v, d.sector, -1);
    const w = d.item ? workOf(v, d.item) : null;
    if (w) {
      const tv = team(w, d.group);
      if (tv) {
        tv.size--;
        if (tv.members) { tv.members = tv.members.filter((p) => p !== d.participant); if (!tv.members.length) delete tv.members; }
        if (tv.reporter === d.participant) delete tv.reporter;
      }
      if (me.role === 'participant' && me.you === d.participant) leaveGroup(v, w);
    }
    const p = byId(v.participants, d.participant);
    if (!p) return;
    p.removed = true;
    v.queue = removeHand(v.queue, d.participant);
    if (v.floor === d.participant) { v.floor = ''; delete v.floorSince; }
  },
  'participant.forgotten'(v, d, me) {
    // Erased on request: removed (if not yet) and nameless everywhere.
    if (!d.removed) folds['participant.removed'](v, d, me);
    const p = byId(v.participants, d.participant);
    if (!p) return;
    p.name = ''; p.org = ''; p.removed = true;
  },
  'item.added'(v, d) {
    const idx = Math.min(Math.max(d.index || 0, 0), v.items.length);
    v.items.splice(idx, 0, clone(d.item));
    if (!v.current) v.current = d.item.id;
  },
  'item.edited'(v, d) {
    const it = byId(v.items, d.item);
    if (!it) return;
    for (const k of ['title', 'question', 'presenter']) if (k in d) it[k] = d[k];
    if ('timebox' in d) {
      it.timebox = d.timebox;
      if (!it.timer.running && !it.timer.elapsed) it.timer.duration = it.timebox * 60;
    }
  },
  'item.moved'(v, d) {
    const from = v.items.findIndex((it) => it.id === d.item);
    if (from < 0 || d.index < 0 || d.index >= v.items.length) return;
    const [it] = v.items.splice(from, 1);
    v.items.splice(d.index, 0, it);
  },
  'item.removed'(v, d) {
    const i = v.items.findIndex((it) => it.id === d.item);
    if (i < 0) return;
    v.items.splice(i, 1);
    if (v.myVotes) {
      delete v.myVotes[d.item];
      if (Object.keys(v.myVotes).length === 0) delete v.myVotes;
    }
    if (v.current === d.item) v.current = v.items.length ? v.items[Math.min(i, v.items.length - 1)].id : '';
  },
  'item.opened'(v, d) { if (byId(v.items, d.item)) v.current = d.item; },
  'item.phase'(v, d) { const it = byId(v.items, d.item); if (it) it.phase = d.phase; },
  'item.notes'(v, d) { const it = byId(v.items, d.item); if (it) it.notes = d.notes || ''; },
  'item.voting'(v, d) { const it = byId(v.items, d.item); if (it) { it.dots = d.dots; it.multiDot = !!d.multiDot; } },
  'timer.changed'(v, d) { const it = byId(v.items, d.item); if (it) it.timer = clone(d.timer); },
  'item.revealed'(v, d, me) {
    const it = byId(v.items, d.item);
    if (!it) return;
    it.revealed = !!d.revealed;
    if (me.role === 'facilitator') return;
    if (d.revealed) {
      for (const r of d.results || []) {
        const i = byId(v.ideas, r.idea);
        if (!i) continue;
        if (r.votes) i.votes = r.votes; else delete i.votes;
        if (r.roomDots && Object.keys(r.roomDots).length) i.roomDots = clone(r.roomDots); else delete i.roomDots;
        if (r.paperDots) i.paperDots = r.paperDots; else delete i.paperDots;
      }
      return;
    }
    for (const i of v.ideas) if (i.item === d.item && !i.inGroup) { delete i.votes; delete i.roomDots; delete i.paperDots; }
  },
  'groups.started'(v, d, me) {
    for (const g of d.new || []) {
      if (byId(v.groups, g.id)) continue;
      const gv = { id: g.id, name: g.name };
      if (g.topic) gv.topic = g.topic;
      if (g.online) gv.online = true;
      v.groups.push(gv);
    }
    if (workOf(v, d.item)) return;
    const w = { item: d.item, placement: d.placement, private: !!d.private, dots: d.dots || 0, running: true, started: d.started, groups: [], messages: [] };
    const members = d.members || {};
    if (me.role === 'participant' && members[me.you]) w.mine = members[me.you];
    else if (me.role === 'scribe' && (d.groups || []).includes(me.you)) w.mine = me.you;
    for (const g of d.groups || []) {
      const ids = Object.keys(members).filter((p) => members[p] === g).sort();
      const tv = { group: g, size: ids.length };
      if (seesTeam(w, me, g) && ids.length) tv.members = ids;
      w.groups.push(tv);
    }
    v.work ??= [];
    v.work.push(w);
  },
  'groups.broadcast'(v, d) {
    const w = workOf(v, d.item);
    if (!w) return;
    w.messages.push({ text: d.text, at: d.at });
    if (w.messages.length > 20) w.messages = w.messages.slice(-20);
  },
  'groups.ended'(v, d, me, seq) {
    const w = workOf(v, d.item);
    if (!w || !w.running) return;
    w.running = false; w.ended = d.ended;
    if (me.role !== 'facilitator') for (const tv of w.groups) delete tv.members;
    for (const r of d.reports || []) {
      const tv = team(w, r.group);
      if (!tv) continue;
      setOpt(tv, 'reporter', r.reporter); setOpt(tv, 'summary', r.summary); delete tv.help;
    }
    for (const i of d.ideas || []) {
      if (byId(v.ideas, i.id)) continue;
      insertIdea(v, ideaFrom(i, seq, me));
    }
  },
  'group.moved'(v, d, me) {
    const w = workOf(v, d.item);
    if (!w) return;
    const from = team(w, d.from);
    if (from) {
      from.size--;
      if (from.members) { from.members = from.members.filter((p) => p !== d.participant); if (!from.members.length) delete from.members; }
      if (from.reporter === d.participant) delete from.reporter;
    }
    const to = team(w, d.to);
    if (to) {
      to.size++;
      if (seesTeam(w, me, d.to) && !(to.members || []).includes(d.participant)) to.members = [...(to.members || []), d.participant].sort();
    }
    if (me.role !== 'participant' || me.you !== d.participant) return;
    leaveGroup(v, w);
    if (d.to) w.mine = d.to;
    const tv = team(w, d.to);
    const c = d.content;
    if (!tv || !c) return;
    tv.members = [d.participant, ...(c.members || []).map((p) => p.id)].sort();
    const tm = c.team || {};
    setOpt(tv, 'reporter', tm.reporter); setOpt(tv, 'summary', tm.summary); setOpt(tv, 'video', tm.video);
    if (tm.picked && tm.picked.length) tv.picked = [...tm.picked]; else delete tv.picked;
    if (tm.help) tv.help = true; else delete tv.help;
    for (const i of c.ideas || []) if (!byId(v.ideas, i.id)) insertIdea(v, ideaFromWhole(i, me, true));
  },
  'group.reporter'(v, d, me) { const tv = seenTeam(v, d, me); if (tv) setOpt(tv, 'reporter', d.participant); },
  'group.summary'(v, d, me) { const tv = seenTeam(v, d, me); if (tv) setOpt(tv, 'summary', d.summary); },
  'group.picked'(v, d, me) {
    const tv = seenTeam(v, d, me);
    if (!tv) return;
    const picked = (tv.picked || []).filter((id) => id !== d.idea);
    if (d.picked) picked.push(d.idea);
    if (picked.length) tv.picked = picked; else delete tv.picked;
  },
  'group.help'(v, d, me) { const tv = seenTeam(v, d, me); if (tv) { if (d.help) tv.help = true; else delete tv.help; } },
  'group.video'(v, d, me) { const tv = seenTeam(v, d, me); if (tv) setOpt(tv, 'video', d.link); },
  'idea.added'(v, d, me, seq) {
    // An idea that waits for review reaches only facilitators and its author.
    const mine = me.role === 'participant' && !!d.author && d.author === me.you;
    if (!d.idea || byId(v.ideas, d.idea) || (d.pending && me.role !== 'facilitator' && !mine)) return;
    insertIdea(v, ideaFrom({ ...d, id: d.idea }, seq, me));
  },
  'idea.edited'(v, d) {
    const i = byId(v.ideas, d.idea);
    if (i) { i.text = d.text; i.edited = d.edited; }
  },
  'idea.deleted'(v, d) { v.ideas = v.ideas.filter((i) => i.id !== d.idea); },
  'idea.hidden'(v, d, me) {
    if (me.role === 'facilitator') {
      const i = byId(v.ideas, d.idea);
      if (i) { if (d.hidden) { i.hidden = true; delete i.pending; } else delete i.hidden; }
      return;
    }
    if (d.hidden) { v.ideas = v.ideas.filter((i) => i.id !== d.idea); return; }
    const r = d.restored;
    if (!r || r.id !== d.idea || byId(v.ideas, r.id)) return;
    if (r.private && !inGroup(v, r.item, r.group)) return;
    insertIdea(v, ideaFromWhole(r, me, r.inGroup || seesTally(v, r.item, false)));
  },
  'idea.approved'(v, d, me) {
    const i = byId(v.ideas, d.idea);
    if (i) { delete i.pending; return; }
    const a = d.approved;
    if (!a || a.id !== d.idea || (a.hidden && me.role !== 'facilitator')) return;
    const iv = ideaFrom({ ...a, pending: false }, a.seq, me);
    if (a.hidden) iv.hidden = true;
    if (a.mergedInto) iv.mergedInto = a.mergedInto;
    if (a.merged && a.merged.length) iv.merged = [...a.merged];
    if (!isZeroTime(a.edited)) iv.edited = a.edited;
    insertIdea(v, iv);
  },
  'idea.merged'(v, d, me) {
    const n = mineOf(v, d.item, d.idea);
    if (n > 0) {
      setMine(v, d.item, d.into, mineOf(v, d.item, d.into) + n);
      setMine(v, d.item, d.idea, 0);
    }
    const src = byId(v.ideas, d.idea), dst = byId(v.ideas, d.into);
    if (!src || !dst) return;
    const children = src.merged || [];
    dst.merged = [...(dst.merged || []), src.id, ...children];
    for (const c of children) { const ci = byId(v.ideas, c); if (ci) ci.mergedInto = d.into; }
    src.mergedInto = d.into;
    delete src.merged; delete src.votes; delete src.roomDots; delete src.paperDots;
    if (dst.inGroup || seesTally(v, d.item, me.role === 'facilitator')) {
      if (d.votes) dst.votes = d.votes; else delete dst.votes;
      if (d.paperDots) dst.paperDots = d.paperDots; else delete dst.paperDots;
      if (d.roomDots && Object.keys(d.roomDots).length) dst.roomDots = clone(d.roomDots); else delete dst.roomDots;
    }
  },
  'vote.changed'(v, d, me) {
    const it = byId(v.items, d.item);
    if (it) it.cast = d.cast || 0;
    if (!d.idea) return;
    if (me.role === 'participant' && d.voter && d.voter === me.you) {
      setMine(v, d.item, d.idea, mineOf(v, d.item, d.idea) + d.delta);
    }
    if (d.group || seesTally(v, d.item, me.role === 'facilitator')) {
      const i = byId(v.ideas, d.idea);
      if (i) { if (d.votes) i.votes = d.votes; else delete i.votes; }
    }
  },
  'room.dots'(v, d, me) {
    const it = byId(v.items, d.item);
    if (it) it.cast = d.cast || 0;
    if (!d.idea) return;
    if (me.role === 'scribe' && d.group === me.you) setMine(v, d.item, d.idea, d.dots || 0);
    if (seesTally(v, d.item, me.role === 'facilitator')) {
      const i = byId(v.ideas, d.idea);
      if (i) setRoomDots(i, d.group, d.dots || 0);
    }
  },
  'group.added'(v, d, me) {
    if (byId(v.groups, d.group.id)) return;
    const g = { id: d.group.id, name: d.group.name };
    if (d.group.removed) g.removed = true;
    if (me.role === 'facilitator' && !g.removed && d.scribeToken) g.scribeToken = d.scribeToken;
    v.groups.push(g);
  },
  'facilitator.added'(v, d, me) {
    const f = d.facilitator;
    if (me.role !== 'facilitator' || !f || !f.id) return;
    v.coFacilitators ??= [];
    if (byId(v.coFacilitators, f.id)) return;
    const c = { id: f.id, name: f.name };
    if (d.token) c.token = d.token;
    v.coFacilitators.push(c);
  },
  'facilitator.removed'(v, d) {
    const f = byId(v.coFacilitators || [], d.facilitator);
    if (f) { f.removed = true; delete f.token; }
  },
  'ideas.imported'(v, d, me, seq) {
    const it = byId(v.items, d.item);
    if (it) it.cast = d.cast || 0;
    const tally = seesTally(v, d.item, me.role === 'facilitator');
    for (const i of d.ideas || []) if (!byId(v.ideas, i.id)) insertIdea(v, ideaFromWhole({ ...i, seq }, me, tally));
  },
  'action.linked'(v, d, me) {
    const l = d.link;
    if (me.role !== 'facilitator' || !l || !l.id) return;
    v.updateLinks ??= [];
    if (byId(v.updateLinks, l.id)) return;
    const lv = { id: l.id, action: l.action, label: l.label || '', created: l.created };
    if (l.revoked) lv.revoked = true;
    if (d.token) lv.token = d.token;
    v.updateLinks.push(lv);
  },
  'action.unlinked'(v, d) {
    const l = byId(v.updateLinks || [], d.link);
    if (l) { l.revoked = true; delete l.token; }
  },
  'action.updated'(v, d) {
    const a = byId(v.actions, d.action);
    if (!a) return;
    a.status = d.update.status;
    const u = { status: d.update.status, at: d.update.at, link: d.update.link || '' };
    if (d.update.note) u.note = d.update.note;
    a.updates = [...(a.updates || []), u];
  },
  'caption.added'(v, d) {
    const c = { text: d.text, at: d.at };
    if (d.item) c.item = d.item;
    v.captions = [...(v.captions || []), c].slice(-5);
  },
  'group.renamed'(v, d) { const g = byId(v.groups, d.group); if (g) g.name = d.name; },
  'group.removed'(v, d) { const g = byId(v.groups, d.group); if (g) { g.removed = true; delete g.scribeToken; } },
  'hand.changed'(v, d) {
    if (!d.raised) { v.queue = removeHand(v.queue, d.participant); return; }
    if (!v.queue.some((h) => h.participant === d.participant)) v.queue.push({ participant: d.participant, at: d.at });
  },
  'floor.given'(v, d) {
    v.floor = d.participant || '';
    if (d.participant) v.floorSince = d.at; else delete v.floorSince;
    v.queue = removeHand(v.queue, d.participant);
  },
  'queue.cleared'(v) { v.queue = []; },
  'action.added'(v, d) {
    if (byId(v.actions, d.action.id)) return;
    const a = clone(d.action);
    a.ideas ??= []; a.owners ??= [];
    v.actions.push(a);
  },
  'action.edited'(v, d) {
    const a = byId(v.actions, d.action);
    if (!a) return;
    for (const k of ['title', 'due', 'status', 'item']) if (k in d) a[k] = d[k];
  },
  'action.owner.added'(v, d) { const a = byId(v.actions, d.action); if (a) a.owners.push(clone(d.owner)); },
  'action.owner.removed'(v, d) { const a = byId(v.actions, d.action); if (a) a.owners = a.owners.filter((o) => o.id !== d.owner); },
  'action.removed'(v, d) { v.actions = v.actions.filter((a) => a.id !== d.action); },
  'followup.marked'(v, d) {
    for (const f of v.followUps || []) {
      if (f.action !== d.action) continue;
      f.outcome = d.outcome || ''; f.note = d.note || '';
      // Carrying on creates this table's action once.
      if (d.carried && !f.carried) {
        folds['action.added'](v, { action: d.carried });
        f.carried = d.carried.id;
      }
    }
  },
};

/** fold applies event message m ({seq, at, event, data}) to view v in place.
 * It returns false, leaving v unchanged, for an event it cannot fold. */
export function fold(v, m, me) {
  // Seqs rise; they may skip, since a private group's content does not
  // reach anyone outside the group.
  if (!(m.seq > v.seq)) return false;
  const f = folds[m.event];
  if (!f || !m.data) return false;
  f(v, m.data, me, m.seq);
  if (me.role !== 'facilitator') foldNamed(v, m.event, m.data, me);
  v.seq = m.seq;
  return true;
}

export const foldedEvents = Object.keys(folds);
