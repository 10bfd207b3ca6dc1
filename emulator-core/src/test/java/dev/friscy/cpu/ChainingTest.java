package dev.friscy.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.friscy.jit.Jit;
import dev.friscy.jit.jvm.JvmTranslator;
import dev.friscy.mem.AddressSpace;
import dev.friscy.mem.Prot;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Translated code running region after region without the interpreter in between (Cpu.run's
 * driver and Dispatch): it must stop exactly where the interpreter would, at the budget, at a page
 * that lost its translations or its execute permission, and it must leave the same state.
 */
class ChainingTest {
    /** The called function's page: the next page after the caller's. */
    private static final long FUNC = Machine.CODE + 0x1000;

    @RegisterExtension
    final JitRestore jitRestore = new JitRestore();

    /** A loop (a1 = 300 times) calling a function in the next page, which adds to a counter in memory. */
    private static Consumer<Machine> caller(Asm func) {
        return caller(func, 300);
    }

    /** As {@link #caller(Asm)}, {@code n} times. */
    private static Consumer<Machine> caller(Asm func, int n) {
        return m -> {
            Asm main = new Asm().li(10, Machine.DATA).li(11, n);
            main.jal(1, (int) (FUNC - Machine.CODE) - main.size()) // loop: call FUNC
                    .addi(11, 11, -1)
                    .bne(11, 0, -8)
                    .ecall();
            m.load(main);
            m.as.poke(FUNC, func.bytes(), 0, func.size());
            m.h.pc = Machine.CODE;
        };
    }

    /** The function: t0 += a1, stored to data[0]; a short in-page loop t1 = 3 .. 0; return. */
    private static Asm func() {
        return new Asm()
                .add(5, 5, 11)
                .sd(5, 10, 0)
                .addi(6, 0, 3)
                .addi(6, 6, -1)
                .bne(6, 0, -4)
                .jalr(0, 1, 0);
    }

    private static String state(Machine m, int why) {
        StringBuilder sb = new StringBuilder();
        sb.append("exit=").append(why).append(" pc=").append(Long.toHexString(m.h.pc)).append(" instret=")
                .append(m.h.instret);
        for (int r = 1; r < 32; r++) {
            sb.append(' ').append(m.h.x[r]);
        }
        if (why == Cpu.EXIT_FAULT) {
            sb.append(" fault=").append(m.as.faultSignal).append('@').append(Long.toHexString(m.as.faultAddr));
            m.as.clearFault();
        }
        sb.append(" mem=").append(m.peek(Machine.DATA, 8));
        return sb.toString();
    }

