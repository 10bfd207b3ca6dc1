// The Worker's tools for the page, apart from running the kernel (worker.js): the process table
// and signals for the process panel, files in and out, and keeping the file system in browser
// storage (fs-store.js). worker.js calls init() once, beforeBoot()/afterBoot() around
// friscy_boot, afterSlice() after each run slice, and handle(msg) for message types it does not know.
//
// Requests (page -> Worker), each with a numeric `id` answered by
// {type: 'reply', id, value} or {type: 'reply', id, error}:
//   processes                      -> [{pid, ppid, pgid, sid, state, comm, argv, argc, threads, utimeMs, stimeMs}]
//   signal {pid, signal}           -> null (signal: 1..64; errors ESRCH, EINVAL)
//   cwd                            -> the shell's working directory
//   write-file {path, data, mode, append} -> null
//   read-file {path}               -> Uint8Array (EISDIR for a directory)
//   export-tar {path}              -> Uint8Array tar of a directory ("/": the whole file system)
//   path-kind {path}               -> 'file' | 'dir' | 'other' (or an errno error)
//   persist-now                    -> {bytes, records} once the file system is saved
// Worker -> page: {type: 'persist', state: 'restored'|'saved'|'error', ...} about browser storage.
'use strict';

importScripts('fs-store.js');

