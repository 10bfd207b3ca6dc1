package dev.friscy.kernel;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.fs.FileDescription;
import dev.friscy.fs.OpenFlags;
import dev.friscy.fs.TimerFd;

/**
 * Clocks, sleeps and timers: clock_gettime/getres/nanosleep, nanosleep, gettimeofday, times,
 * getrusage, setitimer/getitimer, timer_* (POSIX timers) and timerfd_*.
 *
 * Clocks: REALTIME (and its COARSE, ALARM and TAI forms) is the host's wall clock; MONOTONIC,
 * MONOTONIC_RAW, MONOTONIC_COARSE and BOOTTIME count from kernel start (the emulated machine
 * never suspends, so BOOTTIME = MONOTONIC). CPU-time clocks, times and getrusage count the host
 * time spent running the process or thread, user and system time apart (see {@link CpuTime}).
 */
final class SysTime {
    static final int CLOCK_REALTIME = 0, CLOCK_MONOTONIC = 1, CLOCK_PROCESS_CPUTIME_ID = 2,
            CLOCK_THREAD_CPUTIME_ID = 3, CLOCK_MONOTONIC_RAW = 4, CLOCK_REALTIME_COARSE = 5,
            CLOCK_MONOTONIC_COARSE = 6, CLOCK_BOOTTIME = 7, CLOCK_REALTIME_ALARM = 8, CLOCK_BOOTTIME_ALARM = 9,
            CLOCK_TAI = 11;
    static final int TIMER_ABSTIME = 1;
    static final int TFD_TIMER_ABSTIME = 1, TFD_TIMER_CANCEL_ON_SET = 2;
    static final long NS = 1_000_000_000L;
    /** Resolution of the COARSE clocks: one tick at HZ=250. */
    static final long COARSE_NS = 4_000_000L;
    /** times() counts in USER_HZ ticks. */
    static final long USER_HZ = 100;

    private SysTime() {
    }

    /**
     * A relative nanosleep cut short by a handler tells the caller how much was left; a rem
     * pointer it cannot write makes the call fail with EFAULT rather than EINTR, as on Linux.
     */
    static long nanosleepInterrupted(Task task) {
        return writeRemainingSleep(task, CLOCK_MONOTONIC, task.hart.x[11]) ? SyscallTable.USUAL : -Errno.EFAULT;
    }

    static long clockNanosleepInterrupted(Task task) {
        if ((task.hart.x[11] & TIMER_ABSTIME) == 0
                && !writeRemainingSleep(task, sleepBasis((int) task.hart.x[10], 0), task.hart.x[13])) {
            return -Errno.EFAULT;
        }
        return SyscallTable.USUAL;
    }

    static long sys_clock_gettime(Task task, long clk, long tp, long a2, long a3, long a4, long a5) {
        return clockGettime(task, (int) clk, tp);
    }

    static long sys_clock_getres(Task task, long clk, long tp, long a2, long a3, long a4, long a5) {
        return clockGetres(task, (int) clk, tp);
    }

    static long sys_clock_nanosleep(Task task, long clk, long flags, long req, long rem, long a4, long a5) {
        return sleep(task, (int) clk, (int) flags, req);
    }

    static long sys_nanosleep(Task task, long req, long rem, long a2, long a3, long a4, long a5) {
        return sleep(task, CLOCK_MONOTONIC, 0, req);
    }

    static long sys_gettimeofday(Task task, long tv, long tz, long a2, long a3, long a4, long a5) {
        return gettimeofday(task, tv, tz);
    }

    static long sys_clock_settime(Task task, long clk, long tp, long a2, long a3, long a4, long a5) {
        return clockSettime(task, (int) clk, tp);
    }

    static long sys_settimeofday(Task task, long tv, long tz, long a2, long a3, long a4, long a5) {
        return settimeofday(task, tv, tz);
    }

