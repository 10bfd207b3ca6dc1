package dev.friscy.cli;

import dev.friscy.errno.SyscallError;
import dev.friscy.fs.Inode;
import dev.friscy.fs.Vfs;
import dev.friscy.kernel.Kernel;

import java.io.BufferedOutputStream;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** `friscy run`: boots the kernel with a program as init and drives it until init exits. */
public final class RunCommand {
    /** Instructions retired by the last {@link #execute} (init and all its descendants), for benchmarks. */
    public static volatile long lastInstructions;

    /** Instructions per call into the kernel between input checks. */
    static final long SLICE = 4_000_000;

    private RunCommand() {
    }

    /** Parsed options. */
    public static final class Options {
        public boolean strace;
        public final Map<String, String> env = new LinkedHashMap<>();
        public String image;
        public final List<String[]> adds = new ArrayList<>();
        public String cwd;
        public String save;
        public String events;
        /** 0: the process table follows the kernel's threads-max (one task per 128 KiB of --memory). */
        public int maxProcs = 0;
        /** Guest memory in bytes (--memory); 0 for the default, {@link #defaultMemory}. */
        public long memory;
        /** Translator setting: null keeps what the friscy.jit property chose; "off" or a threshold. */
        public String jit;
        /** --profile: sample where guest code runs and print the busiest files and pages at exit. */
        public boolean profile;
        /** --net: "host" (the default: the host's network beyond loopback) or "none". */
        public String net = "host";
        /** --net-map: guest destination "ip:port" to the host address it goes to. */
        public final Map<String, java.net.InetSocketAddress> netMap = new LinkedHashMap<>();
        /** --dns: resolvers for guests' DNS; null: the host's under --net host, none under --net none. */
        public List<java.net.InetSocketAddress> dns;
        /** LANG was given with --env: kept even if the image lacks that locale. */
        public boolean langGiven;
        public final List<String> argv = new ArrayList<>();
    }

    /**
     * Most processes a session may have: each costs host memory for its tables even when it
     * shares all its pages, and the table is scanned on every wait and signal.
     */
    public static final int MAX_PROCS = 4096;
    static final long MIN_MEMORY = 16L << 20;

    /** The largest --memory this JVM can honour: guest pages must leave room for decoded code and the emulator. */
    static long maxMemory() {
        return Runtime.getRuntime().maxMemory() / 4 * 3;
    }

    /** Default guest memory: Kernel.DEFAULT_MEMORY, less if the JVM's heap is small. */
    public static long defaultMemory() {
        return Math.max(MIN_MEMORY, Math.min(Kernel.DEFAULT_MEMORY, Runtime.getRuntime().maxMemory() / 2));
    }

    /** "512M", "2G", "65536K", "1048576" (bytes). */
    static long parseSize(String v) {
        String t = v.trim();
        long unit = 1;
        if (!t.isEmpty()) {
            char c = Character.toUpperCase(t.charAt(t.length() - 1));
            unit = c == 'K' ? 1L << 10 : c == 'M' ? 1L << 20 : c == 'G' ? 1L << 30 : 1;
            if (unit != 1) {
                t = t.substring(0, t.length() - 1);
            }
        }
        try {
            long n = Long.parseLong(t);
            if (n < 0 || n > (Long.MAX_VALUE >> 2) / unit) {
                throw new NumberFormatException();
            }
            return n * unit;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--memory wants a size such as 512M or 2G, got '" + v + "'");
        }
    }

