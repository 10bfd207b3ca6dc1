package dev.friscy.mem;

/**
 * Every guest page of a session counted against one limit: anonymous pages, copy-on-write
 * copies, file data (tmpfs pages) and a fixed charge per address space for the tables and
 * TLB arrays it costs the host. The limit is what the guest sees as its RAM (/proc/meminfo,
 * sysinfo); it must lie well inside the host's heap, so that a guest that fills it meets
 * ENOMEM or the OOM killer, never a Java OutOfMemoryError.
 *
 * Charges and credits are exact for address-space pages; file pages of a file that is
 * simply forgotten (deleted, last descriptor closed) are not credited at that moment, so
 * before refusing a charge the account asks its {@link Recount} for the true figure.
 */
public final class MemoryAccount {
    /** Finds the pages really in use (a walk over every address space and file). */
    public interface Recount {
        long pagesInUse();
    }

    /** Host cost of one address space (page-table roots, TLB arrays), in pages. */
    public static final int ADDRESS_SPACE_PAGES = 24;

    /** Pages charged now. */
    private long used;
    /** Pages in file data (tmpfs), a part of {@link #used}; Linux's Shmem. */
    private long filePages;
    private long limit;
    private long peak;
    public Recount recount;

    /** An account that never refuses (tests and tools without a kernel). */
    public static MemoryAccount unlimited() {
        return new MemoryAccount(Long.MAX_VALUE / 2);
    }

    public MemoryAccount(long limitPages) {
        this.limit = limitPages;
    }

    public long limitPages() {
        return limit;
    }

    public void setLimitPages(long pages) {
        this.limit = pages;
    }

    public long usedPages() {
        return used;
    }

    public long filePages() {
        return filePages;
    }

    public long peakPages() {
        return peak;
    }

    /** Takes {@code n} pages; false (nothing taken) if that would pass the limit. */
    public boolean charge(long n) {
        if (used + n > limit) {
            if (recount == null) {
                return false;
            }
            used = Math.max(0, recount.pagesInUse());
            if (used + n > limit) {
                return false;
            }
        }
        used += n;
        if (used > peak) {
            peak = used;
        }
        return true;
    }

    /** Brings the figures up to date (files forgotten since stop counting). */
    public void recount() {
        if (recount != null) {
            used = Math.max(0, recount.pagesInUse());
        }
    }

        public void credit(long n) {
        used = Math.max(0, used - n);
    }

    /** A file page: like {@link #charge} but also counted as file data. */
    public boolean chargeFile() {
        if (!charge(1)) {
            return false;
        }
        filePages++;
        return true;
    }

    public void creditFile(long n) {
        credit(n);
        filePages = Math.max(0, filePages - n);
    }

    /** After a recount: the true file-page figure. */
    public void setFilePages(long n) {
        filePages = n;
    }
}
