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
 * archive and is read into pages a window of {@link #WINDOW} pages at a time, when something
 * first looks at a page of the window (as Linux reads a file around the page a read or a
 * mapping's fault wants, not the whole file: node maps 100 MB of libraries and touches a
 * fraction). While a file is lazy, a missing page below {@link #lazyPages} is one still in the
 * archive, never a hole; operations that remove pages read the rest first. Its pages are charged
 * to the session's memory at import ({@link #backBy}), as if they had been copied, so the memory
 * figures and limits do not depend on what has been read.
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
    /** Pages of the archive's data ({@code lazyLen} rounded up): below it, a missing page is unread. */
    private long lazyPages;
    /** Of {@link #lazyPages}, those not read yet; the file stops being lazy at 0. */
    private long unread;
    /** Pages read from the archive at a time: 128 KiB, Linux's default read-ahead. */
    static final int WINDOW = 32;
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
        lazy = n == 0 ? null : src;
        lazyOff = off;
        lazyLen = len;
        lazyPages = n;
        unread = n;
        prepaid = n;
    }

    /** Reads all the data still in the archive into pages (EIO if the host cannot read it). */
    private void load() {
        for (long w = 0; lazy != null && w < lazyPages; w += WINDOW) {
            loadWindow(w);
        }
    }

    /**
     * Reads the window of pages holding page {@code pi} (below {@link #lazyPages}) from the
     * archive, making the pages of it not read yet; EIO if the host cannot read it, and then
     * nothing changed, so a later use tries again.
     */
    private void loadWindow(long pi) {
        long first = pi & -(long) WINDOW;
        long end = Math.min(first + WINDOW, lazyPages);
        long from = first << Page.SHIFT;
        int len = (int) (Math.min(end << Page.SHIFT, lazyLen) - from);
        byte[] b = new byte[len];
        try {
            lazy.read(lazyOff + from, b, 0, len);
        } catch (java.io.IOException | RuntimeException e) {
            throw new SyscallError(Errno.EIO);
        }
        for (long q = first; q < end; q++) {
            int ci = (int) (q >>> CHUNK_SHIFT);
            Page[] c = chunk(ci);
            int k = (int) (q & CHUNK_MASK);
            if (c[k] != null) {
                continue; // read before
            }
            Page p = c[k] = newPage();
            prepaid--; // charged at import
            int o = (int) ((q - first) << Page.SHIFT);
            PageBytes.put(p, 0, b, o, Math.min(Page.SIZE, len - o));
            if (--unread == 0) {
                lazy = null;
            }
        }
    }

    private Page[] chunk(int ci) {
        if (ci >= chunks.length) {
            Page[][] n = new Page[Math.max(ci + 1, chunks.length * 2)][];
            System.arraycopy(chunks, 0, n, 0, chunks.length);
            chunks = n;
        }
        Page[] c = chunks[ci];
        if (c == null) {
            c = chunks[ci] = new Page[CHUNK];
        }
        return c;
    }

    private Page newPage() {
        Page p = new Page();
        p.sharers = 0;
        p.pageCache = true;
        allocated++;
        return p;
    }

    /** True while the data is still in the archive. */
    boolean lazy() {
        return lazy != null;
    }

    /** Counts, once per {@code mark}, the pages no earlier walk of this recount saw. */
    long countPages(int mark) {
        long n = 0;
        if (lazy != null && lazyMark != mark) {
            lazyMark = mark;
            n = prepaid; // the pages still in the archive
        }
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
        long ci = pi >>> CHUNK_SHIFT;
        Page[] c = ci < chunks.length ? chunks[(int) ci] : null;
        Page p = c == null ? null : c[(int) (pi & CHUNK_MASK)];
        if (p == null && lazy != null && pi >= 0 && pi < lazyPages) {
            loadWindow(pi);
            p = chunks[(int) ci][(int) (pi & CHUNK_MASK)];
        }
        return p;
    }

    /** The page at index {@code pi}, allocated (zeroed, owned by the page cache) if it is a hole. */
    Page getOrCreate(long pi) {
        if (pi < 0 || pi >= (MAX_SIZE >>> Page.SHIFT)) {
            throw new SyscallError(Errno.EFBIG);
        }
        Page p = get(pi); // reads it from the archive if it is still there
        if (p == null) {
            if (account != null && !account.chargeFile()) {
                throw new SyscallError(Errno.ENOSPC); // file data lives in the session's memory, as tmpfs
            }
            p = chunk((int) (pi >>> CHUNK_SHIFT))[(int) (pi & CHUNK_MASK)] = newPage();
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
        if (lazy != null && pi >= 0 && pi < lazyPages && pi < limit) {
            return pi; // in the archive if not read yet: a lazy file has no holes there
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
