// i18n.js: every visible string comes from i18n/{lang}.json. Finnish is the
// default; each person's choice is remembered on the device.
//
// Plain Finnish (selkosuomi) is a UI language for participants only, with
// the id "selko" (i18n/selko.json; the stored choice "selko"). Its page is
// marked lang="fi-x-selko": Finnish with a private-use subtag, so that
// screen readers keep their Finnish voice. It has the participant-facing
// keys (the families static/i18n_test.go names); every other key falls
// back to Finnish. Tables, minutes and the other views stay fi, sv or en.
import { prefs } from './store.js';
import { LANGS } from './enums.js';

/** PLAIN is plain Finnish's language id. */
export const PLAIN = 'selko';
const UI_LANGS = [...LANGS, PLAIN];
const LOCALES = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB', [PLAIN]: 'fi-FI' };
const HTML_LANG = { [PLAIN]: 'fi-x-selko' };
let lang = 'fi';
let dict = {};
let fallback = {};
let plainOffered = false;
const warned = new Set();
const listeners = new Set();

/** htmlLang is the BCP 47 tag of a UI language, for lang attributes. */
export const htmlLang = (l) => HTML_LANG[l] || l;

/** offerPlain says whether this page offers plain Finnish (a
 * participant's pages do); elsewhere a stored choice of it reads as Finnish. */
export function offerPlain(on) { plainOffered = on; }

/** uiLangs are the languages this page's switch offers, plain Finnish next to Finnish. */
export const uiLangs = () => (plainOffered ? ['fi', PLAIN, ...LANGS.filter((l) => l !== 'fi')] : LANGS);

/** load fetches one language's strings (and Finnish as the fallback). */
export async function setLang(l, remember = false) {
  if (!UI_LANGS.includes(l) || (l === PLAIN && !plainOffered)) l = 'fi';
  const [d, f] = await Promise.all([fetchDict(l), l === 'fi' ? null : fetchDict('fi')]);
  dict = d; fallback = f || d; lang = l;
  document.documentElement.lang = htmlLang(l);
  if (remember) prefs.setLang(l);
  for (const fn of listeners) fn(l);
}

async function fetchDict(l) {
  const r = await fetch(`/i18n/${l}.json`);
  if (!r.ok) throw new Error('i18n ' + l);
  return r.json();
}

/** initialLang is the remembered choice, else the table's language, else Finnish. */
export function initialLang(tableLang) {
  const p = prefs.lang();
  if (p === PLAIN) return plainOffered ? PLAIN : 'fi';
  if (LANGS.includes(p)) return p;
  if (LANGS.includes(tableLang)) return tableLang;
  return 'fi';
}

export const currentLang = () => lang;
export const locale = () => LOCALES[lang];
export const onLangChange = (fn) => { listeners.add(fn); return () => listeners.delete(fn); };

/** t returns the string for key with {name} placeholders filled in. A
 * missing key shows as the key itself, which the tests look for. */
export function t(key, vars) {
  let s = dict[key] ?? fallback[key];
  if (s == null) { console.warn('i18n: missing', key); return `⟦${key}⟧`; }
  // Plain Finnish is offered on participants' pages only, so a key shown
  // there in ordinary Finnish is a participant-facing key it lacks.
  if (lang === PLAIN && !(key in dict) && !warned.has(key)) { warned.add(key); console.warn('i18n: missing in plain Finnish', key); }
  if (vars) s = s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
  return s;
}

/** tn picks key.one or key.other by the language's plural rules. */
export function tn(key, n, vars = {}) {
  const form = new Intl.PluralRules(locale()).select(n) === 'one' ? 'one' : 'other';
  return t(`${key}.${form}`, { n: fmtNum(n), ...vars });
}

/** has reports whether a key exists (for optional strings such as error codes). */
export const has = (key) => key in dict || key in fallback;

export const fmtNum = (n) => new Intl.NumberFormat(locale()).format(n);

/** fmtDate formats "YYYY-MM-DD" as a long local date ("torstai 25. helmikuuta 2027"). */
export function fmtDate(d, style = 'full') {
  if (!d) return '';
  const [y, m, day] = d.split('-').map(Number);
  const dt = new Date(Date.UTC(y, m - 1, day, 12));
  return new Intl.DateTimeFormat(locale(), { dateStyle: style, timeZone: 'UTC' }).format(dt);
}

/** fmtClock formats "HH:MM" in the locale's style (17.00 in Finnish). */
export function fmtClock(hm) {
  if (!hm) return '';
  const [hh, mm] = hm.split(':').map(Number);
  const dt = new Date(Date.UTC(2000, 0, 1, hh, mm));
  return new Intl.DateTimeFormat(locale(), { hour: 'numeric', minute: '2-digit', timeZone: 'UTC' }).format(dt);
}

/** fmtWhen joins date and times: "torstai 25.2.2027 klo 17.00–19.00". */
export function fmtWhen(info) {
  const parts = [];
  if (info.date) parts.push(fmtDate(info.date));
  if (info.start && info.end) parts.push(t('when.range', { start: fmtClock(info.start), end: fmtClock(info.end) }));
  else if (info.start) parts.push(t('when.from', { start: fmtClock(info.start) }));
  return parts.join(' ');
}

/** fmtTime formats an RFC 3339 instant as a local clock time. */
export function fmtTime(iso) {
  const d = new Date(iso);
  if (isNaN(d)) return '';
  return new Intl.DateTimeFormat(locale(), { hour: 'numeric', minute: '2-digit' }).format(d);
}

/** fmtDuration formats milliseconds as m:ss (or h:mm:ss), with a minus when over. */
export function fmtDuration(ms) {
  const neg = ms < 0;
  let s = Math.ceil(Math.abs(ms) / 1000);
  if (neg) s = Math.floor(Math.abs(ms) / 1000);
  const hh = Math.floor(s / 3600), mm = Math.floor((s % 3600) / 60), ss = s % 60;
  const pad = (x) => String(x).padStart(2, '0');
  const body = hh ? `${hh}:${pad(mm)}:${pad(ss)}` : `${mm}:${pad(ss)}`;
  return (neg ? '−' : '') + body;
}

/** errorText translates a server error code, falling back on its kind. */
export function errorText(code, kind) {
  if (code && has(`error.${code}`)) return t(`error.${code}`);
  if (kind && has(`kind.${kind}`)) return t(`kind.${kind}`);
  return t('error.internal');
}
