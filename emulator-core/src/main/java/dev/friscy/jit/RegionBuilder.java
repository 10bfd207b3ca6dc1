package dev.friscy.jit;

import dev.friscy.cpu.Helpers;
import dev.friscy.cpu.Op;
import dev.friscy.mem.Page;

/**
 * Builds a {@link Region} from the decoded instructions of one page, starting at a hot offset and
 * following in-page branches and fall-through until the back end's instruction limit.
 */
public final class RegionBuilder {
    private RegionBuilder() {
    }

    /**
     * The region reachable from {@code entry} in page {@code pg}, whose decode array is {@code ops}
     * ({@code plain} holds the originals of JIT-patched slots, or is null); null if the
     * instruction at {@code entry} cannot be translated. Undecoded slots it walks over are decoded
     * into {@code ops} on the way.
     */
    public static Region build(Page pg, int[] ops, int[] plain, int entry, int maxInstructions) {
        return build(pg, ops, plain, entry, maxInstructions, false);
    }

    /**
     * As {@link #build(Page, int[], int[], int, int)}; with {@code loopOnly}, just the blocks on a
     * cycle through the entry (see {@link #loop}), and null if the entry is on none.
     */
    public static Region build(Page pg, int[] ops, int[] plain, int entry, int maxInstructions, boolean loopOnly) {
        return build(pg, ops, plain, entry, maxInstructions, loopOnly, false, false);
    }

    /**
     * As {@link #build(Page, int[], int[], int, int, boolean)}; with {@code calledOnly}, only
     * what control flow reaches from the entry: nothing after a jump that does not return
     * ({@code ret}, a tail call, {@code j}), which is usually the next function. With
     * {@code innerLoops} (and {@code loopOnly}): when the entry is on no cycle, the first loop
     * reachable from it, entered at its head, instead of nothing.
     */
    public static Region build(Page pg, int[] ops, int[] plain, int entry, int maxInstructions, boolean loopOnly,
            boolean calledOnly, boolean innerLoops) {
        return build(pg, ops, plain, entry, maxInstructions, loopOnly, calledOnly, innerLoops, false);
    }

    /**
     * As {@link #build(Page, int[], int[], int, int, boolean, boolean, boolean)}; with
     * {@code callsReturn} (and {@code innerLoops}), a call out of the page is not a way back into
     * the loop, only its return is (see {@link #loop(Region, boolean, boolean)}).
     */
    public static Region build(Page pg, int[] ops, int[] plain, int entry, int maxInstructions, boolean loopOnly,
            boolean calledOnly, boolean innerLoops, boolean callsReturn) {
        return build(pg, ops, plain, null, null, null, entry, maxInstructions, loopOnly, calledOnly, innerLoops,
                callsReturn);
    }

