package dev.friscy.fs;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.kernel.Task;
import dev.friscy.mem.IoBuffer;

/** A read-only file whose content was generated when it was opened (the /proc files). */
public final class SnapshotFile extends NodeFile {
    private final byte[] data;

    /** The ioctls a /proc file answers (PROCMAP_QUERY on maps); null for none (ENOTTY). */
    public interface Ioctl {
        long ioctl(Task t, int cmd, long arg);
    }

    Ioctl ioctls;

    public SnapshotFile(Inode inode, String path, byte[] data, int flags) {
        super(inode, path, flags);
        this.data = data;
    }

    @Override
    public int read(Task t, IoBuffer dst) {
        int n = pread(t, offset, dst);
        offset += n;
        return n;
    }

    @Override
    public int pread(Task t, long pos, IoBuffer dst) {
        if (pos < 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        if (pos >= data.length) {
            return 0;
        }
        int n = (int) Math.min(dst.chunk(), data.length - pos);
        dst.copyOut(0, data, (int) pos, n);
        return n;
    }

    @Override
    public int write(Task t, IoBuffer src) {
        return pwrite(t, offset, src);
    }

    @Override
    public int pwrite(Task t, long pos, IoBuffer src) {
        // a sysctl takes each write whole, wherever the offset is (as Linux's do for short values)
        if (inode instanceof ProcFs.FileNode) {
            int n = src.chunk();
            return ((ProcFs.FileNode) inode).store(src.copyIn(n), 0, n);
        }
        throw new SyscallError(Errno.EACCES);
    }

    @Override
    public long seek(long off, int whence) {
        long base = whence == RegularFile.SEEK_SET ? 0 : whence == RegularFile.SEEK_CUR ? offset
                : whence == RegularFile.SEEK_END ? data.length : -1;
        if (base < 0 || base + off < 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        offset = base + off;
        return offset;
    }

    @Override
    public int poll() {
        return Poll.IN | Poll.RDNORM;
    }

    @Override
    public long ioctl(Task t, int cmd, long arg) {
        if (ioctls == null) {
            throw new SyscallError(Errno.ENOTTY);
        }
        return ioctls.ioctl(t, cmd, arg);
    }
}
