package dev.friscy.kernel;

import dev.friscy.errno.SyscallError;
import dev.friscy.waiter.WaitQueue;

import java.util.ArrayList;

/**
 * How tasks and processes end, stop and continue: exit, exit_group, zombies, re-parenting to
 * init, SIGCHLD and auto-reaping, and freeing a reaped zombie's entry.
 */
final class Lifecycle {
    private Lifecycle() {
    }

    /** exit(2): ends one thread; the last one out ends the process with {@code code}. */
    static void exitThread(Kernel k, Task t, int code) {
        ThreadGroup g = t.tg;
        int live = 0;
        for (Task o : g.tasks) {
            if (o.state != Task.DEAD) {
                live++;
            }
        }
        if (live <= 1) {
            exitGroup(k, g, (code & 0xff) << 8);
            return;
        }
        endTask(k, t);
    }

    /** exit_group(2) or death by signal: ends every thread; {@code status} is the wait status. */
    static void exitGroup(Kernel k, ThreadGroup g, int status) {
        if (g.exiting || g.isZombie()) {
            return;
        }
        g.exiting = true;
        g.exitStatus = status;
        for (Task t : new ArrayList<>(g.tasks)) {
            endTask(k, t);
        }
        SysSem.exitProcess(k, g);
        becomeZombie(k, g);
    }

    /** Ends one thread of a process that goes on (execve ending the others). */
    static void killThread(Kernel k, Task t) {
        endTask(k, t);
    }

    /** Takes a task off the CPU for good and releases what it held. */
    private static void endTask(Kernel k, Task t) {
        if (t.state == Task.DEAD) {
            return;
        }
        if (t.state == Task.BLOCKED) {
            k.wake(t);
        }
        t.state = Task.DEAD;
        t.restarting = false;
        ThreadGroup g = t.tg;
        g.deadInstret += t.hart.instret;
        CpuTime.threadEnded(k, t);
        if (t.clearChildTid != 0 && t.mm.users > 1) {
            // CLONE_CHILD_CLEARTID: zero the tid word and wake a joiner
            if (t.mm.store(t.clearChildTid, 4, 0)) {
                // as Linux: a shared-key futex wake of one waiter, any bitset
                try {
                    SysFutex.wake(t, t.clearChildTid, false, 1, -1);
                } catch (SyscallError e) {
                    // a misaligned address: Linux's wake fails quietly here too
                }
            } else {
                t.mm.clearFault();
            }
        }
        releaseVfork(k, t);
        if (--t.mm.users == 0) {
            t.mm.release();
        }
        if (--t.files.users == 0) {
            t.files.closeAll();
        }
        k.forgetTask(t);
        if (t.tid != g.pid) {
            g.tasks.remove(t);
        }
    }

    /** A vfork parent waits until its child execs or exits. */
    static void releaseVfork(Kernel k, Task child) {
        Task p = child.vforkParent;
        if (p != null) {
            child.vforkParent = null;
            child.vforkDone = true;
            p.vforkDone = true;
            k.wake(p);
        }
    }

    private static void becomeZombie(Kernel k, ThreadGroup g) {
        g.state = ThreadGroup.ZOMBIE;
        g.stopped = false;
        g.exitWaiters.wakeAll();
        ThreadGroup parent = g.parent;
        k.events.exit(k.uptimeMs(), g.pid, parent == null ? 0 : parent.pid, g.exitStatus);
        k.ptys.processExited(g);
        // orphans go to init; zombies among them are init's to reap now
        ThreadGroup init = k.init;
        for (ThreadGroup c : new ArrayList<>(g.children)) {
            g.children.remove(c);
            if (c.pdeathSignal != 0 && !c.isZombie()) {
                SignalDelivery.sendToProcess(k, c, SigInfo.of(c.pdeathSignal, SigInfo.SI_USER));
            }
            if (init != null && init != g && init.state == ThreadGroup.RUNNING) {
                c.parent = init;
                init.children.add(c);
                if (c.isZombie()) {
                    init.childEvents.wakeAll();
                }
            } else {
                c.parent = null;
                if (c.isZombie()) {
                    reap(k, c, 0);
                }
            }
        }
        if (g == k.init) {
            k.initDied();
        }
        if (parent == null) {
            if (g != k.init) {
                reap(k, g, 0);
            }
            return;
        }
        Task pt = parent.leader();
        SignalActions psa = pt != null ? pt.sighand : null;
        boolean autoReap = psa != null && (psa.handler[Signals.SIGCHLD] == SignalActions.SIG_IGN
                || (psa.flags[Signals.SIGCHLD] & SignalActions.SA_NOCLDWAIT) != 0);
        if (g.exitSignal != 0 && !autoReap) {
            SigInfo i = SigInfo.of(g.exitSignal, (g.exitStatus & 0x7f) == 0 ? SigInfo.CLD_EXITED
                    : (g.exitStatus & 0x80) != 0 ? SigInfo.CLD_DUMPED : SigInfo.CLD_KILLED);
            i.pid = g.pid;
            i.uid = g.cred.uid;
            i.status = (g.exitStatus & 0x7f) == 0 ? (g.exitStatus >> 8) & 0xff : g.exitStatus & 0x7f;
            SignalDelivery.sendToProcess(k, parent, i);
        }
        if (autoReap) {
            reap(k, g, 0);
        }
        parent.childEvents.wakeAll();
    }

