package dev.friscy.host;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DnsForwardTest {
    private static InetSocketAddress at(String ip, int port) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(ip), port);
    }

    @Test
    void parsesResolverLists() throws Exception {
        assertEquals(List.of(at("127.0.0.53", 53), at("127.0.0.1", 5353), at("::1", 53), at("::1", 54)),
                DnsForward.parse("--dns", "127.0.0.53, 127.0.0.1:5353,::1,[::1]:54", null));
        assertTrue(DnsForward.parse("--dns", "none", null).isEmpty());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DnsForward.parse("--dns", "resolver.example", null));
        assertTrue(e.getMessage().startsWith("--dns"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DnsForward.parse("--dns", "127.0.0.1:99999", null));
    }

    @Test
    void onlyPort53OfTheVirtualAddressIsForwarded() throws Exception {
        InetSocketAddress r1 = at("127.0.0.53", 53);
        DnsForward f = new DnsForward(List.of(r1, at("127.0.0.1", 5353)));
        assertEquals(List.of(DnsForward.ADDRESS), f.nameservers());
        assertEquals(r1, f.route(InetAddress.getByName(DnsForward.ADDRESS), 53));
        assertNull(f.route(InetAddress.getByName(DnsForward.ADDRESS), 80));
        assertNull(f.route(InetAddress.getByName("10.0.2.4"), 53));
        assertEquals(DnsForward.virtual(), f.guestName(r1), "a resolver's reply comes from 10.0.2.3:53");
        assertEquals(DnsForward.virtual(), f.guestName(at("127.0.0.1", 5353)));
        assertNull(f.guestName(at("127.0.0.53", 54)));

        DnsForward none = new DnsForward(List.of());
        assertTrue(none.nameservers().isEmpty());
        assertNull(none.route(InetAddress.getByName(DnsForward.ADDRESS), 53));
    }
}
