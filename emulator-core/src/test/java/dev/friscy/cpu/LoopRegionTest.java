package dev.friscy.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.friscy.jit.Jit;
import dev.friscy.jit.jvm.JvmTranslator;
import dev.friscy.mem.Prot;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How the JVM back end shapes a region around its loops: entries passed in through the heads of
 * the loops around them, a loop that holds no other keeping only its own registers in locals, and
 * accesses the TLB does not hold leaving for the interpreter (see RegionEmitter). Each program runs
 * past the translation threshold in time slices, as the kernel runs it, so that regions are
 * entered and left at many places, and must end exactly where the interpreter alone ends.
 */
class LoopRegionTest {
    private static final long FP_DATA = Machine.DATA + 0x1000;
    @RegisterExtension
    final JitRestore jitRestore = new JitRestore();

    /**
     * Three nested loops. The inner one sums and stores integers and adds doubles; the middle one
     * resets its pointers; the outer one changes an integer and an FP register no inner loop
     * uses, so every way into and out of the inner loop must carry them (stored on the way in,
     * loaded on the way out).
     */
    private static void nest(Machine m) {
        for (int k = 0; k < 16; k++) {
            m.poke64(FP_DATA + 8 * k, Double.doubleToRawLongBits(0.25 * (k + 1)));
            m.poke64(Machine.DATA + 8 * k, k * 7L);
        }
        Asm a = new Asm().li(6, 150).li(12, 0).li(5, 0);
        int outer = a.size();
        a.li(7, 10).addi(12, 12, 3);
        a.opfp(0x01, 0, 2, 2, 1); // fadd.d f2, f2, f1 (outer only)
        int middle = a.size();
        a.li(13, Machine.DATA).li(14, FP_DATA).li(28, 16);
        int inner = a.size();
        a.ld(11, 13, 0).add(5, 5, 11).sd(5, 13, 0);
        a.fld(3, 14, 0);
        a.opfp(0x01, 0, 1, 1, 3); // fadd.d f1, f1, f3
        a.addi(13, 13, 8).addi(14, 14, 8).addi(28, 28, -1);
        a.bne(28, 0, inner - a.size());
        a.addi(7, 7, -1).bne(7, 0, middle - a.size());
        a.addi(6, 6, -1).bne(6, 0, outer - a.size());
        a.ecall();
        m.load(a);
    }

    @Test
    void aNestOfLoopsEnteredAnywhereEndsAsTheInterpreterDoes() {
        Machine m = pastTheThreshold(LoopRegionTest::nest, 5000);
        Machine odd = pastTheThreshold(LoopRegionTest::nest, 4999);
        for (Machine t : new Machine[] {m, odd}) {
            for (int k = 0; k < 16; k++) {
                assertEquals(reference.peek(Machine.DATA + 8 * k, 8), t.peek(Machine.DATA + 8 * k, 8), "data " + k);
            }
            assertEquals(reference.h.f[1], t.h.f[1], "f1");
            assertEquals(reference.h.f[2], t.h.f[2], "f2");
        }
        assertTrue(Jit.executed > m.h.instret / 2, "most of it ran translated: " + Jit.executed + " of " + m.h.instret);
    }

    /**
     * Two pages that share a TLB slot (1024 pages apart), read in turn by one load: every access
     * misses (its site, which keeps the page it last reached, holds the other one).
     */
    private static void thrash(Machine m) {
        long p1 = 0x100000;
        long p2 = p1 + 1024 * 4096L;
        m.as.map(p1, 4096, Prot.READ | Prot.WRITE, false, null, 0, "p1");
        m.as.map(p2, 4096, Prot.READ | Prot.WRITE, false, null, 0, "p2");
        m.poke64(p1, 3);
        m.poke64(p2, 5);
        Asm a = new Asm().li(20, p1).li(22, p1 ^ p2).li(6, 30000).li(5, 0);
        int loop = a.size();
        a.ld(11, 20, 0).add(5, 5, 11).op(4, 0, 20, 20, 22); // xor x20, x20, x22
        a.addi(6, 6, -1).bne(6, 0, loop - a.size());
        a.ecall();
        m.load(a);
    }

    @Test
    void accessesThatKeepMissingTheTlbAreMadeAgainWithTheirSlowPathsInLine() {
        Machine m = pastTheThreshold(LoopRegionTest::thrash, 5000);
        assertEquals(15000L * 3 + 15000L * 5, m.x(5));
        assertTrue(Jit.remade > 0, "the region was made again: regions " + Jit.regions + ", ran " + Jit.executed + " of " + m.h.instret + ", entries " + Jit.entries);
        assertTrue(Jit.executed > m.h.instret / 2, "and ran translated: " + Jit.executed + " of " + m.h.instret);
    }

