package dev.friscy.kernel;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.fs.FileDescription;
import dev.friscy.fs.OpenFlags;
import dev.friscy.fs.Poll;
import dev.friscy.fs.Stat;
import dev.friscy.mem.IoBuffer;
import dev.friscy.waiter.WaitQueue;

/**
 * signalfd: reading it takes pending signals in its mask (of the reading thread, or of its
 * process) as 128-byte signalfd_siginfo records, instead of running handlers. Like Linux, it
 * answers for whichever task reads or polls it, so it works after fork too. The signals must
 * be blocked to stay pending; that is the caller's business, as on Linux.
 */
final class SignalFd extends FileDescription {
    static final int RECORD = 128;
    private long mask;
    private final Kernel kernel;
    private static long nextIno = 1;
    private final long ino = nextIno++;

    SignalFd(Kernel kernel, long mask, int flags) {
        super(OpenFlags.O_RDWR | (flags & OpenFlags.O_NONBLOCK));
        this.kernel = kernel;
        setMask(mask);
    }

    void setMask(long m) {
        mask = m & ~Signals.UNBLOCKABLE;
    }

    static long sys_signalfd4(Task task, long fd, long mask, long size, long flags, long a4, long a5) {
        return signalfd4(task, (int) fd, mask, size, (int) flags);
    }

    static long signalfd4(Task t, int fd, long maskAddr, long size, int flags) {
        if (size != 8 || (flags & ~(OpenFlags.O_CLOEXEC | OpenFlags.O_NONBLOCK)) != 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        long m = UserMemory.load64(t, maskAddr);
        if (fd != -1) {
            FileDescription f = t.files.get(fd);
            if (!(f instanceof SignalFd)) {
                throw new SyscallError(Errno.EINVAL);
            }
            ((SignalFd) f).setMask(m);
            t.tg.signalArrivals.wakeAll(); // waiters look again with the new mask
            return fd;
        }
        SignalFd s = new SignalFd(t.kernel, m, flags);
        try {
            return t.files.install(s, 0, (flags & OpenFlags.O_CLOEXEC) != 0);
        } catch (SyscallError e) {
            s.decRef();
            throw e;
        }
    }

    private long ready(Task t) {
        return (t.pending.mask | t.tg.sharedPending.mask) & mask;
    }

    @Override
    public int read(Task t, IoBuffer dst) {
        int len = dst.chunk();
        if (len < RECORD) {
            throw new SyscallError(Errno.EINVAL);
        }
        byte[] buf = new byte[len];
        int n = 0;
        while (len - n >= RECORD) {
            long r = ready(t);
            if (r == 0) {
                break;
            }
            int sig = Long.numberOfTrailingZeros(r) + 1;
            SigInfo i = SignalDelivery.dequeue(t, sig);
            if (i == null) {
                continue;
            }
            put(buf, n, i);
            n += RECORD;
        }
        if (n == 0) {
            throw new SyscallError(Errno.EAGAIN);
        }
        dst.copyOut(0, buf, 0, n);
        return n;
    }

    /** struct signalfd_siginfo. */
    private static void put(byte[] b, int o, SigInfo i) {
        java.util.Arrays.fill(b, o, o + RECORD, (byte) 0);
        SignalFrame.putInt(b, o, i.signo);
        SignalFrame.putInt(b, o + 4, i.errno);
        SignalFrame.putInt(b, o + 8, i.code);
        if (i.code == SigInfo.SI_TIMER) {
            SignalFrame.putInt(b, o + 24, i.timerId); // ssi_tid
            SignalFrame.putInt(b, o + 32, i.overrun);
        } else {
            SignalFrame.putInt(b, o + 12, i.pid);
            SignalFrame.putInt(b, o + 16, i.uid);
        }
        SignalFrame.putInt(b, o + 40, i.status);
        SignalFrame.putInt(b, o + 44, (int) i.value); // ssi_int
        SignalFrame.putLong(b, o + 48, i.value); // ssi_ptr
        SignalFrame.putLong(b, o + 72, i.addr);
    }

    @Override
    public int poll() {
        Task t = kernel.current;
        return t != null && ready(t) != 0 ? Poll.IN | Poll.RDNORM : 0;
    }

    @Override
    public WaitQueue waitQueue() {
        Task t = kernel.current;
        return t != null ? t.tg.signalArrivals : null;
    }

    @Override
    public void stat(Stat st) {
        st.dev = 0x0d;
        st.ino = ino;
        st.mode = 0600;
        st.nlink = 1;
        st.blksize = 4096;
    }

    @Override
    public boolean isAnonInode() {
        return true;
    }

    @Override
    public String describe() {
        return "anon_inode:[signalfd]";
    }
}
