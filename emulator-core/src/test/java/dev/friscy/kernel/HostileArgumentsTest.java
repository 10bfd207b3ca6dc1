package dev.friscy.kernel;

import dev.friscy.testing.GuestRunner;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * guest/robust/args: address/length pairs that wrap or pass the end of user space. Under qemu
 * (the host's Linux answers) the checks must pass, so they state Linux's errnos; on friscy every
 * one must pass too, within a minute (once riscv_flush_icache walked 2^51 pages) and without an
 * internal error (GuestRunner fails the test on one).
 */
class HostileArgumentsTest {
    @Test
    void wrappingRangesGetLinuxErrnos() {
        Path exe = GuestRunner.program("robust/args");
        GuestRunner.Result ref = GuestRunner.qemu(exe, null);
        assertEquals(0, ref.status, "guest/robust/args fails under qemu, so the test itself is wrong:\n" + ref);
        GuestRunner.Result got = GuestRunner.friscyArgs(List.of("--", exe.toString()), "", 60);
        List<String> bad = new ArrayList<>();
        for (String line : got.stdout.split("\n")) {
            if (line.startsWith("FAIL") || line.startsWith("NOT-PROVIDED")) {
                bad.add(line);
            }
        }
        assertTrue(bad.isEmpty(), String.join("\n", bad) + "\n\n" + got);
        assertTrue(got.stdout.contains("OK: 0 failure(s)"), got.toString());
        assertEquals(0, got.status, got.toString());
    }
}
