// footer.js: the foot of every view: the accessibility statement and the
// privacy notice, under their names in the view's language.
import { h } from './dom.js';
import { t, currentLang } from './i18n.js';

// The statements' paths in each language (the server answers all of them).
const PATHS = {
  fi: ['/saavutettavuus', '/tietosuoja'],
  sv: ['/tillganglighet', '/dataskydd'],
  en: ['/accessibility', '/privacy'],
};

/** siteFooter links the statements in the current language. */
export function siteFooter() {
  const [a11y, privacy] = PATHS[currentLang()] || PATHS.fi;
  return h('footer', { class: 'site-foot' },
    h('ul', { class: 'foot-links' },
      h('li', {}, h('a', { href: a11y, text: t('foot.accessibility') })),
      h('li', {}, h('a', { href: privacy, text: t('foot.privacy') }))));
}
