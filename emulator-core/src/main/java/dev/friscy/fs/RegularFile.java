package dev.friscy.fs;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.kernel.Task;
import dev.friscy.kernel.UserMemory;
import dev.friscy.mem.AddressSpace;
import dev.friscy.mem.IoBuffer;
import dev.friscy.mem.Page;

/** An open regular file of the in-memory file system: a shared offset over the inode's pages. */
public final class RegularFile extends NodeFile {
    public static final int SEEK_SET = 0, SEEK_CUR = 1, SEEK_END = 2, SEEK_DATA = 3, SEEK_HOLE = 4;
    public static final int FIONREAD = 0x541B;
    /** Largest file offset (MAX_LFS_FILESIZE). */
    public static final long MAX_OFFSET = Long.MAX_VALUE;

    private final Vfs vfs;

    public RegularFile(Vfs vfs, Inode inode, String path, int flags) {
        super(inode, path, flags);
        this.vfs = vfs;
    }

    /** read(2): guest buffers are filled straight from the file's pages, kernel arrays by copy. */
    @Override
    public int read(Task t, IoBuffer dst) {
        if (dst.inGuest()) {
            return readTo(dst.space(), dst.address(), dst.length);
        }
        int n = pread(t, offset, dst);
        offset += n;
        return n;
    }

    @Override
    public int write(Task t, IoBuffer src) {
        if (src.inGuest()) {
            return writeFrom(t, src.space(), src.address(), src.length);
        }
        if ((flags & OpenFlags.O_APPEND) != 0) {
            offset = inode.size;
        }
        int n = writeAt(t, offset, src.array(), src.arrayOffset(), src.length);
        offset += n;
        return n;
    }

