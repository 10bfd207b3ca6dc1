package dev.friscy.kernel;

import dev.friscy.cpu.Cpu;
import dev.friscy.cpu.Hart;
import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.fs.Vfs;
import dev.friscy.host.Host;
import dev.friscy.waiter.Readiness;
import dev.friscy.waiter.WaitQueue;

import java.util.ArrayList;
import java.util.HashMap;

/**
 * The emulated Linux kernel: the process table, the scheduler and the system-call dispatcher.
 * The host owns the only thread and calls {@link #run} repeatedly; the kernel never blocks it.
 */
public final class Kernel {
    /** {@link #run} results. */
    public static final int RUN_MORE = 0;
    public static final int RUN_IDLE = 1;
    public static final int RUN_EXITED = 2;

    /** Guest memory when the host sets none: what fits a browser tab and the JVM's default heap. */
    public static final long DEFAULT_MEMORY = 1L << 30;

    /**
     * Sets the session's memory (bytes, rounded down to pages). Fails if what is already in
     * use (the image's files) does not fit.
     */
    public void setMemoryLimit(long bytes) throws BootException {
        long pages = bytes >> 12;
        long used = oomKiller.pagesInUse();
        if (used + MEMORY_HEADROOM_PAGES > pages) {
            throw new BootException("a memory limit of " + (bytes >> 20) + " MiB is too small: the files already take "
                    + (used >> 8) + " MiB");
        }
        memory.setLimitPages(pages);
    }

    /** Room a session needs beyond its files to start a program at all. */
    private static final long MEMORY_HEADROOM_PAGES = 1024;

    /** Instructions a task runs before the scheduler moves on. */
    public static final long QUANTUM = 200_000;

    public final Host host;
    public final Vfs vfs;
    public final ProcessEvents events;
    public final SyscallTable syscalls;
    /** The terminal: line discipline, controlling session, foreground group. */
    public final Terminal tty;
    /** Pseudo-terminals (/dev/ptmx, /dev/pts). */
    public final Ptys ptys;
    /** The process-table size the host asked for (--max-procs), or 0 to follow kernel/threads-max. */
    private final int maxProcessesSet;

    private final HashMap<Integer, ThreadGroup> processes = new HashMap<>();
    private final HashMap<Integer, Task> tasks = new HashMap<>();
    private final RunQueue runQueue = new RunQueue();
    private final ArrayList<Task> timed = new ArrayList<>();
    /** Interval timers, POSIX timers and timerfds that are armed. */
    public final TimerQueue timers = new TimerQueue();
    private int nextPid = 1;
    private final long bootNs;

    public ThreadGroup init;
    private boolean initExited;
    /** The task whose instructions or system call are executing now. */
    public Task current;
    private Task lastRan;

    /** When set, each system call is reported here in strace style. */
    public java.util.function.Consumer<String> strace;
    /** Diagnostics such as "friscy: pid 7 killed by SIGSEGV at pc=...". */
    public java.util.function.Consumer<String> diagnostics;
    /** Shared futex wait queues, keyed by address space and address. */
    public final Futexes futexes = new Futexes();
    /** The session's memory: every guest page and file page, against its limit (see {@link #setMemoryLimit}). */
    public final dev.friscy.mem.MemoryAccount memory;
    private final OomKiller oomKiller;
    /**
     * Freed when the host's heap runs out after all (the account's limit set too high for it):
     * room for killing the largest process and reporting it. Taken again once there is room.
     */
    private byte[] oomReserve = new byte[1 << 20];
    /** System V shared memory, semaphores and message queues. */
    public final SysvIpc ipc = new SysvIpc(this);
    /** Tasks blocked in F_SETLKW and the lock owner each waits for (deadlock detection). */
    final java.util.IdentityHashMap<Task, Object> lockWaits = new java.util.IdentityHashMap<>();
    /** The /proc/sys tunables the kernel enforces. */
    public final Sysctl sysctl = new Sysctl();
    /**
     * Counts sync, syncfs, fsync and fdatasync calls: the file system lives in memory, so they
     * complete at once, and a host that keeps the file system elsewhere (the page's browser
     * storage) reads and clears this to save it then.
     */
    public int syncRequests;
    /** Java exceptions that escaped a system call or the interpreter (each a bug, contained by SIGSYS). */
    public int internalErrors;
    /** Sockets' names and ports (AF_UNIX, loopback TCP and UDP). */
    public final dev.friscy.net.Network net = new dev.friscy.net.Network();
    public String hostname = "friscy";
    public String domainname = "(none)";

