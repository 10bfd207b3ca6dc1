package dev.friscy.host;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Map;

/**
 * Mappings of a guest destination to another address ({@code friscy run --net-map},
 * {@code friscy serve --relay-map}): "GUEST_IP:PORT=HOST_IP:PORT", IPv6 in brackets, literal
 * addresses only. Tests send a documentation address (192.0.2.1) to a server on 127.0.0.1.
 * JVM only (the Worker never parses flags).
 */
public final class NetMap {
    private NetMap() {
    }

    /** The key of a guest destination: "a.b.c.d:port" or "[v6]:port". */
    public static String key(InetAddress a, int port) {
        String h = a.getHostAddress();
        return (h.indexOf(':') >= 0 ? "[" + h + "]" : h) + ":" + port;
    }

    /** Parses one mapping of flag {@code flag} into {@code into}; IllegalArgumentException says what is wrong. */
    public static void parse(String flag, String spec, Map<String, InetSocketAddress> into) {
        int eq = spec.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException(flag + " wants GUEST_IP:PORT=HOST_IP:PORT, got '" + spec + "'");
        }
        InetSocketAddress guest = literal(flag, spec.substring(0, eq), spec);
        InetSocketAddress host = literal(flag, spec.substring(eq + 1), spec);
        into.put(key(guest.getAddress(), guest.getPort()), host);
    }

    /** "IP:PORT" (IPv6 in brackets) as a resolved address; {@code spec} is for the message. */
    public static InetSocketAddress literal(String flag, String hp, String spec) {
        int c = hp.lastIndexOf(':');
        if (c <= 0) {
            throw new IllegalArgumentException(flag + ": '" + hp + "' in '" + spec + "' is not IP:PORT");
        }
        String h = hp.substring(0, c);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(hp.substring(c + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535 || !(h.matches("[0-9.]+") || h.indexOf(':') >= 0)) {
            throw new IllegalArgumentException(flag + ": '" + hp + "' in '" + spec + "' is not a literal IP:PORT");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(h), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(flag + ": bad address '" + h + "'");
        }
    }
}
