package dev.friscy.kernel;

/** Resource limits (getrlimit/setrlimit/prlimit64), numbered as Linux's RLIMIT_*. */
public final class Rlimits {
    public static final long INFINITY = -1L;
    public static final int CPU = 0, FSIZE = 1, DATA = 2, STACK = 3, CORE = 4, RSS = 5, NPROC = 6, NOFILE = 7,
            MEMLOCK = 8, AS = 9, LOCKS = 10, SIGPENDING = 11, MSGQUEUE = 12, NICE = 13, RTPRIO = 14, RTTIME = 15;
    public static final int COUNT = 16;

    private Rlimits() {
    }

    public static long[][] defaults() {
        long[][] r = new long[COUNT][];
        for (int i = 0; i < COUNT; i++) {
            r[i] = new long[] {INFINITY, INFINITY};
        }
        r[STACK] = new long[] {8L << 20, INFINITY};
        r[CORE] = new long[] {0, INFINITY};
        r[NPROC] = new long[] {256, 256};
        r[NOFILE] = new long[] {1024, 4096};
        r[MEMLOCK] = new long[] {8L << 20, 8L << 20};
        r[SIGPENDING] = new long[] {1024, 1024};
        r[MSGQUEUE] = new long[] {819200, 819200};
        r[NICE] = new long[] {0, 0};
        r[RTPRIO] = new long[] {0, 0};
        return r;
    }

    public static long[][] copy(long[][] src) {
        long[][] r = new long[COUNT][];
        for (int i = 0; i < COUNT; i++) {
            r[i] = src[i].clone();
        }
        return r;
    }
}
