package dev.friscy.fs;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.mem.Page;

/**
 * The pages of a regular file, in a two-level table (chunks of 512 pages = 2 MiB) so that a
 * sparse file with data far out (truncate -s 1T, a write at a huge offset) costs memory only
 * for what was written. Missing pages are holes.
 */
final class FilePages {
    /** Largest file size we accept (1 TiB); past it writes fail with EFBIG. */
    static final long MAX_SIZE = 1L << 40;
    private static final int CHUNK_SHIFT = 9;
    private static final int CHUNK = 1 << CHUNK_SHIFT;
    private static final int CHUNK_MASK = CHUNK - 1;

    private Page[][] chunks = new Page[0][];
    private int allocated;

    int allocated() {
        return allocated;
    }

    Page get(long pi) {
        long ci = pi >>> CHUNK_SHIFT;
        if (ci >= chunks.length) {
            return null;
        }
        Page[] c = chunks[(int) ci];
        return c == null ? null : c[(int) (pi & CHUNK_MASK)];
    }

    /** The page at index {@code pi}, allocated (zeroed, owned by the page cache) if it is a hole. */
    Page getOrCreate(long pi) {
        if (pi < 0 || pi >= (MAX_SIZE >>> Page.SHIFT)) {
            throw new SyscallError(Errno.EFBIG);
        }
        int ci = (int) (pi >>> CHUNK_SHIFT);
        if (ci >= chunks.length) {
            Page[][] n = new Page[Math.max(ci + 1, chunks.length * 2)][];
            System.arraycopy(chunks, 0, n, 0, chunks.length);
            chunks = n;
        }
        Page[] c = chunks[ci];
        if (c == null) {
            c = chunks[ci] = new Page[CHUNK];
        }
        int k = (int) (pi & CHUNK_MASK);
        Page p = c[k];
        if (p == null) {
            p = c[k] = new Page();
            p.sharers = 0;
            p.pageCache = true;
            allocated++;
        }
        return p;
    }

    void remove(long pi) {
        long ci = pi >>> CHUNK_SHIFT;
        if (ci < chunks.length && chunks[(int) ci] != null) {
            Page[] c = chunks[(int) ci];
            int k = (int) (pi & CHUNK_MASK);
            if (c[k] != null) {
                c[k] = null;
                allocated--;
            }
        }
    }

    /** Drops every page with index >= {@code first}. */
    void removeFrom(long first) {
        for (int ci = (int) (first >>> CHUNK_SHIFT); ci < chunks.length; ci++) {
            Page[] c = chunks[ci];
            if (c == null) {
                continue;
            }
            long base = (long) ci << CHUNK_SHIFT;
            for (int k = 0; k < CHUNK; k++) {
                if (base + k >= first && c[k] != null) {
                    c[k] = null;
                    allocated--;
                }
            }
        }
    }

    /** The first index in [pi, limit) holding a page, or -1. */
    long nextPresent(long pi, long limit) {
        while (pi < limit) {
            long ci = pi >>> CHUNK_SHIFT;
            if (ci >= chunks.length) {
                return -1;
            }
            Page[] c = chunks[(int) ci];
            if (c == null) {
                pi = (ci + 1) << CHUNK_SHIFT;
                continue;
            }
            if (c[(int) (pi & CHUNK_MASK)] != null) {
                return pi;
            }
            pi++;
        }
        return -1;
    }

    /** The first index in [pi, limit) without a page, or limit. */
    long nextAbsent(long pi, long limit) {
        while (pi < limit && get(pi) != null) {
            pi++;
        }
        return pi;
    }
}
