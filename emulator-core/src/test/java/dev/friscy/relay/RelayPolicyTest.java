package dev.friscy.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.friscy.errno.Errno;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which destinations the relay refuses, decided without connecting anywhere. */
class RelayPolicyTest {
    private static byte[] ip(String s) throws Exception {
        return RelayPolicy.to16(InetAddress.getByName(s).getAddress());
    }

    @Test
    void refusesWhatIsNotThePublicInternet() throws Exception {
        for (String a : new String[] {"127.0.0.1", "127.1.2.3", "10.0.0.1", "172.16.0.1", "172.31.255.255",
            "192.168.0.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255", "::1", "::",
            "fe80::1", "fd00::1", "fc00::1", "ff02::1", "::ffff:10.0.0.1", "64:ff9b::a00:1", "2002:c0a8:101::1",
            "::127.0.0.1"}) {
            assertTrue(RelayPolicy.refusedRange(ip(a)), a);
        }
        for (String a : new String[] {"8.8.8.8", "172.32.0.1", "172.15.0.1", "100.128.0.1", "192.0.2.1",
            "2001:db8::1", "64:ff9b::808:808", "2002:808:808::1"}) {
            assertFalse(RelayPolicy.refusedRange(ip(a)), a);
        }
    }

    @Test
    void allowListNarrowsAndPrivateFlagOpens() throws Exception {
        RelayPolicy p = new RelayPolicy(Map.of(), List.of("198.51.100.0/24:443", "[2001:db8::/32]", "*:80"), false);
        assertEquals(0, p.decide(ip("198.51.100.7"), 443).errno());
        assertEquals(Errno.EACCES, p.decide(ip("198.51.100.7"), 22).errno());
        assertEquals(Errno.EACCES, p.decide(ip("198.51.101.7"), 443).errno());
        assertEquals(0, p.decide(ip("2001:db8:1::5"), 22).errno());
        assertEquals(0, p.decide(ip("203.0.113.9"), 80).errno());
        assertEquals(Errno.EACCES, p.decide(ip("10.0.0.1"), 80).errno(), "the allow-list does not open private ranges");

        RelayPolicy open = new RelayPolicy(Map.of(), List.of(), true);
        assertEquals(0, open.decide(ip("127.0.0.1"), 80).errno());
        assertEquals(0, new RelayPolicy(Map.of(), List.of(), false).decide(ip("192.0.2.1"), 80).errno());
    }

    @Test
    void badAllowEntriesAreClearErrors() {
        for (String bad : new String[] {"1.2.3.4:0", "1.2.3.4:99999", "1.2.3.4/33", "[::1", "*/8", "[::1]x", ":80"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new RelayPolicy(Map.of(), List.of(bad), false), bad);
            assertTrue(e.getMessage().startsWith("--relay-allow"), e.getMessage());
        }
    }
}
