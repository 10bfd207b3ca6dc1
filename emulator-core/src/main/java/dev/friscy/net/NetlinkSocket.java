package dev.friscy.net;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.fs.Poll;
import dev.friscy.kernel.Task;
import dev.friscy.mem.IoBuffer;

import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;

/**
 * AF_NETLINK, NETLINK_ROUTE, as far as programs ask it what the machine's interfaces are:
 * glibc's getifaddrs (node's os.networkInterfaces, Python's socket.if_nameindex) and
 * `ip link`/`ip addr` dump links (RTM_GETLINK) and addresses (RTM_GETADDR). The answer is the
 * guest's one interface, lo, with 127.0.0.1/8 and ::1/128. Requests that would change the
 * configuration, and any other, are answered with an NLMSG_ERROR of EOPNOTSUPP.
 */
public final class NetlinkSocket extends Socket {
    public static final int NETLINK_ROUTE = 0;
    static final int NLMSG_ERROR = 2, NLMSG_DONE = 3;
    static final int RTM_NEWLINK = 16, RTM_GETLINK = 18, RTM_NEWADDR = 20, RTM_GETADDR = 22;
    static final int NLM_F_REQUEST = 1, NLM_F_MULTI = 2, NLM_F_ACK = 4, NLM_F_DUMP = 0x300;
    static final int IFF_UP = 0x1, IFF_LOOPBACK = 0x8, IFF_RUNNING = 0x40, IFF_LOWER_UP = 0x10000;
    static final int ARPHRD_LOOPBACK = 772;
    static final int LO_MTU = 65536;

    private final ArrayDeque<byte[]> replies = new ArrayDeque<>();
    /** nl_pid: given at bind (or the first send), the process id for a process's first socket. */
    private int portId;

    public NetlinkSocket(Network net, int type, int flags) {
        super(net, SockAddr.AF_NETLINK, type, NETLINK_ROUTE, flags);
    }

    @Override
    public void bind(Task t, SockAddr a) {
        if (portId != 0 && a.port != 0 && a.port != portId) {
            throw new SyscallError(Errno.EINVAL);
        }
        if (a.scopeId != 0) {
            throw new SyscallError(Errno.EPERM); // multicast groups: no notifications here
        }
        assignPort(t, a.port);
    }

    private void assignPort(Task t, int wanted) {
        if (portId == 0) {
            portId = net.netlinkPort(this, wanted, t == null ? 0 : t.pid());
            local = SockAddr.netlink(portId, 0);
        }
    }

    @Override
    public SockAddr name() {
        return SockAddr.netlink(portId, 0);
    }

    @Override
    public void connect(Task t, SockAddr a, boolean nonblock) {
        assignPort(t, 0); // only the kernel (nl_pid 0) answers; connecting changes nothing else
    }

    @Override
    public SockAddr peerName() {
        return SockAddr.netlink(0, 0);
    }

    @Override
    public int send(Task t, IoBuffer src, int flags, SockAddr to, Ancillary anc, boolean nonblock) {
        if (to != null && to.port != 0) {
            throw new SyscallError(Errno.ECONNREFUSED); // other netlink users: none
        }
        assignPort(t, 0);
        int len = src.length;
        if (len > DEFAULT_BUFFER) {
            throw new SyscallError(Errno.EMSGSIZE);
        }
        byte[] b = src.copyIn(len);
        int o = 0;
        while (o + 16 <= len) {
            int mlen = SockAddr.getInt(b, o);
            if (mlen < 16 || mlen > len - o) {
                break; // Linux ignores a truncated message at the end
            }
            request(b, o, mlen);
            o += (mlen + 3) & ~3;
        }
        queue.wakeAll();
        return len;
    }

    private void request(byte[] b, int o, int mlen) {
        int type = (b[o + 4] & 0xff) | (b[o + 5] & 0xff) << 8;
        int flags = (b[o + 6] & 0xff) | (b[o + 7] & 0xff) << 8;
        int seq = SockAddr.getInt(b, o + 8);
        if ((flags & NLM_F_REQUEST) == 0) {
            return;
        }
        boolean dump = (flags & NLM_F_DUMP) == NLM_F_DUMP;
        int family = mlen > 16 ? b[o + 16] & 0xff : 0;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (type == RTM_GETLINK && dump) {
            write(out, msg(RTM_NEWLINK, NLM_F_MULTI, seq, link()));
            write(out, msg(NLMSG_DONE, NLM_F_MULTI, seq, new byte[4]));
        } else if (type == RTM_GETADDR && dump) {
            if (family == SockAddr.AF_UNSPEC || family == SockAddr.AF_INET) {
                write(out, msg(RTM_NEWADDR, NLM_F_MULTI, seq, addr4()));
            }
            if (family == SockAddr.AF_UNSPEC || family == SockAddr.AF_INET6) {
                write(out, msg(RTM_NEWADDR, NLM_F_MULTI, seq, addr6()));
            }
            write(out, msg(NLMSG_DONE, NLM_F_MULTI, seq, new byte[4]));
        } else {
            write(out, error(b, o, mlen, seq, -Errno.EOPNOTSUPP));
        }
        replies.add(out.toByteArray());
    }

