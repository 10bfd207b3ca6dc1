package dev.friscy.jit;

import dev.friscy.cpu.Dispatch;
import dev.friscy.cpu.Hart;
import dev.friscy.cpu.Op;
import dev.friscy.mem.AddressSpace;
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
    /** Where a decode array counts entries into its page (from the interpreter's page lookup). */
    public static final int ENTRIES = Page.SIZE + 2;
    /**
     * Where a decode array counts calls from translated code that found no translation in its
     * page (see {@link #linked}).
     */
    public static final int LINKS = Page.SIZE + 3;
    /**
     * Where a decode array counts the exits into it within the current window of guest
     * instructions (see {@link #arrivedInBursts}): the window's number in the high bits, the
     * count in the low {@link #BURST_BITS}.
     */
    public static final int BURST = Page.SIZE + 4;
    static final int BURST_BITS = 20;
    /** The length of a decode array: a slot per byte of the page, RELOAD, HOT, ENTRIES, LINKS, BURST. */
    public static final int OPS_LENGTH = Page.SIZE + 5;
    /** Calls from translated code into a page's untranslated code before it is translated. */
    public static final int LINK_THRESHOLD = 256;
    /**
     * Backward branches a page must see per entry into it, on average since its counter was last
     * reset, for its code to be translated. Call-heavy code (a shell, node's start-up) enters a
     * page, runs a loop a few times and leaves: translated, such code runs a few instructions per
     * call, and the class HotSpot compiles for it costs more than it saves.
     */
    public static int minLoop = 64;
    /**
     * Past a threshold, translate only the loop a hot page was entered in (see
     * {@link RegionBuilder#loop}). Both this and {@link #minLoop} suit HotSpot, where every
     * translated instruction costs compile time in two tiers; a back end whose code is cheap to
     * compile may want more (0 and false take everything reachable, as at threshold 0).
     */
    public static boolean loopsOnly = true;
    /**
     * Page entries per 100 backward branches a loop that calls out of its page each time round
     * may have, at most (see {@link #hot}).
     */
    public static final int CALL_LOOP_ENTRIES = 400;
    /**
     * Page entries per 100 backward branches such a loop must have, at least: a call and its
     * return each time round, and more (qsort's merge loop: 260). busybox sh's evaluation loops,
     * which call out less often (10-190), made the shell loop 2x slower when translated with what
     * they call.
     */
    public static final int CALL_LOOP_MIN_ENTRIES = 200;
    /**
     * The other kind of calling loop: one that runs long once entered and calls out of its page
     * on most, not all, of its iterations, so that returns enter its page less often than it
     * loops, from {@link #LONG_LOOP_MIN_ENTRIES} up to (not including) this many entries per 100
     * backward branches. libgcc's walk over the frame description entries, which every static
     * glibc program runs at start-up to register its unwind table (240 k instructions, 85% of a
     * fork+exec+wait of busybox true), has 67: two calls to the pointer decoder in the page before
     * per 3 backward branches. Its region is built with calls out as calls, not ways back into
     * the loop ({@link RegionBuilder#build(dev.friscy.mem.Page, int[], int[], int, int, boolean,
     * boolean, boolean, boolean)}); the shell's evaluation loops, built so, shrink below
     * {@link #CALL_LOOP_MAX} and slow the shell loop down, but they are entered more often than
     * they loop (140-390 here). The window reaches past 100 for the commonest calling loop of
     * all, one call each time round: glibc's merge loop, when all of it lies in one page, has
     * 102 (one comparator call per merge step), and between the two windows it stayed
     * interpreted (qsort about 2x slower than with the loop spread over two pages).
     */
    public static final int LONG_LOOP_ENTRIES = 120;
    /** See {@link #LONG_LOOP_ENTRIES}. */
    public static final int LONG_LOOP_MIN_ENTRIES = 50;
    /**
     * The most instructions a calling loop may have (qsort's merge loop with its tail: 157; the
     * frame-description walk: 186): the shell's evaluation loops (300+) call out to many places,
     * whose code then gets translated too.
     */
    public static final int CALL_LOOP_MAX = 200;
    /**
     * The most instructions of a calling loop that runs on into the next page (see
     * {@link Region#page2}; one that does is taken without a call too, since crossing into the
     * next page and back enters its page as a call's return does). Code in the next page brings
     * its own ways back into the loop: glibc's merge loop grows from 157 instructions to 319 with
     * the other element sizes' loops, which its tail in the next page also jumps to.
     */
    public static final int SPAN_LOOP_MAX = 2 * CALL_LOOP_MAX;
    /** Times a page with such a loop must reach the threshold before it is translated. */
    public static final int CALL_LOOP_ROUNDS = 8;
    /**
     * With {@link #countEntries}: times a page whose loops run too few times per entry for the
     * loop policy (and are no calling loop) must reach the threshold before what is reachable
     * from its hot entry is translated, as for a page hot by entries. busy code of a long run (a
     * shell's evaluation: loops of ~12 rounds over its words, in code called ~40 times per
     * line) comes back hot again and again; a short program's start-up does not.
     */
    public static int busyRounds = 64;
    /** Regions translated as busy code (see {@link #busyRounds}). */
    public static long busyRegions;
    /**
     * The most budget one call into translated code gets. Returning to the interpreter every few
     * thousand instructions costs little and lets hosts that compile by call counts (HotSpot) see
     * the code as hot.
     */
    public static final long SLICE = 8192;
    /**
     * With less budget than this left at an entry whose region would not start (it needs its
     * whole length in budget), the interpreter runs the rest of the budget in that page
     * ({@code Cpu.run}): the back end's largest region, set by {@link #install}.
     */
    public static int plainTail;
    /** The installed back end's {@link Translator#slice}. */
    public static long slice = SLICE;
    /**
     * Calls after which a translation is reviewed (see {@link #review}): early, before HotSpot
     * compiles its class (a few hundred calls), so that code given back costs no compile time.
     */
    public static final int REVIEW = 128;
    /** Reviews a translation that calls out ({@link Code#linking}) gets before it is judged. */
    public static final int LINK_REVIEWS = 16;
    /**
     * Instructions a call must run on average for a translation to pay for its entry and exit
     * (registers in and out); below this the interpreter does as well and the code is dropped.
     */
    public static final int MIN_RUN = 64;
    /**
     * What {@link #review} holds translations to: {@link #MIN_RUN} by default; a back end whose
     * entries cost less, or whose regions run on into each other without returning, may lower it
     * (0: never drop).
     */
    public static int minRun = MIN_RUN;
    /**
     * If true, code {@link #review} gave back is not given up: the next hot event at one of its
     * entries patches it in again for another review (no new translation). Where regions run on
     * into each other (the Worker's link cells), code that ran little per call while its
     * neighbours were still interpreted often runs long once they are translated too.
     */
    public static boolean reinstate;
    /**
     * If not 0: the counter a page that already has translations is armed with after a hot event,
     * instead of the threshold. A page that was hot once is usually entered at several places (a
     * file's functions): this way its other entries need fewer entries each to be translated.
     */
    public static int rehot;
    /** Codes patched in again by {@link #reinstate}. */
    public static long reinstated;
    /** Taken backward branches inside a page before its code is translated. */
    public static final int DEFAULT_THRESHOLD = 50000;

    /**
     * What a page entry adds to its page's counter: 0, so only loops (taken backward branches in
     * a page) make code hot - translated code leaving after a few instructions, as call-heavy code
     * does, loses to the interpreter on the JVM - except at threshold 0, where everything counts.
     */
    public static int entryCost;
    /**
     * What a taken backward branch inside a page takes off its counter: 1, unless
     * {@link #countEntries} made entries count too.
     */
    public static int loopCost = 1;
    /** Page entries that make a page hot on their own (see {@link #countEntries}); 0: only loops do. */
    public static int hotEntries;

    private static Translator translator;
    private static int threshold = DEFAULT_THRESHOLD;

    // statistics, for the benchmark report
    public static long regions;
    public static long instructions;
    public static long failed;
    public static long nanos;
    /** Bytes of the class files the JVM back end made (its compile cost grows with them). */
    public static long codeBytes;
    /** Calls into translated code, and the instructions it ran. */
    public static long entries;
    public static long executed;
    /** Of {@link #entries}, those made straight from another region, without the interpreter. */
    public static long chained;

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
        plainTail = t == null ? 0 : t.maxInstructions();
        slice = t == null ? SLICE : t.slice();
        entryCost = t != null && threshold == 0 ? 1 : 0;
        loopCost = 1;
        hotEntries = 0;
        regions = 0;
        instructions = 0;
        failed = 0;
        nanos = 0;
        codeBytes = 0;
        entries = 0;
        executed = 0;
        chained = 0;
        dropped = 0;
        reinstated = 0;
        linkedRegions = 0;
        linkReturns = 0;
        busyRegions = 0;
        remade = 0;
    }

    /** Misses of a translation (see {@link Code#misses}) looked at together. */
    public static final int MISS_BATCH = 64;
    /**
     * Instructions per miss below which a translation's misses cost more than its slow paths in
     * line would: each one leaves the region and interprets up to the next entry.
     */
    public static final long MISS_RUN = 4096;
    /** Translations made again with their slow paths in line (see {@link #missed}). */
    public static long remade;

    /**
     * Called when code {@code idx} of {@code pc} has left {@link #MISS_BATCH} accesses to the
     * interpreter; {@code now} is the hart's instruction count. If that took fewer than
     * {@link #MISS_RUN} instructions each (data spread over more pages than the TLB holds,
     * misaligned accesses), the code is translated again with the slow paths in line.
     */
    public static void missed(PageCode pc, int idx, long now) {
        Code c = pc.codes[idx];
        long span = now - c.missMark;
        c.misses = 0;
        c.missMark = now;
        if (span >= MISS_BATCH * MISS_RUN || translator == null) {
            return;
        }
        Code again = translator.withoutMissExits(c);
        if (trace) {
            System.err.println("jit misses: " + MISS_BATCH + " in " + span + " instructions" + (again == null ? "" : ", made again"));
        }
        if (again != null) {
            again.calls = c.calls;
            again.ran = c.ran;
            again.linking = c.linking;
            again.called = c.called;
            again.reviews = c.reviews;
            pc.codes[idx] = again;
            remade++;
        }
    }

    /** Translations given back to the interpreter for running too little per call. */
    public static long dropped;
    /**
     * Sets policy knob {@code name} to {@code v}, for measuring (the JVM's -Dfriscy.jit.tune, the
     * Worker's jitTune): entryCost, minLoop, loopsOnly (0/1), minRun, reinstate (0/1), rehot,
     * countEntries, busyRounds, trace (0/1). After {@link #install}. False if there is no such knob.
     */
    public static boolean tune(String name, int v) {
        switch (name) {
            case "entryCost": entryCost = v; break;
            case "minLoop": minLoop = v; break;
            case "loopsOnly": loopsOnly = v != 0; break;
            case "minRun": minRun = v; break;
            case "reinstate": reinstate = v != 0; break;
            case "rehot": rehot = v; break;
            case "countEntries": countEntries(v); break;
            case "busyRounds": busyRounds = v; break;
            case "plainTail": plainTail = v; break;
            case "slice": slice = v; break;
            case "trace": trace = v != 0; break;
            default: return false;
        }
        return true;
    }

    /** Print each hot page, region and review to stderr (the JVM command line sets it from -Dfriscy.jit.trace). */
    public static boolean trace;

    /**
     * Called by the dispatcher when code {@code idx} of {@code pc} has been called {@link #REVIEW}
     * times: code that leaves after a few instructions each time (calls and returns across pages)
     * costs more than it saves, so its entries go back to the interpreter (and are not tried again).
     */
    public static void review(PageCode pc, int idx) {
        Code c = pc.codes[idx];
        if (c.called) {
            return; // it is there for translated code's calls, which are not counted here
        }
        if (trace) {
            System.err.println("jit review: " + c.calls + " calls ran " + c.ran + " (" + (c.ran / c.calls) + " per call)"
                    + (c.ran >= (long) minRun * c.calls ? "" : c.linking && c.reviews < LINK_REVIEWS ? " (again later)" : " DROP"));
        }
        if (c.ran < (long) minRun * c.calls && c.linking && c.reviews++ < LINK_REVIEWS) {
            // its calls out may not all have found translated code yet (see #linked): look again
            c.calls = 0;
            c.ran = 0;
            return;
        }
        if (c.ran < (long) minRun * c.calls) {
            pc.uninstall(idx);
            dropped++;
        }
    }

    /**
     * Whether translated code that leaves its region for untranslated code of its own page
     * ({@code Dispatch.run} sees it) counts towards translating that code, as calls out do
     * ({@link #linked}), for a back end that links calls. A recursive function (glibc's merge
     * sort) returns into itself in the middle of a caller's code that no loop made hot: its
     * merge loop was translated, the code between the recursive calls stayed interpreted, 27 M
     * of qsort's 464 M instructions in 327 k visits of ~80 each. Only exits into the region's own
     * page count: following exits into other pages gave a busybox start-up many small regions
     * and made fork+exec+wait 1.5x slower.
     */
    public static boolean followExits = true;

    /** See {@link #followExits}. */
    public static boolean followsExits() {
        return followExits && translator != null && translator.linksCalls();
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

    /**
     * The counter a fresh decode array starts with: 0, so that its first entry calls {@link #hot},
     * which arms it with {@link #counterStart}. That way the interpreter's check of the counter is
     * taken from the first page on, with the translator on or off: a branch C2 never saw taken,
     * first taken when a counter ran out, deoptimized and recompiled the whole interpreter.
     */
    public static final int ARM = 0;

    /**
     * After {@link #install} with a threshold above 0: makes a page hot after {@code entries}
     * entries too, as well as after the threshold's backward branches (each now takes
     * {@code entries / threshold} off the counter, an entry 1). A page hot that way, mostly from
     * entries, is code the guest calls again and again: a shell's evaluation, its allocator and
     * string functions, a few dozen instructions per call. Translated alone, such code loses to
     * the interpreter (registers in and out at every call); translated together with what calls
     * it and what it calls, linked region to region, it wins once the run is long enough: busybox
     * sh's 100k loop runs 65% of its instructions translated, ~30 per entry, in 0.67x the time.
     * Short programs whose code is hot only briefly (node's start-up) must not pay HotSpot's
     * compile time for it (translating all such code made node -e 1.4x slower), hence the weight
     * and {@link #busyRounds}.
     */
    public static void countEntries(int entries) {
        if (threshold == 0 || entries <= 0) {
            return;
        }
        entryCost = 1;
        loopCost = Math.max(1, entries / threshold);
        hotEntries = loopCost * threshold;
    }

    /** What a counter is set to when armed: backward branches (and entries) until {@link #hot}. */
    public static int counterStart() {
        return translator == null ? Integer.MAX_VALUE : Math.max(1, hotEntries > 0 ? hotEntries : threshold);
    }

    /** Regions translated because translated code called them (see {@link #linked}). */
    public static long linkedRegions;
    /** Calls out of translated code that came back to a caller's page (see {@code Dispatch.link}). */
    public static long linkReturns;

    /**
     * Called by a back end that links translated code to translated code (the JVM's, through
     * {@code Dispatch.link}) when calls out of translated code into page {@code pg} (decode array
     * {@code ops}, its current decodes) found no translation {@link #LINK_THRESHOLD} times; the
     * latest was at offset {@code pos}. Code that hot translated code keeps calling is hot by
     * definition, however little it runs per call (a comparator, the tail of a loop that crosses
     * into the next page): translates what is reachable from {@code pos}, up to
     * {@link Translator#maxLinked()} instructions. Rare.
     */
    /**
     * Translated code arrived at untranslated offset {@code pos} of page {@code pg} (decode array
     * {@code ops}, its current decodes): counts it in the decode array, and every
     * {@code threshold}th time (0: never) translates from there ({@link #linked}).
     */
    public static void arrived(Page pg, int[] ops, int pos, int threshold) {
        if (threshold > 0 && ops.length > LINKS && ++ops[LINKS] >= threshold) {
            ops[LINKS] = 0;
            linked(pg, ops, pos);
        }
    }

    /**
     * As {@link #arrived} with {@code threshold}, and also translates when {@code burst} such
     * arrivals come within one window of {@code 1 << windowShift} guest instructions ({@code
     * clock}: instructions run so far): code a long run keeps leaving for, at a rate a start-up's
     * one-off exits into cold code do not reach.
     */
    public static void arrivedInBursts(Page pg, int[] ops, int pos, int threshold, int burst, long clock, int windowShift) {
        if (ops.length <= BURST) {
            return;
        }
        int window = (int) (clock >>> windowShift) & ((1 << (32 - BURST_BITS)) - 1);
        int v = ops[BURST];
        int n = (v >>> BURST_BITS) == window ? (v & ((1 << BURST_BITS) - 1)) + 1 : 1;
        boolean translate = burst > 0 && n >= burst;
        // after a translation the window counts afresh
        ops[BURST] = window << BURST_BITS | (translate ? 0 : Math.min(n, (1 << BURST_BITS) - 1));
        if (translate) {
            ops[LINKS] = 0;
            linked(pg, ops, pos);
            return;
        }
        arrived(pg, ops, pos, threshold);
    }

    public static void linked(Page pg, int[] ops, int pos) {
        Translator t = translator;
        if (t == null || (ops[pos] & 0xff) == Op.JIT) {
            return;
        }
        PageCode pc = pg.jit;
        if (pc == null || pc.ops != ops) {
            pc = new PageCode(ops);
            pg.jit = pc;
        }
        if (reinstate && pc.reinstate(pos, true)) {
            // given back by a review of its entries from the interpreter; translated code's
            // calls into it are what counts now (busybox sh's loop left its regions for such an
            // entry 13 k times)
            reinstated++;
            return;
        }
        if (pc.tried[pos >>> 1]) {
            return;
        }
        long t0 = System.nanoTime();
        pc.tried[pos >>> 1] = true;
        Region r = RegionBuilder.build(pg, ops, pc.plain, pos, t.maxLinked(), false, true, false);
        if (r != null) {
            r.called = true;
            if (t.fewEntries()) {
                r.keepEntries();
            }
        }
        Code c = r == null ? null : t.translate(r);
        if (trace) {
            System.err.println("jit linked region at +" + Integer.toHexString(pos) + ": "
                    + (r == null ? "none" : r.instructions + " instructions") + (c == null ? ", refused" : ""));
        }
        if (c == null) {
            failed += r == null ? 0 : 1;
        } else {
            c.called = true;
            pc.install(r, c);
            regions++;
            linkedRegions++;
            instructions += r.instructions;
        }
        nanos += System.nanoTime() - t0;
    }

    private static Code translate(Translator t, Region r) {
        if (t.fewEntries()) {
            r.keepEntries();
        }
        return t.translate(r);
    }

    /**
     * Called by the interpreter when the counter of page {@code pg} (decode array {@code ops},
     * its current decodes) ran out at offset {@code pos}: translates the region from there. Rare.
     */
    public static void hot(Hart h, Page pg, int[] ops, int pos, long vpn) {
        // the interpreter took entryCost off before calling
        boolean fresh = ops[HOT] == ARM - entryCost && ops.length > ENTRIES && ops[ENTRIES] == 1;
        ops[HOT] = counterStart();
        int entries = 0;
        if (ops.length > ENTRIES) {
            entries = ops[ENTRIES];
            ops[ENTRIES] = 0;
        }
        if (fresh && threshold > 0) {
            return; // the first entry into a fresh decode array only arms its counter (see ARM)
        }
        PageCode known = pg.jit;
        if (rehot > 0 && known != null && known.ops == ops && known.count > 0) {
            ops[HOT] = Math.min(ops[HOT], rehot);
        }
        Translator t = translator;
        if (t == null || (ops[pos] & 0xff) == Op.JIT) {
            return;
        }
        // the loop policy is for back ends where only loops make code hot (entryCost 0): one that
        // counts page entries too (the Worker's, whose regions chain cheaply) takes what it gets.
        // With countEntries, the counter went from hotEntries to 0 by entries (1 each) and
        // backward branches (loopCost each): a page hot mostly from entries is busy code (see
        // busyRounds); the loop policy judges the others by the loops they made
        boolean loops = threshold > 0 && (entryCost == 0 || hotEntries > 0);
        long loopsSeen = threshold;
        boolean byEntries = false;
        boolean busy = false;
        if (loops && hotEntries > 0) {
            if ((long) entries * 2 >= hotEntries) {
                loops = false;
                byEntries = true;
                busy = true;
            } else {
                loopsSeen = Math.max(1, (hotEntries - entries) / loopCost);
            }
        }
        if (trace) {
            System.err.println("jit hot: " + "page " + Long.toHexString(vpn << 12) + " +" + Integer.toHexString(pos)
                    + ": page entered " + entries + " times for " + (byEntries ? "~" + Math.max(0, (hotEntries - entries) / loopCost) : loopsSeen) + " loops"
                    + (byEntries ? " (hot by entries)" : ""));
        }
        // a loop that calls out of its page each time round (a merge loop and its comparator)
        // enters its page again with every return: for a back end that links calls, taken if
        // the page is entered CALL_LOOP_MIN_ENTRIES to CALL_LOOP_ENTRIES times per 100 loops, or
        // LONG_LOOP_MIN_ENTRIES to LONG_LOOP_ENTRIES (a loop that runs a few times per entry,
        // as a shell's do, is not), the loop found has a call in it and is small enough
        boolean calling = false;
        boolean longLoop = false;
        boolean links = t.linksCalls();
        if (loops && (long) entries * minLoop > loopsSeen) {
            long per100 = (long) entries * 100;
            longLoop = per100 >= LONG_LOOP_MIN_ENTRIES * loopsSeen
                    && per100 < LONG_LOOP_ENTRIES * loopsSeen;
            if (!links || !longLoop && (per100 < CALL_LOOP_MIN_ENTRIES * loopsSeen
                    || per100 > CALL_LOOP_ENTRIES * loopsSeen)) {
                if (hotEntries == 0 || !links) {
                    return;
                }
                // short loops, entered often: see busyRounds
                busy = true;
                longLoop = false;
            } else {
                calling = true;
            }
        }
        PageCode pc = pg.jit;
        if (pc == null || pc.ops != ops) {
            pc = new PageCode(ops);
            pg.jit = pc;
        }
        if (reinstate && pc.reinstate(pos)) {
            reinstated++;
            return;
        }
        if (pc.tried[pos >>> 1]) {
            return;
        }
        if (busy) {
            if (!links || ++pc.busyRounds < busyRounds) {
                return;
            }
            loops = false;
            calling = false;
        }
        if (calling && ++pc.callingRounds < CALL_LOOP_ROUNDS) {
            // such a page must stay hot for longer: short-lived programs (a shell's start-up, run
            // again and again) have loops like that too, and would pay compile time for nothing
            return;
        }
        long t0 = System.nanoTime();
        int max = t.maxInstructions();
        // past a threshold, code is hot because it loops: translate the loop the page was entered
        // in, or nothing (a later count may find the page entered inside its loop)
        boolean loop = loops && loopsOnly;
        // a loop may run on into the next page if the back end allows it and that page is code
        // the hart can run now (in its execute TLB, decoded in the current epoch)
        Page pg2 = null;
        int[] ops2 = null;
        int[] plain2 = null;
        if (loop && t.spansPages()) {
            long v2 = vpn + 1;
            int xi = (int) v2 & AddressSpace.TLB_MASK;
            AddressSpace as = h.as;
            if (as.xTag[xi] == v2) {
                Page p2 = as.xPage[xi];
                int[] o2 = p2.decodedOps;
                if (p2 != pg && o2 != null && o2.length >= Page.SIZE && Dispatch.current(p2, o2)) {
                    pg2 = p2;
                    ops2 = o2;
                    PageCode c2 = p2.jit;
                    plain2 = c2 != null && c2.ops == o2 ? c2.plain : null;
                }
            }
        }
        Region r = RegionBuilder.build(pg, ops, pc.plain, pg2, ops2, plain2, pos, max, loop, false, calling, longLoop);
        if (trace && calling) {
            System.err.println("jit calling loop: entered " + entries + " times for " + loopsSeen + " loops: "
                    + (r == null ? "none" : r.instructions + " instructions" + (r.hasCall() ? ", calls to " + r.callTargets() : ", no call")));
        }
        if (r != null && calling && (!r.hasCall() && !r.spans()
                || r.instructions > (r.spans() ? SPAN_LOOP_MAX : CALL_LOOP_MAX))) {
            r = null;
        }
        if (r == null && calling && hotEntries > 0 && ++pc.busyRounds >= busyRounds) {
            // a calling loop too big to take alone (a shell's evaluation loop, 300+ instructions
            // calling out to a dozen places) that keeps coming back hot: busy code, as above
            busy = true;
            loop = false;
            calling = false;
            longLoop = false;
            pg2 = null;
            ops2 = null;
            plain2 = null;
            r = RegionBuilder.build(pg, ops, pc.plain, null, null, null, pos, max, false, false, false, false);
        }
        if (r == null && loop) {
            nanos += System.nanoTime() - t0;
            return;
        }
        pc.tried[pos >>> 1] = true;
        Code c = r == null ? null : translate(t, r);
        while (c == null && r != null && r.instructions > 8) {
            // the back end may refuse a region as too big: try a smaller one
            max = r.instructions / 2;
            r = RegionBuilder.build(pg, ops, pc.plain, pg2, ops2, plain2, pos, max, loop, false, calling, longLoop);
            c = r == null ? null : translate(t, r);
        }
        if (trace && r != null) {
            StringBuilder sb = new StringBuilder("jit region at +" + Integer.toHexString(pos) + ":");
            for (int b = 0; b < r.starts.length; b++) {
                sb.append(" [");
                for (int p = r.starts[b]; p < r.ends[b]; p += r.ops[p] >>> 29) {
                    sb.append(' ').append(r.ops[p] & 0xff);
                }
                sb.append(" ]");
            }
            System.err.println(sb);
        }
        if (c == null) {
            failed++;
        } else {
            pc.install(r, c);
            if (rehot > 0) {
                ops[HOT] = Math.min(ops[HOT], rehot);
            }
            regions++;
            if (busy) {
                busyRegions++;
            }
            instructions += r.instructions;
        }
        nanos += System.nanoTime() - t0;
    }
}
