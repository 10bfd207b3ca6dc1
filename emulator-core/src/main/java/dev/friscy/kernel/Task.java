package dev.friscy.kernel;

import dev.friscy.cpu.Hart;
import dev.friscy.fs.FdTable;
import dev.friscy.fs.FsContext;
import dev.friscy.mem.AddressSpace;
import dev.friscy.waiter.WaitQueue;
import dev.friscy.waiter.Waiter;

import java.util.ArrayList;

/**
 * A schedulable thread of execution (Linux's task_struct): its registers, the resources it
 * may share with other tasks (address space, fd table, fs context, signal actions), its
 * signal mask, and its scheduling state.
 */
public final class Task implements Waiter {
    public static final int RUNNABLE = 0;
    public static final int BLOCKED = 1;
    public static final int STOPPED = 2;
    public static final int DEAD = 3;

    public final Kernel kernel;
    public final Hart hart = new Hart();
    public final int tid;
    public ThreadGroup tg;

    // shareable resources (CLONE_VM, CLONE_FILES, CLONE_FS, CLONE_SIGHAND)
    public AddressSpace mm;
    public FdTable files;
    public FsContext fs;
    public SignalActions sighand;

    // scheduling
    public int state = RUNNABLE;
    boolean queued;
    /** Instructions run, scaled by the nice weight: the fair scheduler's key (see {@link RunQueue}). */
    long vruntime;
    /** Queue order among equal {@link #vruntime}s. */
    long runSeq;
    final ArrayList<WaitQueue> waitingOn = new ArrayList<>(2);
    /** Absolute monotonic deadline (ns) of the current block, or -1. */
    public long deadline = -1;
    /** True while a woken task re-runs the system call it blocked in. */
    public boolean restarting;
    /** Set when the wake-up came from the deadline passing. */
    public boolean timedOut;
    /** Set when a signal woke the task out of an interruptible block. */
    boolean interrupted;
    /** sched_yield: end this task's slice after the call. */
    public boolean yieldNow;
    /** What the blocked call keeps across its re-runs (deadline, bytes moved, ...). */
    final RestartBlock restart = new RestartBlock();
    /** Host time spent running this task outside and inside system calls (see {@link CpuTime}). */
    public long utimeNs;
    public long stimeNs;

    // signals
    public long sigmask;
    public final SignalQueue pending = new SignalQueue();
    /** Mask to restore after a handler started from rt_sigsuspend/ppoll/pselect runs, or -1. */
    public long savedSigmask;
    /** True while {@link #savedSigmask} holds a mask to restore (any 64-bit value is a valid mask). */
    public boolean hasSavedSigmask;
    public long altStackSp;
    public long altStackSize;
    public int altStackFlags = 2; // SS_DISABLE

    // thread bookkeeping
    public long clearChildTid;
    public long robustList;
    public long robustListLen;
    public String comm = "";
    /** The parent task blocked in vfork until this child execs or exits. */
    public Task vforkParent;
    public boolean vforkDone;
    /** Signals other than SIGKILL do not interrupt this block (a vfork parent). */
    public boolean uninterruptible;
    /** Exit code of this thread (for exit, not exit_group). */
    public int exitCode;
    /**
     * prctl PR_SET_TIMERSLACK: how late timers may fire (reported; the emulator's timers are as
     * exact as the host's), and what setting 0 returns to (the parent's slack at clone).
     */
    public long timerSlackNs = SysIdentity.DEFAULT_TIMER_SLACK_NS, defaultTimerSlackNs = SysIdentity.DEFAULT_TIMER_SLACK_NS;

    Task(Kernel kernel, int tid) {
        this.kernel = kernel;
        this.tid = tid;
    }

    public int pid() {
        return tg.pid;
    }

    public Credentials cred() {
        return tg.cred;
    }

    /** Woken from a wait queue: runnable again, re-runs the system call it blocked in. */
    @Override
    public void wakeUp() {
        kernel.wake(this);
    }

    @Override
    public String toString() {
        return "task " + tid + " (" + comm + ")";
    }
}
