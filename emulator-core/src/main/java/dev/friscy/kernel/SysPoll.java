package dev.friscy.kernel;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.fs.Epoll;
import dev.friscy.fs.FileDescription;
import dev.friscy.fs.OpenFlags;
import dev.friscy.fs.Poll;
import dev.friscy.waiter.Readiness;
import dev.friscy.waiter.WaitQueue;

import java.util.ArrayList;

/**
 * Readiness waiting: ppoll, pselect6, epoll_create1, epoll_ctl, epoll_pwait, epoll_pwait2.
 *
 * A waiter evaluates every description's {@link FileDescription#poll()}; if nothing is ready
 * it parks on all their wait queues (and the deadline) and evaluates again when woken. The
 * absolute deadline lives in {@code restart.timeout} across those re-runs; a temporary signal
 * mask lives in the task's {@code sigmask} with the caller's in {@code savedSigmask}.
 */
final class SysPoll {
    static final int POLLIN_SET = Poll.RDNORM | Poll.RDBAND | Poll.IN | Poll.HUP | Poll.ERR;
    static final int POLLOUT_SET = Poll.WRBAND | Poll.WRNORM | Poll.OUT | Poll.ERR;
    static final int POLLEX_SET = Poll.PRI;
    static final int EP_MAX_EVENTS = Integer.MAX_VALUE / 16;

    private SysPoll() {
    }

    /** ppoll cut short by a handler: the time left still goes back to the caller's timespec. */
    static long ppollInterrupted(Task task) {
        writeRemaining(task, task.hart.x[12], task.restart.timeout);
        return SyscallTable.USUAL;
    }

    /** pselect6 cut short by a handler: the time left still goes back to the caller's timespec. */
    static long pselect6Interrupted(Task task) {
        writeRemaining(task, task.hart.x[14], task.restart.timeout);
        return SyscallTable.USUAL;
    }

    static long sys_ppoll(Task task, long fds, long nfds, long tmo, long mask, long size, long a5) {
        return ppoll(task, fds, nfds, tmo, mask, size);
    }

    static long sys_pselect6(Task task, long n, long in, long out, long ex, long tmo, long sig) {
        return pselect6(task, n, in, out, ex, tmo, sig);
    }

    static long sys_epoll_create1(Task task, long flags, long a1, long a2, long a3, long a4, long a5) {
        return epollCreate(task, (int) flags);
    }

    static long sys_epoll_ctl(Task task, long epfd, long op, long fd, long ev, long a4, long a5) {
        return epollCtl(task, (int) epfd, (int) op, (int) fd, ev);
    }

    static long sys_epoll_pwait(Task task, long epfd, long ev, long max, long tmo, long mask, long size) {
        return epollWait(task, (int) epfd, ev, max, (int) tmo < 0 ? -1 : (long) (int) tmo * 1_000_000L, false, mask, size);
    }

    static long sys_epoll_pwait2(Task task, long epfd, long ev, long max, long tmo, long mask, long size) {
        return epollWait(task, (int) epfd, ev, max, tmo, true, mask, size);
    }

    // ------------------------------------------------------------------ shared waiting rules

    /** On the first run: switch to the call's signal mask (if any), remembering the caller's. */
    private static void applyMask(Task t, long maskAddr, long size) {
        if (maskAddr == 0) {
            return;
        }
        if (size != 8) {
            throw new SyscallError(Errno.EINVAL);
        }
        long m = UserMemory.load64(t, maskAddr);
        t.savedSigmask = t.sigmask;
        t.hasSavedSigmask = true;
        t.sigmask = m & ~Signals.UNBLOCKABLE;
    }

    /** Puts the caller's mask back when the call returns without running a handler. */
    private static void restoreMask(Task t, long maskAddr) {
        if (maskAddr != 0 && t.hasSavedSigmask) {
            t.sigmask = t.savedSigmask;
            t.hasSavedSigmask = false;
        }
    }

    /** A deadline relative to now, or -1 for none; {@code relNs} < 0 means none. */
    /**
     * The wait's deadline (-1: none). On the first run it comes from the timeout, a struct
     * timespec's address ({@code timespec}, 0 for none) or nanoseconds (negative for none), and
     * the call's signal mask goes in; a restarted call keeps the deadline it had.
     */
    private static long startWait(Task t, boolean timespec, long tmo, long mask, long size) {
        if (t.restarting) {
            return t.restart.timeout;
        }
        long rel = timespec ? (tmo == 0 ? -1 : SysTime.readTimespec(t, tmo)) : tmo;
        long deadline = deadlineFrom(t, rel);
        applyMask(t, mask, size);
        t.restart.timeout = deadline;
        return deadline;
    }

    private static long deadlineFrom(Task t, long relNs) {
        if (relNs < 0) {
            return -1;
        }
        long now = t.kernel.nowNs();
        long d = now + relNs;
        return d < now ? Long.MAX_VALUE : d;
    }

    private static boolean expired(Task t, long deadline) {
        return deadline != -1 && (t.timedOut || t.kernel.nowNs() >= deadline);
    }

