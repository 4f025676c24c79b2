// The start page: create a table, or join one with a code.
import { h, field, clear, setText } from '../dom.js';
import { t, tn, errorText, currentLang, fmtDate } from '../i18n.js';
import { LANGS } from '../enums.js';
import { createTable, qrURL } from '../api.js';
import { mine, continuing } from '../store.js';
import { topBar } from '../topbar.js';
import { copyButton, absolute } from '../links.js';

/** parseFacilitatorLink reads {table, secret} from a facilitator link,
 * absolute or from this site: /f/{id}#{secret}. */
export function parseFacilitatorLink(text) {
  const s = (text || '').trim();
  if (!s) return null;
  let u;
  try { u = new URL(s, location.origin); } catch { return null; }
  const m = u.pathname.match(/^\/f\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/?$/i);
  let secret = u.hash.slice(1);
  try { secret = decodeURIComponent(secret); } catch { /* keep as is */ }
  if (!m || !secret) return null;
  return { table: m[1].toLowerCase(), secret };
}

// The facilitator view's "next table of the series" link leaves its
// facilitator link for this page (see store.continuing).
let continueLink = null;

export function mount(root) {
  document.title = t('start.pageTitle') + ' – Pöytä';
  if (continueLink === null) continueLink = continuing.take();
  const main = h('main', { id: 'main', class: 'page start' });
  root.append(topBar({}), main);
  const create = createCard(main, continueLink);
  clear(main,
    h('section', { class: 'hero' },
      h('h1', { text: t('start.heading') }),
      h('p', { class: 'lead', text: t('start.lead') })),
    joinCard(), myTables(), create);
  if (continueLink) create.querySelector('.series-box').scrollIntoView({ block: 'start' });
}

function joinCard() {
  const input = h('input', { type: 'text', name: 'code', autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false',
    required: true, maxlength: '20', inputmode: 'text', placeholder: 'KP-1234-ABCD', class: 'code-input' });
  const form = h('form', { class: 'card join-card', 'aria-labelledby': 'join-h' },
    h('h2', { id: 'join-h', text: t('start.joinHeading') }),
    field(t('start.codeLabel'), input, t('start.codeHint')),
    h('button', { type: 'submit', class: 'btn btn-primary', text: t('start.joinButton') }));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const code = input.value.trim();
    if (code) location.assign('/j/' + encodeURIComponent(code.replace(/\s+/g, '-')));
  });
  return form;
}

function myTables() {
  const list = mine.list();
  if (!list.length) return null;
  return h('section', { class: 'card', 'aria-labelledby': 'mine-h' },
    h('h2', { id: 'mine-h', text: t('start.mineHeading') }),
    h('ul', { class: 'plain-list' }, list.map((x) => h('li', {},
      h('a', { href: x.link, text: x.title }),
      x.date ? h('span', { class: 'muted', text: ' · ' + fmtDate(x.date, 'medium') }) : null))));
}

function agendaRow(list, values = {}) {
  const title = h('input', { type: 'text', maxlength: '200', required: true, value: values.title || '' });
  const question = h('textarea', { rows: '2', maxlength: '500' });
  question.value = values.question || '';
  const presenter = h('input', { type: 'text', maxlength: '160', value: values.presenter || '' });
  const timebox = h('input', { type: 'number', min: '0', max: '1440', step: '1', inputmode: 'numeric', value: values.timebox || '' });
  const legend = h('legend');
  const remove = h('button', { type: 'button', class: 'btn btn-small btn-quiet' });
  const row = h('fieldset', { class: 'agenda-row' }, legend,
    field(t('start.itemTitle'), title),
    field(t('start.itemQuestion'), question, t('start.itemQuestionHint')),
    h('div', { class: 'row2' }, field(t('start.itemPresenter'), presenter), field(t('start.itemTimebox'), timebox)),
    remove);
  row.values = () => ({ title: title.value.trim(), question: question.value.trim(), presenter: presenter.value.trim(),
    timebox: Number(timebox.value) || 0 });
  remove.addEventListener('click', () => {
    const next = row.nextElementSibling || row.previousElementSibling;
    row.remove(); renumber(list);
    (next ? next.querySelector('input') : list.parentElement.querySelector('.add-item'))?.focus();
  });
  return row;
}

function renumber(list) {
  [...list.children].forEach((row, i) => {
    row.querySelector('legend').textContent = t('start.itemN', { n: i + 1 });
    const b = row.querySelector('button');
    b.textContent = t('start.removeItem');
    b.setAttribute('aria-label', t('start.removeItemN', { n: i + 1 }));
    b.hidden = list.children.length < 2 && !list.dataset.series;
  });
}

