// The start page: create a table, or join one with a code.
import { h, field, clear } from '../dom.js';
import { t, errorText, currentLang, LANGS, fmtDate } from '../i18n.js';
import { createTable, qrURL } from '../api.js';
import { mine } from '../store.js';
import { topBar, copyButton, absolute } from '../parts.js';

export function mount(root) {
  document.title = t('start.pageTitle') + ' – Pöytä';
  const main = h('main', { id: 'main', class: 'page start' });
  root.append(topBar({}), main);
  clear(main,
    h('section', { class: 'hero' },
      h('h1', { text: t('start.heading') }),
      h('p', { class: 'lead', text: t('start.lead') })),
    joinCard(), myTables(), createCard(main));
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
    b.hidden = list.children.length < 2;
  });
}

function createCard(main) {
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
    dots: h('input', { type: 'number', min: '1', max: '20', value: '3', inputmode: 'numeric', required: true }),
  };
  const list = h('div', { class: 'agenda-rows' });
  list.append(agendaRow(list));
  renumber(list);
  const addItem = h('button', { type: 'button', class: 'btn add-item', text: t('start.addItem') });
  addItem.addEventListener('click', () => {
    const row = agendaRow(list);
    list.append(row); renumber(list);
    row.querySelector('input').focus();
  });
  const errBox = h('p', { class: 'form-error', role: 'alert', tabindex: '-1', hidden: true });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-big', text: t('start.create') });
  const form = h('form', { class: 'card create-card', 'aria-labelledby': 'create-h' },
    h('h2', { id: 'create-h', text: t('start.createHeading') }),
    h('p', { class: 'muted', text: t('start.createLead') }),
    errBox,
    h('fieldset', { class: 'group' }, h('legend', { text: t('start.basics') }),
      field(t('start.title'), v.title, t('start.titleHint')),
      field(t('start.theme'), v.theme, t('start.themeHint')),
      h('div', { class: 'row3' }, field(t('start.date'), v.date), field(t('start.start'), v.start), field(t('start.end'), v.end)),
      field(t('start.room'), v.room, t('start.roomHint')),
      field(t('start.link'), v.link, t('start.linkHint')),
      h('div', { class: 'row2' }, field(t('start.lang'), v.lang), field(t('start.facilitator'), v.facilitator))),
    h('fieldset', { class: 'group' }, h('legend', { text: t('start.agenda') }), list, addItem),
    h('fieldset', { class: 'group' }, h('legend', { text: t('start.voting') }),
      h('div', { class: 'check' }, v.allowAnonymous, h('label', { for: v.allowAnonymous.id = 'anon', text: t('start.allowAnonymous') })),
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
      allowAnonymous: v.allowAnonymous.checked, dots: Number(v.dots.value) || 3,
      agenda: [...list.children].map((r) => r.values()).filter((x) => x.title),
    };
    submit.disabled = true;
    try {
      const out = await createTable(input);
      mine.add({ id: out.id, title: input.title, date: input.date, link: out.facilitatorLink });
      showCreated(main, out, input);
    } catch (err) {
      errBox.textContent = errorText(err.code, err.kind);
      errBox.hidden = false; errBox.focus();
    } finally { submit.disabled = false; }
  });
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
