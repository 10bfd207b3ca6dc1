package dev.friscy.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;
import com.sun.net.httpserver.HttpServer;
import dev.friscy.errno.Errno;
import dev.friscy.host.NetMap;
import dev.friscy.relay.RelayFrames;
import dev.friscy.relay.RelayPolicy;
import dev.friscy.relay.RelayServer;
import dev.friscy.testservers.DnsServer;
import dev.friscy.testservers.EchoServer;
import dev.friscy.testservers.Ports;
import dev.friscy.testservers.UdpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

/**
 * Guests in the page reach servers of this machine's 127.0.0.1 through the relay: the relay
 * maps 192.0.2.1:80 to an HTTP server, 192.0.2.1:7 to an echo server and 192.0.2.1:8 to a
 * closed port (documentation addresses, mapped as with --relay-map), and allows nothing else
 * (an allow-list naming only 127.0.0.1:1, on top of the default refusal of private ranges), so
 * no test traffic leaves loopback.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RelayTest {
    private static final String TOKEN = UUID.randomUUID().toString();
    private static final byte[] BIG = new byte[3 << 20];

    private HttpServer http;
    private EchoServer echo;
    private UdpServer udpEcho;
    private DnsServer dns;
    private RelayServer relay;
    private String relayUrl;
    private final Set<String> origins = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @TempDir
    Path tmp;

    @BeforeAll
    void start() throws IOException {
        for (int i = 0; i < BIG.length; i++) {
            BIG[i] = (byte) (i * 13 + (i >> 11));
        }
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        http.createContext("/hello", ex -> respond(ex, ("hello " + TOKEN + "\n").getBytes(StandardCharsets.US_ASCII)));
        http.createContext("/big", ex -> respond(ex, BIG));
        http.start();
        echo = EchoServer.afterEof("echo:");
        udpEcho = UdpServer.echo();
        // knows one name: relay-test.example is 192.0.2.1 (IPv4 only)
        dns = new DnsServer(Map.of("relay-test.example", new byte[] {(byte) 192, 0, 2, 1}));
        int closedPort = Ports.closed();
        Map<String, InetSocketAddress> map = new HashMap<>();
        NetMap.parse("--relay-map", "192.0.2.1:80=127.0.0.1:" + http.getAddress().getPort(), map);
        NetMap.parse("--relay-map", "192.0.2.1:7=127.0.0.1:" + echo.port(), map);
        NetMap.parse("--relay-map", "192.0.2.1:8=127.0.0.1:" + closedPort, map);
        NetMap.parse("--relay-map", "192.0.2.1:9=127.0.0.1:" + udpEcho.port(), map);
        List<InetSocketAddress> resolvers = List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), dns.port()));
        relay = RelayServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                new RelayServer.Config(new RelayPolicy(map, List.of("127.0.0.1:1"), false, resolvers), 16,
                        origins, 5000));
        origins.add("http://127.0.0.1:" + Browser.port());
        relayUrl = "ws://127.0.0.1:" + relay.getPort() + "/";
    }

    @AfterAll
    void stop() throws IOException {
        relay.close();
        http.stop(0);
        echo.close();
        udpEcho.close();
        dns.close();
    }

    private static void respond(com.sun.net.httpserver.HttpExchange ex, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/octet-stream");
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    /** guest/net/relaynet booted as init, its output and exit status. */
    private Map<String, Object> runRelaynet(String arg, String relayOption) throws Exception {
        return runRelaynet(arg, relayOption, Browser.baseUrl());
    }

    /** {@code relayOption} null: Friscy.boot is given none, and takes the page's meta tag. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> runRelaynet(String arg, String relayOption, String base) throws Exception {
        Path exe = tmp.resolve("relaynet");
        Process p = new ProcessBuilder("riscv64-linux-gnu-gcc", "-static", "-O2", "-o", exe.toString(),
                Path.of("..", "guest", "net", "relaynet.c").toString()).redirectErrorStream(true).start();
        String cc = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0, "riscv64-linux-gnu-gcc: " + cc);
        byte[] tar = CpuBenchTest.singleFileTar("relaynet", Files.readAllBytes(exe));
        try (BrowserContext ctx = Browser.chromium().newContext()) {
            Page page = ctx.newPage();
            page.route("**/relaynet.tar", (Route r) -> r.fulfill(new Route.FulfillOptions()
                    .setStatus(200).setContentType("application/x-tar").setBodyBytes(tar)));
            page.navigate(base + "embed.html");
            return (Map<String, Object>) page.evaluate("""
                    async ([arg, relay]) => {
                      let out = '';
                      const options = {image: 'relaynet.tar', argv: ['/relaynet', arg], cwd: '/'};
                      if (relay !== null) options.relay = relay;
                      const s = await Friscy.boot(options);
                      const t0 = performance.now();
                      s.onOutput((b) => { out += new TextDecoder().decode(b); });
                      const status = await Promise.race([s.exited,
                          new Promise((resolve) => setTimeout(() => resolve('timeout'), 120000))]);
                      return {ms: performance.now() - t0, status, out};
                    }""", java.util.Arrays.asList(arg, relayOption));
        }
    }

    @Test
    void guestConnectsThroughTheRelay() throws Exception {
        Map<String, Object> r = runRelaynet("", relayUrl);
        String out = ((String) r.get("out")).replace("\r", "");
        assertTrue(out.contains("OK: 0 failure(s)") && !out.contains("FAIL "), out);
        assertEquals(0, ((Number) r.get("status")).intValue(), out);
        System.out.println(out);
        Benchmarks.report("relaynet through the relay in the browser, 4 MiB each way included (ms)",
                Long.toString(((Number) r.get("ms")).longValue()));
    }

    @Test
    void pagesServedWithARelayNameItThemselves() throws Exception {
        HttpServer site = dev.friscy.cli.ServeCommand.start(Browser.site(), 0, relayUrl);
        String origin = "http://127.0.0.1:" + site.getAddress().getPort();
        origins.add(origin);
        try {
            Map<String, Object> r = runRelaynet("", null, origin + "/");
            String out = ((String) r.get("out")).replace("\r", "");
            assertTrue(out.contains("OK: 0 failure(s)") && !out.contains("FAIL "), out);
        } finally {
            origins.remove(origin);
            site.stop(0);
        }
    }

    @Test
    void withoutARelayGuestsGetEnetunreachAtOnce() throws Exception {
        Map<String, Object> r = runRelaynet("norelay", "");
        String out = ((String) r.get("out")).replace("\r", "");
        assertTrue(out.contains("OK: 0 failure(s)") && !out.contains("FAIL "), out);
        assertEquals(0, ((Number) r.get("status")).intValue(), out);
    }

    @Test
    void garbageFromTheRelayEndsOnlyItsConnection() throws Exception {
        GarbageRelay bad = new GarbageRelay();
        bad.start();
        assertTrue(bad.started.await(10, TimeUnit.SECONDS));
        try {
            Map<String, Object> r = runRelaynet("garbage", "ws://127.0.0.1:" + bad.getPort() + "/");
            String out = ((String) r.get("out")).replace("\r", "");
            assertTrue(out.contains("OK: 0 failure(s)") && !out.contains("FAIL "), out);
            assertEquals(0, ((Number) r.get("status")).intValue(), out);
        } finally {
            bad.stop(1000);
        }
    }

    /** A "relay" that answers each CONNECT with the nonsense its port names (see guest/net/relaynet.c). */
    static final class GarbageRelay extends WebSocketServer {
        final CountDownLatch started = new CountDownLatch(1);

        GarbageRelay() {
            super(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            setDaemon(true);
            setReuseAddr(true);
        }

        @Override
        public void onMessage(WebSocket conn, ByteBuffer message) {
            byte[] f = new byte[message.remaining()];
            message.get(f);
            if (f.length != 23 || f[0] != RelayFrames.CONNECT) {
                return;
            }
            switch (RelayFrames.u16(f, 17)) {
                case 7 -> {
                    conn.send(RelayFrames.result(0, RelayFrames.WINDOW));
                    conn.send(new byte[] {99, 1, 2});
                }
                case 8 -> {
                    conn.send(RelayFrames.result(0, RelayFrames.WINDOW));
                    conn.send("hello");
                }
                case 9 -> conn.send(RelayFrames.result(Errno.EAGAIN, 0));
                case 10 -> { // 1 MiB, credit or not: the guest reads nothing meanwhile
                    conn.send(RelayFrames.result(0, RelayFrames.WINDOW));
                    byte[] chunk = new byte[RelayFrames.MAX_DATA];
                    for (int i = 0; i < (1 << 20) / chunk.length; i++) {
                        conn.send(RelayFrames.data(chunk, 0, chunk.length));
                    }
                }
                default -> conn.close(1000);
            }
        }

        @Override
        public void onOpen(WebSocket conn, ClientHandshake handshake) {
        }

        @Override
        public void onClose(WebSocket conn, int code, String reason, boolean remote) {
        }

        @Override
        public void onMessage(WebSocket conn, String message) {
        }

        @Override
        public void onError(WebSocket conn, Exception ex) {
        }

        @Override
        public void onStart() {
            started.countDown();
        }
    }

    @Test
    void busyboxWgetFetchesFromAServerOfTheHost() throws Exception {
        try (TerminalPage t = new TerminalPage("?image=busybox&relay=" + relayUrl)) {
            t.waitForPrompt(0, 60_000);
            String hello = t.run("wget -q -O - http://192.0.2.1/hello", 60_000);
            assertEquals("hello " + TOKEN + "\n", hello);

            long t0 = System.nanoTime();
            String sum = t.run("wget -q -O /tmp/big http://192.0.2.1/big && md5sum /tmp/big", 120_000);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(BIG));
            assertEquals(md5 + "  /tmp/big\n", sum);
            Benchmarks.report("busybox wget of 3 MiB through the relay in the browser (ms)", Long.toString(ms));

            // by name: the guest's DNS goes to the relay's forwarder, here the test's name server
            assertEquals("nameserver 10.0.2.3\n", t.run("grep nameserver /etc/resolv.conf", 30_000));
            assertEquals("hello " + TOKEN + "\n", t.run("wget -q -O - http://relay-test.example/hello", 60_000));

            String refused = t.run("wget -q -O - http://10.0.0.1/ ; echo status=$?", 60_000);
            assertTrue(refused.contains("Permission denied") && refused.contains("status=1"), refused);
        }
    }
}
