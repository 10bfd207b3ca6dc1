package dev.friscy.kernel;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;

import java.util.ArrayList;

/**
 * A process's timers: the three interval timers of setitimer (ITIMER_REAL on the monotonic
 * clock sends SIGALRM, ITIMER_VIRTUAL on the process's user time sends SIGVTALRM, ITIMER_PROF
 * on its whole CPU time SIGPROF) and its POSIX timers (timer_create), numbered from 0.
 */
public final class Timers {
    public static final int ITIMER_REAL = 0, ITIMER_VIRTUAL = 1, ITIMER_PROF = 2;
    /** How many POSIX timers one process may have (Linux bounds them by RLIMIT_SIGPENDING). */
    static final int MAX_POSIX = 1024;

    private final IntervalTimer[] itimers = new IntervalTimer[3];
    private final ArrayList<PosixTimer> posix = new ArrayList<>();

    /** An interval timer of setitimer. */
    static final class IntervalTimer extends TimerQueue.Timer {
        final ThreadGroup g;
        final int sig;

        IntervalTimer(ThreadGroup g, int which) {
            this.g = g;
            this.sig = which == ITIMER_REAL ? Signals.SIGALRM : which == ITIMER_VIRTUAL ? Signals.SIGVTALRM : Signals.SIGPROF;
            if (which == ITIMER_REAL) {
                onMonotonic();
            } else if (which == ITIMER_VIRTUAL) {
                onProcessUserCpu(g);
            } else {
                onProcessCpu(g);
            }
        }

        @Override
        protected void expired(Kernel k, long count) {
            SignalDelivery.sendToProcess(k, g, SigInfo.of(sig, SigInfo.SI_KERNEL));
        }
    }

    /** A timer_create timer. */
    static final class PosixTimer extends TimerQueue.Timer {
        static final int SIGEV_SIGNAL = 0, SIGEV_NONE = 1, SIGEV_THREAD = 2, SIGEV_THREAD_ID = 4;
        final int id;
        final ThreadGroup g;
        final int clockId;
        int notify;
        int signo;
        long value;
        /** SIGEV_THREAD_ID: the thread that gets the signal. */
        Task target;
        /** The signal last queued; while it is pending, further expiries count as its overruns. */
        SigInfo last;

        PosixTimer(int id, ThreadGroup g, int clockId) {
            this.id = id;
            this.g = g;
            this.clockId = clockId;
        }

        @Override
        protected void expired(Kernel k, long count) {
            if ((notify & ~SIGEV_THREAD_ID) == SIGEV_NONE || g.isZombie()) {
                return;
            }
            Task to = (notify & SIGEV_THREAD_ID) != 0 && target != null && target.state != Task.DEAD ? target : null;
            SignalQueue q = to != null ? to.pending : g.sharedPending;
            if (last != null && q.has(signo)) {
                last.overrun = (int) Math.min(Integer.MAX_VALUE, last.overrun + count);
                return;
            }
            SigInfo i = SigInfo.of(signo, SigInfo.SI_TIMER);
            i.timerId = id;
            i.value = value;
            i.overrun = (int) Math.min(Integer.MAX_VALUE, count - 1);
            last = i;
            if (to != null) {
                SignalDelivery.sendToTask(k, to, i);
            } else {
                SignalDelivery.sendToProcess(k, g, i);
            }
        }

        int overrun() {
            return last == null ? 0 : last.overrun;
        }
    }

    IntervalTimer itimer(ThreadGroup g, int which) {
        if (itimers[which] == null) {
            itimers[which] = new IntervalTimer(g, which);
        }
        return itimers[which];
    }

    PosixTimer posix(int id) {
        PosixTimer p = id >= 0 && id < posix.size() ? posix.get(id) : null;
        if (p == null) {
            throw new SyscallError(Errno.EINVAL);
        }
        return p;
    }

    PosixTimer createPosix(ThreadGroup g, int clockId) {
        int id = posix.indexOf(null);
        if (id < 0) {
            if (posix.size() >= MAX_POSIX) {
                throw new SyscallError(Errno.EAGAIN);
            }
            id = posix.size();
            posix.add(null);
        }
        PosixTimer p = new PosixTimer(id, g, clockId);
        posix.set(id, p);
        return p;
    }

    void deletePosix(Kernel k, int id) {
        PosixTimer p = posix(id);
        k.timers.disarm(p);
        posix.set(id, null);
    }

    /** execve: POSIX timers go, interval timers stay (as on Linux). */
    public void onExec(Kernel k) {
        for (int i = 0; i < posix.size(); i++) {
            if (posix.get(i) != null) {
                k.timers.disarm(posix.get(i));
            }
        }
        posix.clear();
    }

    /** The process is gone: nothing of it may fire again. */
    public void deleteAll(Kernel k) {
        onExec(k);
        for (IntervalTimer t : itimers) {
            if (t != null) {
                k.timers.disarm(t);
            }
        }
    }
}
