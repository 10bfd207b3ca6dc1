package dev.friscy.jit;

import dev.friscy.cpu.Op;
import dev.friscy.mem.Page;

/**
 * The description of one region that every back end consumes: basic blocks inside one code page
 * (see the package documentation for the rules). Instructions are the interpreter's decoded form
 * ({@link Op}): for the instruction at byte offset {@code pos} of the page, the decoded word is
 * {@code ops[pos]} and its immediate {@code ops[pos + 1]}; its length is {@code Op.len(word)}.
 *
 * Block {@code i} holds the instructions from {@code starts[i]} up to (not including)
 * {@code ends[i]}, {@code counts[i]} of them. Its last instruction may be a branch, {@code jal} or
 * {@code jalr}; every other way of leaving a block continues at {@code ends[i]} (another block of
 * the region, or an exit to the interpreter). A branch or jump whose target is a block start of
 * this region stays in the region; any other target is an exit (targets outside the page
 * included). Addresses are page offsets: the page's virtual base is only known at run time.
 */
public final class Region {
    /** The code page. */
    public final Page page;
    /**
     * The page's live decode array the region was built from. While {@code page.decodedOps} is
     * still this array the region is valid; generated code compares the two after each store that
     * took the slow path (the store may have hit its own page) and exits if they differ.
     */
    public final int[] pageOps;
    /** Decoded instructions of the page (a private copy, without JIT pseudo-ops). */
    public final int[] ops;
    /** Block start offsets, ascending. */
    public final int[] starts;
    /** Offset just past each block's last instruction. */
    public final int[] ends;
    /** Instructions in each block (what entering it charges to the budget). */
    public final int[] counts;
    /** The block where the region became hot. */
    public final int entry;
    /** All instructions of the region. */
    public final int instructions;
    /**
     * True for a region translated because translated code called it ({@link Jit#linked}): its
     * own calls out do not make more code hot, so translation does not spread from a hot loop
     * through everything it reaches.
     */
    public boolean called;
    /**
     * The next page, when the region runs on into it (null: one page). Offsets from
     * {@link #PAGE_SIZE} up are that page's: a loop that straddles a page boundary (glibc's merge
     * loop) stays one region instead of crossing out and back every time round. Its decodes are
     * checked each time code of that page is reached (see {@code Rt.span}), since nothing else
     * ties the two pages: the next page may be unmapped, remapped or written meanwhile.
     */
    public final Page page2;
    /** The next page's live decode array the region was built from (see {@link #pageOps}). */
    public final int[] pageOps2;

    Region(Page page, int[] pageOps, int[] ops, int[] starts, int[] ends, int[] counts, int entry) {
        this(page, pageOps, null, null, ops, starts, ends, counts, entry);
    }

    Region(Page page, int[] pageOps, Page page2, int[] pageOps2, int[] ops, int[] starts, int[] ends, int[] counts,
            int entry) {
        this.page2 = page2;
        this.pageOps2 = pageOps2;
        this.page = page;
        this.pageOps = pageOps;
        this.ops = ops;
        this.starts = starts;
        this.ends = ends;
        this.counts = counts;
        this.entry = entry;
        int n = 0;
        for (int c : counts) {
            n += c;
        }
        this.instructions = n;
    }

    /**
     * The blocks code outside the region may enter (its JIT entries), or null: all of them. See
     * {@link #keepEntries}.
     */
    private boolean[] entries;

    /** True if code outside the region may enter block {@code b}. */
    public boolean isEntry(int b) {
        // only the region's own page can hold its entries
        return starts[b] < PAGE_SIZE && (entries == null || entries[b]);
    }

    /** True if some of the region's blocks are in the next page ({@link #page2}). */
    public boolean spans() {
        return page2 != null && starts[starts.length - 1] >= PAGE_SIZE;
    }

    /** Offsets below this may be blocks of the region: one page, or two (see {@link #page2}). */
    public int limit() {
        return page2 == null ? PAGE_SIZE : 2 * PAGE_SIZE;
    }

