// The stage: the current item and its phase fill the facilitator's view,
// with only what that phase needs. Collect: the incoming ideas and their
// moderation. Vote: the live ranking beside the progress and the reveal.
// Actions (and a finished item): the action board beside the results. The
// follow-up of a series: the review beside the carried actions.
import { h, setText, clear } from '../dom.js';
import { t } from '../i18n.js';
import { PHASES } from '../enums.js';
import { currentItem } from '../model.js';
import { isFollowItem } from '../badges.js';
import { keyHint } from '../shortcuts.js';
import { timerControls } from './f-timer.js';
import { ideasPanel } from './f-ideas.js';
import { votePanel } from './f-vote.js';
import { actionBoard } from './f-actions.js';
import { notesBox } from './f-notes.js';
import { followUpPanel } from './followup.js';
import { groupsOverview } from './f-groups.js';
import { teamDetail } from './f-team.js';
import { groupsStartDialog } from './f-groups-start.js';
import { runningWork, workOf, groupReports } from '../work.js';

/** modeOf is what the stage shows for the current item. */
export function modeOf(s) {
  const it = currentItem(s);
  if (!it) return 'none';
  if (isFollowItem(s, it)) return 'followup';
  const w = runningWork(s);
  if (w && w.item === it.id) return 'groups';
  return it.phase === 'closed' ? 'actions' : it.phase;
}

