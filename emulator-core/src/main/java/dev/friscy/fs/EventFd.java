package dev.friscy.fs;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.kernel.Task;
import dev.friscy.mem.IoBuffer;
import dev.friscy.waiter.WaitQueue;

/**
 * eventfd: a 64-bit counter. A read takes the whole count (or 1 with EFD_SEMAPHORE) and waits
 * while it is zero; a write adds to it and waits while the sum would pass 2^64 - 2.
 */
public final class EventFd extends FileDescription {
    public static final int EFD_SEMAPHORE = 1;
    /** Largest value the counter can hold (as an unsigned number). */
    private static final long MAX = 0xffff_ffff_ffff_fffeL;

    private long count;
    private final boolean semaphore;
    private final WaitQueue queue = new WaitQueue();
    private static long nextIno = 1;
    private final long ino = nextIno++;

    public EventFd(long initial, int flags, boolean semaphore) {
        super(OpenFlags.O_RDWR | (flags & OpenFlags.O_NONBLOCK));
        this.count = initial & 0xffff_ffffL;
        this.semaphore = semaphore;
    }

    public long count() {
        return count;
    }

    @Override
    public int read(Task t, IoBuffer dst) {
        if (dst.length < 8) {
            throw new SyscallError(Errno.EINVAL);
        }
        if (count == 0) {
            throw new SyscallError(Errno.EAGAIN);
        }
        long v = semaphore ? 1 : count;
        count -= v;
        byte[] buf = new byte[8];
        putLong(buf, 0, v);
        queue.wakeAll();
        dst.copyOut(0, buf, 0, 8); // a bad buffer loses the value, as on Linux
        return 8;
    }

    @Override
    public int write(Task t, IoBuffer src) {
        if (src.length < 8) {
            throw new SyscallError(Errno.EINVAL);
        }
        long v = getLong(src.copyIn(8), 0);
        if (v == -1L) {
            throw new SyscallError(Errno.EINVAL);
        }
        add(v);
        return 8;
    }

    /** Adds {@code v}; EAGAIN if the counter would overflow (the caller waits or fails). */
    public void add(long v) {
        if (Long.compareUnsigned(v, MAX - count) > 0) {
            throw new SyscallError(Errno.EAGAIN);
        }
        count += v;
        if (v != 0) {
            queue.wakeAll();
        }
    }

    @Override
    public int poll() {
        int m = 0;
        if (count != 0) {
            m |= Poll.IN | Poll.RDNORM;
        }
        if (Long.compareUnsigned(count, MAX) < 0) {
            m |= Poll.OUT | Poll.WRNORM;
        }
        return m;
    }

    @Override
    public WaitQueue waitQueue() {
        return queue;
    }

    @Override
    public long ioctl(Task t, int cmd, long arg) {
        return StreamIoctl.common(t, this, cmd, arg, -1);
    }

    @Override
    public void stat(Stat st) {
        AnonInode.stat(st, ino);
    }

    @Override
    public boolean isAnonInode() {
        return true;
    }

    @Override
    public String describe() {
        return "anon_inode:[eventfd]";
    }

    static void putLong(byte[] b, int off, long v) {
        for (int i = 0; i < 8; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }

    static long getLong(byte[] b, int off) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[off + i] & 0xff);
        }
        return v;
    }
}
