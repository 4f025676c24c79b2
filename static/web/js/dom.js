// dom.js builds elements without ever parsing HTML: user text goes in as
// text nodes, attributes through setAttribute, links only if http(s).

const PROPS = new Set(['value', 'checked', 'disabled', 'hidden', 'selected', 'open', 'multiple', 'required', 'draggable']);

/** h(tag, props, ...children) makes an element. props.text sets textContent,
 * on* props add listeners, class sets className, other props are attributes. */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v == null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (PROPS.has(k)) el[k] = v;
    else if (k === 'href') { const u = safeHref(v); if (u) el.setAttribute('href', u); }
    else if (k === 'style' || k.startsWith('on') || k === 'srcdoc') throw new Error('unsafe attribute ' + k);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c == null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** clear empties an element and appends new children. */
export function clear(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** setText changes text only when it differs, so screen readers and
 * selections are not disturbed by identical updates. */
export function setText(el, s) {
  s = s == null ? '' : String(s);
  if (el.textContent !== s) el.textContent = s;
}

/** safeHref returns an absolute http(s) URL or a same-site path, else "". */
export function safeHref(u) {
  if (typeof u !== 'string' || u === '') return '';
  if (u.startsWith('/') && !u.startsWith('//')) return u;
  try {
    const p = new URL(u);
    return p.protocol === 'http:' || p.protocol === 'https:' ? p.href : '';
  } catch { return ''; }
}

/** syncList keeps one child per item, keyed by id: existing elements are
 * updated in place (so focus and typed text survive), new ones created,
 * gone ones removed, and the order follows items. */
export function syncList(container, items, key, create, update) {
  const old = new Map();
  for (const el of container.children) if (el.dataset.key) old.set(el.dataset.key, el);
  let prev = null;
  for (const it of items) {
    const k = key(it);
    let el = old.get(k);
    if (el) old.delete(k);
    else { el = create(it); el.dataset.key = k; }
    update(el, it);
    const want = prev ? prev.nextSibling : container.firstChild;
    if (want !== el) container.insertBefore(el, want);
    prev = el;
  }
  for (const el of old.values()) el.remove();
}

let uid = 0;
/** id returns a fresh element id for label/for pairs. */
export function nextId(prefix = 'f') { return `${prefix}-${++uid}`; }

/** field makes a labelled control: label, the control, and an optional hint. */
export function field(label, control, hint) {
  if (!control.id) control.id = nextId();
  const parts = [h('label', { for: control.id, text: label })];
  if (hint) {
    const hid = nextId('hint');
    control.setAttribute('aria-describedby', hid);
    parts.push(h('span', { class: 'hint', id: hid, text: hint }));
  }
  parts.push(control);
  return h('div', { class: 'field' }, parts);
}
