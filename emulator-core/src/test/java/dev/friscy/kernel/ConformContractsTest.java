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
 * Behaviours a conformance run found different from Linux (guest/conform, one program per
 * family): each runs under qemu-riscv64-static first, in a scratch directory, so the checks are
 * right about Linux, then on friscy. leases: F_SETLEASE/F_GETLEASE and breaking by open.
 * nproc: the process table sized like threads-max (1,000 waiting children), RLIMIT_NPROC.
 * misc: the queued-signal limit, prctl's timer slack, packet pipes, /dev/random's ioctls,
 * clock_nanosleep and clone3 with bad pointers.
 */
class ConformContractsTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"leases", "nproc"})
    void contractHoldsOnFriscyAndQemu(String name) {
        Path prog = GuestRunner.program("conform/" + name);
        GuestRunner.Result ref = GuestRunner.qemu(prog, tmp, "--reference");
        assertTrue(ref.stdout.contains("ALL PASSED") && ref.status == 0,
                "reference run under qemu failed — the test itself is wrong:\n" + ref);
        GuestRunner.Result r = GuestRunner.friscyArgs(java.util.List.of("--cwd", "/tmp", "--", prog.toString()), "");
        assertFalse(r.stdout.contains("FAIL"), r.toString());
        assertTrue(r.stdout.contains("ALL PASSED"), r.toString());
        assertEquals(0, r.status, r.toString());
    }

    /**
     * Contracts whose reference is the host's own Linux, running the same portable source built
     * natively: qemu 7.2 gets some of these wrong itself (pipe2's unknown flags, an interrupted
     * nanosleep's bad pointer, unknown random ioctls).
     */
    @ParameterizedTest
    @ValueSource(strings = {"misc"})
    void contractHoldsOnFriscyAndLinux(String name) {
        GuestRunner.Result linux = GuestRunner.host(java.util.List.of(
                GuestRunner.nativeProgram("conform/" + name).toString()), tmp);
        assertTrue(linux.stdout.contains("ALL PASSED") && linux.status == 0,
                "the native run on the host's Linux failed — the test itself is wrong:\n" + linux);
        GuestRunner.Result r = GuestRunner.friscy(GuestRunner.program("conform/" + name));
        assertFalse(r.stdout.contains("FAIL"), r.toString());
        assertTrue(r.stdout.contains("ALL PASSED"), r.toString());
        assertEquals(0, r.status, r.toString());
    }
}
