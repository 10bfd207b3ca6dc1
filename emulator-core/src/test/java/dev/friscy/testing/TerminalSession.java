package dev.friscy.testing;

import dev.friscy.fs.DevFs;
import dev.friscy.fs.Inode;
import dev.friscy.fs.TarImport;
import dev.friscy.fs.Vfs;
import dev.friscy.host.Host;
import dev.friscy.kernel.Kernel;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

/**
 * An interactive guest on the emulated terminal, driven like a person at a keyboard: type,
 * then wait (in guest time slices, with a wall-clock limit) until the screen shows something.
 */
public final class TerminalSession implements Host {
    private final ByteArrayOutputStream screen = new ByteArrayOutputStream();
    private final SecureRandom random = new SecureRandom();
    public final Kernel kernel;
    public final Vfs vfs;
    private int mark;

    public TerminalSession(Path image, int maxProcs, String... argv) throws Exception {
        vfs = new Vfs();
        TarImport.importInto(vfs, Files.readAllBytes(image));
        Inode tmp = vfs.mkdirs("/tmp", 01777);
        tmp.mode = Inode.S_IFDIR | 01777;
        vfs.mkdirs("/proc", 0555);
        kernel = new Kernel(this, vfs, maxProcs, 4096);
        DevFs.populate(kernel);
        if (System.getenv("FRISCY_TRACE") != null) {
            kernel.strace = System.err::println;
            kernel.diagnostics = System.err::println;
        }
        kernel.startInit(argv[0], argv, new String[] {"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/root",
            "TERM=xterm", "PS1=$ "}, "/", true);
    }

    @Override
    public void consoleOutput(byte[] buf, int off, int len) {
        screen.write(buf, off, len);
    }

    @Override
    public long monotonicNanos() {
        return System.nanoTime();
    }

    @Override
    public long realtimeNanos() {
        return System.currentTimeMillis() * 1_000_000L;
    }

    @Override
    public void randomBytes(byte[] buf, int off, int len) {
        byte[] b = new byte[len];
        random.nextBytes(b);
        System.arraycopy(b, 0, buf, off, len);
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '\n') {
                sb.append("\\n\n");
            } else if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    public void type(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        kernel.consoleInput(b, 0, b.length);
    }

    /** Everything shown since the last {@link #waitFor} matched. */
    public String fresh() {
        String all = screen.toString(StandardCharsets.UTF_8);
        return all.substring(Math.min(mark, all.length()));
    }

    public String all() {
        return screen.toString(StandardCharsets.UTF_8);
    }

    /** Runs the guest until the output since the last match contains {@code text}. */
    public String waitFor(String text, long timeoutMs) {
        return waitForAny(timeoutMs, text);
    }

    /** Runs the guest until a process whose command name is {@code comm} exists and everything is idle. */
    public void waitForIdleProcess(String comm, long timeoutMs) {
        long end = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < end) {
            int r = kernel.run(1_000_000);
            boolean found = false;
            for (dev.friscy.kernel.ThreadGroup g : kernel.processes()) {
                found |= !g.isZombie() && g.leader() != null && comm.equals(g.leader().comm);
            }
            if (found && r == Kernel.RUN_IDLE) {
                return;
            }
            if (r == Kernel.RUN_IDLE) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }
        throw new AssertionError("no idle process named " + comm + "; screen:\n" + escape(all()));
    }

    /** A shell prompt: "$ " for users, "# " for root (busybox ash ignores PS1 from the environment). */
    public String waitForPrompt(long timeoutMs) {
        return waitForAny(timeoutMs, "$ ", "# ");
    }

    /** Runs the guest until the output since the last match contains one of {@code texts}. */
    public String waitForAny(long timeoutMs, String... texts) {
        long end = System.currentTimeMillis() + timeoutMs;
        String text = texts[0];
        while (System.currentTimeMillis() < end) {
            String all = screen.toString(StandardCharsets.UTF_8);
            int at = -1;
            for (String t : texts) {
                int i = all.indexOf(t, mark);
                if (i >= 0 && (at < 0 || i < at)) {
                    at = i;
                    text = t;
                }
            }
            if (at >= 0) {
                String seen = all.substring(mark, at + text.length());
                mark = at + text.length();
                return seen;
            }
            int r = kernel.run(2_000_000);
            if (r == Kernel.RUN_EXITED) {
                all = screen.toString(StandardCharsets.UTF_8);
                boolean any = false;
                for (String t : texts) {
                    any |= all.indexOf(t, mark) >= 0;
                }
                if (any) {
                    continue;
                }
                throw new AssertionError("guest exited before showing '" + String.join("' or '", texts) + "'; screen:\n" + all.substring(mark));
            }
            if (r == Kernel.RUN_IDLE) {
                long d = kernel.nextDeadline();
                long wait = d < 0 ? 5 : Math.min(20, Math.max(0, (d - System.nanoTime()) / 1_000_000));
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }
        throw new AssertionError("timed out waiting for '" + String.join("' or '", texts) + "'; whole screen:\n"
                + escape(screen.toString(StandardCharsets.UTF_8)) + "\n(matched up to " + mark + ")");
    }
}
