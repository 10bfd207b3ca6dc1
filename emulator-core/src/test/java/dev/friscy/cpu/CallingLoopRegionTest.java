package dev.friscy.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.friscy.jit.Jit;
import dev.friscy.jit.Region;
import dev.friscy.jit.RegionBuilder;
import dev.friscy.mem.Page;
import org.junit.jupiter.api.Test;

/**
 * The loop a calling-loop hot event translates (RegionBuilder with {@code innerLoops}): a call out
 * of the page either counts as a way back into the loop (a merge loop and its comparator: the
 * policy's first window) or only its return does (a long loop that calls out on most iterations:
 * the second), in which case a path that leaves the loop through a call is not part of it.
 */
class CallingLoopRegionTest {
    /** Another page, 8 KiB on: what the loop calls. */
    private static final int OUT = 0x2000;

    /**
     * <pre>
     *  0: addi a1, a1, -1     loop head
     *  4: beq  a1, x0, 16     leave the loop
     *  8: jal  ra, OUT        a call each time round
     * 12: bne  a2, x0, 0      back to the head
     * 16: jal  ra, OUT        after the loop: a call out
     * 20: jalr x0, ra, 0      and return
     * </pre>
     */
    private static Region build(boolean callsReturn) {
        Asm a = new Asm();
        a.addi(11, 11, -1);
        a.beq(11, 0, 16 - a.size());
        a.jal(1, OUT - a.size());
        a.bne(12, 0, -a.size());
        a.jal(1, OUT - a.size());
        a.jalr(0, 1, 0);
        Machine m = new Machine();
        m.load(a);
        Page pg = m.as.pageForExec(Machine.CODE);
        assertNotNull(pg);
        int[] ops = new int[Jit.OPS_LENGTH];
        return RegionBuilder.build(pg, ops, null, 0, 400, true, false, true, callsReturn);
    }

    @Test
    void aCallOutCountsAsAWayBackByDefault() {
        Region r = build(false);
        assertNotNull(r);
        // the block after the loop calls out, and a call out counts as coming back: it joins
        assertArrayEquals(new int[] {0, 8, 12, 16}, r.starts);
        assertEquals(5, r.instructions);
    }

    @Test
    void withCallsReturningOnlyTheLoopItselfIsTaken() {
        Region r = build(true);
        assertNotNull(r);
        assertArrayEquals(new int[] {0, 8, 12}, r.starts);
        assertEquals(4, r.instructions);
        assertEquals(1, r.callTargets(), "one place called, from one site in the loop");
    }
}
