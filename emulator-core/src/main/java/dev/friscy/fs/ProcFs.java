package dev.friscy.fs;

import dev.friscy.errno.Errno;
import dev.friscy.kernel.Kernel;
import dev.friscy.errno.SyscallError;
import dev.friscy.kernel.Task;
import dev.friscy.kernel.ThreadGroup;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * /proc, generated from the live kernel state at each lookup; a file's text is generated when
 * it is opened (a {@link SnapshotFile}). Nodes are created on demand, with inode numbers derived
 * from what they describe so that they stay stable across lookups.
 */
public final class ProcFs {
    /** st_dev of /proc (major 0, minor 4... a different device than the root tmpfs). */
    public static final long PROC_DEV = 4;
    public static final long PROC_SUPER_MAGIC = 0x9fa0;
    /** st_dev of /sys (0:22), so that df and find -xdev tell it from /proc. */
    public static final long SYSFS_DEV = 22;
    public static final long SYSFS_MAGIC = 0x62656572;
    /** Release reported by /proc/sys/kernel/osrelease and /proc/version; uname (SysInfo) agrees. */
    public static final String OS_RELEASE = "6.12.0-friscy";

    private static final long INO_BASE = 1L << 40;
    private static final long FD_INO_BASE = 2L << 40;
    private static final String[] PID_ENTRIES = {"cmdline", "comm", "cwd", "environ", "exe", "fd", "fdinfo", "limits", "maps", "mountinfo", "mounts", "ns", "pagemap",
        "root", "stat", "statm", "status", "task"};

    private final Kernel k;
    public final Inode root;

    public ProcFs(Kernel k) {
        this.k = k;
        this.root = new Dir(INO_BASE, 0555, (BiFunction<Task, String, Inode>) this::lookupRoot, this::rootNames);
        long boot = k.host.realtimeNanos() - k.uptimeNs();
        root.atimeNs = boot;
        root.mtimeNs = boot;
        root.ctimeNs = boot;
    }

    // ------------------------------------------------------------ node types

    /** A directory whose children are computed. */
    public static final class Dir extends Inode {
        /** Finds a child for the caller (null for the kernel's own walks). */
        private final BiFunction<Task, String, Inode> lookupFn;
        private final Supplier<List<String>> namesFn;
        long dev = PROC_DEV;

        Dir(long ino, int perm, Function<String, Inode> lookupFn, Supplier<List<String>> namesFn) {
            this(ino, perm, (caller, name) -> lookupFn.apply(name), namesFn);
        }

        /** A directory whose children depend on who looks (the /proc root: self, thread-self). */
        Dir(long ino, int perm, BiFunction<Task, String, Inode> lookupFn, Supplier<List<String>> namesFn) {
            super(ino, S_IFDIR | perm);
            this.lookupFn = lookupFn;
            this.namesFn = namesFn;
            this.entries = null;
        }

        @Override
        public Inode lookup(String name) {
            return lookup(null, name);
        }

        @Override
        public Inode lookup(Task caller, String name) {
            Inode i = lookupFn.apply(caller, name);
            if (i != null && i.parent == null) {
                i.parent = this;
                i.name = name;
                if (i.mtimeNs == 0) {
                    i.atimeNs = atimeNs;
                    i.mtimeNs = mtimeNs;
                    i.ctimeNs = ctimeNs;
                }
            }
            return i;
        }

        @Override
        public List<String> childNames() {
            return namesFn.get();
        }

        @Override
        public boolean mutable() {
            return false;
        }

        @Override
        public void stat(Stat st) {
            super.stat(st);
            st.dev = dev;
            st.size = 0;
        }
    }

    /** A file whose text is generated on open. */
    public static final class FileNode extends Inode {
        private final Supplier<String> content;
        long dev = PROC_DEV;
        /** For a writable sysctl: applies written text, returning 0 or an errno. */
        java.util.function.Function<String, Integer> writer;
        /** For a file read in place rather than as a snapshot (pagemap): (path, flags) -> description. */
        java.util.function.BiFunction<String, Integer, FileDescription> opener;

        /** A description for open(2), or null to read the text generated now. */
        public FileDescription openSpecial(String path, int flags) {
            return opener == null ? null : opener.apply(path, flags);
        }

        FileNode(long ino, int perm, Supplier<String> content) {
            super(ino, S_IFREG | perm);
            this.content = content;
            this.nlink = 1;
        }

        public boolean writable() {
            return writer != null;
        }