    /** pread(2) and the kernel's own reads: through a kernel array of at most {@link IoBuffer#CHUNK} bytes. */
    @Override
    public int pread(Task t, long pos, IoBuffer dst) {
        if (pos < 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        if (!dst.inGuest()) {
            int n = inode.read(pos, dst.array(), dst.arrayOffset(), dst.length);
            touchAtime(vfs, inode, flags);
            return n;
        }
        byte[] b = new byte[dst.chunk()];
        int n = inode.read(pos, b, 0, b.length);
        touchAtime(vfs, inode, flags);
        dst.copyOut(0, b, 0, n);
        return n;
    }

    @Override
    public int pwrite(Task t, long pos, IoBuffer src) {
        if (pos < 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        byte[] b;
        int off;
        int len;
        if (src.inGuest()) {
            len = src.chunk();
            b = src.copyIn(len);
            off = 0;
        } else {
            b = src.array();
            off = src.arrayOffset();
            len = src.length;
        }
        // Linux appends even for pwrite when the file was opened O_APPEND
        return writeAt(t, (flags & OpenFlags.O_APPEND) != 0 ? inode.size : pos, b, off, len);
    }

    private static final long[] ZERO_PAGE = new long[Page.LONGS];

    /** read(2) straight from the file's pages into guest memory. */
    private int readTo(AddressSpace as, long addr, int len) {
        long pos = offset;
        if (pos >= inode.size || len <= 0) {
            return 0;
        }
        int n = (int) Math.min(len, inode.size - pos);
        int done = 0;
        while (done < n) {
            long fp = pos + done;
            long a = addr + done;
            Page g = as.pageForWrite(a);
            if (g == null) {
                as.clearFault();
                if (done == 0) {
                    throw new SyscallError(Errno.EFAULT);
                }
                break;
            }
            int fo = (int) (fp & Page.MASK);
            int go = (int) (a & Page.MASK);
            int k = Math.min(n - done, Math.min(Page.SIZE - fo, Page.SIZE - go));
            Page src = inode.pageAt(fp >>> Page.SHIFT);
            PipeBuffer.copyBytes(src == null ? ZERO_PAGE : src.data, fo, g.data, go, k);
            done += k;
        }
        offset = pos + done;
        touchAtime(vfs, inode, flags);
        return done;
    }

    /** write(2) straight from guest memory into the file's pages. */
    private int writeFrom(Task t, AddressSpace as, long addr, int len) {
        if ((flags & OpenFlags.O_APPEND) != 0) {
            offset = inode.size;
        }
        long pos = offset;
        if (len <= 0) {
            return 0;
        }
        if (pos + len < 0 || pos + len > FilePages.MAX_SIZE) {
            throw new SyscallError(Errno.EFBIG);
        }
        checkSeals(pos + len);
        int done = 0;
        while (done < len) {
            long fp = pos + done;
            long a = addr + done;
            Page g = as.pageForRead(a);
            if (g == null) {
                as.clearFault();
                if (done == 0) {
                    throw new SyscallError(Errno.EFAULT);
                }
                break;
            }
            int fo = (int) (fp & Page.MASK);
            int go = (int) (a & Page.MASK);
            int k = Math.min(len - done, Math.min(Page.SIZE - fo, Page.SIZE - go));
            Page dst = inode.pageForWrite(fp >>> Page.SHIFT);
            dst.invalidateDecode();
            PipeBuffer.copyBytes(g.data, go, dst.data, fo, k);
            done += k;
        }
        if (pos + done > inode.size) {
            inode.size = pos + done;
        }
        offset = pos + done;
        modified(t);
        return done;
    }

    private void modified(Task t) {
        long now = vfs.now();
        inode.mtimeNs = now;
        inode.ctimeNs = now;
        // a write by an unprivileged process drops set-user-ID and (group-executable) set-group-ID
        if ((inode.mode & (Inode.S_ISUID | Inode.S_ISGID)) != 0 && t != null && !t.cred().isRoot()) {
            inode.mode &= ~Inode.S_ISUID;
            if ((inode.mode & 010) != 0) {
                inode.mode &= ~Inode.S_ISGID;
            }
        }
    }

    /** memfd seals: no writes at all, or none that grow the file. */
    private void checkSeals(long end) {
        int seals = inode.seals;
        if (seals > 0 && ((seals & (Seals.WRITE | Seals.FUTURE_WRITE)) != 0
                || (seals & Seals.GROW) != 0 && end > inode.size)) {
            throw new SyscallError(Errno.EPERM);
        }
    }

    private int writeAt(Task t, long pos, byte[] buf, int off, int len) {
        if (len == 0) {
            return 0;
        }
        checkSeals(pos + len);
        if (pos + len < 0) {
            throw new SyscallError(Errno.EFBIG);
        }
        int n = inode.write(pos, buf, off, len);
        modified(t);
        return n;
    }

    /** relatime: atime moves only if it is older than mtime/ctime or a day old. */
    static void touchAtime(Vfs vfs, Inode i, int flags) {
        if ((flags & OpenFlags.O_NOATIME) != 0) {
            return;
        }
        long now = vfs.now();
        if (i.atimeNs <= i.mtimeNs || i.atimeNs <= i.ctimeNs || now - i.atimeNs >= 86_400_000_000_000L) {
            i.atimeNs = now;
        }
    }

    @Override
    public long seek(long off, int whence) {
        long base;
        switch (whence) {
            case SEEK_SET:
                base = 0;
                break;
            case SEEK_CUR:
                base = offset;
                break;
            case SEEK_END:
                base = inode.size;
                break;
            case SEEK_DATA:
                return offset = inode.nextData(off);
            case SEEK_HOLE:
                return offset = inode.nextHole(off);
            default:
                throw new SyscallError(Errno.EINVAL);
        }
        long n = base + off;
        if ((off > 0 && n < base) || n < 0) {
            throw new SyscallError(off > 0 ? Errno.EOVERFLOW : Errno.EINVAL);
        }
        offset = n;
        return n;
    }

    @Override
    public int poll() {
        return Poll.IN | Poll.OUT | Poll.RDNORM | Poll.WRNORM;
    }

    @Override
    public long ioctl(Task t, int cmd, long arg) {
        if (cmd == FIONREAD) {
            long n = Math.max(0, inode.size - offset);
            UserMemory.store32(t, arg, (int) Math.min(n, Integer.MAX_VALUE));
            return 0;
        }
        throw new SyscallError(Errno.ENOTTY);
    }

    @Override
    public String describe() {
        return pathOrDeleted();
    }
}