    static long sys_times(Task task, long buf, long a1, long a2, long a3, long a4, long a5) {
        return times(task, buf);
    }

    static long sys_getrusage(Task task, long who, long ru, long a2, long a3, long a4, long a5) {
        return getrusage(task, (int) who, ru);
    }

    static long sys_getitimer(Task task, long which, long cur, long a2, long a3, long a4, long a5) {
        return getitimer(task, (int) which, cur);
    }

    static long sys_setitimer(Task task, long which, long nv, long old, long a3, long a4, long a5) {
        return setitimer(task, (int) which, nv, old);
    }

    static long sys_timer_create(Task task, long clk, long sev, long id, long a3, long a4, long a5) {
        return timerCreate(task, (int) clk, sev, id);
    }

    static long sys_timer_settime(Task task, long id, long flags, long nv, long old, long a4, long a5) {
        return timerSettime(task, (int) id, (int) flags, nv, old);
    }

    static long sys_timer_gettime(Task task, long id, long cur, long a2, long a3, long a4, long a5) {
        return timerGettime(task, (int) id, cur);
    }

    static long sys_timer_getoverrun(Task task, long id, long a1, long a2, long a3, long a4, long a5) {
        return (long) task.tg.timers.posix((int) id).overrun();
    }

    static long sys_timer_delete(Task task, long id, long a1, long a2, long a3, long a4, long a5) {
        task.tg.timers.deletePosix(task.kernel, (int) id);
        return 0;
    }

    static long sys_timerfd_create(Task task, long clk, long flags, long a2, long a3, long a4, long a5) {
        return timerfdCreate(task, (int) clk, (int) flags);
    }

    static long sys_timerfd_settime(Task task, long fd, long flags, long nv, long old, long a4, long a5) {
        return timerfdSettime(task, (int) fd, (int) flags, nv, old);
    }

    static long sys_timerfd_gettime(Task task, long fd, long cur, long a2, long a3, long a4, long a5) {
        return timerfdGettime(task, (int) fd, cur);
    }

    // ------------------------------------------------------------------ time values

    /** A struct timespec as ns; EINVAL if malformed. Very large values saturate. */
    static long readTimespec(Task t, long addr) {
        long sec = UserMemory.load64(t, addr);
        long nsec = UserMemory.load64(t, addr + 8);
        if (sec < 0 || nsec < 0 || nsec >= NS) {
            throw new SyscallError(Errno.EINVAL);
        }
        if (sec >= Long.MAX_VALUE / NS) {
            return Long.MAX_VALUE;
        }
        return sec * NS + nsec;
    }

    static void writeTimespec(Task t, long addr, long ns) {
        byte[] b = new byte[16];
        SignalFrame.putLong(b, 0, Math.floorDiv(ns, NS));
        SignalFrame.putLong(b, 8, Math.floorMod(ns, NS));
        UserMemory.write(t, addr, b);
    }

    /** A struct timeval as ns; EINVAL if malformed. */
    static long readTimeval(Task t, long addr) {
        long sec = UserMemory.load64(t, addr);
        long usec = UserMemory.load64(t, addr + 8);
        if (sec < 0 || usec < 0 || usec >= 1_000_000) {
            throw new SyscallError(Errno.EINVAL);
        }
        if (sec >= Long.MAX_VALUE / NS) {
            return Long.MAX_VALUE;
        }
        return sec * NS + usec * 1000;
    }

    static void putTimeval(byte[] b, int off, long ns) {
        SignalFrame.putLong(b, off, Math.floorDiv(ns, NS));
        SignalFrame.putLong(b, off + 8, Math.floorMod(ns, NS) / 1000);
    }

    // ------------------------------------------------------------------ clocks

    /** CPU time of a process so far (see {@link CpuTime}), including the running task's current stretch. */
    static long processCpuNs(ThreadGroup g) {
        if (g.tasks.isEmpty()) {
            return g.deadUtimeNs + g.deadStimeNs;
        }
        CpuTime.catchUp(g.tasks.get(0).kernel);
        return CpuTime.process(g);
    }

