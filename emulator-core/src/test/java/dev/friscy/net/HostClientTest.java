package dev.friscy.net;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.mem.IoBuffer;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The host's connections into the guest's loopback (the page's preview): what the guest sees, and what the host sees of the guest. */
class HostClientTest {
    /** A guest-side listener as a server's socket/bind/listen makes it. */
    static StreamSocket listener(Network net, int family, byte[] ip, int port, int backlog) {
        StreamSocket l = new StreamSocket(net, family, Socket.SOCK_STREAM, Socket.IPPROTO_TCP, 0);
        l.bind(null, SockAddr.inet(family, ip, port));
        l.listen(null, backlog);
        return l;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String receive(Socket s, int max) {
        byte[] b = new byte[max];
        int n = s.read(null, IoBuffer.of(b));
        return new String(b, 0, n, StandardCharsets.ISO_8859_1);
    }

    @Test
    void theGuestAcceptsAnOrdinaryLoopbackConnection() {
        Network net = new Network();
        StreamSocket l = listener(net, SockAddr.AF_INET6, SockAddr.ANY6, 3000, 8); // node's listen(3000): dual-stack ::
        HostClient c = HostClient.connect(net, 3000);
        Socket a = l.accept(null, 0);
        SockAddr peer = a.peerName();
        assertEquals(c.localName().port, peer.port, "the guest's peer is the host end");
        assertTrue(peer.port >= Network.EPHEMERAL_LOW && peer.port <= Network.EPHEMERAL_HIGH, "an ephemeral port: " + peer.port);
        assertArrayEquals(SockAddr.LOOP4, peer.ip, "from 127.0.0.1 (v4-mapped on the dual-stack socket)");
        assertEquals(3000, a.name().port);

        assertEquals(5, c.write(bytes("hello"), 0, 5));
        assertEquals("hello", receive(a, 100));
        assertEquals(0, c.read(new byte[10], 0, 10), "nothing sent yet: 0, not end of stream");
        a.write(null, IoBuffer.of(bytes("world")));
        byte[] b = new byte[10];
        assertEquals(5, c.read(b, 0, 10));
        assertEquals("world", new String(b, 0, 5, StandardCharsets.ISO_8859_1));

        c.finishWriting();
        assertEquals(0, a.read(null, IoBuffer.of(new byte[4])), "the guest reads end of stream after the host's half-close");
        a.shutdown(Socket.SHUT_WR);
        assertEquals(-1, c.read(b, 0, 10), "the host reads end of stream after the guest's");
        c.close();
        a.decRef();
        l.decRef();
        assertTrue(net.inetSockets().isEmpty(), "every port is free again: " + net.inetSockets());
    }

    @Test
    void refusedWhenNobodyListensAndIpv6LoopbackAsFallback() {
        Network net = new Network();
        assertEquals(Errno.ECONNREFUSED, assertThrows(SyscallError.class, () -> HostClient.connect(net, 3000)).errno);
        assertEquals(Errno.EINVAL, assertThrows(SyscallError.class, () -> HostClient.connect(net, 0)).errno);
        assertEquals(Errno.EINVAL, assertThrows(SyscallError.class, () -> HostClient.connect(net, 65536)).errno);
        assertTrue(net.inetSockets().isEmpty(), "a refused attempt keeps no port: " + net.inetSockets());
        StreamSocket l = listener(net, SockAddr.AF_INET6, SockAddr.LOOP6, 3000, 8);
        HostClient c = HostClient.connect(net, 3000);
        assertArrayEquals(SockAddr.LOOP6, l.accept(null, 0).peerName().ip, "a server on ::1 only is reached over ::1");
        c.close();
        // a UDP socket on the port is no listener
        DgramSocket u = new DgramSocket(net, SockAddr.AF_INET, Socket.IPPROTO_UDP, 0);
        u.bind(null, SockAddr.inet(SockAddr.AF_INET, SockAddr.ANY4, 4000));
        assertEquals(Errno.ECONNREFUSED, assertThrows(SyscallError.class, () -> HostClient.connect(net, 4000)).errno);
    }

    @Test
    void aFullBacklogSaysTryAgain() {
        Network net = new Network();
        StreamSocket l = listener(net, SockAddr.AF_INET, SockAddr.LOOP4, 8080, 0); // Linux lets backlog + 1 wait
        HostClient first = HostClient.connect(net, 8080);
        assertEquals(Errno.EAGAIN, assertThrows(SyscallError.class, () -> HostClient.connect(net, 8080)).errno);
        l.accept(null, 0);
        HostClient second = HostClient.connect(net, 8080);
        first.close();
        second.close();
    }

    @Test
    void backPressureAndTheGuestGoingAway() {
        Network net = new Network();
        StreamSocket l = listener(net, SockAddr.AF_INET, SockAddr.ANY4, 3000, 8);
        HostClient c = HostClient.connect(net, 3000);
        Socket a = l.accept(null, 0);
        byte[] big = new byte[1 << 20];
        Arrays.fill(big, (byte) 'x');
        int in = c.write(big, 0, big.length);
        assertTrue(in > 0 && in < big.length, "the socket's buffer takes part: " + in);
        assertEquals(0, c.write(big, in, big.length - in), "full: 0, try later");
        assertEquals(65536, a.read(null, IoBuffer.of(new byte[65536])));
        assertTrue(c.write(big, in, big.length - in) > 0, "room again after the guest read");

        a.decRef(); // the guest closes with unread data: a reset
        assertEquals(Errno.ECONNRESET, assertThrows(SyscallError.class, () -> c.read(new byte[4], 0, 4)).errno);
        c.close();
        assertEquals(Errno.EBADF, assertThrows(SyscallError.class, () -> c.read(new byte[4], 0, 4)).errno);
        c.close(); // twice is harmless
    }

    @Test
    void theHostClosingWithUnreadDataResetsTheGuest() {
        Network net = new Network();
        StreamSocket l = listener(net, SockAddr.AF_INET, SockAddr.ANY4, 3000, 8);
        HostClient c = HostClient.connect(net, 3000);
        Socket a = l.accept(null, 0);
        a.write(null, IoBuffer.of(bytes("a response nobody reads")));
        c.close();
        assertEquals(Errno.ECONNRESET, assertThrows(SyscallError.class, () -> a.write(null, IoBuffer.of(bytes("more")))).errno);
        assertEquals(Errno.EPIPE, assertThrows(SyscallError.class, () -> a.write(null, IoBuffer.of(bytes("more")))).errno);
    }

    @Test
    void aConnectionTheGuestNeverAcceptedIsResetWhenItStopsListening() {
        Network net = new Network();
        StreamSocket l = listener(net, SockAddr.AF_INET, SockAddr.ANY4, 3000, 8);
        HostClient c = HostClient.connect(net, 3000);
        l.decRef();
        assertEquals(Errno.ECONNRESET, assertThrows(SyscallError.class, () -> c.read(new byte[4], 0, 4)).errno);
        c.close();
    }
}
