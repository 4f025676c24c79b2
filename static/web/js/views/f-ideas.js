// The facilitator's ideas: add on behalf of someone in the room, edit,
// hide, merge (by choosing or by dragging one idea onto another), turn an
// idea into an action, and the ranked result.
import { h, setText, syncList, nextId, field, clear } from '../dom.js';
import { t, tn } from '../i18n.js';
import { bindDraft } from '../store.js';
import { currentItem, ideaSource, byId } from '../model.js';
import { total, resultsChart, dotSplit } from '../results.js';

const short = (s, n = 60) => (s.length > n ? s.slice(0, n - 1) + '…' : s);

export function ideasPanel(conn, table) {
  const el = h('section', { class: 'panel ideas-panel', 'aria-labelledby': 'fideas-h' });
  const heading = h('h2', { id: 'fideas-h' });

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

  const list = h('ul', { class: 'idea-list mod-list', 'aria-labelledby': 'fideas-h' });
  const empty = h('p', { class: 'empty', text: t('fac.noIdeas') });
  const resultsBox = h('div', { class: 'results-box' });
  const dragHint = h('p', { class: 'hint', text: t('fac.dragHint') });
  el.append(heading, addBox, dragHint, list, empty, resultsBox);

  let dragged = '';
  const create = () => {
    const li = h('li', { class: 'idea mod', draggable: true });
    const tid = nextId('fi');
    const p = li.parts = {
      text: h('p', { class: 'idea-text', id: tid }), src: h('p', { class: 'idea-src' }),
      tally: h('p', { class: 'idea-tally' }), merged: h('ul', { class: 'merged-list' }),
      tools: h('div', { class: 'idea-tools' }),
      edit: h('button', { type: 'button', class: 'btn btn-small btn-quiet', text: t('common.edit'), 'aria-describedby': tid }),
      hide: h('button', { type: 'button', class: 'btn btn-small btn-quiet', 'aria-describedby': tid }),
      merge: h('button', { type: 'button', class: 'btn btn-small btn-quiet', text: t('fac.merge'), 'aria-describedby': tid }),
      action: h('button', { type: 'button', class: 'btn btn-small btn-quiet', text: t('fac.toAction'), 'aria-describedby': tid }),
    };
    p.tools.append(p.edit, p.hide, p.merge, p.action);
    li.append(p.text, p.src, p.tally, p.merged, p.tools);
    const id = () => li.dataset.key;
    const idea = () => byId(conn.state.ideas, id());
    p.hide.addEventListener('click', () => conn.send(idea().hidden ? 'idea.unhide' : 'idea.hide', { idea: id() }));
    p.action.addEventListener('click', () => {
      const i = idea();
      conn.send('action.add', { item: i.item, title: short(i.text, 300), ideas: [i.id] });
      document.getElementById('actions-board')?.scrollIntoView({ block: 'start' });
    });
    p.edit.addEventListener('click', () => {
      const i = idea();
      const ta = h('textarea', { rows: '3', maxlength: '1000', 'aria-label': t('idea.editLabel') });
      ta.value = i.text;
      const cancel = h('button', { type: 'button', class: 'btn btn-small', text: t('common.cancel') });
      const f = h('form', { class: 'edit-form' }, ta, h('div', { class: 'btn-row' }, h('button', { type: 'submit', class: 'btn btn-primary btn-small', text: t('common.save') }), cancel));
      const done = () => { f.remove(); li.editing = false; p.text.hidden = false; p.tools.hidden = false; p.edit.focus(); };
      f.addEventListener('submit', (e) => { e.preventDefault(); const v = ta.value.trim(); if (v && v !== i.text) conn.send('idea.edit', { idea: i.id, text: v }); done(); });
      cancel.addEventListener('click', done);
      li.editing = true; p.text.hidden = true; p.tools.hidden = true;
      p.text.after(f); ta.focus();
    });
    p.merge.addEventListener('click', () => {
      const i = idea();
      const others = conn.state.ideas.filter((o) => o.item === i.item && o.id !== i.id && !o.mergedInto && !o.hidden);
      const sel = h('select', { 'aria-label': t('fac.mergeInto') }, others.map((o) => h('option', { value: o.id, text: short(o.text) })));
      const cancel = h('button', { type: 'button', class: 'btn btn-small', text: t('common.cancel') });
      const f = h('form', { class: 'merge-form' }, h('label', { text: t('fac.mergeInto') }, sel),
        h('div', { class: 'btn-row' }, h('button', { type: 'submit', class: 'btn btn-primary btn-small', text: t('fac.mergeDo') }), cancel));
      const done = () => { f.remove(); li.editing = false; p.tools.hidden = false; };
      f.addEventListener('submit', (e) => { e.preventDefault(); if (sel.value) conn.send('idea.merge', { idea: i.id, into: sel.value }); done(); });
      cancel.addEventListener('click', () => { done(); p.merge.focus(); });
      li.editing = true; p.tools.hidden = true;
      p.tools.after(f); sel.focus();
    });
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

  let groupsKey = '';
  const render = (s) => {
    const it = currentItem(s);
    el.hidden = !it;
    if (!it) return;
    const live = s.groups.filter((g) => !g.removed);
    const gk = live.map((g) => g.id + g.name).join();
    if (gk !== groupsKey) {
      groupsKey = gk;
      const v = group.value;
      clear(group, h('option', { value: '', text: t('fac.behalfNoGroup') }), live.map((g) => h('option', { value: g.id, text: g.name })));
      group.value = v;
    }
    groupField.hidden = !live.length;
    addBox.hidden = s.table.closed;
    const ideas = s.ideas.filter((i) => i.item === it.id && !i.mergedInto);
    setText(heading, tn('idea.heading', ideas.filter((i) => !i.hidden).length));
    dragHint.hidden = ideas.length < 2 || s.table.closed;
    syncList(list, ideas, (i) => i.id, create, (li, i) => {
      const p = li.parts;
      if (!li.editing) setText(p.text, i.text);
      setText(p.src, [ideaSource(s, i), i.hidden ? t('fac.hiddenTag') : ''].filter(Boolean).join(' · ') || t('idea.byFacilitator'));
      li.classList.toggle('hidden-idea', !!i.hidden);
      const split = i.roomDots && Object.keys(i.roomDots).length ? dotSplit(s, i).filter((x, k) => k === 0 || x.n > 0) : [];
      setText(p.tally, tn('results.dots', total(i)) + (split.length ? ` (${split.map((x) => x.label).join(' · ')})` : ''));
      p.tally.hidden = it.phase === 'collect' && !total(i);
      const merged = (i.merged || []).map((m) => byId(s.ideas, m)).filter(Boolean);
      p.merged.hidden = !merged.length;
      syncList(p.merged, merged, (m) => m.id, () => h('li', { class: 'small muted' }), (mli, m) => setText(mli, t('fac.mergedItem', { text: m.text })));
      setText(p.hide, i.hidden ? t('fac.unhide') : t('fac.hide'));
      p.merge.hidden = !!i.hidden || ideas.filter((o) => !o.hidden).length < 2;
      li.draggable = !i.hidden && !s.table.closed;
      p.tools.hidden = li.editing || s.table.closed;
    });
    empty.hidden = ideas.length > 0;
    clear(resultsBox, 
      h('h3', { text: t('results.heading') }),
      h('p', { class: it.revealed ? 'muted small' : 'note small', text: it.revealed ? t('fac.resultsShown') : t('fac.resultsPrivate') }),
      resultsChart(s, it.id));
    resultsBox.hidden = it.phase === 'collect' && !it.cast;
  };
  return { el, render };
}
