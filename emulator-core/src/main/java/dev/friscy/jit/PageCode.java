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
    /** Times this page was hot with short loops (see {@link Jit#BUSY_ROUNDS}). */
    int busyRounds;
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
        // entries: position and block
        int[] entries = new int[2 * r.starts.length];
        int n = 0;
        for (int i = 0; i < r.starts.length; i++) {
            if (r.isEntry(i)) { // else not entered from outside (see Region#keepEntries), or in the next page
                entries[n++] = r.starts[i];
                entries[n++] = i;
            }
        }
        if (n < entries.length) {
            int[] e = new int[n];
            System.arraycopy(entries, 0, e, 0, n);
            entries = e;
        }
        if (c.runnable()) {
            patch(idx, entries);
            return;
        }
        // the interpreter runs the original decodes at full speed until the code can run: an
        // entry patched in before would stop it there for nothing, again and again (node's
        // start-up met its regions' entries 1.5 M times while their modules were compiling)
        patched[idx] = new int[0];
        waiting = byCode(waiting);
        waiting[idx] = entries;
        for (int k = 0; k < entries.length; k += 2) {
            tried[entries[k] >>> 1] = true; // no other region from here meanwhile
        }
        c.waitingIn = this;
        c.waitingIndex = idx;
    }

    /** {@code a} (null: none yet), or a copy of it, with a slot for every code. */
    private int[][] byCode(int[][] a) {
        if (a == null) {
            return new int[codes.length][];
        }
        if (a.length >= codes.length) {
            return a;
        }
        int[][] n = new int[codes.length][];
        System.arraycopy(a, 0, n, 0, a.length);
        return n;
    }

    /** Entries (position, block pairs) of codes that cannot run yet, by code (null: none). */
    private int[][] waiting;

    /** Code {@code idx} can run now: patches in its waiting entries (see {@link #install}). */
    void activate(int idx) {
        int[] entries = waiting[idx];
        waiting[idx] = null;
        if (entries != null) {
            patch(idx, entries);
        }
    }

    /**
     * Every entry (position, block pairs) each code was patched in with, by code, including
     * those an older code held then: when that code is given back, its entries go to the
     * younger one ({@link #uninstall}).
     */
    private int[][] wanted;

    /** Patches the entries (position, block pairs) of code {@code idx} into {@link #ops}. */
    private void patch(int idx, int[] entries) {
        wanted = byCode(wanted);
        wanted[idx] = entries;
        int[] mine = new int[entries.length / 2];
        int nmine = 0;
        for (int k = 0; k < entries.length; k += 2) {
            int p = entries[k];
            int w = ops[p];
            if ((w & 0xff) == Op.JIT) {
                continue; // already the entry of an older region, which stays valid
            }
            mine[nmine++] = p;
            plain[p] = w;
            plain[p + 1] = ops[p + 1];
            ops[p + 1] = entries[k + 1] << 16 | idx;
            ops[p] = Op.JIT | (w & 0xe000_0000);
        }
        int[] m = new int[nmine];
        System.arraycopy(mine, 0, m, 0, nmine);
        patched[idx] = m;
    }

    /** Gives the entries of code {@code idx} back to the interpreter (its original decodes). */
    void uninstall(int idx) {
        int[] mine = patched[idx];
        // each entry's position and its JIT immediate, for reinstate
        int[] was = new int[2 * mine.length];
        for (int k = 0; k < mine.length; k++) {
            int p = mine[k];
            was[2 * k] = p;
            was[2 * k + 1] = ops[p + 1];
            ops[p + 1] = plain[p + 1];
            ops[p] = plain[p];
        }
        parked = byCode(parked);
        parked[idx] = was;
        patched[idx] = new int[0];
        if (wanted == null) {
            return;
        }
        if (idx < wanted.length) {
            wanted[idx] = null;
        }
        for (int k = 0; k < mine.length; k++) {
            handOver(mine[k]);
        }
    }

    /**
     * Position {@code p} is the interpreter's again: if a code in use was patched in with an
     * entry there while another code held it, that code takes it now. Without this, code that
     * translated code calls (a function's entry, made a region of its own by {@link Jit#linked})
     * stayed interpreted for good once a bigger region that had its entry first was given back:
     * busybox sh's 100k loop then left translated code for one such entry 43 k times.
     */
    private void handOver(int p) {
        for (int j = 0; j < count && j < wanted.length; j++) {
            int[] e = wanted[j];
            if (e == null || (parked != null && j < parked.length && parked[j] != null)) {
                continue;
            }
            for (int k = 0; k < e.length; k += 2) {
                if (e[k] != p) {
                    continue;
                }
                int w = ops[p];
                ops[p + 1] = e[k + 1] << 16 | j;
                ops[p] = Op.JIT | (w & 0xe000_0000);
                int[] m = patched[j];
                int[] n = new int[m.length + 1];
                System.arraycopy(m, 0, n, 0, m.length);
                n[m.length] = p;
                patched[j] = n;
                return;
            }
        }
    }

    /** Entries of codes given back by {@link #uninstall} (position, JIT immediate), by code (null: none, or in use). */
    private int[][] parked;

    /**
     * If {@code pos} was an entry of a code given back to the interpreter, patches that code's
     * entries in again (those no other code took meanwhile), with its counts reset, and returns
     * true.
     */
    boolean reinstate(int pos) {
        return reinstate(pos, false);
    }

    /** As {@link #reinstate(int)}; if {@code called}, the code is kept for calls from translated code (never reviewed again). */
    boolean reinstate(int pos, boolean called) {
        if (parked == null) {
            return false;
        }
        for (int idx = 0; idx < parked.length; idx++) {
            int[] was = parked[idx];
            if (was == null || !contains(was, pos)) {
                continue;
            }
            int[] mine = new int[was.length / 2];
            int n = 0;
            for (int k = 0; k < was.length; k += 2) {
                int p = was[k];
                int w = ops[p];
                if ((w & 0xff) == Op.JIT) {
                    continue; // another code's entry now, which stays
                }
                mine[n++] = p;
                ops[p + 1] = was[k + 1];
                ops[p] = Op.JIT | (w & 0xe000_0000);
            }
            int[] m = new int[n];
            System.arraycopy(mine, 0, m, 0, n);
            patched[idx] = m;
            parked[idx] = null;
            int[] e = new int[was.length];
            for (int k = 0; k < was.length; k += 2) {
                e[k] = was[k];
                e[k + 1] = was[k + 1] >>> 16;
            }
            wanted = byCode(wanted);
            wanted[idx] = e;
            codes[idx].calls = 0;
            codes[idx].ran = 0;
            codes[idx].called |= called;
            return true;
        }
        return false;
    }

    /** True if {@code was} (position, immediate pairs) has position {@code pos}. */
    private static boolean contains(int[] was, int pos) {
        for (int k = 0; k < was.length; k += 2) {
            if (was[k] == pos) {
                return true;
            }
        }
        return false;
    }
}
