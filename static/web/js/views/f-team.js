// One group opened live beside the facilitator's overview: its ideas as
// they come (with its dots and the ideas marked for the plenary), its
// reporter, its summary, its video room, an idea added for it. With no
// group open: the messages sent to the groups.
import { h, setText, syncList, nextId, clear } from '../dom.js';
import { t, tn } from '../i18n.js';
import { byId } from '../model.js';
import { menuButton } from '../menu.js';
import { runningWork, teamOf, groupName, groupIdeas, isRoomGroup, teamIdeaSource, membersOf } from '../work.js';
import { messagesList } from './f-groups.js';

export function teamDetail(conn, { close }) {
  const el = h('section', { class: 'team-detail', 'aria-labelledby': 'team-d-h' });
  const heading = h('h3', { id: 'team-d-h', class: 'panel-h', tabindex: '-1' });
  const closeBtn = h('button', { type: 'button', class: 'btn btn-small', text: t('work.close') });
  closeBtn.addEventListener('click', () => close());
  const topic = h('p', { class: 'team-topic' });
  const help = h('div', { class: 'team-help' }, h('p', { class: 'team-help-tag', text: t('work.helpCalled') }));
  const answer = h('button', { type: 'button', class: 'btn btn-small', text: t('work.answer') });
  help.append(answer);

  const reporter = h('select', { id: 'team-d-rep' });
  const repForm = h('form', { class: 'inline-form team-rep' }, h('label', { for: 'team-d-rep', text: t('work.reporter') }), reporter,
    h('button', { type: 'submit', class: 'btn btn-small', text: t('work.choose') }));
  const video = h('input', { type: 'url', id: 'team-d-video', maxlength: '2000', placeholder: 'https://' });
  const videoForm = h('form', { class: 'team-video-form' }, h('label', { for: 'team-d-video', text: t('work.videoLabel') }),
    h('div', { class: 'inline-form' }, video, h('button', { type: 'submit', class: 'btn btn-small', text: t('common.save') })));
  const ideasH = h('h4', { id: 'team-d-ideas', class: 'small-h' });
  const list = h('ol', { class: 'idea-list team-ideas', 'aria-labelledby': 'team-d-ideas' });
  const empty = h('p', { class: 'empty small', text: t('work.noIdeas') });
  const text = h('textarea', { id: 'team-d-text', rows: '2', maxlength: '1000', required: true });
  const addForm = h('details', { class: 'behalf' }, h('summary', { text: t('work.addForGroup') }),
    h('form', { class: 'behalf-form' }, h('label', { for: 'team-d-text', class: 'sr-only', text: t('work.addForGroup') }), text,
      h('button', { type: 'submit', class: 'btn btn-small btn-primary', text: t('fac.behalfAdd') })));
  const summary = h('textarea', { id: 'team-d-sum', rows: '3', maxlength: '5000' });
  const sumForm = h('form', { class: 'team-summary-form' }, h('label', { for: 'team-d-sum', text: t('work.summary') }), summary,
    h('div', { class: 'btn-row' }, h('button', { type: 'submit', class: 'btn btn-small', text: t('work.saveSummary') })));
  const body = h('div', { class: 'scroll-panel team-d-scroll' }, topic, help, repForm, ideasH, list, empty, addForm, sumForm, videoForm);

  const idleH = h('h3', { class: 'panel-h', text: t('work.messagesHeading') });
  const idleHint = h('p', { class: 'hint', text: t('work.openHint') });
  const msgs = h('div');
  const idle = h('div', { class: 'team-d-idle' }, idleH, idleHint, msgs);
  el.append(h('div', { class: 'panel-head' }, heading, closeBtn), body, idle);

  let group = '';
  answer.addEventListener('click', () => conn.send('group.help', { group, help: false }));
  repForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const tv = teamOf(runningWork(conn.state), group);
    if (tv && (tv.reporter || '') !== reporter.value) conn.send('group.reporter', { group, participant: reporter.value });
  });
  videoForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const tv = teamOf(runningWork(conn.state), group);
    const v = video.value.trim();
    if (tv && (tv.video || '') !== v) conn.send('group.video', { group, link: v });
  });
  addForm.querySelector('form').addEventListener('submit', (e) => {
    e.preventDefault();
    const w = runningWork(conn.state), v = text.value.trim();
    if (!w || !v) return;
    conn.send('idea.add', { item: w.item, text: v, group });
    text.value = '';
    text.focus();
  });
  sumForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const tv = teamOf(runningWork(conn.state), group);
    if (tv && (tv.summary || '') !== summary.value.trim()) conn.send('group.summary', { group, summary: summary.value.trim() });
  });

  const create = () => {
    const li = h('li', { class: 'idea team-idea' });
    const tid = nextId('tdi');
    const p = li.parts = { text: h('p', { class: 'idea-text', id: tid }), src: h('p', { class: 'idea-src' }), tally: h('p', { class: 'idea-tally' }),
      pick: h('button', { type: 'button', class: 'btn btn-small pick', 'aria-describedby': tid, text: t('work.pick') }) };
    p.pick.addEventListener('click', () => conn.send('group.pick', { idea: li.dataset.key, picked: p.pick.getAttribute('aria-pressed') !== 'true' }));
    p.menu = menuButton({ label: '⋯', cls: 'btn btn-small btn-menu btn-dots', items: () => {
      const i = byId(conn.state.ideas, li.dataset.key);
      return i ? [{ label: i.hidden ? t('fac.unhide') : t('fac.hide'), run: () => conn.send(i.hidden ? 'idea.unhide' : 'idea.hide', { idea: i.id }) }] : [];
    } });
    li.append(p.text, p.src, p.tally, h('div', { class: 'btn-row team-idea-tools' }, p.pick, p.menu.el));
    return li;
  };

  const render = (s) => {
    const w = runningWork(s), tv = teamOf(w, group);
    if (group && !tv) group = '';
    body.hidden = closeBtn.hidden = heading.hidden = !group;
    idle.hidden = !!group;
    if (!group) { if (w) clear(msgs, messagesList(w)); return; }
    const gr = byId(s.groups, group);
    setText(heading, groupName(s, group) + (isRoomGroup(s, group) ? ` (${t('work.roomKind')})` : ''));
    setText(topic, gr && gr.topic ? gr.topic : '');
    topic.hidden = !(gr && gr.topic);
    help.hidden = !tv.help;
    const members = membersOf(s, tv);
    const key = members.map((m) => m.id + m.name).join();
    if (reporter.dataset.key !== key) {
      reporter.dataset.key = key;
      clear(reporter, h('option', { value: '', text: t('work.noReporter') }), members.map((m) => h('option', { value: m.id, text: m.name })));
    }
    if (document.activeElement !== reporter) reporter.value = tv.reporter || '';
    repForm.hidden = !members.length;
    if (document.activeElement !== video) video.value = tv.video || '';
    if (document.activeElement !== summary && !sumForm.dirty) summary.value = tv.summary || '';
    const ideas = groupIdeas(s, w, group, { hidden: true });
    setText(ideasH, tn('work.groupIdeas', ideas.filter((i) => !i.hidden).length));
    const picked = tv.picked || [];
    syncList(list, ideas, (i) => i.id, create, (li, i) => {
      const p = li.parts;
      setText(p.text, i.text);
      setText(p.src, [teamIdeaSource(s, i), i.hidden ? t('fac.hiddenTag') : ''].filter(Boolean).join(' · '));
      li.classList.toggle('hidden-idea', !!i.hidden);
      setText(p.tally, w.dots ? tn('results.dots', i.votes || 0) : '');
      p.tally.hidden = !w.dots;
      const on = picked.includes(i.id);
      p.pick.setAttribute('aria-pressed', String(on));
      setText(p.pick, t('work.pick'));
      li.classList.toggle('picked', on);
      p.pick.hidden = !!i.hidden;
      p.menu.button.setAttribute('aria-label', t('fac.ideaMenu', { text: i.text.slice(0, 80) }));
    });
    empty.hidden = ideas.length > 0;
  };
  summary.addEventListener('input', () => { sumForm.dirty = true; });
  sumForm.addEventListener('submit', () => { sumForm.dirty = false; });

  /** open shows a group; "" shows the messages. */
  const open = (g) => { if (g !== group) sumForm.dirty = false; group = g || ''; };
  return { el, render, open, focus: () => heading.focus(), get group() { return group; } };
}
