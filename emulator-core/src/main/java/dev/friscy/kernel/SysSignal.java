package dev.friscy.kernel;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;

/**
 * Signal system calls: kill, tkill, tgkill, rt_sigaction, rt_sigprocmask, rt_sigpending,
 * rt_sigsuspend, rt_sigtimedwait, rt_sigqueueinfo, sigaltstack, rt_sigreturn.
 */
final class SysSignal {
    static final int SS_ONSTACK = 1;
    static final int SS_DISABLE = 2;
    static final int SS_AUTODISARM = 1 << 31;
    static final long MINSIGSTKSZ = 2048;
    static final int SIG_BLOCK = 0, SIG_UNBLOCK = 1, SIG_SETMASK = 2;

    private SysSignal() {
    }

    static boolean onAltStack(Task t, long sp) {
        return t.altStackFlags != SS_DISABLE && t.altStackSize != 0
                && sp > t.altStackSp && sp - t.altStackSp <= t.altStackSize;
    }

    static long sys_kill(Task task, long pid, long sig, long a2, long a3, long a4, long a5) {
        return kill(task, (int) pid, (int) sig);
    }

    static long sys_tkill(Task task, long tid, long sig, long a2, long a3, long a4, long a5) {
        return tgkill(task, -1, (int) tid, (int) sig);
    }

    static long sys_tgkill(Task task, long tgid, long tid, long sig, long a3, long a4, long a5) {
        return tgkill(task, (int) tgid, (int) tid, (int) sig);
    }

    static long sys_rt_sigaction(Task task, long sig, long act, long old, long size, long a4, long a5) {
        return sigaction(task, (int) sig, act, old, size);
    }

    static long sys_rt_sigprocmask(Task task, long how, long set, long old, long size, long a4, long a5) {
        return sigprocmask(task, (int) how, set, old, size);
    }

    static long sys_rt_sigpending(Task task, long set, long size, long a2, long a3, long a4, long a5) {
        if (size != 8) {
            throw new SyscallError(Errno.EINVAL);
        }
        UserMemory.store64(task, set, (task.pending.mask | task.tg.sharedPending.mask) & task.sigmask);
        return 0;
    }

    static long sys_rt_sigsuspend(Task task, long set, long size, long a2, long a3, long a4, long a5) {
        return sigsuspend(task, set, size);
    }

    static long sys_rt_sigtimedwait(Task task, long set, long info, long ts, long size, long a4, long a5) {
        return sigtimedwait(task, set, info, ts, size);
    }

    static long sys_rt_sigqueueinfo(Task task, long pid, long sig, long info, long a3, long a4, long a5) {
        return sigqueueinfo(task, (int) pid, (int) sig, info);
    }

    static long sys_sigaltstack(Task task, long ss, long old, long a2, long a3, long a4, long a5) {
        return sigaltstack(task, ss, old);
    }

    static long sys_rt_sigreturn(Task task, long a0, long a1, long a2, long a3, long a4, long a5) {
        SignalFrame.pop(task, task.hart.x[2]);
        return SyscallTable.NO_RETURN;
    }

    private static SigInfo userInfo(Task t, int sig, int code) {
        SigInfo i = SigInfo.of(sig, code);
        i.pid = t.pid();
        i.uid = t.cred().uid;
        return i;
    }

    private static boolean mayKill(Task t, ThreadGroup target, int sig) {
        Credentials c = t.cred();
        if (c.euid == 0) {
            return true;
        }
        Credentials d = target.cred;
        if (sig == Signals.SIGCONT && target.sid == t.tg.sid) {
            return true;
        }
        return c.euid == d.uid || c.euid == d.suid || c.uid == d.uid || c.uid == d.suid;
    }

    static long kill(Task t, int pid, int sig) {
        if (sig < 0 || sig > Signals.NSIG) {
            throw new SyscallError(Errno.EINVAL);
        }
        Kernel k = t.kernel;
        if (pid > 0) {
            ThreadGroup g = k.process(pid);
            if (g == null) {
                throw new SyscallError(Errno.ESRCH);
            }
            if (!mayKill(t, g, sig)) {
                throw new SyscallError(Errno.EPERM);
            }
            if (sig != 0) {
                SignalDelivery.sendToProcess(k, g, userInfo(t, sig, SigInfo.SI_USER));
            }
            return 0;
        }
        int found = 0;
        int allowed = 0;
        for (ThreadGroup g : k.processes()) {
            if (g.isZombie()) {
                continue;
            }
            boolean match;
            if (pid == 0) {
                match = g.pgid == t.tg.pgid;
            } else if (pid == -1) {
                match = g.pid != 1 && g != t.tg;
            } else {
                match = g.pgid == -pid;
            }
            if (!match) {
                continue;
            }
            found++;
            if (!mayKill(t, g, sig)) {
                continue;
            }
            allowed++;
            if (sig != 0) {
                SignalDelivery.sendToProcess(k, g, userInfo(t, sig, SigInfo.SI_USER));
            }
        }
        if (found == 0) {
            throw new SyscallError(Errno.ESRCH);
        }
        if (allowed == 0) {
            throw new SyscallError(Errno.EPERM);
        }
        return 0;
    }

