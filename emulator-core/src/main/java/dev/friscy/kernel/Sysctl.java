package dev.friscy.kernel;

import dev.friscy.errno.Errno;

/**
 * The tunables of /proc/sys that the kernel enforces (the System V IPC limits live in
 * {@link SysvIpc}). Root writes them through /proc/sys; each setter returns 0 or an errno
 * for a value Linux would refuse.
 */
public final class Sysctl {
    /** Linux's PID_MAX_LIMIT on 64-bit machines, and the lowest pid_max it accepts. */
    public static final int PID_MAX_LIMIT = 4_194_304;
    public static final int PID_MAX_MIN = 301;
    /** core_pattern holds at most CORENAME_MAX_SIZE - 1 bytes. */
    public static final int CORENAME_MAX = 127;

    /** Pids are handed out below this (kernel/pid_max). */
    public int pidMax = PID_MAX_LIMIT;
    /** kernel/tainted: bits only ever added. */
    public long tainted;
    public String corePattern = "core";
    /** fs/pipe-max-size: the most an unprivileged F_SETPIPE_SZ may ask for. */
    public int pipeMaxSize = 1 << 20;
    public long pipeUserPagesSoft = 16384;
    public long pipeUserPagesHard;
    /** vm/max_map_count: mappings per address space. */
    public int maxMapCount = 65530;
    /** kernel/threads-max as root set it; 0 while it follows the memory limit ({@link #threadsMaxFor}). */
    public int threadsMax;
    /** fs/lease-break-time: seconds a lease holder has to give way before the kernel breaks the lease. */
    public int leaseBreakTime = 45;

    /** Linux's MIN_THREADS and FUTEX_TID_MASK, the bounds of threads-max. */
    public static final int THREADS_MIN = 20, THREADS_MAX_LIMIT = 0x3fffffff;

    /**
     * threads-max for a memory size, as Linux sizes it at boot: one task per eight kernel stacks
     * (riscv64's THREAD_SIZE is 16 KiB, so one per 128 KiB), so the process table grows with the
     * memory a session is given.
     */
    public static int threadsMaxFor(long memoryBytes) {
        long n = memoryBytes / (8L * 16 * 1024);
        return (int) Math.max(THREADS_MIN, Math.min(THREADS_MAX_LIMIT, n));
    }

    public int setThreadsMax(String s) {
        Long v = parse(s);
        if (v == null || v < 1 || v > THREADS_MAX_LIMIT) {
            return Errno.EINVAL;
        }
        threadsMax = (int) (long) v;
        return 0;
    }

    public int setLeaseBreakTime(String s) {
        Long v = parse(s);
        if (v == null || v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            return Errno.EINVAL;
        }
        leaseBreakTime = (int) (long) v;
        return 0;
    }

    /** Parses a decimal integer as proc_dointvec does (surrounding blanks allowed); null if malformed. */
    public static Long parse(String s) {
        s = s.trim();
        if (s.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    public int setPidMax(String s) {
        Long v = parse(s);
        if (v == null || v < PID_MAX_MIN || v > PID_MAX_LIMIT) {
            return Errno.EINVAL;
        }
        pidMax = (int) (long) v;
        return 0;
    }

    public int setTainted(String s) {
        Long v = parse(s);
        if (v == null || v < 0) {
            return Errno.EINVAL;
        }
        tainted |= v;
        return 0;
    }

    public int setCorePattern(String s) {
        if (s.endsWith("\n")) {
            s = s.substring(0, s.length() - 1);
        }
        corePattern = s.length() > CORENAME_MAX ? s.substring(0, CORENAME_MAX) : s;
        return 0;
    }

    /** Rounds up to a power-of-two number of pages, as a pipe's size is. */
    public int setPipeMaxSize(String s) {
        Long v = parse(s);
        if (v == null || v <= 0 || v > 1L << 31) {
            return Errno.EINVAL;
        }
        long want = 4096;
        while (want < v) {
            want <<= 1;
        }
        if (want > Integer.MAX_VALUE) {
            return Errno.EINVAL;
        }
        pipeMaxSize = (int) want;
        return 0;
    }

    public int setPipeUserPagesSoft(String s) {
        Long v = parse(s);
        if (v == null || v < 0) {
            return Errno.EINVAL;
        }
        pipeUserPagesSoft = v;
        return 0;
    }

    public int setPipeUserPagesHard(String s) {
        Long v = parse(s);
        if (v == null || v < 0) {
            return Errno.EINVAL;
        }
        pipeUserPagesHard = v;
        return 0;
    }

    public int setMaxMapCount(String s) {
        Long v = parse(s);
        if (v == null || v < 0 || v > Integer.MAX_VALUE) {
            return Errno.EINVAL;
        }
        maxMapCount = (int) (long) v;
        return 0;
    }
}
