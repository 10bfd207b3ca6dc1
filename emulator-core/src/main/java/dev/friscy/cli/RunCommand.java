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
        public int maxProcs = 256;
        /** Translator setting: null keeps what the friscy.jit property chose; "off" or a threshold. */
        public String jit;
        public final List<String> argv = new ArrayList<>();
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
                    o.maxProcs = Integer.parseInt(need(args, ++i, a));
                    if (o.maxProcs < 1 || o.maxProcs > 100000) {
                        throw new IllegalArgumentException("--max-procs out of range");
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
        try {
            return execute(o, System.in, new BufferedOutputStream(new FileOutputStream(java.io.FileDescriptor.out), 1 << 16),
                    System.err, term);
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
        }
    }

    /** Builds the file system, boots init and runs it to the end; returns the shell-style exit status. */
    public static int execute(Options o, InputStream stdin, OutputStream stdout, PrintStream stderr, HostTerminal term) {
        if (o.jit != null) {
            dev.friscy.jit.jvm.JvmTranslator.install(o.jit);
        }
        JvmHost host = new JvmHost(stdout, stderr);
        Vfs vfs = new Vfs();
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
                ImageSupport.importImage(vfs, o.image, stderr);
            } else {
                File f = new File(program);
                if (!f.isFile()) {
                    stderr.println("friscy run: " + program + ": " + (f.isDirectory() ? "is a directory" : "no such file")
                            + " (without --image, PROGRAM is a host file)");
                    return 127;
                }
                String guest = f.getAbsolutePath();
                addHostPath(vfs, f, guest);
                program = guest;
            }
            for (String[] hg : o.adds) {
                addHostPath(vfs, new File(hg[0]), hg[1]);
            }
            ImageSupport.populate(vfs);
        } catch (IOException | RuntimeException e) {
            stderr.println("friscy run: " + e.getMessage());
            return 1;
        }
        Kernel k = new Kernel(host, vfs, o.maxProcs, dev.friscy.kernel.ProcessEvents.DEFAULT_CAPACITY);
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
        LinkedBlockingQueue<byte[]> input = startInputPump(stdin);
        try {
            while (true) {
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
                byte[] in = waitMs > 0 ? input.poll(waitMs, TimeUnit.MILLISECONDS) : input.poll();
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
        if (System.getenv("FRISCY_STATS") != null) {
            stderr.println("friscy: " + lastInstructions + " instructions retired");
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

    private static LinkedBlockingQueue<byte[]> startInputPump(InputStream in) {
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
                }
            } catch (IOException e) {
                // treat as end of input
            }
            q.add(new byte[0]);
        }, "friscy-stdin");
        th.setDaemon(true);
        th.start();
        return q;
    }

    /** Copies a host file or directory tree into the VFS at {@code guest}. */
    static void addHostPath(Vfs vfs, File host, String guest) throws IOException {
        if (!host.exists()) {
            throw new IOException(host + ": no such file or directory");
        }
        int slash = guest.lastIndexOf('/');
        Inode dir = vfs.mkdirs(slash <= 0 ? "/" : guest.substring(0, slash), 0755);
        String name = guest.substring(slash + 1);
        copyIn(vfs, host, dir, name);
    }

    private static void copyIn(Vfs vfs, File host, Inode dir, String name) throws IOException {
        Inode existing = dir.entries.get(name);
        if (host.isDirectory()) {
            Inode d = existing != null && existing.isDir() ? existing : null;
            if (d == null) {
                if (existing != null) {
                    dir.entries.remove(name);
                }
                d = vfs.newInode(Inode.S_IFDIR | 0755);
                vfs.link(dir, name, d);
            }
            String[] names = host.list();
            if (names != null) {
                java.util.Arrays.sort(names);
                for (String n : names) {
                    copyIn(vfs, new File(host, n), d, n);
                }
            }
            return;
        }
        byte[] data = Files.readAllBytes(host.toPath());
        if (existing != null) {
            dir.entries.remove(name);
        }
        Inode f = vfs.newInode(Inode.S_IFREG | (host.canExecute() ? 0755 : 0644));
        try {
            f.write(0, data, 0, data.length);
        } catch (SyscallError e) {
            throw new IOException(host + ": too large");
        }
        vfs.link(dir, name, f);
    }
}
