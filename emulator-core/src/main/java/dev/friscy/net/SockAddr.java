package dev.friscy.net;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;

import java.util.Arrays;

/**
 * A socket address as the guest passes it (struct sockaddr_un, sockaddr_in, sockaddr_in6),
 * parsed once at the system-call boundary. Internet addresses are kept as 16 bytes, IPv4 ones
 * v4-mapped (::ffff:a.b.c.d), so one port table serves both families as Linux's dual-stack
 * sockets need.
 */
public final class SockAddr {
    public static final int AF_UNSPEC = 0, AF_UNIX = 1, AF_INET = 2, AF_INET6 = 10;
    /** sizeof(struct sockaddr_un), sockaddr_in, sockaddr_in6. */
    public static final int UN_LEN = 110, IN_LEN = 16, IN6_LEN = 28;

    public final int family;
    /** AF_UNIX: the file-system path; null for an abstract name or an unnamed socket. */
    public final String path;
    /** AF_UNIX: the abstract name (the bytes after the leading NUL); null otherwise. */
    public final byte[] abstractName;
    /** AF_INET/AF_INET6: 16 bytes, IPv4 v4-mapped. */
    public final byte[] ip;
    public final int port;
    public final int flowInfo;
    public final int scopeId;

    private SockAddr(int family, String path, byte[] abstractName, byte[] ip, int port, int flowInfo, int scopeId) {
        this.family = family;
        this.path = path;
        this.abstractName = abstractName;
        this.ip = ip;
        this.port = port;
        this.flowInfo = flowInfo;
        this.scopeId = scopeId;
    }

    public static final SockAddr UNIX_UNNAMED = new SockAddr(AF_UNIX, null, null, null, 0, 0, 0);

    public static SockAddr unixPath(String path) {
        return new SockAddr(AF_UNIX, path, null, null, 0, 0, 0);
    }

    public static SockAddr unixAbstract(byte[] name) {
        return new SockAddr(AF_UNIX, null, name, null, 0, 0, 0);
    }

    /** An internet address of {@code family}; {@code ip} is 16 bytes (v4-mapped for AF_INET). */
    public static SockAddr inet(int family, byte[] ip, int port) {
        return new SockAddr(family, null, null, ip, port & 0xffff, 0, 0);
    }

    public SockAddr withPort(int p) {
        return new SockAddr(family, path, abstractName, ip, p & 0xffff, flowInfo, scopeId);
    }

    /** The same address as a socket of {@code fam} reports it (v4-mapped for AF_INET6 sockets). */
    public SockAddr as(int fam) {
        return fam == family ? this : new SockAddr(fam, null, null, ip, port, 0, 0);
    }

    public boolean unnamed() {
        return family == AF_UNIX && path == null && abstractName == null;
    }

    // ------------------------------------------------------------------ internet addresses

