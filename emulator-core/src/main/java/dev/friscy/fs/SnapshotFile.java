package dev.friscy.fs;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;

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
    public int read(byte[] buf, int off, int len) {
        int n = pread(offset, buf, off, len);
        offset += n;
        return n;
    }

    @Override
    public int pread(long pos, byte[] buf, int off, int len) {
        if (pos < 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        if (pos >= data.length) {
            return 0;
        }
        int n = (int) Math.min(len, data.length - pos);
        System.arraycopy(data, (int) pos, buf, off, n);
        return n;
    }

    @Override
    public int write(byte[] buf, int off, int len) {
        return pwrite(offset, buf, off, len);
    }

    @Override
    public int pwrite(long pos, byte[] buf, int off, int len) {
        // a sysctl takes each write whole, wherever the offset is (as Linux's do for short values)
        if (inode instanceof ProcFs.FileNode) {
            return ((ProcFs.FileNode) inode).store(buf, off, len);
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
