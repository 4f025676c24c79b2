// links.js: links to share: a full URL of this site, and a button that
// copies one.
import { h } from './dom.js';
import { t } from './i18n.js';
import { toast } from './toast.js';

/** copyButton copies text to the clipboard and says so. */
export function copyButton(getText, label) {
  const b = h('button', { type: 'button', class: 'btn btn-small', text: label });
  b.addEventListener('click', async () => {
    const text = getText();
    try {
      await navigator.clipboard.writeText(text);
      toast(t('copy.done'));
    } catch {
      // Clipboard may be refused (no permission, not https): select the text instead.
      toast(t('copy.failed'), 'error');
    }
  });
  return b;
}

/** absolute turns a server path into a full URL of this site. */
export const absolute = (path) => new URL(path, location.origin).href;
