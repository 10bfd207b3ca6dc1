package dev.friscy.fs;

import dev.friscy.kernel.CpuTime;
import dev.friscy.kernel.Kernel;
import dev.friscy.kernel.SignalActions;
import dev.friscy.kernel.Signals;
import dev.friscy.kernel.Task;
import dev.friscy.kernel.ThreadGroup;
import dev.friscy.mem.Page;
import dev.friscy.mem.Vma;

import java.nio.charset.StandardCharsets;

/** The text of the /proc files, in the formats Linux uses. */
final class ProcText {
    /** Instructions per clock tick (USER_HZ = 100) that we report as CPU time: a 100 MIPS hart. */
    /** What /proc/meminfo reports as total memory. */
    static final long MEM_TOTAL_KB = 2L * 1024 * 1024;

    private ProcText() {
    }

    static String iso(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    static String nulJoined(byte[][] parts) {
        StringBuilder sb = new StringBuilder();
        for (byte[] p : parts) {
            sb.append(iso(p)).append('\0');
        }
        return sb.toString();
    }

    static String cmdline(ThreadGroup g) {
        return g.isZombie() ? "" : nulJoined(g.argv);
    }

    static String comm(ThreadGroup g, Task t) {
        String c = t != null && !t.comm.isEmpty() ? t.comm : g.exePath;
        int slash = c.lastIndexOf('/');
        c = slash >= 0 ? c.substring(slash + 1) : c;
        return c.length() > 15 ? c.substring(0, 15) : c;
    }

    static String cpuinfo() {
        return "processor\t: 0\nhart\t\t: 0\nisa\t\t: rv64imafdc_zicsr_zifencei\nmmu\t\t: sv48\nuarch\t\t: friscy\n\n";
    }

    static String filesystems() {
        return "nodev\ttmpfs\nnodev\tproc\nnodev\tdevtmpfs\nnodev\tdevpts\n";
    }

    static String mounts() {
        return "tmpfs / tmpfs rw,relatime 0 0\n"
                + "proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0\n"
                + "sysfs /sys sysfs ro,nosuid,nodev,noexec,relatime 0 0\n";
    }

    private static final String[][] LIMITS = {{"Max cpu time", "seconds"}, {"Max file size", "bytes"},
        {"Max data size", "bytes"}, {"Max stack size", "bytes"}, {"Max core file size", "bytes"},
        {"Max resident set", "bytes"}, {"Max processes", "processes"}, {"Max open files", "files"},
        {"Max locked memory", "bytes"}, {"Max address space", "bytes"}, {"Max file locks", "locks"},
        {"Max pending signals", "signals"}, {"Max msgqueue size", "bytes"}, {"Max nice priority", ""},
        {"Max realtime priority", ""}, {"Max realtime timeout", "us"}};

    private static String pad(String s, int width) {
        StringBuilder sb = new StringBuilder(s);
        while (sb.length() < width) {
            sb.append(' ');
        }
        return sb.toString();
    }

    /** /proc/pid/limits, in Linux's column layout. */
    static String limits(ThreadGroup g) {
        StringBuilder sb = new StringBuilder();
        sb.append(pad("Limit", 26)).append(pad("Soft Limit", 21)).append(pad("Hard Limit", 21)).append("Units     \n");
        for (int i = 0; i < LIMITS.length && i < g.rlimits.length; i++) {
            long soft = g.rlimits[i][0];
            long hard = g.rlimits[i][1];
            sb.append(pad(LIMITS[i][0], 26)).append(pad(soft == -1 ? "unlimited" : Long.toString(soft), 21))
                    .append(pad(hard == -1 ? "unlimited" : Long.toString(hard), 21)).append(pad(LIMITS[i][1], 10))
                    .append('\n');
        }
        return sb.toString();
    }

    /** /proc/pid/fdinfo/N. */
    static String fdinfo(FileDescription f, boolean cloexec) {
        Stat st = new Stat();
        f.stat(st);
        int flags = f.flags | (cloexec ? OpenFlags.O_CLOEXEC : 0);
        return "pos:\t" + f.offset + "\nflags:\t0" + Integer.toOctalString(flags) + "\nmnt_id:\t"
                + (st.dev == ProcFs.PROC_DEV ? 2 : st.dev == ProcFs.SYSFS_DEV ? 3 : 1) + "\nino:\t" + st.ino + "\n"
                + (f instanceof PidFd ? ((PidFd) f).fdinfo() : "");
    }

    /** The same mounts in /proc/pid/mountinfo form (what util-linux and coreutils df read). */
    static String mountinfo() {
        return "1 1 0:1 / / rw,relatime shared:1 - tmpfs tmpfs rw\n"
                + "2 1 0:4 / /proc rw,nosuid,nodev,noexec,relatime shared:2 - proc proc rw\n"
                + "3 1 0:22 / /sys ro,nosuid,nodev,noexec,relatime shared:3 - sysfs sysfs ro\n";
    }

    static String twoDecimals(long hundredths) {
        StringBuilder sb = new StringBuilder();
        sb.append(hundredths / 100).append('.');
        long f = hundredths % 100;
        if (f < 10) {
            sb.append('0');
        }
        return sb.append(f).toString();
    }

    static String uptime(Kernel k) {
        long cs = k.uptimeNs() / 10_000_000L;
        long idle = 0;
        return twoDecimals(cs) + " " + twoDecimals(idle) + "\n";
    }

    static String loadavg(Kernel k) {
        int running = 0;
        int total = 0;
        int last = 0;
        for (ThreadGroup g : k.processes()) {
            if (g.isZombie()) {
                continue;
            }
            for (Task t : g.tasks) {
                if (t.state == Task.DEAD) {
                    continue;
                }
                total++;
                if (t.state == Task.RUNNABLE) {
                    running++;
                }
            }
            last = Math.max(last, g.pid);
        }
        return "0.00 0.00 0.00 " + running + "/" + total + " " + last + "\n";
    }

    static long residentKb(Kernel k) {
        long pages = 0;
        java.util.IdentityHashMap<Object, Boolean> seen = new java.util.IdentityHashMap<>();
        for (ThreadGroup g : k.processes()) {
            for (Task t : g.tasks) {
                if (t.mm != null && t.state != Task.DEAD && seen.put(t.mm, Boolean.TRUE) == null) {
                    pages += t.mm.residentPages();
                }
            }
        }
        return pages * (Page.SIZE / 1024);
    }

    private static void kb(StringBuilder sb, String name, long v) {
        sb.append(name).append(':');
        String s = Long.toString(v);
        for (int i = name.length() + 1 + s.length(); i < 24; i++) {
            sb.append(' ');
        }
        sb.append(s).append(" kB\n");
    }

    static String meminfo(Kernel k) {
        // the session's limit is its RAM; file data lives in it, as on tmpfs (Shmem)
        dev.friscy.mem.MemoryAccount m = k.memory;
        m.recount();
        long total = m.limitPages() * 4;
        long used = Math.min(total, m.usedPages() * 4);
        long files = m.filePages() * 4;
        long free = total - used;
        StringBuilder sb = new StringBuilder();
        kb(sb, "MemTotal", total);
        kb(sb, "MemFree", free);
        kb(sb, "MemAvailable", free);
        kb(sb, "Buffers", 0);
        kb(sb, "Cached", files);
        kb(sb, "SwapCached", 0);
        kb(sb, "Active", used);
        kb(sb, "Inactive", 0);
        kb(sb, "SwapTotal", 0);
        kb(sb, "SwapFree", 0);
        kb(sb, "AnonPages", Math.max(0, used - files));
        kb(sb, "Shmem", files);
        kb(sb, "Slab", 0);
        kb(sb, "CommitLimit", total);
        return sb.toString();
    }

    static String stat(Kernel k) {
        long ticks = k.uptimeNs() / 10_000_000L;
        long btime = (k.host.realtimeNanos() - k.uptimeNs()) / 1_000_000_000L;
        int procs = 0;
        int running = 0;
        for (ThreadGroup g : k.processes()) {
            procs++;
            for (Task t : g.tasks) {
                if (t.state == Task.RUNNABLE) {
                    running++;
                }
            }
        }
        return "cpu  " + ticks + " 0 0 0 0 0 0 0 0 0\ncpu0 " + ticks + " 0 0 0 0 0 0 0 0 0\nintr 0\nctxt 0\nbtime "
                + btime + "\nprocesses " + procs + "\nprocs_running " + running + "\nprocs_blocked 0\n";
    }

    static char stateChar(ThreadGroup g, Task t) {
        if (g.state == ThreadGroup.ZOMBIE) {
            return 'Z';
        }
        if (g.state == ThreadGroup.REAPED) {
            return 'X';
        }
        if (g.stopped || (t != null && t.state == Task.STOPPED)) {
            return 'T';
        }
        return t != null && t.state == Task.BLOCKED ? 'S' : 'R';
    }

    static String stateName(char c) {
        switch (c) {
            case 'R':
                return "R (running)";
            case 'S':
                return "S (sleeping)";
            case 'T':
                return "T (stopped)";
            case 'Z':
                return "Z (zombie)";
            default:
                return "X (dead)";
        }
    }

    static long vmBytes(Task t) {
        if (t == null || t.mm == null) {
            return 0;
        }
        long n = 0;
        for (Vma v : t.mm.vmas()) {
            n += v.end - v.start;
        }
        return n;
    }

    static String pidStat(Kernel k, ThreadGroup g, Task t) {
        boolean zombie = g.isZombie();
        // fields 14-17: the process's (or, under task/TID, the thread's) user and system time, and
        // its reaped children's, in clock ticks
        if (!g.tasks.isEmpty()) {
            CpuTime.catchUp(k);
        }
        boolean thread = t != null && t.tid != g.pid;
        long utime = CpuTime.ticks(thread ? t.utimeNs : CpuTime.processUser(g));
        long stime = CpuTime.ticks(thread ? t.stimeNs : CpuTime.processSystem(g));
        long cutime = CpuTime.ticks(g.childUtimeNs);
        long cstime = CpuTime.ticks(g.childStimeNs);
        long start = g.startNs / 10_000_000L;
        long vsize = zombie ? 0 : vmBytes(t);
        long rss = zombie || t == null || t.mm == null ? 0 : t.mm.residentPages();
        dev.friscy.kernel.Terminal ctty = k.ptys.controlling(g.sid);
        int ttyNr = ctty == null ? 0 : (int) ctty.node.rdev;
        int tpgid = ctty == null || ctty.foregroundGroup() == 0 ? -1 : ctty.foregroundGroup();
        int threads = 0;
        for (Task o : g.tasks) {
            if (o.state != Task.DEAD) {
                threads++;
            }
        }
        long pending = t == null ? 0 : t.pending.mask | g.sharedPending.mask;
        long blocked = t == null ? 0 : t.sigmask;
        long ignored = 0;
        long caught = 0;
        if (t != null && t.sighand != null) {
            for (int s = 1; s <= Math.min(64, Signals.NSIG); s++) {
                long h = t.sighand.handler[s];
                if (h == SignalActions.SIG_IGN) {
                    ignored |= 1L << (s - 1);
                } else if (h != SignalActions.SIG_DFL) {
                    caught |= 1L << (s - 1);
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append(t != null && t.tid != g.pid ? t.tid : g.pid).append(" (").append(comm(g, t)).append(") ")
                .append(stateChar(g, t)).append(' ')
                .append(g.parent == null ? 0 : g.parent.pid).append(' ')
                .append(g.pgid).append(' ').append(g.sid).append(' ').append(ttyNr).append(' ').append(tpgid)
                .append(" 4194304 0 0 0 0 ")
                .append(utime).append(' ').append(stime).append(' ').append(cutime).append(' ').append(cstime).append(" 20 0 ").append(threads)
                .append(" 0 ").append(start).append(' ').append(vsize).append(' ').append(rss)
                .append(" 18446744073709551615 0 0 0 0 0 ")
                .append(pending).append(' ').append(blocked).append(' ').append(ignored).append(' ').append(caught)
                .append(" 0 0 0 ").append(g.exitSignal).append(" 0 0 0 0 0 0 0 0 0 0 0 0 0 ")
                .append(zombie ? g.exitStatus : 0).append('\n');
        return sb.toString();
    }

    static String statm(ThreadGroup g, Task t) {
        long size = vmBytes(t) / Page.SIZE;
        long rss = t == null || t.mm == null || g.isZombie() ? 0 : t.mm.residentPages();
        return size + " " + rss + " 0 0 0 0 0\n";
    }

    private static String hex16(long v) {
        String s = Long.toHexString(v);
        StringBuilder sb = new StringBuilder();
        for (int i = s.length(); i < 16; i++) {
            sb.append('0');
        }
        return sb.append(s).toString();
    }

    static String status(Kernel k, ThreadGroup g, Task t) {
        char st = stateChar(g, t);
        StringBuilder sb = new StringBuilder();
        int umask = t != null && t.fs != null ? t.fs.umask : 022;
        String um = Integer.toOctalString(umask);
        // Linux escapes these two in status (not in comm or stat), so a name cannot fake a line
        sb.append("Name:\t").append(comm(g, t).replace("\\", "\\\\").replace("\n", "\\n")).append('\n');
        sb.append("Umask:\t").append("0000".substring(Math.min(4, um.length()))).append(um).append('\n');
        sb.append("State:\t").append(stateName(st)).append('\n');
        sb.append("Tgid:\t").append(g.pid).append('\n');
        sb.append("Ngid:\t0\n");
        sb.append("Pid:\t").append(t != null ? t.tid : g.pid).append('\n');
        sb.append("PPid:\t").append(g.parent == null ? 0 : g.parent.pid).append('\n');
        sb.append("TracerPid:\t0\n");
        sb.append("Uid:\t").append(g.cred.uid).append('\t').append(g.cred.euid).append('\t').append(g.cred.suid)
                .append('\t').append(g.cred.fsuid).append('\n');
        sb.append("Gid:\t").append(g.cred.gid).append('\t').append(g.cred.egid).append('\t').append(g.cred.sgid)
                .append('\t').append(g.cred.fsgid).append('\n');
        sb.append("FDSize:\t").append(t != null && t.files != null ? Math.max(64, t.files.size()) : 0).append('\n');
        sb.append("Groups:\t");
        for (int x : g.cred.groups) {
            sb.append(x).append(' ');
        }
        sb.append('\n');
        if (!g.isZombie()) {
            long vm = vmBytes(t) / 1024;
            long rss = t == null || t.mm == null ? 0 : t.mm.residentPages() * (Page.SIZE / 1024);
            sb.append("VmPeak:\t").append(vm).append(" kB\n");
            sb.append("VmSize:\t").append(vm).append(" kB\n");
            sb.append("VmLck:\t").append(t == null || t.mm == null ? 0 : t.mm.lockedBytes() / 1024).append(" kB\n");
            sb.append("VmRSS:\t").append(rss).append(" kB\n");
            sb.append("VmSwap:\t0 kB\n"); // nothing is ever swapped out
        }
        int threads = 0;
        for (Task o : g.tasks) {
            if (o.state != Task.DEAD) {
                threads++;
            }
        }
        sb.append("Threads:\t").append(threads).append('\n');
        long pending = t == null ? 0 : t.pending.mask;
        sb.append("SigPnd:\t").append(hex16(pending)).append('\n');
        sb.append("ShdPnd:\t").append(hex16(g.sharedPending.mask)).append('\n');
        sb.append("SigBlk:\t").append(hex16(t == null ? 0 : t.sigmask)).append('\n');
        long ignored = 0;
        long caught = 0;
        if (t != null && t.sighand != null) {
            for (int s = 1; s <= Math.min(64, Signals.NSIG); s++) {
                long h = t.sighand.handler[s];
                if (h == SignalActions.SIG_IGN) {
                    ignored |= 1L << (s - 1);
                } else if (h != SignalActions.SIG_DFL) {
                    caught |= 1L << (s - 1);
                }
            }
        }
        sb.append("SigIgn:\t").append(hex16(ignored)).append('\n');
        sb.append("SigCgt:\t").append(hex16(caught)).append('\n');
        return sb.toString();
    }
}
