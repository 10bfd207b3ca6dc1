// Keeps a live process table from friscy process events and renders it as a tree.
(function () {
  'use strict';

  class ProcessTable {
    constructor(tbody) {
      this.tbody = tbody;
      this.procs = new Map();
      this.renderQueued = false;
    }

    clear() {
      this.procs.clear();
      this.render();
    }

    apply(events) {
      for (const e of events) {
        const p = this.procs.get(e.pid);
        switch (e.type) {
          case 'spawn': {
            const parent = this.procs.get(e.ppid);
            // fork copies the parent's process group, so this is the parent's pgid right now
            // (it may have moved since its own spawn: setpgid makes no event).
            if (parent && e.pgid !== undefined) parent.pgid = e.pgid;
            this.procs.set(e.pid, {
              pid: e.pid,
              ppid: e.ppid,
              pgid: e.pgid,
              state: 'running',
              command: parent ? parent.command : '',
            });
            break;
          }
          case 'exec':
            if (p) p.command = e.path;
            else this.procs.set(e.pid, { pid: e.pid, ppid: e.ppid || 0, pgid: e.pgid || e.pid, state: 'running', command: e.path });
            break;
          case 'exit':
            if (p) {
              p.state = 'zombie (' + describeStatus(e.status) + ')';
              if (e.ppid !== undefined) p.ppid = e.ppid;
            }
            break;
          case 'reap':
            this.procs.delete(e.pid);
            break;
          default:
            break;
        }
      }
      this.scheduleRender();
    }

    scheduleRender() {
      if (this.renderQueued) return;
      this.renderQueued = true;
      requestAnimationFrame(() => {
        this.renderQueued = false;
        this.render();
      });
    }

    render() {
      const children = new Map();
      const roots = [];
      for (const p of this.procs.values()) {
        if (p.ppid && this.procs.has(p.ppid) && p.ppid !== p.pid) {
          if (!children.has(p.ppid)) children.set(p.ppid, []);
          children.get(p.ppid).push(p);
        } else {
          roots.push(p);
        }
      }
      const rows = [];
      const seen = new Set();
      const walk = (p, depth) => {
        if (seen.has(p.pid)) return;
        seen.add(p.pid);
        rows.push(row(p, depth));
        for (const c of (children.get(p.pid) || []).sort((a, b) => a.pid - b.pid)) walk(c, depth + 1);
      };
      for (const r of roots.sort((a, b) => a.pid - b.pid)) walk(r, 0);
      this.tbody.replaceChildren(...rows);
    }
  }

  function describeStatus(status) {
    const s = Friscy.decodeStatus(status);
    return s.signal ? 'signal ' + s.signal : 'exit ' + s.code;
  }

  function row(p, depth) {
    const tr = document.createElement('tr');
    tr.dataset.pid = p.pid;
    if (p.state !== 'running') tr.className = 'zombie';
    for (const v of [p.pid, p.ppid, p.pgid, p.state]) {
      const td = document.createElement('td');
      td.textContent = String(v);
      tr.appendChild(td);
    }
    const cmd = document.createElement('td');
    cmd.className = 'command';
    cmd.style.paddingLeft = 0.4 + depth * 1.1 + 'em';
    cmd.textContent = (depth > 0 ? '└ ' : '') + (p.command || '?');
    tr.appendChild(cmd);
    return tr;
  }

  window.FriscyProcessTable = ProcessTable;
})();