    private static void write(ByteArrayOutputStream out, byte[] b) {
        out.write(b, 0, b.length);
    }

    private byte[] msg(int type, int flags, int seq, byte[] payload) {
        int len = 16 + payload.length;
        byte[] m = new byte[(len + 3) & ~3];
        SockAddr.putInt(m, 0, len);
        m[4] = (byte) type;
        m[5] = (byte) (type >> 8);
        m[6] = (byte) flags;
        m[7] = (byte) (flags >> 8);
        SockAddr.putInt(m, 8, seq);
        SockAddr.putInt(m, 12, portId);
        System.arraycopy(payload, 0, m, 16, payload.length);
        return m;
    }

    /** NLMSG_ERROR: the errno, then the request's header. */
    private byte[] error(byte[] b, int o, int mlen, int seq, int err) {
        byte[] p = new byte[4 + 16];
        SockAddr.putInt(p, 0, err);
        System.arraycopy(b, o, p, 4, 16);
        return msg(NLMSG_ERROR, 0, seq, p);
    }

    /** A routing attribute: length, type, data, padded to 4 bytes. */
    private static void attr(ByteArrayOutputStream out, int type, byte[] data) {
        int len = 4 + data.length;
        byte[] a = new byte[(len + 3) & ~3];
        a[0] = (byte) len;
        a[1] = (byte) (len >> 8);
        a[2] = (byte) type;
        a[3] = (byte) (type >> 8);
        System.arraycopy(data, 0, a, 4, data.length);
        out.write(a, 0, a.length);
    }

    private static byte[] u32(int v) {
        byte[] b = new byte[4];
        SockAddr.putInt(b, 0, v);
        return b;
    }

    private static final byte[] LO_NAME = {'l', 'o', 0};

    /** struct ifinfomsg for lo, then IFLA_ADDRESS, IFLA_BROADCAST, IFLA_IFNAME, IFLA_MTU. */
    private static byte[] link() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] ifi = new byte[16];
        ifi[0] = SockAddr.AF_UNSPEC;
        ifi[2] = (byte) ARPHRD_LOOPBACK;
        ifi[3] = (byte) (ARPHRD_LOOPBACK >> 8);
        SockAddr.putInt(ifi, 4, 1);
        SockAddr.putInt(ifi, 8, IFF_UP | IFF_LOOPBACK | IFF_RUNNING | IFF_LOWER_UP);
        out.write(ifi, 0, ifi.length);
        attr(out, 1, new byte[6]); // IFLA_ADDRESS: 00:00:00:00:00:00
        attr(out, 2, new byte[6]); // IFLA_BROADCAST
        attr(out, 3, LO_NAME); // IFLA_IFNAME
        attr(out, 4, u32(LO_MTU)); // IFLA_MTU
        return out.toByteArray();
    }

    /** struct ifaddrmsg + IFA_ADDRESS, IFA_LOCAL, IFA_LABEL: 127.0.0.1/8 on lo. */
    private static byte[] addr4() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {SockAddr.AF_INET, 8, (byte) 0x80, (byte) 254, 1, 0, 0, 0}, 0, 8);
        byte[] ip = {127, 0, 0, 1};
        attr(out, 1, ip);
        attr(out, 2, ip);
        attr(out, 3, LO_NAME);
        return out.toByteArray();
    }

    /** ::1/128 on lo. */
    private static byte[] addr6() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {SockAddr.AF_INET6, (byte) 128, (byte) 0x80, (byte) 254, 1, 0, 0, 0}, 0, 8);
        attr(out, 1, SockAddr.LOOP6.clone());
        return out.toByteArray();
    }

    @Override
    public int receive(Task t, byte[] buf, int off, int len, int flags, Ancillary out) {
        byte[] r = replies.peekFirst();
        if (r == null) {
            if (shutRd) {
                return 0;
            }
            throw new SyscallError(Errno.EAGAIN);
        }
        int n = Math.min(len, r.length);
        System.arraycopy(r, 0, buf, off, n);
        out.fullLength = r.length > len ? r.length : -1;
        out.from = SockAddr.netlink(0, 0);
        if ((flags & MSG_PEEK) == 0) {
            replies.pollFirst();
        }
        return n;
    }

    @Override
    public void shutdown(int how) {
        if (how < SHUT_RD || how > SHUT_RDWR) {
            throw new SyscallError(Errno.EINVAL);
        }
        shutRd |= how != SHUT_WR;
        shutWr |= how != SHUT_RD;
        queue.wakeAll();
    }

    @Override
    protected void release() {
        net.releaseNetlinkPort(portId);
        super.release();
    }

    @Override
    public int poll() {
        int m = Poll.OUT | Poll.WRNORM;
        if (!replies.isEmpty() || shutRd) {
            m |= Poll.IN | Poll.RDNORM;
        }
        return m;
    }

    @Override
    public int bufferSize(boolean send) {
        return DEFAULT_BUFFER;
    }

    @Override
    public void setBufferSize(boolean send, int bytes) {
        // the replies are small and few: nothing to size
    }

    @Override
    public int readableBytes() {
        byte[] r = replies.peekFirst();
        return r == null ? 0 : r.length;
    }

    @Override
    public int unsentBytes() {
        return 0;
    }
}
