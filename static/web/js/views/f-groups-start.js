// The facilitator's dialog that splits the current item into small groups
// (groups.start): how many groups or how many people in each, which of
// the hall's room groups take part, how people are placed (mixed by
// sector, at random, by their own choice among the groups' topics, by
// hand), each group's name and optional topic, private or live, and an
// optional dot vote inside the groups.
import { h, field, nextId, setText, clear } from '../dom.js';
import { t, tn, fmtNum } from '../i18n.js';
import { currentItem } from '../model.js';

const PLACEMENTS = ['mixed', 'random', 'choice', 'manual'];

/** radios makes a fieldset of radio buttons, each with an optional hint. */
function radios(legend, name, options, checked) {
  const fs = h('fieldset', { class: 'choice-set' }, h('legend', { text: legend }));
  const inputs = options.map(([value, label, hint]) => {
    const id = nextId(name);
    const input = h('input', { type: 'radio', name, id, value, checked: value === checked });
    const row = h('div', { class: 'check' }, input, h('label', { for: id, text: label }));
    fs.append(row);
    if (hint) {
      const hid = nextId('hint');
      input.setAttribute('aria-describedby', hid);
      fs.append(h('p', { class: 'hint check-hint', id: hid, text: hint }));
    }
    return input;
  });
  return { el: fs, value: () => (inputs.find((i) => i.checked) || inputs[0]).value, inputs };
}

