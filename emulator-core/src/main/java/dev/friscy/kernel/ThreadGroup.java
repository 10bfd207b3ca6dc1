package dev.friscy.kernel;

import dev.friscy.fs.Inode;
import dev.friscy.waiter.WaitQueue;

import java.util.ArrayList;

/**
 * A process: the tasks that share one pid (thread-group id), its place in the process tree,
 * its process group and session, credentials, and its exit status once it is a zombie.
 */
public final class ThreadGroup {
    public static final int RUNNING = 0;
    public static final int ZOMBIE = 1;
    public static final int REAPED = 2;

    public final int pid;
    public ThreadGroup parent;
    public final ArrayList<ThreadGroup> children = new ArrayList<>();
    public final ArrayList<Task> tasks = new ArrayList<>(1);
    public int pgid;
    public int sid;
    public Credentials cred = new Credentials();

    public int state = RUNNING;
    /** Wait status word once a zombie (code << 8, or signal number, + 0x80 if core). */
    public int exitStatus;
    /** Signal sent to the parent on exit (SIGCHLD for fork children). */
    public int exitSignal = Signals.SIGCHLD;
    /** Set while exit_group is tearing the group down. */
    public boolean exiting;
    /** Set by a successful execve (setpgid on such a child fails with EACCES). */
    public boolean execed;

    // job control: a pending report for wait(WUNTRACED) / wait(WCONTINUED)
    public boolean stopped;
    public int stopSignal;
    public boolean stopReportPending;
    public boolean continueReportPending;

    /** Process-wide pending signals. */
    public final SignalQueue sharedPending = new SignalQueue();
    /** Where this process's own waiters in wait4/waitid sleep (woken on any child state change). */
    public final WaitQueue childEvents = new WaitQueue();
    /** Woken whenever a signal is queued to this process or one of its threads (signalfd waits here). */
    public final WaitQueue signalArrivals = new WaitQueue();

    public byte[][] argv = new byte[0][];
    public byte[][] envp = new byte[0][];
    public String exePath = "";
    public Inode exe;
    public int pdeathSignal;
    public int dumpable = 1;
    public boolean noNewPrivs;
    public int nice;
    public long[][] rlimits = Rlimits.defaults();
    public long startNs;
    /** Instructions retired by exited threads and reaped children (the command line's statistics). */
    public long deadInstret;
    public long childrenInstret;
    /** CPU time of exited threads, and of reaped children with their own reaped children (see {@link CpuTime}). */
    public long deadUtimeNs;
    public long deadStimeNs;
    public long childUtimeNs;
    public long childStimeNs;
    public final Timers timers = new Timers();

    ThreadGroup(int pid) {
        this.pid = pid;
    }

    public Task leader() {
        for (Task t : tasks) {
            if (t.tid == pid) {
                return t;
            }
        }
        return tasks.isEmpty() ? null : tasks.get(0);
    }

    public boolean isZombie() {
        return state != RUNNING;
    }

    public String stateName() {
        return state == RUNNING ? (stopped ? "Stopped" : "Running") : state == ZOMBIE ? "Exited" : "Reaped";
    }
}
