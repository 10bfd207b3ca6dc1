package dev.friscy.kernel;

/**
 * CPU time of tasks and processes, as times, getrusage, wait4/waitid, /proc/PID/stat and the
 * CPU-time clocks report it.
 *
 * A task's CPU time is the host time spent running it: the scheduler reads the host's CPU
 * clock ({@link dev.friscy.host.Host#cpuClockNanos}: System.nanoTime on the JVM,
 * performance.now() in the Worker) when it starts and stops a task, and on entering and leaving
 * each system call; time inside system calls is system time, the rest user time. A blocked task
 * is not running, so `time sleep 1` shows (almost) no CPU time and a busy loop shows its time.
 * Counting instructions instead would say nothing true: their cost varies a hundredfold between
 * the interpreter, the translator and the JVM's JIT. The time includes host-side pauses while the
 * task is on the emulated CPU (the host thread being preempted, a garbage collection), as a
 * virtual machine's guest sees its vCPU's steal time as its own. Time the translator spends
 * compiling guest code (Jit.nanos) is left out: a real CPU has no such cost, and translating at
 * first sight would otherwise charge a thread that only called pthread_create with 100+ ms. In a Worker without
 * cross-origin isolation performance.now() is coarsened to 0.1 ms (with jitter), so short runs
 * are measured in coarse but unbiased steps.
 *
 * Totals follow Linux: a process's time is that of its live threads plus its exited ones; its
 * children's time counts the children it has reaped (waited for, or auto-reaped) and, through
 * them, their reaped descendants; a zombie not yet reaped counts for no one but itself.
 */
public final class CpuTime {
    /** Clock ticks per second of times() and /proc (USER_HZ). */
    public static final long USER_HZ = 100;
    public static final long NS_PER_TICK = 1_000_000_000L / USER_HZ;

    private CpuTime() {
    }

    /** User time of the process: live threads and exited ones. */
    public static long processUser(ThreadGroup g) {
        return g.deadUtimeNs + live(g, false);
    }

    /** System time of the process: live threads and exited ones. */
    public static long processSystem(ThreadGroup g) {
        return g.deadStimeNs + live(g, true);
    }

    /** The live threads' system or user time (an exited thread's is in the process's dead account). */
    private static long live(ThreadGroup g, boolean system) {
        long n = 0;
        for (Task t : g.tasks) {
            if (t.state != Task.DEAD) {
                n += system ? t.stimeNs : t.utimeNs;
            }
        }
        return n;
    }

    public static long process(ThreadGroup g) {
        return processUser(g) + processSystem(g);
    }

    public static long thread(Task t) {
        return t.utimeNs + t.stimeNs;
    }

    /** Brings the running task's counters up to now, so a reading taken inside a system call is current. */
    public static void catchUp(Kernel k) {
        k.chargeCpu();
    }

    /** A task ends: its time moves to the process's account of exited threads. */
    static void threadEnded(Kernel k, Task t) {
        if (k.charging() == t) {
            k.chargeCpu();
            k.stopCharging(); // what is left of this system call is no one's
        }
        ThreadGroup g = t.tg;
        g.deadUtimeNs += t.utimeNs;
        g.deadStimeNs += t.stimeNs;
    }

    /** A zombie is reaped: its time and its own children's join its parent's children account. */
    static void reaped(ThreadGroup g) {
        if (g.parent != null) {
            g.parent.childUtimeNs += processUser(g) + g.childUtimeNs;
            g.parent.childStimeNs += processSystem(g) + g.childStimeNs;
        }
    }

    /** ns to whole clock ticks (times(), /proc). */
    public static long ticks(long ns) {
        return ns / NS_PER_TICK;
    }
}
