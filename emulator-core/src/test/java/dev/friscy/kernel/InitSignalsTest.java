package dev.friscy.kernel;

import dev.friscy.testing.GuestRunner;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * guest/robust/init runs as pid 1: like a pid namespace's init on Linux (SIGNAL_UNKILLABLE in
 * kernel/signal.c: sig_task_ignored and get_signal), it drops signals it has no handler for,
 * SIGKILL and SIGSTOP included, and clone(CLONE_PARENT) from it is EINVAL (copy_process). No
 * qemu reference here: qemu-user installs a host handler for every signal, so the host kernel's
 * init rule never applies to it. A fault in init itself still kills it (force_sig clears the flag).
 */
class InitSignalsTest {
    @Test
    void initCannotBeKilledFromInside() {
        Path exe = GuestRunner.program("robust/init");
        GuestRunner.Result r = GuestRunner.friscyArgs(List.of("--", exe.toString()), "", 120);
        assertFalse(r.stdout.contains("FAIL"), r.toString());
        assertTrue(r.stdout.contains("OK: 0 failure(s)"), r.toString());
        assertEquals(0, r.status, r.toString());
    }

    @Test
    void aFaultInInitItselfIsFatal() {
        Path exe = GuestRunner.program("robust/init");
        GuestRunner.Result r = GuestRunner.friscyArgs(List.of("--", exe.toString(), "fault"), "", 120);
        assertEquals(128 + 11, r.status, r.toString());
        assertTrue(r.stderr.contains("killed by SIGSEGV"), r.toString());
    }
}
