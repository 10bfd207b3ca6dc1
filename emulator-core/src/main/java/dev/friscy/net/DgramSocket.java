package dev.friscy.net;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.fs.FileDescription;
import dev.friscy.fs.Poll;
import dev.friscy.kernel.Task;
import dev.friscy.mem.IoBuffer;
import dev.friscy.waiter.WaitQueue;

import java.util.ArrayDeque;

/**
 * A datagram socket: AF_UNIX SOCK_DGRAM and UDP. Each socket has a queue of whole messages
 * sent to it, each with its sender's address (and, for AF_UNIX, passed descriptions and
 * credentials). A full AF_UNIX receiver makes its senders wait, as on Linux; a full UDP
 * receiver drops, and a UDP datagram to a loopback port nobody has bound is lost, with the
 * "port unreachable" reported to a connected sender's next call (ECONNREFUSED).
 */
public final class DgramSocket extends Socket {
    /** Linux's net.unix.max_dgram_qlen: queued messages after which AF_UNIX senders wait. */
    static final int MAX_DGRAM_QLEN = 512;
    /** The largest UDP payload over IPv4 and over IPv6. */
    static final int UDP_MAX4 = 65507, UDP_MAX6 = 65527;
    /** What each queued message costs besides its bytes (Linux charges an skb's truesize). */
    static final int OVERHEAD = 512;

    private static final class Datagram {
        final byte[] data;
        final SockAddr from;
        final FileDescription[] rights;
        final int pid, uid, gid;

        Datagram(byte[] data, SockAddr from, FileDescription[] rights, int pid, int uid, int gid) {
            this.data = data;
            this.from = from;
            this.rights = rights;
            this.pid = pid;
            this.uid = uid;
            this.gid = gid;
        }
    }

    private final ArrayDeque<Datagram> messages = new ArrayDeque<>();
    private int queuedBytes;
    private int rcvBuf = DEFAULT_BUFFER;
    private int sndBuf = DEFAULT_BUFFER;
    /** connect(2)ed: the default destination (and the only accepted source). */
    SockAddr remote;
    /** AF_UNIX: the socket connected to (socketpair, or connect to a bound name). */
    DgramSocket peer;
    private boolean closed;
    /** UDP: this socket's endpoint on the host, for datagrams to and from the outside. */
    private dev.friscy.host.HostNetwork.Datagrams host;
    /** A send waits for room in this receiver's queue. */
    private DgramSocket waitingFor;

    public DgramSocket(Network net, int family, int protocol, int flags) {
        super(net, family, SOCK_DGRAM, protocol, flags);
    }

    /** A connected AF_UNIX pair (socketpair). */
    public static DgramSocket[] pair(Network net, int flags, Task t) {
        DgramSocket a = new DgramSocket(net, SockAddr.AF_UNIX, 0, flags);
        DgramSocket b = new DgramSocket(net, SockAddr.AF_UNIX, 0, flags);
        a.setCred(t);
        b.setCred(t);
        a.peer = b;
        b.peer = a;
        return new DgramSocket[] {a, b};
    }

    private boolean udp() {
        return family != SockAddr.AF_UNIX;
    }

    private boolean full() {
        return messages.size() >= MAX_DGRAM_QLEN || queuedBytes >= rcvBuf;
    }

    @Override
    public void connect(Task t, SockAddr a, boolean nonblock) {
        if (udp()) {
            if (!a.isLocal() && net.host == null) {
                throw new SyscallError(Errno.ENETUNREACH);
            }
            net.bindForConnect(t, this, a);
            remote = SockAddr.inet(family, Network.destination(a).ip, a.port);
            return;
        }
        Socket s = net.findUnix(t, a);
        if (!(s instanceof DgramSocket)) {
            throw new SyscallError(Errno.EPROTOTYPE);
        }
        peer = (DgramSocket) s;
        remote = s.local;
        setCred(t);
    }

    /** connect(AF_UNSPEC): forget the peer. */
    public void disconnect() {
        peer = null;
        remote = null;
    }

