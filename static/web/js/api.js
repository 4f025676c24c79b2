// api.js: the few HTTP calls made before someone is live.

/** ApiError carries the server's error code. */
export class ApiError extends Error {
  constructor(status, body) {
    const e = (body && body.error) || {};
    super(e.message || `HTTP ${status}`);
    this.status = status;
    this.code = e.code || (status >= 500 ? 'internal' : 'bad_message');
    this.kind = e.kind || '';
  }
}

async function call(method, path, body, headers = {}) {
  let r;
  try {
    r = await fetch(path, {
      method, headers: body ? { 'Content-Type': 'application/json', ...headers } : headers,
      body: body ? JSON.stringify(body) : undefined, cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, { error: { code: 'offline', kind: 'internal', message: 'network' } });
  }
  const data = await r.json().catch(() => null);
  if (!r.ok) throw new ApiError(r.status, data);
  return data;
}

export const createTable = (input) => call('POST', '/api/tables', input);
export const lookup = (code) => call('GET', `/api/join/${encodeURIComponent(code)}`);
export const joinTable = (req) => call('POST', '/api/join', req);
export const qrURL = (code) => `/api/join/${encodeURIComponent(code)}/qr.svg`;

/** downloadMinutes fetches the minutes with the facilitator credential and
 * saves them as a file. It returns false when the server has no minutes. */
export async function downloadMinutes(table, secret, lang, format = 'docx', what = '') {
  const q = new URLSearchParams({ lang, format });
  if (what) q.set('what', what);
  const r = await fetch(`/api/tables/${encodeURIComponent(table)}/minutes?${q}`, {
    headers: { Authorization: `Bearer ${secret}` }, cache: 'no-store',
  });
  if (r.status === 404 || r.status === 405) return false;
  if (!r.ok) {
    const data = await r.json().catch(() => null);
    throw new ApiError(r.status, data);
  }
  const blob = await r.blob();
  let name = 'poyta-muistio.md';
  const cd = r.headers.get('Content-Disposition') || '';
  const m = cd.match(/filename\*?=(?:UTF-8'')?"?([^";]+)"?/i);
  if (m) { try { name = decodeURIComponent(m[1]); } catch { name = m[1]; } }
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url; a.download = name;
  document.body.append(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
  return true;
}

// Between the tables: an owner's update link, and the organiser's files
// and tracker, each with its credential in a header, never in the URL.
const bearer = (token) => ({ Authorization: `Bearer ${token}` });
const tablePath = (table, rest) => `/api/tables/${encodeURIComponent(table)}/${rest}`;

/** ownerAction reads the action an update link is for. */
export const ownerAction = (table, token) => call('GET', tablePath(table, 'update'), null, bearer(token));
/** ownerReport reports on it: {status, note} → {status, note, at}. */
export const ownerReport = (table, token, report) => call('POST', tablePath(table, 'update'), report, bearer(token));
/** seriesRows reads the tracker of the table's series with the filters in query. */
export const seriesRows = (table, secret, query) => call('GET', tablePath(table, `series?${new URLSearchParams(query)}`), null, bearer(secret));

/** downloadFile fetches path under the table's API with the credential and
 * saves the answer under the name the server gives (else fallback). */
export async function downloadFile(table, secret, rest, fallback) {
  let r;
  try {
    r = await fetch(tablePath(table, rest), { headers: bearer(secret), cache: 'no-store' });
  } catch {
    throw new ApiError(0, { error: { code: 'offline', kind: 'internal', message: 'network' } });
  }
  if (!r.ok) throw new ApiError(r.status, await r.json().catch(() => null));
  const blob = await r.blob();
  let name = fallback;
  const m = (r.headers.get('Content-Disposition') || '').match(/filename\*?=(?:UTF-8'')?"?([^";]+)"?/i);
  if (m) { try { name = decodeURIComponent(m[1]); } catch { name = m[1]; } }
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url; a.download = name;
  document.body.append(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/** importIdeas sends a CSV file of ideas collected on paper into an item,
 * with the facilitator credential; with dryRun the server only checks it.
 * It returns the server's answer {rows, problems, imported} also when the
 * file has problems (HTTP 400); any other refusal throws an ApiError. */
export async function importIdeas(table, secret, item, body, dryRun) {
  const q = new URLSearchParams({ item });
  if (dryRun) q.set('dryRun', '1');
  let r;
  try {
    r = await fetch(`/api/tables/${encodeURIComponent(table)}/import?${q}`, {
      method: 'POST', headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'text/csv' }, body, cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, { error: { code: 'offline', kind: 'internal', message: 'network' } });
  }
  const data = await r.json().catch(() => null);
  if (data && Array.isArray(data.rows) && Array.isArray(data.problems)) return data;
  throw new ApiError(r.status, data);
}
