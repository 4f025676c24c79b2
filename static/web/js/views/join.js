// The join page (/j/{code}): look the code up, show the table, ask for a
// name once, then hand over to the participant view. The participant's
// token is made here and kept per table, before the join is sent, so a
// reload keeps the same person and votes, and a join whose answer was lost
// is sent again with the same token and gets the same person.
import { h, field, clear, safeHref } from '../dom.js';
import { t, errorText, fmtWhen } from '../i18n.js';
import { lookup, joinTable } from '../api.js';
import { identity, joining } from '../store.js';
import { SECTORS } from '../enums.js';
import { topBar } from '../topbar.js';
import * as participant from './participant.js';

const PROFILE = 'poyta:profile';
const loadProfile = () => { try { return JSON.parse(localStorage.getItem(PROFILE)) || {}; } catch { return {}; } };
const saveProfile = (p) => { try { localStorage.setItem(PROFILE, JSON.stringify(p)); } catch { /* ignore */ } };

/** plainFinnish: a participant's pages offer plain Finnish (js/i18n.js). */
export const plainFinnish = true;

export function mount(root, code, ctx) {
  if (ctx.live) return participant.mount(root, ctx.live, ctx);
  const main = h('main', { id: 'main', class: 'page narrow' });
  root.append(topBar({}), main);
  document.title = t('join.title') + ' – Pöytä';
  main.append(h('p', { class: 'loading', role: 'status', text: t('join.looking') }));
  let unmount = null;
  let alive = true;
  (ctx.info ? Promise.resolve(ctx.info) : lookup(code)).then((info) => {
    if (!alive) return;
    ctx.info = info;
    ctx.tableLang(info.lang, info.plain);
    const id = identity.get(info.id);
    if (id && id.token) {
      ctx.live = { table: info.id, token: id.token, code: info.code };
      root.replaceChildren();
      unmount = participant.mount(root, ctx.live, ctx);
      return;
    }
    showForm(main, info, ctx, root, (u) => { unmount = u; });
  }).catch((err) => {
    if (!alive) return;
    clear(main,
      h('h1', { text: t('join.notFound') }),
      h('p', { class: 'form-error', role: 'alert', text: errorText(err.code, err.kind) }),
      h('p', {}, h('a', { href: '/', class: 'btn', text: t('join.tryAnother') })));
  });
  return () => { alive = false; if (unmount) unmount(); };
}

/** tableCard describes the table before and after joining. */
export function tableCard(info) {
  const link = safeHref(info.link);
  return h('div', { class: 'table-card' },
    h('h1', { class: 'table-title', text: info.title }),
    info.theme ? h('p', { class: 'theme', text: info.theme }) : null,
    h('dl', { class: 'facts' },
      fmtWhen(info) ? [h('dt', { text: t('join.when') }), h('dd', { text: fmtWhen(info) })] : null,
      info.room ? [h('dt', { text: t('join.room') }), h('dd', { text: info.room })] : null,
      link ? [h('dt', { text: t('join.online') }), h('dd', {}, h('a', { href: link, rel: 'noopener noreferrer', target: '_blank', text: t('join.openMeeting') }))] : null));
}

function showForm(main, info, ctx, root, setUnmount) {
  const prof = loadProfile();
  const name = h('input', { type: 'text', maxlength: '80', required: true, autocomplete: 'name', value: prof.name || '' });
  const org = h('input', { type: 'text', maxlength: '150', autocomplete: 'organization', value: prof.org || '' });
  const sector = h('select', {},
    h('option', { value: '', text: t('join.sectorChoose') }),
    SECTORS.map((s) => h('option', { value: s, selected: s === prof.sector, text: t(`sector.${s}`) })));
  const err = h('p', { class: 'form-error', role: 'alert', tabindex: '-1', hidden: true });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-big', text: t('join.button') });
  const blocked = info.closed ? t('error.table_closed') : info.locked ? t('error.table_locked') : '';
  const form = h('form', { class: 'card', 'aria-labelledby': 'join-form-h' },
    h('h2', { id: 'join-form-h', text: t('join.formHeading') }),
    h('p', { class: 'muted', text: t('join.privacy') }),
    err,
    field(t('join.name'), name, t('join.nameHint')),
    field(t('join.org'), org, t('join.orgHint')),
    field(t('join.sector'), sector, t('join.sectorHint')),
    submit);
  if (blocked) { err.textContent = blocked; err.hidden = false; submit.disabled = true; }
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    err.hidden = true;
    submit.disabled = true;
    const req = { code: info.code, name: name.value.trim(), org: org.value.trim(), sector: sector.value, token: joining.token(info.id) };
    try {
      const out = await joinTable(req);
      saveProfile({ name: req.name, org: req.org, sector: req.sector });
      identity.set(out.table, { token: out.token, participant: out.participant });
      joining.done(info.id);
      ctx.live = { table: out.table, token: out.token, code: info.code };
      root.replaceChildren();
      setUnmount(participant.mount(root, ctx.live, ctx));
    } catch (ex) {
      err.textContent = errorText(ex.code, ex.kind);
      err.hidden = false; err.focus();
      submit.disabled = false;
    }
  });
  clear(main, h('section', {}, tableCard(info)), form);
  name.focus({ preventScroll: true });
}
