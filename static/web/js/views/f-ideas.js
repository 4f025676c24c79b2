// The facilitator's ideas of the current item. While collecting: the
// incoming ideas, newest first, each with one menu (edit, hide, merge,
// make an action), merging also by dragging one idea onto another, and
// ideas added on behalf of someone in the room. From the vote on: the same
// ideas ranked by their dots, which is the only place the results show.
import { h, setText, syncList, nextId, field, clear } from '../dom.js';
import { t, tn, fmtNum } from '../i18n.js';
import { bindDraft } from '../store.js';
import { currentItem, ideaSource, byId } from '../model.js';
import { total, ranked, dotSplit } from '../results.js';
import { menuButton } from '../menu.js';
import { toast } from '../toast.js';

const short = (s, n = 60) => (s.length > n ? s.slice(0, n - 1) + '…' : s);

/** ideasPanel lists the current item's ideas. onAction(idea) is called when
 * an idea becomes an action, so that the board can take the focus. */
export function ideasPanel(conn, table, { onAction } = {}) {
  const el = h('section', { class: 'ideas-panel', 'aria-labelledby': 'fideas-h' });
  const heading = h('h3', { id: 'fideas-h', class: 'panel-h' });
  const note = h('p', { class: 'hint ideas-note' });

  const text = h('textarea', { rows: '2', maxlength: '1000', required: true });
  const clearDraft = bindDraft(text, table, 'behalf');
  const who = h('input', { type: 'text', maxlength: '80' });
  const group = h('select', {});
  const groupField = field(t('fac.behalfGroup'), group);
  const addForm = h('form', { class: 'behalf-form' },
    field(t('fac.behalfText'), text),
    h('div', { class: 'row2' }, field(t('fac.behalfWho'), who, t('fac.behalfWhoHint')), groupField),
    h('button', { type: 'submit', class: 'btn btn-primary btn-small', text: t('fac.behalfAdd') }));
  const addBox = h('details', { class: 'behalf' }, h('summary', { text: t('fac.behalfHeading') }), addForm);
  addForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const it = currentItem(conn.state);
    const v = text.value.trim();
    if (!it || !v) return;
    const op = { item: it.id, text: v };
    if (who.value.trim()) op.onBehalf = who.value.trim();
    if (group.value) op.group = group.value;
    conn.send('idea.add', op);
    clearDraft();
    text.focus();
  });

  // Pre-moderation: participants' new ideas wait here until approved or hidden.
  const reviewH = h('h4', { id: 'review-h', class: 'review-h' });
  const reviewList = h('ul', { class: 'review-list', 'aria-labelledby': 'review-h' });
  const review = h('section', { class: 'review', 'aria-labelledby': 'review-h' }, reviewH,
    h('p', { class: 'hint', text: t('review.hint') }), reviewList);
  const list = h('ol', { class: 'idea-list mod-list', 'aria-labelledby': 'fideas-h' });
  const empty = h('p', { class: 'empty', text: t('fac.noIdeas') });
  const dragHint = h('p', { class: 'hint drag-hint', text: t('fac.dragHint') });
  const scroller = h('div', { class: 'scroll-panel ideas-scroll' }, review, list, empty, dragHint);
  el.append(h('div', { class: 'panel-head' }, heading, addBox), note, scroller);

  let mode = 'collect';
  let dragged = '';
  const idea = (id) => byId(conn.state.ideas, id);

  /** makeAction turns an idea into an action, with its owner when one was chosen. */
  const makeAction = (i, owner) => {
    const op = { item: i.item, title: short(i.text, 300), ideas: [i.id] };
    if (owner) op.owners = [owner];
    conn.send('action.add', op);
    if (onAction) onAction(i);
    else toast(t('fac.actionMade'));
  };
  // Who will do it, chosen as the action is made: one step for the common case.
  const ownerChoices = (i) => {
    const people = conn.state.participants.filter((x) => !x.removed);
    const names = new Map();
    for (const x of people) names.set(x.name, (names.get(x.name) || 0) + 1);
    return [{ label: t('fac.noOwnerYet'), run: () => makeAction(i) },
      ...people.map((x) => ({ label: names.get(x.name) > 1 && x.org ? `${x.name}, ${x.org}` : x.name, run: () => makeAction(i, { participant: x.id }) }))];
  };

  const startEdit = (li) => {
    const i = idea(li.dataset.key);
    if (!i || li.editing) return;
    const p = li.parts;
    const ta = h('textarea', { rows: '3', maxlength: '1000', 'aria-label': t('idea.editLabel') });
    ta.value = i.text;
    const cancel = h('button', { type: 'button', class: 'btn btn-small', text: t('common.cancel') });
    const f = h('form', { class: 'edit-form' }, ta, h('div', { class: 'btn-row' }, h('button', { type: 'submit', class: 'btn btn-primary btn-small', text: t('common.save') }), cancel));
    const done = () => { f.remove(); li.editing = false; p.text.hidden = false; p.side.hidden = false; p.menu.button.focus(); };
    f.addEventListener('submit', (e) => { e.preventDefault(); const v = ta.value.trim(); if (v && v !== i.text) conn.send('idea.edit', { idea: i.id, text: v }); done(); });
    cancel.addEventListener('click', done);
    ta.addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.preventDefault(); done(); } });
    li.editing = true; p.text.hidden = true; p.side.hidden = true;
    p.text.after(f); ta.focus();
  };

  // Merging by the menu: the other ideas of the item, one button each.
  const startMerge = (li) => {
    const i = idea(li.dataset.key);
    if (!i || li.editing) return;
    const p = li.parts;
    const others = conn.state.ideas.filter((o) => o.item === i.item && o.id !== i.id && !o.inGroup && !o.mergedInto && !o.hidden && !o.pending);
    const lid = nextId('merge');
    const cancel = h('button', { type: 'button', class: 'btn btn-small', text: t('common.cancel') });
    const done = () => { f.remove(); li.editing = false; p.side.hidden = false; p.menu.button.focus(); };
    const targets = h('ul', { class: 'merge-targets', 'aria-labelledby': lid }, others.map((o) => {
      const b = h('button', { type: 'button', class: 'merge-target', text: o.text });
      b.addEventListener('click', () => { conn.send('idea.merge', { idea: i.id, into: o.id }); li.editing = false; f.remove(); p.side.hidden = false; });
      return h('li', {}, b);
    }));
    const f = h('div', { class: 'merge-form', role: 'group', 'aria-labelledby': lid },
      h('p', { class: 'label-strong', id: lid, text: t('fac.mergeInto') }), targets, h('div', { class: 'btn-row' }, cancel));
    f.addEventListener('keydown', (e) => {
      const bs = [...targets.querySelectorAll('button')], k = bs.indexOf(document.activeElement);
      if (e.key === 'Escape') { e.preventDefault(); done(); }
      else if (e.key === 'ArrowDown' && k >= 0) { e.preventDefault(); bs[(k + 1) % bs.length].focus(); }
      else if (e.key === 'ArrowUp' && k >= 0) { e.preventDefault(); bs[(k - 1 + bs.length) % bs.length].focus(); }
    });
    cancel.addEventListener('click', done);
    li.editing = true; p.side.hidden = true;
    li.append(f);
    (targets.querySelector('button') || cancel).focus();
  };

  const create = () => {
    const li = h('li', { class: 'idea mod', draggable: true });
    const tid = nextId('fi');
    const p = li.parts = {
      text: h('p', { class: 'idea-text', id: tid }), src: h('p', { class: 'idea-src' }),
      tallyRow: h('div', { class: 'tally-row' }), meter: h('span', { class: 'meter', 'aria-hidden': 'true' }),
      tally: h('p', { class: 'idea-tally' }), merged: h('ul', { class: 'merged-list' }),
    };
    p.actionMenu = menuButton({ label: t('fac.toActionShort'), cls: 'btn btn-small btn-menu to-action', items: () => {
      const i = idea(li.dataset.key);
      return i ? ownerChoices(i) : [];
    } });
    p.action = p.actionMenu.button;
    p.tallyRow.append(p.meter, p.tally);
    p.menu = menuButton({ label: '⋯', cls: 'btn btn-small btn-menu btn-dots', items: () => {
      const i = idea(li.dataset.key);
      if (!i) return [];
      const s = conn.state;
      const visible = s.ideas.filter((o) => o.item === i.item && !o.inGroup && !o.mergedInto && !o.hidden && !o.pending).length;
      return [
        { label: t('common.edit'), run: () => startEdit(li), keepFocus: true },
        { label: i.hidden ? t('fac.unhide') : t('fac.hide'), run: () => conn.send(i.hidden ? 'idea.unhide' : 'idea.hide', { idea: i.id }) },
        { label: t('fac.merge'), run: () => startMerge(li), hidden: !!i.hidden || visible < 2, keepFocus: true },
        { label: t('fac.toAction'), run: () => makeAction(i), hidden: mode === 'actions' || !!i.hidden },
      ];
    } });
    p.side = h('div', { class: 'idea-side' }, p.actionMenu.el, p.menu.el);
    p.rank = h('span', { class: 'rank' });
    p.body = h('div', { class: 'idea-body' }, p.text, p.src, p.tallyRow, p.merged);
    p.main = h('div', { class: 'idea-main' }, p.rank, p.body);
    li.append(p.main, p.side);
    const id = () => li.dataset.key;
    li.addEventListener('dragstart', (e) => { dragged = id(); e.dataTransfer.setData('text/plain', dragged); e.dataTransfer.effectAllowed = 'move'; li.classList.add('dragging'); });
    li.addEventListener('dragend', () => { li.classList.remove('dragging'); dragged = ''; });
    li.addEventListener('dragover', (e) => { if (dragged && dragged !== id()) { e.preventDefault(); li.classList.add('drop'); } });
    li.addEventListener('dragleave', () => li.classList.remove('drop'));
    li.addEventListener('drop', (e) => {
      e.preventDefault(); li.classList.remove('drop');
      const src = e.dataTransfer.getData('text/plain') || dragged;
      if (src && src !== id()) conn.send('idea.merge', { idea: src, into: id() });
    });
    return li;
  };

  // After a review the focus goes to the next idea waiting, so that a queue
  // is worked through from the keyboard.
  const reviewed = (li, op) => {
    const next = li.nextElementSibling || li.previousElementSibling;
    conn.send(op, { idea: li.dataset.key });
    if (next) next.parts.approve.focus();
    else heading.focus();
  };
  const createReview = () => {
    const li = h('li', { class: 'review-item' });
    const tid = nextId('rv');
    li.parts = {
      text: h('p', { class: 'idea-text', id: tid }), src: h('p', { class: 'idea-src' }),
      approve: h('button', { type: 'button', class: 'btn btn-small btn-primary', text: t('review.approve'), 'aria-describedby': tid }),
      hide: h('button', { type: 'button', class: 'btn btn-small', text: t('review.hide'), 'aria-describedby': tid }),
    };
    li.parts.approve.addEventListener('click', () => reviewed(li, 'idea.approve'));
    li.parts.hide.addEventListener('click', () => reviewed(li, 'idea.hide'));
    li.append(h('div', { class: 'review-text' }, li.parts.text, li.parts.src), h('div', { class: 'btn-row' }, li.parts.approve, li.parts.hide));
    return li;
  };
  heading.setAttribute('tabindex', '-1');

  let groupsKey = '';
  /** render shows the item's ideas; m is 'collect', 'vote' or 'actions'. */
  const render = (s, m) => {
    mode = m;
    const it = currentItem(s);
    if (!it) return;
    const live = s.groups.filter((g) => !g.removed && !g.online);
    const gk = live.map((g) => g.id + g.name).join();
    if (gk !== groupsKey) {
      groupsKey = gk;
      const v = group.value;
      clear(group, h('option', { value: '', text: t('fac.behalfNoGroup') }), live.map((g) => h('option', { value: g.id, text: g.name })));
      group.value = v;
    }
    groupField.hidden = !live.length;
    const collecting = mode === 'collect';
    addBox.hidden = s.table.closed || !collecting;
    const waiting = s.ideas.filter((i) => i.item === it.id && i.pending && !i.hidden && !i.mergedInto && !i.inGroup);
    review.hidden = !waiting.length;
    setText(reviewH, tn('review.heading', waiting.length));
    syncList(reviewList, waiting, (i) => i.id, createReview, (li, i) => {
      setText(li.parts.text, i.text);
      setText(li.parts.src, ideaSource(s, i) || t('idea.byFacilitator'));
      li.parts.approve.disabled = li.parts.hide.disabled = s.table.closed;
    });
    // A group's own ideas stay in the group overview (f-groups.js).
    let ideas = s.ideas.filter((i) => i.item === it.id && !i.inGroup && !i.mergedInto && !(i.pending && !i.hidden));
    const shown = ideas.filter((i) => !i.hidden);
    if (collecting) ideas = [...ideas].reverse();
    else ideas = [...ranked(shown), ...ideas.filter((i) => i.hidden)];
    setText(heading, collecting ? tn('idea.heading', shown.length) : mode === 'vote' ? tn('fac.tallyHeading', shown.length) : tn('fac.resultsHeading', shown.length));
    setText(note, collecting ? '' : it.revealed ? t('fac.resultsShown') : t('fac.resultsPrivate'));
    note.hidden = collecting;
    note.classList.toggle('note', !collecting && !it.revealed);
    dragHint.hidden = !collecting || shown.length < 2 || s.table.closed;
    list.classList.toggle('ranked', !collecting);
    const max = Math.max(1, ...shown.map(total));
    const rank = new Map(collecting ? [] : ideas.filter((i) => !i.hidden).map((i, k) => [i.id, k + 1]));
    syncList(list, ideas, (i) => i.id, create, (li, i) => {
      const p = li.parts;
      if (!li.editing) setText(p.text, i.text);
      setText(p.src, [ideaSource(s, i), i.hidden ? t('fac.hiddenTag') : ''].filter(Boolean).join(' · ') || t('idea.byFacilitator'));
      li.classList.toggle('hidden-idea', !!i.hidden);
      const n = total(i);
      const split = i.roomDots && Object.keys(i.roomDots).length ? dotSplit(s, i).filter((x, k) => k === 0 || x.n > 0) : [];
      setText(p.tally, tn('results.dots', n) + (split.length ? ` (${split.map((x) => x.label).join(' · ')})` : ''));
      p.tallyRow.hidden = collecting && !n;
      p.meter.hidden = collecting || !!i.hidden;
      if (!p.meter.hidden) {
        const segs = split.length ? dotSplit(s, i).filter((x) => x.n > 0) : [{ cls: '', n }];
        const key = segs.map((x) => x.cls + x.n).join() + '/' + max;
        if (p.meter.dataset.key !== key) {
          p.meter.dataset.key = key;
          clear(p.meter, segs.map((x) => { const b = h('span', { class: `meter-fill ${x.cls}`.trim() }); b.style.width = `${(x.n / max) * 100}%`; return b; }));
        }
      }
      const merged = (i.merged || []).map((m2) => byId(s.ideas, m2)).filter(Boolean);
      p.merged.hidden = !merged.length;
      syncList(p.merged, merged, (m2) => m2.id, () => h('li', { class: 'small muted' }), (mli, m2) => setText(mli, t('fac.mergedItem', { text: m2.text })));
      p.menu.button.setAttribute('aria-label', t('fac.ideaMenu', { text: short(i.text, 80) }));
      p.actionMenu.el.hidden = mode !== 'actions' || !!i.hidden;
      p.action.setAttribute('aria-label', `${t('fac.toActionShort')}: ${short(i.text, 80)}`);
      li.draggable = collecting && !i.hidden && !s.table.closed;
      // A closed table takes no moderation, but actions may still be written down.
      p.menu.el.hidden = s.table.closed;
      p.side.hidden = li.editing;
      setText(p.rank, rank.has(i.id) ? fmtNum(rank.get(i.id)) + '.' : '');
      p.rank.hidden = !p.rank.textContent;
    });
    empty.hidden = ideas.length > 0 || waiting.length > 0;
  };
  return { el, render };
}
