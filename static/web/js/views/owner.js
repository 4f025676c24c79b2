// The page behind an action's update link, /u/{table}#{token}: between the
// tables the action's owner sees that action only (what, where it was
// agreed, who, by when, how it stands, the earlier reports) and reports on
// it: a status and a short note. No account: the link is the key, and a
// facilitator can take it back. Phone first; in the table's language
// until the person picks one.
import { h, setText, clear, nextId } from '../dom.js';
import { t, tn, fmtDate, fmtNum, errorText } from '../i18n.js';
import { topBar } from '../topbar.js';
import { announce } from '../announce.js';
import { ownerAction, ownerReport } from '../api.js';
import { drafts } from '../store.js';
import { STATUSES } from '../enums.js';
import { fmtAt, statusText } from './actions-common.js';

const MAX = 2000; // session.MaxUpdateNote, in characters after trimming

const length = (s) => [...s.trim()].length;

export function mount(root, tableId, ctx) {
  const main = h('main', { id: 'main', class: 'page narrow owner' });
  root.append(topBar({ role: 'owner', compact: true }), main);
  document.title = `${t('owner.pageTitle')} – Pöytä`;
  if (!ctx.token) return fail(main, 'unauthorized');
  let alive = true;
  if (ctx.owner) show(main, tableId, ctx);
  else {
    clear(main, h('p', { class: 'loading', role: 'status', text: t('owner.loading') }));
    ownerAction(tableId, ctx.token).then((d) => {
      ctx.owner = d;
      if (!alive) return;
      show(main, tableId, ctx);
      ctx.tableLang(d.table.lang);
    }, (err) => { if (alive) fail(main, err.code, err.kind); });
  }
  return () => { alive = false; };
}

/** fail replaces the page with why the link does not work. */
function fail(main, code, kind) {
  let heading = t('owner.badHeading'), text = t('owner.bad');
  if (code === 'removed') { heading = t('owner.revokedHeading'); text = t('owner.revoked'); }
  else if (code !== 'unauthorized') { heading = t('owner.errorHeading'); text = errorText(code, kind); }
  const h1 = h('h1', { text: heading, tabindex: '-1' });
  clear(main, h('section', { class: 'card owner-fail' }, h1, h('p', { role: 'alert', class: 'owner-fail-text', text })));
  document.title = `${heading} – Pöytä`;
  return null;
}

