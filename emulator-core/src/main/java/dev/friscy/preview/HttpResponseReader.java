package dev.friscy.preview;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads one HTTP/1.x response as bytes arrive from a guest server (RFC 9112): the status line
 * and header fields, then the body by its framing (Content-Length, chunked, or until the
 * connection closes), decoded, so the page gets the entity as a fetch Response carries it.
 * Interim 1xx responses are skipped. Malformed input never throws: it ends in {@link #error()}.
 */
final class HttpResponseReader {
    /** Most bytes of a response head (status line and fields), and of a chunked body's trailers. */
    static final int MAX_HEAD = 64 * 1024;
    /** Longest chunk-size line. */
    private static final int MAX_CHUNK_LINE = 4096;

    private static final int STATUS = 0, FIELDS = 1, LENGTH = 2, CHUNK_SIZE = 3, CHUNK_DATA = 4, CHUNK_END = 5,
            TRAILERS = 6, UNTIL_CLOSE = 7, DONE = 8, FAILED = 9;

    private final boolean headRequest;
    private int state = STATUS;
    /** Undecoded input: [start, end) of raw. */
    private byte[] raw = new byte[8192];
    private int start;
    private int end;
    /** Bytes of the current head (or trailer section) so far. */
    private int headBytes;
    private long remaining;
    private boolean sawAnything;

    private int status;
    private String reason = "";
    private List<String[]> fields = new ArrayList<>();
    private boolean headDone;
    private String error;

    private final ArrayDeque<byte[]> body = new ArrayDeque<>();
    private int bodyOffset;
    private int bodyAvailable;
    private long bodyTotal;

    /** {@code headRequest}: the request was HEAD, whose response has no body whatever it says. */
    HttpResponseReader(boolean headRequest) {
        this.headRequest = headRequest;
    }

    // ------------------------------------------------------------------ results

    boolean headDone() {
        return headDone;
    }

    int status() {
        return status;
    }

    String reason() {
        return reason;
    }

    /** The response's fields, hop-by-hop ones left out (they described the guest's connection, not the response). */
    List<String[]> fields() {
        return fields;
    }

    /** The body has been read to its end (nothing more will be added). */
    boolean complete() {
        return state == DONE;
    }

    /** Why the response is unusable, or null. */
    String error() {
        return error;
    }

    boolean failed() {
        return state == FAILED;
    }

    int bodyAvailable() {
        return bodyAvailable;
    }

    /** Body bytes decoded so far in total. */
    long bodyTotal() {
        return bodyTotal;
    }

    /** Takes up to {@code max} decoded body bytes. */
    byte[] takeBody(int max) {
        int n = Math.min(max, bodyAvailable);
        byte[] out = new byte[n];
        int at = 0;
        while (at < n) {
            byte[] piece = body.peekFirst();
            int k = Math.min(n - at, piece.length - bodyOffset);
            System.arraycopy(piece, bodyOffset, out, at, k);
            at += k;
            bodyOffset += k;
            if (bodyOffset == piece.length) {
                body.pollFirst();
                bodyOffset = 0;
            }
        }
        bodyAvailable -= n;
        return out;
    }

    // ------------------------------------------------------------------ input

    /** Bytes from the connection. */
    void feed(byte[] b, int off, int len) {
        if (len <= 0 || state == DONE || state == FAILED) {
            return; // bytes after a complete response (the connection is closed after one) are ignored
        }
        sawAnything = true;
        if (end + len > raw.length) {
            int live = end - start;
            byte[] n = live + len > raw.length ? new byte[Math.max(raw.length * 2, live + len)] : raw;
            System.arraycopy(raw, start, n, 0, live);
            raw = n;
            start = 0;
            end = live;
        }
        System.arraycopy(b, off, raw, end, len);
        end += len;
        decode();
    }

    /** The connection ended (the guest closed, or shut down writing). */
    void eof() {
        switch (state) {
            case STATUS:
            case FIELDS:
                fail(sawAnything ? "the guest server closed the connection inside the response head"
                        : "the guest server closed the connection without answering");
                break;
            case LENGTH:
                fail("the guest server closed the connection after " + bodyTotal + " of "
                        + (bodyTotal + remaining) + " body bytes");
                break;
            case CHUNK_SIZE:
            case CHUNK_DATA:
            case CHUNK_END:
            case TRAILERS:
                fail("the guest server closed the connection inside the chunked body");
                break;
            case UNTIL_CLOSE:
                state = DONE;
                break;
            default:
                break;
        }
    }

    private void fail(String why) {
        if (state != FAILED) {
            state = FAILED;
            error = why;
        }
    }

    private void decode() {
        while (state != DONE && state != FAILED) {
            boolean progressed;
            switch (state) {
                case STATUS:
                case FIELDS:
                case TRAILERS:
                    progressed = headLine();
                    break;
                case CHUNK_SIZE:
                    progressed = chunkSize();
                    break;
                case CHUNK_END:
                    progressed = chunkEnd();
                    break;
                default:
                    progressed = bodyBytes();
                    break;
            }
            if (!progressed) {
                return;
            }
        }
    }

    /** The next line's end (index of its LF) within [start, end), or -1. */
    private int lineEnd() {
        for (int i = start; i < end; i++) {
            if (raw[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Takes the next line (without CR LF) as ISO-8859-1, or null if it has not all arrived. */
    private String takeLine(int limit, String what) {
        int nl = lineEnd();
        if (nl < 0) {
            if (headBytes + (end - start) > limit) {
                fail(what);
            }
            return null;
        }
        int len = nl - start;
        headBytes += len + 1;
        if (headBytes > limit) {
            fail(what);
            return null;
        }
        int stop = len > 0 && raw[nl - 1] == '\r' ? nl - 1 : nl;
        String line = new String(raw, start, stop - start, java.nio.charset.StandardCharsets.ISO_8859_1);
        start = nl + 1;
        return line;
    }

    private boolean headLine() {
        boolean trailers = state == TRAILERS;
        String line = takeLine(MAX_HEAD, trailers ? "the chunked body's trailer fields are over 64 KiB"
                : "the response head is over 64 KiB");
        if (line == null) {
            return false;
        }
        if (state == STATUS) {
            statusLine(line);
            return true;
        }
        if (!line.isEmpty()) {
            if (!trailers) {
                field(line);
            } // trailer fields are read past: a fetch Response has no place for them
            return true;
        }
        if (trailers) {
            state = DONE;
            return true;
        }
        endOfHead();
        return true;
    }

    private void statusLine(String line) {
        // HTTP-version SP 3DIGIT SP [reason]; a missing reason's space is tolerated, as browsers do
        if (line.length() < 12 || !line.startsWith("HTTP/1.") || !Character.isDigit(line.charAt(7)) || line.charAt(8) != ' '
                || !digits(line, 9, 12) || (line.length() > 12 && line.charAt(12) != ' ')) {
            fail("the guest server's answer is not an HTTP/1.x response: " + printable(line));
            return;
        }
        status = Integer.parseInt(line.substring(9, 12));
        if (status < 100) {
            fail("the guest server answered with status " + status);
            return;
        }
        reason = line.length() > 13 ? line.substring(13) : "";
        state = FIELDS;
    }

    private static boolean digits(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private void field(String line) {
        char c0 = line.charAt(0);
        if (c0 == ' ' || c0 == '\t') {
            // obsolete line folding: the continuation joins the previous value (RFC 9112 5.2)
            if (fields.isEmpty()) {
                fail("the response head starts with a continuation line");
                return;
            }
            String[] last = fields.get(fields.size() - 1);
            String more = ows(line, 0);
            if (more != null) {
                last[1] = last[1].isEmpty() ? more : more.isEmpty() ? last[1] : last[1] + " " + more;
            }
            return;
        }
        int colon = line.indexOf(':');
        if (colon <= 0 || !token(line, 0, colon)) {
            fail("malformed header field in the guest's response: " + printable(line));
            return;
        }
        String value = ows(line, colon + 1);
        if (value != null) {
            fields.add(new String[] {line.substring(0, colon), value});
        }
    }

    /**
     * A field value from {@code from} on without the optional white space (SP, HTAB) around it;
     * null (and the response failed) if it holds a NUL or CR, which no field value may.
     */
    private String ows(String line, int from) {
        int a = from;
        int b = line.length();
        while (a < b && (line.charAt(a) == ' ' || line.charAt(a) == '\t')) {
            a++;
        }
        while (b > a && (line.charAt(b - 1) == ' ' || line.charAt(b - 1) == '\t')) {
            b--;
        }
        for (int i = a; i < b; i++) {
            if (line.charAt(i) == 0 || line.charAt(i) == '\r') {
                fail("a header field of the guest's response contains NUL or CR");
                return null;
            }
        }
        return line.substring(a, b);
    }

    static boolean token(String s, int from, int to) {
        if (from >= to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && i < 80; i++) {
            char c = s.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return sb.toString();
    }

    private String value(String name) {
        String v = null;
        for (String[] f : fields) {
            if (f[0].equalsIgnoreCase(name)) {
                v = v == null ? f[1] : v + ", " + f[1];
            }
        }
        return v;
    }

    private void endOfHead() {
        if (status < 200) {
            if (status == 101) {
                fail("the guest server switched protocols (101): upgrades such as WebSocket do not pass the preview");
                return;
            }
            // 100 Continue, 102, 103 Early Hints: interim, the real response follows
            fields = new ArrayList<>();
            headBytes = 0;
            state = STATUS;
            return;
        }
        String te = value("Transfer-Encoding");
        String cl = value("Content-Length");
        long length = -1;
        if (te == null && cl != null) {
            length = contentLength(cl);
            if (length < 0) {
                fail("the guest server sent an invalid Content-Length: " + printable(cl));
                return;
            }
        }
        boolean noBody = headRequest || status == 204 || status == 304;
        boolean chunked = false;
        if (te != null) {
            // the last coding decides (RFC 9112 6.3): chunked, or a body that runs to the close
            String last = "";
            for (String c : te.split(",")) {
                if (!c.trim().isEmpty()) {
                    last = c.trim();
                }
            }
            chunked = last.equalsIgnoreCase("chunked");
        }
        keepEndToEndFields(te != null);
        headDone = true;
        headBytes = 0;
        if (noBody) {
            state = DONE;
        } else if (chunked) {
            state = CHUNK_SIZE;
        } else if (length >= 0) {
            remaining = length;
            state = length == 0 ? DONE : LENGTH;
        } else {
            state = UNTIL_CLOSE; // a body delimited by the end of the connection (RFC 9112 6.3 rule 8)
        }
    }

    /** Content-Length's value: one number, or a list of the same number repeated; -1 if invalid. */
    private static long contentLength(String v) {
        long n = -1;
        for (String part : v.split(",")) {
            String p = part.trim();
            if (p.isEmpty() || p.length() > 18 || !digits(p, 0, p.length())) {
                return -1;
            }
            long k = Long.parseLong(p);
            if (n >= 0 && k != n) {
                return -1;
            }
            n = k;
        }
        return n;
    }

    private void keepEndToEndFields(boolean transferCoded) {
        List<String> drop = new ArrayList<>(List.of("connection", "keep-alive", "proxy-connection", "transfer-encoding",
                "te", "trailer", "upgrade"));
        if (transferCoded) {
            drop.add("content-length"); // the framing is ours to undo; the decoded length is not known ahead
        }
        String conn = value("Connection");
        if (conn != null) {
            for (String n : conn.split(",")) {
                drop.add(n.trim().toLowerCase(Locale.ROOT));
            }
        }
        List<String[]> kept = new ArrayList<>();
        for (String[] f : fields) {
            if (!drop.contains(f[0].toLowerCase(Locale.ROOT))) {
                kept.add(f);
            }
        }
        fields = kept;
    }

    private boolean chunkSize() {
        headBytes = 0; // a partial line is not taken, so each try measures it whole
        String line = takeLine(MAX_CHUNK_LINE, "the guest server sent a chunk-size line over 4 KiB");
        if (line == null) {
            return false;
        }
        int semi = line.indexOf(';');
        String hex = (semi >= 0 ? line.substring(0, semi) : line).trim();
        if (hex.isEmpty() || hex.length() > 8) {
            fail("the guest server sent an invalid chunk size: " + printable(line));
            return false;
        }
        long size = 0;
        for (int i = 0; i < hex.length(); i++) {
            int d = Character.digit(hex.charAt(i), 16);
            if (d < 0) {
                fail("the guest server sent an invalid chunk size: " + printable(line));
                return false;
            }
            size = size * 16 + d;
        }
        if (size == 0) {
            headBytes = 0;
            state = TRAILERS;
        } else {
            remaining = size;
            state = CHUNK_DATA;
        }
        return true;
    }

    private boolean chunkEnd() {
        if (end - start < 1 || (raw[start] == '\r' && end - start < 2)) {
            return false;
        }
        if (raw[start] == '\n') {
            start += 1;
        } else if (raw[start] == '\r' && raw[start + 1] == '\n') {
            start += 2;
        } else {
            fail("the guest server's chunk is longer than its size said");
            return false;
        }
        state = CHUNK_SIZE;
        return true;
    }

    /** Moves body bytes (LENGTH, CHUNK_DATA, UNTIL_CLOSE) from the input to the decoded body. */
    private boolean bodyBytes() {
        int have = end - start;
        if (have == 0) {
            return false;
        }
        int n = state == UNTIL_CLOSE ? have : (int) Math.min(have, remaining);
        byte[] piece = new byte[n];
        System.arraycopy(raw, start, piece, 0, n);
        start += n;
        body.addLast(piece);
        bodyAvailable += n;
        bodyTotal += n;
        if (state != UNTIL_CLOSE) {
            remaining -= n;
            if (remaining == 0) {
                state = state == LENGTH ? DONE : CHUNK_END;
            }
        }
        if (start == end) {
            start = 0;
            end = 0;
        }
        return true;
    }
}
