package dev.friscy.jit;

import dev.friscy.cpu.Op;

/**
 * The translations of one code page, attached to it as {@link dev.friscy.mem.Page#jit} and tied
 * to one decode array: when the page's decodes are dropped or replaced, this goes with them.
 *
 * An {@code Op.JIT} slot in the decode array names its code by its immediate:
 * {@code block << 16 | index into codes}.
 */
public final class PageCode {
    /** The page's decode array these translations belong to (it holds the JIT pseudo-ops). */
    public final int[] ops;
    /** The decode array as it was before patching: the interpreter's fallback. */
    public final int[] plain;
    public Code[] codes = new Code[4];
    /** The offsets each code patched (its entries in {@link #ops}). */
    int[][] patched = new int[4][];
    public int count;
    /** Times the page reached its threshold with a loop that calls out (see Jit#hot). */
    int callingRounds;
    /** Positions (by parcel) where building a region was tried and gave nothing. */
    final boolean[] tried = new boolean[Region.PAGE_SIZE / 2];

    PageCode(int[] ops) {
        this.ops = ops;
        this.plain = ops.clone();
    }

    /** Adds {@code c} for region {@code r} and patches the entries of its blocks into {@link #ops}. */
    void install(Region r, Code c) {
        if (count == 0xffff) {
            return;
        }
        if (count == codes.length) {
            Code[] n = new Code[count * 2];
            System.arraycopy(codes, 0, n, 0, count);
            codes = n;
            int[][] m = new int[count * 2][];
            System.arraycopy(patched, 0, m, 0, count);
            patched = m;
        }
        int idx = count++;
        codes[idx] = c;
        int[] mine = new int[r.starts.length];
        int nmine = 0;
        for (int i = 0; i < r.starts.length; i++) {
            int p = r.starts[i];
            int w = ops[p];
            if ((w & 0xff) == Op.JIT) {
                continue; // already the entry of an older region, which stays valid
            }
            mine[nmine++] = p;
            plain[p] = w;
            plain[p + 1] = ops[p + 1];
            ops[p + 1] = i << 16 | idx;
            ops[p] = Op.JIT | (w & 0xe000_0000);
        }
        int[] m = new int[nmine];
        System.arraycopy(mine, 0, m, 0, nmine);
        patched[idx] = m;
    }

    /** Gives the entries of code {@code idx} back to the interpreter (its original decodes). */
    void uninstall(int idx) {
        for (int p : patched[idx]) {
            ops[p + 1] = plain[p + 1];
            ops[p] = plain[p];
        }
        patched[idx] = new int[0];
    }
}
