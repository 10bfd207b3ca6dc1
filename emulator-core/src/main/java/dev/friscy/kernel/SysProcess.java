package dev.friscy.kernel;

import dev.friscy.cpu.Hart;
import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;

/**
 * Creating and ending tasks: clone and clone3 (fork, vfork, threads), exit, exit_group,
 * set_tid_address and the robust futex list registration.
 */
final class SysProcess {
    static final long CLONE_VM = 0x100, CLONE_FS = 0x200, CLONE_FILES = 0x400, CLONE_SIGHAND = 0x800,
            CLONE_PIDFD = 0x1000, CLONE_PTRACE = 0x2000, CLONE_VFORK = 0x4000, CLONE_PARENT = 0x8000,
            CLONE_THREAD = 0x10000, CLONE_NEWNS = 0x20000, CLONE_SYSVSEM = 0x40000, CLONE_SETTLS = 0x80000,
            CLONE_PARENT_SETTID = 0x100000, CLONE_CHILD_CLEARTID = 0x200000, CLONE_DETACHED = 0x400000,
            CLONE_UNTRACED = 0x800000, CLONE_CHILD_SETTID = 0x01000000, CLONE_NEWCGROUP = 0x02000000,
            CLONE_NEWUTS = 0x04000000, CLONE_NEWIPC = 0x08000000, CLONE_NEWUSER = 0x10000000,
            CLONE_NEWPID = 0x20000000, CLONE_NEWNET = 0x40000000, CLONE_IO = 0x80000000L,
            CLONE_CLEAR_SIGHAND = 0x100000000L, CLONE_INTO_CGROUP = 0x200000000L;
    static final long NAMESPACES = CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER
            | CLONE_NEWPID | CLONE_NEWNET;

    private SysProcess() {
    }

    // riscv64 argument order: flags, newsp, parent_tid, tls, child_tid
    static long sys_clone(Task task, long flags, long sp, long ptid, long tls, long ctid, long a5) {
        return clone(task, flags, sp, ptid, tls, ctid);
    }

    static long sys_clone3(Task task, long args, long size, long a2, long a3, long a4, long a5) {
        return clone3(task, args, size);
    }

    static long sys_exit(Task task, long code, long a1, long a2, long a3, long a4, long a5) {
        Lifecycle.exitThread(task.kernel, task, (int) code);
        return SyscallTable.NO_RETURN;
    }

    static long sys_exit_group(Task task, long code, long a1, long a2, long a3, long a4, long a5) {
        Lifecycle.exitGroup(task.kernel, task.tg, ((int) code & 0xff) << 8);
        return SyscallTable.NO_RETURN;
    }

    static long sys_set_tid_address(Task task, long addr, long a1, long a2, long a3, long a4, long a5) {
        task.clearChildTid = addr;
        return task.tid;
    }

    static long sys_set_robust_list(Task task, long head, long len, long a2, long a3, long a4, long a5) {
        if (len != 24) {
            throw new SyscallError(Errno.EINVAL);
        }
        task.robustList = head;
        task.robustListLen = len;
        return 0;
    }

    static long sys_get_robust_list(Task task, long tid, long headp, long lenp, long a3, long a4, long a5) {
        Task target = tid == 0 ? task : task.kernel.task((int) tid);
        if (target == null) {
            throw new SyscallError(Errno.ESRCH);
        }
        UserMemory.store64(task, headp, target.robustList);
        UserMemory.store64(task, lenp, 24);
        return 0;
    }

