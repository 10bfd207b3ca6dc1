package dev.friscy.net;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;

/**
 * getsockopt/setsockopt. Options that change what this kernel does are acted on (buffer
 * sizes, SO_PASSCRED, SO_REUSEADDR/SO_REUSEPORT and IPV6_V6ONLY in binding, SO_RCVTIMEO and
 * SO_SNDTIMEO in waiting). Options that tune a real network path (TCP_NODELAY, SO_KEEPALIVE,
 * IP_TOS, ...) are kept and read back as Linux would: loopback inside the kernel delivers at
 * once and never loses, so they have nothing to change. Unknown ones are ENOPROTOOPT.
 */
public final class SocketOptions {
    public static final int SOL_SOCKET = 1;
    public static final int SO_DEBUG = 1, SO_REUSEADDR = 2, SO_TYPE = 3, SO_ERROR = 4, SO_DONTROUTE = 5,
            SO_BROADCAST = 6, SO_SNDBUF = 7, SO_RCVBUF = 8, SO_KEEPALIVE = 9, SO_OOBINLINE = 10,
            SO_NO_CHECK = 11, SO_PRIORITY = 12, SO_LINGER = 13, SO_REUSEPORT = 15, SO_PASSCRED = 16,
            SO_PEERCRED = 17, SO_RCVLOWAT = 18, SO_SNDLOWAT = 19, SO_RCVTIMEO = 20, SO_SNDTIMEO = 21,
            SO_TIMESTAMP = 29, SO_ACCEPTCONN = 30, SO_SNDBUFFORCE = 32, SO_RCVBUFFORCE = 33,
            SO_PROTOCOL = 38, SO_DOMAIN = 39, SO_RCVTIMEO_NEW = 66, SO_SNDTIMEO_NEW = 67;
    public static final int TCP_NODELAY = 1, TCP_MAXSEG = 2, TCP_CORK = 3, TCP_KEEPIDLE = 4, TCP_KEEPINTVL = 5,
            TCP_KEEPCNT = 6, TCP_SYNCNT = 7, TCP_LINGER2 = 8, TCP_DEFER_ACCEPT = 9, TCP_WINDOW_CLAMP = 10,
            TCP_QUICKACK = 12, TCP_USER_TIMEOUT = 18, TCP_FASTOPEN = 23, TCP_FASTOPEN_CONNECT = 30;
    public static final int IP_TOS = 1, IP_TTL = 2, IP_PKTINFO = 8, IP_MTU_DISCOVER = 10, IP_RECVERR = 11,
            IP_RECVTTL = 12, IP_RECVTOS = 13, IP_MULTICAST_TTL = 33, IP_MULTICAST_LOOP = 34;
    public static final int IPV6_UNICAST_HOPS = 16, IPV6_MULTICAST_HOPS = 18, IPV6_MULTICAST_LOOP = 19,
            IPV6_MTU_DISCOVER = 23, IPV6_RECVERR = 25, IPV6_V6ONLY = 26, IPV6_RECVPKTINFO = 49, IPV6_TCLASS = 67;
    /** Linux's net.core.rmem_max/wmem_max: the most an unprivileged SO_RCVBUF/SO_SNDBUF gets (before doubling). */
    static final int BUF_MAX = 212992;
    static final int SOCK_MIN_RCVBUF = 2304, SOCK_MIN_SNDBUF = 4608;

    private SocketOptions() {
    }

    private static int key(int level, int name) {
        return level << 16 | name;
    }

    private static int stored(Socket s, int level, int name, int dflt) {
        Integer v = s.options.get(key(level, name));
        return v == null ? dflt : v;
    }

    static boolean reuseAddr(Socket s) {
        return stored(s, SOL_SOCKET, SO_REUSEADDR, 0) != 0;
    }

    static boolean reusePort(Socket s) {
        return stored(s, SOL_SOCKET, SO_REUSEPORT, 0) != 0;
    }

