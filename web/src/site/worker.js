// The emulator Worker: owns the kernel (compiled to Wasm GC by TeaVM) and runs it in slices of a
// few milliseconds, yielding to the event loop between slices so stdin and resize messages get in.
//
// Page -> Worker: boot {image (Uint8Array, ArrayBuffer, or an array of them: its pieces in order), argv, env, cwd, cols, rows, persist, memory (bytes, optional),
//                 jit, jitThreshold, relay (ws: or wss: URL of the network relay, optional)}, stdin {data},
//                 resize {cols, rows}, ack {bytes} (stdout bytes the page has displayed: flow control),
//                 ping {id} (the page's watchdog), the requests of worker-tools.js (process
//                 table, signals, files, saving), and preview {port, request} (worker-preview.js:
//                 a browser request to a guest web server, answered on its own MessagePort)
// Worker -> page: ready, booted, stdout {data}, process-events {events}, exit {status}, error {message},
//                 reply {id, value | error}, persist {state, ...}, pong {id}, slow-slice {ms}
//
// Watchdog: the Worker has one thread, so a kernel stuck inside a slice cannot say so itself. The
// page pings; a Worker that does not answer for a few seconds is reported (friscy.js onStall) and
// can be restarted. A slice that does return but ran far past SLICE_MS is reported as slow-slice.
//
// Flow control: once more than HIGH_WATER stdout bytes are unacknowledged the kernel is paused
// (like a terminal that stops reading), so a guest printing without end cannot flood the page.
'use strict';

importScripts('classes.wasm-runtime.js', 'worker-tools.js', 'worker-net.js', 'worker-preview.js');

const SLICE_MS = 8;
// A slice this much longer than SLICE_MS is reported to the page (the emulator should never block).
const SLOW_SLICE_MS = 1000;
const HIGH_WATER = 1 << 20;
// friscy_run results by name ({MORE, IDLE, EXITED, NOT_BOOTED, CRASHED}), from WorkerMain.
let RUN = null;

// The translator (web-host's dev.friscy.web.jit) emits guest code as Wasm modules. They share
// TeaVM's linear memory, call TeaVM's exported helpers directly, and live in one function table
// that TeaVM's code reaches through a one-function trampoline module (call_indirect), so no
// JavaScript runs between the interpreter and translated code, nor between translated regions.
const jit = {
  memory: null,
  table: new WebAssembly.Table({ element: 'anyfunc', initial: 256 }),
  used: 0,
  helpers: null,
  failures: 0,
  installMs: 0, // instantiating translated code (compiling runs in the background), for the stats
  installed: null,
};

/** (slot, block) -> call_indirect slot (block) through the shared table. */
function trampolineBytes() {
  const sec = (id, bytes) => [id, bytes.length, ...bytes];
  const str = (s) => [s.length, ...Array.from(s, (c) => c.charCodeAt(0))];
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...sec(1, [2, 0x60, 1, 0x7f, 1, 0x7f, 0x60, 2, 0x7f, 0x7f, 1, 0x7f]), // (i32)->i32, (i32,i32)->i32
    ...sec(2, [1, ...str('t'), ...str('tbl'), 0x01, 0x70, 0x00, 0x00]), // table funcref
    ...sec(3, [1, 1]),
    ...sec(7, [1, ...str('call'), 0x00, 0]),
    // local.get 1 (block); local.get 0 (slot); call_indirect type 0 table 0
    ...sec(10, [1, 9, 0, 0x20, 1, 0x20, 0, 0x11, 0, 0, 0x0b]),
  ]);
}
const trampoline = new WebAssembly.Instance(new WebAssembly.Module(trampolineBytes()), {
  t: { tbl: jit.table },
}).exports.call;