/** seriesBox is the optional "next table of a series" part of the form. */
function seriesBox(initial, onChange) {
  const remembered = mine.list().filter((x) => parseFacilitatorLink(x.link));
  const link = h('input', { type: 'text', inputmode: 'url', autocomplete: 'off', spellcheck: 'false', class: 'series-link',
    placeholder: 'https://…/f/…#…', value: initial || '' });
  const pick = remembered.length ? h('select', {},
    h('option', { value: '', text: t('start.seriesPickNone') }),
    remembered.map((x, k) => h('option', { value: String(k), text: x.date ? `${x.title} · ${fmtDate(x.date, 'medium')}` : x.title }))) : null;
  const state = h('p', { class: 'series-state', role: 'status' });
  // Collapsed unless it holds a link: most tables start a series of one.
  const box = h('details', { class: 'series-box', open: !!initial },
    h('summary', { text: t('start.seriesHeading') }),
    h('p', { class: 'muted', text: t('start.seriesLead') }),
    pick ? field(t('start.seriesPick'), pick) : null,
    field(t('start.seriesLink'), link, t('start.seriesLinkHint')),
    state);
  const from = () => parseFacilitatorLink(link.value);
  const update = () => {
    const f = from(), text = link.value.trim();
    const known = f && remembered.find((x) => { const p = parseFacilitatorLink(x.link); return p && p.table === f.table; });
    if (pick) {
      const k = known ? remembered.indexOf(known) : -1;
      pick.value = k >= 0 ? String(k) : '';
    }
    box.classList.toggle('series-on', !!f);
    state.className = 'series-state' + (f ? ' series-ok' : text ? ' series-bad' : '');
    setText(state, f ? (known ? t('start.seriesOk', { title: known.title }) : t('start.seriesOkUnknown')) : text ? t('start.seriesBad') : '');
    link.setAttribute('aria-invalid', String(!f && !!text));
    onChange(f);
  };
  link.addEventListener('input', update);
  if (pick) pick.addEventListener('change', () => {
    const x = remembered[Number(pick.value)];
    link.value = pick.value !== '' && x ? absolute(x.link) : '';
    update();
  });
  box.from = from;
  box.init = update;
  return box;
}

function createCard(main, initialFrom) {
  const v = {
    title: h('input', { type: 'text', maxlength: '200', required: true, autocomplete: 'off' }),
    theme: h('textarea', { rows: '2', maxlength: '500' }),
    date: h('input', { type: 'date' }),
    start: h('input', { type: 'time' }),
    end: h('input', { type: 'time' }),
    room: h('input', { type: 'text', maxlength: '300' }),
    link: h('input', { type: 'url', maxlength: '1000', placeholder: 'https://', inputmode: 'url' }),
    lang: h('select', {}, LANGS.map((l) => h('option', { value: l, selected: l === currentLang(), text: t(`lang.name.${l}`) }))),
    facilitator: h('input', { type: 'text', maxlength: '80', autocomplete: 'name' }),
    allowAnonymous: h('input', { type: 'checkbox', checked: true }),
    moderated: h('input', { type: 'checkbox', id: 'moderated', 'aria-describedby': 'moderated-hint' }),
    plain: h('input', { type: 'checkbox', id: 'plain', 'aria-describedby': 'plain-hint' }),
    dots: h('input', { type: 'number', min: '1', max: '20', value: '3', inputmode: 'numeric', required: true }),
  };
  const list = h('div', { class: 'agenda-rows' });
  list.append(agendaRow(list));
  renumber(list);
  const addItem = h('button', { type: 'button', class: 'btn add-item', text: t('start.addItem') });
  let inSeries = false;
  addItem.addEventListener('click', () => {
    const row = agendaRow(list);
    row.querySelector('input').required = !inSeries;
    list.append(row); renumber(list);
    row.querySelector('input').focus();
  });
  const emptyRow = (r) => Object.values(r.values()).every((x) => !x);
  // In a series an empty agenda copies the earlier one, so no item is required.
  const agendaNote = h('p', { class: 'note series-note', hidden: true, text: t('start.agendaCopied') });
  const themeHint = h('p', { class: 'hint series-note', hidden: true, id: 'theme-copied', text: t('start.themeCopied') });
  const themeField = field(t('start.theme'), v.theme, t('start.themeHint'));
  themeField.append(themeHint);
  const themeDescribed = v.theme.getAttribute('aria-describedby');
  const series = seriesBox(initialFrom, (f) => {
    inSeries = !!f;
    agendaNote.hidden = themeHint.hidden = !inSeries;
    v.theme.setAttribute('aria-describedby', inSeries ? `${themeDescribed} theme-copied` : themeDescribed);
    list.dataset.series = inSeries ? '1' : '';
    // In a series the earlier agenda is the default: drop untouched rows;
    // a new table needs one row to start from.
    if (inSeries) for (const row of [...list.children]) if (emptyRow(row)) row.remove();
    if (!inSeries && !list.children.length) list.append(agendaRow(list));
    for (const row of list.children) row.querySelector('input').required = !inSeries;
    renumber(list);
  });
  const errBox = h('p', { class: 'form-error', role: 'alert', tabindex: '-1', hidden: true });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-big', text: t('start.create') });
  const form = h('form', { class: 'card create-card', 'aria-labelledby': 'create-h' },
    h('h2', { id: 'create-h', text: t('start.createHeading') }),
    h('p', { class: 'muted', text: t('start.createLead') }),
    errBox,
    series,
    h('fieldset', { class: 'group' }, h('legend', { text: t('start.basics') }),
      field(t('start.title'), v.title, t('start.titleHint')),
      themeField,
      h('div', { class: 'row3' }, field(t('start.date'), v.date), field(t('start.start'), v.start), field(t('start.end'), v.end)),
      field(t('start.room'), v.room, t('start.roomHint')),
      field(t('start.link'), v.link, t('start.linkHint')),
      h('div', { class: 'row2' }, field(t('start.lang'), v.lang), field(t('start.facilitator'), v.facilitator)),
      h('div', { class: 'check check-hinted' }, v.plain, h('label', { for: 'plain', text: t('settings.plain') })),
      h('p', { class: 'hint check-hint', id: 'plain-hint', text: t('settings.plainHint') })),
    h('fieldset', { class: 'group' }, h('legend', { text: t('start.agenda') }), agendaNote, list, addItem),
    h('fieldset', { class: 'group' }, h('legend', { text: t('start.voting') }),
      h('div', { class: 'check' }, v.allowAnonymous, h('label', { for: v.allowAnonymous.id = 'anon', text: t('start.allowAnonymous') })),
      h('div', { class: 'check check-hinted' }, v.moderated, h('label', { for: 'moderated', text: t('settings.moderated') })),
      h('p', { class: 'hint check-hint', id: 'moderated-hint', text: t('settings.moderatedHint') }),
      field(t('start.dots'), v.dots, t('start.dotsHint'))),
    submit);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    errBox.hidden = true;
    const link = v.link.value.trim();
    if (link && !/^https?:\/\//i.test(link)) {
      errBox.textContent = t('start.linkInvalid'); errBox.hidden = false; v.link.focus(); return;
    }
    const input = {
      title: v.title.value.trim(), theme: v.theme.value.trim(), date: v.date.value, start: v.start.value, end: v.end.value,
      room: v.room.value.trim(), link, lang: v.lang.value, facilitator: v.facilitator.value.trim(),
      allowAnonymous: v.allowAnonymous.checked, moderated: v.moderated.checked, plain: v.plain.checked, dots: Number(v.dots.value) || 3,
      agenda: [...list.children].map((r) => r.values()).filter((x) => x.title),
    };
    const from = series.from();
    if (from) input.from = from;
    else if (series.querySelector('.series-link').value.trim()) {
      errBox.textContent = t('start.seriesBad'); errBox.hidden = false; series.querySelector('.series-link').focus(); return;
    }
    submit.disabled = true;
    try {
      const out = await createTable(input);
      mine.add({ id: out.id, title: input.title, date: input.date, link: out.facilitatorLink });
      continueLink = '';
      showCreated(main, out, input);
    } catch (err) {
      errBox.textContent = from && err.code === 'unauthorized' ? t('start.seriesRefused') : errorText(err.code, err.kind);
      errBox.hidden = false; errBox.focus();
    } finally { submit.disabled = false; }
  });
  series.init();
  return form;
}

