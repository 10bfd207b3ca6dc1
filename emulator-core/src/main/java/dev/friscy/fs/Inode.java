package dev.friscy.fs;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.kernel.Task;
import dev.friscy.mem.MappedFile;
import dev.friscy.mem.Page;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * A file-system object of the in-memory file system: regular file, directory, symlink,
 * device or fifo. Regular file contents are kept in {@link Page}s, so that MAP_SHARED maps
 * the file's own pages and writes through either path are seen by both. Pages never written
 * stay null: they are holes (SEEK_HOLE, st_blocks).
 *
 * Guest path names are bytes; they are held as ISO-8859-1 strings so every byte survives.
 * Synthetic file systems (/proc) subclass this and override {@link #lookup}, {@link #childNames}
 * and {@link #stat}.
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
    public static final int S_ISUID = 04000;
    public static final int S_ISGID = 02000;
    public static final int S_ISVTX = 01000;

    /** st_dev of the root tmpfs (major 0, minor 1 as new_encode_dev gives it). */
    public static final long TMPFS_DEV = 1;

    public final long ino;
    public int mode;
    public int uid;
    public int gid;
    /** Names that refer to this inode (directories: 2 + subdirectories). */
    public int nlink;
    public long rdev;
    public long atimeNs;
    public long mtimeNs;
    public long ctimeNs;
    public long btimeNs;

    // regular files
    private final FilePages pages = new FilePages();
    public long size;

    // directories: name -> child; the parent gives "..", the name gives getcwd its path
    public TreeMap<String, Inode> entries;
    public Inode parent;
    public String name = "";
    /** For non-directories: the path it was last linked under (for /proc/pid/maps). */
    public String pathHint = "";

    // symlinks
    public String target;

    /** memfd seals (F_SEAL_*); -1 for files that cannot be sealed (F_GET_SEALS reports F_SEAL_SEAL). */
    public int seals = -1;

    /** An O_TMPFILE file (without O_EXCL) that linkat may give a name although it has none. */
    public boolean linkable;

    /** Record and flock locks; created on first use. */
    public FileLocks locks;
    /** A FIFO's open state ({@link Fifos}), created on first open. */
    public Object fifoPipe;
    /** A socket inode's bound AF_UNIX socket (dev.friscy.net.Socket) while it is open; null after. */
    public Object boundSocket;

    public Inode(long ino, int mode) {
        this.ino = ino;
        this.mode = mode;
        if (isDir()) {
            entries = new TreeMap<>();
            nlink = 2;
        }
    }

    /** From now on this file's data pages are charged to {@code a} (see {@link Vfs#memory}). */
    public void chargeTo(dev.friscy.mem.MemoryAccount a) {
        pages.account = a;
    }

    /** This file's data pages not yet seen in recount {@code mark}. */
    public long countPages(int mark) {
        return pages.countPages(mark);
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
        return pathFrom(null);
    }

    /**
     * The path of a directory as seen from {@code root} (a chroot), or null if it lies outside
     * it or was removed. With a null root, the path from the file-system root.
     */
    public String pathFrom(Inode root) {
        StringBuilder sb = new StringBuilder();
        Inode d = this;
        while (d != root) {
            if (d.parent == null || d.parent == d) {
                if (root != null) {
                    return null; // reached the top without passing the root
                }
                break;
            }
            sb.insert(0, d.name).insert(0, '/');
            d = d.parent;
        }
        return sb.length() == 0 ? "/" : sb.toString();
    }

    // ------------------------------------------------------------ directory hooks

    /** The child called {@code name} (not "." or ".."), or null. */
    public Inode lookup(String name) {
        return entries == null ? null : entries.get(name);
    }

    /**
     * The child called {@code name} as {@code caller} sees it (/proc/self names the caller's
     * own process); {@code caller} is null for the kernel's own walks.
     */
    public Inode lookup(Task caller, String name) {
        return lookup(name);
    }

    /** Names of the children, in a stable order (for getdents). */
    public List<String> childNames() {
        return entries == null ? new ArrayList<>() : new ArrayList<>(entries.keySet());
    }

    /** False for synthetic directories whose children cannot be created or removed. */
    public boolean mutable() {
        return true;
    }

    /** Fills {@code st} from this inode. */
    public void stat(Stat st) {
        st.dev = TMPFS_DEV;
        st.ino = ino;
        st.mode = mode;
        st.nlink = nlink;
        st.uid = uid;
        st.gid = gid;
        st.rdev = rdev;
        st.size = isRegular() ? size : isSymlink() ? target.length() : isDir() ? 20L * (entries == null ? 2 : entries.size() + 2) : 0;
        st.blksize = 4096;
        st.blocks = isRegular() ? pages.allocated() * (long) (Page.SIZE / 512) : 0;
        st.atimeNs = atimeNs;
        st.mtimeNs = mtimeNs;
        st.ctimeNs = ctimeNs;
        st.btimeNs = btimeNs;
    }

    // ------------------------------------------------------------ regular file data

    /**
     * An empty regular file's data becomes the {@code len} bytes at {@code off} of a lazy
     * archive, read into pages when first used (see {@link FilePages}).
     */
    void backBy(TarSource src, long off, long len) {
        pages.backBy(src, off, len);
        size = len;
    }

    public int read(long pos, byte[] buf, int off, int len) {
        if (pos >= size || len <= 0) {
            return 0;
        }
        int n = (int) Math.min(len, size - pos);
        int done = 0;
        while (done < n) {
            long p = pos + done;
            int po = (int) (p & Page.MASK);
            int k = Math.min(n - done, Page.SIZE - po);
            Page pg = pages.get(p >>> Page.SHIFT);
            if (pg == null) {
                for (int i = 0; i < k; i++) {
                    buf[off + done + i] = 0;
                }
            } else {
                PageBytes.get(pg, po, buf, off + done, k);
            }
            done += k;
        }
        return n;
    }

    public int write(long pos, byte[] buf, int off, int len) {
        if (len <= 0) {
            return 0;
        }
        if (pos < 0 || pos + len > FilePages.MAX_SIZE) {
            throw new SyscallError(Errno.EFBIG);
        }
        int done = 0;
        while (done < len) {
            long p = pos + done;
            int po = (int) (p & Page.MASK);
            int k = Math.min(len - done, Page.SIZE - po);
            Page pg = pages.getOrCreate(p >>> Page.SHIFT);
            pg.invalidateDecode();
            PageBytes.put(pg, po, buf, off + done, k);
            done += k;
        }
        if (pos + len > size) {
            size = pos + len;
        }
        return len;
    }

    public void truncate(long len) {
        if (len < 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        if (len > FilePages.MAX_SIZE) {
            throw new SyscallError(Errno.EFBIG);
        }
        if (len < size) {
            pages.removeFrom((len + Page.MASK) >>> Page.SHIFT);
            zeroTail(len);
        }
        size = len;
    }

    /** Zeroes the bytes of the page holding {@code from} that lie past it. */
    private void zeroTail(long from) {
        int po = (int) (from & Page.MASK);
        Page pg = pages.get(from >>> Page.SHIFT);
        if (po != 0 && pg != null) {
            pg.invalidateDecode();
            for (int i = po; i < Page.SIZE; i++) {
                pg.putByte(i, 0);
            }
        }
    }

    /** fallocate mode 0 / KEEP_SIZE: backs [off, off+len) with pages. */
    public void allocate(long off, long len, boolean keepSize) {
        long end = off + len;
        if (off < 0 || len <= 0 || end < 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        if (end > FilePages.MAX_SIZE) {
            throw new SyscallError(Errno.EFBIG);
        }
        for (long p = off >>> Page.SHIFT; p < (end + Page.MASK) >>> Page.SHIFT; p++) {
            pages.getOrCreate(p);
        }
        if (!keepSize && end > size) {
            size = end;
        }
    }

    /** fallocate PUNCH_HOLE / ZERO_RANGE: zeroes [off, off+len), freeing whole pages unless {@code keepPages}. */
    public void punch(long off, long len, boolean keepPages) {
        if (off < 0 || len <= 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        long end = Math.min(off + len < 0 ? Long.MAX_VALUE : off + len, Math.max(size, off));
        long p = off;
        while (p < end) {
            long pi = p >>> Page.SHIFT;
            int po = (int) (p & Page.MASK);
            int k = (int) Math.min(end - p, Page.SIZE - po);
            Page pg = pages.get(pi);
            if (pg != null) {
                if (k == Page.SIZE && !keepPages) {
                    pages.remove(pi);
                } else {
                    pg.invalidateDecode();
                    for (int i = 0; i < k; i++) {
                        pg.putByte(po + i, 0);
                    }
                }
            }
            p += k;
        }
    }

    /** SEEK_DATA: the first offset >= pos inside data (ENXIO past the end). */
    public long nextData(long pos) {
        if (pos < 0 || pos >= size) {
            throw new SyscallError(Errno.ENXIO);
        }
        long limit = (size + Page.MASK) >>> Page.SHIFT;
        long pi = pages.nextPresent(pos >>> Page.SHIFT, limit);
        if (pi < 0) {
            throw new SyscallError(Errno.ENXIO);
        }
        return Math.max(pos, pi << Page.SHIFT);
    }

    /** SEEK_HOLE: the first offset >= pos in a hole; the end of file counts as one. */
    public long nextHole(long pos) {
        if (pos < 0 || pos >= size) {
            throw new SyscallError(Errno.ENXIO);
        }
        long limit = (size + Page.MASK) >>> Page.SHIFT;
        long pi = pages.nextAbsent(pos >>> Page.SHIFT, limit);
        return pi >= limit ? size : Math.max(pos, pi << Page.SHIFT);
    }

    /** The page holding file page index {@code pi}, or null for a hole. */
    final Page pageAt(long pi) {
        return pages.get(pi);
    }

    /** The page for file page index {@code pi}, allocated if it is a hole (EFBIG past the size limit). */
    final Page pageForWrite(long pi) {
        return pages.getOrCreate(pi);
    }

    /** The whole content (for exec and tar export). */
    public byte[] readAll() {
        if (size > Integer.MAX_VALUE - 8) {
            throw new SyscallError(Errno.EFBIG);
        }
        byte[] b = new byte[(int) size];
        read(0, b, 0, b.length);
        return b;
    }

    @Override
    public void readPage(long off, long[] dst) {
        Page pg = (off & Page.MASK) == 0 && off < size ? pages.get(off >>> Page.SHIFT) : null;
        if (pg != null) {
            System.arraycopy(pg.data, 0, dst, 0, Page.LONGS);
            long end = size - off;
            if (end < Page.SIZE) {
                Page tmp = new Page(dst);
                for (int i = (int) end; i < Page.SIZE; i++) {
                    tmp.putByte(i, 0);
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
        return pages.getOrCreate(pgoff);
    }

    @Override
    public long mappedBytes() {
        return isRegular() ? size : Long.MAX_VALUE;
    }

    @Override
    public String mapName() {
        return isDir() ? path() : pathHint;
    }
}
