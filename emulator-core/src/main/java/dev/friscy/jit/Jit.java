package dev.friscy.jit;

import dev.friscy.cpu.Hart;
import dev.friscy.cpu.Op;
import dev.friscy.mem.Page;

/**
 * The switch and the interpreter's hook. One back end per process (the JVM host or the Worker
 * installs it); without one, the interpreter runs everything and pays one counter per page entry
 * and per taken backward branch.
 */
public final class Jit {
    /** {@code h.jitExit} after translated code left its region normally: keep interpreting at h.pc. */
    public static final int EXIT_CONTINUE = -1;
    /** Where a decode array keeps its page's hotness counter (the spare slot after RELOAD). */
    public static final int HOT = Page.SIZE + 1;
    /**
     * The most budget one call into translated code gets. Returning to the interpreter every few
     * thousand instructions costs little and lets hosts that compile by call counts (HotSpot) see
     * the code as hot.
     */
    public static final long SLICE = 8192;
    /** Page entries plus backward branches inside a page before its code is translated. */
    public static final int DEFAULT_THRESHOLD = 20000;

    private static Translator translator;
    private static int threshold = DEFAULT_THRESHOLD;

    // statistics, for the benchmark report
    public static long regions;
    public static long instructions;
    public static long failed;
    public static long nanos;
    /** Calls into translated code, and the instructions it ran. */
    public static long entries;
    public static long executed;

    private Jit() {
    }

    /**
     * Installs back end {@code t} ({@code null} turns translation off). {@code threshold} is how many
     * entries or backward branches a page sees before translation; 0 translates at first sight.
     * Takes effect for pages decoded from now on, so call it before running guests.
     */
    public static void install(Translator t, int threshold) {
        if (threshold < 0) {
            throw new IllegalArgumentException("negative JIT threshold " + threshold);
        }
        translator = t;
        Jit.threshold = threshold;
        regions = 0;
        instructions = 0;
        failed = 0;
        nanos = 0;
        entries = 0;
        executed = 0;
    }

    /** The installed back end, or null. */
    public static Translator translator() {
        return translator;
    }

    public static boolean enabled() {
        return translator != null;
    }

    public static int threshold() {
        return threshold;
    }

    /** The counter a fresh decode array starts with. */
    public static int counterStart() {
        return translator == null ? Integer.MAX_VALUE : Math.max(1, threshold);
    }

    /**
     * Called by the interpreter when the counter of page {@code pg} (decode array {@code ops},
     * its current decodes) ran out at offset {@code pos}: translates the region from there. Rare.
     */
    public static void hot(Hart h, Page pg, int[] ops, int pos) {
        ops[HOT] = counterStart();
        Translator t = translator;
        if (t == null || (ops[pos] & 0xff) == Op.JIT) {
            return;
        }
        PageCode pc = pg.jit;
        if (pc == null || pc.ops != ops) {
            pc = new PageCode(ops);
            pg.jit = pc;
        }
        if (pc.tried[pos >>> 1]) {
            return;
        }
        pc.tried[pos >>> 1] = true;
        long t0 = System.nanoTime();
        int max = t.maxInstructions();
        Region r = RegionBuilder.build(pg, ops, pc.plain, pos, max);
        Code c = r == null ? null : t.translate(r);
        while (c == null && r != null && r.instructions > 8) {
            // the back end may refuse a region as too big: try a smaller one
            max = r.instructions / 2;
            r = RegionBuilder.build(pg, ops, pc.plain, pos, max);
            c = r == null ? null : t.translate(r);
        }
        if (c == null) {
            failed++;
        } else {
            pc.install(r, c);
            regions++;
            instructions += r.instructions;
        }
        nanos += System.nanoTime() - t0;
    }
}