    static long tgkill(Task t, int tgid, int tid, int sig) {
        if (sig < 0 || sig > Signals.NSIG || tid <= 0 || (tgid <= 0 && tgid != -1)) {
            throw new SyscallError(Errno.EINVAL);
        }
        Task target = t.kernel.task(tid);
        if (target == null || target.state == Task.DEAD || (tgid != -1 && target.tg.pid != tgid)) {
            throw new SyscallError(Errno.ESRCH);
        }
        if (!mayKill(t, target.tg, sig)) {
            throw new SyscallError(Errno.EPERM);
        }
        if (sig != 0) {
            SignalDelivery.sendToTask(t.kernel, target, userInfo(t, sig, SigInfo.SI_TKILL));
        }
        return 0;
    }

    static long sigaction(Task t, int sig, long act, long old, long size) {
        if (size != 8 || !Signals.valid(sig)) {
            throw new SyscallError(Errno.EINVAL);
        }
        SignalActions sa = t.sighand;
        // struct sigaction on riscv64: handler, flags, (restorer), mask
        if (act != 0 && (sig == Signals.SIGKILL || sig == Signals.SIGSTOP)) {
            throw new SyscallError(Errno.EINVAL);
        }
        long nh = 0;
        long nf = 0;
        long nr = 0;
        long nm = 0;
        if (act != 0) {
            nh = UserMemory.load64(t, act);
            nf = UserMemory.load64(t, act + 8);
            nr = UserMemory.load64(t, act + 16);
            nm = UserMemory.load64(t, act + 24);
        }
        if (old != 0) {
            byte[] b = new byte[32];
            SignalFrame.putLong(b, 0, sa.handler[sig]);
            SignalFrame.putLong(b, 8, sa.flags[sig] & 0xffffffffL);
            SignalFrame.putLong(b, 16, sa.restorer[sig]);
            SignalFrame.putLong(b, 24, sa.mask[sig]);
            UserMemory.write(t, old, b);
        }
        if (act != 0) {
            sa.handler[sig] = nh;
            sa.flags[sig] = (int) nf;
            sa.restorer[sig] = nr;
            sa.mask[sig] = nm & ~Signals.UNBLOCKABLE;
            if (SignalDelivery.ignored(t, sig)) {
                // POSIX: setting a pending signal to be ignored discards it
                for (Task o : t.tg.tasks) {
                    o.pending.discard(sig);
                }
                t.tg.sharedPending.discard(sig);
            }
        }
        return 0;
    }

    static long sigprocmask(Task t, int how, long set, long old, long size) {
        if (size != 8) {
            throw new SyscallError(Errno.EINVAL);
        }
        long cur = t.sigmask;
        if (set != 0) {
            long s = UserMemory.load64(t, set);
            long m;
            switch (how) {
                case SIG_BLOCK:
                    m = cur | s;
                    break;
                case SIG_UNBLOCK:
                    m = cur & ~s;
                    break;
                case SIG_SETMASK:
                    m = s;
                    break;
                default:
                    throw new SyscallError(Errno.EINVAL);
            }
            if (old != 0) {
                UserMemory.store64(t, old, cur);
            }
            t.sigmask = m & ~Signals.UNBLOCKABLE;
            return 0;
        }
        if (old != 0) {
            UserMemory.store64(t, old, cur);
        }
        return 0;
    }

    static long sigsuspend(Task t, long set, long size) {
        if (size != 8) {
            throw new SyscallError(Errno.EINVAL);
        }
        if (!t.restarting) {
            long m = UserMemory.load64(t, set);
            t.savedSigmask = t.sigmask;
            t.hasSavedSigmask = true;
            t.sigmask = m & ~Signals.UNBLOCKABLE;
        }
        // only a delivered signal ends it: the delivery path turns this into EINTR. One already
        // pending that the new mask unblocks must end it at once (park wakes the task for it).
        return SysPoll.park(t, -1, new java.util.ArrayList<>());
    }

