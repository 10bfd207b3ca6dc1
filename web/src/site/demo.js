// Parent side of the iframe demo: embeds embed.html, sends commands, shows what comes back.
(function () {
  'use strict';

  const params = new URLSearchParams(location.search);
  const frame = document.getElementById('friscy');
  const embedUrl = new URL('embed.html', location.href);
  // Which parent origins the embed accepts (default: this page's); ?allow= overrides, for tests.
  embedUrl.searchParams.set('allow', params.get('allow') || location.origin);
  embedUrl.searchParams.set('image', params.get('image') || 'busybox');
  frame.src = embedUrl.href;
  const embedOrigin = embedUrl.origin;

  const outputEl = document.getElementById('output');
  const eventsEl = document.getElementById('events');
  const state = { ready: false, output: '', events: [], exit: null, errors: [], ports: [] };
  window.__demo = state;

  window.addEventListener('message', (event) => {
    if (event.origin !== embedOrigin || event.source !== frame.contentWindow) return;
    const msg = event.data || {};
    switch (msg.type) {
      case 'friscy:ready':
        state.ready = true;
        break;
      case 'friscy:output':
        state.output += msg.data;
        // keep the last MiB, as the hooks of the pages themselves do (Friscy.MAX_HOOK_OUTPUT)
        if (state.output.length > 1 << 20) state.output = state.output.slice(state.output.length - (1 << 20));
        outputEl.textContent = state.output.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
        outputEl.scrollTop = outputEl.scrollHeight;
        break;
      case 'friscy:process-events':
        for (const e of msg.events) {
          state.events.push(e);
          eventsEl.textContent += JSON.stringify(e) + '\n';
        }
        eventsEl.scrollTop = eventsEl.scrollHeight;
        break;
      case 'friscy:ports':
        state.ports = Array.isArray(msg.ports) ? msg.ports : [];
        break;
      case 'friscy:exit':
        state.exit = msg.status;
        break;
      case 'friscy:error':
        state.errors.push(msg.message);
        outputEl.textContent += '\n[error] ' + msg.message + '\n';
        break;
      default:
        break;
    }
  });

  function run(command) {
    frame.contentWindow.postMessage({ type: 'friscy:run', command }, embedOrigin);
  }
  window.__demoRun = run;

  document.getElementById('run-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    run(document.getElementById('command').value);
  });
})();
