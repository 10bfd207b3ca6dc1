package dev.friscy.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.friscy.testing.GuestRunner;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Code a guest generates at run time, as a JIT does (guest/basic/codegen.c): run hot, patched with
 * the instruction cache flushed, written beside while it runs, patched under W^X, mapped anew where
 * unmapped code was, patched where its loop straddles two pages. The program checks itself; it
 * passes under qemu first (the reference), then here in each translator mode of the build.
 */
class CodegenGuestTest {
    @TempDir
    Path tmp;

    @Test
    void patchedCodeRunsAsPatched() {
        Path prog = GuestRunner.program("basic/codegen");
        GuestRunner.Result ref = GuestRunner.qemu(prog, tmp);
        assertTrue(ref.stdout.contains("ALL PASSED") && ref.status == 0,
                "reference run under qemu failed — the test itself is wrong:\n" + ref);
        GuestRunner.Result r = GuestRunner.friscy(prog);
        assertEquals(ref.stdout, r.stdout, r.toString());
        assertEquals(0, r.status, r.toString());
    }
}