    public Kernel(Host host, Vfs vfs, int maxProcesses, int eventCapacity) {
        this.host = host;
        this.vfs = vfs;
        this.maxProcessesSet = Math.max(0, maxProcesses);
        this.events = new ProcessEvents(eventCapacity);
        this.syscalls = new SyscallTable();
        this.bootNs = host.monotonicNanos();
        this.tty = new Terminal(this);
        this.ptys = new Ptys(this);
        net.paths = new SocketPaths();
        net.host = host.network();
        vfs.clock = this::realtimeNs;
        this.memory = vfs.memory;
        this.oomKiller = new OomKiller(this);
        memory.recount = oomKiller;
        memory.setLimitPages(DEFAULT_MEMORY >> 12);
    }

    public Kernel(Host host, Vfs vfs) {
        this(host, vfs, 0, ProcessEvents.DEFAULT_CAPACITY);
    }

    /**
     * kernel/threads-max: what root set, else sized from the memory limit as Linux sizes it
     * (every task also costs the memory account its address-space pages, which bounds them too).
     */
    public int threadsMax() {
        return sysctl.threadsMax > 0 ? sysctl.threadsMax : Sysctl.threadsMaxFor(memory.limitPages() << 12);
    }

    /** Most processes at once: the host's --max-procs, else threads-max. */
    public int maxProcesses() {
        return maxProcessesSet > 0 ? maxProcessesSet : threadsMax();
    }

    /** Most tasks (threads) at once. */
    public int maxTasks() {
        return maxProcessesSet > 0 ? maxProcessesSet * 8 : threadsMax();
    }

    // ------------------------------------------------------------------ clocks

    public long nowNs() {
        return host.monotonicNanos();
    }

    /** CLOCK_REALTIME as the guest sees it: the host's, plus what root set with clock_settime. */
    public long realtimeNs() {
        return host.realtimeNanos() + realtimeOffsetNs;
    }

    /** What clock_settime(CLOCK_REALTIME) added to the host's wall clock (the host's is never changed). */
    public long realtimeOffsetNs;

    /** Guest monotonic time since boot in ms, for process events. */
    public long uptimeMs() {
        return uptimeNs() / 1_000_000;
    }

    /** The last uptimeNs() returned: the guest's monotonic clocks never go back, whatever the host's does. */
    private long lastUptimeNs;

    public long uptimeNs() {
        long n = host.monotonicNanos() - bootNs;
        if (n < lastUptimeNs) {
            return lastUptimeNs;
        }
        lastUptimeNs = n;
        return n;
    }

    // ------------------------------------------------------------------ process table

    public ThreadGroup process(int pid) {
        ThreadGroup g = processes.get(pid);
        return g != null && g.state != ThreadGroup.REAPED ? g : null;
    }

    public Task task(int tid) {
        return tasks.get(tid);
    }

    public Iterable<ThreadGroup> processes() {
        return new ArrayList<>(processes.values());
    }

    public int processCount() {
        return processes.size();
    }

    private int allocateId() {
        for (int tries = 0; tries < 1 << 22; tries++) {
            int id = nextPid++;
            if (nextPid >= sysctl.pidMax) {
                nextPid = 300;
            }
            if (!tasks.containsKey(id) && !processes.containsKey(id)) {
                return id;
            }
        }
        throw new SyscallError(Errno.EAGAIN);
    }

    /** A new process with one task (its leader); EAGAIN when the table is full. */
    ThreadGroup newProcess() {
        if (processes.size() >= maxProcesses() || tasks.size() >= maxTasks()) {
            throw new SyscallError(Errno.EAGAIN);
        }
        int pid = allocateId();
        ThreadGroup g = new ThreadGroup(pid);
        g.startNs = uptimeNs();
        processes.put(pid, g);
        Task t = new Task(this, pid);
        t.tg = g;
        g.tasks.add(t);
        tasks.put(pid, t);
        return g;
    }

    /** A new thread in {@code g}. */
    Task newThread(ThreadGroup g) {
        if (tasks.size() >= maxTasks()) {
            throw new SyscallError(Errno.EAGAIN);
        }
        Task t = new Task(this, allocateId());
        t.tg = g;
        g.tasks.add(t);
        tasks.put(t.tid, t);
        return t;
    }

    void forgetTask(Task t) {
        tasks.remove(t.tid);
    }

    void forgetProcess(ThreadGroup g) {
        processes.remove(g.pid);
    }

