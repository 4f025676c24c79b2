// "You are at the table as …": a participant's own name, organisation and
// sector, editable during the meeting.
import { h, setText, field } from '../dom.js';
import { t } from '../i18n.js';
import { SECTORS } from '../enums.js';
import { byId } from '../model.js';

export function profileBox(conn) {
  const el = h('details', { class: 'card profile' });
  const summary = h('summary');
  const name = h('input', { type: 'text', maxlength: '80', required: true, autocomplete: 'name' });
  const org = h('input', { type: 'text', maxlength: '150', autocomplete: 'organization' });
  const sector = h('select', {}, SECTORS.map((s) => h('option', { value: s, text: t(`sector.${s}`) })));
  const form = h('form', {}, field(t('join.name'), name), field(t('join.org'), org), field(t('join.sector'), sector),
    h('button', { type: 'submit', class: 'btn', text: t('common.save') }));
  el.append(summary, form);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    conn.send('participant.update', { name: name.value.trim(), org: org.value.trim(), sector: sector.value });
    el.open = false;
  });
  let filled = false;
  el.addEventListener('toggle', () => { if (!el.open) filled = false; });
  const render = (s) => {
    const me = byId(s.participants, conn.you);
    if (!me) { el.hidden = true; return; }
    el.hidden = false;
    setText(summary, t('profile.summary', { who: me.org ? `${me.name}, ${me.org}` : me.name }));
    if (!el.open || !filled) { name.value = me.name; org.value = me.org; sector.value = me.sector || 'other'; filled = el.open; }
  };
  return { el, render };
}
