package dev.friscy.kernel;

import dev.friscy.cpu.Hart;
import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;

/**
 * Sending signals (to a task, a process, a process group) and delivering them: default
 * actions (terminate, stop, continue, ignore) and handlers run on a Linux signal frame.
 */
public final class SignalDelivery {
    /** Calls that return EINTR even under SA_RESTART, as on Linux. */
    private static final long[] NEVER_RESTARTED = {101, 115, 72, 73, 22, 441, 133, 137, 98, 21, 188, 189, 192, 193};

    private SignalDelivery() {
    }

    static boolean ignored(Task t, int sig) {
        long h = t.sighand.handler[sig];
        return h == SignalActions.SIG_IGN
                || h == SignalActions.SIG_DFL && Signals.defaultAction(sig) == Signals.ACT_IGNORE;
    }

    /**
     * True if {@code g} is init and the signal would take its default action: like a pid
     * namespace's init (SIGNAL_UNKILLABLE), pid 1 drops such signals from inside, SIGKILL and
     * SIGSTOP included, so no guest process can end the session by signalling it.
     */
    static boolean shieldsInit(Kernel k, ThreadGroup g, SigInfo info) {
        if (g != k.init || info.fromOutside || info.forced || g.tasks.isEmpty()) {
            return false;
        }
        int sig = info.signo;
        return sig == Signals.SIGKILL || sig == Signals.SIGSTOP
                || g.tasks.get(0).sighand.handler[sig] == SignalActions.SIG_DFL;
    }

    /** Send-time effects every signal of these kinds has, whatever its disposition. */
    private static void sendEffects(Kernel k, ThreadGroup g, int sig) {
        if (sig == Signals.SIGCONT || sig == Signals.SIGKILL) {
            for (Task t : g.tasks) {
                t.pending.mask &= ~Signals.STOP_SIGNALS;
                for (int s : new int[] {Signals.SIGSTOP, Signals.SIGTSTP, Signals.SIGTTIN, Signals.SIGTTOU}) {
                    t.pending.discard(s);
                }
            }
            for (int s : new int[] {Signals.SIGSTOP, Signals.SIGTSTP, Signals.SIGTTIN, Signals.SIGTTOU}) {
                g.sharedPending.discard(s);
            }
            if (g.stopped) {
                Lifecycle.continueProcess(k, g);
            }
        } else if ((Signals.bit(sig) & Signals.STOP_SIGNALS) != 0) {
            g.sharedPending.discard(Signals.SIGCONT);
            for (Task t : g.tasks) {
                t.pending.discard(Signals.SIGCONT);
            }
        }
    }

    /**
     * RLIMIT_SIGPENDING: a signal queued by sigqueue, tgkill or a message queue (si_code < 0 from
     * a process, not the kernel) fails with EAGAIN once the receiver's user has that many queued;
     * kill and the kernel's own signals always get through, as on Linux.
     */
    private static void checkQueueLimit(Kernel k, ThreadGroup g, SignalQueue q, SigInfo info) {
        int code = info.code;
        if (code != SigInfo.SI_QUEUE && code != SigInfo.SI_TKILL && code != SI_MESGQ) {
            return;
        }
        if (info.signo < Signals.SIGRTMIN && q.has(info.signo)) {
            return; // merges into the pending one: nothing more is queued
        }
        long limit = g.rlimits[Rlimits.SIGPENDING][0];
        if (limit < 0) {
            return; // unlimited
        }
        int uid = g.cred.uid;
        long queued = 0;
        for (ThreadGroup o : k.processes()) {
            if (o.cred != null && o.cred.uid == uid) {
                queued += o.sharedPending.size();
                for (Task t : o.tasks) {
                    queued += t.pending.size();
                }
            }
        }
        if (queued >= limit) {
            throw new SyscallError(Errno.EAGAIN);
        }
    }

    /** si_code of a message queue's notification. */
    private static final int SI_MESGQ = -3;

    public static void sendToTask(Kernel k, Task t, SigInfo info) {
        if (t.state == Task.DEAD || t.tg.exiting) {
            return;
        }
        int sig = info.signo;
        if (shieldsInit(k, t.tg, info) && (t.sigmask & Signals.bit(sig) & ~Signals.UNBLOCKABLE) == 0) {
            return;
        }
        sendEffects(k, t.tg, sig);
        if (sig != Signals.SIGKILL && ignored(t, sig) && (t.sigmask & Signals.bit(sig)) == 0) {
            return;
        }
        checkQueueLimit(k, t.tg, t.pending, info);
        t.pending.add(info);
        t.tg.signalArrivals.wakeAll(); // signalfd readers
        notify(k, t, sig);
    }

    /**
     * Signals the owner a description was given with F_SETOWN/F_SETOWN_EX (a thread, a process
     * or a process group), if any: SIGURG when TCP urgent data arrives.
     */
    public static void sendToOwner(Kernel k, dev.friscy.fs.FileDescription f, int sig) {
        if (f.ownerId == 0) {
            return;
        }
        SigInfo info = SigInfo.of(sig, SigInfo.SI_KERNEL);
        if (f.ownerType == SysLock.F_OWNER_TID) {
            Task o = k.task(f.ownerId);
            if (o != null && o.state != Task.DEAD) {
                sendToTask(k, o, info);
            }
        } else if (f.ownerType == SysLock.F_OWNER_PGRP) {
            sendToGroup(k, f.ownerId, info);
        } else {
            ThreadGroup g = k.process(f.ownerId);
            if (g != null) {
                sendToProcess(k, g, info);
            }
        }
    }