    /** Runs in the slices given, applying {@code between} after slice {@code at}; the state after each. */
    private static List<String> trace(Consumer<Machine> prog, long[] slices, int at, Consumer<Machine> between) {
        Machine m = new Machine();
        prog.accept(m);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < slices.length; i++) {
            int why = Cpu.run(m.h, slices[i]);
            out.add(state(m, why));
            if (i == at && between != null) {
                between.accept(m);
            }
            if (why == Cpu.EXIT_ECALL) {
                break;
            }
            if (why != Cpu.EXIT_BUDGET) {
                break;
            }
        }
        return out;
    }

    private static void same(Consumer<Machine> prog, long[] slices, int at, Consumer<Machine> between) {
        Jit.install(null, 0);
        List<String> interp = trace(prog, slices, at, between);
        Jit.install(new JvmTranslator(), 0);
        // translated code tried at any budget, however small (Cpu.run would interpret budgets
        // below a region's size): its own budget checks are what these slices test
        Jit.plainTail = 0;
        List<String> jit = trace(prog, slices, at, between);
        assertTrue(Jit.chained > 0, "no region was entered from another one");
        assertEquals(String.join("\n", interp), String.join("\n", jit));
    }

    private static long[] randomSlices(long seed, int n, int max) {
        SplittableRandom r = new SplittableRandom(seed);
        long[] s = new long[n];
        for (int i = 0; i < n; i++) {
            s[i] = 1 + r.nextInt(max);
        }
        return s;
    }

    @Test
    void callsAcrossPagesChainAndMatchTheInterpreter() {
        for (int seed = 0; seed < 4; seed++) {
            same(caller(func()), randomSlices(seed, 600, seed < 2 ? 9 : 400), -1, null);
        }
        same(caller(func()), new long[] {1_000_000}, -1, null);
    }

    /** Calls a function in the next page (t0 += 1, a 2-round inner loop) for ever. */
    private static Machine endlessCallLoop() {
        Asm main = new Asm().jal(1, 0x1000).jal(0, -4);
        Asm func = new Asm().addi(5, 5, 1).addi(6, 0, 2).addi(6, 6, -1).bne(6, 0, -4).jalr(0, 1, 0);
        Machine m = new Machine();
        m.load(main);
        m.as.poke(FUNC, func.bytes(), 0, func.size());
        m.h.pc = Machine.CODE;
        return m;
    }

    @Test
    void chainedLoopStopsExactlyAtEveryBudget() {
        // an endless loop through two pages: every slice must end with exactly its budget retired,
        // which is what lets the kernel's time slices, timers and ^C in
        Jit.install(new JvmTranslator(), 0);
        Machine m = endlessCallLoop();
        SplittableRandom r = new SplittableRandom(5);
        long retired = 0;
        for (int i = 0; i < 2000; i++) {
            long budget = 1 + r.nextInt(i < 1000 ? 50 : 20000);
            assertEquals(Cpu.EXIT_BUDGET, Cpu.run(m.h, budget));
            retired += budget;
            assertEquals(retired, m.h.instret);
        }
        assertTrue(Jit.chained > 0, "the loop ran chained");
    }

    @Test
    void aBudgetTooSmallForARegionRunsPlainlyThroughEveryPage() {
        // with less budget than a region may need, translated code is not tried at all (each
        // try would be a round trip for a region that cannot start): the interpreter runs the
        // rest, across pages, and retires exactly the budget
        Jit.install(new JvmTranslator(), 0);
        Machine m = endlessCallLoop();
        assertEquals(Cpu.EXIT_BUDGET, Cpu.run(m.h, 100_000));
        assertTrue(Jit.regions >= 2 && Jit.executed > 0, "both pages run translated: " + Jit.regions);
        long entries = Jit.entries;
        long retired = m.h.instret;
        long calls = m.x(5);
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 3000; i++) {
            long budget = 1 + r.nextInt(Jit.plainTail - 1);
            assertEquals(Cpu.EXIT_BUDGET, Cpu.run(m.h, budget));
            retired += budget;
            assertEquals(retired, m.h.instret);
        }
        assertEquals(entries, Jit.entries, "no translated code was entered with too little budget");
        assertTrue(m.x(5) > calls, "the interpreter went on through both pages");
        // with enough budget the translated code takes over again
        assertEquals(Cpu.EXIT_BUDGET, Cpu.run(m.h, 100_000));
        assertTrue(Jit.entries > entries, "translated code runs again with a full budget");
    }

    @Test
    void storeIntoTheCalledPageDropsItsTranslationMidChain() {
        // between two slices the called function's "add t0, t0, a1" becomes "sub t0, t0, a1" (a
        // store through the guest's own view of memory, as V8 patches code)
        Consumer<Machine> prog = m -> {
            m.as.protect(FUNC, 0x1000, Prot.READ | Prot.WRITE | Prot.EXEC);
            caller(func()).accept(m);
        };
        Consumer<Machine> patch = m -> {
            AddressSpace as = m.as;
            as.clearFault();
            assertTrue(as.store(FUNC, 4, Asm.r(0x33, 0, 0x20, 5, 5, 11)));
        };
        for (int k = 0; k < 13; k++) {
            same(prog, new long[] {500 + k, 700, 1_000_000}, 0, patch);
        }
        same(prog, randomSlices(11, 800, 40), 300, patch);
    }

    @Test
    void calledPageLosingExecuteOrMappingFaultsPrecisely() {
        Consumer<Machine> noExec = m -> m.as.protect(FUNC, 0x1000, Prot.READ);
        Consumer<Machine> unmap = m -> m.as.unmap(FUNC, 0x1000);
        for (int k = 0; k < 13; k++) {
            same(caller(func()), new long[] {900 + k, 1_000_000}, 0, noExec);
            same(caller(func()), new long[] {900 + k, 1_000_000}, 0, unmap);
        }
    }

    @Test
    void fenceIBetweenSlicesStopsChaining() {
        Consumer<Machine> rewrite = m -> {
            long[] data = m.as.residentPage(FUNC).data;
            // "add t0, t0, a1" -> "sub t0, t0, a1" behind the decoder's back, then fence.i's flush
            data[0] = (data[0] & ~0xffffffffL) | (Asm.r(0x33, 0, 0x20, 5, 5, 11) & 0xffffffffL);
            Cpu.flushAllDecodes();
        };
        // whichever instruction of an iteration (13) the first slice ends at
        for (int k = 0; k < 13; k++) {
            same(caller(func()), new long[] {1198 + k, 1_000_000}, 0, rewrite);
        }
    }

    @Test
    void pastTheThresholdOnlyPagesThatLoopPerEntryAreTranslated() {
        // the caller and its function loop once or three times per entry into their pages: a
        // translation would run a few instructions per call, so neither is translated
        Jit.install(new JvmTranslator(), 500);
        Machine m = new Machine();
        caller(func()).accept(m);
        m.runToEcall();
        assertEquals(0, Jit.regions, "short loops per page entry stay interpreted");
        // a loop that runs long once entered is (seen at a page entry: here, a new time slice)
        Asm hot = new Asm().li(11, 20000).addi(5, 5, 1).addi(11, 11, -1).bne(11, 0, -8).ecall();
        Machine n = new Machine();
        n.load(hot);
        int why;
        do {
            why = Cpu.run(n.h, 5000);
        } while (why == Cpu.EXIT_BUDGET);
        assertEquals(Cpu.EXIT_ECALL, why);
        assertEquals(20000, n.x(5));
        assertTrue(Jit.regions > 0, "a long in-page loop is translated");
        assertTrue(Jit.executed > 20000, "and runs translated");
    }

    @Test
    void callsOutOfTranslatedCodeComeBackIntoTheCaller() {
        // at first sight both pages are translated: the caller's region calls the function's
        // through Dispatch.link and goes on after the call without leaving
        same(caller(func()), new long[] {1_000_000}, -1, null);
        assertTrue(Jit.linkReturns >= 299, "calls came back into the caller's region: " + Jit.linkReturns);
    }

    /**
     * Runs {@code prog} to its ecall with the JVM back end at threshold 500, in time slices of
     * 5000 as the kernel gives them, and checks that it ends where the interpreter alone ends:
     * same instructions retired, same registers. Returns the translated run's machine.
     */
    private static Machine pastTheThreshold(Consumer<Machine> prog) {
        Jit.install(null, 0);
        Machine ref = new Machine();
        prog.accept(ref);
        ref.runToEcall();
        Jit.install(new JvmTranslator(), 500);
        Machine m = new Machine();
        prog.accept(m);
        int why;
        do {
            why = Cpu.run(m.h, 5000);
        } while (why == Cpu.EXIT_BUDGET);
        assertEquals(Cpu.EXIT_ECALL, why);
        assertEquals(ref.h.instret, m.h.instret);
        for (int r = 1; r < 32; r++) {
            assertEquals(ref.h.x[r], m.h.x[r], "x" + r);
        }
        return m;
    }

    @Test
    void pastTheThresholdALoopCallingAnotherPageAndWhatItCallsAreTranslated() {
        // a loop that calls a function in another page twice each time round enters its page
        // again with every return (two per loop): still translated, because the JVM back end
        // links the calls; the function, which translated code keeps calling, is translated for
        // that reason
        Consumer<Machine> prog = m -> {
            Asm main = new Asm().li(10, Machine.DATA).li(11, 20000);
            main.jal(1, (int) (FUNC - Machine.CODE) - main.size());
            main.jal(1, (int) (FUNC - Machine.CODE) - main.size())
                    .addi(11, 11, -1)
                    .bne(11, 0, -12)
                    .ecall();
            m.load(main);
            m.as.poke(FUNC, func().bytes(), 0, func().size());
            m.h.pc = Machine.CODE;
        };
        Machine m = pastTheThreshold(prog);
        assertEquals(20000L * 20001, m.peek(Machine.DATA, 8));
        assertTrue(Jit.linkedRegions >= 1, "the called function is translated");
        assertTrue(Jit.linkReturns > 20000, "calls come back into the translated loop: " + Jit.linkReturns);
        assertTrue(Jit.executed > m.h.instret / 2, "most of it runs translated: " + Jit.executed);
    }

    @Test
    void pastTheThresholdALongLoopCallingOutOnMostIterationsIsTranslated() {
        // libgcc's frame-description walk at every static program's start: an inner loop and
        // two calls to another page each time round, so its page is entered less often than it
        // loops (2 returns per 3 backward branches); the function is translated when called
        Consumer<Machine> prog = m -> {
            Asm main = new Asm().li(10, Machine.DATA).li(11, 20000);
            int loop = main.size();
            main.jal(1, (int) (FUNC - Machine.CODE) - main.size()).addi(7, 0, 3);
            int inner = main.size();
            main.addi(7, 7, -1);
            main.bne(7, 0, inner - main.size());
            main.jal(1, (int) (FUNC - Machine.CODE) - main.size())
                    .addi(11, 11, -1);
            main.bne(11, 0, loop - main.size()).ecall();
            m.load(main);
            m.as.poke(FUNC, func().bytes(), 0, func().size());
            m.h.pc = Machine.CODE;
        };
        Machine m = pastTheThreshold(prog);
        assertEquals(20000L * 20001, m.peek(Machine.DATA, 8)); // two calls adding a1 = 20000 .. 1
        assertTrue(Jit.linkedRegions >= 1, "the called function is translated");
        assertTrue(Jit.executed > m.h.instret / 2, "most of it runs translated: " + Jit.executed);
    }

    /**
     * A page whose hot inner loop is translated alone, leaving each time for code of its own page
     * that no loop makes hot: the inner loop reaches it only through a register (in glibc's merge
     * sort, a recursive call's return into the code between two recursive calls), and it runs
     * once per 40 inner rounds.
     */
    private static Machine innerLoopLeavingForItsPage(boolean follow) {
        Jit.followExits = follow;
        Consumer<Machine> prog = m -> {
            Asm main = new Asm().li(10, Machine.DATA).li(11, 3000);
            int here = main.size();
            main.auipc(7, 0).addi(7, 7, 0); // x7 = the tail, patched below
            int outer = main.size();
            main.addi(6, 0, 40);
            int inner = main.size();
            main.add(5, 5, 6).addi(6, 6, -1);
            main.bne(6, 0, inner - main.size());
            main.jalr(0, 7, 0);
            int tail = main.size();
            main.xori(5, 5, 0x55).sd(5, 10, 0).addi(11, 11, -1);
            main.bne(11, 0, outer - main.size()).ecall();
            Asm fixed = new Asm().li(10, Machine.DATA).li(11, 3000);
            assertEquals(here, fixed.size());
            fixed.auipc(7, 0).addi(7, 7, tail - here);
            byte[] code = main.bytes();
            System.arraycopy(fixed.bytes(), 0, code, 0, fixed.size());
            m.load(main);
            m.as.poke(Machine.CODE, code, 0, main.size());
        };
        return pastTheThreshold(prog);
    }

    @Test
    void untranslatedCodeTranslatedCodeKeepsLeavingForInItsPageIsTranslated() {
        Machine without = innerLoopLeavingForItsPage(false);
        long before = Jit.executed;
        assertEquals(0, Jit.linkedRegions, "without following exits the tail stays interpreted");
        Machine m = innerLoopLeavingForItsPage(true);
        assertEquals(without.peek(Machine.DATA, 8), m.peek(Machine.DATA, 8));
        assertTrue(Jit.linkedRegions >= 1, "the code the loop leaves for is translated: " + Jit.regions + " regions, " + Jit.executed + " of " + m.h.instret + " translated, " + before + " before");
        assertTrue(Jit.executed > before, "more runs translated: " + Jit.executed + " vs " + before);
    }

    @Test
    void aBackEndThatCountsPageEntriesTranslatesCallHeavyCodeToo() {
        // the Worker's setting: entries count towards the threshold, and the loop policy is off
        Jit.install(new JvmTranslator(), 100);
        Jit.entryCost = 1;
        Machine m = new Machine();
        caller(func()).accept(m);
        m.runToEcall();
        assertEquals(300L * 301 / 2, m.peek(Machine.DATA, 8));
        assertTrue(Jit.regions >= 2, "both pages translated: " + Jit.regions);
    }

    @Test
    void codeTheReviewGaveBackIsPatchedInAgainAtItsNextHotEvent() {
        // the Worker's back end does not call out of regions: its regions chain through link cells
        Jit.install(new JvmTranslator(false), 100);
        Jit.entryCost = 1;
        Jit.minRun = 1 << 20; // every review gives the code back
        Jit.reinstate = true;
        Machine m = new Machine();
        caller(func(), 3000).accept(m);
        m.runToEcall();
        assertEquals(3000L * 3001 / 2, m.peek(Machine.DATA, 8));
        assertTrue(Jit.dropped >= 2, "reviews gave code back: " + Jit.dropped);
        assertTrue(Jit.reinstated >= 1, "and it came back: " + Jit.reinstated);
        long regions = Jit.regions;
        assertTrue(regions < Jit.reinstated, "without translating it again: " + regions + " regions");
    }

    /** Regions made for a loop calling two functions at two places of one page, n times. */
    private static long twoEntries(int threshold, int rehot, int n) {
        Jit.install(new JvmTranslator(false), threshold); // as the Worker's back end, which does not call out
        Jit.entryCost = 1;
        Jit.rehot = rehot;
        Machine m = new Machine();
        Asm main = new Asm().li(10, Machine.DATA).li(11, n);
        main.jal(1, (int) (FUNC - Machine.CODE) - main.size());
        main.jal(1, (int) (FUNC + 0x100 - Machine.CODE) - main.size());
        main.addi(11, 11, -1).bne(11, 0, -12).ecall();
        m.load(main);
        Asm f1 = new Asm().add(5, 5, 11).sd(5, 10, 0).jalr(0, 1, 0);
        Asm f2 = new Asm().addi(5, 5, 1).sd(5, 10, 0).jalr(0, 1, 0);
        m.as.poke(FUNC, f1.bytes(), 0, f1.size());
        m.as.poke(FUNC + 0x100, f2.bytes(), 0, f2.size());
        m.h.pc = Machine.CODE;
        m.runToEcall();
        assertEquals((long) n * (n + 1) / 2 + n, m.peek(Machine.DATA, 8));
        return Jit.regions;
    }

    @Test
    void rehotTranslatesTheOtherEntriesOfAHotPageSooner() {
        // 1500 rounds enter the functions' page 3000 times: past the threshold once, at one entry
        long without = twoEntries(2000, 0, 1500);
        long with = twoEntries(2000, 8, 1500);
        assertTrue(with > without, "regions with rehot " + with + ", without " + without);
    }

    /**
     * Regions made, with the JVM's default policy scaled down (entries count a twentieth of a
     * loop), for a loop calling a function in the next page whose own loop runs 6 times per call:
     * too few for the loop policy.
     */
    private static long busyFunction(int busyRounds, int n) {
        Jit.install(new JvmTranslator(), 100);
        Jit.countEntries(2000);
        Jit.busyRounds = busyRounds;
        Machine m = new Machine();
        Asm f = new Asm()
                .add(5, 5, 11)
                .sd(5, 10, 0)
                .addi(6, 0, 6)
                .addi(6, 6, -1)
                .bne(6, 0, -4)
                .jalr(0, 1, 0);
        caller(f, n).accept(m);
        m.runToEcall();
        assertEquals((long) n * (n + 1) / 2, m.peek(Machine.DATA, 8));
        assertEquals(0, m.h.x[6]);
        return Jit.busyRegions;
    }

    @Test
    void aFunctionWithShortLoopsThatKeepsComingBackHotIsTranslated() {
        assertEquals(0, busyFunction(1 << 30, 3000), "never busy enough");
        assertEquals(1, busyFunction(1, 3000), "the function, from its entry");
    }

    @Test
    void countEntriesMakesABackwardBranchWeighWhatItSays() {
        Jit.install(new JvmTranslator(), 50_000);
        Jit.countEntries(1_000_000);
        assertEquals(20, Jit.loopCost);
        assertEquals(1, Jit.entryCost);
        assertEquals(1_000_000, Jit.counterStart());
        Jit.install(new JvmTranslator(), 0);
        Jit.countEntries(1_000_000);
        assertEquals(1, Jit.loopCost, "at first sight everything is hot already");
    }
}
