package dev.friscy.fs;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.kernel.Task;
import dev.friscy.mem.IoBuffer;

/** An O_PATH descriptor: names an object for *at calls, fstat and fchdir, but cannot do I/O. */
public final class PathFile extends NodeFile {

    public PathFile(Inode inode, String path, int flags) {
        super(inode, path, flags);
    }

    @Override
    public int read(Task t, IoBuffer dst) {
        throw new SyscallError(Errno.EBADF);
    }

    @Override
    public int write(Task t, IoBuffer src) {
        throw new SyscallError(Errno.EBADF);
    }

    @Override
    public int pread(Task t, long pos, IoBuffer dst) {
        throw new SyscallError(Errno.EBADF);
    }

    @Override
    public int pwrite(Task t, long pos, IoBuffer src) {
        throw new SyscallError(Errno.EBADF);
    }

    @Override
    public long seek(long off, int whence) {
        throw new SyscallError(Errno.EBADF);
    }

    @Override
    public int poll() {
        return Poll.NVAL;
    }

    @Override
    public long ioctl(dev.friscy.kernel.Task t, int cmd, long arg) {
        throw new SyscallError(Errno.EBADF);
    }
}