    public static void sendToProcess(Kernel k, ThreadGroup g, SigInfo info) {
        if (g.isZombie() || g.exiting || g.tasks.isEmpty()) {
            return;
        }
        int sig = info.signo;
        if (shieldsInit(k, g, info)) {
            boolean blockedByAll = sig != Signals.SIGKILL && sig != Signals.SIGSTOP;
            for (Task t : g.tasks) {
                blockedByAll &= (t.sigmask & Signals.bit(sig)) != 0;
            }
            if (!blockedByAll) {
                return; // a blocked one waits: init may install a handler before unblocking it
            }
        }
        sendEffects(k, g, sig);
        Task any = g.tasks.get(0);
        if (sig != Signals.SIGKILL && ignored(any, sig)) {
            boolean blockedByAll = true;
            for (Task t : g.tasks) {
                blockedByAll &= (t.sigmask & Signals.bit(sig)) != 0;
            }
            if (!blockedByAll) {
                return;
            }
        }
        checkQueueLimit(k, g, g.sharedPending, info);
        g.sharedPending.add(info);
        g.signalArrivals.wakeAll(); // signalfd readers
        // pick a thread that can take it now; otherwise it waits for one to unblock it
        for (Task t : g.tasks) {
            if (t.state != Task.DEAD && (sig == Signals.SIGKILL || (t.sigmask & Signals.bit(sig)) == 0)) {
                notify(k, t, sig);
                if (sig != Signals.SIGKILL) {
                    break;
                }
            }
        }
    }

    /** Sends to every process in group {@code pgid}; returns how many got it. */
    public static int sendToGroup(Kernel k, int pgid, SigInfo proto) {
        int n = 0;
        for (ThreadGroup g : k.processes()) {
            if (g.pgid == pgid && !g.isZombie()) {
                sendToProcess(k, g, copy(proto));
                n++;
            }
        }
        return n;
    }

    static SigInfo copy(SigInfo s) {
        SigInfo c = SigInfo.of(s.signo, s.code);
        c.pid = s.pid;
        c.uid = s.uid;
        c.status = s.status;
        c.addr = s.addr;
        c.value = s.value;
        c.fromOutside = s.fromOutside;
        return c;
    }

    /** Wakes a task so it notices a signal: out of an interruptible block, or out of a stop. */
    private static void notify(Kernel k, Task t, int sig) {
        boolean unblocked = sig == Signals.SIGKILL || (t.sigmask & Signals.bit(sig)) == 0;
        if (!unblocked) {
            return;
        }
        if (t.state == Task.BLOCKED && (!t.uninterruptible || sig == Signals.SIGKILL)) {
            t.interrupted = true;
            k.wake(t);
        } else if (t.state == Task.STOPPED && sig == Signals.SIGKILL) {
            t.state = Task.RUNNABLE;
            k.enqueueWoken(t);
        }
    }

    /** True if a pending signal is not blocked by the task: it would be acted on before user code runs. */
    static boolean hasDeliverable(Task t) {
        return nextSignal(t) != 0;
    }

    /** The lowest pending signal the task does not block, from its own or its process's queue. */
    private static int nextSignal(Task t) {
        long ready = (t.pending.mask | t.tg.sharedPending.mask) & ~(t.sigmask & ~Signals.UNBLOCKABLE);
        if (ready == 0) {
            return 0;
        }
        // synchronous faults first, as Linux does
        long sync = ready & (Signals.bit(Signals.SIGSEGV) | Signals.bit(Signals.SIGBUS) | Signals.bit(Signals.SIGILL)
                | Signals.bit(Signals.SIGTRAP) | Signals.bit(Signals.SIGFPE) | Signals.bit(Signals.SIGSYS));
        long pick = sync != 0 ? sync : ready;
        return Long.numberOfTrailingZeros(pick) + 1;
    }

    static SigInfo dequeue(Task t, int sig) {
        SigInfo i = t.pending.take(sig);
        if (i == null) {
            i = t.tg.sharedPending.take(sig);
        }
        return i;
    }