    static long threadCpuNs(Task t) {
        CpuTime.catchUp(t.kernel);
        return CpuTime.thread(t);
    }

    /** A CPU-time clock id made by clock_getcpuclockid / pthread_getcpuclockid (negative). */
    private static boolean isDynamicCpuClock(int clk) {
        return clk < 0;
    }

    /** The process a dynamic process clock refers to, or null for a thread clock. */
    private static ThreadGroup cpuClockProcess(Task t, int clk) {
        if ((clk & 7) == 7 || (clk & 3) == 3) {
            throw new SyscallError(Errno.EINVAL);
        }
        if ((clk & 4) != 0) {
            return null;
        }
        int pid = ~(clk >> 3);
        ThreadGroup g = pid == 0 ? t.tg : t.kernel.process(pid);
        if (g == null) {
            throw new SyscallError(Errno.EINVAL);
        }
        return g;
    }

    private static Task cpuClockThread(Task t, int clk) {
        int tid = ~(clk >> 3);
        Task o = tid == 0 ? t : t.kernel.task(tid);
        if (o == null || o.state == Task.DEAD || o.tg != t.tg) {
            throw new SyscallError(Errno.EINVAL);
        }
        return o;
    }

    /** The value of clock {@code clk} now, in ns; EINVAL for an unknown clock. */
    static long clockNow(Task t, int clk) {
        Kernel k = t.kernel;
        if (isDynamicCpuClock(clk)) {
            ThreadGroup g = cpuClockProcess(t, clk);
            return g != null ? processCpuNs(g) : threadCpuNs(cpuClockThread(t, clk));
        }
        switch (clk) {
            case CLOCK_REALTIME:
            case CLOCK_REALTIME_COARSE:
            case CLOCK_REALTIME_ALARM:
            case CLOCK_TAI:
                return k.realtimeNs();
            case CLOCK_MONOTONIC:
            case CLOCK_MONOTONIC_RAW:
            case CLOCK_MONOTONIC_COARSE:
            case CLOCK_BOOTTIME:
            case CLOCK_BOOTTIME_ALARM:
                return k.uptimeNs();
            case CLOCK_PROCESS_CPUTIME_ID:
                return processCpuNs(t.tg);
            case CLOCK_THREAD_CPUTIME_ID:
                return threadCpuNs(t);
            default:
                throw new SyscallError(Errno.EINVAL);
        }
    }

    private static boolean isRealtime(int clk) {
        return clk == CLOCK_REALTIME || clk == CLOCK_REALTIME_COARSE || clk == CLOCK_REALTIME_ALARM || clk == CLOCK_TAI;
    }

    private static boolean isCpu(int clk) {
        return clk < 0 || clk == CLOCK_PROCESS_CPUTIME_ID || clk == CLOCK_THREAD_CPUTIME_ID;
    }

    static long clockGettime(Task t, int clk, long tp) {
        long v = clockNow(t, clk);
        writeTimespec(t, tp, v);
        return 0;
    }

    static long clockGetres(Task t, int clk, long tp) {
        clockNow(t, clk); // validates
        long res = clk == CLOCK_REALTIME_COARSE || clk == CLOCK_MONOTONIC_COARSE ? COARSE_NS : 1;
        if (tp != 0) {
            writeTimespec(t, tp, res);
        }
        return 0;
    }

    /**
     * The clocks are the host's: like a container without CAP_SYS_TIME, nobody may set them
     * (EPERM once the arguments are valid, as Linux checks them first).
     */
    static long clockSettime(Task t, int clk, long tp) {
        if (clk != CLOCK_REALTIME) {
            clockNow(t, clk); // EINVAL for an unknown clock
            throw new SyscallError(Errno.EINVAL); // only CLOCK_REALTIME can be set at all
        }
        return setRealtime(t, readTimespec(t, tp));
    }