    /**
     * As {@link #build(Page, int[], int[], int, int, boolean, boolean, boolean, boolean)}; with
     * {@code pg2} (the next page, its current decodes {@code ops2} and their originals
     * {@code plain2}, or null), the region may run on into that page (see {@link Region#page2}):
     * its offsets there are {@link Page#SIZE} on.
     */
    public static Region build(Page pg, int[] ops, int[] plain, Page pg2, int[] ops2, int[] plain2, int entry,
            int maxInstructions, boolean loopOnly, boolean calledOnly, boolean innerLoops, boolean callsReturn) {
        int limit = pg2 == null ? Page.SIZE : 2 * Page.SIZE;
        int slots = limit / 2;
        int[] copy;
        if (pg2 == null) {
            copy = ops.clone();
        } else {
            copy = new int[limit + 2];
            System.arraycopy(ops, 0, copy, 0, Page.SIZE);
            System.arraycopy(ops2, 0, copy, Page.SIZE, Page.SIZE);
        }
        boolean[] leader = new boolean[slots + 1];
        boolean[] seen = new boolean[slots + 1];
        // block starts control flow gives (branch and jump targets, the instruction after one)
        boolean[] natural = new boolean[slots + 1];
        int[] work = new int[slots + 1];
        // a queue: blocks nearest the hot entry first, so a size limit cuts off the far ones
        int head = 0;
        int nwork = 0;
        int total = 0;
        leader[entry >>> 1] = true;
        work[nwork++] = entry;
        while (head < nwork && total < maxInstructions) {
            int p = work[head++];
            int q = p;
            while (q < limit && total < maxInstructions) {
                if (q != p && leader[q >>> 1]) {
                    break;
                }
                if (q == Page.SIZE && q != p) {
                    // the next page's code starts a block of its own: its entry checks that page
                    nwork = addLeader(limit, leader, natural, seen, work, nwork, q);
                    break;
                }
                if (seen[q >>> 1]) {
                    leader[q >>> 1] = true; // ran into the middle of a walked block: split it there
                    natural[q >>> 1] = true;
                    break;
                }
                int w = q < Page.SIZE ? word(pg, ops, plain, copy, q, 0)
                        : word(pg2, ops2, plain2, copy, q - Page.SIZE, Page.SIZE);
                int op = w & 0xff;
                if (Region.isStop(op)) {
                    if (op == Op.ECALL || op == Op.CSR || op == Op.FENCE_I || op == Op.EBREAK) {
                        // the interpreter runs it, then re-enters translated code after it
                        nwork = addLeader(limit, leader, natural, seen, work, nwork, q + (w >>> 29));
                    }
                    break;
                }
                seen[q >>> 1] = true;
                total++;
                int len = w >>> 29;
                if (Region.isBranch(op)) {
                    nwork = addLeader(limit, leader, natural, seen, work, nwork, q + copy[q + 1]);
                    nwork = addLeader(limit, leader, natural, seen, work, nwork, q + len);
                    break;
                }
                if (op == Op.JAL || op == Op.C_JAL) {
                    nwork = addLeader(limit, leader, natural, seen, work, nwork, q + copy[q + 1]);
                    // the return lands after the call: make it a block too
                    if (!calledOnly || ((w >>> 8) & 63) != 32) {
                        nwork = addLeader(limit, leader, natural, seen, work, nwork, q + len);
                    }
                    break;
                }
                if (op == Op.JALR || op == Op.C_JALR) {
                    if (!calledOnly || ((w >>> 8) & 63) != 32) {
                        nwork = addLeader(limit, leader, natural, seen, work, nwork, q + len);
                    }
                    break;
                }
                q += len;
            }
        }
        if (!seen[entry >>> 1]) {
            return null;
        }
        if (loopOnly && !natural[entry >>> 1] && fallsInto(copy, seen, entry)) {
            // a loop is noticed wherever the interpreter happened to be (the end of a time
            // slice): as a block start of its own, that place would split the loop's body and
            // give it a second entry, a loop HotSpot's C2 cannot optimize as one (an
            // irreducible loop: matmul's inner loop ran 2x slower). The interpreter runs on
            // to the next block start instead.
            leader[entry >>> 1] = false;
        }
        int nblocks = 0;
        for (int i = 0; i < slots; i++) {
            if (leader[i] && seen[i]) {
                nblocks++;
            }
        }
        int[] starts = new int[nblocks];
        int[] ends = new int[nblocks];
        int[] counts = new int[nblocks];
        int b = 0;
        int entryBlock = 0;
        for (int i = 0; i < slots; i++) {
            if (!leader[i] || !seen[i]) {
                continue;
            }
            int p = i << 1;
            int q = p;
            int n = 0;
            while (q < limit && seen[q >>> 1] && (q == p || !leader[q >>> 1])) {
                int w = copy[q];
                n++;
                q += w >>> 29;
                if (Region.isTransfer(w & 0xff)) {
                    break;
                }
            }
            if (p <= entry && entry < q) {
                entryBlock = b;
            }
            starts[b] = p;
            ends[b] = q;
            counts[b] = n;
            b++;
        }
        Region all = new Region(pg, ops, pg2, ops2, copy, starts, ends, counts, entryBlock);
        if (!loopOnly) {
            return all;
        }
        Region l = loop(all, innerLoops, callsReturn);
        if (l == null && innerLoops) {
            // entered on the way into a loop (a call returning before it, as in a merge loop
            // that calls its comparator): the first loop reachable from here, entered at its head
            for (int k = 0; k < nblocks && l == null; k++) {
                if (k != entryBlock && starts[k] < Page.SIZE) {
                    l = loop(new Region(pg, ops, pg2, ops2, copy, starts, ends, counts, k), true, callsReturn);
                }
            }
            if (l != null) {
                for (int s : l.starts) {
                    // (an entry in the next page belongs to a region of that page)
                    if (s < Page.SIZE && (ops[s] & 0xff) == Op.JIT) {
                        return null; // that loop is translated already
                    }
                }
            }
        }
        return l;
    }

    /**
     * The blocks of {@code r} that can reach its entry block again (through in-page branches,
     * fall-through, or a call returning to the instruction after it), with the entry; null if the
     * entry is on no cycle. Code that made a page hot by looping needs just its loop: the rest of
     * what is reachable in the page is mostly cold, and on the JVM every cold instruction costs
     * HotSpot compile time in every tier.
     */
    static Region loop(Region r) {
        return loop(r, false, false);
    }

