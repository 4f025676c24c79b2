// Ideas from paper (or from e-mail): the facilitator picks a CSV file
// saved from a spreadsheet, sees every row as the server read it, each
// with its line in the file and what is wrong with it, and imports them
// all at once, each idea marked as from paper. While any problem remains
// nothing is imported: fix the file and pick it again.
import { h, clear, setText } from '../dom.js';
import { t, tn, errorText, has, fmtNum } from '../i18n.js';
import { importIdeas } from '../api.js';
import { byId } from '../model.js';
import { toast } from '../toast.js';

/** problemText words a problem the server found in the file or a row. */
function problemText(p) {
  const key = `import.problem.${p.code}`;
  return has(key) ? t(key) : errorText(p.code);
}

// The server's own words (in English) say more for these: which column,
// how long, which group.
const DETAILED = new Set(['bad_message', 'too_long', 'no_group', 'too_many']);

/** problem shows a problem, with the server's detail where it helps. */
function problem(p, cls = 'problem') {
  return h('span', { class: cls }, h('strong', { text: problemText(p) }),
    DETAILED.has(p.code) || !has(`import.problem.${p.code}`) ? h('span', { class: 'problem-detail', lang: 'en', text: p.message }) : null);
}

export function importDialog(conn) {
  const itemLine = h('p', { class: 'import-item' });
  // The browser's own file button speaks the browser's language, and says
  // "no file" again once the file is read: a button of ours (the input's
  // label) stands in for it, and the input keeps the focus and the keys.
  const file = h('input', { type: 'file', id: 'imp-file', class: 'file-input', accept: '.csv,text/csv,text/plain', 'aria-describedby': 'imp-help imp-chosen' });
  const chosen = h('span', { id: 'imp-chosen', class: 'file-chosen' });
  const status = h('p', { class: 'import-status', role: 'status' });
  const error = h('div', { class: 'form-error import-error', role: 'alert', hidden: true });
  const cols = ['line', 'text', 'who', 'group', 'dots', 'check'];
  const tbody = h('tbody');
  const table = h('table', { class: 'import-table' },
    h('caption', { class: 'sr-only', text: t('import.previewCaption') }),
    h('thead', {}, h('tr', {}, cols.map((c) => h('th', { scope: 'col', class: `col-${c}`, text: t(`import.col.${c}`) })))), tbody);
  // Scrolls on its own when the file is long; focusable, so keys scroll it.
  const wrap = h('div', { class: 'import-wrap', role: 'region', tabindex: '0', 'aria-label': t('import.previewCaption'), hidden: true }, table);
  const go = h('button', { type: 'button', class: 'btn btn-primary import-go', hidden: true });
  const cancel = h('button', { type: 'button', class: 'btn', text: t('common.cancel') });
  const el = h('dialog', { class: 'dialog dialog-wide import-dialog', 'aria-labelledby': 'imp-h' },
    h('h2', { id: 'imp-h', text: t('import.heading') }), itemLine,
    h('p', { id: 'imp-help', class: 'hint', text: t('import.help') }),
    h('div', { class: 'file-field' }, file, h('label', { for: 'imp-file', class: 'btn file-btn', text: t('import.choose') }), chosen),
    status, error, wrap,
    h('div', { class: 'btn-row' }, go, cancel));

  let item = '', bytes = null, name = '', busy = false, back = null, ready = 0;

  const reset = () => {
    bytes = null; name = ''; ready = 0;
    file.value = '';
    setText(chosen, t('import.noFile'));
    setText(status, '');
    error.hidden = true; clear(error);
    wrap.hidden = true; clear(tbody);
    go.hidden = true;
  };
  const fail = (text) => {
    error.hidden = false;
    clear(error, h('p', { text }));
  };

  /** show lays out the server's reading of the file. */
  const show = (ans) => {
    const lines = new Set(ans.rows.map((r) => r.line));
    const byLine = new Map();
    const other = [];
    for (const p of ans.problems) {
      if (p.line > 0 && lines.has(p.line)) byLine.set(p.line, [...(byLine.get(p.line) || []), p]);
      else other.push(p);
    }
    const groups = conn.state ? conn.state.groups : [];
    clear(tbody, ans.rows.map((r) => {
      const ps = byLine.get(r.line) || [];
      const g = r.group ? byId(groups, r.group) : null;
      // data-label: the column's name, shown beside the cell when the rows stack on a phone.
      const cell = (c, text) => h('td', { class: `col-${c}`, 'data-label': t(`import.col.${c}`), text });
      return h('tr', { class: ps.length ? 'row-bad' : '' },
        h('th', { scope: 'row', class: 'col-line', 'data-label': t('import.col.line'), text: fmtNum(r.line) }),
        cell('text', r.text),
        cell('who', r.onBehalf || ''),
        cell('group', g ? g.name : ''),
        cell('dots', r.dots ? fmtNum(r.dots) : ''),
        h('td', { class: 'col-check' }, ps.length
          ? ps.map((p) => problem(p))
          : h('span', { class: 'row-ok', text: t('import.rowOk') })));
    }));
    wrap.hidden = ans.rows.length === 0;
    const bad = ans.problems.length;
    ready = bad ? 0 : ans.rows.length;
    setText(status, bad ? tn('import.rowsRead', ans.rows.length, { file: name }) : tn('import.ready', ans.rows.length, { file: name }));
    if (bad) {
      error.hidden = false;
      clear(error, h('p', { text: tn('import.bad', bad) }),
        other.length ? h('ul', { class: 'import-problems' }, other.map((p) => h('li', {},
          h('strong', { text: p.line > 0 ? t('import.line', { n: fmtNum(p.line) }) : t('import.wholeFile') }), ' ', problem(p, 'problem-file')))) : null,
        h('p', { text: t('import.fix') }));
    } else {
      error.hidden = true;
    }
    go.hidden = !ready;
    if (ready) setText(go, tn('import.button', ready));
  };

  const send = async (dryRun) => {
    if (busy || !bytes) return;
    busy = true; go.disabled = true;
    if (dryRun) setText(status, t('import.reading'));
    try {
      const ans = await importIdeas(conn.table, conn.token, item, bytes, dryRun);
      if (!dryRun && ans.imported > 0 && !ans.problems.length) {
        toast(tn('import.done', ans.imported));
        el.close();
        return;
      }
      show(ans);
    } catch (err) {
      setText(status, '');
      go.hidden = true;
      fail(t('import.failed', { error: errorText(err.code, err.kind) }));
    } finally {
      busy = false; go.disabled = false;
    }
  };

  file.addEventListener('change', async () => {
    const f = file.files && file.files[0];
    if (!f) return;
    reset();
    name = f.name;
    setText(chosen, t('import.chosen', { file: name }));
    try { bytes = await f.arrayBuffer(); } catch { fail(t('import.unreadable')); return; }
    // Cleared, so that picking the same file again after fixing it reads it again.
    file.value = '';
    send(true);
  });
  go.addEventListener('click', () => send(false));
  cancel.addEventListener('click', () => el.close());
  el.addEventListener('close', () => { if (back && back.isConnected) back.focus(); });

  /** open shows the dialog for an agenda item; focus returns to from. */
  const open = (itemId, from) => {
    const it = conn.state && byId(conn.state.items, itemId);
    if (!it) return;
    item = itemId; back = from || null;
    reset();
    setText(itemLine, t('import.item', { title: it.title }));
    el.showModal();
    file.focus();
  };
  return { el, open };
}