    /**
     * rt_sigtimedwait. The mask is left alone: the task waits on its process's signal-arrival
     * queue and takes an awaited signal itself when it re-runs. (Unblocking the awaited signals
     * while asleep, as Linux does internally, would let the delivery path act on them first
     * here, e.g. kill the process with a default action, before this call could take them.)
     * The deadline is kept in restart.timeout across re-runs.
     */
    static long sigtimedwait(Task t, long setAddr, long info, long ts, long size) {
        if (size != 8) {
            throw new SyscallError(Errno.EINVAL);
        }
        long set = UserMemory.load64(t, setAddr) & ~Signals.UNBLOCKABLE;
        long ready = (t.pending.mask | t.tg.sharedPending.mask) & set;
        if (ready != 0) {
            int sig = Long.numberOfTrailingZeros(ready) + 1;
            SigInfo i = SignalDelivery.dequeue(t, sig);
            if (info != 0 && i != null) {
                SignalFrame.writeSiginfo(t, info, i);
            }
            return sig;
        }
        long deadline;
        if (!t.restarting) {
            deadline = -1;
            if (ts != 0) {
                long sec = UserMemory.load64(t, ts);
                long nsec = UserMemory.load64(t, ts + 8);
                if (sec < 0 || nsec < 0 || nsec >= 1_000_000_000L) {
                    throw new SyscallError(Errno.EINVAL);
                }
                if (sec == 0 && nsec == 0) {
                    throw new SyscallError(Errno.EAGAIN);
                }
                long now = t.kernel.nowNs();
                long rel = sec >= Long.MAX_VALUE / 1_000_000_000L ? Long.MAX_VALUE : sec * 1_000_000_000L + nsec;
                deadline = now + rel < now ? Long.MAX_VALUE : now + rel;
            }
            t.restart.timeout = deadline;
        } else {
            deadline = t.restart.timeout;
            if (t.timedOut || (deadline != -1 && t.kernel.nowNs() >= deadline)) {
                throw new SyscallError(Errno.EAGAIN);
            }
            // woken by a signal outside the set that this thread can take: EINTR, then it is delivered
            if (((t.pending.mask | t.tg.sharedPending.mask) & ~(t.sigmask & ~Signals.UNBLOCKABLE)) != 0) {
                throw new SyscallError(Errno.EINTR);
            }
        }
        return t.kernel.block(t, deadline, t.tg.signalArrivals);
    }

    static long sigqueueinfo(Task t, int pid, int sig, long infoAddr) {
        if (!Signals.valid(sig)) {
            throw new SyscallError(Errno.EINVAL);
        }
        ThreadGroup g = t.kernel.process(pid);
        if (g == null) {
            throw new SyscallError(Errno.ESRCH);
        }
        SigInfo i = SigInfo.of(sig, UserMemory.load32(t, infoAddr + 8));
        if (i.code >= 0 && g != t.tg) {
            throw new SyscallError(Errno.EPERM);
        }
        i.pid = UserMemory.load32(t, infoAddr + 16);
        i.uid = UserMemory.load32(t, infoAddr + 20);
        i.value = UserMemory.load64(t, infoAddr + 24);
        SignalDelivery.sendToProcess(t.kernel, g, i);
        return 0;
    }

    static long sigaltstack(Task t, long ss, long old) {
        long sp = t.hart.x[2];
        boolean on = onAltStack(t, sp);
        if (old != 0) {
            byte[] b = new byte[24];
            SignalFrame.putLong(b, 0, t.altStackSp);
            SignalFrame.putInt(b, 8, on ? SS_ONSTACK : t.altStackFlags);
            SignalFrame.putLong(b, 16, t.altStackSize);
            UserMemory.write(t, old, b);
        }
        if (ss != 0) {
            long nsp = UserMemory.load64(t, ss);
            int flags = UserMemory.load32(t, ss + 8);
            long size = UserMemory.load64(t, ss + 16);
            if (on) {
                throw new SyscallError(Errno.EPERM);
            }
            int mode = flags & ~SS_AUTODISARM;
            if (mode != 0 && mode != SS_DISABLE && mode != SS_ONSTACK) {
                throw new SyscallError(Errno.EINVAL);
            }
            if (mode == SS_DISABLE) {
                t.altStackSp = 0;
                t.altStackSize = 0;
                t.altStackFlags = SS_DISABLE;
            } else {
                if (size < MINSIGSTKSZ) {
                    throw new SyscallError(Errno.ENOMEM);
                }
                t.altStackSp = nsp;
                t.altStackSize = size;
                t.altStackFlags = flags & SS_AUTODISARM;
            }
        }
        return 0;
    }
}
