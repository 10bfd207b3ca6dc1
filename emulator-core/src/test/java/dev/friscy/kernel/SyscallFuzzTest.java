package dev.friscy.kernel;

import dev.friscy.testing.GuestRunner;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * guest/robust/sysfuzz as init: seeded random system calls with random arguments in forked
 * children. Children may die of anything; the kernel may not throw (GuestRunner fails on a
 * contained internal error) or hang (the run has a time limit). A bounded count in every
 * build; -Dfriscy.sysfuzz.children=N -Dfriscy.sysfuzz.seeds=K for a longer run. Not run
 * under qemu: qemu-user passes random calls to the host's kernel, as root.
 */
class SyscallFuzzTest {
    @Test
    void randomSystemCallsNeverBreakTheKernel() {
        Path exe = GuestRunner.program("robust/sysfuzz");
        int children = Integer.getInteger("friscy.sysfuzz.children", 40);
        int seeds = Integer.getInteger("friscy.sysfuzz.seeds", 3);
        for (int seed = 1; seed <= seeds; seed++) {
            GuestRunner.Result r = GuestRunner.friscyArgs(List.of("--memory", "256M", "--", exe.toString(),
                    Integer.toString(seed * 1000), Integer.toString(children), "300"), "", 600);
            assertTrue(r.stdout.contains("SYSFUZZ DONE"), "seed " + seed + ":\n" + r);
            assertEquals(0, r.status, "seed " + seed + ":\n" + r);
            System.out.println("sysfuzz seed " + seed * 1000 + ": " + r.stdout.lines()
                    .filter(l -> l.startsWith("sysfuzz seed")).findFirst().orElse("?"));
        }
    }
}
