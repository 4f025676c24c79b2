// Handing a table's results on, from the minutes menu: its actions as a
// calendar (.ics), its ideas and actions as files for a Decidim
// participation platform (docs/decidim.md), and the organiser's tracker of
// the whole series in a tab of its own.
import { h, field, nextId } from '../dom.js';
import { t, errorText } from '../i18n.js';
import { downloadFile } from '../api.js';
import { toast } from '../toast.js';
import { LANGS } from '../enums.js';

// The public address of the minutes is asked once per table and then
// remembered on this device; the Decidim locale once per device.
const remember = {
  get: (k) => { try { return localStorage.getItem(k) || ''; } catch { return ''; } },
  set: (k, v) => { try { if (v) localStorage.setItem(k, v); else localStorage.removeItem(k); } catch { /* private mode */ } },
};

/** handoverItems are the minutes menu's commands for what follows the table. */
export function handoverItems(tableId, secret, decidim) {
  const get = (rest, fallback) => downloadFile(tableId, secret, rest, fallback).catch((err) => toast(errorText(err.code, err.kind), 'error'));
  return [
    { label: t('fac.ics'), run: () => get('actions.ics', 'toimenpiteet.ics') },
    { label: t('fac.decidimProposals'), run: () => decidim.open('proposals'), keepFocus: true },
    { label: t('fac.decidimResults'), run: () => decidim.open('results'), keepFocus: true },
    // The secret goes to the new tab in the fragment, never in a link's
    // address that shows when the pointer rests on it.
    { label: t('fac.tracker'), run: () => window.open(`/t/${tableId}#${secret}`, '_blank', 'noopener') },
  ];
}

/** decidimDialog asks where the minutes are published and the platform's
 * default locale, then downloads the proposals or results file. */
export function decidimDialog(tableId, secret, back) {
  const minutesKey = `poyta:decidim:minutes:${tableId}`, localeKey = 'poyta:decidim:locale';
  const heading = h('h2', { id: nextId('dec-h') });
  const intro = h('p', { class: 'hint' });
  const url = h('input', { type: 'url', required: true, autocomplete: 'url', inputmode: 'url', placeholder: 'https://' });
  const locale = h('select', {}, h('option', { value: '', text: t('decidim.localeTable') }),
    LANGS.map((l) => h('option', { value: l, text: `${t(`lang.name.${l}`)} (${l})` })));
  const error = h('p', { class: 'form-error', role: 'alert', id: nextId('dec-err') });
  error.hidden = true;
  const save = h('button', { type: 'submit', class: 'btn btn-primary', text: t('decidim.download') });
  const cancel = h('button', { type: 'button', class: 'btn', text: t('common.cancel') });
  const form = h('form', { class: 'decidim-form', novalidate: true },
    field(t('decidim.minutes'), url, t('decidim.minutesHint')), error,
    field(t('decidim.locale'), locale, t('decidim.localeHint')),
    h('div', { class: 'btn-row' }, save, cancel));
  const el = h('dialog', { class: 'dialog decidim-dialog', 'aria-labelledby': heading.id }, heading, intro, form);
  let kind = 'proposals';
  cancel.addEventListener('click', () => el.close());
  el.addEventListener('close', () => { if (back && back()) back().focus(); });
  const valid = (v) => { try { const u = new URL(v); return (u.protocol === 'https:' || u.protocol === 'http:') && !!u.host; } catch { return false; } };
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const v = url.value.trim();
    if (!valid(v)) {
      error.textContent = t('decidim.minutesBad');
      error.hidden = false;
      url.setAttribute('aria-invalid', 'true');
      url.setAttribute('aria-errormessage', error.id);
      url.focus();
      return;
    }
    url.removeAttribute('aria-invalid');
    error.hidden = true;
    remember.set(minutesKey, v);
    remember.set(localeKey, locale.value);
    const q = new URLSearchParams({ format: 'csv', minutes: v });
    if (locale.value) q.set('locale', locale.value);
    save.disabled = true;
    try {
      await downloadFile(tableId, secret, `decidim/${kind}?${q}`, `decidim-${kind}.csv`);
      el.close();
    } catch (err) {
      error.textContent = errorText(err.code, err.kind);
      error.hidden = false;
    } finally { save.disabled = false; }
  });
  const open = (k) => {
    kind = k;
    heading.textContent = t(`decidim.heading.${k}`);
    intro.textContent = t(`decidim.intro.${k}`);
    url.value = remember.get(minutesKey);
    locale.value = remember.get(localeKey);
    error.hidden = true;
    url.removeAttribute('aria-invalid');
    el.showModal();
    url.focus();
  };
  return { el, open };
}
