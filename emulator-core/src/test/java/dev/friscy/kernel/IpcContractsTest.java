package dev.friscy.kernel;

import dev.friscy.testing.GuestRunner;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * System V IPC (guest/ipc): each contract program runs under qemu-riscv64-static first, so the
 * checks are right about Linux (the programs use only private objects and remove them, so the
 * host keeps nothing), then on friscy.
 */
class IpcContractsTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"shm", "sem", "msg"})
    void contractHoldsOnFriscyAndQemu(String name) {
        Path prog = GuestRunner.program("ipc/" + name);
        GuestRunner.Result ref = GuestRunner.qemu(prog, tmp, "--reference");
        assertTrue(ref.stdout.contains("ALL PASSED") && ref.status == 0,
                "reference run under qemu failed — the test itself is wrong:\n" + ref);
        GuestRunner.Result r = GuestRunner.friscy(prog);
        assertFalse(r.stdout.contains("FAIL"), r.toString());
        assertTrue(r.stdout.contains("ALL PASSED"), r.toString());
        assertEquals(0, r.status, r.toString());
    }
}
