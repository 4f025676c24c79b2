// The participant's ideas: write one (draft kept across reloads), see
// everyone's arrive, edit your own, and place dots within the budget.
import { h, setText, syncList, nextId, clear } from '../dom.js';
import { t, tn, fmtNum } from '../i18n.js';
import { bindDraft } from '../store.js';
import { currentItem, ideaSource, itemIdeas } from '../model.js';
import { total } from '../results.js';
import { isFollowItem } from '../badges.js';

/** myDots is the participant's dots on an idea, counting ops still on their way. */
export function myDots(conn, item, idea) {
  const s = conn.state;
  let n = (s.myVotes && s.myVotes[item] && s.myVotes[item][idea]) || 0;
  for (const o of conn.pendingOps((o) => (o.op === 'vote.add' || o.op === 'vote.remove') && o.idea === idea)) n += o.op === 'vote.add' ? 1 : -1;
  return Math.max(0, n);
}

/** usedDots is the participant's dots on the item, counting ops on their
 * way: the plenary's, or (inGroup) those inside their group in group work. */
export function usedDots(conn, item, inGroup = false) {
  const s = conn.state;
  const grouped = new Set(s.ideas.filter((i) => i.item === item && i.inGroup).map((i) => i.id));
  let n = 0;
  for (const [id, v] of Object.entries((s.myVotes && s.myVotes[item]) || {})) if (grouped.has(id) === inGroup) n += v;
  const ids = new Set(s.ideas.filter((i) => i.item === item && !!i.inGroup === inGroup).map((i) => i.id));
  for (const o of conn.pendingOps((o) => (o.op === 'vote.add' || o.op === 'vote.remove') && ids.has(o.idea))) n += o.op === 'vote.add' ? 1 : -1;
  return Math.max(0, n);
}