    // ------------------------------------------------------------------ scheduling

    /** Queues a runnable task that has just run (its slice ended) or is queued already. */
    void enqueue(Task t) {
        if (!t.queued && t.state == Task.RUNNABLE) {
            t.queued = true;
            runQueue.add(t);
        }
    }

    /** Queues a task that was not runnable (woken, continued): it runs soon (see {@link RunQueue}). */
    void enqueueWoken(Task t) {
        if (t.state == Task.RUNNABLE) {
            runQueue.placeWoken(t);
            enqueue(t);
        }
    }

    /** Queues a new task (fork, clone): it starts at its creator's virtual run time. */
    void enqueueNew(Task t, Task creator) {
        runQueue.placeNew(t, creator == null ? 0 : creator.vruntime);
        enqueue(t);
    }

    /**
     * Parks {@code t} on the given queues until one is woken or {@code deadlineNs} (absolute
     * monotonic, -1 for none) passes. Returns {@link SyscallTable#BLOCKED} for the handler to return.
     */
    public long block(Task t, long deadlineNs, WaitQueue... queues) {
        return block(t, deadlineNs, queues, null, null);
    }

    /**
     * As {@link #block(Task, long, WaitQueue...)}, also parking {@code t} as an exclusive waiter
     * on {@code exclusive[i]} for what {@code ready[i]} tells (epoll_wait on EPOLLEXCLUSIVE items):
     * a wake-up there rouses only one exclusive waiter.
     */
    public long block(Task t, long deadlineNs, WaitQueue[] queues, WaitQueue[] exclusive, Readiness[] ready) {
        if (t == current && !t.uninterruptible && SignalDelivery.hasDeliverable(t)) {
            // a signal came while the call ran (one it sent itself, e.g. a terminal's SIGTTIN):
            // as Linux checks signal_pending before sleeping, act on it now; the call then
            // restarts or ends with EINTR as for any wait it interrupts
            t.interrupted = true;
            t.restarting = true;
            return SyscallTable.BLOCKED;
        }
        t.state = Task.BLOCKED;
        for (WaitQueue q : queues) {
            if (q != null) {
                q.add(t);
                t.waitingOn.add(q);
            }
        }
        if (exclusive != null) {
            for (int i = 0; i < exclusive.length; i++) {
                exclusive[i].addExclusive(t, ready[i]);
                if (!t.waitingOn.contains(exclusive[i])) {
                    t.waitingOn.add(exclusive[i]);
                }
            }
        }
        t.deadline = deadlineNs;
        if (deadlineNs >= 0) {
            timed.add(t);
        }
        return SyscallTable.BLOCKED;
    }

    /** Makes a blocked task runnable; it re-runs the system call it blocked in. */
    public void wake(Task t) {
        if (t.state != Task.BLOCKED) {
            return;
        }
        for (WaitQueue q : t.waitingOn) {
            q.remove(t);
        }
        t.waitingOn.clear();
        if (t.deadline >= 0) {
            timed.remove(t);
            t.deadline = -1;
        }
        t.state = Task.RUNNABLE;
        t.restarting = true;
        enqueueWoken(t);
    }

    private void fireTimers(long now) {
        for (int i = timed.size() - 1; i >= 0; i--) {
            if (i >= timed.size()) {
                continue;
            }
            Task t = timed.get(i);
            if (t.state != Task.BLOCKED) {
                timed.remove(i);
                continue;
            }
            if (t.deadline >= 0 && now >= t.deadline) {
                t.timedOut = true;
                wake(t);
            }
        }
        timers.fire(this);
    }

    /** The earliest pending deadline (absolute monotonic ns), or -1 if none. */
    public long nextDeadline() {
        long d = -1;
        for (Task t : timed) {
            if (t.state == Task.BLOCKED && (d < 0 || t.deadline < d)) {
                d = t.deadline;
            }
        }
        long td = timers.next(this);
        if (td >= 0 && (d < 0 || td < d)) {
            d = td;
        }
        return d;
    }

    public boolean initExited() {
        return initExited;
    }

    /** Wait status of init once it has exited. */
    public int initStatus() {
        return init == null ? 0 : init.exitStatus;
    }

