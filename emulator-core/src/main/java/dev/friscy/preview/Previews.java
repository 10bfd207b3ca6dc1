package dev.friscy.preview;

import dev.friscy.kernel.ProcessEvents;
import dev.friscy.net.Network;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/**
 * The preview requests in flight in one kernel, by number, in the shape the page's Worker uses
 * them (web-host's WorkerMain exports these calls): open one, pump it after every run of the
 * kernel and report what is new as JSON, hand out body bytes, close it.
 */
public final class Previews {
    /** Requests in flight at most; more are answered 503 at once. */
    public static final int MAX_OPEN = 64;

    private final Network net;
    private final HashMap<Integer, Entry> open = new HashMap<>();
    private int nextId = 1;

    private static final class Entry {
        final PreviewExchange x;
        boolean headReported;
        boolean endReported;

        Entry(PreviewExchange x) {
            this.x = x;
        }
    }

    public Previews(Network net) {
        this.net = net;
    }

    /** Starts a request (see {@link PreviewExchange}); returns its number. Errors come out of {@link #pump}. */
    public int open(int port, String method, String target, String fields, byte[] body, long nowMs, long headTimeoutMs) {
        PreviewExchange x = open.size() >= MAX_OPEN
                ? PreviewExchange.refused(503, "too many preview requests at once (" + MAX_OPEN + ")")
                : new PreviewExchange(net, port, method, target, fields, body, nowMs,
                        headTimeoutMs > 0 ? headTimeoutMs : PreviewExchange.DEFAULT_HEAD_TIMEOUT_MS);
        int id = nextId++;
        open.put(id, new Entry(x));
        return id;
    }

    /**
     * Moves request {@code id} on and says what is new, as a JSON object with these members when
     * they apply: "moved": true (bytes went into or out of the guest: run the kernel soon);
     * "error": {status, message} (answer with that instead; the request is over); "head":
     * {status, reason, headers: [[name, value], ...]} (once); "available": body bytes waiting;
     * "abort": message (the body broke off); "end": true (the body is complete and all taken).
     * An unknown id answers {"error": ...} with status 500.
     */
    public String pump(int id, long nowMs) {
        Entry e = open.get(id);
        StringBuilder sb = new StringBuilder(64).append('{');
        if (e == null) {
            sb.append("\"error\":{\"status\":500,\"message\":\"no such preview request\"}}");
            return sb.toString();
        }
        PreviewExchange x = e.x;
        boolean moved = x.pump(nowMs);
        boolean first = true;
        if (moved) {
            sb.append("\"moved\":true");
            first = false;
        }
        if (x.failStatus() != 0) {
            if (!e.endReported) {
                e.endReported = true;
                sb.append(first ? "" : ",").append("\"error\":{\"status\":").append(x.failStatus()).append(",\"message\":");
                ProcessEvents.appendJsonString(sb, x.failMessage());
                sb.append('}');
            }
            return sb.append('}').toString();
        }
        if (x.headReady() && !e.headReported) {
            e.headReported = true;
            sb.append(first ? "" : ",").append("\"head\":{\"status\":").append(x.status()).append(",\"reason\":");
            ProcessEvents.appendJsonString(sb, x.reason());
            sb.append(",\"headers\":[");
            List<String[]> fs = x.fields();
            for (int i = 0; i < fs.size(); i++) {
                sb.append(i == 0 ? "[" : ",[");
                ProcessEvents.appendJsonString(sb, fs.get(i)[0]);
                sb.append(',');
                ProcessEvents.appendJsonString(sb, fs.get(i)[1]);
                sb.append(']');
            }
            sb.append("]}");
            first = false;
        }
        if (e.headReported) {
            if (x.bodyAvailable() > 0) {
                sb.append(first ? "" : ",").append("\"available\":").append(x.bodyAvailable());
                first = false;
            } else if (!e.endReported && x.bodyError() != null) {
                e.endReported = true;
                sb.append(first ? "" : ",").append("\"abort\":");
                ProcessEvents.appendJsonString(sb, x.bodyError());
                first = false;
            } else if (!e.endReported && x.complete()) {
                e.endReported = true;
                sb.append(first ? "" : ",").append("\"end\":true");
            }
        }
        return sb.append('}').toString();
    }

    /** Up to {@code max} body bytes of request {@code id} (empty if none wait, or no such request). */
    public byte[] body(int id, int max) {
        Entry e = open.get(id);
        return e == null ? new byte[0] : e.x.takeBody(Math.max(0, max));
    }

    /** Ends request {@code id}: finished, failed, or abandoned by the browser (the guest then sees a reset). */
    public void close(int id) {
        Entry e = open.remove(id);
        if (e != null) {
            e.x.close();
        }
    }

    /** Numbers of the requests in flight. */
    public List<Integer> ids() {
        return new ArrayList<>(open.keySet());
    }

    public int size() {
        return open.size();
    }
}
