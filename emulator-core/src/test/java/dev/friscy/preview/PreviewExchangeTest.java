package dev.friscy.preview;

import dev.friscy.mem.IoBuffer;
import dev.friscy.net.Network;
import dev.friscy.net.SockAddr;
import dev.friscy.net.Socket;
import dev.friscy.net.StreamSocket;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A preview request against a guest-side server played by the test through the kernel's sockets. */
class PreviewExchangeTest {
    static StreamSocket listener(Network net, int port) {
        StreamSocket l = new StreamSocket(net, SockAddr.AF_INET, Socket.SOCK_STREAM, Socket.IPPROTO_TCP, 0);
        l.bind(null, SockAddr.inet(SockAddr.AF_INET, SockAddr.ANY4, port));
        l.listen(null, 16);
        return l;
    }

    static String readAll(Socket s) {
        byte[] b = new byte[65536];
        int n = s.read(null, IoBuffer.of(b));
        return new String(b, 0, n, StandardCharsets.ISO_8859_1);
    }

    static void send(Socket s, String text) {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(b.length, s.write(null, IoBuffer.of(b)));
    }

    @Test
    void aRequestGoesInAndTheResponseComesOut() {
        Network net = new Network();
        StreamSocket l = listener(net, 3000);
        PreviewExchange x = new PreviewExchange(net, 3000, "POST", "/api/echo?x=1",
                "Content-Type: text/plain\nHost: 127.0.0.1:8080\nConnection: keep-alive\nX-Test: yes\n",
                "ping".getBytes(StandardCharsets.ISO_8859_1), 0, 1000);
        assertTrue(x.pump(0));
        Socket a = l.accept(null, 0);
        assertEquals("POST /api/echo?x=1 HTTP/1.1\r\nHost: localhost:3000\r\nContent-Type: text/plain\r\nX-Test: yes\r\n"
                + "Content-Length: 4\r\nConnection: close\r\n\r\nping", readAll(a),
                "the browser's Host and connection fields are replaced by the preview's own");
        assertFalse(x.pump(1), "nothing to move while the guest thinks");
        assertFalse(x.headReady());
        send(a, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n4\r\npong\r\n");
        assertTrue(x.pump(2));
        assertTrue(x.headReady());
        assertEquals(200, x.status());
        assertEquals("pong", new String(x.takeBody(100), StandardCharsets.ISO_8859_1));
        assertFalse(x.complete());
        send(a, "0\r\n\r\n");
        a.decRef();
        assertTrue(x.pump(3));
        assertTrue(x.complete());
        assertNull(x.bodyError());
        l.decRef();
        assertTrue(net.inetSockets().isEmpty(), "the host's end is closed once the response is complete: " + net.inetSockets());
    }

    @Test
    void failuresBecomeHttpAnswers() {
        Network net = new Network();
        PreviewExchange none = new PreviewExchange(net, 3000, "GET", "/", "", null, 0, 1000);
        none.pump(0);
        assertEquals(502, none.failStatus());
        assertEquals("nothing listens on port 3000 in the guest", none.failMessage());

        StreamSocket l = listener(net, 3000);
        PreviewExchange slow = new PreviewExchange(net, 3000, "GET", "/", "", null, 0, 1500);
        slow.pump(0);
        Socket a = l.accept(null, 0);
        slow.pump(1499);
        assertEquals(0, slow.failStatus(), "not yet");
        slow.pump(1500);
        assertEquals(504, slow.failStatus());
        assertEquals("the guest server on port 3000 sent no response within 1500 ms", slow.failMessage());
        a.decRef();

        PreviewExchange early = new PreviewExchange(net, 3000, "GET", "/", "", null, 0, 1000);
        early.pump(0);
        Socket b = l.accept(null, 0);
        readAll(b);
        b.decRef();
        early.pump(1);
        assertEquals(502, early.failStatus());
        assertTrue(early.failMessage().contains("without answering"), early.failMessage());

        PreviewExchange cut = new PreviewExchange(net, 3000, "GET", "/", "", null, 0, 1000);
        cut.pump(0);
        Socket c = l.accept(null, 0);
        readAll(c);
        send(c, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this");
        c.decRef();
        cut.pump(1);
        assertTrue(cut.headReady(), "the head was fine: the browser has it");
        assertEquals("only this", new String(cut.takeBody(100), StandardCharsets.ISO_8859_1));
        assertTrue(cut.bodyError().contains("after 9 of 100 body bytes"), cut.bodyError());

        for (String[] bad : new String[][] {{"GET /", "/"}, {"GET", "no-slash"}, {"GET", "/sp ace"}, {"GET", "/\u00e9"}}) {
            PreviewExchange r = new PreviewExchange(net, 3000, bad[0], bad[1], "", null, 0, 1000);
            assertEquals(400, r.failStatus(), bad[0] + " " + bad[1]);
            assertFalse(r.pump(0));
        }
        assertEquals(400, new PreviewExchange(net, 3000, "GET", "/", "X-Bad: a\u0100b\n", null, 0, 1000).failStatus());
        assertEquals(400, new PreviewExchange(net, 70000, "GET", "/", "", null, 0, 1000).failStatus());
    }

    @Test
    void aFullBacklogWaitsThenAnswers503() {
        Network net = new Network();
        StreamSocket l = new StreamSocket(net, SockAddr.AF_INET, Socket.SOCK_STREAM, Socket.IPPROTO_TCP, 0);
        l.bind(null, SockAddr.inet(SockAddr.AF_INET, SockAddr.ANY4, 3000));
        l.listen(null, 0);
        PreviewExchange first = new PreviewExchange(net, 3000, "GET", "/", "", null, 0, 1000);
        first.pump(0);
        PreviewExchange second = new PreviewExchange(net, 3000, "GET", "/", "", null, 0, 1000);
        assertFalse(second.pump(10));
        assertEquals(0, second.failStatus(), "waits for room");
        second.pump(1000);
        assertEquals(503, second.failStatus());
    }

    @Test
    void theBodyIsHeldBackWhileThePageDoesNotTakeIt() {
        Network net = new Network();
        StreamSocket l = listener(net, 3000);
        PreviewExchange x = new PreviewExchange(net, 3000, "GET", "/big", "", null, 0, 1000);
        x.pump(0);
        Socket a = l.accept(null, 0);
        readAll(a);
        send(a, "HTTP/1.1 200 OK\r\n\r\n");
        byte[] chunk = new byte[32768];
        long written = 0;
        for (int round = 0; round < 200; round++) {
            while (true) {
                try {
                    written += a.write(null, IoBuffer.of(chunk));
                } catch (dev.friscy.errno.SyscallError e) {
                    break; // EAGAIN: the guest's writes wait
                }
            }
            x.pump(round);
        }
        assertTrue(x.bodyAvailable() <= PreviewExchange.MAX_BUFFERED + 65536, "bounded: " + x.bodyAvailable());
        assertTrue(written < 8L << 20, "the guest was held back: " + written);
        long taken = 0;
        while (x.bodyAvailable() > 0) {
            taken += x.takeBody(1 << 20).length;
            x.pump(300);
        }
        assertTrue(taken > 0);
        a.write(null, IoBuffer.of(chunk));
        x.close(); // the browser gives up with a response unread: the guest is reset
        assertEquals(dev.friscy.errno.Errno.ECONNRESET,
                assertThrows(dev.friscy.errno.SyscallError.class, () -> a.write(null, IoBuffer.of(chunk))).errno);
    }

    @Test
    void previewsReportProgressAsJson() {
        Network net = new Network();
        StreamSocket l = listener(net, 3000);
        Previews p = new Previews(net);
        int id = p.open(3000, "GET", "/", "Accept: */*\n", null, 0, 0);
        assertEquals("{\"moved\":true}", p.pump(id, 0));
        Socket a = l.accept(null, 0);
        readAll(a);
        send(a, "HTTP/1.1 200 Fine \"here\"\r\nContent-Type: text/html\r\nContent-Length: 2\r\n\r\nhi");
        a.decRef();
        assertEquals("{\"moved\":true,\"head\":{\"status\":200,\"reason\":\"Fine \\\"here\\\"\",\"headers\":"
                + "[[\"Content-Type\",\"text/html\"],[\"Content-Length\",\"2\"]]},\"available\":2}", p.pump(id, 1));
        assertEquals("hi", new String(p.body(id, 10), StandardCharsets.ISO_8859_1));
        assertEquals("{\"end\":true}", p.pump(id, 2));
        assertEquals("{}", p.pump(id, 3));
        p.close(id);
        assertEquals(0, p.size());
        assertTrue(p.pump(id, 4).contains("\"status\":500"));
        int gone = p.open(3001, "GET", "/", "", null, 0, 0);
        assertEquals("{\"error\":{\"status\":502,\"message\":\"nothing listens on port 3001 in the guest\"}}", p.pump(gone, 0));
        assertEquals("{}", p.pump(gone, 1), "an error is told once");
        for (int i = 1; i < Previews.MAX_OPEN; i++) {
            p.open(3000, "GET", "/", "", null, 0, 0);
        }
        int over = p.open(3000, "GET", "/", "", null, 0, 0);
        assertTrue(p.pump(over, 0).contains("\"status\":503"), "too many at once");
    }
}
