// The scribe view (a shared laptop at a room table): add the group's ideas
// quickly one after another, and record the group's hand-counted dots.
import { h, setText, syncList, clear, nextId } from '../dom.js';
import { t, tn } from '../i18n.js';
import { Conn } from '../conn.js';
import { bindDraft } from '../store.js';
import { currentItem, itemIdeas, byId } from '../model.js';
import { showRefusal, toast } from '../toast.js';
import { watchAnnouncements } from '../announce.js';
import { topBar } from '../topbar.js';
import { timerView } from '../timer.js';
import { itemBadge, tableBanner, isFollowItem } from '../badges.js';
import { agendaOverview } from './agenda-overview.js';
import { teamPanel } from './team.js';
import { runningWork } from '../work.js';

/** groupDots is the count this group recorded on an idea. */
function groupDots(s, me, item, idea) {
  const mv = s.myVotes && s.myVotes[item] && s.myVotes[item][idea];
  if (mv != null) return mv;
  const i = byId(s.ideas, idea);
  return (i && i.roomDots && i.roomDots[me]) || 0;
}

export function mount(root, tableId, ctx) {
  if (!ctx.token) {
    root.append(topBar({}), h('main', { id: 'main', class: 'page narrow' }, h('h1', { text: t('scribe.noKey') })));
    return null;
  }
  const conn = ctx.conn || (ctx.conn = new Conn({ table: tableId, role: 'scribe', token: ctx.token }));
  const offs = [];
  const bar = topBar({ title: '', role: 'scribe', conn });
  const main = h('main', { id: 'main', class: 'page scribe' });
  root.append(bar, main);

  const groupName = h('p', { class: 'scribe-group' });
  const banner = h('div', { class: 'banner-slot' });
  const title = h('h1', { class: 'now-title' });
  const question = h('p', { class: 'now-question' });
  const phase = h('div', { class: 'now-phase' });
  const timer = timerView(conn, () => currentItem(conn.state));
  const now = h('section', { class: 'card now' }, groupName, title, question, h('div', { class: 'now-meta' }, phase, timer));

  const text = h('textarea', { id: 'scribe-text', rows: '3', maxlength: '1000', required: true });
  const clearDraft = bindDraft(text, tableId, 'scribe');
  const who = h('input', { type: 'text', id: 'scribe-who', maxlength: '80' });
  const addForm = h('form', { class: 'card idea-form', 'aria-labelledby': 'scribe-add-h' },
    h('h2', { id: 'scribe-add-h', text: t('scribe.addHeading') }),
    h('p', { class: 'hint', text: t('scribe.addHint') }),
    h('label', { for: 'scribe-text', class: 'label-strong', text: t('scribe.ideaLabel') }), text,
    h('label', { for: 'scribe-who', text: t('scribe.whoLabel') }), who,
    h('button', { type: 'submit', class: 'btn btn-primary', text: t('scribe.add') }));
  addForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const it = currentItem(conn.state), v = text.value.trim();
    if (!it || !v) return;
    const op = { item: it.id, text: v };
    if (who.value.trim()) op.onBehalf = who.value.trim();
    conn.send('idea.add', op);
    clearDraft(); who.value = '';
    text.focus();
  });
  text.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); addForm.requestSubmit(); }
  });

  const ideasSec = h('section', { class: 'card', 'aria-labelledby': 'scribe-ideas-h' });
  const ideasH = h('h2', { id: 'scribe-ideas-h' });
  const votingHint = h('p', { class: 'hint', text: t('scribe.dotsHint') });
  const list = h('ul', { class: 'idea-list scribe-list' });
  const empty = h('p', { class: 'empty', text: t('idea.empty') });
  ideasSec.append(ideasH, votingHint, list, empty);
  const agenda = agendaOverview(conn);
  const loading = h('p', { class: 'loading', role: 'status', text: t('live.loading') });
  // In group work the room group works as a group (team.js).
  const team = teamPanel(conn, tableId, { role: 'scribe' });
  main.append(loading, banner, now, team.el, addForm, ideasSec, agenda.el);
  now.hidden = true;

  const create = () => {
    const li = h('li', { class: 'idea' });
    const tid = nextId('si'), nid = nextId('sn');
    const input = h('input', { type: 'number', min: '0', max: '1000', inputmode: 'numeric', id: nid, class: 'num' });
    const save = h('button', { type: 'button', class: 'btn btn-small', text: t('common.save'), 'aria-describedby': tid });
    li.parts = { text: h('p', { class: 'idea-text', id: tid }), src: h('p', { class: 'idea-src' }), input, save,
      dots: h('div', { class: 'inline-form dots-form' }, h('label', { for: nid, text: t('scribe.dotsLabel') }), input, save) };
    const commit = () => {
      const s = conn.state, n = Number(input.value);
      if (!Number.isInteger(n) || n < 0) { toast(t('error.invalid_value'), 'error'); return; }
      const it = currentItem(s);
      if (n !== groupDots(s, conn.you, it.id, li.dataset.key)) conn.send('room.dots', { idea: li.dataset.key, dots: n });
    };
    save.addEventListener('click', commit);
    input.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); commit(); } });
    li.append(li.parts.text, li.parts.src, li.parts.dots);
    return li;
  };

  const render = () => {
    const s = conn.state;
    if (!s) return;
    loading.hidden = true; now.hidden = false;
    const g = byId(s.groups, conn.you);
    document.title = `${g ? g.name : t('role.scribe')} – Pöytä`;
    setText(bar.querySelector('.bar-title'), s.table.title);
    setText(groupName, g ? t('scribe.group', { name: g.name }) : '');
    clear(banner, tableBanner(s));
    const it = currentItem(s);
    setText(title, it ? it.title : t('now.noItem'));
    setText(question, it ? it.question : ''); question.hidden = !(it && it.question);
    clear(phase, it ? itemBadge(s, it) : null);
    const open = !s.table.closed && !s.table.locked;
    addForm.hidden = !(it && it.phase === 'collect' && open && !isFollowItem(s, it));
    const voting = !!(it && it.phase === 'vote' && open && !isFollowItem(s, it));
    votingHint.hidden = !voting;
    // While collecting, the group's own ideas; while voting, every idea to count dots for.
    let ideas = it ? itemIdeas(s, it.id) : [];
    if (!voting) ideas = ideas.filter((i) => i.group === conn.you);
    setText(ideasH, voting ? t('scribe.dotsHeading') : tn('scribe.groupIdeas', ideas.length));
    syncList(list, ideas, (i) => i.id, create, (li, i) => {
      setText(li.parts.text, i.text);
      setText(li.parts.src, i.onBehalf || '');
      li.parts.src.hidden = !i.onBehalf;
      li.parts.dots.hidden = !voting;
      const n = groupDots(s, conn.you, i.item, i.id);
      if (document.activeElement !== li.parts.input) li.parts.input.value = String(n);
    });
    empty.hidden = ideas.length > 0;
    agenda.render(s);
    team.render(s);
    const w = runningWork(s);
    if (w && w.mine === conn.you) addForm.hidden = ideasSec.hidden = true;
    else ideasSec.hidden = false;
  };
  offs.push(conn.on('state', render));
  offs.push(conn.on('refused', (err) => showRefusal(err)));
  offs.push(conn.on('status', (st) => { if (st === 'closed') clear(main, h('h1', { text: t('scribe.noKey') })); }));
  offs.push(watchAnnouncements(conn));
  render();
  return () => { offs.forEach((f) => f()); timer.stop(); };
}
