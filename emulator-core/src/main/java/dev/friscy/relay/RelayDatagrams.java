package dev.friscy.relay;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;

import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;

/**
 * A guest UDP socket through the relay: one UDP socket of this host, datagrams both ways as
 * DATAGRAM frames. Like UDP it drops rather than queue: datagrams to destinations the policy
 * refuses, and datagrams for a page that has not taken the previous ones.
 */
final class RelayDatagrams {
    /** Frames waiting to go to the page past which arriving datagrams are dropped. */
    private static final int MAX_QUEUED = 64;

    private final WebSocket ws;
    private final RelayPolicy policy;
    private final DatagramSocket socket;

    RelayDatagrams(WebSocket ws, RelayPolicy policy) throws IOException {
        this.ws = ws;
        this.policy = policy;
        this.socket = new DatagramSocket(); // any local port, every address
        Thread t = new Thread(this::receiveLoop, "friscy-relay-udp");
        t.setDaemon(true);
        t.start();
    }

    /** One DATAGRAM frame from the page. */
    void send(byte[] f) {
        RelayPolicy.Decision d = policy.decide(RelayFrames.ip(f), RelayFrames.u16(f, 17));
        if (d.errno() != 0) {
            return; // refused: dropped, as a firewall drops
        }
        try {
            socket.send(new DatagramPacket(f, 19, f.length - 19, d.target()));
        } catch (IOException | IllegalArgumentException e) {
            // unreachable and the like: UDP loses the datagram
        }
    }

    private void receiveLoop() {
        byte[] buf = new byte[RelayFrames.MAX_DATAGRAM];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        while (!socket.isClosed()) {
            try {
                p.setLength(buf.length);
                socket.receive(p);
            } catch (IOException e) {
                return; // closed with the session
            }
            if (ws instanceof WebSocketImpl impl && impl.outQueue.size() > MAX_QUEUED) {
                continue; // the page is behind: drop
            }
            InetSocketAddress from = policy.guestName((InetSocketAddress) p.getSocketAddress());
            try {
                ws.send(RelayFrames.datagram(RelayPolicy.to16(from.getAddress().getAddress()), from.getPort(),
                        buf, 0, p.getLength()));
            } catch (RuntimeException e) {
                return; // the WebSocket closed
            }
        }
    }

    void close() {
        socket.close();
    }
}
