// The room screen for a projector: large type, the current item and its
// question, ideas arriving, results when revealed, the timer, and how to
// join; the interpreter's live text when a facilitator switches it on.
// It never shows who voted for what nor any author.
import { h, setText, syncList, clear } from '../dom.js';
import { t, tn, fmtNum } from '../i18n.js';
import { Conn } from '../conn.js';
import { qrURL } from '../api.js';
import { followUpList } from './followup.js';
import { currentItem, itemIdeas } from '../model.js';
import { watchAnnouncements } from '../announce.js';
import { langSwitch, statusPill } from '../topbar.js';
import { timerView } from '../timer.js';
import { itemBadge, tableBanner } from '../badges.js';
import { resultsChart } from '../results.js';
import { hyphenate } from '../hyphenate.js';
import { captionBand } from '../captions.js';
import { screenWork } from './screen-work.js';
import { workOf } from '../work.js';

export function mount(root, tableId, ctx) {
  if (!ctx.token) {
    root.append(h('main', { id: 'main', class: 'page narrow' }, h('h1', { text: t('screen.noKey') })));
    return null;
  }
  const conn = ctx.conn || (ctx.conn = new Conn({ table: tableId, role: 'screen', token: ctx.token }));
  const offs = [];
  const main = h('main', { id: 'main', class: 'screen' });
  const tools = h('div', { class: 'screen-tools' }, statusPill(conn), langSwitch());
  root.append(main);

  const tableTitle = h('p', { class: 'screen-table' });
  const counter = h('p', { class: 'screen-count' });
  const title = h('h1', { class: 'screen-title' });
  const question = h('p', { class: 'screen-question' });
  const phase = h('div', { class: 'screen-phase' });
  const timer = timerView(conn, () => currentItem(conn.state), { big: true });
  const banner = h('div', { class: 'banner-slot' });
  const cast = h('p', { class: 'screen-cast' });
  const ideasH = h('h2', { class: 'screen-sub' });
  const ideas = h('ul', { class: 'screen-ideas' });
  const results = h('div', { class: 'screen-results' });
  const follow = followUpList({ screen: true });
  const work = screenWork(conn);
  const code = h('p', { class: 'code-big' });
  const site = h('p', { class: 'screen-site' });
  const qr = h('img', { class: 'qr', alt: '', width: '240', height: '240' });
  const join = h('aside', { class: 'screen-join', 'aria-label': t('screen.joinHeading') },
    h('p', { class: 'screen-join-h', text: t('screen.joinHeading') }), qr, site, code);
  const loading = h('p', { class: 'loading', role: 'status', text: t('live.loading') });
  // The interpreter's live text, when a facilitator switches it on.
  const captions = captionBand({ screen: true, lines: 3 });
  main.append(loading, tools,
    h('div', { class: 'screen-grid' },
      h('div', { class: 'screen-main' }, tableTitle, counter, title, question,
        h('div', { class: 'screen-meta' }, phase, timer), banner, cast, follow.el, results, work.el, ideasH, ideas),
      join),
    captions.el);

  const render = () => {
    const s = conn.state;
    if (!s) return;
    loading.hidden = true;
    ctx.tableLang(s.table.lang);
    document.title = `${s.table.title} – ${t('role.screen')} – Pöytä`;
    setText(tableTitle, s.table.title);
    const it = currentItem(s);
    setText(counter, it ? t('now.itemOf', { n: s.items.indexOf(it) + 1, total: s.items.length }) : '');
    // The table's own text, in the table's language, hyphenated for large type.
    const lang = s.table.lang;
    for (const el of [title, question, ideas, results, follow.el]) el.lang = lang;
    setText(title, it ? hyphenate(it.title, lang) : t('now.noItem'));
    setText(question, it ? hyphenate(it.question || it.presenter, lang) : '');
    clear(phase, it ? itemBadge(s, it) : null);
    clear(banner, tableBanner(s));
    if (code.textContent !== s.table.code) {
      setText(code, s.table.code);
      qr.src = qrURL(s.table.code);
      qr.alt = t('created.qrAlt', { code: s.table.code });
      setText(site, t('screen.site', { site: location.host + '/j' }));
    }
    follow.render(s);
    let list = it ? itemIdeas(s, it.id) : [];
    // Group work: the groups while they work; after it, each group's
    // proposals in place of the ideas they brought.
    const working = work.render(s, it);
    const w = working ? workOf(s, it.id) : null;
    if (w) list = w.running ? [] : list.filter((i) => !w.groups.some((g) => g.group === i.group));
    const showResults = !!(it && it.revealed);
    results.hidden = !showResults;
    if (showResults) clear(results, h('h2', { class: 'screen-sub', text: t('results.heading') }), resultsChart(s, it.id, { screen: true, limit: 10 }));
    cast.hidden = !(it && it.phase === 'vote' && !it.revealed);
    if (it) setText(cast, tn('screen.cast', it.cast));
    ideas.hidden = ideasH.hidden = showResults || !list.length;
    setText(ideasH, tn('idea.heading', list.length));
    const newest = [...list].reverse().slice(0, 12);
    syncList(ideas, newest, (i) => i.id, () => h('li', { class: 'screen-idea arrive' }), (li, i) => {
      setText(li, hyphenate(i.text, lang));
      // Only the newest card keeps the highlight.
      li.classList.toggle('latest', i === newest[0]);
    });
    setText(cast, it ? tn('screen.cast', it.cast) : '');
    if (it) cast.setAttribute('data-n', fmtNum(it.cast));
    captions.render(s, !!s.table.captionsOnScreen && (s.captions || []).length > 0);
  };
  offs.push(conn.on('state', render));
  offs.push(watchAnnouncements(conn));
  offs.push(conn.on('status', (st) => { if (st === 'closed') clear(main, h('h1', { text: t('screen.noKey') })); }));
  render();
  return () => { offs.forEach((f) => f()); timer.stop(); captions.stop(); };
}
