package dev.friscy.net;

import dev.friscy.testservers.DnsServer;

import com.sun.net.httpserver.HttpServer;
import dev.friscy.image.TestImages;
import dev.friscy.testing.GuestRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Name resolution for guests of `friscy run`: the guest's /etc/resolv.conf names the virtual
 * name server 10.0.2.3, and --dns sends its DNS to a {@link DnsServer} this test runs on
 * 127.0.0.1, which knows one name, web.friscy.test, as 192.0.2.1 (a documentation address that
 * --net-map sends to an HTTP server on 127.0.0.1). Under --net none nothing else is reachable:
 * no traffic leaves the machine. Debian's busybox (glibc's getaddrinfo for wget, its own
 * resolver for nslookup) does the lookups.
 */
class GuestDnsTest {
    private DnsServer dns;
    private HttpServer http;

    @BeforeEach
    void start() throws IOException {
        dns = new DnsServer(Map.of("web.friscy.test", new byte[] {(byte) 192, 0, 2, 1}));
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/", ex -> {
            byte[] b = ("hello from the host: " + ex.getRequestURI().getPath() + "\n").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        http.start();
    }

    @AfterEach
    void stop() {
        http.stop(0);
        dns.close();
    }

    private GuestRunner.Result run(List<String> net, String script) {
        List<String> a = new ArrayList<>(net);
        a.addAll(List.of("--image", TestImages.debianShell().toString(), "--", "/bin/sh", "-c", script));
        return GuestRunner.friscyArgs(a, "", 120);
    }

    private List<String> forwarded() {
        return List.of("--net", "none", "--dns", "127.0.0.1:" + dns.port(),
                "--net-map", "192.0.2.1:80=127.0.0.1:" + http.getAddress().getPort());
    }

    @Test
    void namesResolveThroughTheHostsResolver() {
        GuestRunner.Result r = run(forwarded(), String.join("; ",
                "grep nameserver /etc/resolv.conf",
                "busybox nslookup web.friscy.test | grep -A1 'Name:'",
                "busybox wget -q -O - http://web.friscy.test/by-name",
                "busybox wget -q -O - http://nosuch.friscy.test/ || echo unknown name fails $?"));
        assertEquals(String.join("\n",
                "nameserver 10.0.2.3",
                "Name:\tweb.friscy.test",
                "Address: 192.0.2.1",
                "hello from the host: /by-name",
                "unknown name fails 1", ""), r.stdout, r.toString());
        assertTrue(r.stderr.contains("bad address 'nosuch.friscy.test'"), r.toString());
        assertTrue(dns.questions.contains("web.friscy.test 1"), dns.questions.toString());
        assertTrue(dns.questions.contains("nosuch.friscy.test 1"), dns.questions.toString());
        assertEquals(0, r.status, r.toString());
    }

    @Test
    void dnsOverTcpIsForwardedToo() {
        // glibc's "options use-vc" sends every query over TCP, as it does for a truncated answer
        GuestRunner.Result r = run(forwarded(), String.join("; ",
                "printf 'nameserver 10.0.2.3\\noptions use-vc\\n' > /etc/resolv.conf",
                "busybox wget -q -O - http://web.friscy.test/over-tcp"));
        assertEquals("hello from the host: /over-tcp\n", r.stdout, r.toString());
        assertTrue(dns.tcpQuestions.get() > 0, "no query came over TCP");
        assertEquals(0, r.status, r.toString());
    }

    @Test
    void withoutDnsLookupsFailAtOnce() {
        GuestRunner.Result r = run(List.of("--net", "none"), String.join("; ",
                "grep -c nameserver /etc/resolv.conf",
                "busybox nslookup web.friscy.test >/dev/null; echo nslookup $?",
                "busybox wget -q -O - http://web.friscy.test/by-name; echo wget $?"));
        // no name server: busybox's resolver and glibc's both try the guest's own 127.0.0.1:53,
        // where nothing listens, and give up on ECONNREFUSED rather than wait
        assertEquals("0\nnslookup 1\nwget 1\n", r.stdout, r.toString());
        assertTrue(r.stderr.contains("nslookup: write to '127.0.0.1': Connection refused"), r.toString());
        assertTrue(r.stderr.contains("wget: bad address 'web.friscy.test'"), r.toString());
        assertTrue(dns.questions.isEmpty(), dns.questions.toString());
    }

    @Test
    void loopbackNamesComeFromEtcHosts() {
        GuestRunner.Result r = run(forwarded(), String.join("; ",
                "mkdir /www && echo guest page > /www/p.txt",
                "busybox httpd -p 8080 -h /www",
                "for h in localhost 127.0.0.1 '[::1]' ip6-localhost $(hostname); do"
                        + " busybox wget -q -O - http://$h:8080/p.txt || echo $h fails; done"));
        assertEquals("guest page\n".repeat(5), r.stdout, r.toString());
        // the names in /etc/hosts are answered from it, never sent to the host's resolver
        assertTrue(dns.questions.isEmpty(),
                dns.questions.toString());
        assertEquals(0, r.status, r.toString());
    }
}