        /** A write(2) to the file: the text takes effect at once, or the call fails with the errno. */
        public int store(byte[] buf, int off, int len) {
            if (writer == null) {
                throw new SyscallError(Errno.EACCES);
            }
            int e = writer.apply(new String(buf, off, len, StandardCharsets.ISO_8859_1));
            if (e != 0) {
                throw new SyscallError(e);
            }
            return len;
        }

        public byte[] generate() {
            return content.get().getBytes(StandardCharsets.ISO_8859_1);
        }

        @Override
        public void stat(Stat st) {
            super.stat(st);
            st.dev = dev;
            st.size = 0;
            st.blocks = 0;
        }
    }

    /** An ordinary symlink with a computed target (/proc/self). */
    static final class Link extends Inode {
        Link(long ino, String target) {
            super(ino, S_IFLNK | 0777);
            this.target = target;
            this.nlink = 1;
        }

        @Override
        public void stat(Stat st) {
            super.stat(st);
            st.dev = PROC_DEV;
        }
    }

    private void stamp(Inode i, ThreadGroup g) {
        long t = k.host.realtimeNanos() - k.uptimeNs() + g.startNs;
        i.atimeNs = t;
        i.mtimeNs = t;
        i.ctimeNs = t;
        i.uid = g.cred.euid;
        i.gid = g.cred.egid;
    }

    // ------------------------------------------------------------ /proc

    private List<String> rootNames() {
        List<String> n = new ArrayList<>();
        for (String s : new String[] {"cpuinfo", "filesystems", "loadavg", "meminfo", "mounts", "net", "self", "stat", "sys",
            "sysvipc", "thread-self", "uptime", "version"}) {
            n.add(s);
        }
        List<Integer> pids = new ArrayList<>();
        for (ThreadGroup g : k.processes()) {
            if (g.state != ThreadGroup.REAPED) {
                pids.add(g.pid);
            }
        }
        pids.sort(null);
        for (int p : pids) {
            n.add(Integer.toString(p));
        }
        return n;
    }

    private Inode lookupRoot(Task caller, String name) {
        long ino = INO_BASE + 1;
        switch (name) {
            case "self":
                return caller == null ? null : new Link(ino, Integer.toString(caller.tg.pid));
            case "thread-self":
                return caller == null ? null : new Link(ino + 1, caller.tg.pid + "/task/" + caller.tid);
            case "cpuinfo":
                return new FileNode(ino + 2, 0444, ProcText::cpuinfo);
            case "filesystems":
                return new FileNode(ino + 3, 0444, ProcText::filesystems);
            case "loadavg":
                return new FileNode(ino + 4, 0444, () -> ProcText.loadavg(k));
            case "meminfo":
                return new FileNode(ino + 5, 0444, () -> ProcText.meminfo(k));
            case "mounts":
                return new Link(ino + 6, "self/mounts");
            case "uptime":
                return new FileNode(ino + 7, 0444, () -> ProcText.uptime(k));
            case "version":
                return new FileNode(ino + 8, 0444, () -> "Linux version " + OS_RELEASE + " (friscy) #1 SMP\n");
            case "stat":
                return new FileNode(ino + 9, 0444, () -> ProcText.stat(k));
            case "sys":
                return sysDir();
            case "net":
                return netDir();
            case "sysvipc":
                sysDir();
                return procSys.sysvipc(INO_BASE + 300);
            default:
                break;
        }
        int pid = parsePid(name);
        if (pid <= 0) {
            return null;
        }
        ThreadGroup g = k.process(pid);
        if (g != null) {
            return pidDir(g, null);
        }
        // /proc/<tid> of a thread that is not a group leader: reachable, though not listed
        Task t = k.task(pid);
        return t == null || t.state == Task.DEAD || t.tg.isZombie() ? null : pidDir(t.tg, t);
    }

    static int parsePid(String s) {
        if (s.isEmpty() || s.length() > 9 || s.charAt(0) == '0') {
            return -1;
        }
        int v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static List<String> names(String... s) {
        List<String> l = new ArrayList<>();
        for (String x : s) {
            l.add(x);
        }
        return l;
    }

    /** A random UUID in the text form /proc/sys/kernel/random/uuid gives (version 4). */
    static String uuid(Kernel k) {
        byte[] b = new byte[16];
        k.host.randomBytes(b, 0, 16);
        b[6] = (byte) ((b[6] & 0x0f) | 0x40);
        b[8] = (byte) ((b[8] & 0x3f) | 0x80);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            if (i == 4 || i == 6 || i == 8 || i == 10) {
                sb.append('-');
            }
            sb.append(Character.forDigit((b[i] >> 4) & 15, 16)).append(Character.forDigit(b[i] & 15, 16));
        }
        return sb.toString();
    }

