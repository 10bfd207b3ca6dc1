package dev.friscy.jit.jvm;

import dev.friscy.cpu.Dispatch;
import dev.friscy.cpu.Hart;
import dev.friscy.cpu.Helpers;
import dev.friscy.mem.AddressSpace;
import dev.friscy.mem.Page;
import java.lang.reflect.Field;
import java.nio.ByteOrder;
import java.util.Objects;

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

    /**
     * Loads and stores narrower than 8 bytes reach their bytes in a page's {@code long[]} directly
     * (sun.misc.Unsafe, little-endian hosts, as the guest is), instead of shifting a whole long
     * and, for stores, reading it, merging and writing it back. The read of a store's merge waits
     * for its cache line: in the sieve's strided byte stores over 4 MB that wait was the loop's
     * critical path, where a plain byte store retires into the store buffer. Only hits use it, i.e.
     * an aligned access into a page of {@link Page#LONGS} longs that the TLB or a site holds, so
     * the offset, {@code a & 4095} past the array's base, is always inside the array. Without
     * Unsafe (another JVM) the shifts and merges below do the same. A null page (which no hit
     * has) would make Unsafe touch the host's memory at an absolute address: the null check keeps
     * it the NullPointerException the array access was (a test and a branch always predicted).
     */
    static final sun.misc.Unsafe U = unsafe();
    private static final long BASE = U == null ? 0 : U.arrayBaseOffset(long[].class);
    /** An aligned access's offset into its page's array: its address's offset in the page. */
    private static final long IN_PAGE = Page.SIZE - 1;

    private static sun.misc.Unsafe unsafe() {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            return null;
        }
        try {
            Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            sun.misc.Unsafe u = (sun.misc.Unsafe) f.get(null);
            return u.arrayIndexScale(long[].class) == 8 ? u : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

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
        return U != null ? U.getInt(Objects.requireNonNull(d), BASE + (a & IN_PAGE)) : shifted4(d, a);
    }

    public static long get2(long[] d, long a) {
        return U != null ? U.getShort(Objects.requireNonNull(d), BASE + (a & IN_PAGE)) : shifted2(d, a);
    }

    public static long get1(long[] d, long a) {
        return U != null ? U.getByte(Objects.requireNonNull(d), BASE + (a & IN_PAGE)) : shifted1(d, a);
    }

    /** Writes into a page known to hold {@code a}, aligned: the stores' fast path, and the sites'. */
    public static void put8(long[] d, long a, long v) {
        d[(int) (a >>> 3) & 511] = v;
    }

    public static void put4(long[] d, long a, long v) {
        if (U != null) {
            U.putInt(Objects.requireNonNull(d), BASE + (a & IN_PAGE), (int) v);
        } else {
            merge(d, a, 0xffff_ffffL, (int) (a & 4) << 3, v);
        }
    }

    public static void put2(long[] d, long a, long v) {
        if (U != null) {
            U.putShort(Objects.requireNonNull(d), BASE + (a & IN_PAGE), (short) v);
        } else {
            merge(d, a, 0xffffL, (int) (a & 6) << 3, v);
        }
    }

    public static void put1(long[] d, long a, long v) {
        if (U != null) {
            U.putByte(Objects.requireNonNull(d), BASE + (a & IN_PAGE), (byte) v);
        } else {
            merge(d, a, 0xffL, (int) (a & 7) << 3, v);
        }
    }

    // Without Unsafe: the access's long, shifted down or merged into (also RtTest's check of both).

    static long shifted4(long[] d, long a) {
        return d[(int) (a >>> 3) & 511] >>> ((a & 4) << 3);
    }

    static long shifted2(long[] d, long a) {
        return d[(int) (a >>> 3) & 511] >>> ((a & 6) << 3);
    }

    static long shifted1(long[] d, long a) {
        return d[(int) (a >>> 3) & 511] >>> ((a & 7) << 3);
    }

    /** Writes the low bits {@code mask} of {@code v} at bit {@code sh} of the long holding {@code a}. */
    static void merge(long[] d, long a, long mask, int sh, long v) {
        int i = (int) (a >>> 3) & 511;
        d[i] = (d[i] & ~(mask << sh)) | ((v & mask) << sh);
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
