package dev.friscy.net;

import dev.friscy.testing.GuestRunner;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Guest TCP through the JVM's host network: guest/net/hostnet connects to 192.0.2.1 (a
 * documentation address), which --net-map sends to echo servers (TCP and UDP) this test runs
 * on 127.0.0.1; --net none keeps every other destination unreachable. No traffic leaves the machine.
 */
class HostNetworkTest {
    /** Echoes "echo:" + everything a client sent, once it shuts down writing. */
    private static ServerSocket echoServer() throws IOException {
        ServerSocket ss = new ServerSocket();
        ss.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread th = new Thread(() -> {
            while (!ss.isClosed()) {
                try (Socket c = ss.accept()) {
                    InputStream in = c.getInputStream();
                    ByteArrayOutputStream got = new ByteArrayOutputStream();
                    in.transferTo(got);
                    OutputStream out = c.getOutputStream();
                    out.write("echo:".getBytes(StandardCharsets.US_ASCII));
                    got.writeTo(out);
                    out.flush();
                } catch (IOException e) {
                    // closed by the test, or a client went away
                }
            }
        }, "echo-server");
        th.setDaemon(true);
        th.start();
        return ss;
    }

    /** Answers each datagram with "echo:" + its bytes. */
    private static DatagramSocket udpEcho() throws IOException {
        DatagramSocket ds = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread th = new Thread(() -> {
            byte[] b = new byte[2048];
            while (!ds.isClosed()) {
                try {
                    DatagramPacket p = new DatagramPacket(b, b.length);
                    ds.receive(p);
                    byte[] r = ("echo:" + new String(b, 0, p.getLength(), StandardCharsets.ISO_8859_1))
                            .getBytes(StandardCharsets.ISO_8859_1);
                    ds.send(new DatagramPacket(r, r.length, p.getSocketAddress()));
                } catch (IOException e) {
                    // closed by the test
                }
            }
        }, "udp-echo");
        th.setDaemon(true);
        th.start();
        return ds;
    }

    @Test
    void guestReachesAMappedServerOnTheHost() throws IOException {
        try (ServerSocket ss = echoServer(); ServerSocket closed = new ServerSocket(); DatagramSocket ds = udpEcho()) {
            closed.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int closedPort = closed.getLocalPort();
            closed.close(); // a port nobody listens on
            GuestRunner.Result r = GuestRunner.friscyArgs(List.of("--net", "none",
                    "--net-map", "192.0.2.1:7=127.0.0.1:" + ss.getLocalPort(),
                    "--net-map", "192.0.2.1:8=127.0.0.1:" + closedPort,
                    "--net-map", "192.0.2.1:53=127.0.0.1:" + ds.getLocalPort(),
                    "--", GuestRunner.program("net/hostnet").toString()), "", 120);
            assertFalse(r.stdout.contains("FAIL"), r.toString());
            assertTrue(r.stdout.contains("OK: 0 failure(s)"), r.toString());
            assertEquals(0, r.status, r.toString());
        }
    }
}
