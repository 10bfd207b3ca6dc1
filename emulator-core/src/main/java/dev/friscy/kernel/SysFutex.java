package dev.friscy.kernel;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.mem.Page;
import dev.friscy.mem.Vma;
import dev.friscy.waiter.WaitQueue;
import dev.friscy.waiter.Waiter;

/**
 * futex(2): WAIT, WAKE, REQUEUE, CMP_REQUEUE, WAKE_OP, WAIT_BITSET, WAKE_BITSET, with the
 * PRIVATE and CLOCK_REALTIME flags, and futex_waitv. Waiters sleep on {@link Futexes} queues.
 * The priority-inheritance operations are ENOSYS (glibc uses them only for
 * PTHREAD_PRIO_INHERIT mutexes), as is FUTEX_FD, which Linux removed.
 */
final class SysFutex {
    static final int FUTEX_WAIT = 0, FUTEX_WAKE = 1, FUTEX_FD = 2, FUTEX_REQUEUE = 3, FUTEX_CMP_REQUEUE = 4,
            FUTEX_WAKE_OP = 5, FUTEX_LOCK_PI = 6, FUTEX_UNLOCK_PI = 7, FUTEX_TRYLOCK_PI = 8, FUTEX_WAIT_BITSET = 9,
            FUTEX_WAKE_BITSET = 10, FUTEX_WAIT_REQUEUE_PI = 11, FUTEX_CMP_REQUEUE_PI = 12, FUTEX_LOCK_PI2 = 13;
    static final int FUTEX_PRIVATE_FLAG = 128;
    static final int FUTEX_CLOCK_REALTIME = 256;
    static final int FUTEX_BITSET_MATCH_ANY = -1;

    private SysFutex() {
    }

    static long sys_futex(Task task, long uaddr, long op, long val, long tmo, long uaddr2, long val3) {
        return futex(task, uaddr, (int) op, (int) val, tmo, uaddr2, (int) val3);
    }

    static long sys_futex_waitv(Task task, long waiters, long nr, long flags, long tmo, long clk, long a5) {
        return waitv(task, waiters, (int) nr, (int) flags, tmo, (int) clk);
    }

    static long futex(Task t, long uaddr, int op, int val, long tmo, long uaddr2, int val3) {
        int cmd = op & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
        boolean realtime = (op & FUTEX_CLOCK_REALTIME) != 0;
        boolean priv = (op & FUTEX_PRIVATE_FLAG) != 0;
        if (realtime && cmd != FUTEX_WAIT && cmd != FUTEX_WAIT_BITSET && cmd != FUTEX_WAIT_REQUEUE_PI
                && cmd != FUTEX_LOCK_PI2) {
            throw new SyscallError(Errno.ENOSYS);
        }
        switch (cmd) {
            case FUTEX_WAIT:
                return waitOn(t, uaddr, priv, val, tmo, false, realtime, FUTEX_BITSET_MATCH_ANY);
            case FUTEX_WAIT_BITSET:
                if (val3 == 0) {
                    throw new SyscallError(Errno.EINVAL);
                }
                return waitOn(t, uaddr, priv, val, tmo, true, realtime, val3);
            case FUTEX_WAKE:
                return wake(t, uaddr, priv, val, FUTEX_BITSET_MATCH_ANY);
            case FUTEX_WAKE_BITSET:
                if (val3 == 0) {
                    throw new SyscallError(Errno.EINVAL);
                }
                return wake(t, uaddr, priv, val, val3);
            case FUTEX_REQUEUE:
                return requeue(t, uaddr, uaddr2, priv, val, (int) tmo, false, 0);
            case FUTEX_CMP_REQUEUE:
                return requeue(t, uaddr, uaddr2, priv, val, (int) tmo, true, val3);
            case FUTEX_WAKE_OP:
                return wakeOp(t, uaddr, uaddr2, priv, val, (int) tmo, val3);
            default:
                // FUTEX_FD (removed from Linux), the PI operations, and unknown commands
                throw new SyscallError(Errno.ENOSYS);
        }
    }

