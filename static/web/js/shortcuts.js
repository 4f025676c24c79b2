// shortcuts.js: single-key commands for the facilitator's common moves,
// and the "?" overlay that lists them. A key never fires while a text
// field, a select or a dialog has the keyboard, nor with Ctrl, Alt or ⌘.
import { h } from './dom.js';
import { t } from './i18n.js';
import { anyMenuOpen } from './menu.js';

/** typing reports whether the key goes to something that takes text. */
function typing(el) {
  if (!el || el === document.body) return false;
  if (el.isContentEditable) return true;
  const tag = el.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') return !['button', 'submit', 'reset', 'checkbox', 'radio', 'range', 'color', 'file', 'image'].includes(el.type);
  return el.getAttribute('role') === 'textbox' || el.getAttribute('role') === 'combobox';
}

/** shortcuts installs the keys: defs is [{key, label, run}] (key a single
 * character, case-insensitive). It returns {el (the overlay dialog),
 * open(), stop()}. */
export function shortcuts(defs) {
  const list = h('dl', { class: 'keys' });
  const rows = [...defs, { key: '?', label: t('keys.help') }, { key: 'Esc', label: t('keys.escape') }];
  for (const d of rows) list.append(h('div', { class: 'key-row' }, h('dt', {}, h('kbd', { text: d.key.toUpperCase() })), h('dd', { text: d.label })));
  const closeBtn = h('button', { type: 'button', class: 'btn', text: t('common.close') });
  const el = h('dialog', { class: 'dialog keys-dialog', 'aria-labelledby': 'keys-h' },
    h('h2', { id: 'keys-h', text: t('keys.heading') }), list,
    h('p', { class: 'hint', text: t('keys.note') }), h('div', { class: 'btn-row' }, closeBtn));
  closeBtn.addEventListener('click', () => el.close());
  const open = () => { if (!el.open) el.showModal(); };

  const onKey = (e) => {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || e.isComposing || e.repeat) return;
    if (typing(e.target) || typing(document.activeElement) || anyMenuOpen()) return;
    if (document.querySelector('dialog[open]')) return; // a dialog has the keyboard (Esc closes it)
    if (e.key === '?') { e.preventDefault(); open(); return; }
    const d = defs.find((x) => x.key.toLowerCase() === e.key.toLowerCase());
    if (!d) return;
    e.preventDefault();
    d.run();
  };
  document.addEventListener('keydown', onKey);
  return { el, open, stop: () => document.removeEventListener('keydown', onKey) };
}

/** keyHint marks a button with its shortcut: aria-keyshortcuts for
 * assistive technology, and a data-key that the stylesheet shows after
 * the button's text (generated content, so the text stays the label). */
export function keyHint(button, key) {
  button.setAttribute('aria-keyshortcuts', key.toUpperCase());
  button.dataset.key = key.toUpperCase();
  button.classList.add('has-key');
  return button;
}
