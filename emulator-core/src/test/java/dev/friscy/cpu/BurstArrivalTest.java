package dev.friscy.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.friscy.jit.Code;
import dev.friscy.jit.Jit;
import dev.friscy.jit.Region;
import dev.friscy.jit.Translator;
import dev.friscy.mem.Page;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Exits from translated code into a page without translations ({@link Jit#arrivedInBursts}, the
 * Worker's rule): the page is translated after {@code threshold} of them in all, or after {@code
 * burst} of them within one window of guest instructions, whichever comes first; exits spread
 * over many windows wait for the total.
 */
class BurstArrivalTest {
    private static final int SHIFT = 24;

    @RegisterExtension
    final JitRestore jitRestore = new JitRestore();

    /** Where the recording back end was asked to translate: each region's first block. */
    private final List<Integer> translated = new ArrayList<>();

    @BeforeEach
    void install() {
        Jit.install(new Translator() {
            @Override
            public Code translate(Region r) {
                translated.add(r.starts[0]);
                return null; // refused: the page stays as it is, the request is what counts
            }

            @Override
            public int maxInstructions() {
                return 100;
            }
        }, 50_000);
    }

    /** A page of straight code, freshly decoded, as translated code would arrive in it. */
    private static Object[] page() {
        Asm a = new Asm();
        for (int i = 0; i < 8; i++) {
            a.addi(10, 10, 1);
        }
        a.jalr(0, 1, 0);
        Machine m = new Machine();
        m.load(a);
        Page pg = m.as.pageForExec(Machine.CODE);
        assertNotNull(pg);
        return new Object[] {pg, new int[Jit.OPS_LENGTH]};
    }

    private static void arrive(Object[] p, int pos, int times, int threshold, int burst, long clock) {
        for (int i = 0; i < times; i++) {
            Jit.arrivedInBursts((Page) p[0], (int[]) p[1], pos, threshold, burst, clock, SHIFT);
        }
    }

    @Test
    void aBurstWithinOneWindowTranslatesAtOnce() {
        Object[] p = page();
        long clock = 5L << SHIFT;
        arrive(p, 8, 99, 16_384, 100, clock);
        assertEquals(List.of(), translated, "99 exits of a burst of 100");
        arrive(p, 8, 1, 16_384, 100, clock + (1 << SHIFT) - 1);
        assertEquals(List.of(8), translated, "the 100th in the same window");
    }

    @Test
    void exitsSpreadOverWindowsWaitForTheTotal() {
        Object[] p = page();
        // 99 per window never makes a burst of 100: only the 1,000th exit in all translates
        for (int w = 0; w < 10; w++) {
            arrive(p, 4, 99, 1_000, 100, (long) w << SHIFT);
            assertEquals(List.of(), translated, "window " + w);
        }
        arrive(p, 4, 10, 1_000, 100, 10L << SHIFT);
        assertEquals(List.of(4), translated, "the 1,000th exit in all");
    }

    @Test
    void aWindowStartsItsCountAfresh() {
        Object[] p = page();
        // 60 at the end of one window and 60 at the start of the next are no burst of 100
        arrive(p, 12, 60, 16_384, 100, (3L << SHIFT) + (1 << SHIFT) - 1);
        arrive(p, 12, 60, 16_384, 100, 4L << SHIFT);
        assertEquals(List.of(), translated);
        arrive(p, 12, 40, 16_384, 100, 4L << SHIFT);
        assertEquals(List.of(12), translated);
    }

    @Test
    void noBurstRuleLeavesTheTotal() {
        Object[] p = page();
        arrive(p, 0, 499, 500, 0, 0);
        assertEquals(List.of(), translated);
        arrive(p, 0, 1, 500, 0, 0);
        assertEquals(List.of(0), translated);
    }
}