    /** True if a signal the task does not block is waiting for it. */
    static boolean signalDeliverable(Task t) {
        return ((t.pending.mask | t.tg.sharedPending.mask) & ~t.sigmask) != 0;
    }

    /**
     * Parks the task. If a signal became deliverable on the way in (the call unblocked it with
     * its temporary mask), no event will wake the task for it, so it is woken at once and the
     * signal is handled the usual way (EINTR, or a re-run if the signal is ignored).
     */
    static long park(Task t, long deadline, ArrayList<WaitQueue> queues) {
        return park(t, deadline, queues, null, null);
    }

    /** As {@link #park(Task, long, ArrayList)}, parked as an exclusive waiter on {@code exclusive}. */
    static long park(Task t, long deadline, ArrayList<WaitQueue> queues, ArrayList<WaitQueue> exclusive,
                     ArrayList<Readiness> ready) {
        Kernel k = t.kernel;
        boolean ex = exclusive != null && !exclusive.isEmpty();
        long r = k.block(t, deadline, queues.toArray(new WaitQueue[0]),
                ex ? exclusive.toArray(new WaitQueue[0]) : null, ex ? ready.toArray(new Readiness[0]) : null);
        if (signalDeliverable(t)) {
            t.interrupted = true;
            k.wake(t);
        }
        return r;
    }

    /** Adds the queues whose wake-up may change {@code f}'s readiness. */
    static void queuesOf(FileDescription f, ArrayList<WaitQueue> out) {
        if (f instanceof Epoll) {
            ((Epoll) f).collectQueues(out, 0);
            return;
        }
        WaitQueue q = f.waitQueue();
        if (q != null) {
            out.add(q);
        }
    }

    /** Writes the time left before {@code deadline} to a timespec (ppoll and pselect6 do). */
    static void writeRemaining(Task t, long addr, long deadline) {
        if (addr == 0 || deadline == -1) {
            return;
        }
        long left = Math.max(0, deadline - t.kernel.nowNs());
        try {
            SysTime.writeTimespec(t, addr, left);
        } catch (SyscallError e) {
            // Linux ignores a failure to update the timeout
        }
    }

    // ------------------------------------------------------------------ ppoll

