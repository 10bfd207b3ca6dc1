package dev.friscy.kernel;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.fs.FileDescription;
import dev.friscy.fs.OpenFlags;
import dev.friscy.fs.PidFd;

/**
 * pidfds: pidfd_open, pidfd_send_signal, pidfd_getfd, and the helpers CLONE_PIDFD (SysProcess)
 * and waitid(P_PIDFD) (SysWait) use. A pidfd names a process, never a recycled pid. Thread
 * pidfds (PIDFD_THREAD, CLONE_PIDFD with CLONE_THREAD) are not provided: EINVAL.
 */
final class SysPidfd {
    static final int PIDFD_NONBLOCK = OpenFlags.O_NONBLOCK;
    static final int PIDFD_THREAD = OpenFlags.O_EXCL;
    static final int PIDFD_SIGNAL_THREAD = 1, PIDFD_SIGNAL_THREAD_GROUP = 2, PIDFD_SIGNAL_PROCESS_GROUP = 4;

    private SysPidfd() {
    }

    static long sys_pidfd_open(Task task, long pid, long flags, long a2, long a3, long a4, long a5) {
        return pidfdOpen(task, (int) pid, flags);
    }

    static long sys_pidfd_send_signal(Task task, long fd, long sig, long info, long flags, long a4, long a5) {
        return sendSignal(task, (int) fd, (int) sig, info, flags);
    }

    static long sys_pidfd_getfd(Task task, long fd, long target, long flags, long a3, long a4, long a5) {
        return getfd(task, (int) fd, (int) target, flags);
    }

    static long pidfdOpen(Task t, int pid, long flags) {
        if ((flags & ~(long) (PIDFD_NONBLOCK | PIDFD_THREAD)) != 0 || pid <= 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        if ((flags & PIDFD_THREAD) != 0) {
            throw new SyscallError(Errno.EINVAL); // thread pidfds are not provided
        }
        ThreadGroup g = t.kernel.process(pid);
        if (g == null) {
            Task th = t.kernel.task(pid);
            // a thread that is not its group's leader: Linux wants PIDFD_THREAD for it
            throw new SyscallError(th != null && th.state != Task.DEAD ? Errno.EINVAL : Errno.ESRCH);
        }
        return t.files.install(new PidFd(g, (int) flags), 0, true);
    }

    /** The pidfd at {@code fd}: EBADF if fd is not open or not a pidfd. */
    static PidFd pidfd(Task t, int fd) {
        FileDescription f = t.files.get(fd);
        if (!(f instanceof PidFd)) {
            throw new SyscallError(Errno.EBADF);
        }
        return (PidFd) f;
    }

    static long sendSignal(Task t, int fd, int sig, long infoAddr, long flags) {
        if ((flags & ~7L) != 0 || Long.bitCount(flags) > 1) {
            throw new SyscallError(Errno.EINVAL);
        }
        PidFd p = pidfd(t, fd);
        if (sig < 0 || sig > Signals.NSIG) {
            throw new SyscallError(Errno.EINVAL);
        }
        ThreadGroup g = p.process;
        Kernel k = t.kernel;
        if (g.state == ThreadGroup.REAPED) {
            throw new SyscallError(Errno.ESRCH);
        }
        SigInfo info;
        if (infoAddr != 0) {
            int signo = UserMemory.load32(t, infoAddr);
            int code = UserMemory.load32(t, infoAddr + 8);
            if (signo != sig) {
                throw new SyscallError(Errno.EINVAL);
            }
            // only a signal to oneself may claim to come from the kernel or from kill/tkill
            if ((g != t.tg || flags == PIDFD_SIGNAL_PROCESS_GROUP) && (code >= 0 || code == SigInfo.SI_TKILL)) {
                throw new SyscallError(Errno.EPERM);
            }
            info = SigInfo.of(sig, code);
            info.pid = UserMemory.load32(t, infoAddr + 16);
            info.uid = UserMemory.load32(t, infoAddr + 20);
            info.value = UserMemory.load64(t, infoAddr + 24);
        } else {
            info = SigInfo.of(sig, SigInfo.SI_USER);
            info.pid = t.pid();
            info.uid = t.cred().uid;
        }
        if (flags == PIDFD_SIGNAL_PROCESS_GROUP) {
            return SysSignal.kill(t, -g.pgid, sig);
        }
        if (!SysSignal.mayKill(t, g, sig)) {
            throw new SyscallError(Errno.EPERM);
        }
        if (sig == 0 || g.isZombie()) {
            return 0;
        }
        if (flags == PIDFD_SIGNAL_THREAD) {
            Task leader = g.leader();
            if (leader == null || leader.state == Task.DEAD) {
                throw new SyscallError(Errno.ESRCH);
            }
            SignalDelivery.sendToTask(k, leader, info);
        } else {
            SignalDelivery.sendToProcess(k, g, info);
        }
        return 0;
    }

    static long getfd(Task t, int fd, int targetFd, long flags) {
        if (flags != 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        PidFd p = pidfd(t, fd);
        ThreadGroup g = p.process;
        if (g.state == ThreadGroup.REAPED) {
            throw new SyscallError(Errno.ESRCH);
        }
        if (!mayAttach(t.tg, g)) {
            throw new SyscallError(Errno.EPERM);
        }
        Task leader = g.leader();
        if (g.isZombie() || leader == null || leader.files == null) {
            throw new SyscallError(Errno.EBADF); // its files are gone
        }
        FileDescription f = leader.files.getOrNull(targetFd);
        if (targetFd < 0 || f == null) {
            throw new SyscallError(Errno.EBADF);
        }
        f.incRef();
        try {
            return t.files.install(f, 0, true);
        } catch (SyscallError e) {
            f.decRef();
            throw e;
        }
    }

    /** ptrace's PTRACE_MODE_ATTACH_REALCREDS rule: root, or the same real ids and a dumpable target. */
    private static boolean mayAttach(ThreadGroup caller, ThreadGroup target) {
        Credentials c = caller.cred;
        if (c.euid == 0 || caller == target) {
            return true;
        }
        Credentials d = target.cred;
        return c.uid == d.uid && c.uid == d.euid && c.uid == d.suid && c.gid == d.gid && c.gid == d.egid
                && c.gid == d.sgid && target.dumpable != 0;
    }

    /**
     * CLONE_PIDFD, before the child exists: takes the lowest free fd (EMFILE) and stores its
     * number at {@code addr} (EFAULT), as Linux does before it commits to the new process.
     * The fd holds a stand-in until {@link SysProcess} installs the child's pidfd there.
     */
    static int reserve(Task t, long addr) {
        int fd = t.files.install(new PidFd(t.tg, 0), 0, true);
        try {
            UserMemory.store32(t, addr, fd);
        } catch (SyscallError e) {
            t.files.close(fd);
            throw e;
        }
        return fd;
    }
}
