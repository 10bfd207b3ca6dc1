package dev.friscy.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Runs ~50M instructions of the benchmark loop and prints the rate; asserts only the result. */
class CpuSpeedTest {
    @Test
    void fiftyMillionInstructions() {
        long rounds = 5_000_000; // 10 instructions each
        Hart h = CpuBench.setup(rounds);
        long t0 = System.nanoTime();
        int exit;
        do {
            exit = Cpu.run(h, 1_000_000);
        } while (exit == Cpu.EXIT_BUDGET);
        long ns = System.nanoTime() - t0;
        assertEquals(Cpu.EXIT_ECALL, exit);
        assertEquals(0, h.x[11]);
        assertEquals(rounds * 10 + 1, h.instret); // plus the final ecall
        System.out.println("CpuSpeedTest: " + h.instret + " instructions, " + Math.round(h.instret * 1000.0 / ns)
                + " MIPS (wall clock, includes JIT warm-up)");
    }
}
