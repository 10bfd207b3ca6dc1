package dev.friscy.kernel;

/** The fields of a siginfo_t that the kernel fills in. */
public final class SigInfo {
    public static final int SI_USER = 0;
    public static final int SI_KERNEL = 0x80;
    public static final int SI_QUEUE = -1;
    public static final int SI_TIMER = -2;
    public static final int SI_TKILL = -6;
    public static final int CLD_EXITED = 1, CLD_KILLED = 2, CLD_DUMPED = 3, CLD_TRAPPED = 4, CLD_STOPPED = 5,
            CLD_CONTINUED = 6;

    public int signo;
    public int errno;
    public int code;
    public int pid;
    public int uid;
    /** SIGCHLD: exit code or signal. */
    public int status;
    /** Faults: the address. */
    public long addr;
    /** sigqueue / timers: the value. */
    public long value;
    public int timerId;
    public int overrun;
    /** An I/O event's signal (si_code POLL_IN ...): its poll band and fd (the _sigpoll fields). */
    public boolean sigpoll;
    public long band;
    public int fd;
    /**
     * Sent from outside the guest: the user's keyboard (^C) or the host. Like a signal from an
     * ancestor pid namespace, it reaches init even with the default action.
     */
    public boolean fromOutside;
    /** A synchronous fault: delivered even to init (Linux's force_sig clears SIGNAL_UNKILLABLE). */
    public boolean forced;

    public static SigInfo of(int signo, int code) {
        SigInfo i = new SigInfo();
        i.signo = signo;
        i.code = code;
        return i;
    }
}
