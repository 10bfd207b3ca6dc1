package dev.friscy.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.friscy.cpu.Hart;
import dev.friscy.cpu.Op;
import org.junit.jupiter.api.Test;

/**
 * Entries of a page's translations in its decodes: one position holds one code's entry; when
 * that code is given back, a younger code that also starts there takes the position over, so
 * the entry does not fall back to the interpreter for good.
 */
class PageCodeTest {
    private static final int LI = Op.LI | 4 << 29;

    private static final class Stub extends Code {
        @Override
        public long run(Hart h, int block, long left) {
            return left;
        }
    }

    /** Decodes of a page whose first 16 bytes are four 4-byte instructions. */
    private static int[] page() {
        int[] ops = new int[Jit.OPS_LENGTH];
        for (int p = 0; p < 16; p += 4) {
            ops[p] = LI;
            ops[p + 1] = p;
        }
        return ops;
    }

    private static Region region(int[] ops, int... starts) {
        int[] ends = new int[starts.length];
        int[] counts = new int[starts.length];
        for (int i = 0; i < starts.length; i++) {
            ends[i] = i + 1 < starts.length ? starts[i + 1] : 16;
            counts[i] = (ends[i] - starts[i]) / 4;
        }
        return new Region(null, ops, ops.clone(), starts, ends, counts, 0);
    }

    private static boolean jitAt(int[] ops, int p) {
        return (ops[p] & 0xff) == Op.JIT;
    }

    @Test
    void aGivenBackCodesEntryGoesToTheYoungerCodeThatStartsThere() {
        int[] ops = page();
        PageCode pc = new PageCode(ops);
        pc.install(region(ops, 0, 8), new Stub()); // code 0: blocks at 0 and 8
        pc.install(region(ops, 8), new Stub());    // code 1: a function at 8 (Jit.linked)
        assertTrue(jitAt(ops, 0));
        assertEquals(1 << 16 | 0, ops[9], "position 8 is code 0's block 1 while code 0 is in");
        pc.uninstall(0);
        assertFalse(jitAt(ops, 0), "code 0's own entry is the interpreter's again");
        assertEquals(LI, pc.plain[0]);
        assertTrue(jitAt(ops, 8), "code 1 took position 8 over");
        assertEquals(0 << 16 | 1, ops[9]);
        assertEquals(LI & 0xe000_0000, ops[8] & 0xe000_0000, "the instruction's length stays in the word");
        pc.uninstall(1);
        assertEquals(LI, ops[8], "given back in turn, the original decode returns");
        assertEquals(8, ops[9]);
    }

    @Test
    void aParkedCodeIsNotHandedEntries() {
        int[] ops = page();
        PageCode pc = new PageCode(ops);
        pc.install(region(ops, 8), new Stub());    // code 0
        pc.install(region(ops, 0, 8), new Stub()); // code 1: 8 stays code 0's
        pc.uninstall(1);
        assertEquals(0 << 16 | 0, ops[9], "code 0 kept position 8");
        pc.uninstall(0);
        assertFalse(jitAt(ops, 8), "code 1 was given back before: it does not take position 8");
        assertFalse(jitAt(ops, 0));
    }

    @Test
    void reinstatedForCallsIsNeverReviewedAgain() {
        int[] ops = page();
        PageCode pc = new PageCode(ops);
        Stub c = new Stub();
        pc.install(region(ops, 0, 8), c);
        pc.uninstall(0);
        assertTrue(pc.reinstate(8, true));
        assertTrue(jitAt(ops, 0) && jitAt(ops, 8), "all its entries are back");
        assertTrue(c.called, "translated code calls it now: Jit.review leaves it alone");
        pc.uninstall(0);
        assertTrue(pc.reinstate(0));
        assertTrue(c.called);
    }
}