    static boolean v6only(Socket s) {
        return stored(s, Socket.IPPROTO_IPV6, IPV6_V6ONLY, 0) != 0;
    }

    /** SO_LINGER on with a zero timeout: close resets the connection instead of ending it. */
    /** SO_OOBINLINE: TCP urgent data stays in the normal stream. */
    static boolean oobInline(Socket s) {
        return stored(s, SOL_SOCKET, SO_OOBINLINE, 0) != 0;
    }

    static boolean abortiveClose(Socket s) {
        return stored(s, SOL_SOCKET, SO_LINGER, 0) != 0 && s.lingerSeconds == 0;
    }

    /** SO_RCVTIMEO/SO_SNDTIMEO in nanoseconds, 0 for none. */
    public static long timeout(Socket s, boolean send) {
        Long v = send ? s.sndTimeo : s.rcvTimeo;
        return v == null ? 0 : v;
    }

    /** The option's value as getsockopt returns it (an int for most, a struct for a few). */
    public static byte[] get(Socket s, int level, int name) {
        switch (level) {
            case SOL_SOCKET:
                return socketLevel(s, name);
            default:
                checkLevel(s, level, true);
                return intBytes(getInt(s, level, name));
        }
    }

    private static byte[] socketLevel(Socket s, int name) {
        switch (name) {
            case SO_TYPE:
                return intBytes(s.type);
            case SO_ERROR:
                return intBytes(s.takeError());
            case SO_DOMAIN:
                return intBytes(s.family);
            case SO_PROTOCOL:
                return intBytes(s.isInet() ? (s.type == Socket.SOCK_STREAM ? Socket.IPPROTO_TCP : Socket.IPPROTO_UDP) : 0);
            case SO_ACCEPTCONN:
                return intBytes(s.listening() ? 1 : 0);
            case SO_SNDBUF:
                return intBytes(s.bufferSize(true));
            case SO_RCVBUF:
                return intBytes(s.bufferSize(false));
            case SO_PASSCRED:
                return intBytes(s.passCred ? 1 : 0);
            case SO_PEERCRED: {
                byte[] out = new byte[12];
                if (s instanceof StreamSocket && !s.isInet() && ((StreamSocket) s).state == StreamSocket.CONNECTED) {
                    StreamSocket ss = (StreamSocket) s;
                    SockAddr.putInt(out, 0, ss.peerPid);
                    SockAddr.putInt(out, 4, ss.peerUid);
                    SockAddr.putInt(out, 8, ss.peerGid);
                } else if (s instanceof StreamSocket && !s.isInet() && s.listening()) {
                    SockAddr.putInt(out, 0, s.credPid); // a listener reports its own
                    SockAddr.putInt(out, 4, s.credUid);
                    SockAddr.putInt(out, 8, s.credGid);
                } else if (s instanceof DgramSocket && ((DgramSocket) s).peer != null) {
                    DgramSocket p = ((DgramSocket) s).peer;
                    SockAddr.putInt(out, 0, p.credPid);
                    SockAddr.putInt(out, 4, p.credUid);
                    SockAddr.putInt(out, 8, p.credGid);
                } else {
                    SockAddr.putInt(out, 0, 0); // no peer: Linux's "nobody" credentials
                    SockAddr.putInt(out, 4, -1);
                    SockAddr.putInt(out, 8, -1);
                }
                return out;
            }
            case SO_LINGER: {
                byte[] out = new byte[8];
                SockAddr.putInt(out, 0, stored(s, SOL_SOCKET, SO_LINGER, 0));
                SockAddr.putInt(out, 4, s.lingerSeconds);
                return out;
            }
            case SO_RCVTIMEO:
            case SO_SNDTIMEO: {
                long ns = timeout(s, name == SO_SNDTIMEO);
                byte[] out = new byte[16];
                putLong(out, 0, ns / 1_000_000_000L);
                putLong(out, 8, ns % 1_000_000_000L / 1000);
                return out;
            }
            case SO_SNDLOWAT:
                return intBytes(1);
            default:
                return intBytes(getInt(s, SOL_SOCKET, name));
        }
    }

