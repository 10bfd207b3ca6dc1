package dev.friscy.jit.jvm;

import dev.friscy.cpu.Dispatch;
import dev.friscy.cpu.Hart;
import dev.friscy.cpu.Helpers;
import dev.friscy.mem.AddressSpace;

/**
 * Memory accesses of generated code, as small static methods HotSpot inlines. Keeping the TLB test
 * here rather than in every region matters on HotSpot: branch profiles belong to the method, so
 * once any region misses the TLB the slow path is compiled in everywhere, instead of each access
 * site deoptimizing its region the first time it misses. Loads return the value zero-extended
 * (or, in the fast path, shifted down with garbage above: callers extend); a fault leaves
 * {@code as.faultSignal} set.
 */
public final class Rt {
    private static final int MASK = AddressSpace.TLB_MASK;

    private Rt() {
    }

    public static long ld(long[] tag, long[][] data, AddressSpace as, long a) {
        int ti = (int) (a >>> 12) & MASK;
        if (tag[ti] == ((a >>> 12) | (a << 61))) {
            return get8(data[ti], a);
        }
        return as.load(a, 8);
    }

    public static long lw(long[] tag, long[][] data, AddressSpace as, long a) {
        int ti = (int) (a >>> 12) & MASK;
        if (tag[ti] == ((a >>> 12) | (a << 62))) {
            return get4(data[ti], a);
        }
        return as.load(a, 4);
    }

    public static long lh(long[] tag, long[][] data, AddressSpace as, long a) {
        int ti = (int) (a >>> 12) & MASK;
        if (tag[ti] == ((a >>> 12) | (a << 63))) {
            return get2(data[ti], a);
        }
        return as.load(a, 2);
    }

    public static long lb(long[] tag, long[][] data, AddressSpace as, long a) {
        int ti = (int) (a >>> 12) & MASK;
        if (tag[ti] == (a >>> 12)) {
            return get1(data[ti], a);
        }
        return as.load(a, 1);
    }

    /** The page TLB {@code tag}/{@code data} holds for access {@code a} with key {@code key}, or null. */
    public static long[] page(long[] tag, long[][] data, long key, long a) {
        int ti = (int) (a >>> 12) & MASK;
        return tag[ti] == key ? data[ti] : null;
    }

    /**
     * Reads from a page known to hold {@code a}, aligned (shifted down, garbage above, as the
     * loads): the fast path of the loads above, and of a region's access sites.
     */
    public static long get8(long[] d, long a) {
        return d[(int) (a >>> 3) & 511];
    }

    public static long get4(long[] d, long a) {
        return d[(int) (a >>> 3) & 511] >>> ((a & 4) << 3);
    }

    public static long get2(long[] d, long a) {
        return d[(int) (a >>> 3) & 511] >>> ((a & 6) << 3);
    }

    public static long get1(long[] d, long a) {
        return d[(int) (a >>> 3) & 511] >>> ((a & 7) << 3);
    }

    /** Writes into a page known to hold {@code a}, aligned: the stores' fast path, and the sites'. */
    public static void put8(long[] d, long a, long v) {
        d[(int) (a >>> 3) & 511] = v;
    }

    public static void put4(long[] d, long a, long v) {
        int i = (int) (a >>> 3) & 511;
        int sh = (int) (a & 4) << 3;
        d[i] = (d[i] & ~(0xffff_ffffL << sh)) | ((v & 0xffff_ffffL) << sh);
    }

    public static void put2(long[] d, long a, long v) {
        int i = (int) (a >>> 3) & 511;
        int sh = (int) (a & 6) << 3;
        d[i] = (d[i] & ~(0xffffL << sh)) | ((v & 0xffffL) << sh);
    }

    public static void put1(long[] d, long a, long v) {
        int i = (int) (a >>> 3) & 511;
        int sh = (int) (a & 7) << 3;
        d[i] = (d[i] & ~(0xffL << sh)) | ((v & 0xffL) << sh);
    }

    /** Stores: 0 done, 1 fault, 2 done but the region's page lost its decodes (leave the region). */
    public static int sd(long[] tag, long[][] data, JvmCode c, Hart h, long a, long v) {
        int ti = (int) (a >>> 12) & MASK;
        if (tag[ti] == ((a >>> 12) | (a << 61))) {
            put8(data[ti], a, v);
            return 0;
        }
        return slow(c, h, a, 8, v);
    }

    public static int sw(long[] tag, long[][] data, JvmCode c, Hart h, long a, long v) {
        int ti = (int) (a >>> 12) & MASK;
        if (tag[ti] == ((a >>> 12) | (a << 62))) {
            put4(data[ti], a, v);
            return 0;
        }
        return slow(c, h, a, 4, v);
    }

    public static int sh(long[] tag, long[][] data, JvmCode c, Hart h, long a, long v) {
        int ti = (int) (a >>> 12) & MASK;
        if (tag[ti] == ((a >>> 12) | (a << 63))) {
            put2(data[ti], a, v);
            return 0;
        }
        return slow(c, h, a, 2, v);
    }

    public static int sb(long[] tag, long[][] data, JvmCode c, Hart h, long a, long v) {
        int ti = (int) (a >>> 12) & MASK;
        if (tag[ti] == (a >>> 12)) {
            put1(data[ti], a, v);
            return 0;
        }
        return slow(c, h, a, 1, v);
    }

    private static int slow(JvmCode c, Hart h, long a, int size, long v) {
        if (!Helpers.store(h, a, size, v)) {
            return 1;
        }
        return c.page.decodedOps == c.ops && (c.page2 == null || c.page2.decodedOps == c.ops2) ? 0 : 2;
    }

    /** After an AMO (which may store into the region's page): 0 still valid, 2 leave. */
    public static int valid(JvmCode c) {
        return c.page.decodedOps == c.ops && (c.page2 == null || c.page2.decodedOps == c.ops2) ? 0 : 2;
    }

    /**
     * At a block of the next page (see Region#page2): true if the hart's address space still has
     * that page as code at {@code base}'s next page, with the decodes the region was built from.
     * An execute TLB miss says no too: the interpreter then looks the page up (and faults).
     */
    public static boolean span(JvmCode c, Hart h, long base) {
        long vpn = (base >>> 12) + 1;
        int xi = (int) vpn & MASK;
        AddressSpace as = h.as;
        return as.xTag[xi] == vpn && as.xPage[xi] == c.page2 && Dispatch.current(c.page2, c.ops2);
    }

    /**
     * After a call out through {@code Dispatch.link}: true if the region may go on, i.e. its page
     * still has the decodes it was built from (the code called may have stored into it).
     */
    public static boolean resumable(JvmCode c) {
        return Dispatch.current(c.page, c.ops) && (c.page2 == null || Dispatch.current(c.page2, c.ops2));
    }
}