    /**
     * Runs runnable tasks round-robin for about {@code budget} instructions. Returns RUN_MORE if
     * work remains, RUN_IDLE if every task is blocked (see {@link #nextDeadline}), RUN_EXITED once
     * init has exited.
     */
    public int run(long budget) {
        long done = 0;
        while (done < budget) {
            if (initExited) {
                return RUN_EXITED;
            }
            fireTimers(host.monotonicNanos());
            Task t = runQueue.poll();
            if (t == null) {
                return initExited ? RUN_EXITED : RUN_IDLE;
            }
            t.queued = false;
            if (t.state != Task.RUNNABLE) {
                continue;
            }
            if (oomReserve == null) {
                try {
                    oomReserve = new byte[1 << 20];
                } catch (OutOfMemoryError stillFull) {
                    // not yet: the next pass tries again
                }
            }
            try {
                done += runSlice(t, Math.min(QUANTUM, budget - done));
            } catch (OutOfMemoryError e) {
                // the host's heap ran out below the session's limit: free the reserve first, so
                // that killing and reporting have room, then do what Linux's OOM killer does
                oomReserve = null;
                current = null;
                hostOutOfMemory++;
                oomKiller.kill(t);
            } catch (RuntimeException | StackOverflowError e) {
                // an emulator bug must cost the guest process, never the emulator or the page;
                // tests fail on the count (and the "internal error" line), so bugs cannot hide here
                internalErrors++;
                StackTraceElement[] st = e.getStackTrace();
                contain(t, "internal error " + e + (st.length > 0 ? " at " + st[0] : "")
                        + " (system call " + syscalls.name(t.hart.x[17]) + ", pc=0x" + Long.toHexString(t.hart.pc) + ")",
                        Signals.SIGSYS);
            }
            if (t.state == Task.RUNNABLE) {
                enqueue(t);
            }
        }
        return initExited ? RUN_EXITED : RUN_MORE;
    }

    private long runSlice(Task t, long slice) {
        current = t;
        Hart h = t.hart;
        if (lastRan != t) {
            h.reservation = -1;
            lastRan = t;
        }
        long start = h.instret;
        startCharging(t);
        runQueue.takeWoken();
        try {
            runTask(t, slice);
        } finally {
            chargeCpu();
            stopCharging();
        }
        current = null;
        long used = Math.max(1, h.instret - start);
        RunQueue.charge(t, used);
        return used;
    }

    private void runTask(Task t, long slice) {
        Hart h = t.hart;
        long start = h.instret;
        long used = 0;
        while (t.state == Task.RUNNABLE) {
            if (t.restarting && !t.interrupted) {
                // woken normally: finish (or re-block) the system call before anything else
                dispatch(t);
                continue;
            }
            if (SignalDelivery.deliverPending(this, t)) {
                continue;
            }
            if (t.state != Task.RUNNABLE) {
                break;
            }
            if (t.restarting) {
                dispatch(t);
                continue;
            }
            if (used >= slice) {
                break;
            }
            boolean profiling = PcProfile.on;
            int r = Cpu.run(h, profiling ? PcProfile.chunk(slice - used) : slice - used);
            used = h.instret - start;
            if (profiling && r == Cpu.EXIT_BUDGET) {
                PcProfile.sample(t, h.pc);
                if (used < slice) {
                    continue; // the rest of the slice, as if it had run in one go
                }
            }
            switch (r) {
                case Cpu.EXIT_ECALL:
                    dispatch(t);
                    if (t.yieldNow) {
                        t.yieldNow = false;
                        used = slice;
                        runQueue.yieldBehind(t);
                    } else if (runQueue.wokenAhead(t, used)) {
                        used = slice; // the call woke a task that has had much less CPU: it runs now
                    }
                    break;
                case Cpu.EXIT_BUDGET:
                    break;
                case Cpu.EXIT_FAULT:
                    if (h.as.faultSignal == dev.friscy.mem.AddressSpace.SIG_OOM) {
                        // the session's memory is full: free some, then the access runs again
                        h.as.clearFault();
                        outOfMemory(t);
                        break;
                    }
                    if (h.as.faultSignal == Signals.SIGSEGV && SysMemory.growDown(t, h.as.faultAddr)) {
                        h.as.clearFault(); // a MAP_GROWSDOWN area grew: the access runs again
                        break;
                    }
                    SignalDelivery.fault(this, t, h.as.faultSignal, h.as.faultCode, h.as.faultAddr);
                    h.as.clearFault();
                    break;
                case Cpu.EXIT_ILLEGAL:
                    SignalDelivery.fault(this, t, Signals.SIGILL, 1 /* ILL_ILLOPC */, h.pc);
                    break;
                case Cpu.EXIT_EBREAK:
                    SignalDelivery.fault(this, t, Signals.SIGTRAP, 1 /* TRAP_BRKPT */, h.pc);
                    break;
                default:
                    throw new IllegalStateException("unknown cpu exit " + r);
            }
            if (r == Cpu.EXIT_BUDGET) {
                break;
            }
        }
    }

