package dev.friscy.fs;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.host.Host;
import dev.friscy.kernel.Task;
import dev.friscy.mem.IoBuffer;

/** The memory character devices (major 1): /dev/null, zero, full, random, urandom. */
public final class DeviceFile extends NodeFile {
    public static final int NULL = 3, ZERO = 5, FULL = 7, RANDOM = 8, URANDOM = 9;

    private final int minor;
    private final Host host;

    public DeviceFile(Inode inode, String path, int minor, Host host, int flags) {
        super(inode, path, flags);
        this.minor = minor;
        this.host = host;
    }

    // the random driver's ioctls (linux/random.h)
    static final int RNDGETENTCNT = 0x80045200, RNDADDTOENTCNT = 0x40045201, RNDGETPOOL = 0x80085202,
            RNDADDENTROPY = 0x40085203, RNDZAPENTCNT = 0x5204, RNDCLEARPOOL = 0x5206, RNDRESEEDCRNG = 0x5207;
    /** What RNDGETENTCNT reports: the host's generator is always seeded, Linux's pool is "ready" at 256 bits. */
    static final int POOL_READY_BITS = 256;

    /**
     * /dev/random and /dev/urandom answer the random driver's ioctls as Linux 5.18+ does (the
     * host's generator is seeded: entropy credits change nothing); other devices have none.
     */
    @Override
    public long ioctl(Task t, int cmd, long arg) {
        if (minor != RANDOM && minor != URANDOM) {
            throw new SyscallError(Errno.ENOTTY);
        }
        boolean admin = t.cred().isRoot();
        switch (cmd) {
            case RNDGETENTCNT:
                dev.friscy.kernel.UserMemory.store32(t, arg, POOL_READY_BITS);
                return 0;
            case RNDADDTOENTCNT:
            case RNDADDENTROPY: {
                if (!admin) {
                    throw new SyscallError(Errno.EPERM);
                }
                int count = dev.friscy.kernel.UserMemory.load32(t, arg);
                if (count < 0) {
                    throw new SyscallError(Errno.EINVAL);
                }
                if (cmd == RNDADDENTROPY) {
                    int len = dev.friscy.kernel.UserMemory.load32(t, arg + 4);
                    if (len < 0) {
                        throw new SyscallError(Errno.EINVAL);
                    }
                    dev.friscy.kernel.UserMemory.read(t, arg + 8, Math.min(len, 1 << 20)); // EFAULT as Linux's copy
                }
                return 0;
            }
            case RNDZAPENTCNT:
            case RNDCLEARPOOL:
            case RNDRESEEDCRNG:
                if (!admin) {
                    throw new SyscallError(Errno.EPERM);
                }
                return 0;
            default:
                throw new SyscallError(Errno.EINVAL); // random_ioctl's answer, RNDGETPOOL (removed) included
        }
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
}
