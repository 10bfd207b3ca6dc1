package dev.friscy.net;

/**
 * /proc/net: the tables programs read to list sockets (ss and netstat fall back to them,
 * node and Python read a few) and the interfaces (the guest has lo only), in Linux's formats.
 */
public final class ProcNet {
    /** The entries of /proc/net. */
    public static final String[] NAMES = {"dev", "if_inet6", "route", "tcp", "tcp6", "udp", "udp6", "unix"};

    private ProcNet() {
    }

    /** The text of /proc/net/{@code name}, or null if there is no such entry. */
    public static String text(Network net, String name) {
        switch (name) {
            case "tcp":
                return inet(net, Socket.SOCK_STREAM, false);
            case "tcp6":
                return inet(net, Socket.SOCK_STREAM, true);
            case "udp":
                return inet(net, Socket.SOCK_DGRAM, false);
            case "udp6":
                return inet(net, Socket.SOCK_DGRAM, true);
            case "unix":
                return unix(net);
            case "dev":
                return "Inter-|   Receive                                                |  Transmit\n"
                        + " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n"
                        + "    lo:       0       0    0    0    0     0          0         0        0       0    0    0    0     0       0          0\n";
            case "if_inet6":
                return "00000000000000000000000000000001 01 80 10 80       lo\n";
            case "route":
                return "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n";
            default:
                return null;
        }
    }

    private static String hex(long v, int digits) {
        String h = Long.toHexString(v).toUpperCase();
        StringBuilder sb = new StringBuilder();
        for (int i = h.length(); i < digits; i++) {
            sb.append('0');
        }
        return sb.append(h).toString();
    }

    /** An address as /proc/net/tcp prints it: the 32-bit words in host (little-endian) order. */
    private static String addr(SockAddr a, boolean v6) {
        byte[] ip = a.ip;
        StringBuilder sb = new StringBuilder();
        for (int w = v6 ? 0 : 3; w < 4; w++) {
            long word = (ip[4 * w] & 0xff) | (ip[4 * w + 1] & 0xff) << 8 | (ip[4 * w + 2] & 0xff) << 16
                    | (long) (ip[4 * w + 3] & 0xff) << 24;
            sb.append(hex(word, 8));
        }
        return sb.append(':').append(hex(a.port, 4)).toString();
    }

    /** TCP states as Linux numbers them: 01 established, 07 close, 0A listen. */
    private static String inet(Network net, int type, boolean v6) {
        StringBuilder sb = new StringBuilder();
        sb.append(v6 ? "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
                : "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n");
        int n = 0;
        for (Socket s : net.inetSockets()) {
            if (s.type != type || (s.family == SockAddr.AF_INET6) != v6) {
                continue;
            }
            SockAddr peer = null;
            int state = 7;
            if (s instanceof StreamSocket) {
                StreamSocket ss = (StreamSocket) s;
                state = ss.state == StreamSocket.LISTENING ? 0x0A : ss.state == StreamSocket.CONNECTED ? 1 : 7;
                peer = ss.remote;
            } else if (((DgramSocket) s).remote != null) {
                peer = ((DgramSocket) s).remote;
                state = 1;
            }
            if (peer == null) {
                peer = SockAddr.inet(s.family, v6 ? SockAddr.ANY6 : SockAddr.ANY4, 0);
            }
            String sl = Integer.toString(n++);
            for (int i = sl.length(); i < 4; i++) {
                sb.append(' ');
            }
            sb.append(sl).append(": ").append(addr(s.local, v6)).append(' ').append(addr(peer, v6)).append(' ')
                    .append(hex(state, 2)).append(' ').append(hex(s.unsentBytes(), 8)).append(':')
                    .append(hex(s.readableBytes(), 8)).append(" 00:00000000 00000000 ")
                    .append(pad(Integer.toString(s.credUid), 5)).append("        0 ").append(s.ino).append('\n');
        }
        return sb.toString();
    }

    private static String unix(Network net) {
        StringBuilder sb = new StringBuilder("Num       RefCount Protocol Flags    Type St Inode Path\n");
        for (Socket s : net.unixSockets()) {
            int st = s.listening() ? 1 : s instanceof StreamSocket && ((StreamSocket) s).state == StreamSocket.CONNECTED ? 3 : 1;
            sb.append(hex(s.ino, 16)).append(": ").append(hex(s.refCount(), 8)).append(" 00000000 ")
                    .append(hex(s.listening() ? 0x10000 : 0, 8)).append(' ').append(hex(s.type, 4)).append(' ')
                    .append(hex(st, 2)).append(' ').append(s.ino);
            SockAddr a = s.local;
            if (a != null && a.path != null) {
                sb.append(' ').append(a.path);
            } else if (a != null && a.abstractName != null) {
                sb.append(" @").append(new String(a.abstractName, java.nio.charset.StandardCharsets.ISO_8859_1));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String pad(String s, int w) {
        StringBuilder sb = new StringBuilder();
        for (int i = s.length(); i < w; i++) {
            sb.append(' ');
        }
        return sb.append(s).toString();
    }
}
