package dev.friscy.preview;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Responses as guest servers frame them, whole and cut into every size of piece. */
class HttpResponseReaderTest {
    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Feeds {@code response} in pieces of {@code step} bytes, then the end of the connection if {@code close}. */
    static HttpResponseReader read(String response, int step, boolean close, boolean head) {
        HttpResponseReader r = new HttpResponseReader(head);
        byte[] all = b(response);
        for (int i = 0; i < all.length; i += step) {
            r.feed(all, i, Math.min(step, all.length - i));
        }
        if (close) {
            r.eof();
        }
        return r;
    }

    static String body(HttpResponseReader r) {
        return new String(r.takeBody(Integer.MAX_VALUE), StandardCharsets.ISO_8859_1);
    }

    static List<String> fieldNames(HttpResponseReader r) {
        List<String> n = new ArrayList<>();
        for (String[] f : r.fields()) {
            n.add(f[0] + "=" + f[1]);
        }
        return n;
    }

    @Test
    void framingsGiveTheSameEntityInAnyPieces() {
        String[] responses = {
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\nhello world",
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\n1;ext=1\r\n \r\n5\r\nworld\r\n0\r\nX-Trailer: t\r\n\r\n",
            "HTTP/1.0 200 OK\nContent-Type: text/plain\n\nhello world", // bare LF, delimited by close
        };
        for (String resp : responses) {
            for (int step : new int[] {1, 2, 3, 7, 1000}) {
                HttpResponseReader r = read(resp, step, true, false);
                assertNull(r.error(), resp);
                assertTrue(r.headDone() && r.complete(), resp + " step " + step);
                assertEquals(200, r.status());
                assertEquals("OK", r.reason());
                assertEquals("hello world", body(r), resp + " step " + step);
                assertEquals(List.of("Content-Type=text/plain"), fieldNames(r).subList(0, 1));
            }
        }
        HttpResponseReader chunked = read(responses[1], 1000, false, false);
        assertTrue(chunked.complete(), "a chunked body ends at its last chunk, without the connection closing");
        assertEquals(List.of("Content-Type=text/plain"), fieldNames(chunked), "transfer-encoding is ours to undo");
        HttpResponseReader length = read(responses[0], 1000, false, false);
        assertTrue(length.complete(), "a Content-Length body ends at its length");
        assertEquals(List.of("Content-Type=text/plain", "Content-Length=11"), fieldNames(length));
        HttpResponseReader open = read(responses[2], 1000, false, false);
        assertFalse(open.complete(), "a close-delimited body is not over before the close");
    }

    @Test
    void bodylessResponsesAndInterimOnes() {
        HttpResponseReader head = read("HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n", 5, false, true);
        assertTrue(head.complete(), "HEAD: no body whatever Content-Length says");
        for (String s : new String[] {"204 No Content", "304 Not Modified"}) {
            HttpResponseReader r = read("HTTP/1.1 " + s + "\r\nContent-Length: 5\r\n\r\n", 3, false, false);
            assertTrue(r.complete(), s);
            assertEquals(0, r.bodyAvailable());
        }
        HttpResponseReader interim = read("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n"
                + "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok", 4, false, false);
        assertEquals(201, interim.status());
        assertEquals(List.of("Content-Length=2"), fieldNames(interim), "an interim response's fields are not the final one's");
        assertEquals("ok", body(interim));
        HttpResponseReader noReason = read("HTTP/1.1 404\r\nContent-Length: 0\r\n\r\n", 100, false, false);
        assertEquals(404, noReason.status());
        assertEquals("", noReason.reason());
    }

    @Test
    void hopByHopFieldsStayBehind() {
        HttpResponseReader r = read("HTTP/1.1 200 OK\r\nConnection: close, X-Private\r\nKeep-Alive: timeout=5\r\n"
                + "X-Private: 1\r\nSet-Cookie: a=1\r\nX-Folded: one\r\n two\r\nContent-Length: 0\r\n\r\n", 9, false, false);
        assertEquals(List.of("Set-Cookie=a=1", "X-Folded=one two", "Content-Length=0"), fieldNames(r));
    }

    @Test
    void brokenResponsesFailWithAReason() {
        String[][] cases = {
            {"", "closed the connection without answering"},
            {"HTTP/1.1 200 OK\r\nContent-Le", "inside the response head"},
            {"SSH-2.0-OpenSSH\r\n", "not an HTTP/1.x response"},
            {"HTTP/2 200\r\n\r\n", "not an HTTP/1.x response"},
            {"HTTP/1.1 20 OK\r\n\r\n", "not an HTTP/1.x response"},
            {"HTTP/1.1 099 Odd\r\n\r\n", "status 99"},
            {"HTTP/1.1 200 OK\r\nbad field\r\n\r\n", "malformed header field"},
            {"HTTP/1.1 200 OK\r\n folded-first\r\n\r\n", "continuation line"},
            {"HTTP/1.1 200 OK\r\nContent-Length: 5, 6\r\n\r\n", "invalid Content-Length"},
            {"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "invalid Content-Length"},
            {"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", "after 5 of 10 body bytes"},
            {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "invalid chunk size"},
            {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcdef", "longer than its size"},
            {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nab", "inside the chunked body"},
            {"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n", "WebSocket"},
            {"HTTP/1.1 200 OK\r\nX: a\u0000b\r\n\r\n", "NUL or CR"},
            {"HTTP/1.1 200 OK\r\nX: a\rb\r\n\r\n", "NUL or CR"},
        };
        for (String[] c : cases) {
            HttpResponseReader r = read(c[0], 3, true, false);
            assertTrue(r.failed(), c[0]);
            assertTrue(r.error().contains(c[1]), c[0] + ": " + r.error());
        }
        HttpResponseReader oddCoding = read("HTTP/1.1 200 OK\r\nTransfer-Encoding: \u0001,\r\n\r\nto the close", 3, true, false);
        assertEquals("to the close", body(oddCoding), "a last coding that is not chunked: the body runs to the close");
        HttpResponseReader same = read("HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\n\r\nok", 3, false, false);
        assertEquals("ok", body(same), "a repeated equal Content-Length is one length");
    }

    @Test
    void headsAndChunkLinesAreBounded() {
        StringBuilder huge = new StringBuilder("HTTP/1.1 200 OK\r\n");
        while (huge.length() <= HttpResponseReader.MAX_HEAD) {
            huge.append("X-Filler: ").append("f".repeat(100)).append("\r\n");
        }
        HttpResponseReader r = read(huge.toString(), 4096, false, false);
        assertTrue(r.failed() && r.error().contains("over 64 KiB"), String.valueOf(r.error()));
        HttpResponseReader noNewline = read("HTTP/1.1 200 OK\r\nX: " + "y".repeat(70000), 8192, false, false);
        assertTrue(noNewline.failed(), "an endless line fails without waiting for its end");
        HttpResponseReader chunkLine = read("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;" + "e".repeat(5000), 100, false, false);
        assertTrue(chunkLine.failed() && chunkLine.error().contains("chunk-size line"), String.valueOf(chunkLine.error()));
    }

    @Test
    void bodyBytesAreTakenInPieces() {
        HttpResponseReader r = read("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789", 3, false, false);
        assertEquals(10, r.bodyAvailable());
        assertEquals("0123", new String(r.takeBody(4), StandardCharsets.ISO_8859_1));
        assertEquals("456789", new String(r.takeBody(100), StandardCharsets.ISO_8859_1));
        assertEquals(0, r.takeBody(100).length);
        assertEquals(10, r.bodyTotal());
    }
}
