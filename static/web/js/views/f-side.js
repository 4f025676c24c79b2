// The facilitator's side panel: who is present (by sector), the speaking
// queue, room groups with their scribe links, and the participant list
// (with each person's data to hand over, and forgetting them, on request).
import { h, setText, syncList, clear, nextId } from '../dom.js';
import { t, tn, fmtTime, errorText } from '../i18n.js';
import { personLabel, byId, forgotten } from '../model.js';
import { downloadFile } from '../api.js';
import { toast } from '../toast.js';
import { presenceChart } from '../presence.js';
import { copyButton, absolute } from '../links.js';
import { menuButton } from '../menu.js';
import { coFacilitatorsPanel } from './f-cofac.js';

export function sidePanel(conn) {
  const el = h('div', { class: 'side' });
  const presence = h('section', { class: 'panel side-panel', 'aria-labelledby': 'pres-h' });
  const presBody = h('div');
  presence.append(h('h2', { id: 'pres-h', class: 'panel-h', text: t('presence.heading') }), presBody);

  const queue = h('section', { class: 'panel side-panel', 'aria-labelledby': 'queue-h' });
  const queueH = h('h2', { id: 'queue-h', class: 'panel-h' });
  const floor = h('p', { class: 'floor-now' });
  const endTurn = h('button', { type: 'button', class: 'btn btn-small', text: t('queue.endTurn') });
  endTurn.addEventListener('click', () => conn.send('floor.give', { participant: '' }));
  const qList = h('ol', { class: 'queue-list' });
  const qEmpty = h('p', { class: 'empty small', text: t('queue.empty') });
  const clearBtn = h('button', { type: 'button', class: 'btn btn-small btn-quiet', text: t('queue.clear') });
  clearBtn.addEventListener('click', () => conn.send('queue.clear', {}));
  queue.append(queueH, h('div', { class: 'floor-line' }, floor, endTurn), qList, qEmpty, clearBtn);

  const groups = h('section', { class: 'panel side-panel', 'aria-labelledby': 'groups-h' });
  const groupsH = h('h2', { id: 'groups-h', class: 'panel-h' });
  const gList = h('ul', { class: 'group-list' });
  const gName = h('input', { type: 'text', maxlength: '80', id: 'group-name', required: true, placeholder: t('groups.placeholder') });
  const gForm = h('form', { class: 'inline-form group-form' }, h('label', { for: 'group-name', class: 'sr-only', text: t('groups.name') }), gName,
    h('button', { type: 'submit', class: 'btn btn-small', text: t('groups.add') }));
  gForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const v = gName.value.trim();
    if (v) { conn.send('group.add', { name: v }); gName.value = ''; }
  });
  const gHint = h('p', { class: 'hint', text: t('groups.hint') });
  groups.append(groupsH, gHint, gList, gForm);

  const people = h('details', { class: 'panel side-panel people' });
  const pSummary = h('summary');
  const pList = h('ul', { class: 'people-list' });
  people.append(pSummary, pList);

  const cofac = coFacilitatorsPanel(conn);
  el.append(presence, queue, groups, people, cofac.el);

  // Renaming a group in place: its ideas and dots keep the group, and every
  // view labels them with the new name.
  const startRename = (li) => {
    const g = byId(conn.state.groups, li.dataset.key);
    if (!g || li.editing) return;
    const input = h('input', { type: 'text', maxlength: '80', required: true, value: g.name, id: nextId('gname') });
    const cancel = h('button', { type: 'button', class: 'btn btn-small', text: t('common.cancel') });
    const f = h('form', { class: 'rename-form' },
      h('label', { for: input.id, text: t('groups.newName') }), input,
      h('div', { class: 'btn-row' }, h('button', { type: 'submit', class: 'btn btn-primary btn-small', text: t('common.save') }), cancel));
    const done = () => { f.remove(); li.editing = false; li.parts.line.hidden = false; li.parts.menu.button.focus(); };
    f.addEventListener('submit', (e) => {
      e.preventDefault();
      const v = input.value.trim();
      const now = byId(conn.state.groups, li.dataset.key);
      if (v && now && v !== now.name) conn.send('group.rename', { group: li.dataset.key, name: v });
      done();
    });
    cancel.addEventListener('click', done);
    input.addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.preventDefault(); done(); } });
    li.editing = true; li.parts.line.hidden = true;
    li.append(f);
    input.focus(); input.select();
  };

  const render = (s) => {
    cofac.render(s);
    clear(presBody, presenceChart(conn.counts, { compact: true }));
    setText(queueH, s.queue.length ? tn('queue.headingN', s.queue.length) : t('queue.heading'));
    setText(floor, s.floor ? t('queue.speakingSince', { name: personLabel(s, s.floor), time: fmtTime(s.floorSince) }) : t('queue.nobody'));
    endTurn.hidden = !s.floor || s.table.closed;
    syncList(qList, s.queue, (q) => q.participant, () => {
      const li = h('li', { class: 'queue-item' });
      li.parts = { name: h('span', { class: 'q-name' }),
        give: h('button', { type: 'button', class: 'btn btn-small btn-primary', text: t('queue.give') }),
        lower: h('button', { type: 'button', class: 'btn btn-small btn-quiet', text: t('queue.lowerOther') }) };
      li.parts.give.addEventListener('click', () => conn.send('floor.give', { participant: li.dataset.key }));
      li.parts.lower.addEventListener('click', () => conn.send('hand.lower', { participant: li.dataset.key }));
      li.append(li.parts.name, h('span', { class: 'btn-row' }, li.parts.give, li.parts.lower));
      return li;
    }, (li, q) => {
      const name = personLabel(s, q.participant);
      setText(li.parts.name, name);
      li.parts.give.setAttribute('aria-label', t('queue.giveTo', { name }));
      li.parts.lower.setAttribute('aria-label', t('queue.lowerFor', { name }));
      li.parts.give.disabled = li.parts.lower.disabled = s.table.closed;
    });
    qEmpty.hidden = s.queue.length > 0 || !!s.floor;
    clearBtn.hidden = s.queue.length < 2 || s.table.closed;

    // The hall's tables; groups made for people online belong to their group work.
    const live = s.groups.filter((g) => !g.removed && !g.online);
    setText(groupsH, live.length ? tn('groups.headingN', live.length) : t('groups.heading'));
    gHint.hidden = live.length > 0;
    syncList(gList, live, (g) => g.id, () => {
      const li = h('li', { class: 'group-item' });
      const name = h('span', { class: 'g-name' });
      const link = () => li.dataset.link;
      const copy = copyButton(() => link(), t('groups.copyLinkShort'));
      const menu = menuButton({ label: '⋯', cls: 'btn btn-small btn-menu btn-dots', items: () => [
        { label: t('groups.open'), href: link(), target: '_blank', hidden: !link() },
        { label: t('groups.rename'), run: () => startRename(li), keepFocus: true },
        { label: t('common.remove'), danger: true, run: () => { if (confirm(t('groups.removeConfirm'))) conn.send('group.remove', { group: li.dataset.key }); } },
      ] });
      const noLink = h('span', { class: 'muted small', text: t('groups.noLink') });
      li.parts = { name, copy, menu, noLink, line: h('div', { class: 'group-line' }, name, h('span', { class: 'btn-row' }, noLink, copy, menu.el)) };
      li.append(li.parts.line);
      return li;
    }, (li, g) => {
      setText(li.parts.name, g.name);
      li.dataset.link = g.scribeToken ? absolute(`/r/${s.table.id}#${g.scribeToken}`) : '';
      li.parts.copy.hidden = !li.dataset.link;
      li.parts.noLink.hidden = !!li.dataset.link;
      li.parts.copy.setAttribute('aria-label', t('groups.copyLinkFor', { name: g.name }));
      li.parts.menu.button.setAttribute('aria-label', t('groups.menu', { name: g.name }));
      li.parts.menu.el.hidden = s.table.closed;
    });
    gForm.hidden = s.table.closed;

    // Everyone who was at the table, present first; a removed person is
    // still listed so that their data can be handed over or forgotten, a
    // forgotten one no longer (their name is gone).
    const present = s.participants.filter((p) => !p.removed);
    const listed = [...present, ...s.participants.filter((p) => p.removed && !forgotten(p))];
    for (const id of [...forgetting]) {
      const p = byId(s.participants, id);
      if (!p || forgotten(p)) { forgetting.delete(id); if (p) toast(t('people.forgotten')); }
    }
    setText(pSummary, tn('people.summary', present.length, { online: conn.online.size }));
    syncList(pList, listed, (p) => p.id, () => {
      const li = h('li', { class: 'person' });
      li.parts = { name: h('span', { class: 'p-name' }), sector: h('span', { class: 'muted small' }) };
      const who = () => byId(conn.state.participants, li.dataset.key);
      li.parts.menu = menuButton({ label: '⋯', cls: 'btn btn-small btn-menu btn-dots', items: () => {
        const p = who();
        return [
          { label: t('people.remove'), danger: true, hidden: !p || p.removed || conn.state.table.closed, run: () => {
            const q = who();
            if (q && confirm(t('people.removeConfirm', { name: q.name }))) conn.send('participant.remove', { participant: q.id });
          } },
          { label: t('people.download'), hidden: !p, run: () => download(li.dataset.key) },
          { label: t('people.forget'), danger: true, hidden: !p, run: () => forget(li.dataset.key) },
        ];
      } });
      li.append(h('span', { class: 'online-dot', 'aria-hidden': 'true' }), h('span', { class: 'person-text' }, li.parts.name, li.parts.sector), li.parts.menu.el);
      return li;
    }, (li, p) => {
      setText(li.parts.name, p.org ? `${p.name}, ${p.org}` : p.name);
      const on = !p.removed && conn.online.has(p.id);
      li.classList.toggle('online', on);
      li.classList.toggle('removed', !!p.removed);
      setText(li.parts.sector, `${t(`sector.${p.sector || 'other'}`)} · ${p.removed ? t('people.removed') : on ? t('people.online') : t('people.offline')}`);
      li.parts.menu.button.setAttribute('aria-label', t('people.menu', { name: p.name }));
    });
  };

  // A person's own data, as the file the server makes (GDPR access).
  let fetching = false;
  const download = async (id) => {
    if (fetching) return;
    fetching = true;
    try { await downloadFile(conn.table, conn.token, `participants/${encodeURIComponent(id)}`, 'osallistuja.json'); }
    catch (err) { toast(errorText(err.code, err.kind), 'error'); }
    finally { fetching = false; }
  };
  // Forgetting a person for good (GDPR erasure), after saying what it does.
  const forgetting = new Set();
  const forget = (id) => {
    const p = byId(conn.state.participants, id);
    if (!p || forgotten(p)) return;
    const name = p.org ? `${p.name}, ${p.org}` : p.name;
    if (!confirm(t('people.forgetConfirm', { name }))) return;
    forgetting.add(id);
    conn.send('participant.forget', { participant: id });
    pSummary.focus();
  };
  return { el, render };
}
