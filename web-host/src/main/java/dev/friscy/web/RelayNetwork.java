package dev.friscy.web;

import dev.friscy.errno.Errno;
import dev.friscy.host.HostNetwork;
import dev.friscy.relay.RelayFrames;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import org.teavm.jso.JSBody;

/**
 * The browser's host network: guest TCP connections and UDP sockets beyond loopback go through
 * the relay ({@code friscy serve --relay}), one WebSocket each, speaking {@link RelayFrames}.
 * Guests are told of the relay's DNS forwarder ({@code RelayPolicy.DNS}) as their name server. The Worker
 * has one thread, so nothing here waits: worker-net.js owns the WebSockets and reports their
 * events through {@link #event}; {@link #pump} moves bytes between the guests' sockets and the
 * WebSockets after each run slice and each event.
 */
final class RelayNetwork implements HostNetwork {
    /** Kinds of {@link #event}, as worker-net.js sends them. */
    static final int EV_OPEN = 1;
    static final int EV_MESSAGE = 2;
    static final int EV_CLOSE = 3;

    private final String url;
    /** The name server the relay forwards (dev.friscy.relay.RelayPolicy.DNS, a JVM-only class). */
    static final String DNS = "10.0.2.3";
    /** Datagrams a UDP socket sends before the relay answered its UDP frame, at most. */
    private static final int MAX_EARLY = 64;

    private final HashMap<Integer, Conn> conns = new HashMap<>();
    private final HashMap<Integer, Udp> udps = new HashMap<>();
    private int nextId = 1;
    private final byte[] buf = new byte[RelayFrames.MAX_DATA];

    /** One guest connection's WebSocket. */
    private static final class Conn {
        final int id;
        final Link link;
        final byte[] connectFrame;
        boolean connected;
        /** Bytes the relay may still send before we credit more; bytes given to the guest, not yet credited. */
        int received;
        int unreturned;
        /** What we may still send the relay. */
        int sendCredit;
        final ArrayDeque<byte[]> pending = new ArrayDeque<>();
        int pendingOff;
        boolean remoteShut;
        boolean eofDelivered;
        boolean shutSent;
        /** The WebSocket has closed: what is pending still goes to the guest, then the end. */
        boolean wsClosed;

        Conn(int id, Link link, byte[] connectFrame) {
            this.id = id;
            this.link = link;
            this.connectFrame = connectFrame;
        }
    }

    /** A guest UDP socket's WebSocket. */
    private final class Udp implements Datagrams {
        final int id;
        final DatagramLink link;
        boolean ready;
        boolean closed;
        final ArrayDeque<byte[]> early = new ArrayDeque<>();

        Udp(int id, DatagramLink link) {
            this.id = id;
            this.link = link;
        }

