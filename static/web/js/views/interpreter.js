// The interpreter's view (/i/{id}#token): a speech-to-text interpreter
// (kirjoitustulkki) types what is said into one large field; Enter (or the
// send button) sends the line as a caption. Participants who asked for
// captions see it at once, and so does the room screen when a facilitator
// has switched captions on there. The lines sent last are above the field,
// the newest nearest to it, those still on their way marked.
import { h, setText, syncList, clear } from '../dom.js';
import { t } from '../i18n.js';
import { Conn } from '../conn.js';
import { bindDraft } from '../store.js';
import { currentItem } from '../model.js';
import { showRefusal } from '../toast.js';
import { topBar } from '../topbar.js';
import { tableBanner } from '../badges.js';

const MAX = 500; // characters in one line (session.MaxCaption)

export function mount(root, tableId, ctx) {
  if (!ctx.token) {
    root.append(topBar({}), h('main', { id: 'main', class: 'page narrow' }, h('h1', { text: t('interp.noKey') })));
    document.title = t('interp.noKey') + ' – Pöytä';
    return null;
  }
  const conn = ctx.conn || (ctx.conn = new Conn({ table: tableId, role: 'interpreter', token: ctx.token }));
  const offs = [];
  const bar = topBar({ title: '', role: 'interpreter', conn });
  const main = h('main', { id: 'main', class: 'page interp' });
  root.append(bar, main);

  const banner = h('div', { class: 'banner-slot' });
  const now = h('p', { class: 'interp-now' });
  const where = h('p', { class: 'hint interp-where' });
  const sentH = h('h2', { id: 'interp-sent-h', class: 'panel-h', text: t('interp.sent') });
  const sent = h('ol', { class: 'interp-lines', 'aria-labelledby': 'interp-sent-h' });
  const none = h('p', { class: 'empty', text: t('interp.none') });
  const text = h('textarea', { id: 'interp-text', class: 'interp-text', rows: '4', maxlength: String(MAX), autocomplete: 'off', spellcheck: 'true', 'aria-describedby': 'interp-hint' });
  const clearDraft = bindDraft(text, tableId, 'interpreter');
  const send = h('button', { type: 'submit', class: 'btn btn-primary interp-send', text: t('interp.send') });
  const form = h('form', { class: 'interp-form', 'aria-labelledby': 'interp-label' },
    h('label', { id: 'interp-label', for: 'interp-text', class: 'label-strong', text: t('interp.label') }),
    h('p', { id: 'interp-hint', class: 'hint', text: t('interp.hint') }),
    text, h('div', { class: 'btn-row' }, send));
  const loading = h('p', { class: 'loading', role: 'status', text: t('live.loading') });
  const card = h('section', { class: 'card interp-card', 'aria-labelledby': 'interp-h' },
    h('h1', { id: 'interp-h', class: 'interp-h', text: t('interp.heading') }), now, where,
    sentH, sent, none, form);
  main.append(loading, banner, card);
  card.hidden = true;

  // Each line of the field is a caption of its own (a pasted paragraph too).
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const s = conn.state;
    if (!s || s.table.closed) return;
    const lines = text.value.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
    if (!lines.length) { text.focus(); return; }
    for (const l of lines) conn.send('caption.add', { text: l.slice(0, MAX) });
    clearDraft();
    text.focus();
  });
  text.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.isComposing) { e.preventDefault(); form.requestSubmit(); }
  });

  const render = () => {
    const s = conn.state;
    if (!s) return;
    loading.hidden = true; card.hidden = false;
    document.title = `${t('interp.heading')} – ${s.table.title} – Pöytä`;
    setText(bar.querySelector('.bar-title'), s.table.title);
    clear(banner, tableBanner(s));
    const it = currentItem(s);
    setText(now, it ? t('interp.now', { title: it.title }) : t('now.noItem'));
    setText(where, s.table.captionsOnScreen ? t('interp.screenOn') : t('interp.screenOff'));
    // The lines the table holds, then those still on their way.
    const lines = (s.captions || []).map((c) => ({ key: `${c.at}|${c.text}`, text: c.text }));
    for (const op of conn.pendingOps((o) => o.op === 'caption.add')) lines.push({ key: op.id, text: op.text, pending: true });
    sent.lang = text.lang = s.table.lang || '';
    syncList(sent, lines.slice(-8), (l) => l.key, () => {
      const li = h('li', { class: 'interp-line' });
      li.parts = { text: h('span', { class: 'interp-line-text' }), tag: h('span', { class: 'interp-pending', text: t('interp.sending') }) };
      li.append(li.parts.text, li.parts.tag);
      return li;
    }, (li, l) => {
      setText(li.parts.text, l.text);
      li.parts.tag.hidden = !l.pending;
      li.classList.toggle('pending', !!l.pending);
    });
    none.hidden = lines.length > 0;
    const closed = !!s.table.closed;
    text.disabled = send.disabled = closed;
  };
  offs.push(conn.on('state', render));
  offs.push(conn.on('refused', (err) => showRefusal(err)));
  offs.push(conn.on('status', (st) => { if (st === 'closed') clear(main, h('h1', { text: t('interp.noKey') })); }));
  render();
  return () => { offs.forEach((f) => f()); };
}
