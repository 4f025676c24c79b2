// app.js picks the view for the page's path and mounts it. Switching the
// language rebuilds the view; live connections and drafts survive that.
import { setLang, initialLang, onLangChange, t, currentLang, offerPlain, PLAIN } from './i18n.js';
import { prefs } from './store.js';
import { h } from './dom.js';
import * as start from './views/start.js';
import * as join from './views/join.js';
import * as facilitator from './views/facilitator.js';
import * as screen from './views/screen.js';
import * as scribe from './views/scribe.js';
import * as owner from './views/owner.js';
import * as tracker from './views/tracker.js';
import * as interpreter from './views/interpreter.js';
import { siteFooter } from './footer.js';

const UUID = '([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})';
const routes = [
  [/^\/$/, start],
  [/^\/j\/([^/]+)\/?$/, join],
  [new RegExp(`^/f/${UUID}/?$`), facilitator],
  [new RegExp(`^/s/${UUID}/?$`), screen],
  [new RegExp(`^/r/${UUID}/?$`), scribe],
  [new RegExp(`^/u/${UUID}/?$`), owner],
  [new RegExp(`^/t/${UUID}/?$`), tracker],
  [new RegExp(`^/i/${UUID}/?$`), interpreter],
];

function route() {
  for (const [re, view] of routes) {
    const m = location.pathname.match(re);
    if (m) return { view, param: decodeURIComponent(m[1] || '') };
  }
  return { view: null, param: '' };
}

async function main() {
  const root = document.getElementById('app');
  const { view, param } = route();
  // Plain Finnish is for a participant's pages (views that say so).
  offerPlain(!!(view && view.plainFinnish));
  await setLang(initialLang(''));
  let asked = '';
  const ctx = {
    token: location.hash.slice(1),
    // The table's language applies until the person picks one; at a table
    // whose participants get plain Finnish by default, that.
    tableLang(l, plain = false) {
      const want = plain && view && view.plainFinnish ? PLAIN : l;
      if (prefs.lang() || !want || want === currentLang() || want === asked) return;
      asked = want;
      setLang(want).finally(() => { asked = ''; });
    },
  };
  let unmount = null;
  const mount = () => {
    if (unmount) unmount();
    root.replaceChildren(h('nav', { class: 'skip-nav', 'aria-label': t('skip') }, h('a', { class: 'skip', href: '#main', text: t('skip') })));
    const holder = h('div', { class: 'view' });
    root.append(holder, siteFooter());
    if (!view) {
      holder.append(h('main', { id: 'main', class: 'page narrow' },
        h('h1', { text: t('notfound.title') }), h('p', {}, h('a', { href: '/', text: t('notfound.home') }))));
      document.title = t('notfound.title') + ' – Pöytä';
      unmount = null;
      return;
    }
    unmount = view.mount(holder, param, ctx) || null;
  };
  onLangChange(mount);
  mount();
}

main().catch((e) => {
  console.error(e);
  document.getElementById('app').textContent = 'Pöytä: ' + (e && e.message ? e.message : 'error');
});
