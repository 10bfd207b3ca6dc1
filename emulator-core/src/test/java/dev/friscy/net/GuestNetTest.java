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

    /** TCP and UDP over 127.0.0.1 and ::1, non-blocking connect, half-close, resets, several clients, 64 MiB. */
    @Test
    void loopbackTcpAndUdp() {
        check("inet");
    }
}
