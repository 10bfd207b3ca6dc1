package dev.friscy.net;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.kernel.Task;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;

/**
 * The kernel's one network namespace: who is bound to which name (AF_UNIX paths and abstract
 * names, TCP and UDP ports on the loopback interface), ephemeral ports, and finding the socket
 * a connect or a datagram is for. The guest has one interface, loopback (127.0.0.0/8 and ::1);
 * the wildcard addresses mean it.
 */
public final class Network {
    /** /proc/sys/net/ipv4/ip_local_port_range. */
    public static final int EPHEMERAL_LOW = 32768, EPHEMERAL_HIGH = 60999;
    /** /proc/sys/net/ipv4/ip_unprivileged_port_start. */
    static final int PRIVILEGED_BELOW = 1024;

    /** How AF_UNIX path names reach the file system (the kernel's path walk and permission checks). */
    public interface Paths {
        /**
         * Creates the socket inode for {@code s} at {@code path}: EADDRINUSE if the name exists,
         * else EINVAL if {@code s} has a name already (Linux looks at the path first).
         */
        void bind(Task t, String path, Socket s);

        /** The socket bound at {@code path}: ENOENT, EACCES, ECONNREFUSED (not a socket, or nobody bound). */
        Socket find(Task t, String path);

        /** {@code s} is closing: its inode stays, but no longer leads to it. */
        void unbind(Socket s);
    }

    public Paths paths;
    /** The host's network for destinations outside the machine; null: ENETUNREACH. */
    public dev.friscy.host.HostNetwork host;
    private final HashMap<String, Socket> abstractNames = new HashMap<>();
    /** Every socket bound to a port (TCP and UDP, both families). */
    private final ArrayList<Socket> inetBound = new ArrayList<>();
    /** AF_UNIX sockets bound to paths. */
    private final ArrayList<Socket> unixPathBound = new ArrayList<>();
    private int nextEphemeral = EPHEMERAL_LOW;
    private int nextAutobind = 0;

    // ------------------------------------------------------------------ names