    /**
     * An int option kept per socket: its default, the values setsockopt takes (EINVAL outside),
     * and whether it is a flag (any non-zero value reads back as 1).
     */
    private static final class IntOption {
        final int dflt;
        final int min;
        final int max;
        final boolean flag;

        IntOption(int dflt, int min, int max, boolean flag) {
            this.dflt = dflt;
            this.min = min;
            this.max = max;
            this.flag = flag;
        }
    }

    private static IntOption flag(int dflt) {
        return new IntOption(dflt, Integer.MIN_VALUE, Integer.MAX_VALUE, true);
    }

    private static IntOption value(int dflt) {
        return new IntOption(dflt, Integer.MIN_VALUE, Integer.MAX_VALUE, false);
    }

    private static IntOption range(int dflt, int min, int max) {
        return new IntOption(dflt, min, max, false);
    }

    /** The options that are an int kept as set; others are handled one by one. */
    private static final java.util.HashMap<Integer, IntOption> INT_OPTIONS = new java.util.HashMap<>();

    static {
        INT_OPTIONS.put(key(SOL_SOCKET, SO_REUSEADDR), flag(0));
        INT_OPTIONS.put(key(SOL_SOCKET, SO_REUSEPORT), flag(0));
        INT_OPTIONS.put(key(SOL_SOCKET, SO_KEEPALIVE), flag(0));
        INT_OPTIONS.put(key(SOL_SOCKET, SO_BROADCAST), flag(0));
        INT_OPTIONS.put(key(SOL_SOCKET, SO_DEBUG), flag(0));
        INT_OPTIONS.put(key(SOL_SOCKET, SO_DONTROUTE), flag(0));
        INT_OPTIONS.put(key(SOL_SOCKET, SO_OOBINLINE), flag(0));
        INT_OPTIONS.put(key(SOL_SOCKET, SO_NO_CHECK), flag(0));
        INT_OPTIONS.put(key(SOL_SOCKET, SO_TIMESTAMP), flag(0));
        INT_OPTIONS.put(key(SOL_SOCKET, SO_PRIORITY), value(0));
        INT_OPTIONS.put(key(SOL_SOCKET, SO_RCVLOWAT), value(1));
        INT_OPTIONS.put(key(Socket.IPPROTO_TCP, TCP_NODELAY), flag(0));
        INT_OPTIONS.put(key(Socket.IPPROTO_TCP, TCP_CORK), flag(0));
        INT_OPTIONS.put(key(Socket.IPPROTO_TCP, TCP_QUICKACK), flag(1));
        INT_OPTIONS.put(key(Socket.IPPROTO_TCP, TCP_DEFER_ACCEPT), value(0));
        INT_OPTIONS.put(key(Socket.IPPROTO_TCP, TCP_USER_TIMEOUT), value(0));
        INT_OPTIONS.put(key(Socket.IPPROTO_TCP, TCP_FASTOPEN), value(0));
        INT_OPTIONS.put(key(Socket.IPPROTO_TCP, TCP_FASTOPEN_CONNECT), value(0));
        INT_OPTIONS.put(key(Socket.IPPROTO_TCP, TCP_WINDOW_CLAMP), value(0));
        INT_OPTIONS.put(key(Socket.IPPROTO_TCP, TCP_MAXSEG), value(65483)); // loopback's MTU (65536) less the headers
        INT_OPTIONS.put(key(Socket.IPPROTO_TCP, TCP_KEEPIDLE), range(7200, 1, 32767));
        INT_OPTIONS.put(key(Socket.IPPROTO_TCP, TCP_KEEPINTVL), range(75, 1, 32767));
        INT_OPTIONS.put(key(Socket.IPPROTO_TCP, TCP_KEEPCNT), range(9, 1, 127));
        INT_OPTIONS.put(key(Socket.IPPROTO_TCP, TCP_SYNCNT), range(6, 1, 127));
        INT_OPTIONS.put(key(Socket.IPPROTO_TCP, TCP_LINGER2), value(60));
        INT_OPTIONS.put(key(Socket.IPPROTO_IP, IP_TOS), value(0));
        INT_OPTIONS.put(key(Socket.IPPROTO_IP, IP_TTL), range(64, 1, 255));
        INT_OPTIONS.put(key(Socket.IPPROTO_IP, IP_MTU_DISCOVER), value(1)); // IP_PMTUDISC_WANT
        INT_OPTIONS.put(key(Socket.IPPROTO_IP, IP_MULTICAST_TTL), value(1));
        INT_OPTIONS.put(key(Socket.IPPROTO_IP, IP_MULTICAST_LOOP), value(1));
        INT_OPTIONS.put(key(Socket.IPPROTO_IP, IP_RECVERR), value(0));
        INT_OPTIONS.put(key(Socket.IPPROTO_IP, IP_PKTINFO), value(0));
        INT_OPTIONS.put(key(Socket.IPPROTO_IP, IP_RECVTTL), value(0));
        INT_OPTIONS.put(key(Socket.IPPROTO_IP, IP_RECVTOS), value(0));
        INT_OPTIONS.put(key(Socket.IPPROTO_IPV6, IPV6_V6ONLY), flag(0));
        INT_OPTIONS.put(key(Socket.IPPROTO_IPV6, IPV6_RECVERR), value(0));
        INT_OPTIONS.put(key(Socket.IPPROTO_IPV6, IPV6_RECVPKTINFO), value(0));
        INT_OPTIONS.put(key(Socket.IPPROTO_IPV6, IPV6_TCLASS), value(0));
        INT_OPTIONS.put(key(Socket.IPPROTO_IPV6, IPV6_UNICAST_HOPS), value(64));
        INT_OPTIONS.put(key(Socket.IPPROTO_IPV6, IPV6_MULTICAST_HOPS), value(64));
        INT_OPTIONS.put(key(Socket.IPPROTO_IPV6, IPV6_MULTICAST_LOOP), value(1));
        INT_OPTIONS.put(key(Socket.IPPROTO_IPV6, IPV6_MTU_DISCOVER), value(1));
    }

