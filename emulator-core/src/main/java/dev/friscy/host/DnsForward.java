package dev.friscy.host;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The guests' name server: a virtual address, {@link #ADDRESS} port 53, whose DNS (UDP, and TCP
 * for long answers) the host sends to real resolvers. Guests cannot use the host's own
 * resolv.conf: its resolvers are often on the host's loopback (systemd-resolved's 127.0.0.53),
 * which to a guest is its own. Used by the relay of {@code friscy serve} and by {@code friscy run}'s
 * host network; JVM only (the Worker never parses flags).
 */
public final class DnsForward {
    /** The name server guests are told of (QEMU's user networking uses the same). */
    public static final String ADDRESS = "10.0.2.3";
    private static final byte[] ADDRESS4 = {10, 0, 2, 3};

    private final List<InetSocketAddress> resolvers;

    /** {@code resolvers}: where DNS goes, the first one used (empty: none, DNS is not forwarded). */
    public DnsForward(List<InetSocketAddress> resolvers) {
        this.resolvers = List.copyOf(resolvers);
    }

    /** The real resolvers. */
    public List<InetSocketAddress> resolvers() {
        return resolvers;
    }

    /** What a guest's /etc/resolv.conf names: the virtual address, or nothing if DNS is not forwarded. */
    public List<String> nameservers() {
        return resolvers.isEmpty() ? List.of() : List.of(ADDRESS);
    }

    /** Where guest traffic to {@code a}:{@code port} goes if it is DNS to the virtual address, else null. */
    public InetSocketAddress route(InetAddress a, int port) {
        if (port != 53 || resolvers.isEmpty() || !Arrays.equals(a.getAddress(), ADDRESS4)) {
            return null;
        }
        return resolvers.get(0);
    }

    /** The guest's name for {@code from} if it is a resolver's reply (the virtual address), else null. */
    public InetSocketAddress guestName(InetSocketAddress from) {
        return resolvers.contains(from) ? virtual() : null;
    }

    /** {@link #ADDRESS}:53. */
    public static InetSocketAddress virtual() {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ADDRESS4), 53);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always an address
        }
    }

    /**
     * The name servers of this host's /etc/resolv.conf, loopback ones included (the forwarding
     * happens here, where they answer).
     */
    public static List<InetSocketAddress> hostResolvers() {
        List<InetSocketAddress> l = new ArrayList<>();
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/etc/resolv.conf"))) {
                String[] w = line.trim().split("\\s+");
                if (w.length >= 2 && w[0].equals("nameserver") && (w[1].matches("[0-9.]+") || w[1].indexOf(':') >= 0)) {
                    l.add(new InetSocketAddress(InetAddress.getByName(w[1].replaceAll("%.*", "")), 53));
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // no resolv.conf: no DNS for guests
        }
        return l;
    }

    /**
     * Flag {@code flag}'s "IP[:PORT],..." (IPv6 in brackets when a port follows), added to
     * {@code into} (null: a new list); "none" adds nothing. IllegalArgumentException says what is wrong.
     */
    public static List<InetSocketAddress> parse(String flag, String v, List<InetSocketAddress> into) {
        List<InetSocketAddress> l = into == null ? new ArrayList<>() : into;
        if (v.equals("none")) {
            return l;
        }
        for (String e : v.split(",")) {
            String a = e.trim();
            if (a.isEmpty()) {
                continue;
            }
            boolean hasPort = a.startsWith("[") ? a.contains("]:") : a.indexOf(':') >= 0 && a.indexOf(':') == a.lastIndexOf(':');
            if (!hasPort) {
                a = (a.indexOf(':') >= 0 && !a.startsWith("[") ? "[" + a + "]" : a) + ":53";
            }
            l.add(NetMap.literal(flag, a, v));
        }
        return l;
    }
}
