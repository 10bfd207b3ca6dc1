// Browser storage of an image's file system as a series of deltas (see FsChanges in the core):
// the image itself is never stored, only what changed. One store per key (the image's name or
// URL). The Origin Private File System where the browser has it, IndexedDB otherwise.
//
//   const store = await FriscyFsStore.open(key, {quotaBytes});
//   const deltas = await store.load();        // [{tar: Uint8Array, deleted: [path...]}]
//   await store.append(delta); await store.replace(delta); await store.clear();
//   store.bytes, store.count, store.backend
//
// Every write lands in a new record before the list of records (the manifest) names it, and a
// record is deleted only after the manifest stops naming it: a failed or interrupted write
// (a full quota, a closed tab) leaves the previous state whole. A quota error is thrown as a
// DOMException named QuotaExceededError; `quotaBytes` sets a budget below the browser's own.
'use strict';

(function (global) {
  const ROOT = 'friscy-fs';

  function quotaError(message) {
    try {
      return new DOMException(message, 'QuotaExceededError');
    } catch (e) {
      const err = new Error(message);
      err.name = 'QuotaExceededError';
      return err;
    }
  }

  /** One record: 4-byte length of the deleted list (UTF-8 JSON), the list, then the tar. */
  function encode(delta) {
    const del = new TextEncoder().encode(JSON.stringify(delta.deleted || []));
    const out = new Uint8Array(4 + del.length + delta.tar.length);
    new DataView(out.buffer).setUint32(0, del.length);
    out.set(del, 4);
    out.set(delta.tar, 4 + del.length);
    return out;
  }

  function decode(bytes) {
    const n = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0);
    if (4 + n > bytes.length) throw new Error('a stored change set is truncated');
    const deleted = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + n)));
    return { deleted, tar: bytes.subarray(4 + n) };
  }

  function safeName(key) {
    return encodeURIComponent(key).replace(/\./g, '%2E').slice(0, 200);
  }

  // ------------------------------------------------------------------ OPFS

  class OpfsBackend {
    constructor(dir) {
      this.dir = dir;
      this.name = 'opfs';
    }

    static async open(key) {
      const root = await navigator.storage.getDirectory();
      const top = await root.getDirectoryHandle(ROOT, { create: true });
      const dir = await top.getDirectoryHandle(safeName(key), { create: true });
      const b = new OpfsBackend(dir);
      // a store that cannot be written is no store: find out now, not at the first save
      const probe = await dir.getFileHandle('.probe', { create: true });
      const w = await probe.createWritable();
      await w.close();
      return b;
    }

    async readManifest() {
      try {
        const h = await this.dir.getFileHandle('manifest.json');
        return JSON.parse(await (await h.getFile()).text());
      } catch (e) {
        if (e && e.name === 'NotFoundError') return { records: [] };
        throw e;
      }
    }

    async writeFile(name, bytes) {
      const h = await this.dir.getFileHandle(name, { create: true });
      const w = await h.createWritable(); // written aside and swapped in on close
      try {
        await w.write(bytes);
        await w.close();
      } catch (e) {
        try {
          await w.abort();
        } catch (ignored) {
          // already failed
        }
        throw e;
      }
    }

    async writeManifest(m) {
      await this.writeFile('manifest.json', new TextEncoder().encode(JSON.stringify(m)));
    }

    async read(name) {
      const h = await this.dir.getFileHandle(name);
      return new Uint8Array(await (await h.getFile()).arrayBuffer());
    }

    async remove(name) {
      try {
        await this.dir.removeEntry(name);
      } catch (e) {
        // gone already
      }
    }

    async clear() {
      for await (const name of this.dir.keys()) await this.remove(name);
    }
  }

  // ------------------------------------------------------------------ IndexedDB

  function req(r) {
    return new Promise((resolve, reject) => {
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
  }

  class IdbBackend {
    constructor(db, key) {
      this.db = db;
      this.prefix = key + '\n';
      this.name = 'indexeddb';
    }

    static async open(key) {
      const r = indexedDB.open(ROOT, 1);
      r.onupgradeneeded = () => r.result.createObjectStore('files');
      return new IdbBackend(await req(r), key);
    }

    tx(mode, fn) {
      return new Promise((resolve, reject) => {
        const t = this.db.transaction('files', mode);
        let result;
        t.oncomplete = () => resolve(result);
        t.onerror = () => reject(t.error);
        t.onabort = () => reject(t.error || new Error('storage transaction aborted'));
        result = fn(t.objectStore('files'));
      });
    }

    async readManifest() {
      const m = await this.tx('readonly', (s) => {
        const r = s.get(this.prefix + 'manifest.json');
        return r;
      });
      return m && m.result ? m.result : { records: [] };
    }

    writeFile(name, bytes) {
      return this.tx('readwrite', (s) => {
        s.put(bytes, this.prefix + name);
      });
    }

    async writeManifest(m) {
      await this.tx('readwrite', (s) => {
        s.put(m, this.prefix + 'manifest.json');
      });
    }

    async read(name) {
      const r = await this.tx('readonly', (s) => s.get(this.prefix + name));
      if (!r.result) throw new Error('a stored change set is missing: ' + name);
      return r.result;
    }

    remove(name) {
      return this.tx('readwrite', (s) => {
        s.delete(this.prefix + name);
      });
    }

    clear() {
      return this.tx('readwrite', (s) => {
        s.delete(IDBKeyRange.bound(this.prefix, this.prefix + '\uffff'));
      });
    }
  }

  // ------------------------------------------------------------------ the store

  class Store {
    constructor(backend, manifest, quotaBytes) {
      this.backend = backend;
      this.manifest = manifest;
      this.quotaBytes = quotaBytes;
    }

    get backendName() {
      return this.backend.name;
    }

    get bytes() {
      return this.manifest.records.reduce((n, r) => n + r.bytes, 0);
    }

    get count() {
      return this.manifest.records.length;
    }

    async load() {
      const out = [];
      for (const r of this.manifest.records) out.push(decode(await this.backend.read(r.name)));
      return out;
    }

    checkBudget(extra, replacing) {
      if (!(this.quotaBytes > 0)) return;
      const total = (replacing ? 0 : this.bytes) + extra;
      if (total > this.quotaBytes) {
        throw quotaError('the file system needs ' + total + ' bytes of browser storage; the budget is ' + this.quotaBytes);
      }
    }

    nextName() {
      const seq = (this.manifest.seq || 0) + 1;
      return { seq, name: 'delta-' + seq + '.bin' };
    }

    async append(delta) {
      const bytes = encode(delta);
      this.checkBudget(bytes.length, false);
      const { seq, name } = this.nextName();
      await this.backend.writeFile(name, bytes);
      const m = { seq, records: this.manifest.records.concat([{ name, bytes: bytes.length }]) };
      try {
        await this.backend.writeManifest(m);
      } catch (e) {
        await this.backend.remove(name);
        throw e;
      }
      this.manifest = m;
    }

    /** One record holding everything (a delta since the image) in place of all the others. */
    async replace(delta) {
      const bytes = encode(delta);
      this.checkBudget(bytes.length, true);
      const { seq, name } = this.nextName();
      await this.backend.writeFile(name, bytes);
      const old = this.manifest.records;
      const m = { seq, records: [{ name, bytes: bytes.length }] };
      try {
        await this.backend.writeManifest(m);
      } catch (e) {
        await this.backend.remove(name);
        throw e;
      }
      this.manifest = m;
      for (const r of old) await this.backend.remove(r.name);
    }

    async clear() {
      await this.backend.clear();
      this.manifest = { records: [] };
    }
  }

  async function open(key, options) {
    options = options || {};
    let backend = null;
    if (!options.backend || options.backend === 'opfs') {
      try {
        if (global.navigator && navigator.storage && navigator.storage.getDirectory) backend = await OpfsBackend.open(key);
      } catch (e) {
        backend = null; // no OPFS here (an old browser, a private window): IndexedDB then
      }
    }
    if (!backend) backend = await IdbBackend.open(key);
    const manifest = await backend.readManifest();
    return new Store(backend, manifest, Number(options.quotaBytes) || 0);
  }

  global.FriscyFsStore = { open, encode, decode };
})(typeof self !== 'undefined' ? self : this);
