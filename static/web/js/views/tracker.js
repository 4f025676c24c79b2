// The organiser's tracker, /t/{table}#{facilitator secret}: every action
// of the table's series in one list (what, who, by when, how it stands,
// the table and item it came from, the latest report), filtered by the
// owners' organisation, status and lateness, sorted by a column; the
// same as a spreadsheet, a progress report (seurantaraportti) and a
// calendar. It asks the server again every few seconds and whenever the
// tab comes back, so an owner's report shows up without a reload, and
// says so politely. A table on a laptop, cards on a phone.
import { h, setText, clear, syncList, field, nextId } from '../dom.js';
import { t, tn, fmtDate, fmtTime, currentLang, errorText } from '../i18n.js';
import { topBar } from '../topbar.js';
import { announce } from '../announce.js';
import { toast } from '../toast.js';
import { menuButton } from '../menu.js';
import { seriesRows, downloadFile } from '../api.js';
import { fmtAt, statusText } from './actions-common.js';

const POLL_MS = 5000;
const STATUSES = ['open', 'in_progress', 'done', 'dropped'];
const SORTS = ['table', 'due', 'status', 'owner', 'updated', 'title'];
// The columns: [name, the sort it sets].
const COLUMNS = [['title', 'title'], ['owners', 'owner'], ['due', 'due'], ['status', 'status'], ['table', 'table'], ['update', 'updated']];
// The downloads: [label key, path under the table's API, format].
const FILES = [['csv', 'series/report', 'csv'], ['docx', 'series/report', 'docx'], ['html', 'series/report', 'html'],
  ['md', 'series/report', 'md'], ['ics', 'series/actions.ics', '']];

const rowKey = (r) => `${r.table}/${r.action}`;
const ownerText = (o) => (o.name && o.org ? t('action.ownerFor', { name: o.name, org: o.org }) : o.name || o.org || '');

