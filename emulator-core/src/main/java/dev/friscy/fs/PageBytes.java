package dev.friscy.fs;

import dev.friscy.mem.Page;

/** Copies between byte arrays and pages a long at a time where the page offset is aligned. */
final class PageBytes {
    private PageBytes() {
    }

    static void put(Page p, int po, byte[] src, int off, int len) {
        long[] d = p.data;
        while (len > 0 && (po & 7) != 0) {
            p.putByte(po++, src[off++]);
            len--;
        }
        while (len >= 8) {
            d[po >>> 3] = (src[off] & 0xffL) | (src[off + 1] & 0xffL) << 8 | (src[off + 2] & 0xffL) << 16
                    | (src[off + 3] & 0xffL) << 24 | (src[off + 4] & 0xffL) << 32 | (src[off + 5] & 0xffL) << 40
                    | (src[off + 6] & 0xffL) << 48 | (src[off + 7] & 0xffL) << 56;
            po += 8;
            off += 8;
            len -= 8;
        }
        while (len > 0) {
            p.putByte(po++, src[off++]);
            len--;
        }
    }

    static void get(Page p, int po, byte[] dst, int off, int len) {
        long[] d = p.data;
        while (len > 0 && (po & 7) != 0) {
            dst[off++] = (byte) p.getByte(po++);
            len--;
        }
        while (len >= 8) {
            long v = d[po >>> 3];
            dst[off] = (byte) v;
            dst[off + 1] = (byte) (v >>> 8);
            dst[off + 2] = (byte) (v >>> 16);
            dst[off + 3] = (byte) (v >>> 24);
            dst[off + 4] = (byte) (v >>> 32);
            dst[off + 5] = (byte) (v >>> 40);
            dst[off + 6] = (byte) (v >>> 48);
            dst[off + 7] = (byte) (v >>> 56);
            po += 8;
            off += 8;
            len -= 8;
        }
        while (len > 0) {
            dst[off++] = (byte) p.getByte(po++);
            len--;
        }
    }
}
