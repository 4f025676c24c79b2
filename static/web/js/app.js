// app.js picks the view for the page's path and mounts it. Switching the
// language rebuilds the view; live connections and drafts survive that.
import { setLang, initialLang, onLangChange, t, currentLang } from './i18n.js';
import { prefs } from './store.js';
import { h } from './dom.js';
import * as start from './views/start.js';
import * as join from './views/join.js';
import * as facilitator from './views/facilitator.js';
import * as screen from './views/screen.js';
import * as scribe from './views/scribe.js';
import * as interpreter from './views/interpreter.js';
import { siteFooter } from './footer.js';

const UUID = '([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})';
const routes = [
  [/^\/$/, start],
  [/^\/j\/([^/]+)\/?$/, join],
  [new RegExp(`^/f/${UUID}/?$`), facilitator],
  [new RegExp(`^/s/${UUID}/?$`), screen],
  [new RegExp(`^/r/${UUID}/?$`), scribe],
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
  await setLang(initialLang(''));
  const { view, param } = route();
  const ctx = {
    token: location.hash.slice(1),
    // The table's language applies until the person picks one.
    tableLang(l) { if (!prefs.lang() && l && l !== currentLang()) setLang(l); },
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
