// The facilitator view (laptop): agenda, the current item's controls,
// ideas and moderation, results, actions, notes, presence, the speaking
// queue and room groups.
import { h, setText, clear } from '../dom.js';
import { t, currentLang, errorText } from '../i18n.js';
import { Conn } from '../conn.js';
import { downloadMinutes } from '../api.js';
import { continuing } from '../store.js';
import { showRefusal, toast } from '../toast.js';
import { watchAnnouncements } from '../announce.js';
import { topBar } from '../topbar.js';
import { tableBanner } from '../badges.js';
import { agendaPanel } from './f-agenda.js';
import { currentPanel } from './f-current.js';
import { ideasPanel } from './f-ideas.js';
import { actionBoard } from './f-actions.js';
import { sidePanel } from './f-side.js';
import { shareDialog } from './f-share.js';
import { followUpPanel } from './followup.js';

export function mount(root, tableId, ctx) {
  if (!ctx.token) return missingKey(root);
  const conn = ctx.conn || (ctx.conn = new Conn({ table: tableId, role: 'facilitator', token: ctx.token }));
  const offs = [];
  const share = shareDialog(conn);
  const shareBtn = h('button', { type: 'button', class: 'btn btn-small', text: t('fac.share') });
  shareBtn.addEventListener('click', () => share.open());
  const bar = topBar({ title: '', role: 'facilitator', conn, extra: [shareBtn] });
  const main = h('main', { id: 'main', class: 'fac' });
  root.append(bar, main, share.el);

  const loading = h('p', { class: 'loading', role: 'status', text: t('live.loading') });
  const banner = h('div', { class: 'banner-slot' });
  const tableTools = h('div', { class: 'table-tools btn-row' });
  const lockBtn = h('button', { type: 'button', class: 'btn btn-small' });
  const closeBtn = h('button', { type: 'button', class: 'btn btn-small' });
  const minutesBtn = h('button', { type: 'button', class: 'btn btn-small', text: t('fac.minutes') });
  const formats = [['docx', ''], ['html', ''], ['md', ''], ['csv', 'actions']];
  const minutesFormat = h('select', { class: 'small-select', 'aria-label': t('fac.minutesFormat') },
    formats.map(([f, w], i) => h('option', { value: String(i), text: t(`fac.minutesAs.${f}${w ? '-' + w : ''}`) })));
  // The next table of a series starts from this one: the start page gets
  // this facilitator link through the tab's session storage, so that it is
  // never in an address (nor shown when the pointer rests on the link).
  const nextTable = h('a', { class: 'btn btn-small btn-quiet', href: '/', text: t('fac.nextTable') });
  nextTable.addEventListener('click', () => continuing.set(`/f/${tableId}#${ctx.token}`));
  tableTools.append(lockBtn, closeBtn, h('span', { class: 'minutes-tools' }, minutesFormat, minutesBtn), nextTable);
  lockBtn.addEventListener('click', () => conn.send(conn.state.table.locked ? 'table.unlock' : 'table.lock', {}));
  closeBtn.addEventListener('click', () => {
    const s = conn.state;
    if (s.table.closed) conn.send('table.reopen', {});
    else if (confirm(t('fac.closeConfirm'))) conn.send('table.close', {});
  });
  minutesBtn.addEventListener('click', async () => {
    minutesBtn.disabled = true;
    try {
      const [format, what] = formats[Number(minutesFormat.value)] || formats[0];
      const ok = await downloadMinutes(tableId, ctx.token, currentLang(), format, what);
      if (!ok) toast(t('fac.minutesMissing'), 'error');
    } catch (err) { toast(errorText(err.code, err.kind), 'error'); } finally { minutesBtn.disabled = false; }
  });

  const agenda = agendaPanel(conn);
  const current = currentPanel(conn, tableId);
  const ideas = ideasPanel(conn, tableId);
  const actions = actionBoard(conn, tableId);
  const follow = followUpPanel(conn);
  const side = sidePanel(conn);
  const head = h('div', { class: 'fac-head' }, h('h1', { class: 'fac-title' }), tableTools);
  main.append(loading, head, banner,
    h('div', { class: 'fac-grid' },
      h('div', { class: 'fac-col fac-agenda' }, agenda.el),
      h('div', { class: 'fac-col fac-main' }, current.el, follow.el, ideas.el, actions.el),
      h('div', { class: 'fac-col fac-side' }, side.el)));
  head.hidden = true;

  const render = () => {
    const s = conn.state;
    if (!s) return;
    loading.hidden = true; head.hidden = false;
    document.title = `${s.table.title} – ${t('role.facilitator')} – Pöytä`;
    setText(bar.querySelector('.bar-title'), s.table.code);
    setText(head.querySelector('h1'), s.table.title);
    clear(banner, tableBanner(s));
    setText(lockBtn, s.table.locked ? t('fac.unlock') : t('fac.lock'));
    lockBtn.hidden = s.table.closed;
    setText(closeBtn, s.table.closed ? t('fac.reopen') : t('fac.close'));
    agenda.render(s); current.render(s); follow.render(s); ideas.render(s); actions.render(s); side.render(s); share.render(s);
  };
  offs.push(conn.on('state', render));
  offs.push(conn.on('refused', (err) => showRefusal(err)));
  offs.push(conn.on('status', (st) => {
    if (st === 'closed') clear(main, h('section', { class: 'card narrow' }, h('h1', { text: t('fac.badKeyHeading') }), h('p', { role: 'alert', text: t('fac.badKey') })));
  }));
  offs.push(watchAnnouncements(conn, { ideas: false }));
  render();
  return () => { offs.forEach((f) => f()); current.stop(); };
}

function missingKey(root) {
  root.append(topBar({}), h('main', { id: 'main', class: 'page narrow' },
    h('h1', { text: t('fac.badKeyHeading') }), h('p', { text: t('fac.noKey') })));
  return null;
}
