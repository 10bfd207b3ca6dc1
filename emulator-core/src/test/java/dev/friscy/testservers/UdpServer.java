package dev.friscy.testservers;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.UnaryOperator;

/** A UDP server on 127.0.0.1 for the tests of guest networking: each datagram gets its answer's reply. */
public final class UdpServer implements AutoCloseable {
    private final DatagramSocket socket;

    private UdpServer(UnaryOperator<byte[]> answer) throws IOException {
        socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> serve(answer), "udp-server");
        t.setDaemon(true);
        t.start();
    }

    /** Replies to each datagram with what {@code answer} makes of it (null: no reply). */
    public static UdpServer answering(UnaryOperator<byte[]> answer) throws IOException {
        return new UdpServer(answer);
    }

    /** Replies "echo:" and the datagram. */
    public static UdpServer echo() throws IOException {
        byte[] prefix = "echo:".getBytes(StandardCharsets.ISO_8859_1);
        return new UdpServer(q -> {
            byte[] r = Arrays.copyOf(prefix, prefix.length + q.length);
            System.arraycopy(q, 0, r, prefix.length, q.length);
            return r;
        });
    }

    public int port() {
        return socket.getLocalPort();
    }

    private void serve(UnaryOperator<byte[]> answer) {
        byte[] b = new byte[65536];
        while (!socket.isClosed()) {
            DatagramPacket p = new DatagramPacket(b, b.length);
            try {
                socket.receive(p);
                byte[] r = answer.apply(Arrays.copyOf(b, p.getLength()));
                if (r != null) {
                    socket.send(new DatagramPacket(r, r.length, p.getSocketAddress()));
                }
            } catch (IOException | RuntimeException e) {
                // closed by the test, or a datagram the answer could not read
            }
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
