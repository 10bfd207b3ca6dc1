package dev.friscy.preview;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * The HTTP/1.1 request a guest server receives for a browser request to the preview: the
 * browser's method, path and end-to-end header fields, with Host naming the guest's port on
 * localhost (dev servers check it against "localhost"), and "Connection: close": every preview
 * request is a connection of its own, so the response ends where the connection does at worst.
 */
final class PreviewRequest {
    /** Longest request target, as common servers accept (node's limit for the whole head is 16 KiB). */
    static final int MAX_TARGET = 8192;
    static final int MAX_FIELDS = 64 * 1024;

    /** Fields the preview decides itself, or that only described the browser's connection to the page. */
    private static final List<String> DROPPED = List.of("host", "connection", "keep-alive", "proxy-connection",
            "transfer-encoding", "te", "trailer", "upgrade", "content-length", "expect");

    private PreviewRequest() {
    }

    /**
     * The request's bytes. {@code fields} are "name: value" lines separated by LF; {@code body}
     * may be null. Throws IllegalArgumentException (with a message for the browser) for a method,
     * target or field that cannot be sent as HTTP/1.1.
     */
    static byte[] encode(String method, String target, int port, String fields, byte[] body) {
        if (method == null || method.length() > 32 || !HttpResponseReader.token(method, 0, method.length())) {
            throw new IllegalArgumentException("invalid request method");
        }
        if (target == null || target.isEmpty() || target.charAt(0) != '/' || target.length() > MAX_TARGET) {
            throw new IllegalArgumentException("the request path must start with / and be at most " + MAX_TARGET + " characters");
        }
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                throw new IllegalArgumentException("the request path must be percent-encoded ASCII");
            }
        }
        StringBuilder head = new StringBuilder(256);
        head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        head.append("Host: localhost:").append(port).append("\r\n");
        if (fields != null && !fields.isEmpty()) {
            if (fields.length() > MAX_FIELDS) {
                throw new IllegalArgumentException("the request's header fields are over 64 KiB");
            }
            for (String line : fields.split("\n")) {
                if (line.isEmpty()) {
                    continue;
                }
                int colon = line.indexOf(':');
                if (colon <= 0 || !HttpResponseReader.token(line, 0, colon)) {
                    throw new IllegalArgumentException("malformed request header field");
                }
                String name = line.substring(0, colon);
                String value = line.substring(colon + 1).trim();
                for (int i = 0; i < value.length(); i++) {
                    char c = value.charAt(i);
                    if (c == '\r' || c == '\n' || c == 0 || c > 0xff) {
                        throw new IllegalArgumentException("request header field " + name + " has a character HTTP/1.1 cannot carry");
                    }
                }
                if (DROPPED.contains(name.toLowerCase(Locale.ROOT))) {
                    continue;
                }
                head.append(name).append(": ").append(value).append("\r\n");
            }
        }
        int length = body == null ? 0 : body.length;
        String m = method.toUpperCase(Locale.ROOT);
        if (length > 0 || m.equals("POST") || m.equals("PUT") || m.equals("PATCH")) {
            head.append("Content-Length: ").append(length).append("\r\n");
        }
        head.append("Connection: close\r\n\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream(head.length() + length);
        byte[] h = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        out.write(h, 0, h.length);
        if (length > 0) {
            out.write(body, 0, length);
        }
        return out.toByteArray();
    }
}