function show(main, tableId, ctx) {
  const d = ctx.owner, a = d.action;
  document.title = `${a.title} – ${t('owner.pageTitle')} – Pöytä`;
  const draftKey = 'owner:' + a.id;

  // What the action is.
  const facts = h('dl', { class: 'facts owner-facts' });
  const where = [d.table.title, d.table.date ? fmtDate(d.table.date, 'long') : ''].filter(Boolean).join(', ');
  const about = h('section', { class: 'card owner-card', 'aria-labelledby': 'owner-h' },
    h('p', { class: 'owner-kicker', text: t('owner.kicker') }),
    h('h1', { id: 'owner-h', class: 'owner-title', text: a.title }),
    h('p', { class: 'owner-where', text: where }),
    facts);

  // The report: a status and a note.
  const confirm = h('div', { class: 'owner-done', role: 'status', tabindex: '-1' });
  confirm.hidden = true;
  const error = h('p', { class: 'form-error', role: 'alert', tabindex: '-1' });
  error.hidden = true;
  const chosen = ctx.ownerStatus || a.status || 'open';
  const radios = STATUSES.map((st) => {
    const id = nextId('st'), hid = nextId('sth');
    const input = h('input', { type: 'radio', name: 'owner-status', id, value: st, checked: st === chosen, 'aria-describedby': hid });
    input.addEventListener('change', () => { ctx.ownerStatus = st; });
    return h('div', { class: `choice choice-${st}` }, input,
      h('label', { for: id }, h('span', { class: 'choice-name', text: t(`status.action.${st}`) }),
        h('span', { class: 'choice-hint', id: hid, text: t(`owner.statusHint.${st}`) })));
  });
  const status = h('fieldset', { class: 'choices' }, h('legend', { class: 'label-strong', text: t('owner.statusLegend') }), radios);
  const nid = nextId('note'), hintId = nextId('hint'), countId = nextId('count');
  const note = h('textarea', { id: nid, rows: '5', 'aria-describedby': `${hintId} ${countId}` });
  note.value = drafts.get(tableId, draftKey);
  const count = h('p', { class: 'hint owner-count', id: countId });
  const send = h('button', { type: 'submit', class: 'btn btn-primary btn-big', text: t('owner.send') });
  const form = h('form', { class: 'report-form', novalidate: true },
    error, status,
    h('div', { class: 'field' },
      h('label', { for: nid, text: t('owner.note') }),
      h('span', { class: 'hint', id: hintId, text: t('owner.noteHint', { max: fmtNum(MAX) }) }),
      note, count),
    send,
    h('p', { class: 'hint owner-privacy', text: t('owner.privacy') }));
  const report = h('section', { class: 'card owner-report', 'aria-labelledby': 'report-h' },
    h('h2', { id: 'report-h', text: t('owner.formHeading') }), confirm, form);

  // The earlier reports, newest first.
  const historyH = h('h2', { id: 'history-h' });
  const history = h('ol', { class: 'owner-history' });
  const historyBox = h('section', { class: 'card', 'aria-labelledby': 'history-h' }, historyH, history);

  clear(main, about, report, historyBox);

  const renderAction = () => {
    const owners = d.owners.map((o) => (o.name && o.org ? t('action.ownerFor', { name: o.name, org: o.org }) : o.name || o.org)).filter(Boolean);
    clear(facts,
      d.item ? [h('dt', { text: t('owner.item') }), h('dd', { text: d.item })] : null,
      h('dt', { text: t('action.owners') }),
      h('dd', {}, owners.length ? h('ul', { class: 'owner-owners' }, owners.map((o) => h('li', { text: o }))) : t('action.noOwners')),
      h('dt', { text: t('action.due') }), h('dd', { text: a.due ? fmtDate(a.due, 'long') : t('action.noDue') }),
      h('dt', { text: t('owner.statusNow') }),
      h('dd', {}, h('span', { class: `status-tag st-${a.status}`, text: statusText(a.status) })));
    const ups = [...(a.updates || [])].reverse();
    setText(historyH, ups.length ? tn('owner.history', ups.length) : t('owner.historyHeading'));
    clear(history, ups.length ? ups.map((u) => h('li', { class: 'owner-update' },
      h('p', { class: 'owner-update-head' },
        h('span', { class: `status-tag st-${u.status}`, text: statusText(u.status) }),
        h('span', { class: 'muted', text: fmtAt(u.at) })),
      u.note ? h('p', { class: 'owner-update-note', text: u.note }) : null)) : h('li', { class: 'empty', text: t('owner.historyNone') }));
  };

  let spoken = 0;
  const counter = () => {
    const n = length(note.value), left = MAX - n;
    setText(count, left >= 0 ? tn('owner.left', left) : tn('owner.over', -left));
    count.classList.toggle('over', left < 0);
    if (left >= 0 && note.getAttribute('aria-invalid') === 'true') { note.removeAttribute('aria-invalid'); error.hidden = true; }
    return left;
  };
  // The count is heard once typing pauses, not at every key (as GOV.UK's character count).
  note.addEventListener('input', () => {
    drafts.set(tableId, draftKey, note.value);
    const left = counter();
    clearTimeout(spoken);
    spoken = setTimeout(() => { if (document.activeElement === note) announce(count.textContent); }, 1200);
    if (left >= 0) confirm.hidden = true;
  });

  const showError = (text, focus = error) => {
    setText(error, text);
    error.hidden = false;
    focus.focus();
  };

  let busy = false;
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (busy) return;
    const picked = form.querySelector('input[name=owner-status]:checked');
    const st = picked ? picked.value : a.status;
    if (counter() < 0) {
      note.setAttribute('aria-invalid', 'true');
      note.setAttribute('aria-errormessage', 'owner-error');
      showError(t('owner.tooLong', { max: fmtNum(MAX) }), note);
      return;
    }
    busy = true;
    error.hidden = true;
    send.disabled = true;
    setText(send, t('owner.sending'));
    try {
      const u = await ownerReport(tableId, ctx.token, { status: st, note: note.value.trim() });
      a.status = u.status;
      a.updates = [...(a.updates || []), u];
      ctx.ownerStatus = u.status;
      note.value = '';
      drafts.set(tableId, draftKey, '');
      counter();
      renderAction();
      clear(confirm,
        h('p', { class: 'owner-done-h', text: t('owner.sentHeading') }),
        h('p', { text: t('owner.sent', { status: statusText(u.status), when: fmtAt(u.at) }) }));
      confirm.hidden = false;
      confirm.focus();
    } catch (err) {
      if (err.code === 'removed' || err.code === 'unauthorized') { fail(form.closest('main'), err.code); return; }
      if (err.code === 'too_long') showError(t('owner.tooLong', { max: fmtNum(MAX) }), note);
      else showError(errorText(err.code, err.kind));
    } finally {
      busy = false;
      send.disabled = false;
      setText(send, t('owner.send'));
    }
  });
  error.id = 'owner-error';
  renderAction();
  counter();
}
