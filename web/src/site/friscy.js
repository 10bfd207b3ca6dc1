// friscy page-side API: starts the emulator Worker, feeds it an image, and connects a terminal.
//
//   const session = await Friscy.boot({image, argv, env, cwd, terminal, onProgress, jit});
//   (jit: false runs the interpreter only; by default hot guest code is translated to Wasm)
//   session.write('ls\n'); session.resize(cols, rows);
//   session.onOutput(bytes => ...); session.onProcessEvents(events => ...);
//   session.exited.then(status => ...);
//
// Every process event is also appended to window.__friscyProcessEvents.
(function () {
  'use strict';

  window.__friscyProcessEvents = window.__friscyProcessEvents || [];

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
  };

  /** Downloads url, reporting (loaded, total) bytes; total is 0 when the server does not say. */
  async function download(url, onProgress) {
    let response;
    try {
      response = await fetch(url);
    } catch (e) {
      throw new Error('cannot download ' + url + ': ' + e.message);
    }
    if (!response.ok) {
      throw new Error('cannot download ' + url + ': HTTP ' + response.status);
    }
    const total = Number(response.headers.get('Content-Length')) || 0;
    if (!response.body) {
      const buf = new Uint8Array(await response.arrayBuffer());
      if (onProgress) onProgress(buf.length, total || buf.length);
      return buf;
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
    const out = new Uint8Array(loaded);
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }

  /** image: a name from Friscy.images, a URL, a File/Blob, an ArrayBuffer or a Uint8Array. */
  async function imageBytes(image, onProgress) {
    if (image instanceof Uint8Array) return image;
    if (image instanceof ArrayBuffer) return new Uint8Array(image);
    if (typeof Blob !== 'undefined' && image instanceof Blob) {
      const buf = new Uint8Array(await image.arrayBuffer());
      if (onProgress) onProgress(buf.length, buf.length);
      return buf;
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

  /** Decodes a Linux wait status word: {code} for a normal exit, {signal} for a kill. */
  function decodeStatus(status) {
    const sig = status & 0x7f;
    return sig === 0 ? { code: (status >> 8) & 0xff } : { signal: sig, core: (status & 0x80) !== 0 };
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

    const bytes = await imageBytes(image, options.onProgress);
    const worker = new Worker(options.workerUrl || baseUrl + 'worker.js');
    const output = listeners();
    const processEvents = listeners();
    const errors = listeners();
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
          for (const e of msg.events) window.__friscyProcessEvents.push(e);
          processEvents.emit(msg.events);
          break;
        case 'exit':
          isExited = true;
          exitResolve(msg.status);
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

    worker.postMessage(
      { type: 'boot', image: bytes, argv, env, cwd, cols, rows, jit: options.jit !== false, jitThreshold: options.jitThreshold },
      bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? [bytes.buffer] : []
    );

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
        worker.terminate();
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
    } catch (e) {
      worker.terminate();
      disposers.forEach((d) => d.dispose());
      throw e;
    }
    return session;
  }

  window.Friscy = { boot, images: IMAGES, defaultEnv: DEFAULT_ENV, decodeStatus };
})();
