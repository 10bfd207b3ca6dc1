package dev.friscy.fs;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.host.Host;

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
    public int read(byte[] buf, int off, int len) {
        switch (minor) {
            case NULL:
                return 0;
            case ZERO:
            case FULL:
                for (int i = 0; i < len; i++) {
                    buf[off + i] = 0;
                }
                return len;
            default:
                host.randomBytes(buf, off, len);
                return len;
        }
    }

    @Override
    public int write(byte[] buf, int off, int len) {
        if (minor == FULL) {
            throw new SyscallError(Errno.ENOSPC);
        }
        return len;
    }

    @Override
    public int pread(long pos, byte[] buf, int off, int len) {
        return read(buf, off, len);
    }

    @Override
    public int pwrite(long pos, byte[] buf, int off, int len) {
        return write(buf, off, len);
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
