// The terminal page: picks an image, boots it, connects xterm.js and the process panel.
(function () {
  'use strict';

  const $ = (id) => document.getElementById(id);
  const params = new URLSearchParams(location.search);
  const select = $('image-select');
  const fileInput = $('image-file');
  const progress = $('progress');
  const progressBar = $('progress-bar');
  const progressText = $('progress-text');
  const statusEl = $('status');
  const errorEl = $('error');
  const table = new FriscyProcessTable($('process-rows'));

  const terminal = new Terminal({
    cursorBlink: true,
    scrollback: 5000,
    fontFamily: 'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace',
    fontSize: 14,
    theme: { background: '#101418' },
  });
  const fit = new FitAddon.FitAddon();
  terminal.loadAddon(fit);
  terminal.open($('terminal'));
  fit.fit();
  window.addEventListener('resize', () => fit.fit());
  new ResizeObserver(() => fit.fit()).observe($('terminal'));

  // For tests and the curious: everything the guest printed, decoded, and the live session.
  const state = { output: '', session: null, bootMs: null, status: 'idle', error: null, progress: null };
  window.__friscy = state;

  let generation = 0;
  let lastImage = params.get('image') || 'busybox';
  if (select.querySelector('option[value="' + CSS.escape(lastImage) + '"]')) select.value = lastImage;

  function formatBytes(n) {
    if (n < 1024) return n + ' B';
    if (n < 1024 * 1024) return (n / 1024).toFixed(1) + ' KiB';
    return (n / 1024 / 1024).toFixed(1) + ' MiB';
  }

  function showError(message) {
    errorEl.textContent = message;
    errorEl.hidden = false;
  }

  function setStatus(s) {
    state.status = s;
    statusEl.textContent = s;
  }

  async function start(image, label) {
    const gen = ++generation;
    if (state.session) state.session.terminate();
    state.session = null;
    state.output = '';
    state.error = null;
    state.bootMs = null;
    state.progress = null;
    errorEl.hidden = true;
    table.clear();
    terminal.reset();
    setStatus('loading ' + label + '…');
    progress.hidden = false;
    progressBar.removeAttribute('value');
    progressText.textContent = '';
    const t0 = performance.now();
    const decoder = new TextDecoder();
    let session;
    try {
      session = await Friscy.boot({
        image,
        terminal,
        // ?jit=0 runs the interpreter only, to compare
        jit: params.get('jit') !== '0' && params.get('jit') !== 'off',
        onProgress(loaded, total) {
          if (gen !== generation) return;
          state.progress = { loaded, total };
          if (total > 0) {
            progressBar.max = total;
            progressBar.value = loaded;
            progressText.textContent = formatBytes(loaded) + ' / ' + formatBytes(total);
          } else {
            progressText.textContent = formatBytes(loaded);
          }
        },
      });
    } catch (e) {
      if (gen !== generation) return;
      progress.hidden = true;
      state.error = e.message;
      setStatus('failed');
      showError('Could not start ' + label + ': ' + e.message);
      return;
    }
    if (gen !== generation) {
      session.terminate();
      return;
    }
    progress.hidden = true;
    state.session = session;
    state.bootMs = performance.now() - t0;
    setStatus(label);
    session.onOutput((bytes) => {
      state.output += decoder.decode(bytes, { stream: true });
    });
    session.onProcessEvents((events) => table.apply(events));
    session.onError((message) => {
      state.error = message;
      showError(message);
    });
    session.exited.then((status) => {
      if (gen !== generation || status === null) return;
      const s = Friscy.decodeStatus(status);
      const how = s.signal ? 'killed by signal ' + s.signal : 'exited with status ' + s.code;
      setStatus(label + ': ' + how);
      terminal.write('\r\n\x1b[2m[init ' + how + '; press Restart]\x1b[0m\r\n');
    });
    terminal.focus();
  }

  function startNamed(name) {
    lastImage = name;
    start(name, Friscy.images[name] ? Friscy.images[name].label : name);
  }

  function startFile(file) {
    lastImage = file;
    start(file, file.name);
  }

  select.addEventListener('change', () => {
    if (select.value === 'file') fileInput.click();
    else startNamed(select.value);
  });
  fileInput.addEventListener('change', () => {
    if (fileInput.files.length) startFile(fileInput.files[0]);
    fileInput.value = '';
  });
  $('restart').addEventListener('click', () => {
    if (typeof lastImage === 'string') startNamed(lastImage);
    else startFile(lastImage);
  });
  $('toggle-processes').addEventListener('click', (ev) => {
    const panel = $('process-panel');
    panel.hidden = !panel.hidden;
    ev.currentTarget.setAttribute('aria-pressed', String(!panel.hidden));
    fit.fit();
  });

  // Drag and drop a .tar anywhere on the page.
  const hint = $('drop-hint');
  let dragDepth = 0;
  document.addEventListener('dragenter', (ev) => {
    if (!ev.dataTransfer || !Array.from(ev.dataTransfer.types).includes('Files')) return;
    dragDepth++;
    hint.hidden = false;
  });
  document.addEventListener('dragleave', () => {
    if (--dragDepth <= 0) {
      dragDepth = 0;
      hint.hidden = true;
    }
  });
  document.addEventListener('dragover', (ev) => ev.preventDefault());
  document.addEventListener('drop', (ev) => {
    ev.preventDefault();
    dragDepth = 0;
    hint.hidden = true;
    const file = ev.dataTransfer && ev.dataTransfer.files[0];
    if (file) startFile(file);
  });

  startNamed(lastImage);
})();
