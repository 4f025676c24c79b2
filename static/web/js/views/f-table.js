// The table's own commands in the facilitator's header: the minutes in
// each format, and the table menu (lock, close or reopen, the next table
// of a series).
import { h } from '../dom.js';
import { t, currentLang, errorText } from '../i18n.js';
import { downloadMinutes } from '../api.js';
import { continuing } from '../store.js';
import { toast } from '../toast.js';
import { menuButton } from '../menu.js';
import { handoverItems, decidimDialog } from './f-handover.js';

// The minutes' formats, in the order of the menu: [format, what].
const FORMATS = [['docx', ''], ['html', ''], ['md', ''], ['json', ''], ['csv', 'actions']];

/** minutesMenu downloads the minutes in the chosen format. */
export function minutesMenu(tableId, secret) {
  let busy = false;
  const get = async (format, what) => {
    if (busy) return;
    busy = true;
    try {
      const ok = await downloadMinutes(tableId, secret, currentLang(), format, what);
      if (!ok) toast(t('fac.minutesMissing'), 'error');
    } catch (err) { toast(errorText(err.code, err.kind), 'error'); } finally { busy = false; }
  };
  // After the minutes: the calendar, Decidim's files and the series' tracker.
  const decidim = decidimDialog(tableId, secret, () => menu.button);
  const menu = menuButton({ label: t('fac.minutes'), cls: 'btn btn-small btn-menu', items: () => [
    ...FORMATS.map(([f, w]) => ({ label: t(`fac.minutesAs.${f}${w ? '-' + w : ''}`), run: () => get(f, w) })),
    ...handoverItems(tableId, secret, decidim)] });
  menu.el.classList.add('minutes-menu');
  menu.el.append(decidim.el);
  return menu;
}

/** tableMenu locks, closes and reopens the table, and starts the next
 * table of the series from this one. */
export function tableMenu(conn, tableId, secret, { settings } = {}) {
  const menu = menuButton({ label: t('fac.tableMenu'), cls: 'btn btn-small btn-menu', items: () => {
    const s = conn.state;
    if (!s) return [];
    return [
      { label: t('fac.settings'), run: () => settings && settings(), hidden: !settings || s.table.closed, keepFocus: true },
      { label: s.table.locked ? t('fac.unlock') : t('fac.lock'), run: () => conn.send(s.table.locked ? 'table.unlock' : 'table.lock', {}), hidden: s.table.closed },
      { label: s.table.closed ? t('fac.reopen') : t('fac.close'), danger: !s.table.closed, run: () => {
        if (conn.state.table.closed) conn.send('table.reopen', {});
        else if (confirm(t('fac.closeConfirm'))) conn.send('table.close', {});
      } },
      // The next table of a series starts from this one: the start page gets
      // this facilitator link through the tab's session storage, so that it
      // is never in an address (nor shown when the pointer rests on the link).
      { label: t('fac.nextTable'), href: '/', run: null, onClick: true },
    ];
  } });
  menu.el.classList.add('table-menu');
  // The link item: remember the link before the start page opens.
  menu.el.addEventListener('click', (e) => {
    const a = e.target.closest && e.target.closest('a[role=menuitem]');
    if (a) continuing.set(`/f/${tableId}#${secret}`);
  }, true);
  return menu;
}
