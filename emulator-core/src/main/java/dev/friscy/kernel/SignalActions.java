package dev.friscy.kernel;

/** The sigaction table of a process (shared by its threads under CLONE_SIGHAND). */
public final class SignalActions {
    public static final long SIG_DFL = 0;
    public static final long SIG_IGN = 1;

    public static final int SA_NOCLDSTOP = 1;
    public static final int SA_NOCLDWAIT = 2;
    public static final int SA_SIGINFO = 4;
    public static final int SA_RESTORER = 0x04000000;
    public static final int SA_ONSTACK = 0x08000000;
    public static final int SA_RESTART = 0x10000000;
    public static final int SA_NODEFER = 0x40000000;
    public static final int SA_RESETHAND = 0x80000000;

    public final long[] handler = new long[Signals.NSIG + 1];
    public final int[] flags = new int[Signals.NSIG + 1];
    public final long[] mask = new long[Signals.NSIG + 1];
    public final long[] restorer = new long[Signals.NSIG + 1];

    public SignalActions copy() {
        SignalActions c = new SignalActions();
        System.arraycopy(handler, 0, c.handler, 0, handler.length);
        System.arraycopy(flags, 0, c.flags, 0, flags.length);
        System.arraycopy(mask, 0, c.mask, 0, mask.length);
        System.arraycopy(restorer, 0, c.restorer, 0, restorer.length);
        return c;
    }

    /** execve: caught signals go back to their default; ignored ones stay ignored. */
    public void resetForExec() {
        for (int s = 1; s <= Signals.NSIG; s++) {
            if (handler[s] != SIG_IGN) {
                handler[s] = SIG_DFL;
            }
            flags[s] = 0;
            mask[s] = 0;
            restorer[s] = 0;
        }
    }
}