    /**
     * Root sets the guest's wall clock: an offset kept by the kernel over the host's clock,
     * which is never touched. Everything that reads CLOCK_REALTIME sees it.
     */
    private static long setRealtime(Task t, long ns) {
        if (t.cred().euid != 0) {
            throw new SyscallError(Errno.EPERM); // CAP_SYS_TIME
        }
        Kernel k = t.kernel;
        k.realtimeOffsetNs = ns - k.host.realtimeNanos();
        return 0;
    }

    static long settimeofday(Task t, long tv, long tz) {
        if (tv != 0) {
            long ns = readTimeval(t, tv);
            if (tz != 0) {
                UserMemory.read(t, tz, 8); // EFAULT first, as Linux copies both in
            }
            return setRealtime(t, ns);
        }
        if (tz != 0) {
            UserMemory.read(t, tz, 8);
            if (t.cred().euid != 0) {
                throw new SyscallError(Errno.EPERM);
            }
            return 0; // the kernel's timezone is not used by anything here
        }
        return 0;
    }

    // ------------------------------------------------------------------ sleeping

    /** Which clocks clock_nanosleep accepts: EINVAL / EOPNOTSUPP as Linux answers. */
    private static void checkSleepClock(Task t, int clk) {
        if (clk == CLOCK_THREAD_CPUTIME_ID || (clk < 0 && (clk & 4) != 0)) {
            throw new SyscallError(Errno.EINVAL);
        }
        checkTimerClock(t, clk);
    }

    /** What clock_nanosleep and timer_create both refuse: EOPNOTSUPP, EINVAL, EPERM as Linux answers. */
    private static void checkTimerClock(Task t, int clk) {
        if (clk == CLOCK_MONOTONIC_RAW || clk == CLOCK_REALTIME_COARSE || clk == CLOCK_MONOTONIC_COARSE) {
            throw new SyscallError(Errno.EOPNOTSUPP);
        }
        clockNow(t, clk);
        if (isDynamicCpuClock(clk) && cpuClockProcess(t, clk) != t.tg) {
            throw new SyscallError(Errno.EOPNOTSUPP); // as Linux: no sleeping on another process's CPU clock
        }
        if ((clk == CLOCK_REALTIME_ALARM || clk == CLOCK_BOOTTIME_ALARM) && t.cred().euid != 0) {
            throw new SyscallError(Errno.EPERM); // needs CAP_WAKE_ALARM
        }
    }

    /**
     * nanosleep / clock_nanosleep: waits until {@code clk} reaches the target kept in
     * {@code restart.sleepUntil}. A monotonic sleep wakes exactly at its deadline; a wall-clock or
     * CPU-time sleep wakes at the earliest moment the target could be reached and looks again.
     */
    static long sleep(Task t, int clk, int flags, long req) {
        long target;
        if (!t.restarting) {
            checkSleepClock(t, clk);
        }
        clk = sleepBasis(clk, flags);
        if (!t.restarting) {
            long v = readTimespec(t, req);
            if ((flags & TIMER_ABSTIME) != 0) {
                target = v;
            } else {
                long now = clockNow(t, clk);
                target = now + v < now ? Long.MAX_VALUE : now + v;
            }
            t.restart.sleepUntil = target;
        } else {
            target = t.restart.sleepUntil;
        }
        long now = clockNow(t, clk);
        if (now >= target) {
            return 0;
        }
        long left = target - now;
        long hostNow = t.kernel.nowNs();
        long deadline = hostNow + left < hostNow ? Long.MAX_VALUE : hostNow + left;
        return t.kernel.block(t, deadline);
    }

    /**
     * The clock a sleep is measured on: a relative sleep on a wall clock runs on the monotonic
     * clock, because setting the wall clock must not stretch or cut it (POSIX; Linux does the same).
     */
    private static int sleepBasis(int clk, int flags) {
        return (flags & TIMER_ABSTIME) == 0 && isRealtime(clk) ? CLOCK_MONOTONIC : clk;
    }