    public static byte[] v4(int a, int b, int c, int d) {
        return new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) a, (byte) b, (byte) c, (byte) d};
    }

    public static final byte[] ANY4 = v4(0, 0, 0, 0);
    public static final byte[] ANY6 = new byte[16];
    public static final byte[] LOOP4 = v4(127, 0, 0, 1);
    public static final byte[] LOOP6 = loop6();

    private static byte[] loop6() {
        byte[] b = new byte[16];
        b[15] = 1;
        return b;
    }

    public static boolean isV4Mapped(byte[] ip) {
        for (int i = 0; i < 10; i++) {
            if (ip[i] != 0) {
                return false;
            }
        }
        return ip[10] == (byte) 0xff && ip[11] == (byte) 0xff;
    }

    public boolean isWildcard() {
        return Arrays.equals(ip, ANY4) || Arrays.equals(ip, ANY6);
    }

    /** 127.0.0.0/8 (also v4-mapped) and ::1: served inside the kernel. */
    public boolean isLoopback() {
        return (isV4Mapped(ip) && ip[12] == 127) || Arrays.equals(ip, LOOP6);
    }

    /** An address this machine owns: the wildcard or loopback (the guest has no other interface). */
    public boolean isLocal() {
        return isWildcard() || isLoopback();
    }

    public boolean sameIp(SockAddr o) {
        return Arrays.equals(ip, o.ip);
    }

    // ------------------------------------------------------------------ parsing

    /**
     * Parses {@code len} bytes of a guest sockaddr for a socket of family {@code socketFamily}:
     * EINVAL for a short address, EAFNOSUPPORT for another family. An AF_INET6 socket takes
     * AF_INET6 addresses only, as Linux's bind and connect do.
     */
    public static SockAddr parse(byte[] b, int len, int socketFamily) {
        if (len < 2) {
            throw new SyscallError(Errno.EINVAL);
        }
        int fam = (b[0] & 0xff) | (b[1] & 0xff) << 8;
        switch (socketFamily) {
            case AF_UNIX:
                if (fam != AF_UNIX) {
                    throw new SyscallError(Errno.EINVAL);
                }
                return parseUnix(b, len);
            case AF_INET:
                if (len < IN_LEN) {
                    throw new SyscallError(Errno.EINVAL);
                }
                if (fam != AF_INET) {
                    throw new SyscallError(Errno.EAFNOSUPPORT);
                }
                return new SockAddr(AF_INET, null, null, v4(b[4] & 0xff, b[5] & 0xff, b[6] & 0xff, b[7] & 0xff),
                        (b[2] & 0xff) << 8 | (b[3] & 0xff), 0, 0);
            case AF_INET6: {
                if (len < 24) {
                    throw new SyscallError(Errno.EINVAL);
                }
                if (fam != AF_INET6) {
                    throw new SyscallError(Errno.EAFNOSUPPORT);
                }
                byte[] ip = Arrays.copyOfRange(b, 8, 24);
                int scope = len >= IN6_LEN ? getInt(b, 24) : 0;
                return new SockAddr(AF_INET6, null, null, ip, (b[2] & 0xff) << 8 | (b[3] & 0xff), getInt(b, 4), scope);
            }
            default:
                throw new SyscallError(Errno.EAFNOSUPPORT);
        }
    }

    private static SockAddr parseUnix(byte[] b, int len) {
        if (len > UN_LEN) {
            throw new SyscallError(Errno.EINVAL);
        }
        if (len == 2) {
            return UNIX_UNNAMED;
        }
        if (b[2] == 0) {
            return unixAbstract(Arrays.copyOfRange(b, 3, len));
        }
        int end = 2;
        while (end < len && b[end] != 0) {
            end++;
        }
        return unixPath(new String(b, 2, end - 2, java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    /** The sockaddr bytes Linux reports for this address (getsockname, accept, recvfrom). */
    public byte[] encode() {
        switch (family) {
            case AF_UNIX: {
                if (path != null) {
                    byte[] p = path.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
                    byte[] out = new byte[2 + p.length + 1];
                    out[0] = AF_UNIX;
                    System.arraycopy(p, 0, out, 2, p.length);
                    return out;
                }
                if (abstractName != null) {
                    byte[] out = new byte[3 + abstractName.length];
                    out[0] = AF_UNIX;
                    System.arraycopy(abstractName, 0, out, 3, abstractName.length);
                    return out;
                }
                return new byte[] {AF_UNIX, 0};
            }
            case AF_INET: {
                byte[] out = new byte[IN_LEN];
                out[0] = AF_INET;
                out[2] = (byte) (port >> 8);
                out[3] = (byte) port;
                System.arraycopy(ip, 12, out, 4, 4);
                return out;
            }
            default: {
                byte[] out = new byte[IN6_LEN];
                out[0] = AF_INET6;
                out[2] = (byte) (port >> 8);
                out[3] = (byte) port;
                putInt(out, 4, flowInfo);
                System.arraycopy(ip, 0, out, 8, 16);
                putInt(out, 24, scopeId);
                return out;
            }
        }
    }

    /** Dotted or colon form of the internet address, for diagnostics and /proc/net. */
    public String ipString() {
        if (ip == null) {
            return "";
        }
        if (family == AF_INET || isV4Mapped(ip) && family != AF_INET6) {
            return (ip[12] & 0xff) + "." + (ip[13] & 0xff) + "." + (ip[14] & 0xff) + "." + (ip[15] & 0xff);
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 16; i += 2) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(Integer.toHexString((ip[i] & 0xff) << 8 | (ip[i + 1] & 0xff)));
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        if (family == AF_UNIX) {
            return path != null ? path : abstractName != null ? "@" + new String(abstractName,
                    java.nio.charset.StandardCharsets.ISO_8859_1) : "(unnamed)";
        }
        return (family == AF_INET6 ? "[" + ipString() + "]" : ipString()) + ":" + port;
    }

    static int getInt(byte[] b, int o) {
        return (b[o] & 0xff) | (b[o + 1] & 0xff) << 8 | (b[o + 2] & 0xff) << 16 | (b[o + 3] & 0xff) << 24;
    }

    static void putInt(byte[] b, int o, int v) {
        b[o] = (byte) v;
        b[o + 1] = (byte) (v >> 8);
        b[o + 2] = (byte) (v >> 16);
        b[o + 3] = (byte) (v >> 24);
    }
}
