package dev.friscy.mem;

/**
 * One 4 KiB page of guest memory, stored as 512 little-endian longs so that aligned
 * 64-bit accesses are a single array read. A page may be mapped by several address
 * spaces at once (after fork); {@link #sharers} counts them, and a private mapping
 * copies the page before the first write while it is shared (copy-on-write).
 *
 * The decoded-instruction cache lives on the page, so processes that share code pages
 * also share their decodes. It is filled lazily by the CPU and dropped on any store.
 */
public final class Page {
    public static final int SHIFT = 12;
    public static final int SIZE = 1 << SHIFT;
    public static final long MASK = SIZE - 1;
    public static final int LONGS = SIZE / 8;
    /** Decoded slots per page: one per 16-bit parcel. */
    public static final int SLOTS = SIZE / 2;

    public final long[] data;
    /** Number of address-space mappings that reference this page. */
    public int sharers = 1;
    /**
     * True for a page owned by a file's page cache. A private mapping may map it directly
     * (so code pages and their decodes are shared by every process running the file), but
     * must copy it before writing, however few mappings share it.
     */
    public boolean pageCache;
    /** Decoded instruction cache (owned by the cpu package); null when not decoded. */
    public int[] decodedOps;
    public int[] decodedImm;
    /** The cpu's code epoch when the decodes were made; older decodes are stale (fence.i). */
    public int decodeEpoch;

    public Page() {
        this.data = new long[LONGS];
    }

    public Page(long[] data) {
        this.data = data;
    }

    public Page copy() {
        long[] d = new long[LONGS];
        System.arraycopy(data, 0, d, 0, LONGS);
        return new Page(d);
    }

    public int getByte(int off) {
        return (int) (data[off >>> 3] >>> ((off & 7) << 3)) & 0xff;
    }

    public void putByte(int off, int v) {
        int i = off >>> 3;
        int sh = (off & 7) << 3;
        data[i] = (data[i] & ~(0xffL << sh)) | ((long) (v & 0xff) << sh);
    }

    /** Bulk copy out (system calls move whole buffers this way: a long at a time where aligned). */
    public void read(int off, byte[] dst, int dstOff, int len) {
        int k = 0;
        while (k < len && ((off + k) & 7) != 0) {
            dst[dstOff + k] = (byte) getByte(off + k);
            k++;
        }
        int i = (off + k) >>> 3;
        for (; k + 8 <= len; k += 8, i++) {
            long v = data[i];
            int d = dstOff + k;
            dst[d] = (byte) v;
            dst[d + 1] = (byte) (v >>> 8);
            dst[d + 2] = (byte) (v >>> 16);
            dst[d + 3] = (byte) (v >>> 24);
            dst[d + 4] = (byte) (v >>> 32);
            dst[d + 5] = (byte) (v >>> 40);
            dst[d + 6] = (byte) (v >>> 48);
            dst[d + 7] = (byte) (v >>> 56);
        }
        for (; k < len; k++) {
            dst[dstOff + k] = (byte) getByte(off + k);
        }
    }

    /** Bulk copy in, a long at a time where aligned. */
    public void write(int off, byte[] src, int srcOff, int len) {
        int k = 0;
        while (k < len && ((off + k) & 7) != 0) {
            putByte(off + k, src[srcOff + k]);
            k++;
        }
        int i = (off + k) >>> 3;
        for (; k + 8 <= len; k += 8, i++) {
            int s = srcOff + k;
            data[i] = (src[s] & 0xffL) | (src[s + 1] & 0xffL) << 8 | (src[s + 2] & 0xffL) << 16
                    | (src[s + 3] & 0xffL) << 24 | (src[s + 4] & 0xffL) << 32 | (src[s + 5] & 0xffL) << 40
                    | (src[s + 6] & 0xffL) << 48 | (src[s + 7] & 0xffL) << 56;
        }
        for (; k < len; k++) {
            putByte(off + k, src[srcOff + k]);
        }
    }

    public void invalidateDecode() {
        decodedOps = null;
        decodedImm = null;
    }
}