    /**
     * Limits the region's entries to the blocks where control comes in from outside by nature:
     * the one it became hot in, loop heads (the target of a jump from a block at or after them),
     * the block after a call (where the call returns) and the block after an instruction the
     * interpreter runs. Any other block is only reached from the blocks before it. On the JVM
     * that makes the region's loops ones with a single entry each, which C2 optimizes as loops:
     * a block entered from the method's switch in the middle of a loop makes it irreducible.
     * Code that arrives elsewhere is interpreted up to the next entry.
     */
    public void keepEntries() {
        boolean[] e = new boolean[starts.length];
        e[entry] = true;
        for (int b = 0; b < starts.length; b++) {
            int last = last(b);
            int w = ops[last];
            int op = w & 0xff;
            if (isBranch(op) || op == Op.JAL || op == Op.C_JAL) {
                int t = blockAt(last + ops[last + 1]);
                if (t >= 0 && t <= b) {
                    e[t] = true;
                }
            }
            int s = starts[b];
            for (int len = 2; len <= 4; len += 2) {
                int q = s - len;
                if (q < 0 || ops[q] >>> 29 != len) {
                    continue;
                }
                int before = ops[q] & 0xff;
                boolean call = (before == Op.JAL || before == Op.C_JAL || before == Op.JALR || before == Op.C_JALR)
                        && ((ops[q] >>> 8) & 63) != 32;
                if (call || before == Op.ECALL || before == Op.EBREAK || before == Op.CSR || before == Op.FENCE_I) {
                    e[b] = true;
                }
            }
        }
        entries = e;
    }

    /** The page offset of block {@code b}'s last instruction (the one that may end it). */
    public int last(int b) {
        int last = starts[b];
        for (int p = starts[b]; p < ends[b]; p += ops[p] >>> 29) {
            last = p;
        }
        return last;
    }

    /** True if a block ends in a call ({@code jal} or {@code jalr} that writes a link register). */
    public boolean hasCall() {
        for (int b = 0; b < starts.length; b++) {
            int w = ops[last(b)];
            int op = w & 0xff;
            if ((op == Op.JAL || op == Op.C_JAL || op == Op.JALR || op == Op.C_JALR) && ((w >>> 8) & 63) != 32) {
                return true;
            }
        }
        return false;
    }

    /**
     * The distinct places the region's calls go to: a direct call's target (a page offset, which
     * may lie outside the page), and one for every indirect call ({@code jalr}), whose target is
     * not known.
     */
    public int callTargets() {
        java.util.HashSet<Integer> targets = new java.util.HashSet<>();
        int indirect = 0;
        for (int b = 0; b < starts.length; b++) {
            int last = last(b);
            int w = ops[last];
            int op = w & 0xff;
            if (((w >>> 8) & 63) == 32) {
                continue;
            }
            if (op == Op.JAL || op == Op.C_JAL) {
                targets.add(last + ops[last + 1]);
            } else if (op == Op.JALR || op == Op.C_JALR) {
                indirect++;
            }
        }
        return targets.size() + indirect;
    }

    /** The index of the block starting at page offset {@code pos}, or -1. */
    public int blockAt(int pos) {
        int lo = 0;
        int hi = starts.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int s = starts[mid];
            if (s == pos) {
                return mid;
            }
            if (s < pos) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return -1;
    }

    /** True if {@code op} ends a block after itself (a branch or jump). */
    public static boolean isTransfer(int op) {
        return isBranch(op) || op == Op.JAL || op == Op.C_JAL || op == Op.JALR || op == Op.C_JALR;
    }

    /** True for the conditional branches (target = own offset + immediate). */
    public static boolean isBranch(int op) {
        switch (op) {
            case Op.BEQ:
            case Op.BNE:
            case Op.BLT:
            case Op.BGE:
            case Op.BLTU:
            case Op.BGEU:
            case Op.C_BEQ:
            case Op.C_BNE:
                return true;
            default:
                return false;
        }
    }

    /**
     * True if the interpreter must run {@code op} itself: it needs the kernel, the exact retired
     * count, a new code epoch, or it is not a whole instruction of this page.
     */
    public static boolean isStop(int op) {
        switch (op) {
            case Op.UNDECODED:
            case Op.RELOAD:
            case Op.CROSS:
            case Op.ILLEGAL:
            case Op.ECALL:
            case Op.EBREAK:
            case Op.CSR:
            case Op.FENCE_I:
            case Op.JIT:
                return true;
            default:
                return false;
        }
    }

    /** Page size, for back ends that check whether a target stays in the page. */
    public static final int PAGE_SIZE = Page.SIZE;
}
