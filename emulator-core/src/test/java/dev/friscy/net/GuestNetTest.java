package dev.friscy.net;

import dev.friscy.testing.GuestRunner;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The guest/net programs check the socket contracts from inside a guest: AF_UNIX names,
 * listen/accept/connect, datagrams and credentials (unix), loopback TCP and UDP (inet). Each
 * runs first under qemu-riscv64-static, whose socket calls are the host Linux kernel's, so
 * the checks themselves are right about Linux; then on friscy, which must pass the same ones.
 */
class GuestNetTest {
    static void check(String name) {
        Path exe = GuestRunner.program("net/" + name);
        GuestRunner.Result ref = GuestRunner.qemu(exe, null);
        assertEquals(0, ref.status, "guest/net/" + name + " fails under qemu, so the test itself is wrong:\n" + ref);
        GuestRunner.Result got = GuestRunner.friscyArgs(List.of("--", exe.toString()), "", 300);
        List<String> failed = new ArrayList<>();
        for (String line : got.stdout.split("\n")) {
            if (line.startsWith("FAIL") || line.startsWith("NOT-PROVIDED")) {
                failed.add(line);
            }
            if (line.startsWith("INFO")) {
                System.out.println(name + " on friscy: " + line);
            }
        }
        assertTrue(failed.isEmpty(), name + " on friscy:\n" + String.join("\n", failed) + "\n\n" + got);
        List<String> missing = passes(ref.stdout);
        missing.removeAll(passes(got.stdout));
        assertTrue(missing.isEmpty(), name + ": friscy did not pass " + missing + "\n" + got);
        assertEquals(0, got.status, name + " on friscy:\n" + got);
    }

    private static List<String> passes(String out) {
        List<String> p = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.startsWith("PASS")) {
                p.add(line);
            }
        }
        return p;
    }

    @Test
    void unixDomainSockets() {
        check("unix");
    }

    /**
     * Debian's busybox: httpd serves in the background, wget fetches by address and by
     * "localhost" (/etc/hosts), netstat lists the listener (/proc/net/tcp), a closed port is
     * refused, and ifconfig (SIOCGIF* ioctls) and ip addr (netlink) show lo.
     */
    @Test
    void busyboxHttpdWgetNetstat() {
        GuestRunner.Result r = GuestRunner.friscyArgs(List.of("--net", "none", "--image",
                dev.friscy.image.TestImages.busybox().toString(), "--", "/bin/sh", "-c",
                "mkdir -p /www; echo hello from httpd > /www/index.html; httpd -p 127.0.0.1:8080 -h /www;"
                        + " wget -q -O- http://127.0.0.1:8080/index.html; wget -q -O- http://localhost:8080/index.html;"
                        + " netstat -tln | grep -c '127.0.0.1:8080 .*LISTEN';"
                        + " wget -q -O- http://127.0.0.1:8081/ 2>/dev/null; echo refused $?;"
                        + " ifconfig lo | grep -c 'inet addr:127.0.0.1  Mask:255.0.0.0';"
                        + " ip addr | grep -c 'inet 127.0.0.1/8 scope host lo'"), "", 300);
        assertEquals("hello from httpd\nhello from httpd\n1\nrefused 1\n1\n1\n", r.stdout, r.toString());
        assertEquals(0, r.status, r.toString());
    }

    /** A TCP listener is announced as a process event (for a page to offer its port) and withdrawn on close. */
    @Test
    void listeningIsAProcessEvent() {
        GuestRunner.Result r = GuestRunner.friscy(GuestRunner.program("bench/tcpbench"), "1");
        assertEquals(0, r.status, r.toString());
        String events = String.join("\n", r.events);
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("\"type\":\"listen\",\"pid\":1,\"t\":\\d+,\"addr\":\"127.0.0.1\",\"port\":(\\d+)\\}").matcher(events);
        assertTrue(m.find(), events);
        assertTrue(events.contains("\"type\":\"unlisten\",\"pid\":1,") && events.contains("\"port\":" + m.group(1) + "}"),
                events);
    }

    /** TCP and UDP over 127.0.0.1 and ::1, non-blocking connect, half-close, resets, several clients, 64 MiB. */
    @Test
    void loopbackTcpAndUdp() {
        check("inet");
    }
}