    /** Writes the time left to {@code rem} (if given); false if the pointer is bad. */
    private static boolean writeRemainingSleep(Task t, int clk, long rem) {
        if (rem == 0) {
            return true;
        }
        try {
            writeTimespec(t, rem, Math.max(0, t.restart.sleepUntil - clockNow(t, clk)));
            return true;
        } catch (SyscallError e) {
            return false;
        }
    }

    // ------------------------------------------------------------------ process times

    static long gettimeofday(Task t, long tv, long tz) {
        if (tv != 0) {
            byte[] b = new byte[16];
            putTimeval(b, 0, t.kernel.realtimeNs());
            UserMemory.write(t, tv, b);
        }
        if (tz != 0) {
            UserMemory.write(t, tz, new byte[8]); // UTC, no DST
        }
        return 0;
    }

    static long times(Task t, long buf) {
        if (buf != 0) {
            ThreadGroup g = t.tg;
            CpuTime.catchUp(t.kernel);
            byte[] b = new byte[32];
            SignalFrame.putLong(b, 0, CpuTime.ticks(CpuTime.processUser(g)));
            SignalFrame.putLong(b, 8, CpuTime.ticks(CpuTime.processSystem(g)));
            SignalFrame.putLong(b, 16, CpuTime.ticks(g.childUtimeNs));
            SignalFrame.putLong(b, 24, CpuTime.ticks(g.childStimeNs));
            UserMemory.write(t, buf, b);
        }
        return t.kernel.uptimeNs() / (NS / USER_HZ);
    }

    static final int RUSAGE_SELF = 0, RUSAGE_CHILDREN = -1, RUSAGE_THREAD = 1;

    static long getrusage(Task t, int who, long ru) {
        long user;
        long system;
        long maxrssKb = 0;
        CpuTime.catchUp(t.kernel);
        switch (who) {
            case RUSAGE_SELF:
                user = CpuTime.processUser(t.tg);
                system = CpuTime.processSystem(t.tg);
                maxrssKb = t.mm.residentPages() * 4;
                break;
            case RUSAGE_THREAD:
                user = t.utimeNs;
                system = t.stimeNs;
                maxrssKb = t.mm.residentPages() * 4;
                break;
            case RUSAGE_CHILDREN:
                user = t.tg.childUtimeNs;
                system = t.tg.childStimeNs;
                break;
            default:
                throw new SyscallError(Errno.EINVAL);
        }
        writeRusage(t, ru, user, system, maxrssKb);
        return 0;
    }

    /** struct rusage: user and system time and the resident set (kB); the other counters stay 0. */
    static void writeRusage(Task t, long addr, long userNs, long systemNs, long maxrssKb) {
        byte[] b = new byte[144];
        putTimeval(b, 0, userNs);
        putTimeval(b, 16, systemNs);
        SignalFrame.putLong(b, 32, maxrssKb);
        UserMemory.write(t, addr, b);
    }

    /**
     * wait4/waitid's rusage of a child: its own time and that of its reaped children (Linux's
     * RUSAGE_BOTH), for a child that exited, stopped or continued alike.
     */
    static void writeChildRusage(Task t, long addr, ThreadGroup c) {
        CpuTime.catchUp(t.kernel);
        writeRusage(t, addr, CpuTime.processUser(c) + c.childUtimeNs, CpuTime.processSystem(c) + c.childStimeNs, 0);
    }

    // ------------------------------------------------------------------ setitimer

    static long getitimer(Task t, int which, long cur) {
        if (which < 0 || which > 2) {
            throw new SyscallError(Errno.EINVAL);
        }
        Timers.IntervalTimer it = t.tg.timers.itimer(t.tg, which);
        byte[] b = new byte[32];
        putItimerval(t, it, b);
        UserMemory.write(t, cur, b);
        return 0;
    }

