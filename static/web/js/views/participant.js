// The participant view, mobile first: the current item and its question,
// phase and timer; ideas, dots, actions; the speaking queue; the
// interpreter's live text as captions, for those who turn them on.
import { h, setText, clear } from '../dom.js';
import { t, tn, fmtNum } from '../i18n.js';
import { Conn } from '../conn.js';
import { identity, prefs } from '../store.js';
import { currentItem, byId, personName } from '../model.js';
import { showRefusal } from '../toast.js';
import { watchAnnouncements } from '../announce.js';
import { topBar } from '../topbar.js';
import { timerView } from '../timer.js';
import { itemBadge, tableBanner, isFollowItem } from '../badges.js';
import { resultsChart } from '../results.js';
import { ideaSection, usedDots } from './p-ideas.js';
import { actionSection } from './p-actions.js';
import { profileBox } from './p-profile.js';
import { agendaOverview } from './agenda-overview.js';
import { followUpList } from './followup.js';
import { captionBand } from '../captions.js';
import { teamPanel } from './team.js';
import { workOf, groupReports } from '../work.js';

export function mount(root, live, ctx) {
  const conn = ctx.conn || (ctx.conn = new Conn({ table: live.table, role: 'participant', token: live.token }));
  const offs = [];
  const main = h('main', { id: 'main', class: 'page participant' });
  // On a phone the header is one short row; the table's name is the first
  // line of the current item's card instead.
  const bar = topBar({ role: 'participant', conn, compact: true });
  root.append(bar, main);

  const banner = h('div', { class: 'banner-slot' });
  const now = h('section', { class: 'now card', 'aria-labelledby': 'now-h' });
  const tableName = h('span', { class: 'now-table' });
  const itemNo = h('span', { class: 'now-no' });
  const counter = h('p', { class: 'now-count' }, tableName, itemNo);
  const title = h('h1', { id: 'now-h', class: 'now-title' });
  const presenter = h('p', { class: 'now-presenter' });
  const question = h('p', { class: 'now-question' });
  const phaseRow = h('div', { class: 'now-phase' });
  const hint = h('p', { class: 'phase-hint' });
  const timer = timerView(conn, () => currentItem(conn.state));
  // Live captions, for each person on request: the switch shows once the
  // interpreter has written (or when this device asked for them before).
  let captionsOn = prefs.captions();
  const capBtn = h('button', { type: 'button', class: 'btn btn-small btn-toggle caption-toggle', 'aria-pressed': String(captionsOn), text: t('captions.show') });
  const capRow = h('div', { class: 'now-tools', hidden: true }, capBtn);
  now.append(counter, title, presenter, question, h('div', { class: 'now-meta' }, phaseRow, timer), hint, capRow);
  const setCaptions = (on) => {
    captionsOn = on;
    prefs.setCaptions(on);
    render();
  };
  capBtn.addEventListener('click', () => setCaptions(!captionsOn));
  const captions = captionBand({ lines: 3, onHide: () => { setCaptions(false); capBtn.focus(); } });

  const floor = h('section', { class: 'floor card', 'aria-labelledby': 'floor-h' });
  const floorH = h('h2', { id: 'floor-h', class: 'sr-only', text: t('queue.heading') });
  const floorNow = h('p', { class: 'floor-now' });
  const handBtn = h('button', { type: 'button', class: 'btn btn-hand' });
  const queuePos = h('p', { class: 'muted small', 'aria-live': 'polite' });
  floor.append(floorH, floorNow, handBtn, queuePos);
  handBtn.addEventListener('click', () => {
    const s = conn.state;
    if (!s) return;
    if (s.queue.some((q) => q.participant === conn.you)) conn.send('hand.lower', {});
    else conn.send('hand.raise', {});
  });

  const results = h('section', { class: 'card results-card', 'aria-labelledby': 'res-h', hidden: true });
  const ideas = ideaSection(conn, live.table);
  const actions = actionSection(conn, live.table);
  const agenda = agendaOverview(conn);
  const follow = followUpList();
  const profile = profileBox(conn, live.table, ctx);
  const team = teamPanel(conn, live.table);
  const reports = h('section', { class: 'card reports-card', 'aria-labelledby': 'reports-h', hidden: true });
  const loading = h('p', { class: 'loading', role: 'status', text: t('live.loading') });
  main.append(loading, banner, now, team.el, follow.el, floor, results, reports, ideas.el, actions.el, agenda.el, profile.el, captions.el);
  for (const el of [now, floor]) el.hidden = true;

  const render = () => {
    const s = conn.state;
    if (!s) return;
    loading.hidden = true;
    now.hidden = false; floor.hidden = false;
    document.title = `${s.table.title} – Pöytä`;
    // The table's language, or plain Finnish, until the person picks one.
    ctx.tableLang(s.table.lang, s.table.plain);
    clear(banner, tableBanner(s));
    const it = currentItem(s);
    const idx = it ? s.items.indexOf(it) : -1;
    setText(tableName, s.table.title);
    setText(itemNo, it ? t('now.itemOf', { n: idx + 1, total: s.items.length }) : '');
    setText(title, it ? it.title : t('now.noItem'));
    setText(presenter, it && it.presenter ? it.presenter : '');
    presenter.hidden = !(it && it.presenter);
    setText(question, it ? it.question : '');
    question.hidden = !(it && it.question);
    clear(phaseRow, it ? itemBadge(s, it) : null);
    setText(hint, it ? hintFor(conn, s, it) : '');

    const mine = s.queue.findIndex((q) => q.participant === conn.you);
    const raising = conn.pendingOps((o) => o.op === 'hand.raise' || o.op === 'hand.lower').length > 0;
    setText(floorNow, s.floor ? t('queue.speaking', { name: personName(s, s.floor) })
      : s.queue.length ? tn('queue.waiting', s.queue.length) : t('queue.nobodyWaiting'));
    setText(handBtn, mine >= 0 ? t('queue.lower') : t('queue.raise'));
    handBtn.setAttribute('aria-pressed', mine >= 0 ? 'true' : 'false');
    handBtn.disabled = raising || s.table.closed || (s.table.locked && mine < 0);
    setText(queuePos, mine >= 0 ? t('queue.position', { n: fmtNum(mine + 1) }) : s.floor === conn.you ? t('queue.yourTurn') : '');

    capRow.hidden = !(captionsOn || (s.captions || []).length > 0);
    capBtn.setAttribute('aria-pressed', String(captionsOn));
    captions.render(s, captionsOn);

    results.hidden = !(it && it.revealed);
    if (it && it.revealed) clear(results, h('h2', { id: 'res-h', text: t('results.heading') }), resultsChart(s, it.id));
    follow.render(s); ideas.render(s); actions.render(s); agenda.render(s); profile.render(s);
    // Group work: the group instead of the plenary's ideas; after the
    // report-back, what each group brought.
    team.render(s);
    const w = it ? workOf(s, it.id) : null;
    if (w && w.running) { ideas.el.hidden = true; setText(hint, s.table.closed || s.table.locked ? hint.textContent : w.mine ? t('work.hint') : ''); }
    reports.hidden = !(w && !w.running && !it.revealed);
    if (!reports.hidden) clear(reports, h('h2', { id: 'reports-h', text: t('work.reportsHeading') }), groupReports(s, w));
  };

  offs.push(conn.on('state', render));
  offs.push(conn.on('refused', (err) => showRefusal(err)));
  offs.push(conn.on('status', (st, reason) => {
    if (st !== 'closed') return;
    // The token no longer works (removed, or the table was deleted): forget it so the person can join again.
    identity.forget(live.table);
    ctx.conn = null; ctx.live = null;
    clear(main, h('section', { class: 'card' },
      h('h1', { text: t('live.endedHeading') }),
      h('p', { role: 'alert', text: reason === 'removed' ? t('error.removed') : t('live.ended') }),
      h('p', {}, h('a', { class: 'btn btn-primary', href: location.pathname, text: t('live.rejoin') }))));
  }));
  offs.push(watchAnnouncements(conn));
  render();
  return () => { offs.forEach((f) => f()); timer.stop(); ideas.stop?.(); captions.stop(); };
}

function hintFor(conn, s, it) {
  if (s.table.closed) return t('table.closedNote');
  if (s.table.locked) return t('table.lockedNote');
  if (isFollowItem(s, it)) return t('hint.followup');
  if (it.phase === 'vote') {
    // The dots left, counting the ones on their way: the hint follows each tap.
    const left = Math.max(0, it.dots - usedDots(conn, it.id));
    return left ? tn('hint.voteLeft', left) : t('hint.voteSpent');
  }
  if (it.phase === 'collect' && s.table.moderated) return t('hint.collectModerated');
  return t(`hint.${it.phase}`);
}
