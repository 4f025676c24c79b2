// A member's group in group work, on the phone (participant) or the room
// group's laptop (scribe): the group's name, topic and members, the
// facilitator's messages (a live region), the group's video room, a call
// for the facilitator, the group's own ideas and its dot vote, and the
// reporter's tools: the summary and the ideas marked for the plenary.
// With placement by choice, the groups to choose from.
import { h, setText, syncList, nextId, clear } from '../dom.js';
import { t, tn, fmtNum, fmtTime } from '../i18n.js';
import { bindDraft } from '../store.js';
import { byId } from '../model.js';
import { runningWork, teamOf, groupName, groupIdeas, ideasCount, latestMessage, teamIdeaSource, membersOf } from '../work.js';
import { myDots, usedDots } from './p-ideas.js';

export function teamPanel(conn, table, { role = 'participant' } = {}) {
  const scribe = role === 'scribe';
  const el = h('div', { class: 'team-wrap' });
  // The facilitator's latest message: a live region that stays in the page.
  const message = h('div', { class: 'work-message', role: 'status', 'aria-live': 'assertive', 'aria-atomic': 'true' });

  const card = h('section', { class: 'card team', 'aria-labelledby': 'team-h' });
  const name = h('h2', { id: 'team-h', class: 'team-title' });
  const topic = h('p', { class: 'team-topic' });
  const mates = h('p', { class: 'team-mates' });
  const video = h('a', { class: 'btn team-video-link', target: '_blank', rel: 'noopener noreferrer', text: t('work.videoOpen') });
  const helpBtn = h('button', { type: 'button', class: 'btn btn-help' });
  const helpState = h('p', { class: 'help-state', role: 'status' });
  helpBtn.addEventListener('click', () => {
    const w = runningWork(conn.state), tv = teamOf(w, w && w.mine);
    if (tv) conn.send('group.help', { group: w.mine, help: !tv.help });
  });

  const ideasH = h('h3', { id: 'team-ideas-h' });
  const dotsBox = h('div', { class: 'team-dots-left', role: 'status' });
  const text = h('textarea', { id: 'team-text', rows: '3', maxlength: '1000', required: true, enterkeyhint: 'send' });
  const clearDraft = bindDraft(text, table, scribe ? 'team-scribe' : 'team');
  const who = scribe ? h('input', { type: 'text', id: 'team-who', maxlength: '80' }) : null;
  const form = h('form', { class: 'idea-form team-form' },
    h('label', { for: 'team-text', class: 'label-strong', text: t('work.ideaLabel') }), text,
    who ? [h('label', { for: 'team-who', text: t('scribe.whoLabel') }), who] : null,
    h('button', { type: 'submit', class: 'btn btn-primary', text: t('idea.send') }));
  const pendingList = h('ul', { class: 'idea-list pending-list', 'aria-label': t('idea.sendingList') });
  const list = h('ul', { class: 'idea-list team-ideas', 'aria-labelledby': 'team-ideas-h' });
  const empty = h('p', { class: 'empty', text: t('work.noIdeasYet') });

  const reportH = h('h3', { id: 'team-report-h', text: t('work.reportHeading') });
  const reporterLine = h('p', { class: 'team-reporter' });
  const repSelect = h('select', { id: 'team-rep' });
  const repForm = h('form', { class: 'inline-form team-rep-form' }, h('label', { for: 'team-rep', text: t('work.chooseReporter') }), repSelect,
    h('button', { type: 'submit', class: 'btn btn-small', text: t('work.choose') }));
  const beReporter = h('button', { type: 'button', class: 'btn btn-primary', text: t('work.beReporter') });
  const reporterHint = h('p', { class: 'hint', text: scribe ? t('work.scribeReportHint') : t('work.reporterHint') });
  const summary = h('textarea', { id: 'team-sum', rows: '4', maxlength: '5000' });
  const clearSum = bindDraft(summary, table, scribe ? 'team-sum-scribe' : 'team-sum');
  const sumState = h('span', { class: 'muted small', role: 'status' });
  const sumForm = h('form', { class: 'team-summary-form' }, h('label', { for: 'team-sum', class: 'label-strong', text: t('work.summary') }), summary,
    h('div', { class: 'btn-row' }, h('button', { type: 'submit', class: 'btn', text: t('work.saveSummary') }), sumState));
  const summaryRead = h('p', { class: 'team-summary' });
  const repSum = h('summary');
  const repBox = h('details', { class: 'team-rep-box' }, repSum, repForm);
  const report = h('section', { class: 'team-report', 'aria-labelledby': 'team-report-h' }, reportH, reporterLine, beReporter, repBox, reporterHint, sumForm, summaryRead);

  const othersSum = h('summary', { text: t('work.othersIdeas.other', { n: 0 }) });
  const others = h('details', { class: 'team-others' }, othersSum);
  const othersList = h('div');
  others.append(othersList);

  card.append(h('p', { class: 'team-kicker', text: scribe ? t('work.kickerScribe') : t('work.kicker') }), name, topic, mates,
    h('div', { class: 'btn-row team-actions' }, video, helpBtn), helpState,
    h('section', { class: 'team-ideas-sec', 'aria-labelledby': 'team-ideas-h' }, ideasH, dotsBox, form, pendingList, list, empty),
    report, others);

  // Placement by choice: the groups and their topics, to join one.
  const choose = h('details', { class: 'card team-choose' });
  const chooseSum = h('summary');
  const chooseHint = h('p', { class: 'hint', text: t('work.chooseHint') });
  const chooseList = h('ul', { class: 'choose-list' });
  choose.append(chooseSum, chooseHint, chooseList);
  const waiting = h('section', { class: 'card team-waiting', 'aria-labelledby': 'team-wait-h' },
    h('h2', { id: 'team-wait-h', text: t('work.waitingHeading') }), h('p', { text: t('work.waiting') }));
  el.append(message, waiting, choose, card);

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const w = runningWork(conn.state), v = text.value.trim();
    if (!w || !v) return;
    const op = { item: w.item, text: v };
    if (who && who.value.trim()) op.onBehalf = who.value.trim();
    conn.send('idea.add', op);
    clearDraft();
    if (who) who.value = '';
    text.focus();
  });
  text.addEventListener('keydown', (e) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); form.requestSubmit(); } });
  beReporter.addEventListener('click', () => { const w = runningWork(conn.state); if (w) conn.send('group.reporter', { group: w.mine, participant: conn.you }); });
  repForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const w = runningWork(conn.state), tv = teamOf(w, w && w.mine);
    if (tv && (tv.reporter || '') !== repSelect.value) conn.send('group.reporter', { group: w.mine, participant: repSelect.value });
  });
  sumForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const w = runningWork(conn.state), tv = teamOf(w, w && w.mine);
    const v = summary.value.trim();
    if (!tv) return;
    if ((tv.summary || '') !== v) { conn.send('group.summary', { group: w.mine, summary: v }); setText(sumState, t('fac.notesSaving')); }
  });
  summary.addEventListener('input', () => setText(sumState, t('fac.notesUnsaved')));

  const create = () => {
    const li = h('li', { class: 'idea team-idea' });
    const tid = nextId('ti');
    const p = li.parts = {
      text: h('p', { class: 'idea-text', id: tid }), src: h('p', { class: 'idea-src' }),
      picked: h('p', { class: 'picked-tag', text: t('work.pickedTag') }), count: h('p', { class: 'idea-count' }),
      vote: h('div', { class: 'vote', role: 'group' }), tools: h('div', { class: 'idea-tools' }),
    };
    const minus = h('button', { type: 'button', class: 'btn btn-round', text: '−', 'aria-describedby': tid, 'aria-label': t('vote.remove') });
    const dots = h('span', { class: 'my-dots' });
    const plus = h('button', { type: 'button', class: 'btn btn-round btn-plus', text: '+', 'aria-describedby': tid, 'aria-label': t('vote.add') });
    p.vote.append(minus, dots, plus);
    p.vote.setAttribute('aria-label', t('vote.group'));
    Object.assign(p, { minus, plus, dots });
    minus.addEventListener('click', () => conn.send('vote.remove', { idea: li.dataset.key }));
    plus.addEventListener('click', () => conn.send('vote.add', { idea: li.dataset.key }));
    p.pick = h('button', { type: 'button', class: 'btn btn-small pick', 'aria-describedby': tid });
    p.pick.addEventListener('click', () => conn.send('group.pick', { idea: li.dataset.key, picked: p.pick.getAttribute('aria-pressed') !== 'true' }));
    p.del = h('button', { type: 'button', class: 'btn btn-small btn-quiet', text: t('idea.delete'), 'aria-describedby': tid });
    p.del.addEventListener('click', () => { if (confirm(t('idea.deleteConfirm'))) conn.send('idea.delete', { idea: li.dataset.key }); });
    p.tools.append(p.pick, p.del);
    li.append(p.text, p.src, h('div', { class: 'team-idea-meta' }, p.picked, p.count), h('div', { class: 'team-idea-foot' }, p.tools, p.vote));
    return li;
  };

  const createChoice = () => {
    const li = h('li', { class: 'choose-item' });
    li.parts = { name: h('p', { class: 'choose-name' }), topic: h('p', { class: 'choose-topic' }), size: h('p', { class: 'muted small' }),
      join: h('button', { type: 'button', class: 'btn btn-small' }) };
    li.parts.join.addEventListener('click', () => conn.send('group.move', { group: li.dataset.key }));
    li.append(h('div', { class: 'choose-text' }, li.parts.name, li.parts.topic, li.parts.size), li.parts.join);
    return li;
  };

  let shownGroup = '';
  const render = (s) => {
    const w = runningWork(s);
    el.hidden = !w;
    if (!w) return;
    const mine = w.mine || '';
    const tv = teamOf(w, mine);
    const open = !s.table.closed && !s.table.locked;
    const msg = latestMessage(w);
    if (msg) {
      const key = msg.at + msg.text;
      if (message.dataset.key !== key) {
        message.dataset.key = key;
        clear(message, h('p', { class: 'work-message-from', text: t('work.messageFrom', { time: fmtTime(msg.at) }) }), h('p', { class: 'work-message-text', text: msg.text }));
      }
    } else if (message.firstChild) { clear(message); delete message.dataset.key; }

    const choosing = w.placement === 'choice' && !scribe && open;
    choose.hidden = !choosing;
    if (choosing) {
      if (!mine) choose.open = true;
      setText(chooseSum, mine ? t('work.changeGroup') : t('work.chooseGroup'));
      syncList(chooseList, w.groups, (g) => g.group, createChoice, (li, g) => {
        const gr = byId(s.groups, g.group);
        setText(li.parts.name, groupName(s, g.group));
        setText(li.parts.topic, gr && gr.topic ? gr.topic : '');
        li.parts.topic.hidden = !(gr && gr.topic);
        setText(li.parts.size, tn('work.members', g.size));
        const here = g.group === mine;
        setText(li.parts.join, here ? t('work.youAreHere') : mine ? t('work.switchHere') : t('work.joinHere'));
        li.parts.join.disabled = here;
        li.parts.join.setAttribute('aria-label', here ? t('work.youAreHere') : t('work.joinGroup', { name: groupName(s, g.group) }));
        li.classList.toggle('mine', here);
      });
    }
    waiting.hidden = !!mine || choosing || scribe;
    card.hidden = !tv;
    if (!tv) return;

    if (shownGroup !== mine) { shownGroup = mine; if (!choose.hidden && mine) choose.open = false; }
    const gr = byId(s.groups, mine);
    setText(name, groupName(s, mine));
    setText(topic, gr && gr.topic ? gr.topic : '');
    topic.hidden = !(gr && gr.topic);
    const mateList = membersOf(s, tv).filter((p) => p.id !== conn.you);
    setText(mates, mateList.length ? t('work.mates', { names: mateList.map((p) => (p.org ? `${p.name} (${p.org})` : p.name)).join(', ') }) : scribe ? '' : t('work.alone'));
    mates.hidden = !mates.textContent;
    if (tv.video) video.href = tv.video; else video.removeAttribute('href');
    video.hidden = !tv.video;
    const calling = !!tv.help || conn.pendingOps((o) => o.op === 'group.help' && o.help).length > 0;
    setText(helpBtn, tv.help ? t('work.helpCancel') : t('work.helpCall'));
    helpBtn.setAttribute('aria-pressed', String(!!tv.help));
    helpBtn.disabled = !open;
    setText(helpState, calling ? t('work.helpWaiting') : '');
    helpState.hidden = !calling;

    // The group's ideas, newest first; its dots if the work has a vote.
    const ideas = [...groupIdeas(s, w, mine)].reverse();
    setText(ideasH, tn('work.groupIdeas', ideas.length));
    form.hidden = !open;
    const voting = w.dots > 0 && !scribe && open;
    const left = voting ? Math.max(0, w.dots - usedDots(conn, w.item, true)) : 0;
    dotsBox.hidden = !voting;
    if (voting) {
      clear(dotsBox,
        h('span', { class: 'dot-row', 'aria-hidden': 'true' }, Array.from({ length: w.dots }, (_, k) => h('span', { class: k < left ? 'dot dot-free' : 'dot dot-used' }))),
        h('span', { class: 'dots-text', text: tn('work.dotsLeft', left, { total: fmtNum(w.dots) }) }));
    }
    const pend = conn.pendingOps((o) => o.op === 'idea.add' && o.item === w.item);
    syncList(pendingList, pend, (o) => o.id, (o) => h('li', { class: 'idea pending' },
      h('p', { class: 'idea-text', text: o.text }), h('p', { class: 'idea-src', text: t('idea.sending') })), () => {});
    pendingList.hidden = !pend.length;
    const reporting = scribe || (tv.reporter && tv.reporter === conn.you);
    const picked = tv.picked || [];
    syncList(list, ideas, (i) => i.id, create, (li, i) => {
      const p = li.parts;
      setText(p.text, i.text);
      // Inside the group its name goes without saying.
      setText(p.src, teamIdeaSource(s, i));
      li.classList.toggle('mine', !!i.mine);
      const on = picked.includes(i.id);
      li.classList.toggle('picked', on);
      p.picked.hidden = !on;
      setText(p.count, i.votes ? tn('work.groupDots', i.votes) : '');
      p.count.hidden = !w.dots || !i.votes;
      p.vote.hidden = !voting;
      if (voting) {
        const n = myDots(conn, w.item, i.id);
        setText(p.dots, tn('vote.mine', n));
        p.minus.disabled = n === 0;
        p.plus.disabled = left === 0;
        li.classList.toggle('voted', n > 0);
      } else li.classList.remove('voted');
      p.pick.hidden = !reporting || !open;
      p.pick.setAttribute('aria-pressed', String(on));
      setText(p.pick, t('work.pick'));
      p.del.hidden = !(i.mine || scribe) || !open;
      p.tools.hidden = p.pick.hidden && p.del.hidden;
    });
    empty.hidden = ideas.length > 0 || pend.length > 0;

    // The report: who reports, and the reporter's (or scribe's) summary.
    const rep = tv.reporter ? byId(s.participants, tv.reporter) : null;
    setText(reporterLine, scribe ? t('work.scribeReports') : rep ? (tv.reporter === conn.you ? t('work.youReport') : t('work.reporterIs', { name: rep.name })) : t('work.noReporterYet'));
    beReporter.hidden = scribe || tv.reporter === conn.you || !open;
    const members = membersOf(s, tv);
    const key = members.map((m) => m.id + m.name).join();
    if (repSelect.dataset.key !== key) {
      repSelect.dataset.key = key;
      clear(repSelect, h('option', { value: '', text: t('work.noReporter') }), members.map((m) => h('option', { value: m.id, text: m.id === conn.you ? t('work.me', { name: m.name }) : m.name })));
    }
    if (document.activeElement !== repSelect) repSelect.value = tv.reporter || '';
    repBox.hidden = scribe || members.length < 2 || !open;
    setText(repSum, tv.reporter ? t('work.changeReporter') : t('work.otherReporter'));
    reporterHint.hidden = !reporting;
    sumForm.hidden = !reporting || !open;
    if (reporting && !summary.value && tv.summary && document.activeElement !== summary) summary.value = tv.summary;
    if (reporting && tv.summary && summary.value.trim() === tv.summary) setText(sumState, t('work.summarySaved'));
    setText(summaryRead, tv.summary ? t('work.summaryIs', { text: tv.summary }) : '');
    summaryRead.hidden = reporting || !tv.summary;

    // A live work: the other groups' ideas as they come.
    const theirs = w.private ? [] : w.groups.filter((g) => g.group !== mine);
    others.hidden = !theirs.length;
    if (theirs.length) {
      const n = theirs.reduce((k, g) => k + ideasCount(conn, w, g.group), 0);
      setText(othersSum, tn('work.othersIdeas', n));
      clear(othersList, theirs.map((g) => h('div', { class: 'others-group' },
        h('h4', { class: 'small-h', text: groupName(s, g.group) }),
        h('ul', { class: 'plain-list' }, groupIdeas(s, w, g.group).map((i) => h('li', { text: i.text }))))));
    }
  };
  return { el, render, clearSummary: clearSum };
}
