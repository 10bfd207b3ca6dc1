package dev.friscy.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.friscy.errno.Errno;
import dev.friscy.host.NetMap;
import dev.friscy.testservers.EchoServer;
import dev.friscy.testservers.Ports;
import dev.friscy.testservers.UdpServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The relay server against an echo server of this machine's 127.0.0.1, which guests reach as
 * 192.0.2.1:7 (a documentation address mapped with the relay's --relay-map). Every other
 * destination here is refused before any connection is made: no traffic leaves loopback.
 */
class RelayServerTest {
    private static final byte[] GUEST_ECHO = v4(192, 0, 2, 1);
    private static final String ORIGIN = "http://127.0.0.1:8080";

    private EchoServer echo;
    private UdpServer udpEcho;
    private UdpServer dnsEcho;
    private int closedPort;
    private RelayServer relay;

    @BeforeEach
    void start() throws IOException {
        echo = EchoServer.streaming();
        closedPort = Ports.closed();
        udpEcho = UdpServer.echo();
        dnsEcho = UdpServer.echo();
        relay = startRelay(4, List.of());
    }

    private RelayServer startRelay(int max, List<String> allow) throws IOException {
        Map<String, InetSocketAddress> map = new HashMap<>();
        NetMap.parse("--relay-map", "192.0.2.1:7=127.0.0.1:" + echo.port(), map);
        NetMap.parse("--relay-map", "192.0.2.1:8=127.0.0.1:" + closedPort, map);
        NetMap.parse("--relay-map", "192.0.2.1:9=127.0.0.1:" + udpEcho.port(), map);
        List<InetSocketAddress> dns = List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), dnsEcho.port()));
        return RelayServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                new RelayServer.Config(new RelayPolicy(map, allow, false, dns), max, Set.of(ORIGIN), 5000));
    }

    @AfterEach
    void stop() throws IOException {
        relay.close();
        echo.close();
        udpEcho.close();
        dnsEcho.close();
    }

    static byte[] v4(int a, int b, int c, int d) {
        return new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) a, (byte) b, (byte) c, (byte) d};
    }

    private RelayClient client() {
        return new RelayClient(relay.getPort(), ORIGIN);
    }

    private static int resultErrno(byte[] f) {
        assertEquals(RelayFrames.RESULT, f[0], "a RESULT frame");
        return RelayFrames.u32(f, 1);
    }

    private static void assertProtocolError(RelayClient c) throws Exception {
        byte[] f = c.next();
        assertEquals(RelayFrames.ERROR, f[0], "an ERROR frame");
        assertEquals(Errno.EPROTO, RelayFrames.u32(f, 1), RelayFrames.errorMessage(f));
        assertEquals(1002, c.closeCode());
    }

    /** Echo through a fresh session: the relay still works. */
    private void assertEchoWorks() throws Exception {
        try (RelayClient c = client()) {
            c.send(RelayFrames.connect(GUEST_ECHO, 7, RelayFrames.WINDOW));
            assertEquals(0, resultErrno(c.next()));
            c.send(RelayFrames.data("ping".getBytes(StandardCharsets.US_ASCII), 0, 4));
            assertEquals("ping", text(readUntilShutOrBytes(c, 4)));
        }
    }

    private static byte[] readUntilShutOrBytes(RelayClient c, int want) throws Exception {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        while (got.size() < want) {
            byte[] f = c.next();
            if (f[0] == RelayFrames.SHUT) {
                break;
            }
            if (f[0] == RelayFrames.DATA) {
                got.write(f, 1, f.length - 1);
            }
        }
        return got.toByteArray();
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }

    @Test
    void relaysBothWaysAndHalfCloses() throws Exception {
        try (RelayClient c = client()) {
            c.send(RelayFrames.connect(GUEST_ECHO, 7, RelayFrames.WINDOW));
            byte[] r = c.next();
            assertEquals(0, resultErrno(r));
            assertEquals(RelayFrames.WINDOW, RelayFrames.u32(r, 5));
            byte[] big = new byte[200_000];
            for (int i = 0; i < big.length; i++) {
                big[i] = (byte) (i * 31 + 7);
            }
            for (int off = 0; off < big.length; off += RelayFrames.MAX_DATA) {
                c.send(RelayFrames.data(big, off, Math.min(RelayFrames.MAX_DATA, big.length - off)));
            }
            c.send(RelayFrames.shut());
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            int credited = 0;
            while (true) {
                byte[] f = c.next();
                if (f[0] == RelayFrames.SHUT) {
                    break; // the echo server shut down after our SHUT reached it
                }
                if (f[0] == RelayFrames.CREDIT) {
                    credited += RelayFrames.u32(f, 1);
                } else {
                    assertEquals(RelayFrames.DATA, f[0]);
                    got.write(f, 1, f.length - 1);
                }
            }
            assertArrayEquals(big, got.toByteArray());
            assertTrue(credited <= big.length, "credit for what was written, no more: " + credited);
        }
    }

    @Test
    void sendsNoMoreThanThePageCredited() throws Exception {
        try (RelayClient c = client()) {
            c.send(RelayFrames.connect(GUEST_ECHO, 7, 10));
            assertEquals(0, resultErrno(c.next()));
            c.send(RelayFrames.data(new byte[100], 0, 100));
            int got = 0;
            while (got < 10) {
                byte[] f = c.next();
                if (f[0] == RelayFrames.DATA) {
                    got += f.length - 1;
                }
            }
            assertEquals(10, got);
            Thread.sleep(300);
            for (byte[] f : c.frames) {
                assertTrue(f[0] != RelayFrames.DATA, "DATA beyond the credit");
            }
            c.send(RelayFrames.credit(90));
            while (got < 100) {
                byte[] f = c.next();
                if (f[0] == RelayFrames.DATA) {
                    got += f.length - 1;
                }
            }
            assertEquals(100, got);
        }
    }

    @Test
    void datagramsBothWaysAndDnsToTheForwarder() throws Exception {
        try (RelayClient c = client()) {
            c.send(RelayFrames.udp());
            assertEquals(0, resultErrno(c.next()));
            byte[] q = "query".getBytes(StandardCharsets.US_ASCII);
            c.send(RelayFrames.datagram(v4(10, 0, 0, 1), 9, q, 0, q.length)); // refused: dropped
            c.send(RelayFrames.datagram(GUEST_ECHO, 9, q, 0, q.length));
            byte[] f = c.next();
            assertEquals(RelayFrames.DATAGRAM, f[0]);
            assertArrayEquals(GUEST_ECHO, RelayFrames.ip(f), "the reply comes from the guest's destination");
            assertEquals(9, RelayFrames.u16(f, 17));
            assertEquals("echo:query", new String(f, 19, f.length - 19, StandardCharsets.US_ASCII));

            c.send(RelayFrames.datagram(v4(10, 0, 2, 3), 53, q, 0, q.length));
            f = c.next();
            assertArrayEquals(v4(10, 0, 2, 3), RelayFrames.ip(f), "DNS answers come from the forwarder's address");
            assertEquals(53, RelayFrames.u16(f, 17));
            assertEquals("echo:query", new String(f, 19, f.length - 19, StandardCharsets.US_ASCII));
            c.send(RelayFrames.shut()); // no stream here
            assertProtocolError(c);
        }
        try (RelayClient c = client()) {
            c.send(RelayFrames.datagram(GUEST_ECHO, 9, new byte[1], 0, 1));
            assertProtocolError(c); // DATAGRAM before UDP
        }
    }

    @Test
    void refusedDestinationsGetEacces() throws Exception {
        // loopback, private, link-local and the test's own echo port unmapped: refused without a connection
        byte[][] refused = {v4(127, 0, 0, 1), v4(10, 1, 2, 3), v4(192, 168, 1, 1), v4(169, 254, 1, 1),
            v4(172, 16, 0, 1), v4(100, 64, 0, 1), v4(0, 0, 0, 0), v4(224, 0, 0, 1)};
        for (byte[] ip : refused) {
            try (RelayClient c = client()) {
                c.send(RelayFrames.connect(ip, echo.port(), RelayFrames.WINDOW));
                assertEquals(Errno.EACCES, resultErrno(c.next()), InetAddress.getByAddress(ip).toString());
                assertEquals(1000, c.closeCode());
            }
        }
        assertEchoWorks();
    }

    @Test
    void allowListRefusesWhatItDoesNotName() throws Exception {
        relay.close();
        relay = startRelay(4, List.of("198.51.100.0/24:443"));
        try (RelayClient c = client()) {
            c.send(RelayFrames.connect(v4(203, 0, 113, 5), 443, RelayFrames.WINDOW)); // not listed
            assertEquals(Errno.EACCES, resultErrno(c.next()));
        }
        assertEchoWorks(); // mapped destinations are the operator's own
    }

    @Test
    void closedPortGetsEconnrefused() throws Exception {
        try (RelayClient c = client()) {
            c.send(RelayFrames.connect(GUEST_ECHO, 8, RelayFrames.WINDOW));
            assertEquals(Errno.ECONNREFUSED, resultErrno(c.next()));
        }
    }

    @Test
    void garbageFramesEndOnlyTheirSession() throws Exception {
        List<byte[]> garbage = List.of(
                new byte[0],
                new byte[] {99},
                new byte[] {RelayFrames.RESULT, 0, 0, 0, 0, 0, 0, 0, 0},
                new byte[] {RelayFrames.DATA, 1, 2, 3}, // before CONNECT
                new byte[] {RelayFrames.CONNECT, 1, 2},
                RelayFrames.credit(1), // before CONNECT
                new byte[] {RelayFrames.CREDIT, 0, 0, 0, 0},
                new byte[] {RelayFrames.CREDIT, (byte) 0x80, 0, 0, 0},
                new byte[] {RelayFrames.SHUT, 1});
        for (byte[] g : garbage) {
            try (RelayClient c = client()) {
                c.send(g);
                assertProtocolError(c);
            }
        }
        try (RelayClient c = client()) {
            c.sendText("hello");
            assertProtocolError(c);
        }
        RelayServer small = RelayServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                new RelayServer.Config(new RelayPolicy(Map.of(), List.of("*"), true), 4, null, 5000, 16, 10_000));
        try (RelayClient c = new RelayClient(small.getPort(), null)) { // DATA beyond the relay's window
            c.send(RelayFrames.connect(v4(127, 0, 0, 1), echo.port(), RelayFrames.WINDOW));
            byte[] r = c.next();
            assertEquals(0, resultErrno(r));
            assertEquals(16, RelayFrames.u32(r, 5));
            c.send(RelayFrames.data(new byte[17], 0, 17));
            assertProtocolError(c);
        } finally {
            small.close();
        }
        try (RelayClient c = client()) { // a frame past MAX_FRAME: the library refuses it
            try {
                c.send(new byte[RelayFrames.MAX_FRAME + 1]);
            } catch (CompletionException e) {
                // the relay closed the connection while the frame was still going out
            }
            int code = c.closeCode();
            assertTrue(code == 1009 || code == -1, "closed as too big (1009), or torn down: " + code);
        }
        try (RelayClient c = client()) { // a second CONNECT
            c.send(RelayFrames.connect(GUEST_ECHO, 7, RelayFrames.WINDOW));
            assertEquals(0, resultErrno(c.next()));
            c.send(RelayFrames.connect(GUEST_ECHO, 7, RelayFrames.WINDOW));
            byte[] f;
            do {
                f = c.next();
            } while (f[0] != RelayFrames.ERROR);
            assertEquals(Errno.EPROTO, RelayFrames.u32(f, 1));
        }
        assertEchoWorks();
        waitForSessions(0);
    }

    /**
     * A page that sends a second CONNECT (or UDP) and goes away at once: the session's error and
     * the library's close of the connection cross, many times over, and the relay still serves.
     */
    @Test
    void aBadFrameCrossingThePagesCloseStallsNothing() throws Exception {
        for (int i = 0; i < 200; i++) {
            try (RelayClient c = client()) {
                c.send(RelayFrames.connect(GUEST_ECHO, 7, RelayFrames.WINDOW));
                assertEquals(0, resultErrno(c.next()));
                c.send(i % 2 == 0 ? RelayFrames.connect(GUEST_ECHO, 7, RelayFrames.WINDOW) : RelayFrames.udp());
                byte[] f;
                do {
                    f = c.next();
                } while (f[0] != RelayFrames.ERROR);
            } // gone as soon as the ERROR is here, while the relay may still be closing its side
        }
        assertEchoWorks();
        waitForSessions(0);
    }

    @Test
    void aWebSocketThatNeverConnectsIsClosed() throws Exception {
        RelayServer quick = RelayServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                new RelayServer.Config(new RelayPolicy(Map.of(), List.of(), false), 1, null, 5000, RelayFrames.WINDOW, 300));
        try (RelayClient idle = new RelayClient(quick.getPort(), null)) {
            assertProtocolError(idle);
            long end = System.nanoTime() + 5_000_000_000L;
            while (quick.openSessions() != 0 && System.nanoTime() < end) {
                Thread.sleep(20);
            }
            assertEquals(0, quick.openSessions(), "the limit is free again");
        } finally {
            quick.close();
        }
    }

    @Test
    void connectionLimitRefusesTheOneTooMany() throws Exception {
        RelayClient[] held = new RelayClient[4];
        for (int i = 0; i < held.length; i++) {
            held[i] = client();
            held[i].send(RelayFrames.connect(GUEST_ECHO, 7, RelayFrames.WINDOW));
            assertEquals(0, resultErrno(held[i].next()));
        }
        try (RelayClient c = client()) {
            assertEquals(Errno.ENOBUFS, resultErrno(c.next()));
            assertEquals(1000, c.closeCode());
        }
        held[0].ws.sendClose(1000, "done").join();
        held[0].closeCode();
        waitForSessions(3);
        assertEchoWorks();
        for (RelayClient c : held) {
            c.close();
        }
        waitForSessions(0);
    }

    @Test
    void pagesOfOtherOriginsAreTurnedAway() {
        CompletionException e = assertThrows(CompletionException.class,
                () -> new RelayClient(relay.getPort(), "https://elsewhere.example"));
        assertTrue(String.valueOf(e.getCause()).contains("403") || e.getCause() instanceof IOException,
                String.valueOf(e.getCause()));
        assertThrows(CompletionException.class, () -> new RelayClient(relay.getPort(), null));
    }

    private void waitForSessions(int n) throws InterruptedException {
        long end = System.nanoTime() + 10_000_000_000L;
        while (relay.openSessions() != n && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        assertEquals(n, relay.openSessions());
    }
}
