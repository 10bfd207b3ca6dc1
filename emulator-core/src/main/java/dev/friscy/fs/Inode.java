package dev.friscy.fs;

import dev.friscy.mem.MappedFile;
import dev.friscy.mem.Page;

import java.util.TreeMap;

/**
 * A file-system object of the in-memory file system: regular file, directory, symlink,
 * device or fifo. Regular file contents are kept in {@link Page}s, so that MAP_SHARED maps
 * the file's own pages and writes through either path are seen by both.
 *
 * Guest path names are bytes; they are held as ISO-8859-1 strings so every byte survives.
 */
public class Inode implements MappedFile {
    public static final int S_IFMT = 0170000;
    public static final int S_IFSOCK = 0140000;
    public static final int S_IFLNK = 0120000;
    public static final int S_IFREG = 0100000;
    public static final int S_IFBLK = 0060000;
    public static final int S_IFDIR = 0040000;
    public static final int S_IFCHR = 0020000;
    public static final int S_IFIFO = 0010000;

    public final long ino;
    public int mode;
    public int uid;
    public int gid;
    public int nlink;
    public long rdev;
    public long atimeNs;
    public long mtimeNs;
    public long ctimeNs;

    // regular files
    private Page[] pages = new Page[0];
    public long size;

    // directories: name -> child; the parent gives "..", the name gives getcwd its path
    public TreeMap<String, Inode> entries;
    public Inode parent;
    public String name = "";

    // symlinks
    public String target;

    public Inode(long ino, int mode) {
        this.ino = ino;
        this.mode = mode;
        this.nlink = 1;
        if (isDir()) {
            entries = new TreeMap<>();
            nlink = 2;
        }
    }

    public final int type() {
        return mode & S_IFMT;
    }

    public final boolean isDir() {
        return type() == S_IFDIR;
    }

    public final boolean isRegular() {
        return type() == S_IFREG;
    }

    public final boolean isSymlink() {
        return type() == S_IFLNK;
    }

    /** The absolute path of a directory, from its parent chain. */
    public String path() {
        if (parent == null || parent == this) {
            return "/";
        }
        StringBuilder sb = new StringBuilder();
        for (Inode d = this; d.parent != null && d.parent != d; d = d.parent) {
            sb.insert(0, d.name).insert(0, '/');
        }
        return sb.toString();
    }

    // ------------------------------------------------------------ regular file data

    public int read(long pos, byte[] buf, int off, int len) {
        if (pos >= size || len <= 0) {
            return 0;
        }
        int n = (int) Math.min(len, size - pos);
        int done = 0;
        while (done < n) {
            long p = pos + done;
            int pi = (int) (p >>> Page.SHIFT);
            int po = (int) (p & Page.MASK);
            int k = Math.min(n - done, Page.SIZE - po);
            Page pg = pi < pages.length ? pages[pi] : null;
            if (pg == null) {
                for (int i = 0; i < k; i++) {
                    buf[off + done + i] = 0;
                }
            } else {
                pg.read(po, buf, off + done, k);
            }
            done += k;
        }
        return n;
    }

    public int write(long pos, byte[] buf, int off, int len) {
        if (len <= 0) {
            return 0;
        }
        ensurePages(pos + len);
        int done = 0;
        while (done < len) {
            long p = pos + done;
            int pi = (int) (p >>> Page.SHIFT);
            int po = (int) (p & Page.MASK);
            int k = Math.min(len - done, Page.SIZE - po);
            Page pg = pages[pi];
            if (pg == null) {
                pg = pages[pi] = new Page();
                pg.sharers = 0;
                pg.pageCache = true;
            }
            pg.invalidateDecode();
            pg.write(po, buf, off + done, k);
            done += k;
        }
        if (pos + len > size) {
            size = pos + len;
        }
        return len;
    }

    private void ensurePages(long bytes) {
        long need = (bytes + Page.MASK) >>> Page.SHIFT;
        if (need > Integer.MAX_VALUE - 8) {
            throw new dev.friscy.kernel.SyscallError(dev.friscy.kernel.Errno.EFBIG);
        }
        if (need > pages.length) {
            Page[] np = new Page[(int) Math.max(need, pages.length * 2L)];
            System.arraycopy(pages, 0, np, 0, pages.length);
            pages = np;
        }
    }

    public void truncate(long len) {
        if (len < size) {
            int keep = (int) ((len + Page.MASK) >>> Page.SHIFT);
            for (int i = keep; i < pages.length; i++) {
                pages[i] = null;
            }
            int po = (int) (len & Page.MASK);
            if (po != 0 && keep - 1 < pages.length && pages[keep - 1] != null) {
                Page pg = pages[keep - 1];
                for (int i = po; i < Page.SIZE; i++) {
                    pg.putByte(i, 0);
                }
            }
        } else {
            ensurePages(len);
        }
        size = len;
    }

    /** The whole content (for exec and tar export). */
    public byte[] readAll() {
        byte[] b = new byte[(int) size];
        read(0, b, 0, b.length);
        return b;
    }

    @Override
    public void readPage(long off, long[] dst) {
        int pi = (int) (off >>> Page.SHIFT);
        if ((off & Page.MASK) == 0) {
            if (pi < pages.length && pages[pi] != null && off < size) {
                System.arraycopy(pages[pi].data, 0, dst, 0, Page.LONGS);
                long end = size - off;
                if (end < Page.SIZE) {
                    Page tmp = new Page(dst);
                    for (int i = (int) end; i < Page.SIZE; i++) {
                        tmp.putByte(i, 0);
                    }
                }
            }
            return;
        }
        byte[] b = new byte[Page.SIZE];
        read(off, b, 0, Page.SIZE);
        new Page(dst).write(0, b, 0, Page.SIZE);
    }

    @Override
    public Page sharedPage(long pgoff) {
        ensurePages((pgoff + 1) << Page.SHIFT);
        Page p = pages[(int) pgoff];
        if (p == null) {
            p = pages[(int) pgoff] = new Page();
            p.sharers = 0;
            p.pageCache = true;
        }
        return p;
    }

    @Override
    public String mapName() {
        return name;
    }
}
