package dev.friscy.web.jit;

import dev.friscy.mem.AddressSpace;

/**
 * The TLB translated code reads guest memory through, without a call: a copy of entries of the
 * running address space's read and write TLBs, as tag arrays and tables of page payloads (the
 * pages' own {@code long[]} storage, reached through {@link RawArrays}), bound to every generated
 * module.
 *
 * Entries are copied from the address space after a helper's slow path (the access that missed
 * has just filled the address space's entry), so an entry here was valid in the address space
 * when copied. It stays valid until the address space's {@link AddressSpace#tlbEpoch} moves
 * (a flush, a dropped write entry, a replaced page): then, and whenever another address space
 * runs, everything here is forgotten. Tags use the address space's encoding, so the alignment
 * check is the same compare as in the interpreter.
 */
final class TranslatedTlb {
    private static final int SIZE = AddressSpace.TLB_SIZE;

    final long[] rTag = new long[SIZE];
    final long[] wTag = new long[SIZE];
    final RawPages rPages = RawArrays.newPages(SIZE);
    final RawPages wPages = RawArrays.newPages(SIZE);
    private AddressSpace as;
    private int epoch;
    /** Indices filled since the last forget (past the list's length: forget clears everything). */
    private final int[] filled = new int[128];
    private int nFilled = Integer.MAX_VALUE;

    TranslatedTlb() {
        forget();
    }

    /** Before translated code runs on {@code a}. */
    void use(AddressSpace a) {
        if (a != as) {
            // the old space's pages may die: do not keep them alive
            for (int i = 0; i < SIZE; i++) {
                RawArrays.clearPage(rPages, i);
                RawArrays.clearPage(wPages, i);
            }
            as = a;
            forget();
        } else if (a.tlbEpoch != epoch) {
            forget();
        }
    }

    /** After a helper that may have changed the address space's TLB. */
    void check() {
        if (as.tlbEpoch != epoch) {
            forget();
        }
    }

    /** Statistics: times everything was forgotten, entries copied. */
    static long forgets;
    static long refills;

    private void forget() {
        forgets++;
        if (nFilled > filled.length) {
            for (int i = 0; i < SIZE; i++) {
                rTag[i] = -1;
                wTag[i] = -1;
            }
        } else {
            for (int k = 0; k < nFilled; k++) {
                rTag[filled[k]] = -1;
                wTag[filled[k]] = -1;
            }
        }
        nFilled = 0;
        epoch = as == null ? 0 : as.tlbEpoch;
    }

    /** After a slow-path access at {@code addr}: copies the address space's entries for its page. */
    void refill(long addr) {
        refills++;
        AddressSpace a = as;
        if (a.tlbEpoch != epoch) {
            forget();
        }
        int i = (int) (addr >>> 12) & (SIZE - 1);
        if (nFilled < filled.length) {
            filled[nFilled] = i;
        }
        if (nFilled <= filled.length) {
            nFilled++;
        }
        long[] d = a.rData[i];
        if (d != null && a.rTag[i] != -1) {
            RawArrays.setPage(rPages, i, d);
            rTag[i] = a.rTag[i];
        } else {
            rTag[i] = -1;
        }
        d = a.wData[i];
        if (d != null && a.wTag[i] != -1) {
            RawArrays.setPage(wPages, i, d);
            wTag[i] = a.wTag[i];
        } else {
            wTag[i] = -1;
        }
    }
}
