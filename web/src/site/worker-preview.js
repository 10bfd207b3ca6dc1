// The Worker's half of the preview of guest web servers: each browser request the service worker
// (preview-sw.js) routes here through the page becomes a connection into the guest's loopback
// (WorkerMain.friscy_preview_*, dev.friscy.preview in the core), and its response streams back
// to the service worker over the request's own MessagePort.
//
// Page -> Worker: {type: 'preview', port: MessagePort, request: {port, method, target,
//                 headers: [[name, value], ...], body: ArrayBuffer | null, timeoutMs}}
// Worker -> service worker (on that port): {type: 'head', status, statusText, headers},
//                 {type: 'data', bytes}, {type: 'end'}, {type: 'abort', message} (the body broke off),
//                 {type: 'error', status, message} (instead of a head), {type: 'alive'} every ALIVE_MS
// service worker -> Worker: {type: 'credit', bytes} (bytes the browser has consumed), {type: 'cancel'},
//                 {type: 'alive'} every ALIVE_MS: a request whose other side is silent for
//                 SILENCE_MS (the service worker was stopped) is closed, so it cannot hold the guest
//
// Flow control: at most WINDOW body bytes are in flight beyond what the browser has consumed;
// the rest waits in the guest's socket, so a large download cannot fill the Worker's memory.
'use strict';

