package dev.friscy.mem;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

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
    /** Scratch for the kernel's recount of pages in use (see MemoryAccount). */
    public int recountMark;
    /**
     * Decoded instruction cache (owned by the cpu package); null when not decoded. The cpu keeps
     * the decoded word and its immediate interleaved in {@code decodedOps} (see dev.friscy.cpu.Op)
     * and leaves {@code decodedImm} null.
     */
    public int[] decodedOps;
    public int[] decodedImm;
    /** The cpu's code epoch when the decodes were made; older decodes are stale (fence.i). */
    public int decodeEpoch;
    /** Translated code made from {@link #decodedOps} (owned by dev.friscy.jit); dropped with them. */
    public dev.friscy.jit.PageCode jit;
    /**
     * How many times decoded code was dropped from any page: translated code that links regions
     * directly (the Worker's) unlinks them when this moves.
     */
    public static int decodeDrops;

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

    /**
     * Bulk copy out, for system calls moving whole buffers: the aligned middle goes through a
     * little-endian long view of the array (a plain memory copy on the JVM), not byte by byte.
     */
    public void read(int off, byte[] dst, int dstOff, int len) {
        int k = 0;
        while (k < len && ((off + k) & 7) != 0) {
            dst[dstOff + k] = (byte) getByte(off + k);
            k++;
        }
        int longs = (len - k) >>> 3;
        if (longs > 0) {
            ByteBuffer.wrap(dst, dstOff + k, longs << 3).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer()
                    .put(data, (off + k) >>> 3, longs);
            k += longs << 3;
        }
        for (; k < len; k++) {
            dst[dstOff + k] = (byte) getByte(off + k);
        }
    }

    /** Bulk copy in, the aligned middle as longs. */
    public void write(int off, byte[] src, int srcOff, int len) {
        int k = 0;
        while (k < len && ((off + k) & 7) != 0) {
            putByte(off + k, src[srcOff + k]);
            k++;
        }
        int longs = (len - k) >>> 3;
        if (longs > 0) {
            ByteBuffer.wrap(src, srcOff + k, longs << 3).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer()
                    .get(data, (off + k) >>> 3, longs);
            k += longs << 3;
        }
        for (; k < len; k++) {
            putByte(off + k, src[srcOff + k]);
        }
    }

    public void invalidateDecode() {
        if (decodedOps != null) {
            decodeDrops++;
        }
        decodedOps = null;
        decodedImm = null;
        jit = null;
    }
}