const jitImports = {
  call: trampoline,
  /**
   * Compiles a copy of the module bytes at [ptr, ptr+len) of linear memory in the background; when
   * ready, instantiates it, hands a module with a bind export the TLB copy translated code reads
   * guest pages through (rTag..wPages: Wasm GC arrays of TeaVM's, opaque here), puts its f0.. in
   * fresh table slots and tells TeaVM (jit_installed(batch, first slot or -1)).
   */
  compile(ptr, len, batch, rTag, rPages, wTag, wPages) {
    const bytes = new Uint8Array(jit.memory.buffer, ptr, len).slice();
    WebAssembly.compile(bytes).then((module) => {
      const t0 = performance.now();
      const exports = new WebAssembly.Instance(module, {
        env: { memory: jit.memory },
        t: { tbl: jit.table },
        h: jit.helpers,
      }).exports;
      if (exports.bind) exports.bind(rTag, rPages, wTag, wPages);
      let n = 0;
      while (exports['f' + n]) n++;
      const first = jit.used;
      if (first + n > jit.table.length) jit.table.grow(Math.max(n, jit.table.length));
      for (let i = 0; i < n; i++) jit.table.set(first + i, exports['f' + i]);
      jit.used += n;
      jit.installMs += performance.now() - t0;
      return first;
    }).catch((e) => {
      if (jit.failures++ < 3) console.warn('friscy: translated code rejected: ' + describe(e));
      return -1;
    }).then((first) => {
      if (jit.installed) jit.installed(batch, first);
    });
  },
};

let wasm = null;
let loadError = null;
const loaded = TeaVM.wasmGC.load('classes.wasm', {
  installImports(o) {
    jit.memory = o.env.memory;
    o.jit = jitImports;
  },
}).then(
  (teavm) => {
    wasm = teavm.exports;
    const ex = teavm.instance.exports;
    jit.helpers = { ld: ex.jit_ld, st: ex.jit_st, call: ex.jit_call, alu: ex.jit_alu, fp: ex.jit_fp, fl: ex.jit_fl };
    jit.installed = ex.jit_installed;
    RUN = JSON.parse(wasm.friscy_run_results());
    self.postMessage({ type: 'ready' });
  },
  (e) => {
    loadError = 'cannot load the emulator (classes.wasm): ' + describe(e);
    postError(loadError);
  }
);

let state = 'new'; // new -> booting -> running -> exited | dead
let unacked = 0;
let earlyInput = [];
let earlySize = null;
let pausedForAck = false;
let timer = null;
let pendingYield = false;
const channel = new MessageChannel();
channel.port1.onmessage = () => {
  pendingYield = false;
  step();
};

FriscyWorkerTools.init({
  wasm: () => wasm,
  post: (m, transfer) => self.postMessage(m, transfer || []),
  running: () => state === 'running',
  runSoon: () => runSoon(),
});
FriscyPreview.init({
  wasm: () => wasm,
  running: () => state === 'running',
  runSoon: () => runSoon(),
});

FriscyWorkerNet.init({
  wasm: () => (state === 'running' ? wasm : null),
  runSoon: () => runSoon(),
});

function describe(e) {
  return (e && e.message) || String(e);
}

/** The boot message's relay as an absolute ws:/wss: URL, '' for none; throws for anything else. */
function relayUrl(v) {
  if (v === undefined || v === null || v === '') return '';
  let u = null;
  try {
    u = typeof v === 'string' ? new URL(v, self.location.href) : null;
  } catch (e) {
    u = null;
  }
  if (u === null || (u.protocol !== 'ws:' && u.protocol !== 'wss:')) {
    throw new Error('boot: relay must be a ws:// or wss:// URL, not ' + JSON.stringify(String(v)));
  }
  return u.href;
}

function postError(message) {
  self.postMessage({ type: 'error', message });
}

self.onmessage = (ev) => {
  try {
    handle(ev.data);
  } catch (e) {
    postError('worker: ' + describe(e));
  }
};

