package dev.friscy.kernel;

import java.nio.charset.StandardCharsets;

/**
 * The process lifecycle records the kernel emits (spawn, exec, exit, wait_wakeup, reap), kept
 * in a bounded ring. When it overflows the oldest records are dropped and the next drained
 * batch starts with a {"type":"dropped","count":N} record; seq numbers show the gap.
 */
public final class ProcessEvents {
    public static final int DEFAULT_CAPACITY = 4096;

    private final String[] ring;
    private int head;
    private int count;
    private long seq;
    private long dropped;
    /** Optional tap that sees every record as it is made (the CLI's --events file). */
    public java.util.function.Consumer<String> tap;

    public ProcessEvents(int capacity) {
        ring = new String[Math.max(1, capacity)];
    }

    private void push(String json) {
        if (tap != null) {
            tap.accept(json);
        }
        if (count == ring.length) {
            ring[head] = null;
            head = (head + 1) % ring.length;
            count--;
            dropped++;
        }
        ring[(head + count) % ring.length] = json;
        count++;
    }

    private StringBuilder start(String type, int pid, long tMs) {
        StringBuilder sb = new StringBuilder(96);
        sb.append("{\"seq\":").append(++seq).append(",\"type\":\"").append(type).append("\",\"pid\":").append(pid)
                .append(",\"t\":").append(tMs);
        return sb;
    }

    public void spawn(long tMs, int pid, int ppid, int pgid, int sid) {
        push(start("spawn", pid, tMs).append(",\"ppid\":").append(ppid).append(",\"pgid\":").append(pgid)
                .append(",\"sid\":").append(sid).append('}').toString());
    }

    /** exec records carry at most this many arguments of at most MAX_ARG_BYTES bytes each. */
    public static final int MAX_ARGS = 32;
    public static final int MAX_ARG_BYTES = 256;

    /**
     * {@code path} as passed to execve; {@code argv} the new program's arguments (the first
     * {@link #MAX_ARGS}, each cut to {@link #MAX_ARG_BYTES} bytes; {@code argc} says how many there
     * were) and {@code comm} its new /proc/PID/comm, both decoded as UTF-8.
     */
    public void exec(long tMs, int pid, String path, byte[][] argv, String comm) {
        StringBuilder sb = start("exec", pid, tMs).append(",\"path\":");
        appendJsonString(sb, path);
        sb.append(",\"argv\":[");
        int n = Math.min(argv.length, MAX_ARGS);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(',');
            }
            byte[] a = argv[i];
            appendJsonString(sb, new String(a, 0, Math.min(a.length, MAX_ARG_BYTES), StandardCharsets.UTF_8));
        }
        sb.append("],\"argc\":").append(argv.length).append(",\"comm\":");
        appendJsonString(sb, new String(comm.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
        push(sb.append('}').toString());
    }

    public void exit(long tMs, int pid, int ppid, int status) {
        push(start("exit", pid, tMs).append(",\"ppid\":").append(ppid).append(",\"status\":").append(status)
                .append('}').toString());
    }

    public void waitWakeup(long tMs, int pid, int child, int status) {
        push(start("wait_wakeup", pid, tMs).append(",\"child\":").append(child).append(",\"status\":")
                .append(status).append('}').toString());
    }

    public void reap(long tMs, int pid, int by) {
        push(start("reap", pid, tMs).append(",\"by\":").append(by).append('}').toString());
    }

    /**
     * A TCP socket of {@code pid} started listening on {@code addr} port {@code port} (what a
     * page offers to open, e.g. a dev server on port 3000), and {@link #unlisten} when it stops.
     */
    public void listen(long tMs, int pid, String addr, int port) {
        StringBuilder sb = start("listen", pid, tMs).append(",\"addr\":");
        appendJsonString(sb, addr);
        push(sb.append(",\"port\":").append(port).append('}').toString());
    }

    public void unlisten(long tMs, int pid, String addr, int port) {
        StringBuilder sb = start("unlisten", pid, tMs).append(",\"addr\":");
        appendJsonString(sb, addr);
        push(sb.append(",\"port\":").append(port).append('}').toString());
    }

    /** All pending records as a JSON array string; clears them. */
    public String drain() {
        StringBuilder sb = new StringBuilder(2 + count * 96);
        sb.append('[');
        boolean first = true;
        if (dropped > 0) {
            sb.append("{\"type\":\"dropped\",\"count\":").append(dropped).append('}');
            dropped = 0;
            first = false;
        }
        for (int i = 0; i < count; i++) {
            int k = (head + i) % ring.length;
            if (!first) {
                sb.append(',');
            }
            sb.append(ring[k]);
            ring[k] = null;
            first = false;
        }
        head = 0;
        count = 0;
        return sb.append(']').toString();
    }

    public int pending() {
        return count;
    }

    public static void appendJsonString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c >= 0x7f) {
                String h = Integer.toHexString(c);
                sb.append("\\u");
                for (int k = h.length(); k < 4; k++) {
                    sb.append('0');
                }
                sb.append(h);
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
    }
}