    /** The key owner for a futex word: its shared page for a shared futex in MAP_SHARED memory, else the address space. */
    private static Object keyOwner(Task t, long uaddr, boolean priv) {
        if (!priv) {
            Vma v = t.mm.findVma(uaddr);
            if (v != null && v.shared) {
                Page p = t.mm.pageForRead(uaddr);
                if (p == null) {
                    t.mm.clearFault();
                    throw new SyscallError(Errno.EFAULT);
                }
                return p;
            }
        }
        return t.mm;
    }

    private static long keyAddr(Object owner, long uaddr) {
        return owner instanceof Page ? uaddr & Page.MASK : uaddr;
    }

    private static void checkAligned(long uaddr) {
        if ((uaddr & 3) != 0) {
            throw new SyscallError(Errno.EINVAL);
        }
    }

    /**
     * FUTEX_WAIT / WAIT_BITSET: sleeps while the word at {@code uaddr} holds {@code val}.
     * Returns 0 when woken by a futex wake, ETIMEDOUT at the deadline, EAGAIN if the word
     * differs. (Relative timeout for WAIT, absolute for WAIT_BITSET.)
     */
    static long waitOn(Task t, long uaddr, boolean priv, int val, long tmo, boolean absolute, boolean realtime, int bitset) {
        Kernel k = t.kernel;
        Futexes fx = k.futexes;
        if (t.restarting) {
            Futexes.Waiter w = fx.waiter(t);
            if (w != null) {
                if (w.woken) {
                    fx.endWait(t);
                    return 0;
                }
                if (t.timedOut || (w.deadline != -1 && k.nowNs() >= w.deadline)) {
                    fx.endWait(t);
                    fx.tidy(w.keyOwner, w.keyAddr);
                    throw new SyscallError(Errno.ETIMEDOUT);
                }
                // woken by a signal that was ignored: wait on, if the word still says so
                if (UserMemory.load32(t, w.uaddr) != val) {
                    fx.endWait(t);
                    fx.tidy(w.keyOwner, w.keyAddr);
                    throw new SyscallError(Errno.EAGAIN);
                }
                return k.block(t, w.deadline, w.queue);
            }
        }
        checkAligned(uaddr);
        long deadline = -1;
        if (tmo != 0) {
            long v = SysTime.readTimespec(t, tmo);
            long now = k.nowNs();
            if (!absolute) {
                deadline = now + v < now ? Long.MAX_VALUE : now + v;
            } else {
                long clockNow = realtime ? k.host.realtimeNanos() : k.uptimeNs();
                long left = v - clockNow;
                deadline = left <= 0 ? now : (now + left < now ? Long.MAX_VALUE : now + left);
            }
        }
        if (UserMemory.load32(t, uaddr) != val) {
            throw new SyscallError(Errno.EAGAIN);
        }
        Object owner = keyOwner(t, uaddr, priv);
        Futexes.Waiter w = fx.startWait(t);
        w.uaddr = uaddr;
        w.keyOwner = owner;
        w.keyAddr = keyAddr(owner, uaddr);
        w.queue = fx.queue(owner, w.keyAddr);
        w.bitset = bitset;
        w.deadline = deadline;
        return k.block(t, deadline, w.queue);
    }

    /** Wakes up to {@code n} waiters on {@code uaddr} whose bitset meets {@code bitset} (Linux wakes one for n <= 0). */
    static long wake(Task t, long uaddr, boolean priv, int n, int bitset) {
        checkAligned(uaddr);
        return wakeQueue(t, uaddr, priv, n, bitset);
    }

