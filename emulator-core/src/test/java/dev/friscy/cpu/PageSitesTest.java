package dev.friscy.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.friscy.jit.Jit;
import dev.friscy.jit.jvm.JvmTranslator;
import dev.friscy.mem.AddressSpace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The JVM back end's access sites keep the page they last reached (see RegionEmitter.SITES): a page
 * whose backing array changes under them, as a copy-on-write break does, must be seen at once.
 */
class PageSitesTest {
    @RegisterExtension
    final JitRestore jitRestore = new JitRestore();

    /**
     * A loop reading data[0] ten times into a sum, storing the counter (5) into it once, halfway:
     * the page is shared with a fork child, so that store breaks the copy-on-write and gives the
     * page a new array, after which the load site must read the new one.
     */
    private static long[] run(boolean translate, int otherLoads) {
        Jit.install(translate ? new JvmTranslator() : null, 0);
        Machine m = new Machine();
        Asm a = new Asm().li(10, Machine.DATA).li(11, 10).li(12, 5).li(7, 0);
        int loop = a.size();
        a.ld(5, 10, 0).add(7, 7, 5);
        for (int i = 1; i <= otherLoads; i++) {
            a.ld(6, 10, 8 * i).add(7, 7, 6); // zeros, taking the region's other sites
        }
        a.bne(11, 12, 8).sd(11, 10, 0); // the store, when a1 == 5
        a.addi(11, 11, -1).bne(11, 0, loop - a.size()).ecall();
        AddressSpace child = runBesideAChild(m, a);
        return new long[] {m.x(7), m.peek(Machine.DATA, 8), child.load(Machine.DATA, 8), Jit.executed};
    }

    /**
     * Loads {@code a}, puts 100 at data[0], forks (so the data page is shared copy-on-write with
     * the child, which never runs) and runs {@code m} to its ecall. Returns the child's memory.
     */
    private static AddressSpace runBesideAChild(Machine m, Asm a) {
        m.load(a);
        m.poke64(Machine.DATA, 100);
        AddressSpace child = m.as.fork();
        m.runToEcall();
        child.clearFault();
        return child;
    }

    @Test
    void aLoadSiteSeesTheNewArrayAfterACopyOnWriteBreakInItsLoop() {
        check(0);
    }

    @Test
    void soDoesItWhenTheStoreHasNoSiteOfItsOwn() {
        // the store comes after more accesses than a region gives sites (RegionEmitter.SITES, 4;
        // 8 here so the test keeps its point if that grows): it goes through the TLB
        check(8);
    }

    /**
     * The same store made by an inner loop that is compiled as a method of its own (see
     * RegionEmitter#inMethod), while the outer loop's load site holds the page: the outer load
     * must read the new array from then on. The inner loop also has two ways out
     * (its end, and a break when x13 reaches 1 on the last outer round), each going on at its
     * own block with the registers the loop wrote.
     */
    private static long[] nested(boolean translate) {
        Jit.install(translate ? new JvmTranslator() : null, 0);
        long made = JvmTranslator.loopMethodsMade;
        Machine m = new Machine();
        Asm a = new Asm().li(10, Machine.DATA).li(11, 10).li(12, 5).li(7, 0).li(9, 0).li(14, 1);
        int outer = a.size();
        a.ld(5, 10, 0).add(7, 7, 5).li(13, 4);
        int inner = a.size();
        a.bne(11, 12, 8).sd(11, 10, 0); // the store, when x11 == 5
        a.add(9, 9, 13).addi(13, 13, -1);
        a.bne(11, 14, 8).beq(13, 14, 12); // the break, when x11 == 1 and x13 == 1
        a.bne(13, 0, inner - a.size());
        a.addi(9, 9, 1000); // after the loop's end only
        a.addi(11, 11, -1).bne(11, 0, outer - a.size()).ecall();
        AddressSpace child = runBesideAChild(m, a);
        return new long[] {m.x(7), m.x(9), m.peek(Machine.DATA, 8), child.load(Machine.DATA, 8),
            JvmTranslator.loopMethodsMade - made};
    }

    @Test
    void anOuterSiteSeesTheStoreOfAnInnerLoopCompiledOnItsOwn() {
        long[] interp = nested(false);
        long[] jit = nested(true);
        assertEquals(6 * 100 + 4 * 5, interp[0]);
        assertEquals(9 * (4 + 3 + 2 + 1 + 1000) + (4 + 3 + 2), interp[1]);
        assertEquals(interp[0], jit[0], "the sum read back");
        assertEquals(interp[1], jit[1], "the inner loop's sum, through both ways out");
        assertEquals(5, jit[2], "the parent's data");
        assertEquals(100, jit[3], "the child's copy is untouched");
        assertEquals(true, jit[4] > 0, "the inner loop had a method of its own");
    }

    private static void check(int otherLoads) {
        long[] interp = run(false, otherLoads);
        long[] jit = run(true, otherLoads);
        assertEquals(6 * 100 + 4 * 5, interp[0]);
        assertEquals(interp[0], jit[0], "the sum read back");
        assertEquals(5, jit[1], "the parent's data");
        assertEquals(100, jit[2], "the child's copy is untouched");
        assertEquals(true, jit[3] > 0, "translated code ran");
    }
}
