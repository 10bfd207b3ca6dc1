package dev.friscy.kernel;

/**
 * System calls by riscv64 number (asm-generic). Each family file registers its own calls, so
 * finding a call's implementation is: its name -> its family file (SysFile, SysProcess, ...).
 *
 * A handler returns the result (>= 0 or a negative errno), throws {@link SyscallError}, or
 * returns {@link #BLOCKED} after parking the task (the call re-runs on wake-up), or
 * {@link #NO_RETURN} when it has set the registers itself (execve, rt_sigreturn, exit).
 */
public final class SyscallTable {
    /** Not a possible result: user addresses are below 2^47 and errors above -4096. */
    public static final long BLOCKED = 0x8000_0000_0000_0001L;
    public static final long NO_RETURN = 0x8000_0000_0000_0002L;
    /** From an {@link InterruptHook}: no result of its own, the usual EINTR / SA_RESTART rule applies. */
    public static final long USUAL = 0x8000_0000_0000_0003L;

    /**
     * What a blocked call returns when a signal handler cuts it short, for calls that owe the
     * guest more than EINTR: the bytes a long pipe write already moved, nanosleep's remaining
     * time. Returns a result, or {@link #USUAL}.
     */
    @FunctionalInterface
    public interface InterruptHook {
        long interrupted(Task t);
    }

    public static final int MAX = 512;
    private final Syscall[] handlers = new Syscall[MAX];
    private final String[] names = new String[MAX];
    private final InterruptHook[] interruptHooks = new InterruptHook[MAX];

    public SyscallTable() {
        SysProcess.register(this);
        SysWait.register(this);
        SysExec.register(this);
        SysIdentity.register(this);
        SysMemory.register(this);
        SysFile.register(this);
        SysFs.register(this);
        SysPipe.register(this);
        SysPoll.register(this);
        SysSignal.register(this);
        SysTime.register(this);
        SysFutex.register(this);
        SysInfo.register(this);
        SysShm.register(this);
        SysSem.register(this);
        SysMsg.register(this);
    }

    public void add(int nr, String name, Syscall s) {
        if (handlers[nr] != null) {
            throw new IllegalStateException("system call " + nr + " registered twice (" + names[nr] + ", " + name + ")");
        }
        handlers[nr] = s;
        names[nr] = name;
    }

    public void onInterrupt(int nr, InterruptHook h) {
        if (interruptHooks[nr] != null) {
            throw new IllegalStateException("interrupt hook for " + nr + " registered twice");
        }
        interruptHooks[nr] = h;
    }

    /** Called by signal delivery before it ends a blocked call {@code nr} with EINTR or restarts it. */
    long interrupted(Task t, long nr) {
        InterruptHook h = nr >= 0 && nr < MAX ? interruptHooks[(int) nr] : null;
        return h == null ? USUAL : h.interrupted(t);
    }

    public Syscall get(long nr) {
        return nr >= 0 && nr < MAX ? handlers[(int) nr] : null;
    }

    public String name(long nr) {
        String n = nr >= 0 && nr < MAX ? names[(int) nr] : null;
        return n != null ? n : "syscall_" + nr;
    }
}
