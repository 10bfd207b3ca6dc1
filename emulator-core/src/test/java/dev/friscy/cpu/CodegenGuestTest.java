package dev.friscy.cpu;

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
        GuestRunner.sameAsQemu(GuestRunner.program("basic/codegen"), tmp, "ALL PASSED");
    }
}