function handle(msg) {
  if (msg === null || typeof msg !== 'object' || typeof msg.type !== 'string') {
    postError('worker: ignored a message without a type');
    return;
  }
  switch (msg.type) {
    case 'boot':
      boot(msg).catch((e) => {
        state = 'new';
        earlyInput = [];
        earlySize = null;
        postError(describe(e));
      });
      return;
    case 'stdin': {
      const data = toBytes(msg.data);
      if (data === null) {
        postError('worker: stdin needs data as a Uint8Array or string');
        return;
      }
      if (state === 'booting') {
        earlyInput.push(data); // typed while the image loads: deliver after boot
        return;
      }
      if (state !== 'running') return;
      wasm.friscy_stdin(new Int8Array(data.buffer, data.byteOffset, data.length));
      runSoon();
      return;
    }
    case 'resize': {
      const cols = msg.cols | 0;
      const rows = msg.rows | 0;
      if (cols <= 0 || rows <= 0 || cols > 10000 || rows > 10000) {
        postError('worker: resize needs positive cols and rows');
        return;
      }
      if (state === 'booting') {
        earlySize = { cols, rows }; // the window changed while the image loaded
        return;
      }
      if (state !== 'running') return;
      wasm.friscy_resize(cols, rows);
      runSoon();
      return;
    }
    case 'ping':
      self.postMessage({ type: 'pong', id: msg.id });
      return;
    case 'ack': {
      const n = Number(msg.bytes);
      if (!(n >= 0)) {
        postError('worker: ack needs a byte count');
        return;
      }
      unacked = Math.max(0, unacked - n);
      if (pausedForAck && unacked <= HIGH_WATER / 2) {
        pausedForAck = false;
        runSoon();
      }
      return;
    }
    default:
      if (FriscyWorkerTools.handle(msg)) return;
      if (FriscyPreview.handle(msg)) return;
      postError('worker: unknown message type ' + JSON.stringify(msg.type));
  }
}

function toBytes(data) {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (typeof data === 'string') return new TextEncoder().encode(data);
  return null;
}

/** The boot message's image as a list of Uint8Arrays (its pieces in order), or null if it is none. */
function imagePieces(image) {
  if (!Array.isArray(image)) {
    const b = image instanceof Uint8Array || image instanceof ArrayBuffer ? toBytes(image) : null;
    return b === null ? null : [b];
  }
  const pieces = [];
  for (const p of image) {
    if (!(p instanceof Uint8Array || p instanceof ArrayBuffer)) return null;
    pieces.push(toBytes(p));
  }
  return pieces;
}

/** True if the image starts with gzip's magic bytes (which may straddle pieces). */
function isGzip(pieces) {
  const head = [];
  for (const p of pieces) {
    for (let i = 0; i < p.length && head.length < 2; i++) head.push(p[i]);
    if (head.length === 2) break;
  }
  return head[0] === 0x1f && head[1] === 0x8b;
}

function stringList(v, what) {
  if (v === undefined) return [];
  if (!Array.isArray(v) || !v.every((s) => typeof s === 'string' && s.indexOf('\0') < 0)) {
    throw new Error('boot: ' + what + ' must be an array of strings without NUL');
  }
  return v;
}

// The default guest memory (Kernel.DEFAULT_MEMORY); the image's files must fit in it.
const DEFAULT_MEMORY = 1 << 30;

/**
 * Hands bytes to the emulator's image, written straight into its linear memory a chunk at a time
 * (friscy_image_reserve/append), so no whole-image array is built, converted or garbage-collected
 * (node's image: 141 MB).
 */
function imageSink() {
  wasm.friscy_image_begin();
  return (bytes) => {
    for (let at = 0; at < bytes.length; ) {
      const n = Math.min(wasm.friscy_image_room(), bytes.length - at);
      const ptr = wasm.friscy_image_reserve(n);
      if (!ptr) throw new RangeError(wasm.friscy_last_error());
      // the view is taken each time: linear memory grows (and its buffer moves) as chunks are added
      new Uint8Array(jit.memory.buffer, ptr, n).set(bytes.subarray(at, at + n));
      const err = wasm.friscy_image_append(n);
      if (err) throw new Error(err);
      at += n;
    }
  };
}

/**
 * Gunzips the pieces into {@code sink} as the data comes, refusing to expand past {@code cap}
 * bytes: a few MB of crafted gzip can become GBs.
 */
