package dev.friscy.net;

import dev.friscy.testing.GuestRunner;
import dev.friscy.testservers.EchoServer;
import dev.friscy.testservers.Ports;
import dev.friscy.testservers.UdpServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Guest TCP through the JVM's host network: guest/net/hostnet connects to 192.0.2.1 (a
 * documentation address), which --net-map sends to echo servers (TCP and UDP) this test runs
 * on 127.0.0.1; --net none keeps every other destination unreachable. No traffic leaves the machine.
 */
class HostNetworkTest {
    @Test
    void guestReachesAMappedServerOnTheHost() throws IOException {
        try (EchoServer ss = EchoServer.afterEof("echo:"); UdpServer ds = UdpServer.echo()) {
            int closedPort = Ports.closed();
            GuestRunner.Result r = GuestRunner.friscyArgs(List.of("--net", "none",
                    "--net-map", "192.0.2.1:7=127.0.0.1:" + ss.port(),
                    "--net-map", "192.0.2.1:8=127.0.0.1:" + closedPort,
                    "--net-map", "192.0.2.1:53=127.0.0.1:" + ds.port(),
                    "--", GuestRunner.program("net/hostnet").toString()), "", 120);
            assertFalse(r.stdout.contains("FAIL"), r.toString());
            assertTrue(r.stdout.contains("OK: 0 failure(s)"), r.toString());
            assertEquals(0, r.status, r.toString());
        }
    }
}
