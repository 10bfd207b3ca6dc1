package dev.friscy.preview;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.friscy.errno.SyscallError;
import dev.friscy.mem.IoBuffer;
import dev.friscy.net.Network;
import dev.friscy.net.SockAddr;
import dev.friscy.net.Socket;
import dev.friscy.net.StreamSocket;

/**
 * Fuzz target: whatever a guest server writes back to a preview request (the first byte sets
 * the size of the pieces it arrives in). The exchange must end, told once, as an error, an
 * aborted body or a complete one, with nothing thrown. In `mvn verify` it replays the seeds in
 * PreviewFuzzTestInputs; `JAZZER_FUZZ=1 mvn test -Dtest=PreviewFuzzTest` fuzzes.
 */
class PreviewFuzzTest {
    @FuzzTest(maxDuration = "10m")
    void guestResponse(byte[] input) {
        if (input.length == 0) {
            return;
        }
        int piece = (input[0] & 0xff) + 1;
        Network net = new Network();
        StreamSocket l = new StreamSocket(net, SockAddr.AF_INET, Socket.SOCK_STREAM, Socket.IPPROTO_TCP, 0);
        l.bind(null, SockAddr.inet(SockAddr.AF_INET, SockAddr.ANY4, 3000));
        l.listen(null, 4);
        Previews p = new Previews(net);
        int id = p.open(3000, input.length % 7 == 0 ? "HEAD" : "GET", "/", "", null, 0, 1000);
        p.pump(id, 0);
        Socket a = l.accept(null, 0);
        int at = 1;
        int ends = 0;
        boolean closed = false;
        for (int round = 0; round < 100_000 && ends == 0; round++) {
            if (at < input.length) {
                try {
                    at += a.write(null, IoBuffer.of(input, at, Math.min(piece, input.length - at)));
                } catch (SyscallError e) {
                    // EAGAIN until the page takes some; EPIPE/ECONNRESET once the preview hung up
                    if (e.errno != dev.friscy.errno.Errno.EAGAIN) {
                        at = input.length;
                    }
                }
            }
            if (at >= input.length && !closed) {
                closed = true;
                a.decRef(); // the guest closes: close-delimited bodies end, others break off
            }
            String news = p.pump(id, round);
            java.util.List<String> keys = topLevelKeys(news);
            p.body(id, 1 << 16);
            for (String k : keys) {
                if (k.equals("error") || k.equals("abort") || k.equals("end")) {
                    ends++;
                }
            }
        }
        if (ends != 1) {
            throw new AssertionError("the exchange must end exactly once, ended " + ends + " times");
        }
        p.close(id);
        l.decRef();
    }

    /** The member names of a JSON object's top level; AssertionError if the text is not one well-nested object. */
    static java.util.List<String> topLevelKeys(String json) {
        java.util.List<String> keys = new java.util.ArrayList<>();
        if (!json.startsWith("{") || !json.endsWith("}")) {
            throw new AssertionError("not a JSON object: " + json);
        }
        int depth = 0;
        boolean expectKey = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c == '"') {
                StringBuilder sb = new StringBuilder();
                for (i++; i < json.length() && json.charAt(i) != '"'; i++) {
                    if (json.charAt(i) < 0x20) {
                        throw new AssertionError("a raw control character in a JSON string: " + json);
                    }
                    if (json.charAt(i) == '\\') {
                        i++;
                    }
                    sb.append(json.charAt(Math.min(i, json.length() - 1)));
                }
                if (i >= json.length()) {
                    throw new AssertionError("an unterminated JSON string: " + json);
                }
                if (expectKey && depth == 1) {
                    keys.add(sb.toString());
                }
                expectKey = false;
            } else if (c == '{' || c == '[') {
                depth++;
                expectKey = c == '{';
            } else if (c == '}' || c == ']') {
                depth--;
            } else if (c == ',') {
                expectKey = depth == 1 || expectKey;
            }
        }
        if (depth != 0) {
            throw new AssertionError("unbalanced JSON: " + json);
        }
        return keys;
    }
}
