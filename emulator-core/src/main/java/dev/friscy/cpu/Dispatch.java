package dev.friscy.cpu;

import dev.friscy.jit.Code;
import dev.friscy.jit.Jit;
import dev.friscy.jit.PageCode;
import dev.friscy.mem.AddressSpace;
import dev.friscy.mem.Page;

/**
 * Runs translated code from region to region: when a region leaves at a pc where another
 * translation starts, that one is called straight away, without going back through the
 * interpreter. The next region is found the way the interpreter finds an instruction (execute TLB,
 * the page's current decodes, their JIT pseudo-op), so unmapping, {@code mprotect}, stores to code,
 * {@code fence.i} and {@code riscv_flush_icache} stop chaining exactly as they stop the interpreter.
 *
 * <p>A back end may also call out of a region into the code it leaves for ({@link #link}): the
 * region keeps its host frame, the callee chains on from region to region until the guest comes
 * back to the caller's page (a call returning, a loop that spans pages), and the caller goes on
 * where it was left, without returning here and being entered again. That keeps the short calls of
 * call-heavy loops (qsort's comparator, the end of a loop in the next page) off this loop.
 */
public final class Dispatch {
    private static final int TLB_MASK = AddressSpace.TLB_MASK;
    /** The most call-outs active at once on one hart (guest recursion beyond it just exits). */
    public static final int MAX_LINK_DEPTH = 8;

    private Dispatch() {
    }

    /**
     * Runs translated code from {@code h.pc}, a JIT entry, while the next pc is one too. Returns the
     * budget left and adds what ran to {@code h.instret}; {@code h.jitExit} says how it stopped
     * ({@link Jit#EXIT_CONTINUE}: keep interpreting at {@code h.pc}). Returns {@code left} unchanged
     * only if nothing at all ran.
     */
    static long run(Hart h, long left) {
        AddressSpace as = h.as;
        long[] xTag = as.xTag;
        Page[] xPage = as.xPage;
        long start = left;
        h.jitExit = Jit.EXIT_CONTINUE;
        h.linkDepth = 0;
        PageCode last = null;
        // with less than a region may need left, the interpreter finishes the budget (Cpu.run,
        // which calls here only with more): a region would most likely not start, and trying
        // costs a round trip each
        long tail = Jit.plainTail;
        while (left > 0 && left >= tail) {
            long pc = h.pc;
            long vpn = pc >>> Page.SHIFT;
            int xi = (int) vpn & TLB_MASK;
            if (xTag[xi] != vpn) {
                break; // the interpreter does the page lookup and its checks
            }
            Page pg = xPage[xi];
            int[] ops = pg.decodedOps;
            int pos = (int) pc & (Page.SIZE - 1);
            if (ops == null || pg.decodeEpoch != Cpu.codeEpoch) {
                break;
            }
            PageCode jc = pg.jit;
            if ((ops[pos] & 0xff) != Op.JIT) {
                // the region just run left for untranslated code of its own page (Jit.followExits)
                if (jc == last && jc != null && Jit.followsExits() && jc.ops == ops) {
                    Jit.arrived(pg, ops, pos, Jit.LINK_THRESHOLD);
                }
                break;
            }
            if (jc == null || jc.ops != ops) {
                break;
            }
            if (left != start) {
                Jit.chained++; // a region entered straight from another one
            }
            int e = ops[pos + 1];
            // at most Jit.slice at a time (on the JVM): a call that loops for long would run in the host's
            // bytecode interpreter until the host compiles loops on stack (OSR) very late
            long slice = Jit.slice;
            long give = left < slice ? left : slice;
            Code code = jc.codes[e & 0xffff];
            last = jc;
            int misses = code.misses;
            long l = code.run(h, e >>> 16, give) + (left - give);
            if (code.misses != misses) {
                last = null; // the access left to the interpreter is not code to translate
                if (code.misses >= Jit.MISS_BATCH) {
                    Jit.missed(jc, e & 0xffff, h.instret + start - l);
                }
            }
            long ran = left - l;
            Jit.entries++;
            code.ran += ran;
            if (++code.calls == Jit.REVIEW) {
                Jit.review(jc, e & 0xffff);
            }
            left = l;
            if (ran == 0 || h.jitExit != Jit.EXIT_CONTINUE) {
                break;
            }
        }
        Jit.executed += start - left;
        h.instret += start - left;
        return left;
    }

