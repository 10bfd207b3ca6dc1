package dev.friscy.kernel;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;

/**
 * wait4 and waitid: report (and reap) children that exited, stopped or continued; block on
 * the parent's child-event queue until one does, unless WNOHANG.
 */
final class SysWait {
    static final int WNOHANG = 1, WUNTRACED = 2, WSTOPPED = 2, WEXITED = 4, WCONTINUED = 8, WNOWAIT = 0x01000000,
            WNOTHREAD = 0x20000000, WALL = 0x40000000, WCLONE = 0x80000000;
    static final int P_ALL = 0, P_PID = 1, P_PGID = 2, P_PIDFD = 3;

    private SysWait() {
    }

    static long sys_wait4(Task task, long pid, long status, long options, long rusage, long a4, long a5) {
        return wait4(task, (int) pid, status, (int) options, rusage);
    }

    static long sys_waitid(Task task, long idtype, long id, long infop, long options, long rusage, long a5) {
        return waitid(task, (int) idtype, (int) id, infop, (int) options, rusage);
    }

    /** What a wait found: the child and the event. */
    private static final class Found {
        ThreadGroup child;
        int kind; // 1 exited, 2 stopped, 3 continued
    }

    private static boolean matches(ThreadGroup self, ThreadGroup c, int idtype, int id, int options) {
        boolean clone = c.exitSignal != Signals.SIGCHLD;
        if ((options & WALL) == 0 && (((options & WCLONE) != 0) != clone)) {
            return false;
        }
        switch (idtype) {
            case P_ALL:
                return true;
            case P_PID:
                return c.pid == id;
            case P_PGID:
                return c.pgid == (id == 0 ? self.pgid : id);
            default:
                return false;
        }
    }

    /** Looks for a reportable child; returns null if none, and sets {@code any[0]} if some child matched. */
    private static Found find(Task t, int idtype, int id, int options, boolean wantExit, boolean[] any) {
        ThreadGroup self = t.tg;
        for (ThreadGroup c : self.children) {
            if (!matches(self, c, idtype, id, options)) {
                continue;
            }
            any[0] = true;
            Found f = new Found();
            f.child = c;
            if (c.state == ThreadGroup.ZOMBIE && wantExit) {
                f.kind = 1;
                return f;
            }
            if (c.state == ThreadGroup.RUNNING && (options & WUNTRACED) != 0 && c.stopped && c.stopReportPending) {
                f.kind = 2;
                return f;
            }
            if (c.state == ThreadGroup.RUNNING && (options & WCONTINUED) != 0 && c.continueReportPending) {
                f.kind = 3;
                return f;
            }
        }
        return null;
    }

    private static int statusWord(Found f) {
        switch (f.kind) {
            case 1:
                return f.child.exitStatus;
            case 2:
                return (f.child.stopSignal << 8) | 0x7f;
            default:
                return 0xffff;
        }
    }

    /** Consumes what was found: reaps an exited child unless WNOWAIT, clears a stop/continue report. */
    private static void consume(Task t, Found f, int options) {
        Kernel k = t.kernel;
        ThreadGroup c = f.child;
        k.events.waitWakeup(k.uptimeMs(), t.pid(), c.pid, statusWord(f));
        if ((options & WNOWAIT) != 0) {
            return;
        }
        if (f.kind == 1) {
            Lifecycle.reap(k, c, t.pid());
        } else if (f.kind == 2) {
            c.stopReportPending = false;
        } else {
            c.continueReportPending = false;
        }
    }

    static long wait4(Task t, int pid, long statusAddr, int options, long rusage) {
        if ((options & ~(WNOHANG | WUNTRACED | WCONTINUED | WNOTHREAD | WALL | WCLONE)) != 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        int idtype;
        int id;
        if (pid == -1) {
            idtype = P_ALL;
            id = 0;
        } else if (pid == 0) {
            idtype = P_PGID;
            id = t.tg.pgid;
        } else if (pid < 0) {
            if (pid == Integer.MIN_VALUE) {
                throw new SyscallError(Errno.ESRCH);
            }
            idtype = P_PGID;
            id = -pid;
        } else {
            idtype = P_PID;
            id = pid;
        }
        boolean[] any = new boolean[1];
        Found f = find(t, idtype, id, options, true, any);
        if (f == null) {
            if (!any[0]) {
                throw new SyscallError(Errno.ECHILD);
            }
            if ((options & WNOHANG) != 0) {
                return 0;
            }
            return t.kernel.block(t, -1, t.tg.childEvents);
        }
        int status = statusWord(f);
        if (statusAddr != 0) {
            UserMemory.store32(t, statusAddr, status);
        }
        if (rusage != 0) {
            SysTime.writeChildRusage(t, rusage, f.child);
        }
        int childPid = f.child.pid;
        consume(t, f, options);
        return childPid;
    }

    static long waitid(Task t, int idtype, int id, long infop, int options, long rusage) {
        if ((options & ~(WNOHANG | WSTOPPED | WEXITED | WCONTINUED | WNOWAIT | WNOTHREAD | WALL | WCLONE)) != 0
                || (options & (WEXITED | WSTOPPED | WCONTINUED)) == 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        if (idtype == P_PIDFD) {
            throw new SyscallError(Errno.EINVAL); // no pidfds
        }
        if (idtype != P_ALL && idtype != P_PID && idtype != P_PGID) {
            throw new SyscallError(Errno.EINVAL);
        }
        if (idtype == P_PID && id <= 0 || idtype == P_PGID && id < 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        int opts = options;
        if ((options & WSTOPPED) != 0) {
            opts |= WUNTRACED;
        }
        boolean[] any = new boolean[1];
        Found f = find(t, idtype, id, opts, (options & WEXITED) != 0, any);
        if (f == null) {
            if (!any[0]) {
                throw new SyscallError(Errno.ECHILD);
            }
            if ((options & WNOHANG) != 0) {
                if (infop != 0) {
                    UserMemory.write(t, infop, new byte[SignalFrame.SIGINFO_SIZE]);
                }
                return 0;
            }
            return t.kernel.block(t, -1, t.tg.childEvents);
        }
        ThreadGroup c = f.child;
        if (infop != 0) {
            SigInfo i = SigInfo.of(Signals.SIGCHLD, 0);
            i.pid = c.pid;
            i.uid = c.cred.uid;
            if (f.kind == 1) {
                int st = c.exitStatus;
                if ((st & 0x7f) == 0) {
                    i.code = SigInfo.CLD_EXITED;
                    i.status = (st >> 8) & 0xff;
                } else {
                    i.code = (st & 0x80) != 0 ? SigInfo.CLD_DUMPED : SigInfo.CLD_KILLED;
                    i.status = st & 0x7f;
                }
            } else if (f.kind == 2) {
                i.code = SigInfo.CLD_STOPPED;
                i.status = c.stopSignal;
            } else {
                i.code = SigInfo.CLD_CONTINUED;
                i.status = Signals.SIGCONT;
            }
            SignalFrame.writeSiginfo(t, infop, i);
        }
        if (rusage != 0) {
            SysTime.writeChildRusage(t, rusage, c);
        }
        consume(t, f, options);
        return 0;
    }
}
