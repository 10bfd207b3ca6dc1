package dev.friscy.testservers;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A DNS server over UDP and TCP (one port) on 127.0.0.1 for the tests of guest networking: A records for the names it is given, an empty
 * answer (NODATA) for their other types, NXDOMAIN for every other name. It records each question
 * ("name TYPE") so a test can see what reached it.
 */
public final class DnsServer implements AutoCloseable {
    private static final int A = 1;
    private final DatagramSocket socket;
    private final ServerSocket tcp;
    private final Map<String, byte[]> names;
    public final List<String> questions = new CopyOnWriteArrayList<>();
    /** How many queries came over TCP. */
    public final AtomicInteger tcpQuestions = new AtomicInteger();

    /** {@code names}: lower-case name (no trailing dot) to its IPv4 address. */
    public DnsServer(Map<String, byte[]> names) throws IOException {
        this.names = Map.copyOf(names);
        DatagramSocket udp = null;
        ServerSocket stream = null;
        for (int tries = 0; stream == null; tries++) { // a port free for both
            udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try {
                stream = new ServerSocket(udp.getLocalPort(), 8, InetAddress.getLoopbackAddress());
            } catch (IOException e) {
                udp.close();
                if (tries == 20) {
                    throw e;
                }
            }
        }
        this.socket = udp;
        this.tcp = stream;
        Thread t = new Thread(this::serve, "tiny-dns");
        t.setDaemon(true);
        t.start();
        Thread s = new Thread(this::serveTcp, "tiny-dns-tcp");
        s.setDaemon(true);
        s.start();
    }

    public int port() {
        return socket.getLocalPort();
    }

    private void serve() {
        byte[] b = new byte[1500];
        while (!socket.isClosed()) {
            DatagramPacket p = new DatagramPacket(b, b.length);
            try {
                socket.receive(p);
                byte[] reply = answer(b, p.getLength());
                if (reply != null) {
                    socket.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
                }
            } catch (IOException e) {
                // closed by the test
            }
        }
    }

    /** DNS over TCP: each message after its 16-bit length, as many as the client sends. */
    private void serveTcp() {
        while (!tcp.isClosed()) {
            try (Socket c = tcp.accept()) {
                DataInputStream in = new DataInputStream(c.getInputStream());
                DataOutputStream out = new DataOutputStream(c.getOutputStream());
                while (true) {
                    byte[] q = new byte[in.readUnsignedShort()];
                    in.readFully(q);
                    tcpQuestions.incrementAndGet();
                    byte[] reply = answer(q, q.length);
                    if (reply == null) {
                        break;
                    }
                    out.writeShort(reply.length);
                    out.write(reply);
                    out.flush();
                }
            } catch (IOException e) {
                // the client closed, or the test did
            }
        }
    }

    /** The reply to one query, or null for something that is not a one-question query. */
    private byte[] answer(byte[] q, int len) {
        if (len < 12 || (q[2] & 0x80) != 0 || u16(q, 4) != 1) {
            return null;
        }
        StringBuilder name = new StringBuilder();
        int i = 12;
        while (i < len && q[i] != 0) {
            int n = q[i] & 0xff;
            if (n > 63 || i + 1 + n > len) {
                return null;
            }
            if (name.length() > 0) {
                name.append('.');
            }
            name.append(new String(q, i + 1, n, StandardCharsets.US_ASCII));
            i += 1 + n;
        }
        int qEnd = i + 5; // the root label, QTYPE, QCLASS
        if (qEnd > len) {
            return null;
        }
        int type = u16(q, i + 1);
        String key = name.toString().toLowerCase(Locale.ROOT);
        questions.add(key + " " + type);
        byte[] addr = names.get(key);
        ByteArrayOutputStream r = new ByteArrayOutputStream();
        r.write(q[0]);
        r.write(q[1]); // the query's id
        r.write(0x81 | (q[2] & 0x01)); // QR, opcode 0, RD copied
        r.write(0x80 | (addr == null ? 3 : 0)); // RA; NXDOMAIN for unknown names
        boolean answers = addr != null && type == A;
        r.writeBytes(new byte[] {0, 1, 0, (byte) (answers ? 1 : 0), 0, 0, 0, 0});
        r.write(q, 12, qEnd - 12);
        if (answers) {
            r.writeBytes(new byte[] {(byte) 0xc0, 12, 0, A, 0, 1, 0, 0, 0, 60, 0, 4}); // name at 12, A, IN, TTL 60
            r.writeBytes(addr);
        }
        return r.toByteArray();
    }

    private static int u16(byte[] b, int off) {
        return (b[off] & 0xff) << 8 | (b[off + 1] & 0xff);
    }

    @Override
    public void close() {
        socket.close();
        try {
            tcp.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
