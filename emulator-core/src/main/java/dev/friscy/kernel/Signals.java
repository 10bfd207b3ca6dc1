package dev.friscy.kernel;

/** Signal numbers (riscv64 = asm-generic) and their default actions. */
public final class Signals {
    public static final int NSIG = 64;
    public static final int SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGILL = 4, SIGTRAP = 5, SIGABRT = 6, SIGBUS = 7,
            SIGFPE = 8, SIGKILL = 9, SIGUSR1 = 10, SIGSEGV = 11, SIGUSR2 = 12, SIGPIPE = 13, SIGALRM = 14,
            SIGTERM = 15, SIGSTKFLT = 16, SIGCHLD = 17, SIGCONT = 18, SIGSTOP = 19, SIGTSTP = 20, SIGTTIN = 21,
            SIGTTOU = 22, SIGURG = 23, SIGXCPU = 24, SIGXFSZ = 25, SIGVTALRM = 26, SIGPROF = 27, SIGWINCH = 28,
            SIGIO = 29, SIGPWR = 30, SIGSYS = 31, SIGRTMIN = 32;

    public static final int ACT_TERM = 0, ACT_CORE = 1, ACT_IGNORE = 2, ACT_STOP = 3, ACT_CONT = 4;

    /** Signals that cannot be caught, blocked or ignored. */
    public static final long UNBLOCKABLE = bit(SIGKILL) | bit(SIGSTOP);
    public static final long STOP_SIGNALS = bit(SIGSTOP) | bit(SIGTSTP) | bit(SIGTTIN) | bit(SIGTTOU);

    private static final String[] NAMES = {"0", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT",
        "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM",
        "SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU",
        "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS"};

    private Signals() {
    }

    public static long bit(int sig) {
        return 1L << (sig - 1);
    }

    public static boolean valid(long sig) {
        return sig >= 1 && sig <= NSIG;
    }

    public static String name(int sig) {
        return sig >= 0 && sig < NAMES.length ? NAMES[sig] : "SIGRT" + (sig - SIGRTMIN);
    }

    public static int defaultAction(int sig) {
        switch (sig) {
            case SIGQUIT: case SIGILL: case SIGTRAP: case SIGABRT: case SIGBUS: case SIGFPE: case SIGSEGV:
            case SIGXCPU: case SIGXFSZ: case SIGSYS:
                return ACT_CORE;
            case SIGCHLD: case SIGURG: case SIGWINCH:
                return ACT_IGNORE;
            case SIGSTOP: case SIGTSTP: case SIGTTIN: case SIGTTOU:
                return ACT_STOP;
            case SIGCONT:
                return ACT_CONT;
            default:
                return ACT_TERM;
        }
    }
}