export function ideaSection(conn, table) {
  const el = h('section', { class: 'card ideas', 'aria-labelledby': 'ideas-h' });
  const heading = h('h2', { id: 'ideas-h' });
  const dotsBox = h('div', { class: 'dots-left', role: 'status' });
  const text = h('textarea', { id: 'idea-text', rows: '3', maxlength: '1000', required: true, enterkeyhint: 'send' });
  const clearDraft = bindDraft(text, table, 'idea');
  const anon = h('input', { type: 'checkbox', id: 'idea-anon' });
  const anonRow = h('div', { class: 'check' }, anon, h('label', { for: 'idea-anon', text: t('idea.anonymousLabel') }));
  const send = h('button', { type: 'submit', class: 'btn btn-primary', text: t('idea.send') });
  const form = h('form', { class: 'idea-form' },
    h('label', { for: 'idea-text', class: 'label-strong', text: t('idea.yourIdea') }), text, anonRow, send);
  const list = h('ul', { class: 'idea-list', 'aria-labelledby': 'ideas-h' });
  const pendingList = h('ul', { class: 'idea-list pending-list', 'aria-label': t('idea.sendingList') });
  const empty = h('p', { class: 'empty' });
  el.append(heading, dotsBox, form, pendingList, list, empty);

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const s = conn.state, it = currentItem(s);
    const body = text.value.trim();
    if (!it || !body) return;
    const op = { item: it.id, text: body };
    if (anon.checked && s.table.allowAnonymous) op.anonymous = true;
    conn.send('idea.add', op);
    clearDraft();
    text.focus();
  });
  text.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); form.requestSubmit(); }
  });

  const create = () => {
    const li = h('li', { class: 'idea' });
    const tid = nextId('idea');
    li.parts = {
      text: h('p', { class: 'idea-text', id: tid }),
      src: h('p', { class: 'idea-src' }),
      merged: h('p', { class: 'idea-merged muted small' }),
      waiting: h('p', { class: 'idea-waiting', text: t('review.waiting') }),
      tools: h('div', { class: 'idea-tools' }),
      vote: h('div', { class: 'vote', role: 'group' }),
      count: h('p', { class: 'idea-count' }),
    };
    const minus = h('button', { type: 'button', class: 'btn btn-round', text: '−', 'aria-describedby': tid });
    const dots = h('span', { class: 'my-dots' });
    const plus = h('button', { type: 'button', class: 'btn btn-round btn-plus', text: '+', 'aria-describedby': tid });
    li.parts.vote.append(minus, dots, plus);
    Object.assign(li.parts, { minus, plus, dots });
    minus.addEventListener('click', () => conn.send('vote.remove', { idea: li.dataset.key }));
    plus.addEventListener('click', () => conn.send('vote.add', { idea: li.dataset.key }));
    const edit = h('button', { type: 'button', class: 'btn btn-small btn-quiet', text: t('idea.edit') });
    const del = h('button', { type: 'button', class: 'btn btn-small btn-quiet', text: t('idea.delete') });
    li.parts.tools.append(edit, del);
    edit.addEventListener('click', () => startEdit(li));
    del.addEventListener('click', () => { if (confirm(t('idea.deleteConfirm'))) conn.send('idea.delete', { idea: li.dataset.key }); });
    li.append(li.parts.text, li.parts.src, li.parts.waiting, li.parts.merged, li.parts.count, li.parts.vote, li.parts.tools);
    return li;
  };

  const startEdit = (li) => {
    const idea = conn.state.ideas.find((i) => i.id === li.dataset.key);
    if (!idea) return;
    const ta = h('textarea', { rows: '3', maxlength: '1000', 'aria-label': t('idea.editLabel') });
    ta.value = idea.text;
    const save = h('button', { type: 'submit', class: 'btn btn-primary btn-small', text: t('common.save') });
    const cancel = h('button', { type: 'button', class: 'btn btn-small', text: t('common.cancel') });
    const f = h('form', { class: 'edit-form' }, ta, h('div', { class: 'btn-row' }, save, cancel));
    const done = () => { f.remove(); li.editing = false; li.parts.text.hidden = false; li.parts.tools.hidden = false; li.parts.tools.querySelector('button').focus(); };
    f.addEventListener('submit', (e) => {
      e.preventDefault();
      const v = ta.value.trim();
      if (v && v !== idea.text) conn.send('idea.edit', { idea: idea.id, text: v });
      done();
    });
    cancel.addEventListener('click', done);
    li.editing = true; li.parts.text.hidden = true; li.parts.tools.hidden = true;
    li.parts.text.after(f);
    ta.focus();
  };

  const render = (s) => {
    const it = currentItem(s);
    // The review of an earlier table's actions takes no ideas.
    el.hidden = !it || isFollowItem(s, it);
    if (el.hidden) return;
    const open = !s.table.closed && !s.table.locked;
    const collecting = it.phase === 'collect' && open;
    const voting = it.phase === 'vote' && open;
    let ideas = itemIdeas(s, it.id);
    if (it.phase === 'collect') ideas = [...ideas].reverse();
    setText(heading, tn('idea.heading', ideas.length));
    form.hidden = !collecting;
    anonRow.hidden = !s.table.allowAnonymous;
    if (!s.table.allowAnonymous) anon.checked = false;

    const used = usedDots(conn, it.id);
    const left = Math.max(0, it.dots - used);
    dotsBox.hidden = !voting;
    // The box is a live region: it changes only when the dots left do, so
    // that a screen reader hears the count after each vote and not on
    // every other event.
    const dotsKey = `${left}/${it.dots}`;
    if (voting && dotsBox.dataset.left !== dotsKey) {
      dotsBox.dataset.left = dotsKey;
      clear(dotsBox,
        h('span', { class: 'dot-row', 'aria-hidden': 'true' }, Array.from({ length: it.dots }, (_, k) => h('span', { class: k < left ? 'dot dot-free' : 'dot dot-used' }))),
        h('span', { class: 'dots-text', text: tn('vote.left', left, { total: fmtNum(it.dots) }) }));
    }

    const pend = conn.pendingOps((o) => o.op === 'idea.add' && o.item === it.id);
    syncList(pendingList, pend, (o) => o.id, (o) => h('li', { class: 'idea pending' },
      h('p', { class: 'idea-text', text: o.text }), h('p', { class: 'idea-src', text: t('idea.sending') })), () => {});
    pendingList.hidden = !pend.length;

    syncList(list, ideas, (i) => i.id, create, (li, i) => {
      const p = li.parts;
      if (!li.editing) setText(p.text, i.text);
      setText(p.src, ideaSource(s, i) + (i.edited ? ' · ' + t('idea.edited') : ''));
      li.classList.toggle('mine', !!i.mine);
      // At a moderated table the author sees their idea at once, marked as waiting.
      p.waiting.hidden = !i.pending;
      li.classList.toggle('awaiting', !!i.pending);
      const m = (i.merged || []).length;
      p.merged.hidden = !m;
      if (m) setText(p.merged, tn('idea.mergedCount', m));
      p.tools.hidden = li.editing || !(i.mine && collecting);
      p.vote.hidden = !voting || !!i.pending;
      if (voting) {
        const mine = myDots(conn, it.id, i.id);
        setText(p.dots, tn('vote.mine', mine));
        p.vote.setAttribute('aria-label', t('vote.group'));
        p.minus.setAttribute('aria-label', t('vote.remove'));
        p.plus.setAttribute('aria-label', t('vote.add'));
        p.minus.disabled = mine === 0;
        p.plus.disabled = left === 0 || (!it.multiDot && mine > 0);
        li.classList.toggle('voted', mine > 0);
      } else li.classList.remove('voted');
      p.count.hidden = !it.revealed;
      if (it.revealed) setText(p.count, tn('results.dots', total(i)));
    });
    setText(empty, collecting ? t('idea.emptyCollect') : t('idea.empty'));
    empty.hidden = ideas.length > 0 || pend.length > 0;
  };
  return { el, render };
}