    // ------------------------------------------------------------------ CPU time (see CpuTime)

    /** The task whose CPU time the host clock is counting now, or null. */
    private Task charged;
    /** Host CPU clock when {@link #charged} was last charged. */
    private long chargeMark;
    /** True while {@link #charged} is inside a system call: its time is system time. */
    private boolean chargeSystem;

    /** {@link dev.friscy.jit.Jit#nanos} at {@link #chargeMark}: translation time is no task's (see CpuTime). */
    private long chargeJitMark;

    private void startCharging(Task t) {
        charged = t;
        chargeSystem = false;
        chargeMark = host.cpuClockNanos();
        chargeJitMark = dev.friscy.jit.Jit.nanos;
    }

    Task charging() {
        return charged;
    }

    void stopCharging() {
        charged = null;
    }

    /** Adds the host time since the last mark to the running task, as user or system time. */
    void chargeCpu() {
        Task t = charged;
        if (t == null) {
            return;
        }
        long now = host.cpuClockNanos();
        long jit = dev.friscy.jit.Jit.nanos;
        long d = now - chargeMark - (jit - chargeJitMark);
        chargeJitMark = jit;
        if (d > 0) {
            if (chargeSystem) {
                t.stimeNs += d;
            } else {
                t.utimeNs += d;
            }
        }
        chargeMark = now;
    }

    /** Times the host's heap ran out although the session's limit held (a limit set too high). */
    public int hostOutOfMemory;

    /** A task found the session's memory full: the OOM killer frees some (the task may be its victim). */
    void outOfMemory(Task t) {
        oomKiller.kill(t);
    }

    /** Ends the process of {@code t} after a failure of the emulator's own making. */
    private void contain(Task t, String why, int sig) {
        current = null;
        diagnostic("friscy: pid " + t.pid() + " (" + t.comm + ") killed: " + why);
        if (t.state != Task.DEAD) {
            t.state = Task.RUNNABLE;
        }
        Lifecycle.exitGroup(this, t.tg, sig);
    }

    /** Runs the system call at t's pc (a fresh ecall or a restart after wake-up). */
    private void dispatch(Task t) {
        Hart h = t.hart;
        long[] x = h.x;
        long nr = x[17];
        Syscall s = syscalls.get(nr);
        long r;
        current = t;
        String[] shown = strace != null ? StraceFormat.arguments(t, nr) : null;
        chargeCpu();
        chargeSystem = true;
        try {
            r = s == null ? -syscalls.errno(nr) : s.call(t, x[10], x[11], x[12], x[13], x[14], x[15]);
        } catch (SyscallError e) {
            r = -e.errno;
        } finally {
            chargeCpu();
            chargeSystem = false;
        }
        if (r == SyscallTable.BLOCKED) {
            return;
        }
        if (strace != null) {
            traceCall(t, nr, r, shown);
        }
        t.restarting = false;
        t.timedOut = false;
        t.interrupted = false;
        t.restart.clear();
        if (r == SyscallTable.NO_RETURN) {
            return;
        }
        x[10] = r;
        h.pc += 4;
    }

    private void traceCall(Task t, long nr, long r, String[] shown) {
        long[] x = t.hart.x;
        StringBuilder sb = new StringBuilder();
        sb.append('[').append(t.tid).append("] ").append(syscalls.name(nr)).append('(');
        for (int i = 0; i < 6; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            long v = x[10 + i];
            if (shown != null && shown[i] != null) {
                sb.append(shown[i]);
            } else {
                sb.append(v >= -4096 && v < 4096 ? Long.toString(v) : "0x" + Long.toHexString(v));
            }
        }
        sb.append(") = ");
        if (r == SyscallTable.NO_RETURN) {
            sb.append('?');
        } else if (r < 0 && r >= -4095) {
            sb.append("-1 ").append(Errno.name((int) -r));
        } else {
            sb.append(r >= 0 && r < 1 << 20 ? Long.toString(r) : "0x" + Long.toHexString(r));
        }
        strace.accept(sb.toString());
    }

    /** Called by the exit path when init becomes a zombie. */
    void initDied() {
        initExited = true;
    }

    public void diagnostic(String msg) {
        if (diagnostics != null) {
            diagnostics.accept(msg);
        }
    }

