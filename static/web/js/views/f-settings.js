// The table's settings, from the table menu: its name, how ideas come in
// (anonymous ideas allowed; at a moderated table new ideas wait for a
// facilitator's review before the room sees them), and where the
// interpreter's live text goes (the room screen; the minutes, off unless
// chosen).
import { h, field } from '../dom.js';
import { t } from '../i18n.js';

export function settingsDialog(conn) {
  const title = h('input', { type: 'text', maxlength: '200', required: true, id: 'set-title' });
  const anon = h('input', { type: 'checkbox', id: 'set-anon' });
  const moderated = h('input', { type: 'checkbox', id: 'set-moderated' });
  const plain = h('input', { type: 'checkbox', id: 'set-plain', 'aria-describedby': 'set-plain-hint' });
  const save = h('button', { type: 'submit', class: 'btn btn-primary', text: t('common.save') });
  const cancel = h('button', { type: 'button', class: 'btn', text: t('common.cancel') });
  const modRow = h('div', { class: 'check check-hinted' }, moderated, h('label', { for: 'set-moderated', text: t('settings.moderated') }));
  const modHint = h('p', { class: 'hint check-hint', id: 'set-moderated-hint', text: t('settings.moderatedHint') });
  moderated.setAttribute('aria-describedby', 'set-moderated-hint');
  // Live text (the interpreter's captions): on the room screen, in the minutes.
  const hinted = (id, label, hint) => {
    const box = h('input', { type: 'checkbox', id, 'aria-describedby': `${id}-hint` });
    return { box, els: [h('div', { class: 'check check-hinted' }, box, h('label', { for: id, text: label })),
      h('p', { class: 'hint check-hint', id: `${id}-hint`, text: hint })] };
  };
  const capScreen = hinted('set-cap-screen', t('settings.captionsOnScreen'), t('settings.captionsOnScreenHint'));
  const capMinutes = hinted('set-cap-minutes', t('settings.captionsInMinutes'), t('settings.captionsInMinutesHint'));
  const form = h('form', { method: 'dialog', class: 'settings-form' },
    field(t('start.title'), title),
    h('div', { class: 'check' }, anon, h('label', { for: 'set-anon', text: t('start.allowAnonymous') })),
    modRow, modHint,
    h('div', { class: 'check check-hinted' }, plain, h('label', { for: 'set-plain', text: t('settings.plain') })),
    h('p', { class: 'hint check-hint', id: 'set-plain-hint', text: t('settings.plainHint') }),
    h('fieldset', { class: 'settings-captions' }, h('legend', { text: t('settings.captions') }), capScreen.els, capMinutes.els),
    h('div', { class: 'btn-row' }, save, cancel));
  const el = h('dialog', { class: 'dialog', 'aria-labelledby': 'settings-h' }, h('h2', { id: 'settings-h', text: t('settings.heading') }), form);
  cancel.addEventListener('click', () => el.close());
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const tb = conn.state.table;
    const ch = {};
    const v = title.value.trim();
    if (v && v !== tb.title) ch.title = v;
    if (anon.checked !== !!tb.allowAnonymous) ch.allowAnonymous = anon.checked;
    if (moderated.checked !== !!tb.moderated) ch.moderated = moderated.checked;
    if (plain.checked !== !!tb.plain) ch.plain = plain.checked;
    if (capScreen.box.checked !== !!tb.captionsOnScreen) ch.captionsOnScreen = capScreen.box.checked;
    if (capMinutes.box.checked !== !!tb.captionsInMinutes) ch.captionsInMinutes = capMinutes.box.checked;
    if (Object.keys(ch).length) conn.send('table.edit', ch);
    el.close();
  });
  const open = () => {
    const tb = conn.state.table;
    title.value = tb.title;
    anon.checked = !!tb.allowAnonymous;
    moderated.checked = !!tb.moderated;
    plain.checked = !!tb.plain;
    capScreen.box.checked = !!tb.captionsOnScreen;
    capMinutes.box.checked = !!tb.captionsInMinutes;
    el.showModal();
    title.focus();
  };
  return { el, open };
}