    static long clone3(Task t, long args, long size) {
        if (resumingVfork(t)) {
            return resumeVfork(t);
        }
        if (size < 64 || size > 4096) {
            throw new SyscallError(Errno.EINVAL);
        }
        long flags = UserMemory.load64(t, args);
        long pidfd = UserMemory.load64(t, args + 8);
        long childTid = UserMemory.load64(t, args + 16);
        long parentTid = UserMemory.load64(t, args + 24);
        long exitSignal = UserMemory.load64(t, args + 32);
        long stack = UserMemory.load64(t, args + 40);
        long stackSize = UserMemory.load64(t, args + 48);
        long tls = UserMemory.load64(t, args + 56);
        if (size >= 80) {
            long setTidSize = UserMemory.load64(t, args + 72);
            if (setTidSize != 0) {
                throw new SyscallError(Errno.EINVAL); // no pid namespaces: set_tid is meaningless
            }
        }
        if (size > 88) {
            // unknown trailing fields must be zero
            for (long o = 88; o < size; o += 8) {
                if (UserMemory.load(t, args + o, (int) Math.min(8, size - o)) != 0) {
                    throw new SyscallError(Errno.E2BIG);
                }
            }
        }
        if ((exitSignal & ~0xffL) != 0 || exitSignal > Signals.NSIG || (flags & 0xff) != 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        if ((stack == 0) != (stackSize == 0)) {
            throw new SyscallError(Errno.EINVAL);
        }
        if ((flags & (CLONE_SIGHAND | CLONE_CLEAR_SIGHAND)) == (CLONE_SIGHAND | CLONE_CLEAR_SIGHAND)) {
            throw new SyscallError(Errno.EINVAL); // nothing to clear in a shared table
        }
        if ((flags & (CLONE_PIDFD | CLONE_PARENT_SETTID)) == (CLONE_PIDFD | CLONE_PARENT_SETTID) && pidfd == parentTid) {
            throw new SyscallError(Errno.EINVAL);
        }
        long sp = stack == 0 ? 0 : stack + stackSize;
        return doClone(t, flags | exitSignal, sp, parentTid, tls, childTid, pidfd);
    }

    /**
     * RLIMIT_NPROC: a user other than root may not have more tasks (processes and threads) than
     * its limit; EAGAIN as Linux's copy_process gives.
     */
    private static void checkNproc(Task t) {
        Credentials c = t.tg.cred;
        if (c.uid == 0 || c.euid == 0) {
            return;
        }
        long limit = t.tg.rlimits[Rlimits.NPROC][0];
        if (limit < 0) {
            return;
        }
        long n = 0;
        for (ThreadGroup g : t.kernel.processes()) {
            if (g.cred != null && g.cred.uid == c.uid && !g.isZombie()) {
                for (Task o : g.tasks) {
                    if (o.state != Task.DEAD) {
                        n++;
                    }
                }
            }
        }
        if (n >= limit) {
            throw new SyscallError(Errno.EAGAIN);
        }
    }

    static long clone(Task t, long flags, long sp, long ptid, long tls, long ctid) {
        if (resumingVfork(t)) {
            return resumeVfork(t);
        }
        if ((flags & (CLONE_PIDFD | CLONE_PARENT_SETTID)) == (CLONE_PIDFD | CLONE_PARENT_SETTID)) {
            throw new SyscallError(Errno.EINVAL); // clone() returns the pidfd where the parent tid would go
        }
        return doClone(t, flags, sp, ptid, tls, ctid, ptid);
    }

    /**
     * A CLONE_VFORK parent blocks inside clone or clone3 and, when woken, re-enters the same
     * call: it must not create a child again (that re-run made a new child each time, up to a
     * full process table) but report the child it made, which {@link #doClone} kept in
     * restart.vforkChild, once that child has exec'd or exited.
     */
    private static boolean resumingVfork(Task t) {
        return t.restarting && t.restart.vforkChild != 0;
    }

    private static long resumeVfork(Task t) {
        if (t.vforkDone) {
            t.vforkDone = false;
            t.uninterruptible = false;
            return t.restart.vforkChild;
        }
        return t.kernel.block(t, -1);
    }

    private static long doClone(Task t, long flags, long sp, long ptid, long tls, long ctid, long pidfdAddr) {
        Kernel k = t.kernel;
        if ((flags & CLONE_THREAD) != 0 && (flags & CLONE_SIGHAND) == 0
                || (flags & CLONE_SIGHAND) != 0 && (flags & CLONE_VM) == 0
                || (flags & CLONE_FS) != 0 && (flags & NAMESPACES & CLONE_NEWNS) != 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        if ((flags & (NAMESPACES | CLONE_INTO_CGROUP)) != 0) {
            throw new SyscallError(Errno.EINVAL); // namespaces are not provided
        }
        if ((flags & CLONE_PIDFD) != 0 && (flags & (CLONE_THREAD | CLONE_DETACHED)) != 0) {
            throw new SyscallError(Errno.EINVAL); // thread pidfds are not provided
        }
        int exitSignal = (int) (flags & 0xff);
        if (exitSignal > Signals.NSIG) {
            throw new SyscallError(Errno.EINVAL);
        }
        boolean thread = (flags & CLONE_THREAD) != 0;
        if ((flags & CLONE_PARENT) != 0 && t.tg == k.init) {
            throw new SyscallError(Errno.EINVAL); // init may not make siblings, as on Linux
        }
        // the copy first: when the session's memory is full, fork fails ENOMEM with nothing made
        dev.friscy.mem.AddressSpace childMm = null;
        if ((flags & CLONE_VM) == 0) {
            childMm = t.mm.fork();
            if (childMm == null) {
                throw new SyscallError(Errno.ENOMEM);
            }
        }
        // CLONE_PIDFD: the fd and the store come before the child, so that a failure leaves no child
        int pidfd = -1;
        Task c;
        ThreadGroup parentTg = t.tg;
        try {
            checkNproc(t);
            if ((flags & CLONE_PIDFD) != 0) {
                pidfd = SysPidfd.reserve(t, pidfdAddr);
            }
            c = thread ? k.newThread(t.tg) : k.newProcess().leader();
        } catch (SyscallError full) {
            if (childMm != null) {
                childMm.release();
            }
            if (pidfd >= 0) {
                t.files.close(pidfd);
            }
            throw full;
        }
        if (thread) {
            // a thread of the caller's process
        } else {
            ThreadGroup g = c.tg;
            ThreadGroup parent = (flags & CLONE_PARENT) != 0 && parentTg.parent != null ? parentTg.parent : parentTg;
            g.parent = parent;
            parent.children.add(g);
            g.pgid = parentTg.pgid;
            g.sid = parentTg.sid;
            g.cred = parentTg.cred.copy();
            g.rlimits = Rlimits.copy(parentTg.rlimits);
            g.argv = parentTg.argv;
            g.envp = parentTg.envp;
            g.exe = parentTg.exe;
            g.exePath = parentTg.exePath;
            g.exitSignal = exitSignal;
        }
        // resources: shared or copied
        if ((flags & CLONE_VM) != 0) {
            c.mm = t.mm;
            t.mm.users++;
        } else {
            c.mm = childMm;
        }
        if ((flags & CLONE_FILES) != 0) {
            c.files = t.files;
            t.files.users++;
        } else {
            c.files = t.files.fork();
            if (pidfd >= 0) {
                c.files.close(pidfd); // the pidfd is the parent's alone
            }
        }
        c.fs = (flags & CLONE_FS) != 0 ? t.fs : t.fs.copy();
        if ((flags & CLONE_SIGHAND) != 0) {
            c.sighand = t.sighand;
        } else {
            c.sighand = t.sighand.copy();
            if ((flags & CLONE_CLEAR_SIGHAND) != 0) {
                for (int s = 1; s <= Signals.NSIG; s++) {
                    if (c.sighand.handler[s] != SignalActions.SIG_IGN) {
                        c.sighand.handler[s] = SignalActions.SIG_DFL;
                    }
                }
            }
        }
        Hart h = c.hart;
        h.copyFrom(t.hart);
        h.as = c.mm;
        h.x[10] = 0;
        h.pc = t.hart.pc + 4;
        if (sp != 0) {
            h.x[2] = sp;
        }
        if ((flags & CLONE_SETTLS) != 0) {
            h.x[4] = tls;
        }
        c.sigmask = t.sigmask;
        c.timerSlackNs = t.timerSlackNs;
        c.defaultTimerSlackNs = t.timerSlackNs;
        c.comm = t.comm;
        if ((flags & CLONE_VM) != 0 && (flags & CLONE_VFORK) == 0) {
            c.altStackFlags = SysSignal.SS_DISABLE;
        } else {
            c.altStackSp = t.altStackSp;
            c.altStackSize = t.altStackSize;
            c.altStackFlags = t.altStackFlags;
        }
        if ((flags & CLONE_CHILD_CLEARTID) != 0) {
            c.clearChildTid = ctid;
        }
        if ((flags & CLONE_PARENT_SETTID) != 0) {
            UserMemory.store32(t, ptid, c.tid);
        }
        if ((flags & CLONE_CHILD_SETTID) != 0) {
            if (!c.mm.store(ctid, 4, c.tid)) {
                c.mm.clearFault();
            }
        }
        if (pidfd >= 0) {
            t.files.installAt(pidfd, new dev.friscy.fs.PidFd(c.tg, 0), true);
        }
        if (!thread) {
            ThreadGroup g = c.tg;
            k.events.spawn(k.uptimeMs(), g.pid, g.parent.pid, g.pgid, g.sid);
        }
        k.enqueueNew(c, t);
        if ((flags & CLONE_VFORK) != 0) {
            c.vforkParent = t;
            t.vforkDone = false;
            t.uninterruptible = true;
            t.restart.vforkChild = c.tid;
            return k.block(t, -1);
        }
        return thread ? c.tid : c.tg.pid;
    }
}
