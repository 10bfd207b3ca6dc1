package dev.friscy.kernel;

import java.util.ArrayList;

/**
 * Armed kernel timers (interval timers, POSIX timers, timerfds). The scheduler calls
 * {@link #fire} between time slices and reports {@link #next} to the host as the time to come
 * back when every task is blocked.
 *
 * A timer runs on the monotonic clock (ns since boot, {@link Kernel#uptimeNs}, so it is never
 * negative whatever the host's clock origin), or on the CPU time of a process (all of it, or its
 * user time for ITIMER_VIRTUAL) or a thread (see {@link CpuTime}); CPU time only moves while
 * tasks run, so CPU timers never set the host's wake-up time.
 */
public final class TimerQueue {
    public static final int MONO = 0, PROCESS_CPU = 1, THREAD_CPU = 2, PROCESS_USER = 3;

    /** One timer. Its owner says what an expiry does. */
    public abstract static class Timer {
        int clock = MONO;
        ThreadGroup cpuGroup;
        Task cpuTask;
        /** Absolute expiry on the timer's clock, or -1 when disarmed. */
        long expiry = -1;
        /** Reload period in ns, 0 for one-shot. */
        long interval;
        boolean queued;

        /** The timer expired {@code count} times since it was last seen (1 + overruns); periodic ones are re-armed. */
        protected abstract void expired(Kernel k, long count);

        public final boolean armed() {
            return expiry != -1;
        }

        public final long interval() {
            return interval;
        }

        /** Puts the timer on the monotonic clock. */
        public final void onMonotonic() {
            clock = MONO;
            cpuGroup = null;
            cpuTask = null;
        }

        public final void onProcessCpu(ThreadGroup g) {
            clock = PROCESS_CPU;
            cpuGroup = g;
            cpuTask = null;
        }

        /** Puts the timer on the user CPU time of {@code g} (ITIMER_VIRTUAL). */
        public final void onProcessUserCpu(ThreadGroup g) {
            clock = PROCESS_USER;
            cpuGroup = g;
            cpuTask = null;
        }

        public final void onThreadCpu(Task t) {
            clock = THREAD_CPU;
            cpuTask = t;
            cpuGroup = null;
        }

        /** The current value of this timer's clock. */
        public final long now(Kernel k) {
            switch (clock) {
                case PROCESS_CPU:
                    return SysTime.processCpuNs(cpuGroup);
                case THREAD_CPU:
                    return SysTime.threadCpuNs(cpuTask);
                case PROCESS_USER:
                    CpuTime.catchUp(k);
                    return CpuTime.processUser(cpuGroup);
                default:
                    return k.uptimeNs();
            }
        }

        /** Time left before the next expiry (at least 1 ns while armed), or 0 when disarmed. */
        public final long remaining(Kernel k) {
            if (expiry == -1) {
                return 0;
            }
            return Math.max(1, expiry - now(k));
        }
    }

    private final ArrayList<Timer> armed = new ArrayList<>();

    /** Arms {@code t} to expire at {@code expiry} on its clock, then every {@code interval} ns (0: once). */
    public void arm(Timer t, long expiry, long interval) {
        t.expiry = expiry < 0 ? 0 : expiry;
        t.interval = Math.max(0, interval);
        if (!t.queued) {
            t.queued = true;
            armed.add(t);
        }
    }

    public void disarm(Timer t) {
        t.expiry = -1;
        t.interval = 0;
        if (t.queued) {
            t.queued = false;
            armed.remove(t);
        }
    }

    public boolean isEmpty() {
        return armed.isEmpty();
    }

    /** Expires every timer that is due. */
    void fire(Kernel k) {
        if (armed.isEmpty()) {
            return;
        }
        long monoNow = k.uptimeNs();
        for (Timer t : armed.toArray(new Timer[0])) {
            if (!t.queued || t.expiry == -1) {
                continue;
            }
            long now = t.clock == MONO ? monoNow : t.now(k);
            if (now < t.expiry) {
                continue;
            }
            long count = 1;
            if (t.interval > 0) {
                long late = now - t.expiry;
                count += late / t.interval;
                long next = t.expiry + count * t.interval;
                t.expiry = next > now ? next : Long.MAX_VALUE; // a period too long to represent: never again
            } else {
                disarm(t);
            }
            t.expired(k, count);
        }
    }

    /** The earliest monotonic expiry as a host-clock time ({@link Kernel#nowNs}), or -1. */
    long next(Kernel k) {
        if (armed.isEmpty()) {
            return -1;
        }
        long d = -1;
        for (Timer t : armed) {
            if (t.clock == MONO && t.expiry != -1 && (d < 0 || t.expiry < d)) {
                d = t.expiry;
            }
        }
        return d < 0 ? -1 : d + (k.nowNs() - k.uptimeNs());
    }
}