export function groupsStartDialog(conn) {
  const by = radios(t('work.sizeLegend'), 'work-by', [['count', t('work.byCount')], ['size', t('work.bySize')]], 'count');
  const howMany = h('input', { type: 'number', min: '0', max: '200', inputmode: 'numeric', class: 'num', value: '3' });
  const howManyField = field(t('work.count'), howMany);
  const onlyOnline = h('input', { type: 'checkbox', id: nextId('work-online'), checked: true });
  const onlyOnlineLabel = h('label', { for: onlyOnline.id });
  const onlineRow = h('div', { class: 'check' }, onlyOnline, onlyOnlineLabel);
  const rooms = h('fieldset', { class: 'choice-set' }, h('legend', { text: t('work.roomsLegend') }));
  const roomList = h('div');
  rooms.append(h('p', { class: 'hint', text: t('work.roomsHint') }), roomList);
  const placement = radios(t('work.placementLegend'), 'work-place',
    PLACEMENTS.map((p) => [p, t(`work.place.${p}`), t(`work.placeHint.${p}`)]), 'mixed');
  const visibility = radios(t('work.visibilityLegend'), 'work-vis',
    [['private', t('work.private'), t('work.privateHint')], ['live', t('work.live'), t('work.liveHint')]], 'private');
  const dots = h('input', { type: 'number', min: '0', max: '20', inputmode: 'numeric', class: 'num', value: '0' });
  const dotsField = field(t('work.dots'), dots, t('work.dotsHint'));
  const namesBox = h('details', { class: 'work-names' }, h('summary', { text: t('work.namesHeading') }));
  const namesList = h('ol', { class: 'work-name-list' });
  namesBox.append(h('p', { class: 'hint', text: t('work.namesHint') }), namesList);
  const preview = h('p', { class: 'work-preview', role: 'status' });
  const err = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const start = h('button', { type: 'submit', class: 'btn btn-primary', text: t('work.start') });
  const cancel = h('button', { type: 'button', class: 'btn', text: t('common.cancel') });
  const heading = h('h2', { id: 'work-start-h' });
  const form = h('form', { class: 'work-start-form', novalidate: true },
    h('div', { class: 'work-size' }, by.el, howManyField), onlineRow, rooms, placement.el, namesBox,
    visibility.el, dotsField, preview, err, h('div', { class: 'btn-row' }, start, cancel));
  const el = h('dialog', { class: 'dialog work-dialog', 'aria-labelledby': 'work-start-h' }, heading, form);
  cancel.addEventListener('click', () => el.close());

  // The people to place and the room groups on offer, as the dialog opened.
  let roomBoxes = [];
  const people = () => {
    const s = conn.state;
    const all = s.participants.filter((p) => !p.removed);
    const online = all.filter((p) => conn.online.has(p.id));
    return onlyOnline.checked && online.length ? online : all;
  };
  const onlineCount = () => {
    const n = people().length;
    if (by.value() === 'count') return Math.max(0, Math.floor(Number(howMany.value) || 0));
    const per = Math.max(1, Math.floor(Number(howMany.value) || 1));
    return Math.max(1, Math.floor(n / per));
  };
  const chosenRooms = () => roomBoxes.filter((b) => b.checked).map((b) => b.value);

  // One row per online group: its name and optional topic, kept as typed.
  const rows = [];
  const syncNames = () => {
    const n = Math.min(200, onlineCount());
    while (rows.length < n) {
      const k = rows.length + 1;
      const name = h('input', { type: 'text', maxlength: '80', value: t('work.groupN', { n: k }), id: nextId('wname') });
      const topic = h('input', { type: 'text', maxlength: '200', id: nextId('wtopic'), placeholder: t('work.topicPlaceholder') });
      const li = h('li', { class: 'work-name-row' },
        h('div', { class: 'field' }, h('label', { for: name.id, text: t('work.groupName', { n: k }) }), name),
        h('div', { class: 'field' }, h('label', { for: topic.id, text: t('work.groupTopic', { n: k }) }), topic));
      rows.push({ li, name, topic });
    }
    clear(namesList, rows.slice(0, n).map((r) => r.li));
    namesBox.hidden = n === 0;
    const ppl = people().length;
    const parts = [tn('work.previewGroups', n)];
    if (chosenRooms().length) parts.push(tn('work.previewRooms', chosenRooms().length));
    let line = parts.join(' + ');
    if (n && placement.value() !== 'choice' && placement.value() !== 'manual') {
      const lo = Math.floor(ppl / n), hi = Math.ceil(ppl / n);
      line += ' · ' + (lo === hi ? tn('work.previewEach', lo) : t('work.previewRange', { lo: fmtNum(lo), hi: fmtNum(hi) }));
    }
    setText(preview, line);
    setText(howManyField.querySelector('label'), by.value() === 'count' ? t('work.count') : t('work.size'));
    if (placement.value() === 'choice') namesBox.open = true;
  };
  for (const x of [...by.inputs, ...placement.inputs, onlyOnline]) x.addEventListener('change', syncNames);
  howMany.addEventListener('input', syncNames);
  roomList.addEventListener('change', syncNames);

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const s = conn.state, it = currentItem(s);
    if (!it) return;
    const n = Math.min(200, onlineCount());
    const groups = rows.slice(0, n).map((r, k) => ({ name: r.name.value.trim() || t('work.groupN', { n: k + 1 }), topic: r.topic.value.trim() }));
    const roomIds = chosenRooms();
    const total = groups.length + roomIds.length;
    const place = placement.value();
    const d = Number(dots.value);
    let problem = '';
    if (total < 1 || (total < 2 && place === 'choice')) problem = t('work.tooFew');
    else if (!(Number.isInteger(d) && d >= 0 && d <= 20)) problem = t('work.badDots');
    if (problem) { err.textContent = problem; err.hidden = false; return; }
    const op = { item: it.id, groups, rooms: roomIds, placement: place, live: visibility.value() === 'live', dots: d };
    const online = s.participants.filter((p) => !p.removed && conn.online.has(p.id));
    if (onlyOnline.checked && online.length) op.participants = online.map((p) => p.id);
    conn.send('groups.start', op);
    el.close();
  });

  const open = () => {
    const s = conn.state, it = currentItem(s);
    if (!it) return;
    setText(heading, t('work.startHeading', { title: it.title }));
    err.hidden = true;
    const all = s.participants.filter((p) => !p.removed).length;
    const on = s.participants.filter((p) => !p.removed && conn.online.has(p.id)).length;
    setText(onlyOnlineLabel, t('work.onlyOnline', { online: fmtNum(on), all: fmtNum(all) }));
    onlineRow.hidden = !on || on === all;
    const hall = s.groups.filter((g) => !g.removed && !g.online);
    roomBoxes = hall.map((g) => h('input', { type: 'checkbox', id: nextId('wroom'), value: g.id, checked: true }));
    clear(roomList, hall.map((g, k) => h('div', { class: 'check' }, roomBoxes[k], h('label', { for: roomBoxes[k].id, text: g.name }))));
    rooms.hidden = !hall.length;
    syncNames();
    el.showModal();
    howMany.focus();
    howMany.select();
  };
  return { el, open };
}