    private static void putItimerval(Task t, TimerQueue.Timer it, byte[] b) {
        long left = it.remaining(t.kernel);
        if (left > 0 && left < 1000) {
            left = 1000; // an armed timer never reads as 0 µs
        }
        putTimeval(b, 0, it.interval());
        putTimeval(b, 16, left);
    }

    static long setitimer(Task t, int which, long nv, long old) {
        if (which < 0 || which > 2) {
            throw new SyscallError(Errno.EINVAL);
        }
        long interval = 0;
        long value = 0;
        if (nv != 0) {
            interval = readTimeval(t, nv);
            value = readTimeval(t, nv + 16);
        }
        Timers.IntervalTimer it = t.tg.timers.itimer(t.tg, which);
        if (old != 0) {
            byte[] b = new byte[32];
            putItimerval(t, it, b);
            UserMemory.write(t, old, b);
        }
        TimerQueue q = t.kernel.timers;
        if (value == 0) {
            q.disarm(it);
        } else {
            long now = it.now(t.kernel);
            q.arm(it, now + value < now ? Long.MAX_VALUE : now + value, interval);
        }
        return 0;
    }

    // ------------------------------------------------------------------ POSIX timers

    /** Puts a timer on the clock it counts: CPU time of a process or thread, else monotonic. */
    private static void bindClock(Task t, TimerQueue.Timer tm, int clk) {
        if (clk == CLOCK_PROCESS_CPUTIME_ID) {
            tm.onProcessCpu(t.tg);
        } else if (clk == CLOCK_THREAD_CPUTIME_ID) {
            tm.onThreadCpu(t);
        } else if (clk < 0) {
            ThreadGroup g = cpuClockProcess(t, clk);
            if (g != null) {
                tm.onProcessCpu(g);
            } else {
                tm.onThreadCpu(cpuClockThread(t, clk));
            }
        } else {
            tm.onMonotonic();
        }
    }

    static long timerCreate(Task t, int clk, long sev, long idAddr) {
        checkTimerClock(t, clk);
        int notify = Timers.PosixTimer.SIGEV_SIGNAL;
        int signo = Signals.SIGALRM;
        long value = -1;
        Task target = null;
        if (sev != 0) {
            byte[] b = UserMemory.read(t, sev, 20);
            value = SignalFrame.getLong(b, 0);
            signo = SignalFrame.getInt(b, 8);
            notify = SignalFrame.getInt(b, 12);
            int kind = notify & ~Timers.PosixTimer.SIGEV_THREAD_ID;
            if (kind != Timers.PosixTimer.SIGEV_SIGNAL && kind != Timers.PosixTimer.SIGEV_NONE
                    && kind != Timers.PosixTimer.SIGEV_THREAD) {
                throw new SyscallError(Errno.EINVAL);
            }
            if ((notify & Timers.PosixTimer.SIGEV_THREAD_ID) != 0) {
                target = t.kernel.task(SignalFrame.getInt(b, 16));
                if (target == null || target.tg != t.tg || target.state == Task.DEAD) {
                    throw new SyscallError(Errno.EINVAL);
                }
            }
            if (kind != Timers.PosixTimer.SIGEV_NONE && !Signals.valid(signo)) {
                throw new SyscallError(Errno.EINVAL);
            }
        }
        Timers.PosixTimer p = t.tg.timers.createPosix(t.tg, clk);
        bindClock(t, p, clk);
        p.notify = notify;
        p.signo = signo;
        p.value = sev != 0 ? value : p.id;
        p.target = target;
        try {
            UserMemory.store32(t, idAddr, p.id);
        } catch (SyscallError e) {
            t.tg.timers.deletePosix(t.kernel, p.id);
            throw e;
        }
        return 0;
    }