    /**
     * A loop that calls a function in another page once each time round: its page is entered
     * (by the return) about as often as it loops, which lies between the calling-loop policy's
     * two windows unless the long-loop window reaches past 100 (glibc's merge loop, all in one
     * page, stayed interpreted).
     */
    private static void callEachTimeRound(Machine m) {
        Asm a = new Asm().li(6, 40000).li(5, 0).li(7, 0);
        int loop = a.size();
        a.addi(6, 6, -1).jal(1, 0x2000 - a.size()).add(7, 7, 5).bne(6, 0, loop - a.size());
        a.ecall();
        while (a.size() < 0x2000) {
            a.addi(0, 0, 0);
        }
        a.addi(5, 5, 3).jalr(0, 1, 0); // the function: x5 += 3
        m.load(a);
    }

    @Test
    void aLoopThatCallsOutOnceEachTimeRoundIsTranslated() {
        Machine m = pastTheThreshold(LoopRegionTest::callEachTimeRound, 5000);
        assertEquals(40000L * 3, m.x(5));
        assertTrue(Jit.executed > m.h.instret / 2, "most of it ran translated: " + Jit.executed + " of " + m.h.instret);
    }

    /** Where {@link #straddle}'s loop reaches into the next page: its {@code addi x8, x8, 3}. */
    private static final long P2_ADDI = Machine.CODE + 0x1000;

    /**
     * A loop that straddles a page boundary, as glibc's merge loop does in mixbench: eight
     * instructions at the end of the first page (with a short inner loop), two at the start of
     * the next, whose branch goes back.
     */
    private static void straddle(Machine m) {
        Asm a = new Asm().li(6, 60000).li(5, 0).li(7, 0).li(8, 0);
        a.jal(0, 0xfe0 - a.size());
        while (a.size() < 0xfe0) {
            a.addi(0, 0, 0);
        }
        int loop = a.size();
        a.addi(6, 6, -1).addi(10, 0, 2);
        int inner = a.size();
        a.addi(10, 10, -1).bne(10, 0, inner - a.size());
        a.add(5, 5, 6).addi(7, 7, 1).addi(7, 7, 1).add(5, 5, 7);
        a.addi(8, 8, 3).bne(6, 0, loop - a.size()); // from 0x1000, the next page
        a.ecall();
        m.load(a);
    }

    @Test
    void aLoopThatStraddlesAPageBoundaryRunsAsOneRegion() {
        Machine m = pastTheThreshold(LoopRegionTest::straddle, 5000);
        assertEquals(60000L * 3, m.x(8));
        assertTrue(Jit.executed > m.h.instret / 2, "most of it ran translated: " + Jit.executed + " of " + m.h.instret);
        assertEquals(0, Jit.linkReturns, "no call out into the next page and back");
    }

    @Test
    void aStoreIntoTheNextPagesCodeIsSeenByTheLoopThatRunsOnIntoIt() {
        Jit.install(null, 0);
        Machine ref = storeWhileLooping();
        Jit.install(new JvmTranslator(), 500);
        Machine m = storeWhileLooping();
        assertEquals(ref.h.instret, m.h.instret, "instructions retired");
        for (int r = 1; r < 32; r++) {
            assertEquals(ref.h.x[r], m.h.x[r], "x" + r);
        }
        assertTrue(m.x(8) > 60000L * 3, "the new instruction ran: " + m.x(8));
    }

    /**
     * Runs {@link #straddle} in time slices, and once past 200,000 instructions (translated by
     * then, unless the translator is off) stores {@code addi x8, x8, 5} over its next page's
     * {@code addi x8, x8, 3}.
     */
    private static Machine storeWhileLooping() {
        int addi5 = java.nio.ByteBuffer.wrap(new Asm().addi(8, 8, 5).bytes()).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
        Machine m = new Machine();
        straddle(m);
        m.as.protect(Machine.CODE, Machine.CODE_LEN, Prot.READ | Prot.WRITE | Prot.EXEC);
        boolean stored = false;
        int why;
        do {
            why = Cpu.run(m.h, 5000);
            if (!stored && m.h.instret >= 200_000) {
                if (Jit.translator() != null) {
                    assertTrue(Jit.executed > 100_000, "translated before the store: " + Jit.executed);
                }
                assertTrue(Helpers.store(m.h, P2_ADDI, 4, addi5));
                stored = true;
            }
        } while (why == Cpu.EXIT_BUDGET);
        assertEquals(Cpu.EXIT_ECALL, why);
        assertTrue(stored);
        return m;
    }

    private static Machine reference;

    /**
     * Runs {@code prog} to its ecall with the JVM back end at threshold 500, in time slices of
     * {@code slice}, and checks that it retires the instructions and ends with the registers of
     * the interpreter alone (kept in {@link #reference}).
     */
    private static Machine pastTheThreshold(Consumer<Machine> prog, int slice) {
        Jit.install(null, 0);
        reference = new Machine();
        prog.accept(reference);
        reference.runToEcall();
        Jit.install(new JvmTranslator(), 500);
        Machine m = new Machine();
        prog.accept(m);
        int why;
        do {
            why = Cpu.run(m.h, slice);
        } while (why == Cpu.EXIT_BUDGET);
        assertEquals(Cpu.EXIT_ECALL, why);
        assertEquals(reference.h.instret, m.h.instret, "instructions retired");
        for (int r = 1; r < 32; r++) {
            assertEquals(reference.h.x[r], m.h.x[r], "x" + r);
        }
        return m;
    }
}