    private static IntOption intOption(int level, int name) {
        IntOption o = INT_OPTIONS.get(key(level, name));
        if (o == null) {
            throw new SyscallError(Errno.ENOPROTOOPT);
        }
        return o;
    }

    private static int getInt(Socket s, int level, int name) {
        return stored(s, level, name, intOption(level, name).dflt);
    }

    private static void setInt(Socket s, int level, int name, int v, boolean netAdmin) {
        IntOption o = intOption(level, name);
        if (level == Socket.IPPROTO_IP && name == IP_TTL && v == -1) {
            v = o.dflt; // -1: back to the default
        } else if (level == SOL_SOCKET && name == SO_RCVLOWAT) {
            v = Math.max(v, 1); // Linux takes 0 (and less) as 1
        } else if (level == SOL_SOCKET && name == SO_PRIORITY && (v < 0 || v > 6) && !netAdmin) {
            throw new SyscallError(Errno.EPERM); // outside 0..6 needs CAP_NET_ADMIN (or CAP_NET_RAW)
        } else if (level == Socket.IPPROTO_IPV6 && name == IPV6_V6ONLY && s.local != null) {
            throw new SyscallError(Errno.EINVAL); // too late once bound
        } else if (v < o.min || v > o.max) {
            throw new SyscallError(Errno.EINVAL);
        }
        s.options.put(key(level, name), o.flag ? (v != 0 ? 1 : 0) : v);
    }

    /**
     * setsockopt; {@code val} holds the bytes the guest passed; {@code netAdmin}: the caller has
     * CAP_NET_ADMIN (root), which options like SO_PRIORITY above 6 need.
     */
    public static void set(Socket s, int level, int name, byte[] val, boolean netAdmin) {
        switch (level) {
            case SOL_SOCKET:
                setSocketLevel(s, name, val, netAdmin);
                return;
            default:
                checkLevel(s, level, false);
                intOption(level, name);
                setInt(s, level, name, intArg(val), netAdmin);
        }
    }