    private ProcSys procSys;

    /** /proc/net: socket tables and the loopback interface ({@link dev.friscy.net.ProcNet}). */
    private Inode netDir() {
        long base = INO_BASE + 400;
        return new Dir(base, 0555, name -> {
            for (int i = 0; i < dev.friscy.net.ProcNet.NAMES.length; i++) {
                if (dev.friscy.net.ProcNet.NAMES[i].equals(name)) {
                    return new FileNode(base + 1 + i, 0444, () -> dev.friscy.net.ProcNet.text(k.net, name));
                }
            }
            return null;
        }, () -> java.util.Arrays.asList(dev.friscy.net.ProcNet.NAMES));
    }

    private Inode sysDir() {
        if (procSys == null) {
            procSys = new ProcSys(k, INO_BASE + 100);
        }
        return procSys.dir();
    }

    // ------------------------------------------------------------ /sys (the little of it programs look at)

    /**
     * A minimal /sys: the CPU topology files glibc's get_nprocs and sysconf read (one hart).
     * Mounted at boot next to /proc; like /proc it is generated and not saved.
     */
    private static Dir sys(Dir d) {
        d.dev = SYSFS_DEV;
        return d;
    }

    public Inode sysfsRoot() {
        long ino = INO_BASE + 200;
        Dir cpu0 = sys(new Dir(ino + 5, 0755, n -> null, ArrayList::new));
        Dir cpu = sys(new Dir(ino + 4, 0755, n -> {
            switch (n) {
                case "online":
                case "possible":
                case "present":
                    FileNode f = new FileNode(ino + 6 + n.length(), 0444, () -> "0\n");
                    f.dev = SYSFS_DEV;
                    return f;
                case "cpu0":
                    return cpu0;
                default:
                    return null;
            }
        }, () -> names("cpu0", "online", "possible", "present")));
        Dir system = sys(new Dir(ino + 3, 0755, n -> n.equals("cpu") ? cpu : null, () -> names("cpu")));
        Dir devices = sys(new Dir(ino + 2, 0755, n -> n.equals("system") ? system : null, () -> names("system")));
        Dir root = sys(new Dir(ino + 1, 0555, n -> n.equals("devices") ? devices : null, () -> names("devices")));
        root.atimeNs = this.root.atimeNs;
        root.mtimeNs = this.root.mtimeNs;
        root.ctimeNs = this.root.ctimeNs;
        return root;
    }

    // ------------------------------------------------------------ /proc/<pid> and /proc/<pid>/task/<tid>

    private Inode pidDir(ThreadGroup g, Task thread) {
        int id = thread == null ? g.pid : thread.tid;
        long base = INO_BASE + ((long) id << 16) + (thread == null ? 0 : 0x8000);
        Dir d = new Dir(base, 0555, n -> pidEntry(g, thread, base, n), () -> {
            List<String> l = names(PID_ENTRIES);
            if (thread != null) {
                l.remove("task");
            }
            return l;
        });
        stamp(d, g);
        return d;
    }

    private Task mainTask(ThreadGroup g, Task thread) {
        if (thread != null) {
            return thread;
        }
        Task t = g.leader();
        if (t != null && t.state != Task.DEAD) {
            return t;
        }
        for (Task o : g.tasks) {
            if (o.state != Task.DEAD) {
                return o;
            }
        }
        return t;
    }