    /** Arms {@code tm} (counting {@code clk}) from an itimerspec; 0 value disarms. */
    private static void armFromItimerspec(Task t, TimerQueue.Timer tm, int clk, boolean abs, long interval, long value) {
        TimerQueue q = t.kernel.timers;
        if (value == 0) {
            q.disarm(tm);
            return;
        }
        long now = tm.now(t.kernel);
        long expiry;
        if (!abs) {
            expiry = now + value < now ? Long.MAX_VALUE : now + value;
        } else if (isRealtime(clk)) {
            // the timer counts monotonic time: turn the wall-clock target into a monotonic one
            expiry = now + (value - clockNow(t, clk));
        } else {
            expiry = value;
        }
        q.arm(tm, expiry, interval);
    }

    private static void putItimerspec(Task t, TimerQueue.Timer tm, long addr) {
        byte[] b = new byte[32];
        long iv = tm.interval();
        long left = tm.remaining(t.kernel);
        SignalFrame.putLong(b, 0, iv / NS);
        SignalFrame.putLong(b, 8, iv % NS);
        SignalFrame.putLong(b, 16, left / NS);
        SignalFrame.putLong(b, 24, left % NS);
        UserMemory.write(t, addr, b);
    }

    static long timerSettime(Task t, int id, int flags, long nv, long old) {
        Timers.PosixTimer p = t.tg.timers.posix(id);
        if (nv == 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        long interval = readTimespec(t, nv);
        long value = readTimespec(t, nv + 16);
        if (old != 0) {
            putItimerspec(t, p, old);
        }
        armFromItimerspec(t, p, p.clockId, (flags & TIMER_ABSTIME) != 0, interval, value);
        return 0;
    }

    static long timerGettime(Task t, int id, long cur) {
        putItimerspec(t, t.tg.timers.posix(id), cur);
        return 0;
    }

    // ------------------------------------------------------------------ timerfd

    static long timerfdCreate(Task t, int clk, int flags) {
        if (clk != CLOCK_REALTIME && clk != CLOCK_MONOTONIC && clk != CLOCK_BOOTTIME
                && clk != CLOCK_REALTIME_ALARM && clk != CLOCK_BOOTTIME_ALARM) {
            throw new SyscallError(Errno.EINVAL);
        }
        if ((flags & ~(OpenFlags.O_CLOEXEC | OpenFlags.O_NONBLOCK)) != 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        if ((clk == CLOCK_REALTIME_ALARM || clk == CLOCK_BOOTTIME_ALARM) && t.cred().euid != 0) {
            throw new SyscallError(Errno.EPERM);
        }
        TimerFd f = new TimerFd(t.kernel, clk, flags);
        try {
            return t.files.install(f, 0, (flags & OpenFlags.O_CLOEXEC) != 0);
        } catch (SyscallError e) {
            f.decRef();
            throw e;
        }
    }

    private static TimerFd timerfd(Task t, int fd) {
        FileDescription f = t.files.get(fd);
        if (!(f instanceof TimerFd)) {
            throw new SyscallError(Errno.EINVAL);
        }
        return (TimerFd) f;
    }

    static long timerfdSettime(Task t, int fd, int flags, long nv, long old) {
        TimerFd f = timerfd(t, fd);
        if ((flags & ~(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET)) != 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        long interval = readTimespec(t, nv);
        long value = readTimespec(t, nv + 16);
        if (old != 0) {
            putItimerspec(t, f.timer, old);
        }
        f.resetTicks();
        // the wall clock is never set here, so TFD_TIMER_CANCEL_ON_SET never has cause to cancel
        armFromItimerspec(t, f.timer, f.clockId, (flags & TFD_TIMER_ABSTIME) != 0, interval, value);
        return 0;
    }

    static long timerfdGettime(Task t, int fd, long cur) {
        putItimerspec(t, timerfd(t, fd).timer, cur);
        return 0;
    }
}