    @Override
    public SockAddr peerName() {
        if (remote == null && peer == null) {
            throw new SyscallError(Errno.ENOTCONN);
        }
        return remote != null ? remote : SockAddr.UNIX_UNNAMED;
    }

    @Override
    public WaitQueue blockedOn() {
        return waitingFor == null ? null : waitingFor.queue;
    }

    @Override
    public int send(Task t, IoBuffer src, int flags, SockAddr to, Ancillary anc, boolean nonblock) {
        waitingFor = null;
        int len = src.length;
        if (error != 0) {
            throw new SyscallError(takeError());
        }
        if (shutWr) {
            throw new SyscallError(Errno.EPIPE);
        }
        if (len > (udp() ? (family == SockAddr.AF_INET ? UDP_MAX4 : UDP_MAX6) : sndBuf)) {
            throw new SyscallError(Errno.EMSGSIZE);
        }
        if (udp()) {
            return sendUdp(t, src, to);
        }
        DgramSocket dst;
        if (to != null) {
            Socket s = net.findUnix(t, to);
            if (!(s instanceof DgramSocket)) {
                throw new SyscallError(Errno.EPROTOTYPE);
            }
            dst = (DgramSocket) s;
            if (dst.peer != null && dst.peer != this) {
                throw new SyscallError(Errno.EPERM); // it only takes messages from the socket it is connected to
            }
        } else {
            if (peer == null) {
                throw new SyscallError(Errno.ENOTCONN);
            }
            dst = peer;
            if (dst.closed) {
                throw new SyscallError(Errno.ECONNREFUSED);
            }
        }
        if (dst.shutRd) {
            throw new SyscallError(Errno.EPIPE);
        }
        if (dst.full()) {
            if (!nonblock) {
                waitingFor = dst;
            }
            throw new SyscallError(Errno.EAGAIN);
        }
        byte[] b = src.copyIn(len);
        int pid = t == null ? credPid : t.pid();
        int uid = t == null ? credUid : t.cred().euid;
        int gid = t == null ? credGid : t.cred().egid;
        FileDescription[] rights = null;
        if (anc != null) {
            if (anc.hasCred) {
                pid = anc.pid;
                uid = anc.uid;
                gid = anc.gid;
            }
            rights = anc.rights;
            anc.rights = null;
        }
        if (local == null && passCred) {
            net.autobind(t, this);
        }
        dst.enqueue(new Datagram(b, local, rights, pid, uid, gid));
        return len;
    }