async function gunzip(pieces, cap, sink) {
  // fed 64 KiB at a time as the decompressor asks: a Blob's stream went through the browser
  // process's blob store (0.5-1 s more for node's 54 MB image), and one whole chunk would be
  // inflated at once whatever its output (a decompression bomb would not be stopped in time)
  let piece = 0;
  let fed = 0;
  const input = new ReadableStream({
    pull(c) {
      while (piece < pieces.length && fed >= pieces[piece].length) {
        piece++;
        fed = 0;
      }
      if (piece >= pieces.length) {
        c.close();
        return;
      }
      const bytes = pieces[piece];
      const n = Math.min(65536, bytes.length - fed);
      c.enqueue(bytes.subarray(fed, fed + n));
      fed += n;
    },
  });
  const reader = input.pipeThrough(new DecompressionStream('gzip')).getReader();
  let total = 0;
  for (;;) {
    let r;
    try {
      r = await reader.read();
    } catch (e) {
      // The browser's own message ("Failed to fetch") says nothing useful here.
      throw new Error('the image looks gzip-compressed but does not decompress (truncated or corrupt)');
    }
    if (r.done) break;
    total += r.value.length;
    try {
      if (total > cap) {
        throw new RangeError('the image expands to more than ' + Math.floor(cap / 1048576) +
          ' MiB, more than the memory it would boot in (a decompression bomb?)');
      }
      sink(r.value);
    } catch (e) {
      reader.cancel().catch(() => {});
      throw e instanceof RangeError ? new Error(e.message) : e;
    }
  }
}

async function boot(msg) {
  if (state !== 'new') {
    postError('boot: already ' + state);
    return;
  }
  state = 'booting';
  const argv = stringList(msg.argv, 'argv');
  const env = stringList(msg.env, 'env');
  if (argv.length === 0) throw new Error('boot: argv must name the program to run');
  const cwd = typeof msg.cwd === 'string' && msg.cwd ? msg.cwd : '/';
  const cols = msg.cols | 0 || 80;
  const rows = msg.rows | 0 || 24;
  const image = imagePieces(msg.image);
  if (image === null) throw new Error('boot: image must be a Uint8Array, an ArrayBuffer or an array of them');
  const t0 = performance.now();
  const memory = msg.memory !== undefined && Number(msg.memory) > 0 ? Number(msg.memory) : DEFAULT_MEMORY;
  // the image is unpacked while the emulator's module may still be loading: what comes before it
  // is ready waits here, the rest goes straight in
  let sink = null;
  const early = [];
  const feed = (bytes) => (sink ? sink(bytes) : early.push(bytes));
  let t1 = t0;
  const staged = (async () => {
    await loaded;
    if (loadError) throw new Error(loadError);
    t1 = performance.now();
    if (msg.memory !== undefined) {
      const merr = wasm.friscy_set_memory(Number(msg.memory));
      if (merr) throw new Error(merr);
    }
    const s = imageSink();
    try {
      for (const b of early) s(b);
    } catch (e) {
      throw e instanceof RangeError ? new Error(e.message) : e;
    }
    early.length = 0;
    sink = s;
  })();
  const unpacked = isGzip(image)
    ? gunzip(image, memory, feed)
    : staged.then(() => {
      try {
        for (const piece of image) feed(piece);
      } catch (e) {
        throw e instanceof RangeError ? new Error(e.message) : e;
      }
    });
  unpacked.catch(() => {}); // reported below, after staged's own error if any
  await staged;
  await unpacked;
  const t2 = performance.now();
  await FriscyWorkerTools.beforeBoot(msg, wasm);
  const t3 = performance.now();
  // the translator is on unless the boot message says jit: false (jitThreshold: 0 translates at once)
  const threshold = typeof msg.jitThreshold === 'number' && msg.jitThreshold >= 0 ? msg.jitThreshold | 0 : -1;
  const jitErr = wasm.friscy_jit(msg.jit !== false, threshold);
  if (jitErr) throw new Error(jitErr);
  if (msg.jitTune) {
    const tuneErr = wasm.friscy_jit_tune(msg.jitTune);
    if (tuneErr) throw new Error(tuneErr);
  }
  const relayErr = wasm.friscy_set_relay(relayUrl(msg.relay));
  if (relayErr) throw new Error(relayErr);
  const err = wasm.friscy_boot(
    argv.join('\0'),
    env.join('\0'),
    cwd,
    cols,
    rows
  );
  if (err) throw new Error(err);
  state = 'running';
  FriscyWorkerTools.afterBoot(wasm);
  // How long each boot step took, for the curious (the page shows them in its console).
  // (the image is unpacked while the module loads: gunzipMs includes waitWasmMs)
  const timings = { waitWasmMs: t1 - t0, gunzipMs: t2 - t0, bootMs: performance.now() - t3 };
  self.postMessage({ type: 'booted', timings });
  if (earlySize) wasm.friscy_resize(earlySize.cols, earlySize.rows);
  earlySize = null;
  for (const data of earlyInput) {
    wasm.friscy_stdin(new Int8Array(data.buffer, data.byteOffset, data.length));
  }
  earlyInput = [];
  runSoon();
}

