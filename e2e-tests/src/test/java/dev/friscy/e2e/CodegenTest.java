package dev.friscy.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Code generated at run time, as a JIT makes it (guest/basic/codegen.c): run hot, then patched
 * (an immediate, a branch) with the instruction cache flushed, written beside while it runs,
 * patched under W^X, mapped anew where unmapped code was, and patched where its loop straddles
 * two pages. In the page the Worker's translator must drop what it made of the old code each
 * time: the program checks its own results, and passes under qemu first (the reference), then
 * translated at first sight, by default and interpreted only.
 */
class CodegenTest {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "jit {0}, threshold {1}")
    @CsvSource({"true, 0", "true, -1", "true, 2000", "false, -1"})
    void patchedCodeRunsAsPatched(boolean jit, int threshold) throws Exception {
        PageProgram.Built prog = PageProgram.build(Path.of("..", "guest", "basic", "codegen.c"), tmp);
        assertTrue(prog.expected().contains("ALL PASSED"), "the reference run under qemu failed: " + prog.expected());

        PageProgram.Result r = PageProgram.run(prog, jit, threshold);
        assertEquals(prog.expected(), r.out());
        assertEquals(0, r.status(), "exit status (null: no exit within 120 s, or the emulator stopped) " + r.errors());
    }
}