    private Inode pidEntry(ThreadGroup g, Task thread, long base, String n) {
        Task t = mainTask(g, thread);
        boolean live = t != null && !g.isZombie() && t.files != null;
        Inode r;
        switch (n) {
            case "cmdline":
                r = new FileNode(base + 1, 0444, () -> ProcText.cmdline(g));
                break;
            case "comm":
                r = new FileNode(base + 2, 0644, () -> ProcText.comm(g, t) + "\n");
                break;
            case "environ":
                r = new FileNode(base + 3, 0400, () -> ProcText.nulJoined(g.envp));
                break;
            case "maps":
                r = new FileNode(base + 4, 0444, () -> t == null || t.mm == null || g.isZombie() ? "" : t.mm.describeMaps());
                break;
            case "mounts":
                r = new FileNode(base + 5, 0444, ProcText::mounts);
                break;
            case "mountinfo":
                r = new FileNode(base + 14, 0444, ProcText::mountinfo);
                break;
            case "stat":
                r = new FileNode(base + 6, 0444, () -> ProcText.pidStat(k, g, t));
                break;
            case "statm":
                r = new FileNode(base + 7, 0444, () -> ProcText.statm(g, t));
                break;
            case "status":
                r = new FileNode(base + 8, 0444, () -> ProcText.status(k, g, t));
                break;
            case "exe":
                if (g.exe == null) {
                    return null;
                }
                // where the file is (symlinks resolved), as Linux's d_path gives it; else the exec'd path
                String exeText = g.exe.pathHint.isEmpty() ? g.exePath : g.exe.pathHint;
                r = new MagicLink(base + 9, g.exe.nlink == 0 ? exeText + " (deleted)" : exeText) {
                    @Override
                    public Inode jump() {
                        return g.exe;
                    }
                };
                break;
            case "cwd":
            case "root": {
                if (!live || t.fs == null) {
                    return null;
                }
                Inode dest = n.equals("cwd") ? t.fs.cwd : t.fs.root;
                String text = dest.pathFrom(null);
                r = new MagicLink(base + (n.equals("cwd") ? 10 : 11), text == null ? "/ (deleted)" : text) {
                    @Override
                    public Inode jump() {
                        return dest;
                    }
                };
                break;
            }
            case "fd":
                if (!live) {
                    return null;
                }
                r = new Dir(base + 12, 0500, fd -> fdLink(g, t, fd), () -> fdNames(t.files));
                break;
            case "fdinfo":
                if (!live) {
                    return null;
                }
                r = new Dir(base + 15, 0500, fd -> {
                    int num = fd.equals("0") ? 0 : parsePid(fd);
                    FileDescription f = num < 0 ? null : t.files.getOrNull(num);
                    if (f == null) {
                        return null;
                    }
                    boolean cloexec = t.files.isCloexec(num);
                    return new FileNode(FD_INO_BASE + (1L << 39) + ((long) g.pid << 20) + num, 0400,
                            () -> ProcText.fdinfo(f, cloexec));
                }, () -> fdNames(t.files));
                break;
            case "limits":
                r = new FileNode(base + 16, 0444, () -> ProcText.limits(g));
                break;
            case "pagemap": {
                if (!live || t.mm == null) {
                    return null;
                }
                FileNode pm = new FileNode(base + 17, 0400, () -> "");
                pm.opener = (path, flags) -> new Pagemap(pm, path, g, t.mm, flags);
                r = pm;
                break;
            }
            case "ns":
                r = ProcNs.dir(base + 18, g);
                break;
            case "task":
                if (thread != null) {
                    return null;
                }
                r = new Dir(base + 13, 0555, tid -> {
                    int id = parsePid(tid);
                    for (Task o : g.tasks) {
                        if (o.tid == id && o.state != Task.DEAD) {
                            return pidDir(g, o);
                        }
                    }
                    return null;
                }, () -> {
                    List<String> l = new ArrayList<>();
                    for (Task o : g.tasks) {
                        if (o.state != Task.DEAD) {
                            l.add(Integer.toString(o.tid));
                        }
                    }
                    return l;
                });
                break;
            default:
                return null;
        }
        stamp(r, g);
        return r;
    }

    private static List<String> fdNames(FdTable ft) {
        List<String> l = new ArrayList<>();
        for (int fd = 0, n = ft.size(); fd < n; fd++) {
            if (ft.getOrNull(fd) != null) {
                l.add(Integer.toString(fd));
            }
        }
        return l;
    }

    private Inode fdLink(ThreadGroup g, Task t, String name) {
        int fd = name.equals("0") ? 0 : parsePid(name);
        FileDescription f = fd < 0 ? null : t.files.getOrNull(fd);
        if (f == null) {
            return null;
        }
        long ino = FD_INO_BASE + ((long) g.pid << 20) + fd;
        MagicLink l = new MagicLink(ino, f.describe()) {
            @Override
            public Inode jump() {
                Inode i = f.inode();
                return i != null ? i : new DescriptionNode(ino, f);
            }
        };
        l.mode = Inode.S_IFLNK | (OpenFlags.readable(f.flags) ? 0500 : 0) | (OpenFlags.writable(f.flags) ? 0200 : 0);
        stamp(l, g);
        return l;
    }
}