const FriscyWorkerTools = (function () {
  /** Save this often while the guest runs (only what changed is written). */
  const SAVE_EVERY_MS = 3000;
  /** Fold all records into one once there are this many. */
  const MAX_RECORDS = 24;
  const MAX_PATH = 4096;

  let env = null; // {wasm(), post(msg, transfer), running()}
  let store = null;
  let persistOk = false;
  let saving = null;
  let saveAgain = false;
  let saveTimer = null;
  let lastSaveError = null;

  function init(e) {
    env = e;
  }

  function reply(id, value, transfer) {
    env.post({ type: 'reply', id, value }, transfer || []);
  }

  function replyError(id, error) {
    env.post({ type: 'reply', id, error: String(error) });
  }

  function bytesOf(int8) {
    // the Wasm side hands out a fresh copy: view it as bytes without copying again
    return new Uint8Array(int8.buffer, int8.byteOffset, int8.length);
  }

  function checkPath(p) {
    if (typeof p !== 'string' || p.length === 0 || p.length > MAX_PATH || p[0] !== '/' || p.indexOf('\0') >= 0) {
      throw new Error('EINVAL: a path must be an absolute string without NUL');
    }
    return p;
  }

  function toBytes(data) {
    if (data instanceof Uint8Array) return data;
    if (data instanceof ArrayBuffer) return new Uint8Array(data);
    if (typeof data === 'string') return new TextEncoder().encode(data);
    throw new Error('EINVAL: data must be a Uint8Array, ArrayBuffer or string');
  }

  /** Handles a tools message; false if the type is not one of ours. */
  function handle(msg) {
    const known = ['processes', 'signal', 'cwd', 'write-file', 'read-file', 'export-tar', 'path-kind', 'persist-now'];
    if (known.indexOf(msg.type) < 0) return false;
    const id = msg.id;
    if (typeof id !== 'number' || !isFinite(id)) {
      env.post({ type: 'error', message: 'worker: ' + msg.type + ' needs a numeric id' });
      return true;
    }
    if (!env.running()) {
      replyError(id, 'the system is not running');
      return true;
    }
    const wasm = env.wasm();
    try {
      switch (msg.type) {
        case 'processes':
          reply(id, JSON.parse(wasm.friscy_processes()));
          break;
        case 'signal': {
          const pid = msg.pid;
          const sig = msg.signal;
          if (!Number.isInteger(pid) || pid <= 0 || pid > 4194304 || !Number.isInteger(sig) || sig < 1 || sig > 64) {
            replyError(id, 'EINVAL: signal needs a pid > 0 and a signal number 1..64');
            break;
          }
          const err = wasm.friscy_signal(pid, sig);
          if (err) replyError(id, err);
          else reply(id, null);
          env.runSoon();
          break;
        }
        case 'cwd':
          reply(id, wasm.friscy_foreground_cwd() || '/');
          break;
        case 'write-file': {
          const path = checkPath(msg.path);
          const data = toBytes(msg.data);
          const mode = msg.mode === undefined ? 0o644 : msg.mode;
          if (!Number.isInteger(mode) || mode < 0 || mode > 0o7777) throw new Error('EINVAL: mode must be 0..07777');
          const err = wasm.friscy_write_file(path, new Int8Array(data.buffer, data.byteOffset, data.length), mode, !!msg.append);
          if (err) replyError(id, err);
          else reply(id, null);
          break;
        }
        case 'path-kind': {
          const k = wasm.friscy_path_kind(checkPath(msg.path));
          if (k === 'file' || k === 'dir' || k === 'other') reply(id, k);
          else replyError(id, k + ': ' + msg.path);
          break;
        }
        case 'read-file': {
          const path = checkPath(msg.path);
          const k = wasm.friscy_path_kind(path);
          if (k !== 'file') {
            replyError(id, (k === 'dir' ? 'EISDIR' : k === 'other' ? 'EINVAL' : k) + ': ' + path);
            break;
          }
          const data = bytesOf(wasm.friscy_read_file(path));
          reply(id, data, [data.buffer]);
          break;
        }
        case 'export-tar': {
          const path = msg.path === undefined ? '/' : checkPath(msg.path);
          const k = wasm.friscy_path_kind(path);
          if (k !== 'dir') {
            replyError(id, (k === 'file' || k === 'other' ? 'ENOTDIR' : k) + ': ' + path);
            break;
          }
          const data = bytesOf(wasm.friscy_export_tar(path));
          reply(id, data, [data.buffer]);
          break;
        }
        case 'persist-now':
          if (!persistOk) {
            replyError(id, lastSaveError || 'this session does not keep its file system');
            break;
          }
          save().then(
            () => reply(id, { bytes: store.bytes, records: store.count }),
            (e) => replyError(id, describe(e))
          );
          break;
      }
    } catch (e) {
      replyError(id, e && e.message ? e.message : String(e));
    }
    return true;
  }

  function describe(e) {
    return (e && e.message) || String(e);
  }

  // ------------------------------------------------------------------ keeping the file system

  /**
   * Before friscy_boot: with msg.persist = {key, reset, quotaBytes}, opens the store, clears it on
   * reset, and hands its records to the kernel to replay after the image.
   */
  async function beforeBoot(msg, wasm) {
    const p = msg.persist;
    if (!p) return;
    if (typeof p !== 'object' || typeof p.key !== 'string' || !p.key) {
      throw new Error('boot: persist needs {key}');
    }
    try {
      store = await FriscyFsStore.open(p.key, { quotaBytes: p.quotaBytes });
      if (p.reset) await store.clear();
      const deltas = await store.load();
      for (const d of deltas) {
        wasm.friscy_add_overlay(new Int8Array(d.tar.buffer, d.tar.byteOffset, d.tar.length), d.deleted.join('\0'));
      }
    } catch (e) {
      store = null;
      env.post({ type: 'persist', state: 'error', message: 'cannot open the stored file system: ' + describe(e) });
    }
  }

  function afterBoot(wasm) {
    if (!store) return;
    const problem = wasm.friscy_restore_problem();
    if (problem) {
      // keep what is stored: saving this partial state over it would lose the rest
      env.post({ type: 'persist', state: 'error', message: problem + '; nothing is saved in this session' });
      return;
    }
    persistOk = true;
    env.post({ type: 'persist', state: 'restored', records: store.count, bytes: store.bytes, backend: store.backendName });
    saveTimer = setInterval(() => {
      if (env.running()) save().catch(() => {});
    }, SAVE_EVERY_MS);
  }

  /** After each run slice: a guest sync/fsync saves now. */
  function afterSlice(wasm) {
    if (persistOk && wasm.friscy_take_sync_requests() > 0) save().catch(() => {});
  }

  /** Writes the changes since the last save (one at a time; a request meanwhile runs after it). */
  function save() {
    if (!persistOk) return Promise.resolve();
    if (saving) {
      saveAgain = true;
      return saving;
    }
    saving = saveOnce().finally(() => {
      saving = null;
      if (saveAgain) {
        saveAgain = false;
        save().catch(() => {});
      }
    });
    return saving;
  }

  async function saveOnce() {
    const wasm = env.wasm();
    const compact = store.count >= MAX_RECORDS;
    const tar = bytesOf(wasm.friscy_delta(compact));
    const changed = wasm.friscy_delta_changed();
    const deletedList = wasm.friscy_delta_deleted();
    const deleted = deletedList ? deletedList.split('\0') : [];
    if (changed === 0 && deleted.length === 0 && !compact) {
      wasm.friscy_delta_commit();
      return;
    }
    try {
      if (compact) await store.replace({ tar, deleted });
      else await store.append({ tar, deleted });
    } catch (e) {
      // not committed: the next save carries these changes again
      const quota = e && e.name === 'QuotaExceededError';
      lastSaveError = (quota ? 'browser storage is full: ' : 'cannot save the file system: ') + describe(e);
      env.post({ type: 'persist', state: 'error', quota, message: lastSaveError });
      throw e;
    }
    wasm.friscy_delta_commit();
    lastSaveError = null;
    env.post({ type: 'persist', state: 'saved', records: store.count, bytes: store.bytes, changed, deleted: deleted.length, at: Date.now() });
  }

  function stop() {
    if (saveTimer !== null) clearInterval(saveTimer);
    saveTimer = null;
  }

  return { init, handle, beforeBoot, afterBoot, afterSlice, save, stop };
})();
