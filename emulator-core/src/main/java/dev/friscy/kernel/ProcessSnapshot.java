package dev.friscy.kernel;

import dev.friscy.errno.Errno;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The process table as a host shows it (the page's process panel, like ps): each process's
 * ids, state, command line and CPU time, as JSON; and signals a host user sends to a process.
 */
public final class ProcessSnapshot {
    private ProcessSnapshot() {
    }

    /**
     * A JSON array, by pid: {@code {pid, ppid, pgid, sid, state, comm, argv, argc, threads,
     * utimeMs, stimeMs}}; {@code state} is ps's letter: R running (or runnable), S sleeping
     * (blocked in a system call), T stopped, Z zombie; argv is bounded as in exec events.
     */
    public static String json(Kernel k) {
        CpuTime.catchUp(k);
        List<ThreadGroup> all = new ArrayList<>();
        for (ThreadGroup g : k.processes()) {
            if (g.state != ThreadGroup.REAPED) {
                all.add(g);
            }
        }
        all.sort(Comparator.comparingInt(g -> g.pid));
        StringBuilder sb = new StringBuilder(64 + all.size() * 128);
        sb.append('[');
        for (int n = 0; n < all.size(); n++) {
            ThreadGroup g = all.get(n);
            if (n > 0) {
                sb.append(',');
            }
            Task leader = g.leader();
            int threads = 0;
            for (Task t : g.tasks) {
                if (t.state != Task.DEAD) {
                    threads++;
                }
            }
            sb.append("{\"pid\":").append(g.pid)
                    .append(",\"ppid\":").append(g.parent == null ? 0 : g.parent.pid)
                    .append(",\"pgid\":").append(g.pgid)
                    .append(",\"sid\":").append(g.sid)
                    .append(",\"state\":\"").append(state(g)).append('"')
                    .append(",\"comm\":");
            String comm = leader == null ? "" : leader.comm;
            ProcessEvents.appendJsonString(sb, new String(comm.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
            sb.append(",\"argv\":[");
            int shown = Math.min(g.argv.length, ProcessEvents.MAX_ARGS);
            for (int i = 0; i < shown; i++) {
                if (i > 0) {
                    sb.append(',');
                }
                byte[] a = g.argv[i];
                ProcessEvents.appendJsonString(sb,
                        new String(a, 0, Math.min(a.length, ProcessEvents.MAX_ARG_BYTES), StandardCharsets.UTF_8));
            }
            sb.append("],\"argc\":").append(g.argv.length)
                    .append(",\"threads\":").append(threads)
                    .append(",\"utimeMs\":").append(CpuTime.processUser(g) / 1_000_000)
                    .append(",\"stimeMs\":").append(CpuTime.processSystem(g) / 1_000_000)
                    .append('}');
        }
        return sb.append(']').toString();
    }

    /** ps's state letter of a process: Z, T, R if any thread can run, else S. */
    static char state(ThreadGroup g) {
        if (g.isZombie()) {
            return 'Z';
        }
        if (g.stopped) {
            return 'T';
        }
        boolean sleeping = false;
        for (Task t : g.tasks) {
            if (t.state == Task.RUNNABLE) {
                return 'R';
            }
            if (t.state == Task.BLOCKED) {
                sleeping = true;
            }
        }
        return sleeping ? 'S' : 'T';
    }

    /**
     * Sends {@code sig} to process {@code pid} from outside the machine: SI_USER from pid 0 and
     * uid 0, as kill(2) from a process outside the guest's pid namespace looks to the receiver.
     * Returns 0, or a Linux errno: EINVAL for a bad signal, ESRCH for no such live process.
     */
    public static int signal(Kernel k, int pid, int sig) {
        if (sig < 1 || sig > Signals.NSIG) {
            return Errno.EINVAL;
        }
        ThreadGroup g = pid > 0 ? k.process(pid) : null;
        if (g == null || g.isZombie()) {
            return Errno.ESRCH;
        }
        SigInfo i = SigInfo.of(sig, SigInfo.SI_USER);
        i.pid = 0;
        i.uid = 0;
        SignalDelivery.sendToProcess(k, g, i);
        return 0;
    }

    /**
     * The working directory of the terminal's foreground process group (the shell at its
     * prompt), or of init; null if neither has one.
     */
    public static String foregroundCwd(Kernel k) {
        ThreadGroup g = k.tty.foregroundGroup() > 0 ? k.process(k.tty.foregroundGroup()) : null;
        if (g == null || g.isZombie()) {
            g = k.init;
        }
        Task t = g == null || g.isZombie() ? null : g.leader();
        if (t == null || t.fs == null || t.fs.cwd == null) {
            return null;
        }
        return t.fs.cwd.path();
    }
}
