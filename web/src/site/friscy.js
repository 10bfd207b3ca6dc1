// friscy page-side API: starts the emulator Worker, feeds it an image, and connects a terminal.
//
//   const session = await Friscy.boot({image, argv, env, cwd, terminal, onProgress, memory, stallMs, jit});
//   (memory: the guest's RAM in bytes, 16 MiB to 4 GiB, default 1 GiB; the image must fit in it;
//    jit: false runs the interpreter only; by default hot guest code is translated to Wasm;
//    jitThreshold: N translates code entered N times (default 300000), jitTune: policy knobs, see web/README.md;
//    relay: ws:// or wss:// URL of the network relay (friscy serve --relay) through which guests
//    reach TCP destinations beyond loopback; default: the page's <meta name="friscy-relay">,
//    which friscy serve --relay adds; '' or null: none, guests get ENETUNREACH)
//   session.write('ls\n'); session.resize(cols, rows);
//   session.onOutput(bytes => ...); session.onProcessEvents(events => ...);
//   session.exited.then(status => ...);
//   session.onStall(info => ...)   the Worker stopped answering (info.ms silent); session.onRecover(...)
//   session.ports / session.onPorts(list => ...)   TCP ports guests listen on: [{port, url}], url
//     opening the guest's web server through the preview (preview-sw.js), null without one
//     (options.preview: false, or no service worker in a page that is not https/localhost);
//     options.previewTimeoutMs: how long a guest server may take to answer (default 30000, then 504)
//
// Watchdog: every second the page pings the Worker; no answer for stallMs (default 5000) means
// the emulator is stuck inside a slice (the Worker has one thread, so it cannot say so itself).
// The page is told once per stall and may restart (terminate() and boot again).
//
// Every process event is also appended to window.__friscyProcessEvents, which keeps the latest
// Friscy.MAX_HOOK_EVENTS (older ones are dropped, so a long session cannot grow it without end).
(function () {
  'use strict';

  // The window.__friscy* test hooks keep at most this much: events, and characters of output.
  const MAX_HOOK_EVENTS = 100000;
  const MAX_HOOK_OUTPUT = 1 << 20;

  window.__friscyProcessEvents = window.__friscyProcessEvents || [];

  // The relay the server named in the page (friscy serve --relay), resolved against the page; '' if none.
  function pageRelay() {
    const meta = document.querySelector('meta[name="friscy-relay"]');
    const url = meta && meta.getAttribute('content');
    if (!url) return '';
    try {
      return new URL(url, location.href).href;
    } catch (e) {
      return url; // the Worker says what is wrong with it
    }
  }

  // Appends to a hook array, dropping its oldest entries beyond max.
  function pushBounded(array, items, max) {
    for (const e of items) array.push(e);
    if (array.length > max) array.splice(0, array.length - max);
  }

  // Appends to a hook string, keeping its last max characters.
  function appendBounded(text, more, max) {
    const s = text + more;
    return s.length > max ? s.slice(s.length - max) : s;
  }

  // Resolve sibling files (worker.js, images) relative to this script, so pages elsewhere can use it.
  const scriptUrl = (document.currentScript && document.currentScript.src) || location.href;
  const baseUrl = new URL('.', scriptUrl).href;

  const DEFAULT_ENV = [
    'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    'HOME=/root',
    'USER=root',
    'LOGNAME=root',
    'SHELL=/bin/sh',
    'TERM=xterm-256color',
    'LANG=C.UTF-8',
  ];

  const IMAGES = {
    busybox: { url: baseUrl + 'images/busybox.tar.gz', label: 'BusyBox (sh + applets)' },
    'debian-shell': { url: baseUrl + 'images/debian-shell.tar.gz', label: 'Debian dash + coreutils' },
    nodejs: { url: baseUrl + 'images/nodejs.tar.gz', label: 'Debian Node.js 20 + dash' },
    python: { url: baseUrl + 'images/python.tar.gz', label: 'Debian Python 3 + dash' },
  };

  const IMAGE_CACHE = 'friscy-images-v1';

  /**
   * An image from the Cache API ({bytes}), if an earlier visit put it there; meanwhile a HEAD
   * request checks that the server still has that version (else the entry is dropped for next
   * time). Otherwise {usable}: whether the Cache API works here, to keep the download.
   */
  async function cachedImage(url, onProgress) {
    if (typeof caches === 'undefined') return { usable: false };
    let cache;
    let hit;
    try {
      cache = await caches.open(IMAGE_CACHE);
      hit = await cache.match(url);
    } catch (e) {
      return { usable: false }; // no Cache API here (an opaque origin, a private window)
    }
    if (!hit) return { usable: true };
    const stamp = (r) => (r.headers.get('Last-Modified') || '') + '|' + (r.headers.get('Content-Length') || '');
    fetch(url, { method: 'HEAD', cache: 'no-store' }).then(
      (head) => {
        if (head.ok && stamp(head) !== stamp(hit)) cache.delete(url);
      },
      () => {} // offline: keep using the cached image
    );
    const buf = new Uint8Array(await hit.arrayBuffer());
    if (onProgress) onProgress(buf.length, buf.length);
    return { pieces: [buf], usable: true };
  }

  /** Only where cachedImage found the Cache API usable. */
  async function rememberImage(url, pieces, response) {
    try {
      const headers = new Headers();
      for (const h of ['Content-Type', 'Last-Modified', 'Content-Length']) {
        const v = response.headers.get(h);
        if (v) headers.set(h, v);
      }
      // made now: the Blob copies the pieces before they are handed to the Worker (a clone of
      // the download stored as it streams in instead: boot 0.09 s sooner, but the guest's run
      // 0.15 s later while the cache write went on beside it, node's image, 3 pairs)
      const copy = new Response(new Blob(pieces), { headers });
      const cache = await caches.open(IMAGE_CACHE);
      await cache.put(url, copy);
    } catch (e) {
      console.warn('friscy: the image is not cached for the next visit: ' + e.message);
    }
  }

  /**
   * Downloads url as the pieces it arrives in (Uint8Arrays), reporting (loaded, total) bytes;
   * total is 0 when the server does not say. Images are kept in the Cache API, so a second visit
   * does not download them again.
   */
  async function download(url, onProgress) {
    const cached = await cachedImage(url, onProgress);
    if (cached.pieces) return cached.pieces;
    let response;
    try {
      // Where the Cache API keeps the image, the browser's HTTP cache need not keep a second
      // copy: writing it while the body streams in made node's 141 MB image arrive ~0.13 s later
      response = await fetch(url, cached.usable ? { cache: 'no-store' } : undefined);
    } catch (e) {
      throw new Error('cannot download ' + url + ': ' + e.message);
    }
    if (!response.ok) {
      throw new Error('cannot download ' + url + ': HTTP ' + response.status);
    }
    const pieces = await readBody(response, onProgress);
    if (cached.usable) rememberImage(url, pieces, response); // not awaited: the boot need not wait for it
    return pieces;
  }

  async function readBody(response, onProgress) {
    // an encoded response (./friscy serve sends an image as zstd to browsers that take it)
    // arrives decoded: Content-Length counts the encoded bytes, the server says the decoded
    // length apart (else the total is unknown)
    const total = response.headers.get('Content-Encoding')
      ? Number(response.headers.get('X-Decoded-Content-Length')) || 0
      : Number(response.headers.get('Content-Length')) || 0;
    if (!response.body) {
      const buf = new Uint8Array(await response.arrayBuffer());
      if (onProgress) onProgress(buf.length, total || buf.length);
      return [buf];
    }
    const reader = response.body.getReader();
    const chunks = [];
    let loaded = 0;
    if (onProgress) onProgress(0, total);
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      loaded += value.length;
      if (onProgress) onProgress(loaded, total);
    }
    // the pieces go to the Worker as they came, which writes each into the emulator's memory:
    // joining them here first copied node's 141 MB once more (90 ms)
    return chunks;
  }

  /**
   * image: a name from Friscy.images, a URL, a File/Blob, an ArrayBuffer or a Uint8Array; its
   * bytes as a list of pieces (Uint8Arrays), in order.
   */
  async function imageBytes(image, onProgress) {
    if (image instanceof Uint8Array) return [image];
    if (image instanceof ArrayBuffer) return [new Uint8Array(image)];
    if (typeof Blob !== 'undefined' && image instanceof Blob) {
      const buf = new Uint8Array(await image.arrayBuffer());
      if (onProgress) onProgress(buf.length, buf.length);
      return [buf];
    }
    if (typeof image === 'string') {
      const known = IMAGES[image];
      return download(known ? known.url : new URL(image, location.href).href, onProgress);
    }
    throw new Error('image must be an image name, URL, File, ArrayBuffer or Uint8Array');
  }

  function listeners() {
    const list = [];
    return {
      add(fn) {
        list.push(fn);
        return () => {
          const i = list.indexOf(fn);
          if (i >= 0) list.splice(i, 1);
        };
      },
      emit(v) {
        for (const fn of list.slice()) {
          try {
            fn(v);
          } catch (e) {
            console.error('friscy listener failed', e);
          }
        }
      },
    };
  }

  const SIGNALS = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGUSR1: 10, SIGUSR2: 12, SIGTERM: 15, SIGCONT: 18, SIGSTOP: 19, SIGTSTP: 20 };

  /**
   * Where the session keeps its file system: options.persist is true (a key from the image: its
   * name or URL), a string key, or an object {key, reset, quotaBytes, backend: 'opfs' | 'indexeddb'
   * (default: OPFS where the browser has it), saveEveryMs (default 3000)}; false/absent: not kept.
   * An image given as bytes or a File has no stable name unless a key is given.
   */
  function persistOption(options, image) {
    const p = options.persist;
    if (!p) return null;
    let key = typeof p === 'string' ? p : typeof p === 'object' && p.key ? String(p.key) : null;
    if (!key && typeof image === 'string') key = IMAGES[image] ? image : new URL(image, location.href).href;
    if (!key) throw new Error('persist: give a key for an image that is not a name or URL');
    const o = typeof p === 'object' ? p : {};
    const backend = o.backend === 'indexeddb' || o.backend === 'opfs' ? o.backend : undefined;
    const saveEveryMs = Number(o.saveEveryMs) || undefined;
    return { key, reset: !!(o.reset || options.resetPersisted), quotaBytes: Number(o.quotaBytes || options.quotaBytes) || 0, backend, saveEveryMs };
  }

  /** Decodes a Linux wait status word: {code} for a normal exit, {signal} for a kill. */
  function decodeStatus(status) {
    const sig = status & 0x7f;
    return sig === 0 ? { code: (status >> 8) & 0xff } : { signal: sig, core: (status & 0x80) !== 0 };
  }

  // ------------------------------------------------------------------ preview of guest web servers
  // preview-sw.js (scope: this script's directory) routes requests for preview/PORT/... to the
  // page whose guest listens on PORT: it asks each page (friscy-preview-query), and the one that
  // has the port hands the request, with the MessagePort the response goes back on, to its Worker.

  /** Sessions that may have guests listening: their port tables and a way into their Worker. */
  const previewHosts = new Set();
  let previewSetup = null;

  function previewUrl(port) {
    return baseUrl + 'preview/' + port + '/';
  }

  /**
   * Registers the preview's service worker once per page; resolves true once it is active (so
   * preview URLs opened in a tab or frame reach the guest), false where there can be none.
   */
  function setupPreview() {
    if (previewSetup) return previewSetup;
    if (!('serviceWorker' in navigator) || !window.isSecureContext) {
      previewSetup = Promise.resolve(false);
      return previewSetup;
    }
    navigator.serviceWorker.addEventListener('message', onServiceWorkerMessage);
    navigator.serviceWorker.startMessages();
    previewSetup = navigator.serviceWorker.register(baseUrl + 'preview-sw.js', { scope: baseUrl })
      .then((reg) => reg.active ? true : new Promise((resolve) => {
        const sw = reg.installing || reg.waiting;
        if (!sw) {
          resolve(false);
          return;
        }
        sw.addEventListener('statechange', () => {
          if (sw.state === 'activated') resolve(true);
          else if (sw.state === 'redundant') resolve(!!reg.active);
        });
      }))
      .catch((e) => {
        console.warn('friscy: no preview of guest web servers (the service worker did not register): ' + e.message);
        return false;
      });
    return previewSetup;
  }

  /** The live session whose guest started listening on port most recently, or null. */
  function previewHostFor(port) {
    let best = null;
    for (const h of previewHosts) {
      const p = h.ports.get(port);
      if (p && (!best || p.since > best.since)) best = { host: h, since: p.since };
    }
    return best && best.host;
  }

  function onServiceWorkerMessage(ev) {
    const msg = ev.data;
    const reply = ev.ports && ev.ports[0];
    if (!msg || typeof msg !== 'object' || !reply) return;
    if (msg.type === 'friscy-preview-query') {
      reply.postMessage({ listening: previewHostFor(msg.port) !== null });
    } else if (msg.type === 'friscy-preview-request') {
      const request = msg.request || {};
      const host = previewHostFor(request.port);
      if (host) host.forward(request, reply);
      else reply.postMessage({ type: 'error', status: 502, message: 'nothing listens on port ' + request.port + ' any more' });
    }
  }

  async function boot(options) {
    options = options || {};
    const image = options.image === undefined ? 'busybox' : options.image;
    const argv = options.argv || ['/bin/sh'];
    const env = options.env || DEFAULT_ENV;
    const cwd = options.cwd || '/root';
    const terminal = options.terminal || null;
    let cols = options.cols || (terminal ? terminal.cols : 80);
    let rows = options.rows || (terminal ? terminal.rows : 24);

    const persist = persistOption(options, image);
    // The Worker loads and compiles the emulator while the image downloads.
    const worker = new Worker(options.workerUrl || baseUrl + 'worker.js');
    let bytes;
    try {
      bytes = await imageBytes(image, options.onProgress);
    } catch (e) {
      worker.terminate();
      throw e;
    }
    const output = listeners();
    const persistEvents = listeners();
    if (options.onPersist) persistEvents.add(options.onPersist);
    const pending = new Map();
    let nextId = 1;
    const processEvents = listeners();
    const errors = listeners();
    const stalls = listeners();
    const recoveries = listeners();
    const portChanges = listeners();
    const previewOn = options.preview !== false;
    // how long a guest server may take to start its response (the service worker's default: 30 s)
    const previewTimeoutMs = Number(options.previewTimeoutMs) > 0 ? Number(options.previewTimeoutMs) : 0;
    const previewReady = previewOn ? setupPreview() : Promise.resolve(false);
    let previewActive = false;
    previewReady.then((ok) => {
      previewActive = ok;
      if (ok && preview.ports.size > 0) portChanges.emit(portList());
    });
    // port -> {count (listening sockets), since (ms)}, from the listen/unlisten process events
    const preview = {
      ports: new Map(),
      forward(request, port) {
        if (previewTimeoutMs > 0) request.timeoutMs = previewTimeoutMs;
        const body = request.body instanceof ArrayBuffer ? [request.body] : [];
        worker.postMessage({ type: 'preview', port, request }, [port].concat(body));
      },
    };
    function portList() {
      return Array.from(preview.ports.keys()).sort((a, b) => a - b)
        .map((port) => ({ port, url: previewActive ? previewUrl(port) : null }));
    }
    function trackPorts(events) {
      let changed = false;
      for (const e of events) {
        if ((e.type !== 'listen' && e.type !== 'unlisten') || !Number.isInteger(e.port)) continue;
        const p = preview.ports.get(e.port);
        if (e.type === 'listen') {
          if (p) p.count++;
          else preview.ports.set(e.port, { count: 1, since: performance.now() });
          changed = changed || !p;
        } else if (p && --p.count <= 0) {
          preview.ports.delete(e.port);
          changed = true;
        }
      }
      if (changed) portChanges.emit(portList());
    }
    function forgetPorts() {
      previewHosts.delete(preview);
      if (preview.ports.size > 0) {
        preview.ports.clear();
        portChanges.emit([]);
      }
    }
    const stallMs = options.stallMs || 5000;
    let pingId = 0;
    let pingSent = 0; // when the unanswered ping went out, 0 if none
    let stalled = false;
    let watchdog = null;
    let exitResolve;
    const exited = new Promise((resolve) => (exitResolve = resolve));
    let bootResolve;
    let bootReject;
    const booted = new Promise((resolve, reject) => {
      bootResolve = resolve;
      bootReject = reject;
    });
    let isBooted = false;
    let bootTimings = null;
    let isExited = false;
    const encoder = new TextEncoder();

    worker.onmessage = (ev) => {
      const msg = ev.data || {};
      switch (msg.type) {
        case 'ready':
          break;
        case 'pong':
          pingSent = 0;
          if (stalled) {
            stalled = false;
            recoveries.emit({});
          }
          break;
        case 'slow-slice':
          console.warn('friscy: one emulator slice took ' + msg.ms + ' ms');
          break;
        case 'booted':
          isBooted = true;
          bootTimings = msg.timings || null;
          bootResolve();
          break;
        case 'stdout': {
          // Acknowledge once displayed, so the worker can pace a guest that prints without end.
          const n = msg.data.length;
          const ack = () => worker.postMessage({ type: 'ack', bytes: n });
          output.emit(msg.data);
          if (terminal) terminal.write(msg.data, ack);
          else ack();
          break;
        }
        case 'process-events':
          pushBounded(window.__friscyProcessEvents, msg.events, MAX_HOOK_EVENTS);
          trackPorts(msg.events);
          processEvents.emit(msg.events);
          break;
        case 'exit':
          isExited = true;
          stopWatchdog();
          forgetPorts();
          exitResolve(msg.status);
          break;
        case 'reply': {
          const p = pending.get(msg.id);
          if (!p) break;
          pending.delete(msg.id);
          if (msg.error !== undefined) p.reject(new Error(msg.error));
          else p.resolve(msg.value);
          break;
        }
        case 'persist':
          persistEvents.emit(msg);
          break;
        case 'error':
          if (!isBooted) {
            bootReject(new Error(msg.message));
          } else {
            errors.emit(msg.message);
          }
          break;
        default:
          console.warn('friscy: unknown message from worker', msg);
      }
    };
    worker.onerror = (ev) => {
      const message = 'emulator worker failed: ' + (ev.message || 'unknown error');
      if (!isBooted) bootReject(new Error(message));
      else errors.emit(message);
    };

    function stopWatchdog() {
      if (watchdog !== null) clearInterval(watchdog);
      watchdog = null;
    }

    function startWatchdog() {
      watchdog = setInterval(() => {
        const now = performance.now();
        if (pingSent === 0) {
          pingSent = now;
          worker.postMessage({ type: 'ping', id: ++pingId });
        } else if (!stalled && now - pingSent > stallMs) {
          stalled = true;
          stalls.emit({ ms: Math.round(now - pingSent) });
        }
      }, 1000);
    }

    const bootMessage = { type: 'boot', image: bytes, argv, env, cwd, cols, rows, persist };
    if (options.memory !== undefined) bootMessage.memory = options.memory;
    bootMessage.jit = options.jit !== false;
    if (options.jitThreshold !== undefined) bootMessage.jitThreshold = options.jitThreshold;
    if (options.jitTune !== undefined) bootMessage.jitTune = String(options.jitTune);
    const relay = options.relay !== undefined ? options.relay : pageRelay();
    if (relay) bootMessage.relay = String(relay);
    // a piece that is a whole buffer of its own is handed over, not copied (the caller's own
    // Uint8Array view into a larger buffer is copied, and so left intact)
    const transfer = new Set();
    for (const b of bytes) {
      if (b.byteOffset === 0 && b.byteLength === b.buffer.byteLength) transfer.add(b.buffer);
    }
    worker.postMessage(bootMessage, Array.from(transfer));

    function request(msg, transfer) {
      if (isExited) return Promise.reject(new Error('the system has stopped'));
      const id = nextId++;
      msg.id = id;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage(msg, transfer || []);
      });
    }

    const session = {
      write(data) {
        if (isExited) return;
        const d = typeof data === 'string' ? encoder.encode(data) : new Uint8Array(data);
        worker.postMessage({ type: 'stdin', data: d }, [d.buffer]);
      },
      resize(c, r) {
        if (!(c > 0 && r > 0) || (c === cols && r === rows)) return;
        cols = c;
        rows = r;
        worker.postMessage({ type: 'resize', cols: c, rows: r });
      },
      onOutput: output.add,
      onProcessEvents: processEvents.add,
      onError: errors.add,
      onStall: stalls.add,
      onRecover: recoveries.add,
      /** True while the Worker has not answered the watchdog for stallMs. */
      get stalled() {
        return stalled;
      },
      /** TCP ports guests listen on, [{port, url}]: url opens the guest's server through the preview (null without one). */
      get ports() {
        return portList();
      },
      /** Calls fn(list) whenever a port starts or stops being listened on (list as in ports). */
      onPorts: portChanges.add,
      /** Resolves true once the preview's service worker is active, false where there is none. */
      previewReady,
      /** The preview URL of a guest port (it answers 502 while nothing listens there). */
      previewUrl,
      /** Browser storage news: {state: 'restored' | 'saved' | 'error', message, quota, bytes, records}. */
      onPersist: persistEvents.add,
      /** The storage key of this session's file system, or null when it is not kept. */
      persistKey: persist ? persist.key : null,
      /** The process table: [{pid, ppid, pgid, sid, state (R S T Z), comm, argv, argc, threads, utimeMs, stimeMs}]. */
      processes() {
        return request({ type: 'processes' });
      },
      /** Sends a signal (number, or a name such as 'SIGSTOP') to process pid. */
      signal(pid, sig) {
        const n = typeof sig === 'string' ? SIGNALS[sig.toUpperCase().replace(/^(SIG)?/, 'SIG')] : sig;
        if (!n) return Promise.reject(new Error('unknown signal ' + sig));
        return request({ type: 'signal', pid, signal: n });
      },
      /** The working directory of the shell (the terminal's foreground process). */
      cwd() {
        return request({ type: 'cwd' });
      },
      /**
       * Writes a file into the guest (missing directories are made): data is a string,
       * Uint8Array, ArrayBuffer or Blob, sent in 1 MiB pieces with onProgress(sent, total).
       */
      async writeFile(path, data, opts) {
        opts = opts || {};
        let bytes;
        if (typeof Blob !== 'undefined' && data instanceof Blob) bytes = new Uint8Array(await data.arrayBuffer());
        else if (typeof data === 'string') bytes = encoder.encode(data);
        else bytes = new Uint8Array(data);
        const mode = opts.mode === undefined ? 0o644 : opts.mode;
        const CHUNK = 1 << 20;
        let at = 0;
        do {
          const piece = bytes.slice(at, Math.min(bytes.length, at + CHUNK));
          const n = piece.length; // the piece's buffer is handed over (detached) by postMessage
          await request({ type: 'write-file', path, data: piece, mode, append: at > 0 }, [piece.buffer]);
          at += n;
          if (opts.onProgress) opts.onProgress(at, bytes.length);
        } while (at < bytes.length);
      },
      /** A guest file's bytes (Uint8Array); a directory is an error (EISDIR): use exportTar. */
      readFile(path) {
        return request({ type: 'read-file', path });
      },
      /** A directory as a tar (Uint8Array); '/' (the default) is the whole file system, as `friscy run --save` writes it. */
      exportTar(path) {
        return request({ type: 'export-tar', path: path === undefined ? '/' : path });
      },
      /** 'file', 'dir' or 'other'; rejects for a path that does not exist. */
      pathKind(path) {
        return request({ type: 'path-kind', path });
      },
      /**
       * Types text into the terminal once the guest has shown something and gone quiet (the
       * shell's first prompt), or after maxWaitMs without output; a link's ?cmd= uses it.
       */
      typeWhenIdle(text, quietMs, maxWaitMs) {
        quietMs = quietMs || 150;
        let timer = null;
        let done = false;
        const type = () => {
          if (done) return;
          done = true;
          off();
          clearTimeout(timer);
          clearTimeout(fallback);
          session.write(text);
        };
        const off = output.add(() => {
          clearTimeout(timer);
          timer = setTimeout(type, quietMs);
        });
        const fallback = setTimeout(type, maxWaitMs || 3000);
      },
      /** Saves the file system to browser storage now (sessions booted with persist). */
      saveNow() {
        return request({ type: 'persist-now' });
      },
      exited,
      get cols() {
        return cols;
      },
      get rows() {
        return rows;
      },
      /** Milliseconds spent unpacking the image, waiting for the Wasm module and booting. */
      get bootTimings() {
        return bootTimings;
      },
      terminate() {
        stopWatchdog();
        forgetPorts();
        worker.terminate();
        for (const p of pending.values()) p.reject(new Error('the system has stopped'));
        pending.clear();
        if (!isExited) {
          isExited = true;
          exitResolve(null);
        }
      },
    };

    const disposers = [];
    if (terminal) {
      disposers.push(terminal.onData((s) => session.write(s)));
      disposers.push(terminal.onBinary((s) => session.write(Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff))));
      disposers.push(terminal.onResize((size) => session.resize(size.cols, size.rows)));
      exited.then(() => disposers.forEach((d) => d.dispose()));
    }

    try {
      await booted;
      startWatchdog();
      if (!isExited) previewHosts.add(preview);
    } catch (e) {
      worker.terminate();
      disposers.forEach((d) => d.dispose());
      throw e;
    }
    return session;
  }

  window.Friscy = {
    boot, images: IMAGES, defaultEnv: DEFAULT_ENV, decodeStatus, signals: SIGNALS, previewUrl,
    MAX_HOOK_EVENTS, MAX_HOOK_OUTPUT, pushBounded, appendBounded,
  };
})();