export function mount(root, tableId, ctx) {
  const bar = topBar({ role: 'facilitator', compact: true });
  if (!ctx.token) {
    root.append(bar, h('main', { id: 'main', class: 'page narrow' },
      h('h1', { text: t('fac.badKeyHeading') }), h('p', { text: t('fac.noKey') })));
    return null;
  }
  // The filters and what was last seen survive a change of language.
  const q = ctx.tracker || (ctx.tracker = { org: '', status: '', overdue: false, sort: 'table', data: null, seen: null, fresh: new Set() });
  let alive = true;

  // The head: what this is, the series, its tables, how fresh the list is.
  const seriesTitle = h('p', { class: 'tracker-series' });
  const tablesList = h('ol', { class: 'tracker-tables' });
  const liveLine = h('p', { class: 'tracker-live small' });
  const head = h('header', { class: 'tracker-head' },
    h('h1', { text: t('tracker.heading') }), seriesTitle,
    h('div', { class: 'tracker-tables-box' }, h('span', { class: 'tracker-tables-h', text: t('tracker.tables') }), tablesList),
    liveLine);

  // Filters and order.
  const org = h('input', { type: 'search', maxlength: '200', autocomplete: 'off', value: q.org });
  const status = h('select', {}, h('option', { value: '', text: t('tracker.statusAll') }),
    STATUSES.map((st) => h('option', { value: st, text: statusText(st) })));
  status.value = q.status;
  const overdueId = nextId('od');
  const overdue = h('input', { type: 'checkbox', id: overdueId, checked: q.overdue });
  const sort = h('select', {}, SORTS.map((k) => h('option', { value: k, text: t(`tracker.sort.${k}`) })));
  sort.value = q.sort;
  const reset = h('button', { type: 'button', class: 'btn btn-small btn-quiet tracker-reset', text: t('tracker.reset') });
  const filters = h('form', { class: 'tracker-filters', role: 'search', 'aria-label': t('tracker.filters') },
    field(t('tracker.org'), org, t('tracker.orgHint')), field(t('tracker.status'), status), field(t('tracker.sort'), sort),
    h('div', { class: 'check tracker-overdue' }, overdue, h('label', { for: overdueId, text: t('tracker.overdueOnly') })),
    reset);

  // On a phone the filters fold away under their heading.
  const filterSummary = h('summary', { text: t('tracker.filters') });
  const filterBox = h('details', { class: 'tracker-filter-box' }, filterSummary, filters);

  // The downloads, with the filters and order in view.
  const files = menuButton({ label: t('tracker.downloads'), cls: 'btn btn-small btn-menu', items: () =>
    FILES.map(([name, path, format]) => ({ label: t(`tracker.file.${name}`), run: () => get(path, format) })) });
  files.el.classList.add('tracker-files');
  const summary = h('p', { class: 'tracker-summary' });
  const tools = h('div', { class: 'tracker-tools' }, summary, files.el);

  const listH = h('h2', { id: 'tracker-list-h', class: 'sr-only', text: t('tracker.listHeading') });
  const results = h('div', { class: 'tracker-results' });
  const empty = h('p', { class: 'empty' });
  const loading = h('p', { class: 'loading', role: 'status', text: t('tracker.loading') });
  const main = h('main', { id: 'main', class: 'page wide tracker' },
    head, h('section', { class: 'card tracker-controls', 'aria-label': t('tracker.filters') }, filterBox, tools),
    h('section', { 'aria-labelledby': 'tracker-list-h' }, listH, loading, empty, results));
  root.append(bar, main);
  document.title = `${t('tracker.heading')} – Pöytä`;

  const query = (extra = {}) => {
    const o = { ...extra };
    if (q.org) o.org = q.org;
    if (q.status) o.status = q.status;
    if (q.overdue) o.overdue = '1';
    o.sort = q.sort;
    return o;
  };
  const filtered = () => !!(q.org || q.status || q.overdue);

  let busy = false;
  const get = async (path, format) => {
    if (busy) return;
    busy = true;
    const params = format ? `?${new URLSearchParams(query({ format, lang: currentLang() }))}` : '';
    try { await downloadFile(tableId, ctx.token, path + params, format ? `seurantaraportti.${format}` : 'toimenpiteet.ics'); }
    catch (err) { toast(errorText(err.code, err.kind), 'error'); } finally { busy = false; }
  };

  // Asking the server: one request at a time; a change while one is out
  // asks again when it is back.
  let inflight = false, again = false, asked = '', timer = 0, failed = false;
  const refresh = async () => {
    if (!alive) return;
    if (inflight) { again = true; return; }
    inflight = true;
    const qs = JSON.stringify(query());
    try {
      const d = await seriesRows(tableId, ctx.token, query());
      if (!alive) return;
      const sameView = q.data && asked === qs;
      asked = qs;
      if (sameView) noticeChanges(q.data, d);
      else if (q.data) announce(tn('tracker.count', d.rows.length));
      q.data = d;
      failed = false;
      render();
      setText(liveLine, t('tracker.live', { time: fmtTime(new Date().toISOString()) }));
      liveLine.classList.remove('tracker-stale');
    } catch (err) {
      if (!alive) return;
      if (err.code === 'unauthorized' || err.status === 403) { stop(); return badKey(); }
      if (!failed) announce(t('tracker.liveFailed'));
      failed = true;
      setText(liveLine, t('tracker.liveFailed'));
      liveLine.classList.add('tracker-stale');
      if (!q.data) setText(loading, errorText(err.code, err.kind));
    } finally {
      inflight = false;
      if (again && alive) { again = false; refresh(); }
    }
  };

  // What changed since the last answer, for the same filters: a new
  // report (or status) on an action, or a new action.
  const noticeChanges = (before, after) => {
    const old = new Map(before.rows.map((r) => [rowKey(r), r]));
    const said = [];
    for (const r of after.rows) {
      const o = old.get(rowKey(r));
      const at = r.update ? r.update.at : '';
      if (!o) { q.fresh.add(rowKey(r)); said.push(t('tracker.announceNew', { title: r.title })); continue; }
      if (at !== (o.update ? o.update.at : '') || r.status !== o.status) {
        q.fresh.add(rowKey(r));
        said.push(t('tracker.announceUpdate', { title: r.title, status: statusText(r.status) }));
      }
    }
    if (said.length === 1) announce(said[0]);
    else if (said.length) announce(tn('tracker.announceMany', said.length));
  };

  const badKey = () => {
    clear(main, h('section', { class: 'card narrow' },
      h('h1', { text: t('fac.badKeyHeading') }), h('p', { role: 'alert', text: t('fac.badKey') })));
  };

  const stop = () => { alive = false; clearInterval(timer); window.removeEventListener('focus', onBack); document.removeEventListener('visibilitychange', onBack); wide.removeEventListener('change', onWidth); };
  const onBack = () => { if (!document.hidden) refresh(); };

  // Filters: text after a pause, the rest at once.
  let typing = 0;
  org.addEventListener('input', () => { clearTimeout(typing); typing = setTimeout(() => { q.org = org.value.trim(); refresh(); }, 400); });
  filters.addEventListener('submit', (e) => { e.preventDefault(); clearTimeout(typing); q.org = org.value.trim(); refresh(); });
  status.addEventListener('change', () => { q.status = status.value; refresh(); });
  overdue.addEventListener('change', () => { q.overdue = overdue.checked; refresh(); });
  sort.addEventListener('change', () => { q.sort = sort.value; refresh(); });
  reset.addEventListener('click', () => {
    q.org = ''; q.status = ''; q.overdue = false;
    org.value = ''; status.value = ''; overdue.checked = false;
    refresh(); org.focus();
  });
  const sortBy = (k) => { q.sort = k; sort.value = k; refresh(); };

  // A table on a wide screen, cards on a narrow one.
  const wide = window.matchMedia('(min-width: 60rem)');
  filterBox.open = wide.matches || filtered() || q.filtersOpen === true;
  filterBox.addEventListener('toggle', () => { q.filtersOpen = filterBox.open; });
  let shape = '';
  const onWidth = () => { filterBox.open = wide.matches || filtered(); render(); };
  wide.addEventListener('change', onWidth);

  const thead = h('tr');
  const tbody = h('tbody');
  const headers = COLUMNS.map(([name, key]) => {
    const b = h('button', { type: 'button', class: 'sort-btn' }, h('span', { text: t(`tracker.col.${name}`) }), h('span', { class: 'sort-mark', 'aria-hidden': 'true' }));
    b.addEventListener('click', () => sortBy(key));
    const th = h('th', { scope: 'col', class: `col-${name}` }, b);
    thead.append(th);
    return [th, key];
  });
  const caption = h('caption', { class: 'sr-only' });
  const table = h('table', { class: 'tracker-table' }, caption, h('thead', {}, thead), tbody);
  const cards = h('ul', { class: 'tracker-cards' });

  const render = () => {
    const d = q.data;
    if (!d) return;
    loading.hidden = true;
    setText(seriesTitle, d.title);
    document.title = `${d.title} – ${t('tracker.heading')} – Pöytä`;
    clear(tablesList, d.tables.map((tb) => h('li', {},
      h('span', { class: 'tracker-table-name', text: tb.title }),
      tb.date || tb.closed ? h('span', { class: 'muted', text: ` (${[tb.date ? fmtDate(tb.date, 'medium') : '', tb.closed ? t('tracker.tableClosed') : ''].filter(Boolean).join(', ')})` }) : null)));
    const rows = d.rows;
    const late = rows.filter((r) => r.overdue).length, done = rows.filter((r) => r.status === 'done').length;
    setText(summary, [tn('tracker.count', rows.length), t('tracker.overdueCount', { n: late }), t('tracker.doneCount', { n: done })].join(' · ') +
      (filtered() ? ` ${t('tracker.filtered')}` : ''));
    reset.hidden = !filtered();
    setText(filterSummary, filtered() ? `${t('tracker.filters')} ${t('tracker.filtered')}` : t('tracker.filters'));
    empty.hidden = rows.length > 0;
    setText(empty, filtered() ? t('tracker.noneFiltered') : t('tracker.none'));
    for (const [th, key] of headers) {
      if (key === q.sort) th.setAttribute('aria-sort', key === 'updated' ? 'descending' : 'ascending');
      else th.removeAttribute('aria-sort');
      setText(th.querySelector('.sort-mark'), key === q.sort ? (key === 'updated' ? '▼' : '▲') : '');
    }
    setText(caption, t('tracker.caption', { sort: t(`tracker.sort.${q.sort}`) }));
    const want = wide.matches ? 'table' : 'cards';
    if (want !== shape) {
      shape = want;
      clear(tbody); clear(cards);
      clear(results, want === 'table' ? table : cards);
    }
    results.hidden = !rows.length;
    if (want === 'table') syncList(tbody, rows, rowKey, () => h('tr'), (tr, r) => fill(tr, r, rowCells));
    else syncList(cards, rows, rowKey, () => h('li', { class: 'tcard' }), (li, r) => fill(li, r, cardParts));
  };

  // fill redraws a row or card only when its data changed.
  const fill = (el, r, parts) => {
    const fresh = q.fresh.has(rowKey(r));
    const key = JSON.stringify([r, fresh, currentLang()]);
    if (el.key === key) return;
    el.key = key;
    el.classList.toggle('fresh', fresh);
    el.classList.toggle('late', r.overdue);
    el.dataset.status = r.status;
    clear(el, parts(r, fresh));
  };

  const titleBits = (r, fresh) => [
    h('span', { class: 'tr-title', text: r.title }),
    fresh ? h('span', { class: 'new-tag', text: t('tracker.new') }) : null,
    r.carriedFrom ? h('span', { class: 'tr-carried small muted', text: t('tracker.carried', { title: r.carriedFrom }) }) : null];
  const ownersList = (r) => (r.owners.length
    ? h('ul', { class: 'tr-owners' }, r.owners.map((o) => h('li', { text: ownerText(o) })))
    : h('span', { class: 'muted', text: t('action.noOwners') }));
  const dueBits = (r) => [h('span', { class: 'tr-due', text: r.due ? fmtDate(r.due, 'medium') : t('action.noDue') }),
    r.overdue ? h('span', { class: 'late-tag', text: t('tracker.overdue') }) : null];
  const statusTag = (r) => h('span', { class: `status-pill st-${r.status}`, text: statusText(r.status) });
  const fromBits = (r) => [h('span', { class: 'tr-from', text: r.tableDate ? `${r.tableTitle}, ${fmtDate(r.tableDate, 'medium')}` : r.tableTitle }),
    r.item ? h('span', { class: 'tr-item small muted', text: r.item }) : null];
  const updateBits = (r) => {
    const u = r.update;
    if (!u) return h('span', { class: 'muted', text: t('tracker.noUpdate') });
    return [h('span', { class: 'tr-update-head small' },
      h('span', { class: `status-tag st-${u.status}`, text: statusText(u.status) }), ' · ',
      h('span', { text: fmtAt(u.at) }), ' · ',
      h('span', { class: 'muted', text: reporter(r, u) })),
    u.note ? h('span', { class: 'tr-note', text: u.note }) : null];
  };

  // Who reported: an owner through their link, a facilitator, or (for an
  // action carried on, before anyone reported at its new table) someone
  // at the earlier table, which the series does not say.
  const reporter = (r, u) => {
    if (u.byLink) return t('tracker.byOwner');
    if (r.carriedFrom && u.at < r.created) return t('tracker.byEarlier');
    return t('tracker.byFacilitator');
  };

  const rowCells = (r, fresh) => [
    h('th', { scope: 'row', class: 'col-title' }, titleBits(r, fresh)),
    h('td', { class: 'col-owners' }, ownersList(r)),
    h('td', { class: 'col-due' }, dueBits(r)),
    h('td', { class: 'col-status' }, statusTag(r)),
    h('td', { class: 'col-table' }, fromBits(r)),
    h('td', { class: 'col-update' }, updateBits(r))];
  const cardParts = (r, fresh) => [
    h('h3', { class: 'tcard-title', text: r.title }),
    h('p', { class: 'tcard-tags' }, statusTag(r), r.overdue ? h('span', { class: 'late-tag', text: t('tracker.overdue') }) : null,
      fresh ? h('span', { class: 'new-tag', text: t('tracker.new') }) : null),
    r.carriedFrom ? h('p', { class: 'tr-carried small muted', text: t('tracker.carried', { title: r.carriedFrom }) }) : null,
    h('dl', { class: 'action-facts tcard-facts' },
      h('div', {}, h('dt', { text: t('tracker.col.owners') }), h('dd', {}, ownersList(r))),
      h('div', {}, h('dt', { text: t('tracker.col.due') }), h('dd', {}, h('span', { class: 'tr-due', text: r.due ? fmtDate(r.due, 'medium') : t('action.noDue') }))),
      h('div', {}, h('dt', { text: t('tracker.col.table') }), h('dd', {}, fromBits(r))),
      h('div', {}, h('dt', { text: t('tracker.col.update') }), h('dd', {}, updateBits(r))))];

  timer = setInterval(() => { if (!document.hidden) refresh(); }, POLL_MS);
  window.addEventListener('focus', onBack);
  document.addEventListener('visibilitychange', onBack);
  if (q.data) { asked = JSON.stringify(query()); render(); }
  refresh();
  return stop;
}
