package dev.friscy.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Divisions at their edges in the page (guest/basic/divide.c): RISC-V defines MIN / -1 and
 * division by zero, Wasm's div_s traps on the first, and TeaVM compiles Java's division to it, so
 * the interpreter's own division once took the whole emulator down ("divide result
 * unrepresentable"). Interpreted only, translated at first sight and by default, the output must be
 * qemu's.
 */
class DivisionTest {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "jit {0}, threshold {1}")
    @CsvSource({"false, -1", "true, 0", "true, -1"})
    void edgesMatchQemu(boolean jit, int threshold) throws Exception {
        PageProgram.Built prog = PageProgram.build(Path.of("..", "guest", "basic", "divide.c"), tmp);
        assertTrue(prog.expected().contains("hash "), "the reference run under qemu failed: " + prog.expected());

        PageProgram.Result r = PageProgram.run(prog, jit, threshold);
        assertEquals(0, r.status(), "exit status (null: no exit within 120 s, or the emulator stopped) " + r.errors());
        assertEquals(prog.expected(), r.out());
    }
}
