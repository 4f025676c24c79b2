// conn.js is the live connection to one table: hello and resume, the
// reconnect loop, op ids, and the list of ops not yet acknowledged, which
// is kept across reconnects and reloads and resent with the same op ids.
import { fold } from './fold.js';
import { pending as pendingStore } from './store.js';

const MAX_BACKOFF = 15000;
const MAX_AGE = 12 * 3600 * 1000; // an op older than this is not resent after a reload

function randomId(bytes = 6) {
  const b = crypto.getRandomValues(new Uint8Array(bytes));
  return btoa(String.fromCharCode(...b)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

// The debug hook: with ?debug in the page's address, or when a test marks
// the page before it loads (window.__poytaDebug), the live connection is
// reachable as window.__poyta, so that a test can compare the folded view
// with the server's snapshot. It adds no script to the page and leaves the
// CSP as it is; a page without the flag exposes nothing.
function debugOn() {
  try {
    return window.__poytaDebug === true || new URLSearchParams(location.search).has('debug');
  } catch { return false; }
}

function expose(conn) {
  if (!debugOn()) return;
  window.__poyta = {
    get state() { return conn.state; },
    get role() { return conn.role; },
    get table() { return conn.table; },
    get token() { return conn.token; },
    get you() { return conn.you; },
    get seq() { return conn.state ? conn.state.seq : 0; },
    get pending() { return conn.pending.length; },
    get status() { return conn.status; },
  };
}

// One prefix per tab: op ids are unique for the actor across tabs and
// co-facilitators, as the protocol asks.
const tabPrefix = randomId();
let counter = 0;

/** Conn keeps one table's View up to date over a websocket. */
export class Conn {
  constructor({ table, role, token }) {
    this.table = table;
    this.role = role;
    this.token = token;
    this.scope = `${role}:${table}`;
    this.state = null; // the View
    this.you = '';
    this.online = new Set();
    this.counts = { participants: 0, facilitators: 0, scribes: 0, screens: 0, bySector: {} };
    this.progress = {}; // ideas per group of the running group work (welcome, presence)
    this.offset = 0; // server clock − local clock, ms
    this.status = 'connecting';
    this.closeReason = '';
    this.pending = pendingStore.get(this.scope).filter((p) => Date.now() - (p.t || 0) < MAX_AGE);
    this.listeners = { state: new Set(), status: new Set(), refused: new Set(), event: new Set(), ack: new Set() };
    this.attempt = 0;
    this.timer = 0;
    this.stopped = false;
    this.ws = null;
    this.ready = false;
    this.onOnline = () => { if (!this.ready) this.reconnectNow(); };
    // The device says it lost the network: the socket is dead, say so at once
    // and wait for the 'online' event instead of retrying in vain.
    this.onOffline = () => { const ws = this.ws; if (ws) { this.ws = null; this.ready = false; try { ws.close(); } catch { /* closed */ } } this.setStatus('offline'); };
    this.onVisible = () => { if (document.visibilityState === 'visible' && !this.ready) this.reconnectNow(); };
    window.addEventListener('online', this.onOnline);
    window.addEventListener('offline', this.onOffline);
    document.addEventListener('visibilitychange', this.onVisible);
    expose(this);
    this.connect();
  }

  on(kind, fn) { this.listeners[kind].add(fn); return () => this.listeners[kind].delete(fn); }
  emit(kind, ...args) { for (const fn of this.listeners[kind]) fn(...args); }

  /** now is the server's clock, for timers. */
  now() { return Date.now() + this.offset; }

  setStatus(s, reason = '') {
    this.status = s; this.closeReason = reason;
    this.emit('status', s, reason);
  }

  connect() {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.ready = false;
    if (navigator.onLine === false) { this.setStatus('offline'); return; } // 'online' reconnects
    this.setStatus(this.restarting ? 'restarting' : this.attempt ? 'reconnecting' : 'connecting');
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    let ws;
    try { ws = new WebSocket(`${proto}//${location.host}/ws?table=${encodeURIComponent(this.table)}`); } catch { this.scheduleReconnect(); return; }
    this.ws = ws;
    ws.onopen = () => {
      ws.send(JSON.stringify({ op: 'hello', table: this.table, role: this.role, token: this.token, since: this.state ? this.state.seq : 0 }));
    };
    ws.onmessage = (m) => { if (ws === this.ws) this.onFrame(String(m.data)); };
    ws.onclose = (e) => { if (ws === this.ws) this.onClose(e); };
    ws.onerror = () => { /* onclose follows */ };
  }

  onFrame(text) {
    let changed = false;
    let welcomed = false;
    for (const line of text.split('\n')) {
      if (!line) continue;
      let m;
      try { m = JSON.parse(line); } catch { continue; }
      switch (m.type) {
        case 'welcome':
          this.you = m.you || '';
          this.offset = Date.parse(m.server) - Date.now();
          this.online = new Set(m.online || []);
          this.counts = m.counts || this.counts;
          this.progress = m.progress || {};
          if (m.resume === 'events' && !this.state) { this.restart(); return; }
          welcomed = true; changed = true;
          break;
        case 'snapshot':
          this.state = m.state;
          changed = true;
          break;
        case 'event':
          if (!this.state || m.seq <= this.state.seq) break; // already folded
          // Seqs may skip: a private group's content is not sent outside the group.
          if (!fold(this.state, m, { role: this.role, you: this.you })) {
            // An event this client cannot fold (a newer server): resuming from
            // the same seq would fail again, so start over from a snapshot.
            console.error('poyta: fold: cannot fold', m.event, m.seq);
            this.state = null;
            this.restart();
            return;
          }
          changed = true;
          this.emit('event', m);
          break;
        case 'ack':
          this.settle(m.id, null);
          this.emit('ack', m);
          break;
        case 'error':
          if (m.id) this.refusedOp(m);
          else this.emit('refused', m, null);
          break;
        case 'presence':
          for (const id of m.online || []) this.online.add(id);
          for (const id of m.offline || []) this.online.delete(id);
          if (m.counts) this.counts = m.counts;
          this.progress = m.progress || {};
          changed = true;
          break;
      }
    }
    if (welcomed) {
      this.attempt = 0;
      this.ready = true;
      this.restarting = false;
      this.setStatus('online');
      this.flush();
    }
    if (changed) this.emit('state', this.state);
  }

  /** restart drops the connection and resumes from the last seq. */
  restart() {
    const ws = this.ws;
    this.ws = null;
    if (ws) try { ws.close(3000, 'resume'); } catch { /* closed */ }
    this.ready = false;
    this.reconnectNow();
  }

  onClose(e) {
    this.ws = null;
    this.ready = false;
    if (e.code === 1008) {
      // Policy: a wrong or revoked credential. Reconnecting would not help.
      this.stopped = true;
      this.setStatus('closed', e.reason || 'unauthorized');
      return;
    }
    if (e.code === 4000) { this.reconnectNow(); return; }
    // 1001: the server is stopping or restarting; say so until it is back.
    this.restarting = e.code === 1001;
    this.scheduleReconnect();
  }

  scheduleReconnect() {
    if (this.stopped) return;
    this.setStatus(navigator.onLine === false ? 'offline' : this.restarting ? 'restarting' : 'reconnecting');
    const base = Math.min(MAX_BACKOFF, 500 * 2 ** this.attempt);
    this.attempt++;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.connect(), base / 2 + Math.random() * base / 2);
  }

  reconnectNow() {
    if (this.stopped) return;
    clearTimeout(this.timer);
    if (this.ws) return;
    this.timer = setTimeout(() => this.connect(), 0);
  }

  /** send queues an op and sends it when connected. It returns the op id. */
  send(op, fields = {}) {
    const id = `${tabPrefix}-${++counter}`;
    const msg = { id, op, ...fields };
    this.pending.push({ msg, t: Date.now() });
    this.save();
    if (this.ready) this.ws.send(JSON.stringify(msg));
    this.emit('state', this.state);
    return id;
  }

  /** isPending reports whether an op matching pred waits for its ack. */
  pendingOps(pred = () => true) { return this.pending.map((p) => p.msg).filter(pred); }

  flush() {
    for (const p of this.pending) {
      if (!this.ready) return;
      this.ws.send(JSON.stringify(p.msg));
    }
  }

  settle(id, err) {
    const i = this.pending.findIndex((p) => p.msg.id === id);
    if (i < 0) return null;
    const [p] = this.pending.splice(i, 1);
    this.save();
    if (err) this.emit('refused', err, p.msg);
    this.emit('state', this.state);
    return p;
  }

  refusedOp(m) {
    if (m.code === 'rate_limited' || m.code === 'unavailable') {
      // Not executed: try again later with the same id.
      clearTimeout(this.retryTimer);
      this.retryTimer = setTimeout(() => this.flush(), m.code === 'unavailable' ? 3000 : 1200);
      return;
    }
    this.settle(m.id, m);
  }

  save() { pendingStore.set(this.scope, this.pending); }

  /** stop closes the connection for good (leaving the page or a new identity). */
  stop(forget = false) {
    this.stopped = true;
    clearTimeout(this.timer);
    window.removeEventListener('online', this.onOnline);
    window.removeEventListener('offline', this.onOffline);
    document.removeEventListener('visibilitychange', this.onVisible);
    if (forget) { this.pending = []; this.save(); }
    const ws = this.ws; this.ws = null;
    if (ws) try { ws.close(1000); } catch { /* closed */ }
  }
}
