package dev.friscy.jit.jvm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.friscy.mem.Page;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Translated code's narrow loads and stores (Rt.get/put 1, 2, 4) reach a page's bytes directly
 * where the JVM allows it: they must see and change exactly the bytes the guest's little-endian
 * layout of a {@code long[]} page gives, as the interpreter's shifts and merges do.
 */
class RtTest {
    /** The interpreter's view: byte {@code off} of the page is bits (off & 7) * 8 of long off >>> 3. */
    private static long refGet(long[] d, int off, int size) {
        long v = 0;
        for (int i = size - 1; i >= 0; i--) {
            int b = off + i;
            v = (v << 8) | ((d[b >>> 3] >>> ((b & 7) * 8)) & 0xff);
        }
        return v;
    }

    private static void refPut(long[] d, int off, int size, long v) {
        for (int i = 0; i < size; i++) {
            int b = off + i;
            int sh = (b & 7) * 8;
            d[b >>> 3] = (d[b >>> 3] & ~(0xffL << sh)) | (((v >>> (8 * i)) & 0xff) << sh);
        }
    }

    private static long mask(int size) {
        return size == 8 ? -1L : (1L << (8 * size)) - 1;
    }

    @Test
    void directAccessIsTheHostsChoiceOnLittleEndianJvms() {
        // this machine's JVM has Unsafe: the direct path is the one the other tests check
        if (java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN) {
            assertNotNull(Rt.U);
        }
    }

    @Test
    void narrowAccessesMatchTheLittleEndianLayout() {
        check(false);
    }

    /** The shifts and merges a JVM without Unsafe runs, against the same reference. */
    @Test
    void withoutUnsafeTheShiftsAndMergesMatchToo() {
        check(true);
    }

    private static void check(boolean fallback) {
        Random rnd = new Random(7);
        long[] d = new long[Page.LONGS];
        long[] ref = new long[Page.LONGS];
        for (int i = 0; i < d.length; i++) {
            d[i] = ref[i] = rnd.nextLong();
        }
        int[] sizes = {1, 2, 4, 8};
        for (int n = 0; n < 200_000; n++) {
            int size = sizes[rnd.nextInt(4)];
            int off = rnd.nextInt(Page.SIZE) & -size; // hits are aligned
            // any guest address on that page: the page number must not matter
            long a = (rnd.nextLong() & ~0xfffL & 0x0000_7fff_ffff_ffffL) | off;
            if (rnd.nextBoolean()) {
                long v = rnd.nextLong();
                if (fallback && size < 8) {
                    Rt.merge(d, a, mask(size), (int) (a & (8 - size)) << 3, v);
                } else {
                    switch (size) {
                        case 1: Rt.put1(d, a, v); break;
                        case 2: Rt.put2(d, a, v); break;
                        case 4: Rt.put4(d, a, v); break;
                        default: Rt.put8(d, a, v); break;
                    }
                }
                refPut(ref, off, size, v);
            } else {
                long got;
                switch (size) {
                    case 1: got = fallback ? Rt.shifted1(d, a) : Rt.get1(d, a); break;
                    case 2: got = fallback ? Rt.shifted2(d, a) : Rt.get2(d, a); break;
                    case 4: got = fallback ? Rt.shifted4(d, a) : Rt.get4(d, a); break;
                    default: got = Rt.get8(d, a); break;
                }
                // loads may leave garbage above their size: callers extend
                assertEquals(refGet(ref, off, size), got & mask(size), "size " + size + " at " + off);
            }
        }
        assertArrayEquals(ref, d);
    }
}
