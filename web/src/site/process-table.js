// The process panel: the guest's process table as a tree (command line, state, CPU time), from
// snapshots of the kernel's table (session.processes()), with buttons that signal a process.
(function () {
  'use strict';

  const STATES = { R: 'running', S: 'sleeping', T: 'stopped', Z: 'zombie' };
  const ACTIONS = [
    ['SIGINT', 'INT', 'interrupt (like ^C)'],
    ['SIGTERM', 'TERM', 'ask to terminate'],
    ['SIGKILL', 'KILL', 'kill at once'],
    ['SIGSTOP', 'STOP', 'stop (pause)'],
    ['SIGCONT', 'CONT', 'continue a stopped process'],
  ];

  class ProcessTable {
    /** onSignal(pid, signalName) is called when a button is pressed. */
    constructor(tbody, onSignal) {
      this.tbody = tbody;
      this.onSignal = onSignal;
      this.procs = [];
      tbody.addEventListener('click', (ev) => {
        const b = ev.target.closest('button[data-signal]');
        if (!b) return;
        const pid = Number(b.closest('tr').dataset.pid);
        this.onSignal(pid, b.dataset.signal);
      });
    }

    clear() {
      this.update([]);
    }

    /**
     * Applies process events at once (a snapshot follows with states and CPU times): spawn adds
     * a row, exec sets the command line, exit makes a zombie, reap removes the row.
     */
    applyEvents(events) {
      const byPid = new Map(this.procs.map((p) => [p.pid, p]));
      for (const e of events) {
        const p = byPid.get(e.pid);
        switch (e.type) {
          case 'spawn': {
            const parent = byPid.get(e.ppid);
            byPid.set(e.pid, {
              pid: e.pid, ppid: e.ppid, pgid: e.pgid, sid: e.sid, state: 'R',
              comm: parent ? parent.comm : '', argv: parent ? parent.argv : [], argc: parent ? parent.argc : 0,
              utimeMs: 0, stimeMs: 0,
            });
            break;
          }
          case 'exec':
            if (p) {
              p.argv = e.argv || [e.path];
              p.argc = e.argc === undefined ? p.argv.length : e.argc;
              p.comm = e.comm || p.comm;
            }
            break;
          case 'exit':
            if (p) p.state = 'Z';
            break;
          case 'reap':
            byPid.delete(e.pid);
            break;
          default:
            break;
        }
      }
      this.update(Array.from(byPid.values()));
    }

    /** Shows a snapshot: [{pid, ppid, pgid, state, comm, argv, argc, utimeMs, stimeMs}]. */
    update(procs) {
      this.procs = procs;
      const byPid = new Map(procs.map((p) => [p.pid, p]));
      const children = new Map();
      const roots = [];
      for (const p of procs) {
        if (p.ppid && byPid.has(p.ppid) && p.ppid !== p.pid) {
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

  /** A command line as a shell would show it: arguments with spaces or quotes quoted. */
  function commandLine(p) {
    if (!p.argv || p.argv.length === 0) return '[' + (p.comm || '?') + ']';
    const q = p.argv.map((a) => (a === '' || /[\s'"\\$`]/.test(a) ? "'" + a.replace(/'/g, "'\\''") + "'" : a));
    return q.join(' ') + (p.argc > p.argv.length ? ' …' : '');
  }

  /** CPU time as ps's TIME column: m:ss.cc */
  function cpuTime(ms) {
    const cs = Math.floor(ms / 10);
    const m = Math.floor(cs / 6000);
    const s = Math.floor((cs % 6000) / 100);
    return m + ':' + String(s).padStart(2, '0') + '.' + String(cs % 100).padStart(2, '0');
  }

  function cell(tr, text, cls, title) {
    const td = document.createElement('td');
    td.textContent = text;
    if (cls) td.className = cls;
    if (title) td.title = title;
    tr.appendChild(td);
    return td;
  }

  function row(p, depth) {
    const tr = document.createElement('tr');
    tr.dataset.pid = p.pid;
    tr.dataset.state = p.state;
    tr.className = 'state-' + p.state;
    cell(tr, String(p.pid), 'pid', 'ppid ' + p.ppid + ', process group ' + p.pgid + ', session ' + p.sid);
    cell(tr, STATES[p.state] || p.state, 'state');
    cell(tr, cpuTime(p.utimeMs + p.stimeMs), 'cpu', 'user ' + p.utimeMs / 1000 + ' s, system ' + p.stimeMs / 1000 + ' s');
    const cmd = cell(tr, (depth > 0 ? '└ ' : '') + commandLine(p), 'command', commandLine(p) + '  (comm ' + p.comm + ')');
    cmd.style.paddingLeft = 0.4 + depth * 1.1 + 'em';
    const actions = cell(tr, '', 'actions');
    if (p.state !== 'Z') {
      for (const [sig, label, what] of ACTIONS) {
        if (sig === 'SIGCONT' && p.state !== 'T') continue;
        if (sig === 'SIGSTOP' && p.state === 'T') continue;
        const b = document.createElement('button');
        b.type = 'button';
        b.textContent = label;
        b.dataset.signal = sig;
        b.title = sig + ': ' + what;
        actions.appendChild(b);
      }
    }
    return tr;
  }

  window.FriscyProcessTable = ProcessTable;
  window.FriscyProcessTable.commandLine = commandLine;
})();
