package dev.friscy.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Runs of loads and stores through one base register, which the Worker's translator checks once
 * per run instead of once per access (RegionEmitter.group), behave as on real hardware at their
 * edges: across page boundaries, misaligned, a load overwriting its base, f registers, a store run
 * into a read-only page (a precise fault at the first store) and into copy-on-write memory after
 * fork. The guest program's output must equal qemu-riscv64's with the translator translating
 * everything at first sight, with its default policy, and with the interpreter only.
 */
class AccessGroupsTest {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "jit {0}, threshold {1}")
    @CsvSource({"true, 0", "true, -1", "false, -1"})
    void accessRunsMatchQemu(boolean jit, int threshold) throws Exception {
        PageProgram.Built prog = PageProgram.build(Path.of("src", "test", "resources", "guest", "accessgroups.c"), tmp);
        assertTrue(prog.expected().contains("parent after child: "), prog.expected());

        PageProgram.Result r = PageProgram.run(prog, jit, threshold);
        assertEquals(0, r.status(), r.toString());
        assertEquals(prog.expected(), r.out());
    }
}
