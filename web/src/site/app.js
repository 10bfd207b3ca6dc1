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
  const table = new FriscyProcessTable($('process-rows'), (pid, sig) => sendSignal(pid, sig));
  // ?persist=0: do not keep the file system in this browser; ?storage-quota=BYTES: a budget for it
  const persistEnabled = params.get('persist') !== '0';
  const quotaBytes = Number(params.get('storage-quota')) || 0;
  const storageBackend = params.get('storage') || undefined; // 'indexeddb' to skip OPFS
  const saveEveryMs = Number(params.get('save-every')) || undefined; // ms between background saves

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

  // For tests and the curious: what the guest printed (the last Friscy.MAX_HOOK_OUTPUT characters), decoded, and the live session.
  const state = {
    output: '', outputDropped: 0, session: null, bootMs: null, status: 'idle', error: null, progress: null,
    persist: null, persistLog: [], copied: null, downloaded: null, firstOutputMs: null, ports: [],
  };
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

  // "open port 3000" for each port a guest listens on (a dev server), while it listens
  function showPorts(list) {
    state.ports = list.map((p) => p.port);
    const el = $('ports');
    el.replaceChildren();
    for (const p of list) {
      if (p.url) {
        const a = document.createElement('a');
        a.href = p.url;
        a.target = '_blank';
        a.rel = 'noopener';
        a.textContent = 'open port ' + p.port;
        a.dataset.port = String(p.port);
        el.appendChild(a);
      } else {
        const span = document.createElement('span');
        span.className = 'unavailable';
        span.textContent = 'port ' + p.port;
        span.title = 'No preview here: it needs a service worker (https or localhost)';
        el.appendChild(span);
      }
    }
  }

  async function start(image, label, opts) {
    opts = opts || {};
    const gen = ++generation;
    if (state.session) state.session.terminate();
    state.session = null;
    state.output = '';
    state.outputDropped = 0;
    state.error = null;
    state.bootMs = null;
    state.progress = null;
    state.stalled = false;
    state.persist = null;
    setStorage('', false);
    showPorts([]);
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
        // ?relay=ws://HOST:PORT/ names the network relay (?relay= for none); by default the one
        // friscy serve --relay names in the page
        relay: params.has('relay') ? params.get('relay') : undefined,
        // ?preview-timeout=MS: how long a guest web server may take to answer the preview (default 30 s)
        previewTimeoutMs: Number(params.get('preview-timeout')) || undefined,
        // each named image (or URL) keeps its own file system in this browser
        persist: persistEnabled && typeof image === 'string'
          ? { key: image, reset: !!opts.reset, quotaBytes, backend: storageBackend, saveEveryMs } : false,
        onPersist(msg) {
          if (gen === generation) persistNews(msg);
        },
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
      // page load to the guest's first output (the shell's prompt), for start-up figures
      if (state.firstOutputMs === null) state.firstOutputMs = performance.now();
      const more = decoder.decode(bytes, { stream: true });
      // outputDropped counts what the bound cut from the front, so positions (dropped + index) stay valid
      state.outputDropped += Math.max(0, state.output.length + more.length - Friscy.MAX_HOOK_OUTPUT);
      state.output = Friscy.appendBounded(state.output, more, Friscy.MAX_HOOK_OUTPUT);
    });
    session.onProcessEvents((events) => {
      table.applyEvents(events);
      refreshProcessesSoon();
    });
    session.onPorts((list) => {
      if (gen === generation) showPorts(list);
    });
    showPorts(session.ports);
    if (opts.cmd) session.typeWhenIdle(opts.cmd + '\n');
    refreshProcessesSoon();
    session.onError((message) => {
      state.error = message;
      showError(message);
    });
    session.onStall((info) => {
      if (gen !== generation) return;
      state.stalled = true;
      setStatus(label + ': not responding');
      showError('The emulator has not responded for ' + Math.round(info.ms / 1000) +
        ' s (stuck in the kernel?). Press Restart to start again; the guest\'s state is lost.');
    });
    session.onRecover(() => {
      if (gen !== generation) return;
      state.stalled = false;
      errorEl.hidden = true;
      setStatus(label);
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

  function startNamed(name, opts) {
    lastImage = name;
    start(name, Friscy.images[name] ? Friscy.images[name].label : name, opts);
  }

  // ------------------------------------------------------------------ browser storage

  function setStorage(text, failed) {
    const el = $('storage');
    el.textContent = text;
    el.classList.toggle('failed', !!failed);
  }

  function persistNews(msg) {
    state.persist = msg;
    state.persistLog.push(msg);
    if (state.persistLog.length > 50) state.persistLog.shift();
    switch (msg.state) {
      case 'restored':
        setStorage(msg.records ? 'restored from this browser (' + formatBytes(msg.bytes) + ')' : 'kept in this browser', false);
        break;
      case 'saved':
        setStorage('saved ' + new Date(msg.at).toLocaleTimeString() + ' (' + formatBytes(msg.bytes) + ')', false);
        break;
      case 'error':
        if (msg.readOnly) {
          setStorage('kept by another tab: not saved here', true);
          showError('This image\'s file system is open in another tab, which keeps it. This tab started from what is stored and saves nothing.');
          break;
        }
        setStorage(msg.quota ? 'storage full: not saved' : 'storage error: not saved', true);
        // the file system itself is intact in the running machine: say so
        showError(msg.message + '. The running system still has every file; ' +
          (msg.quota ? 'free browser storage, download what you need (Save FS .tar), or Reset to image.' : 'download what you need (Save FS .tar).'));
        break;
      default:
        break;
    }
  }

  function saveWhenHidden() {
    if (state.session && state.session.persistKey) state.session.saveNow().catch(() => {});
  }
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') saveWhenHidden();
  });
  window.addEventListener('pagehide', saveWhenHidden);

  $('reset').addEventListener('click', () => {
    if (typeof lastImage !== 'string') {
      showError('A local image file is not kept in the browser: Restart boots it afresh.');
      return;
    }
    if (!confirm('Forget every change made to this image\'s file system in this browser and boot it as it was?')) return;
    startNamed(lastImage, { reset: true });
  });

  // ------------------------------------------------------------------ process panel

  let refreshTimer = null;
  function refreshProcessesSoon() {
    if (refreshTimer !== null) return;
    refreshTimer = setTimeout(refreshProcesses, 150);
  }

  function refreshProcesses() {
    refreshTimer = null;
    const s = state.session;
    if (!s || $('process-panel').hidden) return;
    s.processes().then(
      (list) => {
        if (s === state.session) table.update(list);
      },
      () => {} // the system stopped meanwhile
    );
  }
  setInterval(refreshProcesses, 1000);

  function sendSignal(pid, sig) {
    const s = state.session;
    if (!s) return;
    s.signal(pid, sig).then(refreshProcessesSoon, (e) => showError('Cannot send ' + sig + ' to ' + pid + ': ' + e.message));
  }

  // ------------------------------------------------------------------ files in and out

  function saveBytes(bytes, name) {
    const url = URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }

  function baseName(path) {
    const parts = path.split('/').filter((p) => p);
    return parts.length ? parts[parts.length - 1] : 'root';
  }

  async function download() {
    const s = state.session;
    if (!s) return;
    try {
      const typed = $('download-path').value.trim();
      const path = typed ? (typed.startsWith('/') ? typed : (await s.cwd()).replace(/\/$/, '') + '/' + typed) : await s.cwd();
      const kind = await s.pathKind(path);
      if (kind === 'file') {
        const bytes = await s.readFile(path);
        state.downloaded = { path, name: baseName(path), bytes: bytes.length };
        saveBytes(bytes, baseName(path));
      } else if (kind === 'dir') {
        const tar = await s.exportTar(path);
        state.downloaded = { path, name: baseName(path) + '.tar', bytes: tar.length };
        saveBytes(tar, baseName(path) + '.tar');
      } else {
        throw new Error(path + ' is neither a file nor a directory');
      }
    } catch (e) {
      showError('Download failed: ' + e.message);
    }
  }
  $('download').addEventListener('click', download);
  $('download-path').addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter') download();
  });
  $('export-fs').addEventListener('click', async () => {
    const s = state.session;
    if (!s) return;
    try {
      const tar = await s.exportTar('/');
      const name = 'friscy-' + (typeof lastImage === 'string' ? baseName(lastImage).replace(/\.tar(\.gz)?$/, '') : 'fs') + '.tar';
      state.downloaded = { path: '/', name, bytes: tar.length };
      saveBytes(tar, name);
    } catch (e) {
      showError('Cannot export the file system: ' + e.message);
    }
  });

  /**
   * Files (and folders, walked) from a drop: [{path: 'dir/name', file}]. The items are taken
   * before the first await: a DataTransfer is emptied once its event has been handled.
   */
  async function droppedFiles(dt) {
    const out = [];
    const dirs = [];
    const items = Array.from(dt.items || []).filter((i) => i.kind === 'file');
    if (items.length === 0) {
      for (const f of Array.from(dt.files || [])) out.push({ path: f.name, file: f });
      return out;
    }
    for (const item of items) {
      const entry = item.webkitGetAsEntry ? item.webkitGetAsEntry() : null;
      if (entry && entry.isDirectory) {
        dirs.push(entry);
      } else {
        const f = item.getAsFile();
        if (f) out.push({ path: f.name, file: f });
      }
    }
    const walk = async (entry, prefix) => {
      if (entry.isFile) {
        const file = await new Promise((resolve, reject) => entry.file(resolve, reject));
        out.push({ path: prefix + entry.name, file });
      } else if (entry.isDirectory) {
        const reader = entry.createReader();
        for (;;) {
          const batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
          if (batch.length === 0) break;
          for (const e of batch) await walk(e, prefix + entry.name + '/');
        }
      }
    };
    for (const d of dirs) await walk(d, '');
    return out;
  }

  /** Copies files into the shell's working directory (or /root), showing progress. */
  async function copyIn(files) {
    const s = state.session;
    if (!s || files.length === 0) return;
    let dest;
    try {
      dest = await s.cwd();
    } catch (e) {
      dest = '/root';
    }
    dest = dest.replace(/\/$/, '');
    const total = files.reduce((n, f) => n + f.file.size, 0);
    let done = 0;
    progress.hidden = false;
    progressBar.max = Math.max(1, total);
    progressBar.value = 0;
    const before = statusEl.textContent;
    try {
      for (let i = 0; i < files.length; i++) {
        const f = files[i];
        setStatus('copying ' + (i + 1) + '/' + files.length + ' into ' + (dest || '/') + '…');
        await s.writeFile(dest + '/' + f.path, f.file, {
          onProgress(sent) {
            progressBar.value = done + sent;
            progressText.textContent = formatBytes(done + sent) + ' / ' + formatBytes(total);
          },
        });
        done += f.file.size;
      }
      state.copied = { dest: dest || '/', files: files.map((f) => f.path), bytes: total };
      setStatus('copied ' + files.length + (files.length === 1 ? ' file' : ' files') + ' into ' + (dest || '/'));
    } catch (e) {
      showError('Copying into the guest failed: ' + e.message);
      setStatus(before);
    } finally {
      progress.hidden = true;
    }
  }

  $('upload').addEventListener('click', () => $('upload-file').click());
  $('upload-file').addEventListener('change', () => {
    const files = Array.from($('upload-file').files).map((f) => ({ path: f.name, file: f }));
    $('upload-file').value = '';
    copyIn(files);
  });

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
    refreshProcessesSoon();
  });

  // Drop files or folders anywhere on the page: they are copied into the shell's directory.
  const hint = $('drop-hint');
  let dragDepth = 0;
  document.addEventListener('dragenter', (ev) => {
    if (!ev.dataTransfer || !Array.from(ev.dataTransfer.types).includes('Files')) return;
    dragDepth++;
    hint.hidden = false;
  });
  document.addEventListener('dragover', (ev) => {
    const onTerminal = ev.target instanceof Node && $('terminal').contains(ev.target);
    hint.textContent = onTerminal
      ? "Drop files or folders to copy them into the shell's directory"
      : 'Drop a root file system .tar to boot it, or drop files on the terminal to copy them in';
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
    if (!ev.dataTransfer) return;
    const onTerminal = ev.target instanceof Node && $('terminal').contains(ev.target);
    const files = Array.from(ev.dataTransfer.files || []);
    if (!onTerminal && files.length === 1 && /\.(tar|tar\.gz|tgz)$/i.test(files[0].name)) {
      startFile(files[0]); // a root file system dropped beside the terminal: boot it
      return;
    }
    droppedFiles(ev.dataTransfer).then(copyIn, (e) => showError('Cannot read the dropped files: ' + e.message));
  });

  // A shareable link: index.html?image=NAME-or-URL&cmd=COMMAND boots that image and types the command.
  startNamed(lastImage, { cmd: params.get('cmd') });
})();
