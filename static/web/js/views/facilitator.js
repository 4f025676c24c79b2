// The facilitator view, organised around the run of the meeting: the
// current item and its phase fill the middle (the stage), the agenda is a
// narrow rail on the left, presence, the speaking queue and room groups a
// compact panel on the right. The table's own commands (share, minutes,
// lock and close) are in the header. Keys move the meeting on: N the next
// phase, T the timer, R the reveal, J the next item, ? lists them.
// On a phone the same parts stack in the same order.
import { h, setText, clear } from '../dom.js';
import { t } from '../i18n.js';
import { Conn } from '../conn.js';
import { showRefusal } from '../toast.js';
import { watchAnnouncements } from '../announce.js';
import { topBar } from '../topbar.js';
import { tableBanner } from '../badges.js';
import { shortcuts } from '../shortcuts.js';
import { agendaPanel } from './f-agenda.js';
import { stage } from './f-stage.js';
import { sidePanel } from './f-side.js';
import { shareDialog } from './f-share.js';
import { minutesMenu, tableMenu } from './f-table.js';
import { settingsDialog } from './f-settings.js';
import { importDialog } from './f-import.js';

export function mount(root, tableId, ctx) {
  if (!ctx.token) return missingKey(root);
  const conn = ctx.conn || (ctx.conn = new Conn({ table: tableId, role: 'facilitator', token: ctx.token }));
  const offs = [];
  root.classList.add('fac-view');
  const share = shareDialog(conn);
  const shareBtn = h('button', { type: 'button', class: 'btn btn-small', text: t('fac.share') });
  shareBtn.addEventListener('click', () => share.open());
  const minutes = minutesMenu(tableId, ctx.token);
  const settings = settingsDialog(conn);
  const table = tableMenu(conn, tableId, ctx.token, { settings: settings.open });
  const keysBtn = h('button', { type: 'button', class: 'btn btn-small btn-keys', 'aria-keyshortcuts': '?', 'aria-label': t('keys.button'), text: '?' });
  const code = h('span', { class: 'bar-code' });
  const bar = topBar({ title: '', role: 'facilitator', conn, heading: true, extra: [code, shareBtn, minutes.el, table.el, keysBtn] });
  const main = h('main', { id: 'main', class: 'fac' });

  const loading = h('p', { class: 'loading', role: 'status', text: t('live.loading') });
  const banner = h('div', { class: 'banner-slot' });
  const imports = importDialog(conn);
  const agenda = agendaPanel(conn, { onImport: imports.open });
  const st = stage(conn, tableId, { openNext: agenda.openNext });
  const side = sidePanel(conn);
  const grid = h('div', { class: 'fac-grid' },
    h('nav', { class: 'fac-col fac-rail', 'aria-labelledby': 'agenda-h' }, agenda.el),
    h('div', { class: 'fac-col fac-stage' }, st.el),
    h('aside', { class: 'fac-col fac-side', 'aria-label': t('fac.sideLabel') }, side.el));
  main.append(loading, banner, grid);
  grid.hidden = true;

  const keys = shortcuts([
    { key: 'n', label: t('keys.nextPhase'), run: () => st.nextPhase() },
    { key: 't', label: t('keys.timer'), run: () => st.toggleTimer() },
    { key: 'r', label: t('keys.reveal'), run: () => st.toggleReveal() },
    { key: 'j', label: t('keys.nextItem'), run: () => agenda.openNext() },
  ]);
  keysBtn.addEventListener('click', () => keys.open());
  root.append(bar, main, share.el, keys.el, settings.el, imports.el);

  const render = () => {
    const s = conn.state;
    if (!s) return;
    loading.hidden = true; grid.hidden = false;
    document.title = `${s.table.title} – ${t('role.facilitator')} – Pöytä`;
    setText(bar.querySelector('.bar-title'), s.table.title);
    setText(code, s.table.code);
    clear(banner, tableBanner(s));
    agenda.render(s); st.render(s); side.render(s); share.render(s);
  };
  offs.push(conn.on('state', render));
  offs.push(conn.on('refused', (err) => showRefusal(err)));
  offs.push(conn.on('status', (status, reason) => {
    if (status !== 'closed') return;
    // A co-facilitator whose link was taken back is told so.
    const removed = reason === 'removed';
    clear(main, h('section', { class: 'card narrow' },
      h('h1', { text: removed ? t('fac.removedHeading') : t('fac.badKeyHeading') }),
      h('p', { role: 'alert', text: removed ? t('fac.removed') : t('fac.badKey') })));
  }));
  // New ideas are announced here too: the list grows out of sight (WCAG 4.1.3).
  offs.push(watchAnnouncements(conn));
  render();
  return () => { offs.forEach((f) => f()); st.stop(); keys.stop(); root.classList.remove('fac-view'); };
}

function missingKey(root) {
  root.append(topBar({}), h('main', { id: 'main', class: 'page narrow' },
    h('h1', { text: t('fac.badKeyHeading') }), h('p', { text: t('fac.noKey') })));
  return null;
}