    /**
     * As {@link #loop(Region)}; with {@code acrossPages}, a block that leaves for a fixed address
     * in another page (the end of the page, a branch or jump out of it) counts as coming back too:
     * a loop whose tail lies in the next page, or that calls out through a tail call, is still a
     * loop, which a back end that links its exits to the code they go to keeps running. With
     * {@code callsReturn}, a call out of the page does not count so: only the block its return
     * lands in does (a loop that calls out on most of its iterations: every block that can reach
     * a call out would join it otherwise).
     */
    static Region loop(Region r, boolean acrossPages, boolean callsReturn) {
        int n = r.starts.length;
        int[][] succ = new int[n][];
        for (int b = 0; b < n; b++) {
            succ[b] = successors(r, b, callsReturn);
        }
        // backward reachability to the entry, by fixed point (regions are small)
        boolean[] back = new boolean[n];
        boolean changed = true;
        boolean cycle = false;
        while (changed) {
            changed = false;
            for (int b = 0; b < n; b++) {
                if (back[b]) {
                    continue;
                }
                for (int s : succ[b]) {
                    if (s == r.entry || (s >= 0 && back[s]) || (s == OUT && acrossPages)) {
                        back[b] = true;
                        changed = true;
                        if (b == r.entry) {
                            cycle = true;
                        }
                        break;
                    }
                }
            }
        }
        if (!cycle) {
            return null;
        }
        int m = 0;
        for (int b = 0; b < n; b++) {
            if (back[b]) {
                m++;
            }
        }
        if (m == n) {
            return r;
        }
        int[] starts = new int[m];
        int[] ends = new int[m];
        int[] counts = new int[m];
        int entry = 0;
        int k = 0;
        for (int b = 0; b < n; b++) {
            if (back[b]) {
                if (b == r.entry) {
                    entry = k;
                }
                starts[k] = r.starts[b];
                ends[k] = r.ends[b];
                counts[k] = r.counts[b];
                k++;
            }
        }
        return new Region(r.page, r.pageOps, r.page2, r.pageOps2, r.ops, starts, ends, counts, entry);
    }

    /** Block indices block {@code b} of {@code r} can continue at (-1 where it leaves the region). */
    private static int[] successors(Region r, int b, boolean callsReturn) {
        int last = r.last(b);
        int w = r.ops[last];
        int op = w & 0xff;
        int next = r.ends[b];
        if (Region.isBranch(op)) {
            return new int[] {blockOf(r, last + r.ops[last + 1]), blockOf(r, next)};
        }
        if (op == Op.JAL || op == Op.C_JAL) {
            // a call comes back after itself, a plain jump does not
            int rd = (w >>> 8) & 63;
            int target = blockOf(r, last + r.ops[last + 1]);
            if (rd != 32) {
                return target == OUT && callsReturn ? new int[] {blockOf(r, next)} : new int[] {target, blockOf(r, next)};
            }
            return new int[] {target, -1};
        }
        if (op == Op.JALR || op == Op.C_JALR) {
            // a call (link register written) comes back after itself; a return does not
            int rd = (w >>> 8) & 63;
            return new int[] {rd != 32 ? blockOf(r, next) : -1};
        }
        return new int[] {blockOf(r, next)};
    }

    /** A successor at a fixed address outside the page (see {@link #loop(Region, boolean, boolean)}). */
    private static final int OUT = -2;

    private static int blockOf(Region r, int t) {
        return t >= 0 && t < r.limit() ? r.blockAt(t) : OUT;
    }

    private static int addLeader(int limit, boolean[] leader, boolean[] natural, boolean[] seen, int[] work, int nwork,
            int t) {
        if (t < 0 || t >= limit || (t & 1) != 0) {
            return nwork;
        }
        natural[t >>> 1] = true;
        if (leader[t >>> 1]) {
            return nwork;
        }
        leader[t >>> 1] = true;
        if (!seen[t >>> 1]) {
            work[nwork++] = t;
        }
        return nwork;
    }

    /**
     * True if a walked instruction that does not transfer control ends right at {@code pos}, so
     * that the interpreter, started at {@code pos}'s block, would run into it.
     */
    private static boolean fallsInto(int[] copy, boolean[] seen, int pos) {
        for (int len = 2; len <= 4; len += 2) {
            int q = pos - len;
            if (q >= 0 && seen[q >>> 1] && copy[q] >>> 29 == len && !Region.isTransfer(copy[q] & 0xff)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The original decoded word at {@code q} of page {@code pg}, decoding the slot first if
     * needed; kept in {@code copy} at {@code at + q}.
     */
    private static int word(Page pg, int[] ops, int[] plain, int[] copy, int q, int at) {
        int w = ops[q];
        if ((w & 0xff) == Op.UNDECODED) {
            Helpers.decode(pg, ops, q);
            w = ops[q];
            copy[at + q + 1] = ops[q + 1];
        } else if ((w & 0xff) == Op.JIT && plain != null) {
            w = plain[q];
            copy[at + q + 1] = plain[q + 1];
            if ((w & 0xff) == Op.UNDECODED) {
                return Op.UNDECODED; // cannot happen: a slot is decoded before it is patched
            }
        } else if ((w & 0xff) == Op.JIT) {
            return Op.JIT; // no originals given: a stop
        }
        copy[at + q] = w;
        return w;
    }
}