    private int sendUdp(Task t, IoBuffer src, SockAddr to) {
        SockAddr dest = to != null ? to : remote;
        if (dest == null) {
            throw new SyscallError(Errno.EDESTADDRREQ);
        }
        if (dest.port == 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        if (local == null) {
            net.autobind(t, this);
        }
        if (!dest.isLocal()) {
            return sendOutside(src, dest);
        }
        byte[] ip = Network.destination(dest).ip;
        byte[] b = src.copyIn(src.length);
        SockAddr from = SockAddr.inet(family, Network.sourceFor(ip, local), local.port);
        DgramSocket dst = net.findUdp(ip, dest.port, from);
        if (dst == null) {
            if (remote != null) {
                error = Errno.ECONNREFUSED; // the ICMP port-unreachable reaches connected senders only
                queue.wakeAll();
            }
            return b.length;
        }
        if (dst.shutRd || dst.queuedBytes + b.length + OVERHEAD > dst.rcvBuf) {
            return b.length; // a full receiver drops, as UDP does
        }
        dst.enqueue(new Datagram(b, from.as(dst.family), null, 0, 0, 0));
        return b.length;
    }

    /** A datagram to the outside, through this socket's endpoint on the host. */
    private int sendOutside(IoBuffer src, SockAddr dest) {
        if (net.host == null) {
            throw new SyscallError(Errno.ENETUNREACH);
        }
        if (host == null) {
            host = net.host.openDatagrams((ip, port, data) -> {
                SockAddr from = SockAddr.inet(SockAddr.isV4Mapped(ip) ? SockAddr.AF_INET : SockAddr.AF_INET6, ip, port);
                if (closed || shutRd || (family == SockAddr.AF_INET && !SockAddr.isV4Mapped(ip)) || !accepts(from)
                        || queuedBytes + data.length + OVERHEAD > rcvBuf) {
                    return; // not for this socket, or no room: UDP drops
                }
                enqueue(new Datagram(data, from.as(family), null, 0, 0, 0));
            });
            if (host == null) {
                throw new SyscallError(Errno.ENETUNREACH);
            }
        }
        byte[] b = src.copyIn(src.length);
        int e = host.send(dest.ip, dest.port, b);
        if (e != 0) {
            throw new SyscallError(e);
        }
        return b.length;
    }

    private void enqueue(Datagram d) {
        messages.addLast(d);
        queuedBytes += d.data.length + OVERHEAD;
        queue.wakeAll();
    }

    /** True if this socket takes datagrams from {@code from} (a connected UDP socket only from its peer). */
    boolean accepts(SockAddr from) {
        return remote == null || (remote.port == from.port && remote.sameIp(from.as(remote.family)));
    }

    @Override
    public int receive(Task t, byte[] buf, int off, int len, int flags, Ancillary out) {
        if (error != 0 && udp()) {
            throw new SyscallError(takeError());
        }
        Datagram d = messages.peekFirst();
        if (d == null) {
            if (shutRd) {
                return 0;
            }
            throw new SyscallError(Errno.EAGAIN); // a datagram socket never sees end of stream
        }
        boolean peek = (flags & MSG_PEEK) != 0;
        int n = Math.min(len, d.data.length);
        System.arraycopy(d.data, 0, buf, off, n);
        out.fullLength = d.data.length > len ? d.data.length : -1;
        out.from = d.from;
        if (!udp() && passCred) {
            out.setCred(d.pid, d.uid, d.gid);
        }
        if (!peek) {
            messages.pollFirst();
            queuedBytes -= d.data.length + OVERHEAD;
            out.rights = d.rights;
            queue.wakeAll(); // senders waiting for room
        }
        return n;
    }

    @Override
    public void shutdown(int how) {
        if (how < SHUT_RD || how > SHUT_RDWR) {
            throw new SyscallError(Errno.EINVAL);
        }
        if (udp() && remote == null) {
            throw new SyscallError(Errno.ENOTCONN);
        }
        shutRd |= how != SHUT_WR;
        shutWr |= how != SHUT_RD;
        queue.wakeAll();
    }

    @Override
    protected void release() {
        closed = true;
        if (host != null) {
            host.close();
        }
        Datagram d;
        while ((d = messages.pollFirst()) != null) {
            if (d.rights != null) {
                for (FileDescription f : d.rights) {
                    f.decRef();
                }
            }
        }
        queue.wakeAll();
        super.release();
    }

    @Override
    public int poll() {
        int m = error != 0 ? Poll.ERR : 0;
        if (shutRd) {
            m |= Poll.RDHUP | Poll.IN | Poll.RDNORM;
        }
        if (shutRd && shutWr) {
            m |= Poll.HUP;
        }
        if (!messages.isEmpty()) {
            m |= Poll.IN | Poll.RDNORM;
        }
        if (peer == null || peer.closed || !peer.full()) {
            m |= Poll.OUT | Poll.WRNORM | Poll.WRBAND;
        }
        return m;
    }

    @Override
    public int bufferSize(boolean send) {
        return send ? sndBuf : rcvBuf;
    }

    @Override
    public void setBufferSize(boolean send, int bytes) {
        if (send) {
            sndBuf = bytes;
        } else {
            rcvBuf = bytes;
        }
    }

    @Override
    public int readableBytes() {
        Datagram d = messages.peekFirst();
        return d == null ? 0 : d.data.length;
    }

    @Override
    public int unsentBytes() {
        return 0;
    }
}
