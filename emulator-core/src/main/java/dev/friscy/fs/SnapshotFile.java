package dev.friscy.fs;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.kernel.Task;
import dev.friscy.mem.IoBuffer;

/** A read-only file whose content was generated when it was opened (the /proc files). */
public final class SnapshotFile extends FileDescription {
    private final Inode inode;
    private final String path;
    private final byte[] data;

    public SnapshotFile(Inode inode, String path, byte[] data, int flags) {
        super(flags);
        this.inode = inode;
        this.path = path;
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
        throw new SyscallError(Errno.EACCES);
    }

    @Override
    public int pwrite(Task t, long pos, IoBuffer src) {
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
    public void stat(Stat st) {
        inode.stat(st);
    }

    @Override
    public Inode inode() {
        return inode;
    }

    @Override
    public String describe() {
        return path;
    }
}
