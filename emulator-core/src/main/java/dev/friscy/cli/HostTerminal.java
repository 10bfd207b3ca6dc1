package dev.friscy.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The host terminal in raw mode while a guest runs (the guest's own line discipline does
 * echo and editing), restored on exit. Uses stty, since the JVM has no termios API.
 */
public final class HostTerminal {
    private final String saved;
    private int[] lastSize;

    private HostTerminal(String saved) {
        this.saved = saved;
        this.lastSize = size();
    }

    static HostTerminal enterRaw() {
        String saved = stty("-g");
        if (saved == null) {
            return null;
        }
        stty("raw", "-echo");
        HostTerminal t = new HostTerminal(saved.trim());
        Runtime.getRuntime().addShutdownHook(new Thread(t::restore));
        return t;
    }

    void restore() {
        stty(saved);
    }

    /** rows, cols */
    int[] size() {
        String s = stty("size");
        if (s == null) {
            return null;
        }
        String[] p = s.trim().split("\\s+");
        try {
            return new int[] {Integer.parseInt(p[0]), Integer.parseInt(p[1])};
        } catch (RuntimeException e) {
            return null;
        }
    }

    boolean resized() {
        int[] s = size();
        if (s != null && (lastSize == null || s[0] != lastSize[0] || s[1] != lastSize[1])) {
            lastSize = s;
            return true;
        }
        return false;
    }

    private static String stty(String... args) {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "stty";
        System.arraycopy(args, 0, cmd, 1, args.length);
        try {
            Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.INHERIT)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (InputStream in = p.getInputStream()) {
                in.transferTo(out);
            }
            return p.waitFor() == 0 ? out.toString() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
