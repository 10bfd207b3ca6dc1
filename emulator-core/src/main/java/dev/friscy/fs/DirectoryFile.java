package dev.friscy.fs;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.kernel.Task;
import dev.friscy.mem.IoBuffer;

import java.util.List;

/**
 * An open directory. Its listing is a snapshot of the names taken at the first read from
 * position 0 (open, or rewinddir), so positions (d_off cookies) stay stable while the
 * directory changes; names removed since are skipped, names added show up after a rewind.
 * Position 0 is ".", 1 is "..", 2+i is the i-th name.
 */
public final class DirectoryFile extends NodeFile {
    public static final int DT_UNKNOWN = 0, DT_FIFO = 1, DT_CHR = 2, DT_DIR = 4, DT_BLK = 6, DT_REG = 8, DT_LNK = 10,
            DT_SOCK = 12;

    private final Vfs vfs;
    private List<String> names;

    public DirectoryFile(Vfs vfs, Inode dir, String path, int flags) {
        super(dir, path, flags);
        this.vfs = vfs;
    }

    /** One directory entry as getdents64 reports it. */
    public static final class Entry {
        public long ino;
        public long nextOff;
        public int type;
        public String name;
    }

    /**
     * The entry at the current position, skipping removed names, or null at the end; does not
     * advance (call {@link #advance} after the entry was copied out).
     */
    public Entry peek(Task caller, FsContext ctx) {
        if (inode.nlink == 0) {
            return null; // a removed directory lists nothing, not even . and ..
        }
        if (offset == 0 || names == null) {
            names = inode.childNames();
        }
        while (true) {
            long pos = offset;
            Entry e = new Entry();
            e.nextOff = pos + 1;
            if (pos == 0) {
                e.name = ".";
                e.ino = inode.ino;
                e.type = DT_DIR;
                return e;
            }
            if (pos == 1) {
                e.name = "..";
                Inode up = inode == ctx.root || inode.parent == null ? inode : inode.parent;
                e.ino = up.ino;
                e.type = DT_DIR;
                return e;
            }
            long idx = pos - 2;
            if (idx >= names.size()) {
                return null;
            }
            String n = names.get((int) idx);
            Inode child = inode.lookup(caller, n);
            if (child == null) {
                offset++;
                continue;
            }
            e.name = n;
            Stat st = new Stat();
            child.stat(st);
            e.ino = st.ino;
            e.type = typeOf(st.mode);
            return e;
        }
    }

    public void advance(Entry e) {
        offset = e.nextOff;
    }

    /** After a listing: atime, as reading a directory does. */
    public void accessed() {
        RegularFile.touchAtime(vfs, inode, flags);
    }

    public static int typeOf(int mode) {
        switch (mode & Inode.S_IFMT) {
            case Inode.S_IFIFO:
                return DT_FIFO;
            case Inode.S_IFCHR:
                return DT_CHR;
            case Inode.S_IFDIR:
                return DT_DIR;
            case Inode.S_IFBLK:
                return DT_BLK;
            case Inode.S_IFREG:
                return DT_REG;
            case Inode.S_IFLNK:
                return DT_LNK;
            case Inode.S_IFSOCK:
                return DT_SOCK;
            default:
                return DT_UNKNOWN;
        }
    }

    @Override
    public int read(Task t, IoBuffer dst) {
        throw new SyscallError(Errno.EISDIR);
    }

    @Override
    public int pread(Task t, long pos, IoBuffer dst) {
        throw new SyscallError(Errno.EISDIR);
    }

    @Override
    public long seek(long off, int whence) {
        long n;
        if (whence == RegularFile.SEEK_SET) {
            n = off;
        } else if (whence == RegularFile.SEEK_CUR) {
            n = offset + off;
        } else {
            throw new SyscallError(Errno.EINVAL);
        }
        if (n < 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        offset = n;
        return n;
    }

    @Override
    public String describe() {
        return pathOrDeleted();
    }
}