    static Options parse(String[] args) {
        Options o = new Options();
        o.env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        o.env.put("HOME", "/root");
        o.env.put("TERM", "xterm-256color");
        o.env.put("LANG", "C.UTF-8");
        int i = 0;
        for (; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--")) {
                i++;
                break;
            }
            if (!a.startsWith("--")) {
                break;
            }
            switch (a) {
                case "--strace":
                    o.strace = true;
                    break;
                case "--env": {
                    String kv = need(args, ++i, a);
                    int eq = kv.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("--env wants K=V, got '" + kv + "'");
                    }
                    o.env.put(kv.substring(0, eq), kv.substring(eq + 1));
                    o.langGiven |= kv.startsWith("LANG=");
                    break;
                }
                case "--image":
                    o.image = need(args, ++i, a);
                    break;
                case "--add": {
                    String hg = need(args, ++i, a);
                    int c = hg.lastIndexOf(':');
                    if (c <= 0 || c == hg.length() - 1) {
                        throw new IllegalArgumentException("--add wants HOST:GUEST, got '" + hg + "'");
                    }
                    o.adds.add(new String[] {hg.substring(0, c), hg.substring(c + 1)});
                    break;
                }
                case "--cwd":
                    o.cwd = need(args, ++i, a);
                    break;
                case "--save":
                    o.save = need(args, ++i, a);
                    break;
                case "--events":
                    o.events = need(args, ++i, a);
                    break;
                case "--no-jit":
                    o.jit = "off";
                    break;
                case "--profile":
                    o.profile = true;
                    break;
                case "--jit-threshold": {
                    String n = need(args, ++i, a);
                    try {
                        if (Integer.parseInt(n) < 0) {
                            throw new NumberFormatException();
                        }
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--jit-threshold wants a number >= 0, got '" + n + "'");
                    }
                    o.jit = n;
                    break;
                }
                case "--max-procs":
                    try {
                        o.maxProcs = Integer.parseInt(need(args, ++i, a));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--max-procs wants a number, got '" + args[i] + "'");
                    }
                    if (o.maxProcs < 1 || o.maxProcs > MAX_PROCS) {
                        throw new IllegalArgumentException("--max-procs must be between 1 and " + MAX_PROCS);
                    }
                    break;
                case "--net":
                    o.net = need(args, ++i, a);
                    if (!o.net.equals("host") && !o.net.equals("none")) {
                        throw new IllegalArgumentException("--net wants host or none, got '" + o.net + "'");
                    }
                    break;
                case "--net-map":
                    JvmHostNetwork.parseMapping(need(args, ++i, a), o.netMap);
                    break;
                case "--dns":
                    o.dns = dev.friscy.host.DnsForward.parse("--dns", need(args, ++i, a), o.dns);
                    break;
                case "--memory":
                    o.memory = parseSize(need(args, ++i, a));
                    long most = maxMemory();
                    if (o.memory < MIN_MEMORY || o.memory > most) {
                        throw new IllegalArgumentException("--memory must be between " + (MIN_MEMORY >> 20) + "M and "
                                + (most >> 20) + "M (this JVM's heap, -Xmx, bounds it)");
                    }
                    break;
                default:
                    throw new IllegalArgumentException("unknown option " + a);
            }
        }
        for (; i < args.length; i++) {
            o.argv.add(args[i]);
        }
        if (o.argv.isEmpty()) {
            throw new IllegalArgumentException("no program given");
        }
        return o;
    }

    private static String need(String[] args, int i, String opt) {
        if (i >= args.length) {
            throw new IllegalArgumentException(opt + " needs a value");
        }
        return args[i];
    }

    /** Parses `run` arguments; throws IllegalArgumentException on bad ones. */
    public static Options parseForTest(String[] args) {
        return parse(args);
    }

    public static int main(String[] args) {
        Options o;
        try {
            o = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("friscy run: " + e.getMessage());
            System.err.println(Main.USAGE);
            return 2;
        }
        boolean terminal = System.console() != null && System.getenv("FRISCY_NO_TTY") == null;
        HostTerminal term = terminal ? HostTerminal.enterRaw() : null;
        // SIGINT/SIGTERM (kill, or ^C when stdin is not a terminal): the JVM runs this hook; it
        // asks the run loop to stop between slices, which saves (--save) and lets the hook return
        Stop stop = new Stop();
        Thread hook = new Thread(() -> {
            stop.requested = true;
            try {
                stop.done.await(STOP_GRACE_SEC, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "friscy-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return execute(o, System.in, new BufferedOutputStream(new FileOutputStream(java.io.FileDescriptor.out), 1 << 16),
                    System.err, term, stop);
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            // an emulator bug or exhausted host memory: one line, the trace only on request
            if (term != null) {
                term.restore();
                term = null;
            }
            System.err.println("friscy run: internal error: " + e
                    + (System.getenv("FRISCY_DEBUG") == null ? " (FRISCY_DEBUG=1 shows where)" : ""));
            if (System.getenv("FRISCY_DEBUG") != null) {
                e.printStackTrace();
            }
            return 70;
        } finally {
            if (term != null) {
                term.restore();
            }
            stop.done.countDown();
        }
    }

    /** How long a SIGINT/SIGTERM waits for the run to stop and --save to finish before the JVM halts. */
    static final long STOP_GRACE_SEC = 60;

    /** A request from outside (the shutdown hook, a test) to end the run early, and the answer that it has. */
    public static final class Stop {
        public volatile boolean requested;
        public final java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
    }

    /** Builds the file system, boots init and runs it to the end; returns the shell-style exit status. */
    public static int execute(Options o, InputStream stdin, OutputStream stdout, PrintStream stderr, HostTerminal term) {
        return execute(o, stdin, stdout, stderr, term, null);
    }

    /**
     * As above; when {@code stop} is requested the run ends after the current slice (every guest
     * process is left as it is), the file system is still saved with --save, and the status is 143.
     */
    public static int execute(Options o, InputStream stdin, OutputStream stdout, PrintStream stderr, HostTerminal term,
            Stop stop) {
        List<AutoCloseable> open = new ArrayList<>();
        try {
            return execute(o, stdin, stdout, stderr, term, stop, open);
        } finally {
            for (AutoCloseable c : open) {
                try {
                    c.close();
                } catch (Exception e) {
                    // a read-only image file: nothing is lost
                }
            }
        }
    }

    /** The run; what it opens for the run's length (the image file) goes into {@code open}. */
    private static int execute(Options o, InputStream stdin, OutputStream stdout, PrintStream stderr, HostTerminal term,
            Stop stop, List<AutoCloseable> open) {
        if (o.jit != null) {
            dev.friscy.jit.jvm.JvmTranslator.install(o.jit);
        }
        dev.friscy.kernel.PcProfile.on = o.profile;
        long t0 = System.nanoTime();
        JvmHost host = new JvmHost(stdout, stderr);
        JvmHostNetwork net = null;
        boolean hostNet = o.net.equals("host");
        List<java.net.InetSocketAddress> dns = o.dns != null ? o.dns
                : hostNet ? dev.friscy.host.DnsForward.hostResolvers() : List.of();
        if (hostNet || !o.netMap.isEmpty() || !dns.isEmpty()) {
            try {
                net = new JvmHostNetwork(hostNet, o.netMap, dns);
            } catch (IOException e) {
                stderr.println("friscy run: --net: " + e.getMessage());
                return 1;
            }
            host.network = net;
        }
        Vfs vfs = new Vfs();
        // the image and --add files live in the session's memory: a file larger than it fails here
        vfs.memory.setLimitPages((o.memory > 0 ? o.memory : defaultMemory()) >> 12);
        String program = o.argv.get(0);
        if (o.save != null) {
            String problem = ImageSupport.saveProblem(o.save);
            if (problem != null) {
                stderr.println("friscy run: --save " + o.save + ": " + problem);
                return 1;
            }
        }
        try {
            if (o.image != null) {
                open.add(ImageSupport.importImage(vfs, o.image, stderr));
            } else {
                File f = new File(program);
                if (!f.isFile()) {
                    stderr.println("friscy run: " + program + ": " + (f.isDirectory() ? "is a directory" : "no such file")
                            + " (without --image, PROGRAM is a host file)");
                    return 127;
                }
                String guest = f.toPath().toAbsolutePath().normalize().toString();
                addHostPath(vfs, f, guest);
                program = guest;
            }
            for (String[] hg : o.adds) {
                addHostPath(vfs, new File(hg[0]), hg[1]);
            }
            ImageSupport.populate(vfs);
            if (!o.langGiven && !ImageSupport.hasUtf8Locale(vfs)) {
                // LANG=C.UTF-8 without the locale's files makes perl and others warn at every start
                o.env.remove("LANG");
            }
        } catch (IOException | RuntimeException e) {
            stderr.println("friscy run: " + e.getMessage());
            return 1;
        }
        long t1 = System.nanoTime();
        Kernel k = new Kernel(host, vfs, o.maxProcs, dev.friscy.kernel.ProcessEvents.DEFAULT_CAPACITY);
        try {
            k.setMemoryLimit(o.memory > 0 ? o.memory : defaultMemory());
        } catch (Kernel.BootException e) {
            stderr.println("friscy run: --memory: " + e.getMessage());
            return 1;
        }
        ImageSupport.devices(k);
        if (o.strace) {
            k.strace = line -> {
                host.flush();
                stderr.println(line);
            };
        }
        k.diagnostics = line -> {
            host.flush();
            stderr.println(line);
        };
        OutputStream eventsOut = null;
        if (o.events != null) {
            try {
                OutputStream eo = new BufferedOutputStream(new FileOutputStream(o.events));
                eventsOut = eo;
                k.events.tap = line -> {
                    try {
                        eo.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                    } catch (IOException e) {
                        // keep running; the events file is a side channel
                    }
                };
            } catch (IOException e) {
                stderr.println("friscy run: --events " + o.events + ": " + e.getMessage());
                return 1;
            }
        }
        if (term != null) {
            int[] size = term.size();
            if (size != null) {
                k.resize(size[1], size[0]);
            }
        }
        List<String> envl = new ArrayList<>();
        for (Map.Entry<String, String> e : o.env.entrySet()) {
            envl.add(e.getKey() + "=" + e.getValue());
        }
        String[] argv = o.argv.toArray(new String[0]);
        if (o.image == null) {
            argv[0] = o.argv.get(0);
        }
        // What exec reports while starting init (bad ELF, missing interpreter) belongs in the one
        // error line; after a successful start such reports go to stderr as they come.
        java.util.function.Consumer<String> diagnostics = k.diagnostics;
        List<String> bootNotes = new ArrayList<>();
        k.diagnostics = bootNotes::add;
        try {
            k.startInit(program, argv, envl.toArray(new String[0]), o.cwd == null ? "/" : o.cwd, term != null);
        } catch (Kernel.BootException e) {
            stderr.println("friscy run: " + bootError(e.getMessage(), program, bootNotes));
            return 127;
        } finally {
            k.diagnostics = diagnostics;
        }
        for (String note : bootNotes) {
            diagnostics.accept(note);
        }
        long t2 = System.nanoTime();
        LinkedBlockingQueue<byte[]> input = startInputPump(stdin, net == null ? null : net::wakeup);
        boolean stopped = false;
        long idleNs = 0;
        try {
            while (true) {
                if (stop != null && stop.requested) {
                    stopped = true;
                    stderr.println("friscy run: stopped by a signal" + (o.save != null ? "; saving " + o.save : ""));
                    break;
                }
                int r = k.run(SLICE);
                host.flush();
                if (r == Kernel.RUN_EXITED) {
                    break;
                }
                if (term != null && term.resized()) {
                    int[] size = term.size();
                    if (size != null) {
                        k.resize(size[1], size[0]);
                    }
                }
                long waitMs = 0;
                if (r == Kernel.RUN_IDLE) {
                    long d = k.nextDeadline();
                    waitMs = d < 0 ? 200 : Math.max(0, (d - host.monotonicNanos() + 999_999) / 1_000_000);
                    waitMs = Math.min(waitMs, 200);
                }
                byte[] in;
                long idleFrom = waitMs > 0 ? System.nanoTime() : 0;
                if (net != null) {
                    // the network and stdin both end the wait (the input pump wakes the selector)
                    net.poll(input.isEmpty() ? waitMs : 0);
                    in = input.poll();
                } else {
                    in = waitMs > 0 ? input.poll(waitMs, TimeUnit.MILLISECONDS) : input.poll();
                }
                if (waitMs > 0) {
                    idleNs += System.nanoTime() - idleFrom;
                }
                while (in != null) {
                    if (in.length == 0) {
                        k.consoleEof();
                    } else {
                        k.consoleInput(in, 0, in.length);
                    }
                    in = input.poll();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        } finally {
            host.flush();
            if (eventsOut != null) {
                try {
                    eventsOut.close();
                } catch (IOException e) {
                    stderr.println("friscy run: --events: " + e.getMessage());
                }
            }
        }
        if (o.save != null) {
            try {
                ImageSupport.save(vfs, o.save);
            } catch (IOException | RuntimeException e) {
                stderr.println("friscy run: --save " + o.save + ": " + e.getMessage());
                return 1;
            }
        }
        lastInstructions = k.init == null ? 0 : k.init.deadInstret + k.init.childrenInstret;
        if (o.profile) {
            dev.friscy.kernel.PcProfile.on = false;
            dev.friscy.kernel.PcProfile.report(stderr, 25);
        }
        if (System.getenv("FRISCY_STATS") != null) {
            long t3 = System.nanoTime();
            stderr.printf("friscy: %d instructions retired; file system %.0f ms, kernel and exec %.0f ms, run %.0f ms"
                    + " (%.0f ms of it idle: every task waiting)%n",
                    lastInstructions, (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6, idleNs / 1e6);
            // CPU rather than wall time: on a busy machine these still say what a run costs. The
            // emulator thread's time is what an idle machine's wall time comes close to; the rest
            // of the JVM's is mostly HotSpot compiling (on another core, if there is one).
            java.lang.management.ThreadMXBean tx = java.lang.management.ManagementFactory.getThreadMXBean();
            java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            long jvmCpu = os instanceof com.sun.management.OperatingSystemMXBean
                    ? ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime() : -1;
            stderr.printf("friscy: CPU: emulator thread %.0f ms, whole JVM %.0f ms%n",
                    tx.getCurrentThreadCpuTime() / 1e6, jvmCpu / 1e6);
            for (AutoCloseable c : open) {
                if (c instanceof ImageFile) {
                    ImageFile f = (ImageFile) c;
                    stderr.printf("friscy: image: %.1f MB of %.1f MB read%n", f.bytesRead / 1e6, f.length() / 1e6);
                }
            }
        }
        if (stopped) {
            return 128 + 15;
        }
        int st = k.initStatus();
        return (st & 0x7f) == 0 ? (st >> 8) & 0xff : 128 + (st & 0x7f);
    }

    /**
     * "cannot execute P: ENOEXEC" plus exec's own report ("friscy: exec P: not a RISC-V ELF ...")
     * become "cannot execute P: not a RISC-V ELF ... (ENOEXEC)".
     */
    static String bootError(String message, String program, List<String> notes) {
        if (notes.isEmpty() || !message.startsWith("cannot execute ")) {
            return message;
        }
        String note = notes.get(notes.size() - 1);
        if (note.startsWith("friscy: ")) {
            note = note.substring("friscy: ".length());
        }
        if (note.startsWith("exec ")) {
            note = note.substring("exec ".length());
        }
        if (note.startsWith(program + ": ")) {
            note = note.substring(program.length() + 2);
        }
        int colon = message.lastIndexOf(": ");
        String errno = colon < 0 ? "" : " (" + message.substring(colon + 2) + ")";
        return "cannot execute " + program + ": " + note + errno;
    }

    /** Reads stdin on a thread into a queue; {@code arrived} (if any) runs after each piece is queued. */
    private static LinkedBlockingQueue<byte[]> startInputPump(InputStream in, Runnable arrived) {
        LinkedBlockingQueue<byte[]> q = new LinkedBlockingQueue<>();
        Thread th = new Thread(() -> {
            byte[] buf = new byte[4096];
            try {
                while (true) {
                    int n = in.read(buf);
                    if (n < 0) {
                        break;
                    }
                    byte[] b = new byte[n];
                    System.arraycopy(buf, 0, b, 0, n);
                    q.add(b);
                    if (arrived != null) {
                        arrived.run();
                    }
                }
            } catch (IOException e) {
                // treat as end of input
            }
            q.add(new byte[0]);
            if (arrived != null) {
                arrived.run();
            }
        }, "friscy-stdin");
        th.setDaemon(true);
        th.start();
        return q;
    }

    /**
     * Copies a host file or directory tree into the VFS at {@code guest}. The named path may be
     * a symlink (it is followed); inside a tree, symlinks are copied as symlinks, so a loop
     * cannot recurse. FIFOs, devices and sockets are refused: reading them would block for ever
     * or never end (/dev/zero).
     */
    static void addHostPath(Vfs vfs, File host, String guest) throws IOException {
        Path hp = host.toPath();
        if (!Files.exists(hp)) {
            throw new IOException(host + ": no such file or directory");
        }
        List<String> parts = new ArrayList<>();
        for (String c : guest.split("/")) {
            if (c.equals("..")) {
                if (!parts.isEmpty()) {
                    parts.remove(parts.size() - 1); // as in a path walk; ".." at the root stays there
                }
                continue;
            }
            if (!c.isEmpty() && !c.equals(".")) {
                parts.add(c);
            }
        }
        if (!parts.isEmpty() && (parts.get(0).equals("proc") || parts.get(0).equals("dev"))) {
            throw new IOException("--add " + host + ":" + guest + ": /" + parts.get(0)
                    + " is made by the kernel at boot; add files elsewhere");
        }
        if (!Files.isDirectory(hp) && !Files.isRegularFile(hp)) {
            throw new IOException(host + ": " + kind(hp) + "; --add copies regular files, directories and symlinks");
        }
        if (parts.isEmpty()) {
            if (!Files.isDirectory(hp)) {
                throw new IOException("--add " + host + ":" + guest + ": a file needs a name in the guest, such as /"
                        + host.getName());
            }
            copyChildren(vfs, hp, vfs.root); // HOST_DIR:/ merges the directory into the root
            return;
        }
        Inode dir = vfs.mkdirs("/" + String.join("/", parts.subList(0, parts.size() - 1)), 0755);
        copyIn(vfs, hp, dir, parts.get(parts.size() - 1), true);
    }

    private static String kind(Path p) {
        try {
            java.nio.file.attribute.BasicFileAttributes a = Files.readAttributes(p,
                    java.nio.file.attribute.BasicFileAttributes.class);
            return a.isOther() ? "a FIFO, device or socket" : "not a regular file";
        } catch (IOException e) {
            return "unreadable (" + e.getMessage() + ")";
        }
    }

    private static void copyChildren(Vfs vfs, Path host, Inode d) throws IOException {
        List<Path> kids = new ArrayList<>();
        try (java.util.stream.Stream<Path> st = Files.list(host)) {
            st.forEach(kids::add);
        }
        kids.sort(null);
        for (Path k : kids) {
            copyIn(vfs, k, d, k.getFileName().toString(), false);
        }
    }

    private static void copyIn(Vfs vfs, Path host, Inode dir, String name, boolean follow) throws IOException {
        Inode existing = dir.entries.get(name);
        if (!follow && Files.isSymbolicLink(host)) {
            if (existing != null) {
                dir.entries.remove(name);
            }
            Inode l = vfs.newInode(Inode.S_IFLNK | 0777);
            l.target = Files.readSymbolicLink(host).toString();
            vfs.link(dir, name, l);
            return;
        }
        if (Files.isDirectory(host)) {
            Inode d = existing != null && existing.isDir() ? existing : null;
            if (d == null) {
                if (existing != null) {
                    dir.entries.remove(name);
                }
                d = vfs.newInode(Inode.S_IFDIR | 0755);
                vfs.link(dir, name, d);
            }
            copyChildren(vfs, host, d);
            return;
        }
        if (!Files.isRegularFile(host)) {
            throw new IOException(host + ": " + kind(host) + "; --add copies regular files, directories and symlinks");
        }
        if (existing != null) {
            dir.entries.remove(name);
        }
        Inode f = vfs.newInode(Inode.S_IFREG | (Files.isExecutable(host) ? 0755 : 0644));
        // streamed: the file's pages are the only copy, and the session's memory bounds them
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(host)) {
            long pos = 0;
            for (int n; (n = in.read(buf)) > 0; pos += n) {
                f.write(pos, buf, 0, n);
            }
        } catch (SyscallError e) {
            throw new IOException(host + ": too large for the session's memory (see --memory)");
        }
        vfs.link(dir, name, f);
    }
}