    /** Frees a zombie's entry; {@code by} is the reaping pid or 0 for automatic reaping. */
    static void reap(Kernel k, ThreadGroup g, int by) {
        if (g.state == ThreadGroup.REAPED) {
            return;
        }
        g.state = ThreadGroup.REAPED;
        g.exitWaiters.wakeAll();
        if (g.parent != null) {
            g.parent.children.remove(g);
            g.parent.childrenInstret += g.deadInstret + g.childrenInstret;
            CpuTime.reaped(g);
        }
        k.events.reap(k.uptimeMs(), g.pid, by);
        for (Task t : g.tasks) {
            k.forgetTask(t);
        }
        k.forgetProcess(g);
        g.timers.deleteAll(k);
    }

    /** Default action of a stop signal: every thread stops, the parent hears of it. */
    static void stopProcess(Kernel k, ThreadGroup g, int sig) {
        if (g.stopped) {
            return;
        }
        g.stopped = true;
        g.stopSignal = sig;
        g.stopReportPending = true;
        g.continueReportPending = false;
        for (Task t : g.tasks) {
            if (t.state == Task.RUNNABLE) {
                t.state = Task.STOPPED;
            } else if (t.state == Task.BLOCKED) {
                // it stays parked; it will not run until continued
                t.state = Task.STOPPED;
                t.restarting = true;
                for (WaitQueue q : t.waitingOn) {
                    q.remove(t);
                }
                t.waitingOn.clear();
            }
        }
        notifyParent(k, g, SigInfo.CLD_STOPPED, sig);
    }

    static void continueProcess(Kernel k, ThreadGroup g) {
        g.stopped = false;
        g.stopReportPending = false;
        g.continueReportPending = true;
        for (Task t : g.tasks) {
            if (t.state == Task.STOPPED) {
                t.state = Task.RUNNABLE;
                k.enqueueWoken(t);
            }
        }
        notifyParent(k, g, SigInfo.CLD_CONTINUED, Signals.SIGCONT);
    }

    private static void notifyParent(Kernel k, ThreadGroup g, int code, int sig) {
        ThreadGroup parent = g.parent;
        if (parent == null) {
            return;
        }
        Task pt = parent.leader();
        if (pt != null && (pt.sighand.flags[Signals.SIGCHLD] & SignalActions.SA_NOCLDSTOP) == 0) {
            SigInfo i = SigInfo.of(Signals.SIGCHLD, code);
            i.pid = g.pid;
            i.uid = g.cred.uid;
            i.status = sig;
            SignalDelivery.sendToProcess(k, parent, i);
        }
        parent.childEvents.wakeAll();
    }

    /**
     * POSIX: a process group is orphaned when no member has a parent in the same session but
     * outside the group.
     */
    static boolean isOrphanedGroup(Kernel k, int pgid) {
        for (ThreadGroup g : k.processes()) {
            if (g.pgid == pgid && !g.isZombie()) {
                ThreadGroup p = g.parent;
                if (p != null && p.pgid != pgid && p.sid == g.sid) {
                    return false;
                }
            }
        }
        return true;
    }
}