    private static int wakeQueue(Task t, long uaddr, boolean priv, int n, int bitset) {
        Futexes fx = t.kernel.futexes;
        Object owner = keyOwner(t, uaddr, priv);
        long key = keyAddr(owner, uaddr);
        WaitQueue q = fx.existing(owner, key);
        if (q == null) {
            return 0;
        }
        int woken = 0;
        for (Waiter waiter : q.snapshot()) {
            Task o = (Task) waiter; // futex queues hold tasks only
            Futexes.Waiter w = fx.waiter(o);
            if (w == null || (w.bitset & bitset) == 0) {
                continue;
            }
            w.woken = true;
            if (w.queues != null) {
                for (int i = 0; i < w.queues.length; i++) {
                    if (w.queues[i] == q) {
                        w.wokenIndex = i;
                        break;
                    }
                }
            }
            t.kernel.wake(o);
            if (++woken >= n) {
                break;
            }
        }
        fx.tidy(owner, key);
        return woken;
    }

    /** FUTEX_REQUEUE / CMP_REQUEUE: wakes {@code nrWake}, moves up to {@code nrRequeue} more to {@code uaddr2}. */
    static long requeue(Task t, long uaddr, long uaddr2, boolean priv, int nrWake, int nrRequeue, boolean cmp, int val3) {
        checkAligned(uaddr);
        checkAligned(uaddr2);
        if (nrWake < 0 || nrRequeue < 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        if (cmp && UserMemory.load32(t, uaddr) != val3) {
            throw new SyscallError(Errno.EAGAIN);
        }
        Futexes fx = t.kernel.futexes;
        Object owner1 = keyOwner(t, uaddr, priv);
        long key1 = keyAddr(owner1, uaddr);
        Object owner2 = keyOwner(t, uaddr2, priv);
        long key2 = keyAddr(owner2, uaddr2);
        WaitQueue q1 = fx.existing(owner1, key1);
        if (q1 == null) {
            return 0;
        }
        WaitQueue q2 = fx.queue(owner2, key2);
        int count = 0;
        for (Waiter waiter : q1.snapshot()) {
            Task o = (Task) waiter;
            if (count - nrWake >= nrRequeue) {
                break;
            }
            Futexes.Waiter w = fx.waiter(o);
            if (w == null || w.queues != null) {
                continue; // futex_waitv waiters are not requeued
            }
            if (++count <= nrWake) {
                w.woken = true;
                t.kernel.wake(o);
                continue;
            }
            if (q2 != q1) {
                q1.remove(o);
                o.waitingOn.remove(q1);
                q2.add(o);
                o.waitingOn.add(q2);
                w.queue = q2;
                w.uaddr = uaddr2;
                w.keyOwner = owner2;
                w.keyAddr = key2;
            }
        }
        fx.tidy(owner1, key1);
        fx.tidy(owner2, key2);
        return count;
    }

    static final int FUTEX2_SIZE_U32 = 2, FUTEX2_SIZE_MASK = 3, FUTEX2_PRIVATE = 128;
    static final int FUTEX_WAITV_MAX = 128;

    /**
     * futex_waitv: sleeps on up to 128 words at once while each holds its value; returns the
     * index of the word a wake came through, ETIMEDOUT at the (absolute) deadline, EAGAIN if a
     * word differs.
     */
    static long waitv(Task t, long addr, int nr, int flags, long tmo, int clk) {
        Kernel k = t.kernel;
        Futexes fx = k.futexes;
        if (t.restarting) {
            Futexes.Waiter w = fx.waiter(t);
            if (w != null && w.queues != null) {
                if (w.woken) {
                    fx.endWait(t);
                    return w.wokenIndex;
                }
                if (t.timedOut || (w.deadline != -1 && k.nowNs() >= w.deadline)) {
                    fx.endWait(t);
                    throw new SyscallError(Errno.ETIMEDOUT);
                }
            }
        }
        if (flags != 0 || nr <= 0 || nr > FUTEX_WAITV_MAX || addr == 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        long deadline = -1;
        if (tmo != 0) {
            if (clk != SysTime.CLOCK_MONOTONIC && clk != SysTime.CLOCK_REALTIME) {
                throw new SyscallError(Errno.EINVAL);
            }
            long v = SysTime.readTimespec(t, tmo);
            long now = k.nowNs();
            long left = v - SysTime.clockNow(t, clk);
            deadline = left <= 0 ? now : (now + left < now ? Long.MAX_VALUE : now + left);
        }
        byte[] b = UserMemory.read(t, addr, 24 * nr);
        long[] uaddrs = new long[nr];
        WaitQueue[] queues = new WaitQueue[nr];
        for (int i = 0; i < nr; i++) {
            long val = SignalFrame.getLong(b, 24 * i);
            long uaddr = SignalFrame.getLong(b, 24 * i + 8);
            int f = SignalFrame.getInt(b, 24 * i + 16);
            int reserved = SignalFrame.getInt(b, 24 * i + 20);
            if (reserved != 0 || (f & ~(FUTEX2_SIZE_MASK | FUTEX2_PRIVATE)) != 0
                    || (f & FUTEX2_SIZE_MASK) != FUTEX2_SIZE_U32 || (val >>> 32) != 0) {
                throw new SyscallError(Errno.EINVAL);
            }
            checkAligned(uaddr);
            if (UserMemory.load32(t, uaddr) != (int) val) {
                throw new SyscallError(Errno.EAGAIN);
            }
            Object owner = keyOwner(t, uaddr, (f & FUTEX2_PRIVATE) != 0);
            uaddrs[i] = uaddr;
            queues[i] = fx.queue(owner, keyAddr(owner, uaddr));
        }
        Futexes.Waiter w = fx.startWait(t);
        w.queues = queues;
        w.bitset = FUTEX_BITSET_MATCH_ANY;
        w.deadline = deadline;
        w.uaddr = uaddrs[0];
        return k.block(t, deadline, queues);
    }

    /** FUTEX_WAKE_OP: changes the word at uaddr2, wakes on uaddr, and on uaddr2 if the old word passed the test. */
    static long wakeOp(Task t, long uaddr, long uaddr2, boolean priv, int nrWake, int nrWake2, int encoded) {
        checkAligned(uaddr);
        checkAligned(uaddr2);
        int op = (encoded >>> 28) & 7;
        int cmp = (encoded >>> 24) & 15;
        int oparg = (encoded << 8) >> 20; // bits 12..23, sign-extended
        int cmparg = (encoded << 20) >> 20; // bits 0..11, sign-extended
        if ((encoded & (8 << 28)) != 0) { // FUTEX_OP_OPARG_SHIFT
            oparg = 1 << (oparg & 31);
        }
        if (op > 4) {
            throw new SyscallError(Errno.ENOSYS);
        }
        int old = UserMemory.load32(t, uaddr2);
        int nv;
        switch (op) {
            case 0:
                nv = oparg;
                break;
            case 1:
                nv = old + oparg;
                break;
            case 2:
                nv = old | oparg;
                break;
            case 3:
                nv = old & ~oparg;
                break;
            default:
                nv = old ^ oparg;
                break;
        }
        UserMemory.store32(t, uaddr2, nv);
        boolean pass;
        switch (cmp) {
            case 0:
                pass = old == cmparg;
                break;
            case 1:
                pass = old != cmparg;
                break;
            case 2:
                pass = old < cmparg;
                break;
            case 3:
                pass = old <= cmparg;
                break;
            case 4:
                pass = old > cmparg;
                break;
            case 5:
                pass = old >= cmparg;
                break;
            default:
                throw new SyscallError(Errno.ENOSYS);
        }
        int woken = wakeQueue(t, uaddr, priv, nrWake, FUTEX_BITSET_MATCH_ANY);
        if (pass) {
            woken += wakeQueue(t, uaddr2, priv, nrWake2, FUTEX_BITSET_MATCH_ANY);
        }
        return woken;
    }
}
