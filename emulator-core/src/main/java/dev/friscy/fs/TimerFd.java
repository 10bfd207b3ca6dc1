package dev.friscy.fs;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.kernel.Kernel;
import dev.friscy.kernel.Task;
import dev.friscy.kernel.TimerQueue;
import dev.friscy.mem.IoBuffer;
import dev.friscy.waiter.WaitQueue;

/**
 * timerfd: a kernel timer whose expirations are counted; a read returns the count (8 bytes)
 * and resets it, waiting while it is zero. Arming and the clock rules are in SysTime.
 */
public final class TimerFd extends FileDescription {
    public final int clockId;
    private long ticks;
    private final WaitQueue queue = new WaitQueue();
    private static long nextIno = 1;
    private final long ino = nextIno++;

    public final TimerQueue.Timer timer = new TimerQueue.Timer() {
        @Override
        protected void expired(Kernel k, long count) {
            ticks += count;
            queue.wakeAll();
        }
    };

    /** The kernel whose timer queue holds {@link #timer}. */
    private final Kernel kernel;

    public TimerFd(Kernel kernel, int clockId, int flags) {
        super(OpenFlags.O_RDWR | (flags & OpenFlags.O_NONBLOCK));
        this.kernel = kernel;
        this.clockId = clockId;
    }

    /** timerfd_settime forgets expirations not yet read. */
    public void resetTicks() {
        ticks = 0;
    }

    public long ticks() {
        return ticks;
    }

    @Override
    public int read(Task t, IoBuffer dst) {
        if (dst.length < 8) {
            throw new SyscallError(Errno.EINVAL);
        }
        if (ticks == 0) {
            throw new SyscallError(Errno.EAGAIN);
        }
        byte[] buf = new byte[8];
        EventFd.putLong(buf, 0, ticks);
        ticks = 0;
        dst.copyOut(0, buf, 0, 8);
        return 8;
    }

    @Override
    public int poll() {
        return ticks != 0 ? Poll.IN | Poll.RDNORM : 0;
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
    protected void release() {
        kernel.timers.disarm(timer);
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
        return "anon_inode:[timerfd]";
    }
}