    private static void setSocketLevel(Socket s, int name, byte[] val, boolean netAdmin) {
        switch (name) {
            case SO_SNDBUF:
            case SO_RCVBUF:
            case SO_SNDBUFFORCE:
            case SO_RCVBUFFORCE: {
                boolean send = name == SO_SNDBUF || name == SO_SNDBUFFORCE;
                long want = Math.max(intArg(val), 0);
                if (name == SO_SNDBUF || name == SO_RCVBUF) {
                    want = Math.min(want, BUF_MAX);
                }
                // Linux doubles the asked size (for its bookkeeping) and keeps a minimum
                int d = (int) Math.min(Math.max(2 * want, send ? SOCK_MIN_SNDBUF : SOCK_MIN_RCVBUF), 1 << 28);
                s.setBufferSize(send, d);
                return;
            }
            case SO_PASSCRED:
                s.passCred = intArg(val) != 0;
                return;
            case SO_LINGER: {
                if (val.length < 8) {
                    throw new SyscallError(Errno.EINVAL);
                }
                s.options.put(key(SOL_SOCKET, SO_LINGER), SockAddr.getInt(val, 0) != 0 ? 1 : 0);
                s.lingerSeconds = SockAddr.getInt(val, 4);
                return;
            }
            case SO_RCVTIMEO:
            case SO_SNDTIMEO: {
                if (val.length < 16) {
                    throw new SyscallError(Errno.EINVAL);
                }
                long sec = getLong(val, 0);
                long usec = getLong(val, 8);
                if (usec < 0 || usec >= 1_000_000) {
                    throw new SyscallError(Errno.EDOM);
                }
                long ns = sec < 0 ? 0 : sec > Long.MAX_VALUE / 2_000_000_000L ? 0 : sec * 1_000_000_000L + usec * 1000;
                if (name == SO_RCVTIMEO) {
                    s.rcvTimeo = ns;
                } else {
                    s.sndTimeo = ns;
                }
                return;
            }
            default:
                setInt(s, SOL_SOCKET, name, intArg(val), netAdmin);
        }
    }

    /**
     * A level the socket's protocol does not have: AF_UNIX sockets answer EOPNOTSUPP for every
     * level but SOL_SOCKET; internet ones ENOPROTOOPT (TCP options on UDP, IPv6 ones on IPv4),
     * except that reading one from an IPv4 socket is EOPNOTSUPP (Linux's ip_getsockopt).
     */
    private static void checkLevel(Socket s, int level, boolean get) {
        if (!s.isInet()) {
            throw new SyscallError(Errno.EOPNOTSUPP);
        }
        boolean ok = level == Socket.IPPROTO_IP
                || level == Socket.IPPROTO_IPV6 && s.family == SockAddr.AF_INET6
                || level == Socket.IPPROTO_TCP && s.type == Socket.SOCK_STREAM;
        if (!ok) {
            throw new SyscallError(get && s.family == SockAddr.AF_INET ? Errno.EOPNOTSUPP : Errno.ENOPROTOOPT);
        }
    }

    /** An int option's value: Linux needs at least 4 bytes (EINVAL otherwise). */
    private static int intArg(byte[] val) {
        if (val.length < 4) {
            throw new SyscallError(Errno.EINVAL);
        }
        return SockAddr.getInt(val, 0);
    }

    private static byte[] intBytes(int v) {
        byte[] b = new byte[4];
        SockAddr.putInt(b, 0, v);
        return b;
    }

    private static long getLong(byte[] b, int o) {
        return (SockAddr.getInt(b, o) & 0xffffffffL) | (long) SockAddr.getInt(b, o + 4) << 32;
    }

    private static void putLong(byte[] b, int o, long v) {
        SockAddr.putInt(b, o, (int) v);
        SockAddr.putInt(b, o + 4, (int) (v >>> 32));
    }
}