function linkRow(label, url, id, extra) {
  const input = h('input', { type: 'text', readonly: true, value: url, id, class: 'link-input' });
  input.addEventListener('focus', () => input.select());
  return h('div', { class: 'link-row' },
    h('label', { for: id, text: label }),
    h('div', { class: 'link-line' }, input, copyButton(() => url, t('copy.button')), extra));
}

function showCreated(main, out, input) {
  const fLink = absolute(out.facilitatorLink), jLink = absolute(out.joinLink), sLink = absolute(out.screenLink);
  const heading = h('h1', { tabindex: '-1', text: t('created.heading') });
  clear(main,
    h('section', { class: 'created' },
      heading,
      h('p', { class: 'lead', text: input.title }),
      input.from ? seriesResult(out, input) : null,
      h('div', { class: 'card warn-card' },
        h('h2', { text: t('created.keyHeading') }),
        h('p', { class: 'warning', text: t('created.keyWarning') }),
        linkRow(t('created.facilitatorLink'), fLink, 'f-link',
          h('a', { class: 'btn btn-primary', href: out.facilitatorLink, text: t('created.open') }))),
      h('div', { class: 'card share-card' },
        h('h2', { text: t('created.shareHeading') }),
        h('div', { class: 'share-grid' },
          h('div', {},
            h('p', { class: 'code-label', text: t('created.code') }),
            h('p', { class: 'code-big', text: out.code }),
            linkRow(t('created.joinLink'), jLink, 'j-link')),
          h('img', { class: 'qr', src: qrURL(out.code), alt: t('created.qrAlt', { code: out.code }), width: '200', height: '200' }))),
      h('div', { class: 'card' },
        h('h2', { text: t('created.screenHeading') }),
        h('p', { class: 'muted', text: t('created.screenHint') }),
        linkRow(t('created.screenLink'), sLink, 's-link'))));
  heading.focus();
}

/** seriesResult says what the new table of a series brought along. */
function seriesResult(out, input) {
  const lines = [];
  if (!input.agenda.length) lines.push(t('created.agendaCopied'));
  lines.push(out.followUps ? tn('created.followUps', out.followUps) : t('created.noFollowUps'));
  return h('div', { class: 'card series-card', role: 'status' }, lines.map((l) => h('p', { text: l })));
}