    /**
     * Acts on pending signals before the task runs user code. Returns true if it changed the
     * task (frame set up, stopped, killed), so the caller re-checks the task's state.
     */
    static boolean deliverPending(Kernel k, Task t) {
        boolean acted = false;
        while (t.state == Task.RUNNABLE) {
            int sig = nextSignal(t);
            if (sig == 0) {
                if (t.interrupted) {
                    // woken by a signal that has since been handled elsewhere or ignored: restart
                    t.interrupted = false;
                }
                return acted;
            }
            SigInfo info = dequeue(t, sig);
            if (info == null) {
                continue;
            }
            long handler = t.sighand.handler[sig];
            if (sig == Signals.SIGKILL || sig == Signals.SIGSTOP) {
                handler = SignalActions.SIG_DFL;
            }
            if (handler == SignalActions.SIG_IGN) {
                continue;
            }
            if (handler == SignalActions.SIG_DFL && shieldsInit(k, t.tg, info)) {
                continue; // queued while blocked, unblocked with no handler: init drops it
            }
            if (handler == SignalActions.SIG_DFL) {
                int act = Signals.defaultAction(sig);
                if (act == Signals.ACT_IGNORE || act == Signals.ACT_CONT) {
                    continue;
                }
                if (act == Signals.ACT_STOP) {
                    if (sig != Signals.SIGSTOP && Lifecycle.isOrphanedGroup(k, t.tg.pgid)) {
                        continue; // terminal stop signals do not stop orphaned process groups
                    }
                    Lifecycle.stopProcess(k, t.tg, sig);
                    return true;
                }
                // "dumped core" is reported (no file is written) when RLIMIT_CORE allows a dump
                boolean core = act == Signals.ACT_CORE && t.tg.rlimits[Rlimits.CORE][0] != 0;
                int status = sig | (core ? 0x80 : 0);
                Lifecycle.exitGroup(k, t.tg, status);
                return true;
            }
            runHandler(k, t, sig, info, handler);
            return true;
        }
        return acted;
    }

    private static void runHandler(Kernel k, Task t, int sig, SigInfo info, long handler) {
        Hart h = t.hart;
        SignalActions sa = t.sighand;
        int flags = sa.flags[sig];
        if (t.restarting) {
            // the task was blocked in a system call that this signal interrupted
            long nr = h.x[17];
            boolean restart = (flags & SignalActions.SA_RESTART) != 0 && !contains(NEVER_RESTARTED, nr);
            long own = k.syscalls.interrupted(t, nr); // e.g. a long pipe write returns what it moved
            t.restarting = false;
            t.interrupted = false;
            t.timedOut = false;
            t.restart.clear();
            if (own != SyscallTable.USUAL) {
                h.x[10] = own;
                h.pc += 4;
            } else if (!restart) {
                h.x[10] = -Errno.EINTR;
                h.pc += 4;
            }
        }
        long oldMask = t.hasSavedSigmask ? t.savedSigmask : t.sigmask;
        t.hasSavedSigmask = false;
        long sp = h.x[2];
        if ((flags & SignalActions.SA_ONSTACK) != 0 && t.altStackFlags == 0 && !SysSignal.onAltStack(t, sp)) {
            sp = t.altStackSp + t.altStackSize;
        }
        long frame;
        try {
            frame = SignalFrame.push(t, sp, info, oldMask);
        } catch (SyscallError e) {
            // no room for the frame: Linux forces SIGSEGV
            k.diagnostic("friscy: pid " + t.pid() + " cannot deliver " + Signals.name(sig) + ": bad stack");
            Lifecycle.exitGroup(k, t.tg, Signals.SIGSEGV);
            return;
        }
        h.x[10] = sig;
        h.x[11] = frame;
        h.x[12] = frame + SignalFrame.SIGINFO_SIZE;
        h.x[2] = frame;
        long restorer = (flags & SignalActions.SA_RESTORER) != 0 && sa.restorer[sig] != 0
                ? sa.restorer[sig] : SignalFrame.TRAMPOLINE;
        h.x[1] = restorer;
        h.pc = handler;
        t.sigmask |= sa.mask[sig];
        if ((flags & SignalActions.SA_NODEFER) == 0) {
            t.sigmask |= Signals.bit(sig);
        }
        t.sigmask &= ~Signals.UNBLOCKABLE;
        if ((flags & SignalActions.SA_RESETHAND) != 0) {
            sa.handler[sig] = SignalActions.SIG_DFL; // as Linux: only the handler resets, the flags stay
        }
        h.reservation = -1;
    }

    private static boolean contains(long[] a, long v) {
        for (long x : a) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }

    /**
     * A synchronous fault (bad access, illegal instruction, breakpoint). If the process cannot
     * take it (blocked or ignored), the default action is forced, as Linux's force_sig does.
     */
    static void fault(Kernel k, Task t, int sig, int code, long addr) {
        SignalActions sa = t.sighand;
        boolean blocked = (t.sigmask & Signals.bit(sig)) != 0;
        if (blocked || sa.handler[sig] == SignalActions.SIG_IGN) {
            sa.handler[sig] = SignalActions.SIG_DFL;
            t.sigmask &= ~Signals.bit(sig);
        }
        if (sa.handler[sig] == SignalActions.SIG_DFL) {
            k.diagnostic("friscy: pid " + t.pid() + " (" + t.comm + ") killed by " + Signals.name(sig) + " at pc=0x"
                    + Long.toHexString(t.hart.pc) + (sig == Signals.SIGILL ? " insn=0x"
                    + Integer.toHexString(t.hart.badInstruction) : " addr=0x" + Long.toHexString(addr)));
        }
        SigInfo i = SigInfo.of(sig, code);
        i.addr = addr;
        i.forced = true;
        t.pending.add(i);
    }
}