    /**
     * A call out of translated code running in the page at {@code callerVpn}, which has left with
     * {@link Jit#EXIT_CONTINUE}, every register in {@code h.x} and {@code h.pc} the next
     * instruction: runs translated code from there, region to region, until the pc comes back to
     * the caller's page or the page of any caller further out (or needs the interpreter, or the
     * budget is spent, or a fault). Returns the budget left ({@code left} itself when nothing ran;
     * then the caller just returns). Entries made here are not reviewed (see {@link Jit#review}):
     * code called from translated code runs few instructions per call by nature. A pc that is
     * not translated yet counts towards translating it ({@link Jit#linked}) if {@code counts} (the
     * caller was not itself translated for being called).
     */
    public static long link(Hart h, long left, long callerVpn, boolean counts) {
        int depth = h.linkDepth;
        if (depth >= MAX_LINK_DEPTH) {
            return left;
        }
        AddressSpace as = h.as;
        long[] xTag = as.xTag;
        Page[] xPage = as.xPage;
        long[] stop = h.linkVpn;
        stop[depth] = callerVpn;
        h.linkDepth = depth + 1;
        outer:
        while (left > 0) {
            long pc = h.pc;
            long vpn = pc >>> Page.SHIFT;
            for (int i = depth; i >= 0; i--) {
                if (stop[i] == vpn) {
                    Jit.linkReturns++;
                    break outer; // back in a caller's page: it goes on from here
                }
            }
            int xi = (int) vpn & TLB_MASK;
            if (xTag[xi] != vpn) {
                break;
            }
            Page pg = xPage[xi];
            int[] ops = pg.decodedOps;
            if (ops == null || pg.decodeEpoch != Cpu.codeEpoch) {
                break;
            }
            int pos = (int) pc & (Page.SIZE - 1);
            if ((ops[pos] & 0xff) != Op.JIT) {
                if (counts) {
                    Jit.arrived(pg, ops, pos, Jit.LINK_THRESHOLD);
                }
                break;
            }
            PageCode jc = pg.jit;
            if (jc == null || jc.ops != ops) {
                break;
            }
            int e = ops[pos + 1];
            Code code = jc.codes[e & 0xffff];
            long l = code.run(h, e >>> 16, left);
            if (code.misses >= Jit.MISS_BATCH) {
                Jit.missed(jc, e & 0xffff, h.instret);
            }
            Jit.entries++;
            Jit.chained++;
            if (l == left || h.jitExit != Jit.EXIT_CONTINUE) {
                left = l;
                break;
            }
            left = l;
        }
        h.linkDepth = depth;
        return left;
    }

    /**
     * True if {@code pc} is in the page of the innermost call out waiting on this hart: a region
     * called by {@link #link} that leaves for it (a return) goes back at once, without calling
     * {@link #link} only for it to find that out. Other cases (a caller further out) go through
     * {@link #link}.
     */
    public static boolean returning(Hart h, long pc) {
        int d = h.linkDepth;
        if (d > 0 && h.linkVpn[d - 1] == pc >>> Page.SHIFT) {
            Jit.linkReturns++;
            return true;
        }
        return false;
    }

    /** True while {@code ops} are page {@code pg}'s current decodes (no store, fence.i or flush since). */
    public static boolean current(Page pg, int[] ops) {
        return pg.decodedOps == ops && pg.decodeEpoch == Cpu.codeEpoch;
    }
}