export function stage(conn, table, { openNext }) {
  const el = h('section', { class: 'stage', 'aria-labelledby': 'stage-h' });
  const count = h('p', { class: 'stage-count' });
  const title = h('h2', { id: 'stage-h', class: 'stage-title' });
  const presenter = h('p', { class: 'stage-presenter muted' });
  const question = h('p', { class: 'now-question stage-question' });
  const timer = timerControls(conn);

  const phases = h('div', { class: 'segmented stepper', role: 'group', 'aria-label': t('fac.phase') });
  const phaseBtns = PHASES.map((p) => {
    const b = h('button', { type: 'button', class: `seg seg-${p}`, text: t(`phase.${p}`) });
    b.addEventListener('click', () => { const it = currentItem(conn.state); if (it && it.phase !== p) conn.send('item.phase', { item: it.id, phase: p }); });
    phases.append(b);
    return b;
  });
  const next = keyHint(h('button', { type: 'button', class: 'btn btn-primary next-phase' }), 'n');
  const nextItem = keyHint(h('button', { type: 'button', class: 'btn next-item' }), 'j');
  next.addEventListener('click', () => nextPhase());
  nextItem.addEventListener('click', () => openNext());
  // Group work: start it on this item, or go to the item where it runs.
  const startDialog = groupsStartDialog(conn);
  const workStart = h('button', { type: 'button', class: 'btn work-start', text: t('work.startButton') });
  workStart.addEventListener('click', () => startDialog.open());
  const workElsewhere = h('button', { type: 'button', class: 'btn btn-primary work-elsewhere' });
  workElsewhere.addEventListener('click', () => { const w = runningWork(conn.state); if (w) conn.send('item.open', { item: w.item }); });
  const phaseRow = h('div', { class: 'phase-row' }, phases, next, nextItem, workStart, workElsewhere);

  const head = h('header', { class: 'stage-head' },
    h('div', { class: 'stage-top' }, h('div', { class: 'stage-id' }, count, title, presenter, question), timer.el),
    phaseRow);

  const board = actionBoard(conn, table);
  const ideas = ideasPanel(conn, table, { onAction: (i) => board.expectFrom(i.id) });
  const vote = votePanel(conn);
  const follow = followUpPanel(conn);
  const notes = notesBox(conn, table);
  const detail = teamDetail(conn, { close: () => {
    const g = detail.group;
    detail.open('');
    render(conn.state);
    overview.focusOpen(g);
  } });
  const overview = groupsOverview(conn, { open: (g) => {
    detail.open(detail.group === g ? '' : g);
    render(conn.state);
    if (detail.group) detail.focus(); else overview.focusOpen(g);
  } });
  const reportsH = h('h3', { id: 'reports-h', class: 'panel-h', text: t('work.reportsHeading') });
  const reportsBody = h('div', { class: 'scroll-panel' });
  const reports = h('section', { class: 'reports-panel', 'aria-labelledby': 'reports-h' }, reportsH, reportsBody);
  const main = h('div', { class: 'stage-main' });
  const aside = h('div', { class: 'stage-aside' });
  const body = h('div', { class: 'stage-body' }, main, aside);
  const none = h('p', { class: 'empty stage-none', text: t('now.noItem') });
  el.append(head, none, body, notes.el, startDialog.el);

  /** nextPhase moves the current item to its next phase (key N). */
  const nextPhase = () => {
    const s = conn.state, it = currentItem(s);
    if (!it || s.table.closed || isFollowItem(s, it)) return false;
    const k = PHASES.indexOf(it.phase);
    if (k >= PHASES.length - 1) return false;
    conn.send('item.phase', { item: it.id, phase: PHASES[k + 1] });
    return true;
  };

  let mode = '';
  const layout = (m, reported) => {
    if (m === 'collect' && reported) m = 'collect-reports';
    if (m === mode) return;
    mode = m;
    el.dataset.mode = m;
    const [a, b] = { collect: [ideas.el, null], 'collect-reports': [ideas.el, reports], vote: [ideas.el, vote.el], actions: [board.el, ideas.el],
      followup: [follow.el, board.el], groups: [overview.el, detail.el], none: [null, null] }[m];
    clear(main, a); clear(aside, b);
    aside.hidden = !b;
    body.classList.toggle('two', !!b);
  };

  const render = (s) => {
    const it = currentItem(s);
    const m = modeOf(s);
    const ended = it && workOf(s, it.id);
    layout(m, !!(ended && !ended.running));
    head.hidden = body.hidden = notes.el.hidden = !it;
    none.hidden = !!it;
    if (!it) return;
    const k = s.items.indexOf(it);
    setText(count, t('now.itemOf', { n: k + 1, total: s.items.length }));
    setText(title, it.title);
    setText(presenter, it.presenter); presenter.hidden = !it.presenter;
    setText(question, it.question); question.hidden = !it.question;
    timer.render(s);
    const follows = m === 'followup';
    phases.hidden = next.hidden = follows;
    const pk = PHASES.indexOf(it.phase);
    phaseBtns.forEach((b, j) => {
      b.setAttribute('aria-pressed', String(j === pk));
      b.classList.toggle('done', j < pk);
      b.disabled = s.table.closed;
    });
    const last = pk === PHASES.length - 1;
    if (!last) setText(next, t('fac.nextPhase', { phase: t(`phase.${PHASES[pk + 1]}`) }));
    next.hidden = follows || last;
    next.disabled = s.table.closed;
    const after = s.items[k + 1];
    // The next item comes forward when this one is done (J opens it any time).
    nextItem.hidden = !after || !(last || follows);
    if (after) setText(nextItem, t('fac.nextItem', { title: after.title.length > 32 ? after.title.slice(0, 31) + '…' : after.title }));
    nextItem.classList.add('btn-primary');
    nextItem.disabled = s.table.closed;
    const running = runningWork(s);
    workStart.hidden = follows || s.table.closed || !!running || !!workOf(s, it.id);
    workElsewhere.hidden = !running || running.item === it.id || s.table.closed;
    if (running && running.item !== it.id) {
      const where = s.items.find((x) => x.id === running.item);
      setText(workElsewhere, t('work.elsewhere', { title: where ? where.title : '' }));
    }
    if (m === 'groups') { overview.render(s, detail.group); detail.render(s); }
    if (mode === 'collect-reports') clear(reportsBody, groupReports(s, ended));
    if (m === 'collect' || m === 'vote' || m === 'actions') ideas.render(s, m);
    if (m === 'vote') vote.render(s);
    if (m === 'actions' || m === 'followup') board.render(s);
    if (m === 'followup') follow.render(s);
    notes.render(s);
  };
  return { el, render, nextPhase, toggleTimer: timer.toggle, toggleReveal: vote.toggleReveal, stop: timer.stop };
}
