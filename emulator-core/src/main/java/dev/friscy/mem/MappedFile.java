package dev.friscy.mem;

/**
 * What the memory manager needs from a file to map it. The file system implements it for
 * regular files. Shared mappings map the file's own pages, so writes through one mapping
 * are seen by the file and every other shared mapping.
 */
public interface MappedFile {
    /** Fills {@code dst} (a page) from the file at byte offset {@code off}; bytes past EOF are zero. */
    void readPage(long off, long[] dst);

    /** The file's own page for page index {@code pgoff}, created (zeroed) if needed. For MAP_SHARED. */
    Page sharedPage(long pgoff);

    /** The file's size: a mapping's pages wholly past it fault with SIGBUS, as on Linux. */
    default long mappedBytes() {
        return Long.MAX_VALUE;
    }

    /** A name for /proc/pid/maps. */
    String mapName();
}