    private static String key(byte[] name) {
        return new String(name, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** bind(2). */
    public void bind(Task t, Socket s, SockAddr a) {
        if (s.local != null && (a.path == null || a.path.isEmpty())) {
            throw new SyscallError(Errno.EINVAL);
        }
        if (s.family == SockAddr.AF_UNIX) {
            if (a.unnamed()) {
                autobind(t, s);
            } else if (a.abstractName != null) {
                String k = key(a.abstractName);
                if (abstractNames.containsKey(k)) {
                    throw new SyscallError(Errno.EADDRINUSE);
                }
                abstractNames.put(k, s);
                s.local = a;
            } else {
                if (a.path.isEmpty()) {
                    throw new SyscallError(Errno.ENOENT);
                }
                paths.bind(t, a.path, s);
                s.local = a;
                unixPathBound.add(s);
            }
            return;
        }
        if (!a.isLocal()) {
            throw new SyscallError(Errno.EADDRNOTAVAIL);
        }
        if (a.port != 0 && a.port < PRIVILEGED_BELOW && t != null && t.cred().euid != 0) {
            throw new SyscallError(Errno.EACCES);
        }
        int port = a.port;
        if (port == 0) {
            port = ephemeral(s, a.ip);
        } else if (conflict(s, a.ip, port)) {
            throw new SyscallError(Errno.EADDRINUSE);
        }
        s.local = SockAddr.inet(s.family, a.ip, port);
        inetBound.add(s);
    }

    /** A name for a socket that needs one and has none: an abstract "%05x" name, or an ephemeral port on the wildcard. */
    public void autobind(Task t, Socket s) {
        if (s.local != null) {
            return;
        }
        if (s.family == SockAddr.AF_UNIX) {
            for (int i = 0; i < 0x100000; i++) {
                String hex = Integer.toHexString(0x100000 | (nextAutobind++ & 0xfffff)).substring(1);
                byte[] name = hex.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
                if (!abstractNames.containsKey(key(name))) {
                    SockAddr a = SockAddr.unixAbstract(name);
                    abstractNames.put(key(name), s);
                    s.local = a;
                    return;
                }
            }
            throw new SyscallError(Errno.ENOSPC);
        }
        byte[] any = s.family == SockAddr.AF_INET ? SockAddr.ANY4 : SockAddr.ANY6;
        s.local = SockAddr.inet(s.family, any, ephemeral(s, any));
        inetBound.add(s);
    }

    /** Before connect: an ephemeral port if unbound, and the source address the route to {@code dest} gives. */
    public void bindForConnect(Task t, Socket s, SockAddr dest) {
        autobind(t, s);
        byte[] src = sourceFor(destination(dest).ip, s.local);
        s.local = SockAddr.inet(s.family, src, s.local.port);
    }

    /** Connecting to the wildcard means this machine: 0.0.0.0 goes to 127.0.0.1, :: to ::1. */
    static SockAddr destination(SockAddr a) {
        if (Arrays.equals(a.ip, SockAddr.ANY4)) {
            return SockAddr.inet(a.family, SockAddr.LOOP4, a.port);
        }
        if (Arrays.equals(a.ip, SockAddr.ANY6)) {
            return SockAddr.inet(a.family, SockAddr.LOOP6, a.port);
        }
        return a;
    }

    /** The source address for packets to {@code dest} from a socket bound to {@code local}. */
    static byte[] sourceFor(byte[] dest, SockAddr local) {
        if (local != null && !local.isWildcard()) {
            return local.ip;
        }
        return SockAddr.isV4Mapped(dest) ? SockAddr.LOOP4 : SockAddr.LOOP6;
    }

    private int ephemeral(Socket s, byte[] ip) {
        int span = EPHEMERAL_HIGH - EPHEMERAL_LOW + 1;
        for (int i = 0; i < span; i++) {
            int p = nextEphemeral;
            nextEphemeral = p == EPHEMERAL_HIGH ? EPHEMERAL_LOW : p + 1;
            if (!portUsed(s, p)) {
                return p;
            }
        }
        throw new SyscallError(Errno.EADDRINUSE);
    }

    private boolean portUsed(Socket s, int port) {
        for (Socket b : inetBound) {
            if (b.type == s.type && b.local.port == port) {
                return true;
            }
        }
        return false;
    }

    static boolean v6only(Socket s) {
        return s.family == SockAddr.AF_INET6 && SocketOptions.v6only(s);
    }

    /** True if {@code b}'s binding takes traffic for {@code ip}. */
    private static boolean covers(Socket b, byte[] ip) {
        return covers(b.family, v6only(b), b.local.ip, ip);
    }

    /** True if a socket of {@code family} bound to {@code bound} takes traffic for {@code ip}. */
    private static boolean covers(int family, boolean v6only, byte[] bound, byte[] ip) {
        if (Arrays.equals(bound, ip)) {
            return true;
        }
        if (Arrays.equals(bound, SockAddr.ANY4)) {
            return SockAddr.isV4Mapped(ip);
        }
        if (Arrays.equals(bound, SockAddr.ANY6) && family == SockAddr.AF_INET6) {
            return !(SockAddr.isV4Mapped(ip) && v6only);
        }
        return false;
    }

    /** Two bindings overlap when some address would reach both (a wildcard covers its family). */
    private static boolean overlap(Socket s, byte[] ip, Socket b) {
        boolean sWild = Arrays.equals(ip, SockAddr.ANY4) || Arrays.equals(ip, SockAddr.ANY6);
        boolean bWild = b.local.isWildcard();
        if (!sWild) {
            return covers(b, ip);
        }
        if (!bWild) {
            return covers(s.family, v6only(s), ip, b.local.ip);
        }
        // both wildcards: they share the IPv4 space unless one is IPv6-only
        boolean s4 = Arrays.equals(ip, SockAddr.ANY4) || !v6only(s);
        boolean b4 = Arrays.equals(b.local.ip, SockAddr.ANY4) || !v6only(b);
        boolean s6 = Arrays.equals(ip, SockAddr.ANY6);
        boolean b6 = Arrays.equals(b.local.ip, SockAddr.ANY6);
        return (s4 && b4) || (s6 && b6);
    }

    private boolean conflict(Socket s, byte[] ip, int port) {
        for (Socket b : inetBound) {
            if (b.type != s.type || b.local.port != port || b == s || !overlap(s, ip, b)) {
                continue;
            }
            boolean reuse = SocketOptions.reuseAddr(s) && SocketOptions.reuseAddr(b)
                    && (s.type == Socket.SOCK_DGRAM || !b.listening());
            boolean reusePort = SocketOptions.reusePort(s) && SocketOptions.reusePort(b);
            if (!reuse && !reusePort) {
                return true;
            }
        }
        return false;
    }

    public void unbind(Socket s) {
        if (s.local == null) {
            return;
        }
        if (s.family == SockAddr.AF_UNIX) {
            if (s.local.abstractName != null) {
                abstractNames.remove(key(s.local.abstractName), s);
            } else if (s.local.path != null && paths != null) {
                paths.unbind(s);
                unixPathBound.remove(s);
            }
        } else {
            inetBound.remove(s);
        }
    }

    // ------------------------------------------------------------------ finding peers

    /** The AF_UNIX socket bound to {@code a}: ECONNREFUSED for a name nobody holds. */
    public Socket findUnix(Task t, SockAddr a) {
        if (a.unnamed()) {
            throw new SyscallError(Errno.EINVAL);
        }
        if (a.abstractName != null) {
            Socket s = abstractNames.get(key(a.abstractName));
            if (s == null) {
                throw new SyscallError(Errno.ECONNREFUSED);
            }
            return s;
        }
        if (a.path.isEmpty()) {
            throw new SyscallError(Errno.ENOENT);
        }
        return paths.find(t, a.path);
    }

    /** The listening socket a connect from {@code client} to {@code a} reaches (ECONNREFUSED if none). */
    StreamSocket findListener(Task t, StreamSocket client, SockAddr a) {
        if (client.family == SockAddr.AF_UNIX) {
            Socket s = findUnix(t, a);
            if (s.type != client.type) {
                throw new SyscallError(Errno.EPROTOTYPE);
            }
            if (!s.listening()) {
                throw new SyscallError(Errno.ECONNREFUSED);
            }
            return (StreamSocket) s;
        }
        SockAddr d = destination(a);
        StreamSocket wild = null;
        for (Socket b : inetBound) {
            if (b.type == Socket.SOCK_STREAM && b.listening() && b.local.port == d.port && covers(b, d.ip)) {
                if (Arrays.equals(b.local.ip, d.ip)) {
                    return (StreamSocket) b;
                }
                if (wild == null) {
                    wild = (StreamSocket) b;
                }
            }
        }
        if (wild == null) {
            throw new SyscallError(Errno.ECONNREFUSED);
        }
        return wild;
    }

    /** The UDP socket a datagram from {@code from} to ip:port is for, or null (the most specific binding wins). */
    DgramSocket findUdp(byte[] ip, int port, SockAddr from) {
        DgramSocket wild = null;
        for (Socket b : inetBound) {
            if (b.type == Socket.SOCK_DGRAM && b.local.port == port && covers(b, ip) && ((DgramSocket) b).accepts(from)) {
                if (Arrays.equals(b.local.ip, ip)) {
                    return (DgramSocket) b;
                }
                if (wild == null) {
                    wild = (DgramSocket) b;
                }
            }
        }
        return wild;
    }

    /** Bound AF_UNIX sockets (by name), for /proc/net/unix. */
    public java.util.List<Socket> unixSockets() {
        ArrayList<Socket> l = new ArrayList<>(abstractNames.values());
        l.addAll(unixPathBound);
        return l;
    }

    /** The name servers for /etc/resolv.conf: the host network's, if there is one. */
    public java.util.List<String> nameservers() {
        return host == null ? java.util.Collections.emptyList() : host.nameservers();
    }

    /** Sockets bound to ports, for /proc/net/tcp and udp. */
    public java.util.List<Socket> inetSockets() {
        return new ArrayList<>(inetBound);
    }
}