    static long ppoll(Task t, long fds, long nfdsArg, long tmo, long mask, long size) {
        long nfds = nfdsArg & 0xffff_ffffL;
        if (nfds > t.files.limit) {
            throw new SyscallError(Errno.EINVAL);
        }
        long deadline = startWait(t, true, tmo, mask, size);
        try {
            int n = (int) nfds;
            byte[] b = UserMemory.read(t, fds, 8 * n);
            int ready = 0;
            for (int i = 0; i < n; i++) {
                int fd = SignalFrame.getInt(b, 8 * i);
                int events = (b[8 * i + 4] & 0xff) | (b[8 * i + 5] & 0xff) << 8;
                int rev = 0;
                if (fd >= 0) {
                    FileDescription f = t.files.getOrNull(fd);
                    rev = f == null ? Poll.NVAL : f.poll() & (events | Poll.ERR | Poll.HUP);
                }
                b[8 * i + 6] = (byte) rev;
                b[8 * i + 7] = (byte) (rev >> 8);
                if (rev != 0) {
                    ready++;
                }
            }
            if (ready > 0 || expired(t, deadline)) {
                UserMemory.write(t, fds, b);
                writeRemaining(t, tmo, deadline);
                restoreMask(t, mask);
                return ready;
            }
            ArrayList<WaitQueue> qs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int fd = SignalFrame.getInt(b, 8 * i);
                if (fd >= 0) {
                    queuesOf(t.files.get(fd), qs);
                }
            }
            return park(t, deadline, qs);
        } catch (SyscallError e) {
            restoreMask(t, mask);
            throw e;
        }
    }

    // ------------------------------------------------------------------ pselect6

    static long pselect6(Task t, long nfdsArg, long in, long out, long ex, long tmo, long sigArg) {
        int nfds = (int) nfdsArg;
        if (nfds < 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        int n = Math.min(nfds, t.files.limit);
        int words = (n + 63) / 64;
        long mask = 0;
        long size = 0;
        if (sigArg != 0) {
            mask = UserMemory.load64(t, sigArg);
            size = UserMemory.load64(t, sigArg + 8);
        }
        long deadline = startWait(t, true, tmo, mask, size);
        try {
            long[] rin = readSet(t, in, words);
            long[] rout = readSet(t, out, words);
            long[] rex = readSet(t, ex, words);
            long[] oin = new long[words];
            long[] oout = new long[words];
            long[] oex = new long[words];
            int ready = 0;
            ArrayList<WaitQueue> qs = null;
            for (int w = 0; w < words; w++) {
                long any = rin[w] | rout[w] | rex[w];
                while (any != 0) {
                    int bit = Long.numberOfTrailingZeros(any);
                    any &= any - 1;
                    int fd = w * 64 + bit;
                    if (fd >= n) {
                        break;
                    }
                    FileDescription f = t.files.getOrNull(fd);
                    if (f == null) {
                        throw new SyscallError(Errno.EBADF);
                    }
                    int m = f.poll();
                    long b = 1L << bit;
                    if ((rin[w] & b) != 0 && (m & POLLIN_SET) != 0) {
                        oin[w] |= b;
                        ready++;
                    }
                    if ((rout[w] & b) != 0 && (m & POLLOUT_SET) != 0) {
                        oout[w] |= b;
                        ready++;
                    }
                    if ((rex[w] & b) != 0 && (m & POLLEX_SET) != 0) {
                        oex[w] |= b;
                        ready++;
                    }
                }
            }
            if (ready > 0 || expired(t, deadline)) {
                writeSet(t, in, oin);
                writeSet(t, out, oout);
                writeSet(t, ex, oex);
                writeRemaining(t, tmo, deadline);
                restoreMask(t, mask);
                return ready;
            }
            qs = new ArrayList<>();
            for (int w = 0; w < words; w++) {
                long any = rin[w] | rout[w] | rex[w];
                while (any != 0) {
                    int fd = w * 64 + Long.numberOfTrailingZeros(any);
                    any &= any - 1;
                    if (fd < n) {
                        queuesOf(t.files.get(fd), qs);
                    }
                }
            }
            return park(t, deadline, qs);
        } catch (SyscallError e) {
            restoreMask(t, mask);
            throw e;
        }
    }

    private static long[] readSet(Task t, long addr, int words) {
        long[] s = new long[words];
        if (addr == 0 || words == 0) {
            return s;
        }
        byte[] b = UserMemory.read(t, addr, 8 * words);
        for (int i = 0; i < words; i++) {
            s[i] = SignalFrame.getLong(b, 8 * i);
        }
        return s;
    }

    private static void writeSet(Task t, long addr, long[] s) {
        if (addr == 0 || s.length == 0) {
            return;
        }
        byte[] b = new byte[8 * s.length];
        for (int i = 0; i < s.length; i++) {
            SignalFrame.putLong(b, 8 * i, s[i]);
        }
        UserMemory.write(t, addr, b);
    }

    // ------------------------------------------------------------------ epoll

    static long epollCreate(Task t, int flags) {
        if ((flags & ~OpenFlags.O_CLOEXEC) != 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        Epoll ep = new Epoll(0);
        try {
            return t.files.install(ep, 0, (flags & OpenFlags.O_CLOEXEC) != 0);
        } catch (SyscallError e) {
            ep.decRef();
            throw e;
        }
    }

    private static Epoll epoll(Task t, int epfd) {
        FileDescription f = t.files.get(epfd);
        if (!(f instanceof Epoll)) {
            throw new SyscallError(Errno.EINVAL);
        }
        return (Epoll) f;
    }

    static long epollCtl(Task t, int epfd, int op, int fd, long ev) {
        FileDescription epf = t.files.get(epfd);
        FileDescription f = t.files.get(fd);
        if (((epf.flags | f.flags) & dev.friscy.fs.OpenFlags.O_PATH) != 0) {
            throw new SyscallError(Errno.EBADF); // O_PATH fds cannot be watched (Linux's fdget)
        }
        if (!(epf instanceof Epoll)) {
            throw new SyscallError(Errno.EINVAL);
        }
        int events = 0;
        long data = 0;
        if (op != Epoll.EPOLL_CTL_DEL) {
            events = UserMemory.load32(t, ev);
            data = UserMemory.load64(t, ev + 8);
        }
        ((Epoll) epf).control(op, fd, f, events, data);
        return 0;
    }

    static long epollWait(Task t, int epfd, long evAddr, long maxArg, long tmo, boolean timespec, long mask, long size) {
        Epoll ep = epoll(t, epfd);
        int max = (int) maxArg;
        if (max <= 0 || max > EP_MAX_EVENTS) {
            throw new SyscallError(Errno.EINVAL);
        }
        long deadline = startWait(t, timespec, tmo, mask, size);
        try {
            int cap = Math.min(max, Math.max(ep.size(), 1));
            int[] events = new int[cap];
            long[] data = new long[cap];
            int n = ep.harvest(cap, events, data);
            if (n > 0) {
                byte[] b = new byte[16 * n];
                for (int i = 0; i < n; i++) {
                    SignalFrame.putInt(b, 16 * i, events[i]);
                    SignalFrame.putLong(b, 16 * i + 8, data[i]);
                }
                UserMemory.write(t, evAddr, b);
                restoreMask(t, mask);
                return n;
            }
            if (expired(t, deadline)) {
                restoreMask(t, mask);
                return 0;
            }
            ArrayList<WaitQueue> qs = new ArrayList<>();
            ArrayList<WaitQueue> exclusive = new ArrayList<>();
            ArrayList<Readiness> ready = new ArrayList<>();
            ep.collectQueues(qs, exclusive, ready, 0);
            return park(t, deadline, qs, exclusive, ready);
        } catch (SyscallError e) {
            restoreMask(t, mask);
            throw e;
        }
    }
}
