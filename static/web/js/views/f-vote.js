// The facilitator's vote panel: how far the vote has got (the
// participants' dots of their whole budget, the room groups' dots), the
// reveal (key R), and the item's voting rules.
import { h, setText } from '../dom.js';
import { t, tn, fmtNum } from '../i18n.js';
import { currentItem } from '../model.js';
import { keyHint } from '../shortcuts.js';

export function votePanel(conn) {
  const el = h('section', { class: 'vote-panel voting-box', 'aria-labelledby': 'vote-h' });
  const heading = h('h3', { id: 'vote-h', class: 'panel-h', text: t('fac.voteHeading') });
  const bar = h('span', { class: 'meter-fill' });
  const meter = h('span', { class: 'meter vote-meter', 'aria-hidden': 'true' }, bar);
  const byPeople = h('p', { class: 'vote-people' });
  const byRoom = h('p', { class: 'muted small' });
  const cast = h('p', { class: 'cast', role: 'status' });
  const reveal = keyHint(h('button', { type: 'button', class: 'btn btn-primary btn-reveal' }), 'r');
  reveal.addEventListener('click', () => toggleReveal());

  const dots = h('input', { type: 'number', min: '1', max: '20', inputmode: 'numeric', id: 'dots-n', class: 'num' });
  const multi = h('input', { type: 'checkbox', id: 'dots-multi' });
  const save = h('button', { type: 'submit', class: 'btn btn-small', text: t('common.save') });
  const rulesForm = h('form', { class: 'rules-form' },
    h('div', { class: 'inline-form' }, h('label', { for: 'dots-n', text: t('fac.dots') }), dots),
    h('div', { class: 'check' }, multi, h('label', { for: 'dots-multi', text: t('fac.multiDot') })), save);
  const rulesSummary = h('summary');
  const rules = h('details', { class: 'rules' }, rulesSummary, rulesForm);
  rulesForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const it = currentItem(conn.state);
    const d = Number(dots.value);
    if (it && d >= 1 && (d !== it.dots || multi.checked !== it.multiDot)) conn.send('item.voting', { item: it.id, dots: d, multiDot: multi.checked });
    rules.open = false;
  });
  el.append(heading, byPeople, meter, byRoom, cast, reveal, rules);

  /** toggleReveal shows the current item's results to everyone, or hides them. */
  const toggleReveal = () => {
    const it = currentItem(conn.state);
    if (!it || conn.state.table.closed) return false;
    conn.send('item.reveal', { item: it.id, revealed: !it.revealed });
    return true;
  };

  const render = (s) => {
    const it = currentItem(s);
    if (!it) return;
    const people = s.participants.filter((p) => !p.removed).length;
    const ideas = s.ideas.filter((i) => i.item === it.id && !i.inGroup && !i.mergedInto);
    const theirs = ideas.reduce((n, i) => n + (i.votes || 0), 0);
    const room = it.cast - theirs;
    const budget = people * it.dots;
    setText(byPeople, t('fac.voteProgress', { n: fmtNum(theirs), max: fmtNum(budget) }));
    bar.style.width = `${budget ? Math.min(100, (theirs / budget) * 100) : 0}%`;
    setText(byRoom, room > 0 ? tn('fac.voteRoom', room) : '');
    byRoom.hidden = room <= 0;
    setText(cast, tn('fac.cast', it.cast, { people: fmtNum(people) }));
    setText(reveal, it.revealed ? t('fac.hideResults') : t('fac.reveal'));
    reveal.classList.toggle('btn-primary', !it.revealed);
    reveal.setAttribute('aria-pressed', String(it.revealed));
    reveal.disabled = s.table.closed;
    setText(rulesSummary, tn('fac.rulesSummary', it.dots) + (it.multiDot ? ' · ' + t('fac.multiDotShort') : ''));
    if (!rules.open) { dots.value = it.dots; multi.checked = it.multiDot; }
    save.disabled = s.table.closed;
  };
  return { el, render, toggleReveal };
}
