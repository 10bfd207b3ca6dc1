// The iframe embed: a terminal plus a postMessage API restricted to an origin allow-list.
(function () {
  'use strict';

  const params = new URLSearchParams(location.search);

  function parseOrigins(list) {
    const out = [];
    for (const raw of list) {
      const s = String(raw).trim();
      if (!s) continue;
      try {
        const origin = new URL(s).origin;
        if (origin !== 'null') out.push(origin);
      } catch (e) {
        console.warn('friscy embed: ignoring invalid origin in allow-list:', s);
      }
    }
    return out;
  }

  const config = window.FRISCY_EMBED_CONFIG || {};
  let allowed = parseOrigins((params.get('allow') || '').split(',').concat(config.allow || []));
  if (allowed.length === 0) allowed = [location.origin];
  const inFrame = window.parent !== window;

  // What was refused (the last 100), for the curious and for tests; output is bounded as on the main page.
  window.__friscyIgnored = [];
  window.__friscyEmbed = { allowed, output: '', session: null };

  function toParent(msg) {
    if (!inFrame) return;
    for (const origin of allowed) {
      try {
        window.parent.postMessage(msg, origin);
      } catch (e) {
        // A target origin that doesn't match the parent is dropped by the browser; nothing to do.
      }
    }
  }

  const terminal = new Terminal({
    cursorBlink: true,
    scrollback: 2000,
    fontFamily: 'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace',
    fontSize: 13,
    theme: { background: '#101418' },
  });
  const fit = new FitAddon.FitAddon();
  terminal.loadAddon(fit);
  terminal.open(document.getElementById('terminal'));
  fit.fit();
  window.addEventListener('resize', () => fit.fit());

  let session = null;
  const queued = [];
  const encoder = new TextEncoder();

  function send(data) {
    if (session) session.write(data);
    else queued.push(data);
  }

  window.addEventListener('message', (event) => {
    const data = event.data;
    if (!allowed.includes(event.origin) || (inFrame && event.source !== window.parent)) {
      Friscy.pushBounded(window.__friscyIgnored, [{ origin: event.origin, type: data && data.type }], 100);
      return;
    }
    if (!data || typeof data.type !== 'string' || !data.type.startsWith('friscy:')) return;
    switch (data.type) {
      case 'friscy:run':
        if (typeof data.command !== 'string') {
          toParent({ type: 'friscy:error', message: 'friscy:run needs a command string' });
          return;
        }
        send(encoder.encode(data.command + '\n'));
        break;
      case 'friscy:stdin':
        if (typeof data.data === 'string') send(encoder.encode(data.data));
        else if (data.data instanceof Uint8Array) send(data.data);
        else toParent({ type: 'friscy:error', message: 'friscy:stdin needs data as a string or Uint8Array' });
        break;
      default:
        toParent({ type: 'friscy:error', message: 'unknown message type ' + data.type });
    }
  });

  const decoder = new TextDecoder();
  // ?persist=1: keep this image's file system in the browser (per origin of the embed page);
  // ?cmd=...: type this command once the shell is up (as index.html does)
  const image = params.get('image') || 'busybox';
  const persist = params.get('persist') === '1' ? { key: image, quotaBytes: Number(params.get('storage-quota')) || 0 } : false;
  Friscy.boot({
    image,
    terminal,
    persist,
    // ?jit=0 runs the interpreter only, to compare
    jit: params.get('jit') !== '0' && params.get('jit') !== 'off',
    onPersist(msg) {
      window.__friscyEmbed.persist = msg;
      if (msg.state === 'error') {
        terminal.write('\r\n\x1b[31mfriscy: ' + msg.message + '\x1b[0m\r\n');
        toParent({ type: 'friscy:error', message: msg.message });
      }
    },
  })
    .then((s) => {
      session = s;
      if (params.get('cmd')) s.typeWhenIdle(params.get('cmd') + '\n');
      const hide = () => {
        if (document.visibilityState === 'hidden' && persist) s.saveNow().catch(() => {});
      };
      document.addEventListener('visibilitychange', hide);
      window.__friscyEmbed.session = s;
      for (const d of queued.splice(0)) s.write(d);
      s.onOutput((bytes) => {
        const text = decoder.decode(bytes, { stream: true });
        window.__friscyEmbed.output = Friscy.appendBounded(window.__friscyEmbed.output, text, Friscy.MAX_HOOK_OUTPUT);
        toParent({ type: 'friscy:output', data: text });
      });
      s.onProcessEvents((events) => toParent({ type: 'friscy:process-events', events }));
      // ports guests listen on, with their preview URLs (the parent may show or frame them)
      s.onPorts((ports) => toParent({ type: 'friscy:ports', ports }));
      s.onError((message) => toParent({ type: 'friscy:error', message }));
      // a stuck emulator: the parent decides (e.g. reload the iframe to restart)
      s.onStall((info) => toParent({ type: 'friscy:stalled', ms: info.ms }));
      s.onRecover(() => toParent({ type: 'friscy:recovered' }));
      s.exited.then((status) => toParent({ type: 'friscy:exit', status }));
      toParent({ type: 'friscy:ready' });
    })
    .catch((e) => {
      terminal.write('\x1b[31mfriscy: ' + e.message + '\x1b[0m\r\n');
      toParent({ type: 'friscy:error', message: e.message });
    });
})();