    // ------------------------------------------------------------------ host input

    /** Keyboard/pipe bytes from the host into the terminal (or the stdin stream). */
    public void consoleInput(byte[] data, int off, int len) {
        if (hostStdin != null) {
            hostStdin.feed(data, off, len);
        } else {
            tty.ldisc.input(data, off, len);
        }
    }

    /** End of input from the host (a pipe on stdin closed). */
    public void consoleEof() {
        if (hostStdin != null) {
            hostStdin.endOfInput();
        } else {
            tty.ldisc.hangupInput();
        }
    }

    // ------------------------------------------------------------------ boot

    /** Why init could not be started. */
    public static final class BootException extends Exception {
        public BootException(String message) {
            super(message, null, false, false);
        }
    }

    private HostStream hostStdin;

    /**
     * Creates pid 1 (session and group leader, root, fds 0-2 on the terminal) and execs
     * {@code path} in it. With {@code terminal} false, fds 0-2 are plain host streams instead
     * (the command line fed by pipes); /dev/tty still works.
     */
    public ThreadGroup startInit(String path, String[] argv, String[] envp, String cwd, boolean terminal)
            throws BootException {
        if (init != null) {
            throw new BootException("init already started");
        }
        ThreadGroup g = newProcess();
        Task t = g.leader();
        g.pgid = g.pid;
        g.sid = g.pid;
        g.cred = new Credentials();
        // Linux gives init RLIMIT_NPROC of half of threads-max (fork_init); everyone inherits it
        long nproc = threadsMax() / 2;
        g.rlimits[Rlimits.NPROC] = new long[] {nproc, nproc};
        t.mm = new dev.friscy.mem.AddressSpace();
        t.hart.as = t.mm;
        if (!t.mm.attach(memory)) {
            forgetTask(t);
            forgetProcess(g);
            throw new BootException("no memory left to start init (see --memory)");
        }
        t.files = new dev.friscy.fs.FdTable();
        dev.friscy.fs.Inode wd;
        try {
            wd = vfs.resolve(new dev.friscy.fs.FsContext(vfs.root, vfs.root), vfs.root, cwd == null ? "/" : cwd, true);
        } catch (SyscallError e) {
            forgetTask(t);
            forgetProcess(g);
            throw new BootException("working directory " + cwd + ": " + Errno.name(e.errno));
        }
        if (!wd.isDir()) {
            forgetTask(t);
            forgetProcess(g);
            throw new BootException("working directory " + cwd + ": not a directory (ENOTDIR)");
        }
        t.fs = new dev.friscy.fs.FsContext(vfs.root, wd);
        t.sighand = new SignalActions();
        if (terminal) {
            dev.friscy.fs.FileDescription c = tty.open(dev.friscy.fs.OpenFlags.O_RDWR);
            t.files.installAt(0, c, false);
            c.incRef();
            t.files.installAt(1, c, false);
            c.incRef();
            t.files.installAt(2, c, false);
        } else {
            hostStdin = new HostStream(this, 0);
            t.files.installAt(0, hostStdin, false);
            t.files.installAt(1, new HostStream(this, 1), false);
            t.files.installAt(2, new HostStream(this, 2), false);
        }
        tty.attach(g.sid, g.pgid);
        init = g;
        events.spawn(uptimeMs(), g.pid, 0, g.pgid, g.sid);
        byte[][] av = new byte[argv.length][];
        for (int i = 0; i < argv.length; i++) {
            av[i] = argv[i].getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        }
        byte[][] ev = new byte[envp.length][];
        for (int i = 0; i < envp.length; i++) {
            ev[i] = envp[i].getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        }
        current = t;
        try {
            SysExec.exec(t, wd, path, null, av, ev, true);
        } catch (SyscallError e) {
            init = null;
            forgetTask(t);
            forgetProcess(g);
            throw new BootException("cannot execute " + path + ": " + Errno.name(e.errno));
        } finally {
            current = null;
        }
        enqueueNew(t, null);
        return g;
    }

    public void resize(int cols, int rows) {
        tty.ldisc.resize(cols, rows);
    }

    // ------------------------------------------------------------------ sessions

    /** True if some live process is in group {@code pgid} of session {@code sid}. */
    boolean groupInSession(int pgid, int sid) {
        for (ThreadGroup g : processes.values()) {
            if (g.pgid == pgid && g.sid == sid && !g.isZombie()) {
                return true;
            }
        }
        return false;
    }

    public String drainProcessEvents() {
        return events.drain();
    }
}
