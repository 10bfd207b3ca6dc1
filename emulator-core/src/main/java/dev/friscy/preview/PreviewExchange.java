package dev.friscy.preview;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.net.HostClient;
import dev.friscy.net.Network;

import java.util.List;

/**
 * One browser request to a guest web server, carried as a connection into the guest's loopback
 * ({@link HostClient}): the request goes in as the guest reads it, the response comes out as it
 * writes, decoded by {@link HttpResponseReader}. The host drives it with {@link #pump} between
 * runs of the kernel; nothing blocks.
 *
 * Failures before the response head are HTTP answers of their own: 502 when nothing listens on
 * the port or the guest's answer is not HTTP, 503 while the listener's backlog stays full, 504
 * when no response head came within the time limit, 400 for a request HTTP/1.1 cannot carry.
 * After the head they end the body early ({@link #bodyError}).
 */
public final class PreviewExchange {
    public static final long DEFAULT_HEAD_TIMEOUT_MS = 30_000;
    /** Decoded body bytes held for the page at most; beyond that the guest's socket holds back (its writes wait). */
    static final int MAX_BUFFERED = 1 << 20;
    private static final int READ_CHUNK = 64 * 1024;

    private final Network net;
    private final int port;
    private final byte[] request;
    private int sent;
    private boolean requestRefused;
    private HostClient conn;
    private final HttpResponseReader reader;
    private final long deadlineMs;
    private final long timeoutMs;
    private int failStatus;
    private String failMessage;
    private String bodyError;
    private final byte[] buf = new byte[READ_CHUNK];

    /**
     * A request for {@code target} (path and query) on guest port {@code port}; {@code fields}
     * are "name: value" lines (LF-separated), {@code body} may be null. Nothing happens before
     * the first {@link #pump}. {@code headTimeoutMs} (from {@code nowMs}) bounds the wait for the
     * response head.
     */
    public PreviewExchange(Network net, int port, String method, String target, String fields, byte[] body,
            long nowMs, long headTimeoutMs) {
        this.net = net;
        this.port = port;
        this.timeoutMs = headTimeoutMs;
        this.deadlineMs = nowMs + headTimeoutMs;
        this.reader = new HttpResponseReader("HEAD".equalsIgnoreCase(method));
        byte[] r = null;
        if (port < 1 || port > 65535) {
            fail(400, "no such port: " + port);
        } else {
            try {
                r = PreviewRequest.encode(method, target, port, fields, body);
            } catch (IllegalArgumentException e) {
                fail(400, e.getMessage());
            }
        }
        this.request = r;
    }

    /** An exchange that failed before it began (the host refused it), with that answer. */
    static PreviewExchange refused(int status, String message) {
        PreviewExchange x = new PreviewExchange(null, 0, "GET", "/", null, null, 0, 0);
        x.failStatus = status;
        x.failMessage = message;
        return x;
    }

    /**
     * Moves what can move now: connects, sends request bytes the guest has room for, and reads
     * response bytes (while less than {@link #MAX_BUFFERED} wait for the page). Returns true if
     * any byte went into or out of the guest (so its tasks may have woken: run the kernel soon).
     */
    public boolean pump(long nowMs) {
        if (failStatus != 0 || bodyError != null || reader.complete()) {
            return false;
        }
        boolean moved = false;
        try {
            if (conn == null) {
                try {
                    conn = HostClient.connect(net, port);
                } catch (SyscallError e) {
                    if (e.errno == Errno.ECONNREFUSED) {
                        fail(502, "nothing listens on port " + port + " in the guest");
                    } else if (e.errno == Errno.EAGAIN) {
                        if (nowMs >= deadlineMs) {
                            fail(503, "the guest server on port " + port + " accepted no connection within "
                                    + seconds() + " (its listen backlog stayed full)");
                        }
                    } else {
                        fail(502, "cannot connect to port " + port + " in the guest: " + Errno.name(e.errno));
                    }
                    return false;
                }
                moved = true; // the listener's accept can go ahead
            }
            while (!requestRefused && sent < request.length) {
                int n;
                try {
                    n = conn.write(request, sent, request.length - sent);
                } catch (SyscallError e) {
                    // the guest stopped reading (it may have answered already, e.g. 413): read what it said
                    requestRefused = true;
                    break;
                }
                if (n == 0) {
                    break;
                }
                sent += n;
                moved = true;
            }
            int budget = MAX_BUFFERED;
            while (!reader.complete() && !reader.failed() && reader.bodyAvailable() < MAX_BUFFERED && budget > 0) {
                int n;
                try {
                    n = conn.read(buf, 0, Math.min(buf.length, budget));
                } catch (SyscallError e) {
                    lost("the guest server reset the connection");
                    return true;
                }
                if (n == 0) {
                    break;
                }
                moved = true;
                if (n < 0) {
                    reader.eof();
                    break;
                }
                budget -= n;
                reader.feed(buf, 0, n);
            }
        } finally {
            settle(nowMs);
        }
        return moved;
    }

    private void settle(long nowMs) {
        if (failStatus != 0 || bodyError != null) {
            return;
        }
        if (reader.failed()) {
            lost(reader.error());
        } else if (!reader.headDone() && nowMs >= deadlineMs) {
            fail(504, "the guest server on port " + port + " sent no response within " + seconds());
        } else if (reader.complete()) {
            closeConnection(); // everything was read: an ordinary close
        }
    }

    private String seconds() {
        return timeoutMs % 1000 == 0 ? timeoutMs / 1000 + " s" : timeoutMs + " ms";
    }

    private void lost(String why) {
        if (reader.headDone()) {
            bodyError = why;
        } else {
            fail(502, why);
        }
        closeConnection();
    }

    private void fail(int status, String message) {
        failStatus = status;
        failMessage = message;
        closeConnection();
    }

    private void closeConnection() {
        if (conn != null) {
            conn.close();
        }
    }

    // ------------------------------------------------------------------ what the page gets

    /** 0, or the HTTP status the page answers with instead of a response from the guest (400, 502, 503, 504). */
    public int failStatus() {
        return failStatus;
    }

    public String failMessage() {
        return failMessage;
    }

    /** The guest's response head is complete: {@link #status}, {@link #reason}, {@link #fields}. */
    public boolean headReady() {
        return failStatus == 0 && reader.headDone();
    }

    public int status() {
        return reader.status();
    }

    public String reason() {
        return reader.reason();
    }

    public List<String[]> fields() {
        return reader.fields();
    }

    public int bodyAvailable() {
        return reader.bodyAvailable();
    }

    public byte[] takeBody(int max) {
        return reader.takeBody(max);
    }

    /** Why the body ended before its end (the guest closed or reset early, or broke the framing), or null. */
    public String bodyError() {
        return bodyError;
    }

    /** The whole body has been read from the guest (some may still wait in {@link #takeBody}). */
    public boolean complete() {
        return failStatus == 0 && bodyError == null && reader.complete();
    }

    /** Gives up (the browser went away): the guest sees the connection reset if it was not done. */
    public void close() {
        closeConnection();
    }
}
