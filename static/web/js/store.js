// store.js keeps what must survive a reload: participant identities,
// drafts, unacknowledged ops. Storage can be unavailable (private mode),
// so every access is guarded.

function get(area, key, fallback) {
  try {
    const v = area.getItem(key);
    return v == null ? fallback : JSON.parse(v);
  } catch { return fallback; }
}
function set(area, key, v) {
  try {
    if (v == null) area.removeItem(key); else area.setItem(key, JSON.stringify(v));
  } catch { /* full or disabled: the page still works, it just forgets */ }
}
const local = () => window.localStorage;
const session = () => window.sessionStorage;

/** Participant identity per table: {token, participant, name, org, sector}. */
export const identity = {
  get: (table) => get(local(), `poyta:id:${table}`, null),
  set: (table, v) => set(local(), `poyta:id:${table}`, v),
  forget: (table) => set(local(), `poyta:id:${table}`, null),
};

/** The token of a join not yet answered, per table. The browser makes the
 * participant token itself and keeps it here until the join succeeds, so
 * that a join whose answer was lost is retried with the same token and the
 * server answers with the same participant. */
export const joining = {
  token: (table) => {
    let tok = get(local(), `poyta:joining:${table}`, '');
    if (!tok) {
      const b = crypto.getRandomValues(new Uint8Array(24));
      tok = btoa(String.fromCharCode(...b)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
      set(local(), `poyta:joining:${table}`, tok);
    }
    return tok;
  },
  done: (table) => set(local(), `poyta:joining:${table}`, null),
};

/** Drafts of typed text, per table and field. */
export const drafts = {
  get: (table, name) => get(local(), `poyta:draft:${table}:${name}`, ''),
  set: (table, name, text) => set(local(), `poyta:draft:${table}:${name}`, text || null),
};

/** Ops sent but not yet acknowledged, per tab (sessionStorage survives a
 * reload of the same tab but is not shared with other tabs). */
export const pending = {
  get: (scope) => get(session(), `poyta:pending:${scope}`, []),
  set: (scope, ops) => set(session(), `poyta:pending:${scope}`, ops.length ? ops : null),
};

/** Preferences: the person's language; whether they want the live
 * captions (on this device, at every table). */
export const prefs = {
  lang: () => get(local(), 'poyta:lang', ''),
  setLang: (l) => set(local(), 'poyta:lang', l),
  captions: () => get(local(), 'poyta:captions', false) === true,
  setCaptions: (on) => set(local(), 'poyta:captions', on ? true : null),
};

/** The facilitator link a "next table of the series" click hands to the
 * start page in this tab: kept out of addresses, taken once. */
export const continuing = {
  set: (link) => set(session(), 'poyta:continue', link),
  take: () => { const v = get(session(), 'poyta:continue', ''); set(session(), 'poyta:continue', null); return v; },
};

/** Tables created in this browser, for the start page. */
export const mine = {
  list: () => get(local(), 'poyta:mine', []),
  add: (t) => set(local(), 'poyta:mine', [t, ...get(local(), 'poyta:mine', []).filter((x) => x.id !== t.id)].slice(0, 10)),
  remove: (id) => set(local(), 'poyta:mine', get(local(), 'poyta:mine', []).filter((x) => x.id !== id)),
};

/** bindDraft keeps an input's text in storage as it is typed. */
export function bindDraft(input, table, name) {
  const saved = drafts.get(table, name);
  if (saved && !input.value) input.value = saved;
  input.addEventListener('input', () => drafts.set(table, name, input.value));
  return () => { input.value = ''; drafts.set(table, name, ''); };
}