        @Override
        public int send(byte[] ip, int port, byte[] data) {
            if (closed) {
                return Errno.ENETUNREACH;
            }
            if (data.length > RelayFrames.MAX_DATAGRAM) {
                return Errno.EMSGSIZE;
            }
            byte[] f = RelayFrames.datagram(ip, port, data, 0, data.length);
            if (ready) {
                RelayNetwork.send(id, f);
            } else if (early.size() < MAX_EARLY) {
                early.addLast(f); // the first DNS query goes out once the relay answers
            }
            return 0;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                udps.remove(id);
                RelayNetwork.close(id);
            }
        }
    }

    RelayNetwork(String url) {
        this.url = url;
    }

    @Override
    public Datagrams openDatagrams(DatagramLink link) {
        int id = nextId++;
        if (!open(id, url).isEmpty()) {
            return null;
        }
        Udp u = new Udp(id, link);
        udps.put(id, u);
        return u;
    }

    @Override
    public List<String> nameservers() {
        List<String> l = new ArrayList<>();
        l.add(DNS);
        return l;
    }

    private void udpEvent(Udp u, int kind, byte[] f) {
        if (kind == EV_OPEN) {
            send(u.id, RelayFrames.udp());
            return;
        }
        if (kind == EV_CLOSE) {
            u.closed = true;
            udps.remove(u.id);
            return;
        }
        String bad = RelayFrames.malformed(f, false);
        if (bad == null && f[0] == RelayFrames.RESULT && !u.ready) {
            if (RelayFrames.u32(f, 1) != 0) {
                u.close(); // the relay refused: later sends fail ENETUNREACH
                return;
            }
            u.ready = true;
            while (!u.early.isEmpty()) {
                send(u.id, u.early.removeFirst());
            }
        } else if (bad == null && f[0] == RelayFrames.DATAGRAM && u.ready) {
            byte[] data = new byte[f.length - 19];
            System.arraycopy(f, 19, data, 0, data.length);
            u.link.deliver(RelayFrames.ip(f), RelayFrames.u16(f, 17), data);
        } else if (bad == null && f[0] == RelayFrames.ERROR) {
            u.close();
        } else {
            Boot.consoleWarn("friscy: the relay sent a bad frame for a UDP socket ("
                    + (bad != null ? bad : "type " + f[0]) + "); socket closed");
            u.close();
        }
    }

    @Override
    public int connect(byte[] ip, int port, Link link) {
        int id = nextId++;
        String err = open(id, url);
        if (!err.isEmpty()) {
            return Errno.ENETUNREACH;
        }
        conns.put(id, new Conn(id, link, RelayFrames.connect(ip, port, RelayFrames.WINDOW)));
        return 0;
    }

    /** A WebSocket event from worker-net.js ({@code data}: a message's bytes, else empty). */
    void event(int id, int kind, byte[] data) {
        Udp u = udps.get(id);
        if (u != null) {
            udpEvent(u, kind, data);
            return;
        }
        Conn c = conns.get(id);
        if (c == null) {
            return; // a connection already given up
        }
        switch (kind) {
            case EV_OPEN -> send(id, c.connectFrame);
            case EV_MESSAGE -> frame(c, data);
            case EV_CLOSE -> closed(c);
            default -> {
                // worker-net.js sends no other kind
            }
        }
        if (conns.containsKey(id)) {
            pumpOne(c);
        }
    }

    private void frame(Conn c, byte[] f) {
        String bad = RelayFrames.malformed(f, false);
        if (bad == null) {
            bad = switch (f[0]) {
                case RelayFrames.RESULT -> result(c, RelayFrames.u32(f, 1), RelayFrames.u32(f, 5));
                case RelayFrames.DATA -> data(c, f);
                case RelayFrames.SHUT -> {
                    if (!c.connected || c.remoteShut) {
                        yield "SHUT out of turn";
                    }
                    c.remoteShut = true;
                    yield null;
                }
                case RelayFrames.CREDIT -> {
                    int n = RelayFrames.u32(f, 1);
                    if (!c.connected || (long) c.sendCredit + n > Integer.MAX_VALUE) {
                        yield "CREDIT out of turn";
                    }
                    c.sendCredit += n;
                    yield null;
                }
                case RelayFrames.ERROR -> {
                    fail(c, guestErrno(RelayFrames.u32(f, 1), Errno.ECONNRESET));
                    yield null;
                }
                default -> "unexpected frame";
            };
        }
        if (bad != null) {
            // a relay that speaks nonsense: the guest's connection ends, the Worker goes on
            Boot.consoleWarn("friscy: the relay sent a bad frame (" + bad + "); connection closed");
            fail(c, Errno.EPROTO);
        }
    }

    private String result(Conn c, int errno, int window) {
        if (c.connected) {
            return "second RESULT";
        }
        if (errno != 0) {
            fail(c, guestErrno(errno, Errno.ECONNREFUSED));
            return null;
        }
        c.connected = true;
        c.sendCredit = window;
        c.link.connected();
        return null;
    }

    private String data(Conn c, byte[] f) {
        int n = f.length - 1;
        if (!c.connected || c.remoteShut) {
            return "DATA out of turn";
        }
        if (c.received + n > RelayFrames.WINDOW) {
            return "DATA beyond the window";
        }
        c.received += n;
        byte[] b = new byte[n];
        System.arraycopy(f, 1, b, 0, n);
        c.pending.addLast(b);
        return null;
    }

    /**
     * An errno from the relay as the guest may see it: Linux's numbers for a failed or broken
     * connection pass; anything else (0, internal codes, EAGAIN and EINPROGRESS, which the
     * kernel reads as "wait") becomes {@code dflt}.
     */
    static int guestErrno(int e, int dflt) {
        return e > 0 && e < 134 && e != Errno.EAGAIN && e != Errno.EINPROGRESS && e != Errno.EINTR
                && e != Errno.EALREADY ? e : dflt;
    }

    /**
     * The WebSocket closed under us: before the connection, the relay was not reachable;
     * after it, the guest still reads what came, then end of stream (after the relay's SHUT)
     * or ECONNRESET.
     */
    private void closed(Conn c) {
        if (!c.connected) {
            conns.remove(c.id);
            c.link.failed(Errno.ENETUNREACH);
        } else {
            c.wsClosed = true;
        }
    }

    private void fail(Conn c, int errno) {
        conns.remove(c.id);
        close(c.id);
        c.link.failed(errno);
    }

    /**
     * Moves what can move on every connection (after a run slice: guests wrote and read).
     * True if bytes or an end reached a guest, which may wake it.
     */
    boolean pump() {
        if (conns.isEmpty()) {
            return false;
        }
        boolean woke = false;
        List<Conn> all = new ArrayList<>(conns.values());
        for (Conn c : all) {
            woke |= pumpOne(c);
        }
        return woke;
    }

    private boolean pumpOne(Conn c) {
        if (c.link.released()) {
            conns.remove(c.id);
            close(c.id);
            return false;
        }
        if (!c.connected) {
            return false;
        }
        boolean woke = false;
        // relay to guest, as far as the guest's buffer has room
        while (!c.pending.isEmpty()) {
            byte[] b = c.pending.peekFirst();
            int left = b.length - c.pendingOff;
            int room = c.link.room();
            if (room == 0) {
                break;
            }
            int n = room < 0 ? left : Math.min(room, left); // room < 0: it will never read, drop
            if (room > 0) {
                c.link.deliver(b, c.pendingOff, n);
                woke = true;
            }
            c.unreturned += n;
            c.pendingOff += n;
            if (c.pendingOff == b.length) {
                c.pending.removeFirst();
                c.pendingOff = 0;
            }
        }
        if (c.pending.isEmpty() && c.remoteShut && !c.eofDelivered) {
            c.eofDelivered = true;
            c.link.remoteEof();
            woke = true;
        }
        if (c.wsClosed) {
            if (c.pending.isEmpty()) {
                conns.remove(c.id);
                if (!c.remoteShut) {
                    c.link.failed(Errno.ECONNRESET);
                }
                woke = true;
            }
            return woke;
        }
        if (c.unreturned > 0 && (c.pending.isEmpty() || c.unreturned >= RelayFrames.WINDOW / 4)) {
            send(c.id, RelayFrames.credit(c.unreturned));
            c.received -= c.unreturned;
            c.unreturned = 0;
        }
        // guest to relay, as far as the relay's credit goes
        while (c.sendCredit > 0 && !c.shutSent) {
            int n = c.link.take(buf, 0, Math.min(c.sendCredit, buf.length));
            if (n <= 0) {
                break;
            }
            send(c.id, RelayFrames.data(buf, 0, n));
            c.sendCredit -= n;
            woke = true; // room for a writer that waited
        }
        if (!c.shutSent && c.link.outputDone()) {
            c.shutSent = true;
            send(c.id, RelayFrames.shut());
        }
        return woke;
    }

    @JSBody(params = {"id", "url"}, script = "return FriscyWorkerNet.open(id, url);")
    private static native String open(int id, String url);

    @JSBody(params = {"id", "frame"}, script = "FriscyWorkerNet.send(id, frame);")
    private static native void send(int id, byte[] frame);

    @JSBody(params = "id", script = "FriscyWorkerNet.close(id);")
    private static native void close(int id);
}
