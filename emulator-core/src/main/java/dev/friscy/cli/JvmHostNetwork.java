package dev.friscy.cli;

import dev.friscy.errno.Errno;
import dev.friscy.host.DnsForward;
import dev.friscy.host.HostNetwork;
import dev.friscy.host.NetMap;
import dev.friscy.relay.IoErrno;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Guest TCP connections to the outside as java.nio sockets of this JVM (`friscy run --net host`).
 * Single-threaded like the kernel: {@link #poll} runs on the run loop's thread, between runs of
 * the kernel, and is where the loop waits when every guest task is blocked; the stdin pump
 * calls {@link #wakeup} so that typing still gets through at once.
 *
 * {@code --net-map GUEST_IP:PORT=HOST:PORT} sends a guest destination elsewhere (tests map
 * one to a server on this machine's 127.0.0.1); with {@code --net none} only mapped
 * destinations are reachable. Guests' DNS goes to {@link DnsForward#ADDRESS}, which forwards it
 * ({@code --dns}), so a host whose resolver is on its loopback serves guests too.
 */
final class JvmHostNetwork implements HostNetwork {
    private final Selector selector;
    private final boolean open;
    private final Map<String, InetSocketAddress> map;
    private final DnsForward dns;
    private final List<Conn> conns = new ArrayList<>();
    /** Where replies from a mapped destination really come from, back to the guest's name for it. */
    private final Map<String, InetSocketAddress> reverse = new HashMap<>();
    private final ByteBuffer buf = ByteBuffer.allocate(1 << 16);

    private static final class Conn {
        final SocketChannel ch;
        final Link link;
        boolean connected;
        boolean outShut;
        boolean inEof;
        /** Guest bytes taken but not yet accepted by the host's socket. */
        ByteBuffer unsent;

        Conn(SocketChannel ch, Link link) {
            this.ch = ch;
            this.link = link;
        }
    }

    /**
     * {@code open}: destinations without a mapping go to the host's network as they are;
     * {@code dns}: the resolvers DNS to the virtual name server goes to (empty: no DNS).
     */
    JvmHostNetwork(boolean open, Map<String, InetSocketAddress> map, List<InetSocketAddress> dns) throws IOException {
        this.selector = Selector.open();
        this.open = open;
        this.map = new HashMap<>(map);
        this.dns = new DnsForward(dns);
        for (Map.Entry<String, InetSocketAddress> e : map.entrySet()) {
            InetSocketAddress guest = NetMap.literal("--net-map", e.getKey(), e.getKey());
            reverse.put(key(e.getValue().getAddress(), e.getValue().getPort()), guest);
        }
    }

    static String key(InetAddress a, int port) {
        return NetMap.key(a, port);
    }

    /** Parses "GUEST_IP:PORT=HOST:PORT" (IPv6 in brackets); the host side must be a literal address. */
    static void parseMapping(String spec, Map<String, InetSocketAddress> into) {
        NetMap.parse("--net-map", spec, into);
    }

    @Override
    public int connect(byte[] ip, int port, Link link) {
        InetAddress a;
        try {
            a = InetAddress.getByAddress(ip); // a v4-mapped address comes back as an Inet4Address
        } catch (UnknownHostException e) {
            return Errno.EINVAL;
        }
        InetSocketAddress dest = destination(a, port);
        if (dest == null) {
            if (!open) {
                return Errno.ENETUNREACH;
            }
            dest = new InetSocketAddress(a, port);
        }
        try {
            SocketChannel ch = SocketChannel.open();
            ch.configureBlocking(false);
            Conn c = new Conn(ch, link);
            conns.add(c);
            if (ch.connect(dest)) {
                c.connected = true;
                link.connected();
                ch.register(selector, 0, c);
            } else {
                ch.register(selector, SelectionKey.OP_CONNECT, c);
            }
            return 0;
        } catch (IOException e) {
            return errno(e, Errno.ENETUNREACH);
        }
    }

    /** Where a guest datagram to ip:port goes on the host, or null if nowhere (--net none). */
    private InetSocketAddress route(byte[] ip, int port) {
        InetAddress a;
        try {
            a = InetAddress.getByAddress(ip);
        } catch (UnknownHostException e) {
            return null;
        }
        InetSocketAddress dest = destination(a, port);
        return dest != null ? dest : open ? new InetSocketAddress(a, port) : null;
    }

    /** A mapped destination or the name server's resolver, else null. */
    private InetSocketAddress destination(InetAddress a, int port) {
        InetSocketAddress dest = map.get(key(a, port));
        return dest != null ? dest : dns.route(a, port);
    }

    /** One guest UDP socket's channel on the host. */
    private final class Udp implements Datagrams {
        final DatagramChannel ch;
        final DatagramLink link;

        Udp(DatagramChannel ch, DatagramLink link) {
            this.ch = ch;
            this.link = link;
        }

        @Override
        public int send(byte[] ip, int port, byte[] data) {
            InetSocketAddress dest = route(ip, port);
            if (dest == null) {
                return Errno.ENETUNREACH;
            }
            try {
                ch.send(ByteBuffer.wrap(data), dest); // a full host buffer drops it, as UDP may
                return 0;
            } catch (IOException e) {
                return errno(e, Errno.ENETUNREACH);
            }
        }

        @Override
        public void close() {
            try {
                ch.close();
            } catch (IOException e) {
                // closing anyway
            }
        }

        void receive() throws IOException {
            while (true) {
                buf.clear();
                InetSocketAddress from = (InetSocketAddress) ch.receive(buf);
                if (from == null) {
                    return;
                }
                InetSocketAddress guest = reverse.get(key(from.getAddress(), from.getPort()));
                if (guest == null) {
                    guest = dns.guestName(from);
                }
                if (guest == null) {
                    guest = from;
                }
                byte[] raw = guest.getAddress().getAddress();
                byte[] ip16 = new byte[16];
                if (raw.length == 4) {
                    ip16[10] = (byte) 0xff;
                    ip16[11] = (byte) 0xff;
                    System.arraycopy(raw, 0, ip16, 12, 4);
                } else {
                    System.arraycopy(raw, 0, ip16, 0, 16);
                }
                byte[] data = new byte[buf.position()];
                System.arraycopy(buf.array(), 0, data, 0, data.length);
                link.deliver(ip16, guest.getPort(), data);
            }
        }
    }

    @Override
    public Datagrams openDatagrams(DatagramLink link) {
        try {
            DatagramChannel ch = DatagramChannel.open();
            ch.configureBlocking(false);
            ch.bind(null);
            Udp u = new Udp(ch, link);
            ch.register(selector, SelectionKey.OP_READ, u);
            return u;
        } catch (IOException e) {
            return null;
        }
    }

    private static int errno(IOException e, int dflt) {
        return IoErrno.of(e, dflt);
    }

    /** Makes a {@link #poll} that is waiting return now. */
    void wakeup() {
        selector.wakeup();
    }

    /** True while any guest connection is open (the run loop then waits here rather than on stdin alone). */
    boolean active() {
        return !conns.isEmpty();
    }

    /**
     * Moves what can move without waiting, then waits up to {@code timeoutMs} (0: not at all)
     * for the network, and moves again: connections completing, bytes both ways, ends.
     */
    void poll(long timeoutMs) {
        pump();
        try {
            int n = timeoutMs > 0 ? selector.select(timeoutMs) : selector.selectNow();
            if (n > 0) {
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey k = it.next();
                    it.remove();
                    if (k.attachment() instanceof Udp) {
                        if (k.isValid() && k.isReadable()) {
                            try {
                                ((Udp) k.attachment()).receive();
                            } catch (IOException e) {
                                // ICMP errors and the like: UDP loses the datagram
                            }
                        }
                        continue;
                    }
                    Conn c = (Conn) k.attachment();
                    if (k.isValid() && k.isConnectable()) {
                        finishConnect(c);
                    }
                }
            }
        } catch (IOException e) {
            // the selector itself failed: nothing more will move; connections fail below as they break
        }
        pump();
    }

    private void finishConnect(Conn c) {
        try {
            if (c.ch.finishConnect()) {
                c.connected = true;
                c.link.connected();
            }
        } catch (IOException e) {
            c.link.failed(errno(e, Errno.ECONNREFUSED));
            close(c);
        }
    }

    /** Reads and writes each connection as far as the guest's buffers and the socket allow. */
    private void pump() {
        for (int i = conns.size() - 1; i >= 0; i--) {
            Conn c = conns.get(i);
            if (c.link.released()) {
                close(c);
                continue;
            }
            if (!c.connected) {
                continue;
            }
            try {
                // guest to host
                if (c.unsent != null) {
                    c.ch.write(c.unsent);
                    if (!c.unsent.hasRemaining()) {
                        c.unsent = null;
                    }
                }
                while (c.unsent == null) {
                    buf.clear();
                    int n = c.link.take(buf.array(), 0, buf.capacity());
                    if (n <= 0) {
                        break;
                    }
                    buf.limit(n);
                    c.ch.write(buf);
                    if (buf.hasRemaining()) {
                        // the host's socket buffer is full: the rest goes first next time
                        byte[] rest = new byte[buf.remaining()];
                        buf.get(rest);
                        c.unsent = ByteBuffer.wrap(rest);
                    }
                }
                if (!c.outShut && c.link.outputDone() && c.unsent == null) {
                    c.ch.shutdownOutput();
                    c.outShut = true;
                }
                // host to guest
                while (!c.inEof) {
                    int room = c.link.room();
                    buf.clear();
                    if (room == 0) {
                        break;
                    }
                    if (room > 0) {
                        buf.limit(Math.min(room, buf.capacity()));
                    }
                    int n = c.ch.read(buf);
                    if (n < 0) {
                        c.inEof = true;
                        c.link.remoteEof();
                        break;
                    }
                    if (n == 0) {
                        break;
                    }
                    if (room > 0) {
                        c.link.deliver(buf.array(), 0, n);
                    }
                }
                int ops = 0;
                if (!c.inEof && c.link.room() != 0) {
                    ops |= SelectionKey.OP_READ;
                }
                if (c.unsent != null) {
                    ops |= SelectionKey.OP_WRITE;
                }
                SelectionKey k = c.ch.keyFor(selector);
                if (k != null && k.isValid()) {
                    k.interestOps(ops);
                }
            } catch (IOException e) {
                c.link.failed(errno(e, Errno.ECONNRESET));
                close(c);
            }
        }
    }

    private void close(Conn c) {
        conns.remove(c);
        try {
            c.ch.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    /** The virtual name server, if DNS is forwarded. */
    @Override
    public List<String> nameservers() {
        return dns.nameservers();
    }
}
