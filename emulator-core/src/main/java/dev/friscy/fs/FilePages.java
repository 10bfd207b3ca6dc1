package dev.friscy.fs;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.mem.Page;

/**
 * The pages of a regular file, in a two-level table (chunks of 512 pages = 2 MiB) so that a
 * sparse file with data far out (truncate -s 1T, a write at a huge offset) costs memory only
 * for what was written. Missing pages are holes.
 *
 * A file imported from a lazy {@link TarSource} has no pages yet: its data stays in the
 * archive and is read into pages, all at once, when anything first looks at them. Its pages are
 * charged to the session's memory at import ({@link #backBy}), as if they had been copied, so
 * the memory figures and limits do not depend on what has been read.
 */
final class FilePages {
    /** Largest file size we accept (1 TiB); past it writes fail with EFBIG. */
    static final long MAX_SIZE = 1L << 40;
    private static final int CHUNK_SHIFT = 9;
    private static final int CHUNK = 1 << CHUNK_SHIFT;
    private static final int CHUNK_MASK = CHUNK - 1;

    private Page[][] chunks = new Page[0][];
    private int allocated;
    /** Where the pages are charged (the session's memory); null for files outside any session's count. */
    dev.friscy.mem.MemoryAccount account;

    /** Where the data is while it has not been read: the archive, the offset and length in it. */
    private TarSource lazy;
    private long lazyOff;
    private long lazyLen;
    /** Pages charged at import for data still in the archive. */
    private int prepaid;
    private int lazyMark;

    /**
     * This (empty) file's {@code len} bytes are those at {@code off} in {@code src}; their pages
     * are charged now (ENOSPC if the session's memory cannot hold them).
     */
    void backBy(TarSource src, long off, long len) {
        if (len > MAX_SIZE) {
            throw new SyscallError(Errno.EFBIG);
        }
        int n = (int) ((len + Page.MASK) >>> Page.SHIFT);
        if (account != null) {
            for (int k = 0; k < n; k++) {
                if (!account.chargeFile()) {
                    account.creditFile(k);
                    throw new SyscallError(Errno.ENOSPC);
                }
            }
        }
        lazy = src;
        lazyOff = off;
        lazyLen = len;
        prepaid = n;
    }

    /** Reads the data still in the archive into pages (EIO if the host cannot read it). */
    private void load() {
        TarSource src = lazy;
        lazy = null; // first: the pages below are made by getOrCreate
        byte[] b = new byte[(int) Math.min(lazyLen, 1 << 16)];
        try {
            for (long done = 0; done < lazyLen; ) {
                int n = (int) Math.min(b.length, lazyLen - done);
                src.read(lazyOff + done, b, 0, n);
                for (int k = 0; k < n; ) {
                    long p = done + k;
                    int po = (int) (p & Page.MASK);
                    int m = Math.min(n - k, Page.SIZE - po);
                    PageBytes.put(getOrCreate(p >>> Page.SHIFT), po, b, k, m);
                    k += m;
                }
                done += n;
            }
        } catch (java.io.IOException | RuntimeException e) {
            // as it was: the data stays in the archive, charged, for a later try
            int made = allocated;
            chunks = new Page[0][];
            allocated = 0;
            prepaid += made;
            lazy = src;
            throw new SyscallError(Errno.EIO);
        }
    }

    /** True while the data is still in the archive. */
    boolean lazy() {
        return lazy != null;
    }

    /** Counts, once per {@code mark}, the pages no earlier walk of this recount saw. */
    long countPages(int mark) {
        if (lazy != null) {
            if (lazyMark == mark) {
                return 0;
            }
            lazyMark = mark;
            return prepaid;
        }
        long n = 0;
        for (Page[] c : chunks) {
            if (c == null) {
                continue;
            }
            for (Page p : c) {
                if (p != null && p.recountMark != mark) {
                    p.recountMark = mark;
                    n++;
                }
            }
        }
        return n;
    }

    int allocated() {
        return allocated + prepaid;
    }

    Page get(long pi) {
        if (lazy != null) {
            load();
        }
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
        if (lazy != null) {
            load();
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
            if (prepaid > 0) {
                prepaid--; // charged at import
            } else if (account != null && !account.chargeFile()) {
                throw new SyscallError(Errno.ENOSPC); // file data lives in the session's memory, as tmpfs
            }
            p = c[k] = new Page();
            p.sharers = 0;
            p.pageCache = true;
            allocated++;
        }
        return p;
    }

    void remove(long pi) {
        if (lazy != null) {
            load();
        }
        long ci = pi >>> CHUNK_SHIFT;
        if (ci < chunks.length && chunks[(int) ci] != null) {
            Page[] c = chunks[(int) ci];
            int k = (int) (pi & CHUNK_MASK);
            if (c[k] != null) {
                c[k] = null;
                allocated--;
                if (account != null) {
                    account.creditFile(1);
                }
            }
        }
    }

    /** Drops every page with index >= {@code first}. */
    void removeFrom(long first) {
        if (lazy != null) {
            load();
        }
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
                    if (account != null) {
                        account.creditFile(1);
                    }
                }
            }
        }
    }

    /** The first index in [pi, limit) holding a page, or -1. */
    long nextPresent(long pi, long limit) {
        if (lazy != null) {
            load();
        }
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