/** Schedules a slice right after the event loop has handled what is queued. */
function runSoon() {
  if (pausedForAck) return;
  if (timer !== null) {
    clearTimeout(timer);
    timer = null;
  }
  if (!pendingYield) {
    pendingYield = true;
    channel.port2.postMessage(null);
  }
}

function step() {
  if (state !== 'running') return;
  if (unacked > HIGH_WATER) {
    pausedForAck = true; // resumed by 'ack'
    return;
  }
  try {
    const t0 = performance.now();
    const r = wasm.friscy_run(SLICE_MS);
    const ms = performance.now() - t0;
    if (ms > SLOW_SLICE_MS) self.postMessage({ type: 'slow-slice', ms: Math.round(ms) });
    flush();
    FriscyWorkerTools.afterSlice(wasm);
    FriscyPreview.afterSlice();
    switch (r) {
      case RUN.MORE:
        runSoon();
        break;
      case RUN.IDLE: {
        const ms = wasm.friscy_next_deadline_ms();
        if (ms >= 0) {
          timer = setTimeout(() => {
            timer = null;
            step();
          }, Math.min(ms, 2147483647));
        }
        // Otherwise every task waits for input: stdin/resize messages call runSoon().
        break;
      }
      case RUN.EXITED:
        state = 'exited';
        console.info('friscy: ' + wasm.friscy_jit_stats() + '; instantiating them took ' + Math.round(jit.installMs) + ' ms');
        FriscyWorkerTools.stop();
        FriscyPreview.stop('the guest system has exited');
        FriscyWorkerTools.save().catch(() => {}); // what init left behind is kept too
        self.postMessage({ type: 'exit', status: wasm.friscy_exit_status() });
        break;
      default:
        fail('emulator stopped: ' + (wasm.friscy_last_error() || 'status ' + r));
    }
  } catch (e) {
    try {
      flush(); // whatever the guest printed before the crash helps explain it
    } catch (ignored) {
      // nothing more to show
    }
    fail('emulator crashed: ' + describe(e));
  }
}

function fail(message) {
  state = 'dead';
  FriscyPreview.stop('the emulator stopped: ' + message);
  postError(message);
}

function flush() {
  const out = wasm.friscy_drain_output();
  if (out && out.length > 0) {
    const data = new Uint8Array(out); // a fresh copy (Int8Array values wrap to 0..255)
    unacked += data.length;
    self.postMessage({ type: 'stdout', data }, [data.buffer]);
  }
  const json = wasm.friscy_drain_process_events();
  if (json && json !== '[]') {
    let events;
    try {
      events = JSON.parse(json);
    } catch (e) {
      postError('worker: malformed process events from the kernel: ' + describe(e));
      return;
    }
    self.postMessage({ type: 'process-events', events });
  }
}
