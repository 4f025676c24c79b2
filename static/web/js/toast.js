// toast.js: short messages that come and go; errors also go to the
// assertive region.
import { h } from './dom.js';
import { errorText } from './i18n.js';

/** toast shows a short message; errors also go to the assertive region. */
export function toast(text, kind = 'info') {
  const box = document.getElementById('toasts');
  if (!box) return;
  const el = h('div', { class: `toast toast-${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);
  box.append(el);
  setTimeout(() => el.remove(), kind === 'error' ? 8000 : 4000);
}

/** showRefusal turns a refused op into a translated message. */
export function showRefusal(err) { toast(errorText(err.code, err.kind), 'error'); }
