// menu.js: a menu button (the WAI-ARIA menu button pattern). One button
// opens a list of commands; arrow keys, Home and End move between them,
// Enter or Space runs one, Escape closes the menu and returns to the
// button, Tab leaves it. The list is placed in fixed position beside the
// button so that a panel that scrolls on its own does not clip it.
import { h, nextId } from './dom.js';

let openMenu = null;

/** anyMenuOpen reports whether a menu is open (keyboard shortcuts wait). */
export const anyMenuOpen = () => !!openMenu;

/** menuButton makes a button with a menu. items() is asked each time the
 * menu opens and returns [{label, run, href, danger, hidden, keep}]; an
 * item with href is a link. label is the button's text, ariaLabel its
 * accessible name when the text alone would not say whose menu it is. */
export function menuButton({ label, ariaLabel, items, cls = 'btn btn-small btn-menu' }) {
  const id = nextId('menu');
  const btn = h('button', { type: 'button', class: cls, 'aria-haspopup': 'menu', 'aria-expanded': 'false', 'aria-controls': id });
  btn.append(h('span', { class: 'btn-menu-label', text: label }));
  if (ariaLabel) btn.setAttribute('aria-label', ariaLabel);
  const list = h('ul', { class: 'menu', role: 'menu', id, hidden: true, tabindex: '-1' });
  if (ariaLabel || label) list.setAttribute('aria-label', ariaLabel || label);
  const wrap = h('span', { class: 'menu-wrap' }, btn, list);

  const entries = () => [...list.querySelectorAll('[role=menuitem]')];
  const focusAt = (k) => { const e = entries(); if (e.length) e[(k + e.length) % e.length].focus(); };
  const onOutside = (e) => { if (!wrap.contains(e.target)) close(false); };
  const onMove = () => close(false);

  function place() {
    const r = btn.getBoundingClientRect();
    list.style.left = '0px'; list.style.top = '0px';
    const m = list.getBoundingClientRect();
    const vw = document.documentElement.clientWidth, vh = window.innerHeight;
    let left = Math.min(r.right - m.width, vw - m.width - 8);
    if (left < 8) left = Math.min(8, Math.max(0, vw - m.width));
    let top = r.bottom + 4;
    if (top + m.height > vh - 8 && r.top - m.height - 4 >= 8) top = r.top - m.height - 4;
    list.style.left = `${Math.round(left)}px`;
    list.style.top = `${Math.round(Math.max(4, top))}px`;
  }

  function open(at = 0) {
    if (openMenu && openMenu !== api) openMenu.close(false);
    const defs = items().filter((d) => d && !d.hidden);
    list.replaceChildren(...defs.map((d) => {
      const el = d.href
        ? h('a', { role: 'menuitem', href: d.href, tabindex: '-1', class: 'menu-item', text: d.label, target: d.target, rel: d.target ? 'noopener' : null })
        : h('button', { type: 'button', role: 'menuitem', tabindex: '-1', class: d.danger ? 'menu-item menu-danger' : 'menu-item', text: d.label });
      if (d.disabled) el.setAttribute('aria-disabled', 'true');
      el.addEventListener('click', (e) => {
        if (d.disabled) { e.preventDefault(); return; }
        if (d.run) { e.preventDefault(); close(!d.keepFocus); d.run(); }
        else close(false);
      });
      return h('li', { role: 'none' }, el);
    }));
    list.hidden = false;
    btn.setAttribute('aria-expanded', 'true');
    openMenu = api;
    place();
    document.addEventListener('pointerdown', onOutside, true);
    window.addEventListener('resize', onMove);
    document.addEventListener('scroll', onMove, true);
    focusAt(at);
  }

  function close(focusButton = true) {
    if (list.hidden) return;
    list.hidden = true;
    btn.setAttribute('aria-expanded', 'false');
    if (openMenu === api) openMenu = null;
    document.removeEventListener('pointerdown', onOutside, true);
    window.removeEventListener('resize', onMove);
    document.removeEventListener('scroll', onMove, true);
    if (focusButton) btn.focus();
  }

  btn.addEventListener('click', () => (list.hidden ? open(0) : close()));
  btn.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' || e.key === 'Enter' || e.key === ' ') { e.preventDefault(); open(0); }
    else if (e.key === 'ArrowUp') { e.preventDefault(); open(-1); }
  });
  list.addEventListener('keydown', (e) => {
    const e2 = entries(), k = e2.indexOf(document.activeElement);
    switch (e.key) {
      case 'ArrowDown': e.preventDefault(); focusAt(k + 1); break;
      case 'ArrowUp': e.preventDefault(); focusAt(k - 1); break;
      case 'Home': e.preventDefault(); focusAt(0); break;
      case 'End': e.preventDefault(); focusAt(-1); break;
      case 'Escape': e.preventDefault(); e.stopPropagation(); close(); break;
      case 'Tab': close(false); break;
      case ' ': if (document.activeElement && document.activeElement.tagName === 'A') { e.preventDefault(); document.activeElement.click(); } break;
      default:
        // Type the first letter of a command to move to it.
        if (e.key.length === 1 && /\S/.test(e.key)) {
          const c = e.key.toLocaleLowerCase();
          const n = e2.length;
          for (let j = 1; j <= n; j++) {
            const x = e2[(k + j) % n];
            if (x.textContent.trim().toLocaleLowerCase().replace(/^[^\p{L}\p{N}]+/u, '').startsWith(c)) { x.focus(); break; }
          }
        }
    }
  });
  const api = { el: wrap, button: btn, open, close };
  return api;
}