const FriscyPreview = (function () {
  const WINDOW = 1 << 20;
  const CHUNK = 256 * 1024;
  /** The service worker gives up on a request that hears nothing for a few of these. */
  const ALIVE_MS = 2000;
  const SILENCE_MS = 10000;
  const MAX_FIELDS = 64 * 1024;

  let env = null; // {wasm(), running(), runSoon()}
  const open = new Map(); // id -> {id, port, credit, headSent}
  let timer = null;

  function init(e) {
    env = e;
  }

  function send(x, msg, transfer) {
    try {
      x.port.postMessage(msg, transfer || []);
    } catch (e) {
      // the service worker side is gone: the request is over
    }
  }

  function refuse(port, status, message) {
    try {
      port.postMessage({ type: 'error', status, message });
    } catch (e) {
      // nobody to tell
    }
  }

  /** Checks a request from the page; returns an error message or null. */
  function invalid(r) {
    if (r === null || typeof r !== 'object') return 'no request';
    if (!Number.isInteger(r.port) || r.port < 1 || r.port > 65535) return 'the port must be 1..65535';
    if (typeof r.method !== 'string' || typeof r.target !== 'string') return 'method and target must be strings';
    if (!Array.isArray(r.headers) || !r.headers.every((h) => Array.isArray(h) && h.length === 2 &&
        typeof h[0] === 'string' && typeof h[1] === 'string' && !/[\r\n]/.test(h[0] + h[1]))) {
      return 'headers must be [name, value] string pairs without line breaks';
    }
    if (r.body != null && !(r.body instanceof ArrayBuffer) && !(r.body instanceof Uint8Array)) return 'the body must be an ArrayBuffer';
    return null;
  }

  /** A 'preview' message: true if it was one. */
  function handle(msg) {
    if (msg.type !== 'preview') return false;
    const port = msg.port;
    if (typeof MessagePort === 'undefined' || !(port instanceof MessagePort)) {
      self.postMessage({ type: 'error', message: 'worker: preview needs a MessagePort' });
      return true;
    }
    const r = msg.request;
    const why = invalid(r);
    if (why) {
      refuse(port, 400, 'preview: ' + why);
      return true;
    }
    if (!env.running()) {
      refuse(port, 503, 'the guest system is not running');
      return true;
    }
    const fields = r.headers.map((h) => h[0] + ': ' + h[1]).join('\n');
    if (fields.length > MAX_FIELDS) {
      refuse(port, 431, 'the request header fields are over 64 KiB');
      return true;
    }
    const body = r.body == null ? new Uint8Array(0) : new Uint8Array(r.body);
    const wasm = env.wasm();
    const id = wasm.friscy_preview_open(r.port, r.method, r.target, fields,
      new Int8Array(body.buffer, body.byteOffset, body.length), Number(r.timeoutMs) || 0);
    if (id < 0) {
      refuse(port, 503, 'the guest system is not running');
      return true;
    }
    const x = { id, port, credit: WINDOW, headSent: false, heard: performance.now() };
    open.set(id, x);
    port.onmessage = (ev) => {
      const m = ev.data || {};
      if (!open.has(id)) return;
      x.heard = performance.now();
      if (m.type === 'credit' && Number(m.bytes) > 0) {
        x.credit = Math.min(WINDOW, x.credit + Number(m.bytes));
        if (pump(x)) env.runSoon();
      } else if (m.type === 'cancel') {
        finish(x); // the guest sees its connection reset if it was still sending
        env.runSoon();
      }
    };
    pump(x);
    env.runSoon(); // the guest's accept can go ahead
    if (timer === null) timer = setInterval(tick, ALIVE_MS);
    return true;
  }

  function finish(x) {
    open.delete(x.id);
    x.port.onmessage = null;
    try {
      env.wasm().friscy_preview_close(x.id);
    } catch (e) {
      // the module failed meanwhile; nothing is left to close
    }
    if (open.size === 0 && timer !== null) {
      clearInterval(timer);
      timer = null;
    }
  }

  /** Moves request x on and forwards what is new; true if bytes went into or out of the guest. */
  function pump(x) {
    const wasm = env.wasm();
    let moved = false;
    for (;;) {
      const news = JSON.parse(wasm.friscy_preview_pump(x.id));
      if (news.moved) moved = true;
      if (news.error) {
        if (x.headSent) send(x, { type: 'abort', message: news.error.message });
        else send(x, { type: 'error', status: news.error.status, message: news.error.message });
        finish(x);
        return moved;
      }
      if (news.head) {
        x.headSent = true;
        send(x, { type: 'head', status: news.head.status, statusText: news.head.reason, headers: news.head.headers });
      }
      let took = false;
      if (news.available > 0 && x.credit > 0) {
        const got = wasm.friscy_preview_body(x.id, Math.min(CHUNK, x.credit));
        const bytes = new Uint8Array(got); // a fresh copy (Int8Array values wrap to 0..255)
        if (bytes.length > 0) {
          x.credit -= bytes.length;
          send(x, { type: 'data', bytes }, [bytes.buffer]);
          took = true;
        }
      }
      if (news.abort) {
        send(x, { type: 'abort', message: news.abort });
        finish(x);
        return moved;
      }
      if (news.end) {
        send(x, { type: 'end' });
        finish(x);
        return moved;
      }
      if (!took) return moved; // taking bytes made room: the socket may have more
    }
  }

  /** After every run of the kernel: the guest may have answered. */
  function afterSlice() {
    let moved = false;
    for (const x of Array.from(open.values())) {
      if (pump(x)) moved = true;
    }
    if (moved) env.runSoon();
  }

  /** Every ALIVE_MS while requests are open: time limits pass even when the kernel is idle. */
  function tick() {
    if (!env.running()) return;
    const now = performance.now();
    let dropped = false;
    for (const x of Array.from(open.values())) {
      if (now - x.heard > SILENCE_MS) {
        finish(x); // nobody will take the response: the guest sees its connection reset
        dropped = true;
      } else {
        send(x, { type: 'alive' });
      }
    }
    afterSlice();
    if (dropped) env.runSoon();
  }

  /** The system stopped: every open request ends with an error the browser shows. */
  function stop(message) {
    for (const x of Array.from(open.values())) {
      if (x.headSent) send(x, { type: 'abort', message });
      else send(x, { type: 'error', status: 503, message });
      finish(x);
    }
  }

  return { init, handle, afterSlice, stop };
})();
