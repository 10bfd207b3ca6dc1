package dev.friscy.node;

import dev.friscy.testing.GuestRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * POSIX threads as node's runtime (libuv, V8 platform workers) needs them, checked from inside
 * by guest/threads/threads.c on friscy and, as a reference, under qemu-riscv64-static.
 */
class ThreadsTest {
    @TempDir
    Path tmp;

    @Test
    void threadsContractHoldsOnFriscyAndQemu() {
        Path prog = GuestRunner.program("threads/threads");
        GuestRunner.Result ref = GuestRunner.qemu(prog, tmp);
        assertTrue(ref.stdout.contains("ALL PASSED") && ref.status == 0,
                "reference run under qemu failed — the test itself is wrong:\n" + ref);
        GuestRunner.Result r = GuestRunner.friscy(prog);
        assertFalse(r.stdout.contains("FAIL"), r.toString());
        assertTrue(r.stdout.contains("ALL PASSED"), r.toString());
        assertEquals(0, r.status, r.toString());
        // the same checks ran in the same order on both
        assertEquals(ref.stdout, r.stdout, r.toString());
    }
}
