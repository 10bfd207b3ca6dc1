package dev.friscy.relay;

import dev.friscy.errno.Errno;
import dev.friscy.host.DnsForward;
import dev.friscy.host.NetMap;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where the relay may connect a guest. A page on the web must not turn the relay into a way
 * into the network it runs in, so by default it refuses loopback, private (RFC 1918, unique
 * local, carrier-grade NAT), link-local, multicast and reserved addresses, and every address of
 * its own host; {@code allowPrivate} lifts that. An allow-list, when given, narrows the rest.
 * Mapped destinations (tests) go where the operator said, whatever the rest says, and so does
 * DNS to {@link #DNS}: the relay forwards it to its host's resolvers ({@link DnsForward}).
 */
public final class RelayPolicy {
    /** A relay's answer: where to connect, or the errno the guest gets. */
    public record Decision(InetSocketAddress target, int errno) {
    }

    /** One allow-list entry: a network (null: any address) and a port (0: any). */
    record Rule(byte[] net, int prefix, int port) {
        boolean matches(byte[] a16, int p) {
            if (port != 0 && port != p) {
                return false;
            }
            return net == null || samePrefix(net, a16, prefix);
        }
    }

    /** The name server guests in the page are told of. */
    public static final String DNS = DnsForward.ADDRESS;

    private final Map<String, InetSocketAddress> map;
    /** Where a mapped destination's datagrams really come from, back to the guest's name for it. */
    private final Map<String, InetSocketAddress> reverse = new HashMap<>();
    private final DnsForward dns;
    private final List<Rule> allow;
    private final boolean allowPrivate;
    private final Set<InetAddress> own;

    public RelayPolicy(Map<String, InetSocketAddress> map, List<String> allow, boolean allowPrivate) {
        this(map, allow, allowPrivate, List.of());
    }

    /** {@code dns}: the resolvers DNS to {@link #DNS}:53 goes to (empty: none, it is refused). */
    public RelayPolicy(Map<String, InetSocketAddress> map, List<String> allow, boolean allowPrivate,
            List<InetSocketAddress> dns) {
        this.map = new HashMap<>(map);
        this.dns = new DnsForward(dns);
        for (Map.Entry<String, InetSocketAddress> e : map.entrySet()) {
            reverse.put(NetMap.key(e.getValue().getAddress(), e.getValue().getPort()),
                    NetMap.literal("--relay-map", e.getKey(), e.getKey()));
        }
        List<Rule> rules = new ArrayList<>();
        for (String spec : allow) {
            rules.addAll(parseRule(spec));
        }
        this.allow = rules;
        this.allowPrivate = allowPrivate;
        this.own = ownAddresses();
    }

    /** Decides for a guest connection to {@code ip16} (IPv4 v4-mapped) port {@code port}. */
    public Decision decide(byte[] ip16, int port) {
        InetAddress a;
        try {
            a = InetAddress.getByAddress(ip16); // a v4-mapped address comes back as an Inet4Address
        } catch (UnknownHostException e) {
            return new Decision(null, Errno.EINVAL);
        }
        InetSocketAddress mapped = map.get(NetMap.key(a, port));
        if (mapped != null) {
            return new Decision(mapped, 0);
        }
        InetSocketAddress resolver = dns.route(a, port);
        if (resolver != null) {
            return new Decision(resolver, 0);
        }
        if (!allowPrivate && (refusedRange(ip16) || own.contains(a))) {
            return new Decision(null, Errno.EACCES);
        }
        if (!allow.isEmpty()) {
            byte[] a16 = to16(a.getAddress());
            boolean ok = false;
            for (Rule r : allow) {
                ok |= r.matches(a16, port);
            }
            if (!ok) {
                return new Decision(null, Errno.EACCES);
            }
        }
        return new Decision(new InetSocketAddress(a, port), 0);
    }

    /** Where DNS to {@link #DNS} goes. */
    public List<InetSocketAddress> resolvers() {
        return dns.resolvers();
    }

    /** The guest's name for a source of datagrams (a mapped destination or a resolver), else itself. */
    public InetSocketAddress guestName(InetSocketAddress from) {
        InetSocketAddress resolver = dns.guestName(from);
        return resolver != null ? resolver : reverse.getOrDefault(NetMap.key(from.getAddress(), from.getPort()), from);
    }

    /**
     * True for addresses of ranges the relay refuses by default: what is not on the public
     * internet, and IPv6 forms that embed such an IPv4 address (IPv4-compatible, NAT64, 6to4).
     */
    static boolean refusedRange(byte[] ip16) {
        if (isV4Mapped(ip16) || prefixZero(ip16, 12) && !prefixZero(ip16, 16)) {
            return refusedV4(ip16[12] & 0xff, ip16[13] & 0xff);
        }
        int b0 = ip16[0] & 0xff;
        int b1 = ip16[1] & 0xff;
        if (prefixZero(ip16, 16) || prefixZero(ip16, 15) && ip16[15] == 1) {
            return true; // :: and ::1
        }
        if ((b0 & 0xfe) == 0xfc || b0 == 0xfe && (b1 & 0xc0) == 0x80 || b0 == 0xff) {
            return true; // unique local fc00::/7, link-local fe80::/10, multicast ff00::/8
        }
        if (b0 == 0 && b1 == 0x64 && (ip16[2] & 0xff) == 0xff && (ip16[3] & 0xff) == 0x9b) {
            return refusedV4(ip16[12] & 0xff, ip16[13] & 0xff); // NAT64 64:ff9b::/96
        }
        if (b0 == 0x20 && b1 == 0x02) {
            return refusedV4(ip16[2] & 0xff, ip16[3] & 0xff); // 6to4 2002::/16
        }
        return false;
    }

    private static boolean refusedV4(int a, int b) {
        return a == 0 || a == 10 || a == 127 || a >= 224 // this network, private, loopback, multicast and reserved
                || a == 100 && (b & 0xc0) == 64 // carrier-grade NAT 100.64/10
                || a == 169 && b == 254 // link-local
                || a == 172 && (b & 0xf0) == 16 // private 172.16/12
                || a == 192 && b == 168; // private
    }

    private static boolean isV4Mapped(byte[] ip16) {
        return prefixZero(ip16, 10) && ip16[10] == (byte) 0xff && ip16[11] == (byte) 0xff;
    }

    private static boolean prefixZero(byte[] b, int n) {
        for (int i = 0; i < n; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    static byte[] to16(byte[] raw) {
        if (raw.length == 16) {
            return raw;
        }
        byte[] ip16 = new byte[16];
        ip16[10] = (byte) 0xff;
        ip16[11] = (byte) 0xff;
        System.arraycopy(raw, 0, ip16, 12, 4);
        return ip16;
    }

    private static boolean samePrefix(byte[] net, byte[] a, int bits) {
        for (int i = 0; i < 16 && bits > 0; i++, bits -= 8) {
            int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
            if (((net[i] ^ a[i]) & mask) != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * One {@code --relay-allow} entry: "*", an address, "ADDR/LEN" or a host name (resolved now,
     * to every address it has), each optionally ":PORT"; IPv6 in brackets when a port follows.
     */
    static List<Rule> parseRule(String spec) {
        String s = spec.trim();
        String host = s;
        int port = 0;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("--relay-allow: '" + spec + "' lacks its ']'");
            }
            host = s.substring(1, close);
            String rest = s.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException("--relay-allow: '" + spec + "' has '" + rest + "' after ']'");
                }
                port = port(rest.substring(1), spec);
            }
        } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':')) {
            host = s.substring(0, s.indexOf(':'));
            port = port(s.substring(s.indexOf(':') + 1), spec);
        }
        int prefix = -1;
        int slash = host.indexOf('/');
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(host.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -2;
            }
            host = host.substring(0, slash);
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("--relay-allow: '" + spec + "' names no address");
        }
        if (host.equals("*")) {
            if (prefix != -1) {
                throw new IllegalArgumentException("--relay-allow: '" + spec + "': '*' takes no /LEN");
            }
            return List.of(new Rule(null, 0, port));
        }
        boolean literal = host.matches("[0-9.]+") || host.indexOf(':') >= 0;
        if (prefix != -1 && !literal) {
            throw new IllegalArgumentException("--relay-allow: '" + spec + "': /LEN needs a literal address");
        }
        InetAddress[] addrs;
        try {
            addrs = literal ? new InetAddress[] {InetAddress.getByName(host)} : InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--relay-allow: cannot resolve '" + host + "'");
        }
        List<Rule> rules = new ArrayList<>();
        for (InetAddress a : addrs) {
            boolean v4 = a.getAddress().length == 4;
            int max = v4 ? 32 : 128;
            if (prefix < -1 || prefix > max) {
                throw new IllegalArgumentException("--relay-allow: '" + spec + "': /LEN must be 0 to " + max);
            }
            int bits = prefix == -1 ? max : prefix;
            rules.add(new Rule(to16(a.getAddress()), v4 ? bits + 96 : bits, port));
        }
        return rules;
    }

    private static int port(String s, String spec) {
        int p;
        try {
            p = Integer.parseInt(s);
        } catch (NumberFormatException e) {
            p = -1;
        }
        if (p < 1 || p > 65535) {
            throw new IllegalArgumentException("--relay-allow: '" + spec + "': port must be 1 to 65535");
        }
        return p;
    }

    /** Every address of this machine's interfaces: its own services are not for guests either. */
    private static Set<InetAddress> ownAddresses() {
        Set<InetAddress> s = new HashSet<>();
        try {
            Enumeration<NetworkInterface> nis = NetworkInterface.getNetworkInterfaces();
            for (NetworkInterface ni : nis == null ? List.<NetworkInterface>of() : Collections.list(nis)) {
                s.addAll(Collections.list(ni.getInetAddresses()));
            }
        } catch (SocketException e) {
            // no interfaces to list: the ranges above still hold
        }
        return s;
    }
}
