package dev.friscy.fs;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.host.Host;
import dev.friscy.kernel.Task;
import dev.friscy.mem.IoBuffer;

/** The memory character devices (major 1): /dev/null, zero, full, random, urandom. */
public final class DeviceFile extends FileDescription {
    public static final int NULL = 3, ZERO = 5, FULL = 7, RANDOM = 8, URANDOM = 9;

    private final Inode inode;
    private final String path;
    private final int minor;
    private final Host host;

    public DeviceFile(Inode inode, String path, int minor, Host host, int flags) {
        super(flags);
        this.inode = inode;
        this.path = path;
        this.minor = minor;
        this.host = host;
    }

    @Override
    public int read(Task t, IoBuffer dst) {
        if (minor == NULL) {
            return 0;
        }
        int len = dst.chunk();
        byte[] buf = new byte[len];
        if (minor != ZERO && minor != FULL) {
            host.randomBytes(buf, 0, len);
        }
        dst.copyOut(0, buf, 0, len);
        return len;
    }

    @Override
    public int write(Task t, IoBuffer src) {
        int len = src.chunk();
        src.copyIn(len); // the bytes must be readable, even though they go nowhere
        if (minor == FULL) {
            throw new SyscallError(Errno.ENOSPC);
        }
        return len;
    }

    @Override
    public int pread(Task t, long pos, IoBuffer dst) {
        return read(t, dst);
    }

    @Override
    public int pwrite(Task t, long pos, IoBuffer src) {
        return write(t, src);
    }

    @Override
    public long seek(long off, int whence) {
        // these devices accept any seek and stay at 0
        offset = 0;
        return 0;
    }

    @Override
    public int poll() {
        return Poll.IN | Poll.OUT | Poll.RDNORM | Poll.WRNORM;
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
