package dev.friscy.kernel;

import dev.friscy.testing.GuestRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The process-model contracts, checked from inside by guest C programs (guest/proc): each
 * runs on friscy and, as a reference, under qemu-riscv64-static (which cannot exec riscv
 * binaries without binfmt and fakes vfork: those checks say SKIP there) or, for the portable
 * ones, natively on the host's Linux.
 */
class ProcessContractsTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"lifecycle", "signals", "pgrp", "pidfd", "procsys", "conform", "ids"})
    void contractHoldsOnFriscyAndQemu(String name) {
        Path prog = GuestRunner.program("proc/" + name);
        GuestRunner.Result ref = GuestRunner.qemu(prog, tmp, "--reference");
        assertTrue(ref.stdout.contains("ALL PASSED") && ref.status == 0,
                "reference run under qemu failed — the test itself is wrong:\n" + ref);
        GuestRunner.Result r = GuestRunner.friscy(prog);
        assertFalse(r.stdout.contains("FAIL"), r.toString());
        assertTrue(r.stdout.contains("ALL PASSED"), r.toString());
        assertEquals(0, r.status, r.toString());
    }

    /**
     * Contracts whose reference is the host's own Linux kernel, running the same portable source
     * built natively: qemu 7.2 lacks clone3 and gets MREMAP_DONTUNMAP and some mremap errors wrong.
     * clone3: as trixie's glibc uses it for posix_spawn/system/popen (CLONE_VM|CLONE_VFORK on a
     * separate stack), its exit signal, CLONE_CLEAR_SIGHAND and argument checks. mremap: grow,
     * grow again what a move grew, shrink, MREMAP_FIXED, MREMAP_DONTUNMAP and the errors. comm:
     * after exec (a #! script's name, a symlink's), PR_SET_NAME, threads, /proc views (qemu shows
     * its own name there).
     */
    @ParameterizedTest
    @ValueSource(strings = {"clone3", "mremap", "comm"})
    void contractHoldsOnFriscyAndLinux(String name) {
        GuestRunner.Result linux = GuestRunner.host(java.util.List.of(
                GuestRunner.nativeProgram("proc/" + name).toString()), tmp);
        assertTrue(linux.stdout.contains("ALL PASSED") && linux.status == 0,
                "the native run on the host's Linux failed — the test itself is wrong:\n" + linux);
        GuestRunner.Result r = GuestRunner.friscy(GuestRunner.program("proc/" + name));
        assertFalse(r.stdout.contains("FAIL"), r.toString());
        assertTrue(r.stdout.contains("ALL PASSED"), r.toString());
        assertEquals(0, r.status, r.toString());
    }

    @Test
    void segfaultGivesStatus139AndDiagnostic() {
        GuestRunner.Result r = GuestRunner.friscy(GuestRunner.program("basic/segv"));
        assertEquals(139, r.status, r.toString());
        assertTrue(r.stderr.contains("SIGSEGV") && r.stderr.contains("pc=0x"), r.toString());
    }

    @Test
    void exitStatusAndArgvReachTheHost() {
        assertEquals(7, GuestRunner.friscy(GuestRunner.program("basic/exitcode"), "7").status);
        GuestRunner.Result r = GuestRunner.friscy(GuestRunner.program("basic/hello"));
        assertEquals("hello from riscv64\n", r.stdout);
        assertEquals(0, r.status);
    }
}
