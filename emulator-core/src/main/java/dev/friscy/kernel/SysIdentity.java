package dev.friscy.kernel;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;

import java.nio.charset.StandardCharsets;

/**
 * Who a process is: pids and tids, process groups and sessions, user and group ids,
 * supplementary groups, prctl names and the parent-death signal, scheduling niceness.
 */
final class SysIdentity {
    static final int PR_SET_PDEATHSIG = 1, PR_GET_PDEATHSIG = 2, PR_GET_DUMPABLE = 3, PR_SET_DUMPABLE = 4,
            PR_SET_NAME = 15, PR_GET_NAME = 16, PR_CAPBSET_READ = 23, PR_SET_NO_NEW_PRIVS = 38,
            PR_GET_NO_NEW_PRIVS = 39, PR_SET_TIMERSLACK = 29, PR_GET_TIMERSLACK = 30;
    /** Linux's default timer slack: 50 µs. */
    static final long DEFAULT_TIMER_SLACK_NS = 50_000;

    private SysIdentity() {
    }

    static long sys_getpid(Task task, long a0, long a1, long a2, long a3, long a4, long a5) {
        return task.tg.pid;
    }

    static long sys_getppid(Task task, long a0, long a1, long a2, long a3, long a4, long a5) {
        return task.tg.parent == null ? 0 : task.tg.parent.pid;
    }

    static long sys_gettid(Task task, long a0, long a1, long a2, long a3, long a4, long a5) {
        return task.tid;
    }

    static long sys_getuid(Task task, long a0, long a1, long a2, long a3, long a4, long a5) {
        return task.cred().uid;
    }

    static long sys_geteuid(Task task, long a0, long a1, long a2, long a3, long a4, long a5) {
        return task.cred().euid;
    }

    static long sys_getgid(Task task, long a0, long a1, long a2, long a3, long a4, long a5) {
        return task.cred().gid;
    }

    static long sys_getegid(Task task, long a0, long a1, long a2, long a3, long a4, long a5) {
        return task.cred().egid;
    }

    static long sys_setpgid(Task task, long pid, long pgid, long a2, long a3, long a4, long a5) {
        return setpgid(task, (int) pid, (int) pgid);
    }

    static long sys_getpgid(Task task, long pid, long a1, long a2, long a3, long a4, long a5) {
        return lookup(task, (int) pid).pgid;
    }

    static long sys_getsid(Task task, long pid, long a1, long a2, long a3, long a4, long a5) {
        return lookup(task, (int) pid).sid;
    }

    static long sys_setsid(Task task, long a0, long a1, long a2, long a3, long a4, long a5) {
        return setsid(task);
    }

    static long sys_getgroups(Task task, long size, long list, long a2, long a3, long a4, long a5) {
        return getgroups(task, (int) size, list);
    }

    static long sys_setgroups(Task task, long size, long list, long a2, long a3, long a4, long a5) {
        return setgroups(task, (int) size, list);
    }

    static long sys_setuid(Task task, long uid, long a1, long a2, long a3, long a4, long a5) {
        return setresuid(task, uid, -1, -1, true);
    }

    static long sys_setgid(Task task, long gid, long a1, long a2, long a3, long a4, long a5) {
        return setresgid(task, gid, -1, -1, true);
    }

    static long sys_setreuid(Task task, long r, long e, long a2, long a3, long a4, long a5) {
        return setreuid(task, (int) r, (int) e);
    }

    static long sys_setregid(Task task, long r, long e, long a2, long a3, long a4, long a5) {
        return setregid(task, (int) r, (int) e);
    }

    static long sys_setresuid(Task task, long r, long e, long s, long a3, long a4, long a5) {
        return setresuid(task, r, e, s, false);
    }

    static long sys_setresgid(Task task, long r, long e, long s, long a3, long a4, long a5) {
        return setresgid(task, r, e, s, false);
    }

    static long sys_getresuid(Task task, long r, long e, long s, long a3, long a4, long a5) {
        Credentials c = task.cred();
        UserMemory.store32(task, r, c.uid);
        UserMemory.store32(task, e, c.euid);
        UserMemory.store32(task, s, c.suid);
        return 0;
    }

    static long sys_getresgid(Task task, long r, long e, long s, long a3, long a4, long a5) {
        Credentials c = task.cred();
        UserMemory.store32(task, r, c.gid);
        UserMemory.store32(task, e, c.egid);
        UserMemory.store32(task, s, c.sgid);
        return 0;
    }

    static long sys_setfsuid(Task task, long uid, long a1, long a2, long a3, long a4, long a5) {
        Credentials c = task.cred();
        int old = c.fsuid;
        if (c.euid == 0 || uid == c.uid || uid == c.euid || uid == c.suid) {
            c.fsuid = (int) uid;
        }
        return old;
    }

    static long sys_setfsgid(Task task, long gid, long a1, long a2, long a3, long a4, long a5) {
        Credentials c = task.cred();
        int old = c.fsgid;
        if (c.euid == 0 || gid == c.gid || gid == c.egid || gid == c.sgid) {
            c.fsgid = (int) gid;
        }
        return old;
    }

    static long sys_prctl(Task task, long op, long a1, long a2, long a3, long a4, long a5) {
        return prctl(task, (int) op, a1);
    }

    static long sys_setpriority(Task task, long which, long who, long prio, long a3, long a4, long a5) {
        return setpriority(task, (int) which, (int) who, (int) prio);
    }

    static long sys_getpriority(Task task, long which, long who, long a2, long a3, long a4, long a5) {
        return 20 - priorityTarget(task, (int) which, (int) who).nice;
    }

    static ThreadGroup lookup(Task t, int pid) {
        if (pid == 0) {
            return t.tg;
        }
        ThreadGroup g = t.kernel.process(pid);
        if (g == null || pid < 0) {
            throw new SyscallError(Errno.ESRCH);
        }
        return g;
    }

    static long setpgid(Task t, int pid, int pgid) {
        if (pgid < 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        ThreadGroup self = t.tg;
        ThreadGroup target = pid == 0 ? self : t.kernel.process(pid);
        if (target == null || (target != self && target.parent != self)) {
            throw new SyscallError(Errno.ESRCH);
        }
        if (target != self && target.execed) {
            throw new SyscallError(Errno.EACCES);
        }
        if (target.pid == target.sid) {
            throw new SyscallError(Errno.EPERM);
        }
        if (target.sid != self.sid) {
            throw new SyscallError(Errno.EPERM);
        }
        int newPg = pgid == 0 ? target.pid : pgid;
        if (newPg != target.pid && !t.kernel.groupInSession(newPg, self.sid)) {
            throw new SyscallError(Errno.EPERM);
        }
        target.pgid = newPg;
        return 0;
    }

    static long setsid(Task t) {
        ThreadGroup g = t.tg;
        for (ThreadGroup o : t.kernel.processes()) {
            if (o.pgid == g.pid && !o.isZombie()) {
                throw new SyscallError(Errno.EPERM); // already a group leader (or its id is in use)
            }
        }
        g.sid = g.pid;
        g.pgid = g.pid;
        return g.sid;
    }

    static long getgroups(Task t, int size, long list) {
        int[] gs = t.cred().groups;
        if (size < 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        if (size == 0) {
            return gs.length;
        }
        if (size < gs.length) {
            throw new SyscallError(Errno.EINVAL);
        }
        for (int i = 0; i < gs.length; i++) {
            UserMemory.store32(t, list + 4L * i, gs[i]);
        }
        return gs.length;
    }

    static long setgroups(Task t, int size, long list) {
        if (t.cred().euid != 0) {
            throw new SyscallError(Errno.EPERM);
        }
        if (size < 0 || size > 65536) {
            throw new SyscallError(Errno.EINVAL);
        }
        int[] gs = new int[size];
        for (int i = 0; i < size; i++) {
            gs[i] = UserMemory.load32(t, list + 4L * i);
        }
        t.cred().groups = gs;
        return 0;
    }

    private static boolean allowed(Credentials c, long id) {
        return id == c.uid || id == c.euid || id == c.suid;
    }

    /** setresuid, and setuid when {@code posix} (root sets all three; others only the effective id). */
    static long setresuid(Task t, long r, long e, long s, boolean posix) {
        Credentials c = t.cred();
        int ri = (int) r;
        if (posix) {
            if (c.euid == 0) {
                c.uid = c.euid = c.suid = c.fsuid = ri;
            } else if (allowed(c, ri)) {
                c.euid = c.fsuid = ri;
            } else {
                throw new SyscallError(Errno.EPERM);
            }
            return 0;
        }
        int ei = (int) e;
        int si = (int) s;
        if (c.euid != 0 && (ri != -1 && !allowed(c, ri) || ei != -1 && !allowed(c, ei) || si != -1 && !allowed(c, si))) {
            throw new SyscallError(Errno.EPERM);
        }
        if (ri != -1) {
            c.uid = ri;
        }
        if (ei != -1) {
            c.euid = ei;
        }
        if (si != -1) {
            c.suid = si;
        }
        c.fsuid = c.euid;
        return 0;
    }

    private static boolean allowedG(Credentials c, long id) {
        return id == c.gid || id == c.egid || id == c.sgid;
    }

    static long setresgid(Task t, long r, long e, long s, boolean posix) {
        Credentials c = t.cred();
        int ri = (int) r;
        if (posix) {
            if (c.euid == 0) {
                c.gid = c.egid = c.sgid = c.fsgid = ri;
            } else if (allowedG(c, ri)) {
                c.egid = c.fsgid = ri;
            } else {
                throw new SyscallError(Errno.EPERM);
            }
            return 0;
        }
        int ei = (int) e;
        int si = (int) s;
        if (c.euid != 0 && (ri != -1 && !allowedG(c, ri) || ei != -1 && !allowedG(c, ei) || si != -1 && !allowedG(c, si))) {
            throw new SyscallError(Errno.EPERM);
        }
        if (ri != -1) {
            c.gid = ri;
        }
        if (ei != -1) {
            c.egid = ei;
        }
        if (si != -1) {
            c.sgid = si;
        }
        c.fsgid = c.egid;
        return 0;
    }

    static long setreuid(Task t, int r, int e) {
        Credentials c = t.cred();
        int oldUid = c.uid;
        if (c.euid != 0 && (r != -1 && r != c.uid && r != c.euid || e != -1 && !allowed(c, e))) {
            throw new SyscallError(Errno.EPERM);
        }
        if (r != -1) {
            c.uid = r;
        }
        if (e != -1) {
            c.euid = e;
        }
        if (r != -1 || e != -1 && e != oldUid) {
            c.suid = c.euid;
        }
        c.fsuid = c.euid;
        return 0;
    }

    static long setregid(Task t, int r, int e) {
        Credentials c = t.cred();
        int oldGid = c.gid;
        if (c.euid != 0 && (r != -1 && r != c.gid && r != c.egid || e != -1 && !allowedG(c, e))) {
            throw new SyscallError(Errno.EPERM);
        }
        if (r != -1) {
            c.gid = r;
        }
        if (e != -1) {
            c.egid = e;
        }
        if (r != -1 || e != -1 && e != oldGid) {
            c.sgid = c.egid;
        }
        c.fsgid = c.egid;
        return 0;
    }

    static long prctl(Task t, int op, long a1) {
        switch (op) {
            case PR_SET_NAME: {
                // at most 15 bytes are read, as Linux does: a longer name need not be terminated
                StringBuilder name = new StringBuilder(15);
                for (int i = 0; i < 15; i++) {
                    int c = (int) UserMemory.load(t, a1 + i, 1) & 0xff;
                    if (c == 0) {
                        break;
                    }
                    name.append((char) c);
                }
                String s = name.toString();
                t.comm = s;
                return 0;
            }
            case PR_GET_NAME: {
                byte[] b = new byte[16];
                byte[] n = t.comm.getBytes(StandardCharsets.ISO_8859_1);
                System.arraycopy(n, 0, b, 0, Math.min(15, n.length));
                UserMemory.write(t, a1, b);
                return 0;
            }
            case PR_SET_PDEATHSIG:
                if (a1 < 0 || a1 > Signals.NSIG) {
                    throw new SyscallError(Errno.EINVAL);
                }
                t.tg.pdeathSignal = (int) a1;
                return 0;
            case PR_GET_PDEATHSIG:
                UserMemory.store32(t, a1, t.tg.pdeathSignal);
                return 0;
            case PR_GET_DUMPABLE:
                return t.tg.dumpable;
            case PR_SET_DUMPABLE:
                if (a1 != 0 && a1 != 1) {
                    throw new SyscallError(Errno.EINVAL);
                }
                t.tg.dumpable = (int) a1;
                return 0;
            case PR_SET_NO_NEW_PRIVS:
                if (a1 != 1) {
                    throw new SyscallError(Errno.EINVAL);
                }
                t.tg.noNewPrivs = true;
                return 0;
            case PR_GET_NO_NEW_PRIVS:
                return t.tg.noNewPrivs ? 1 : 0;
            case PR_SET_TIMERSLACK:
                t.timerSlackNs = a1 == 0 ? t.defaultTimerSlackNs : a1; // an unsigned long: only 0 means "the default"
                return 0;
            case PR_GET_TIMERSLACK:
                return t.timerSlackNs;
            case PR_CAPBSET_READ:
                if (a1 < 0 || a1 > 40) {
                    throw new SyscallError(Errno.EINVAL);
                }
                return 1;
            default:
                throw new SyscallError(Errno.EINVAL);
        }
    }

    private static ThreadGroup priorityTarget(Task t, int which, int who) {
        if (which != 0) {
            // PRIO_PGRP and PRIO_USER: the calling process stands for its group/user here
            if (which != 1 && which != 2) {
                throw new SyscallError(Errno.EINVAL);
            }
            return t.tg;
        }
        return lookup(t, who);
    }

    static long setpriority(Task t, int which, int who, int prio) {
        ThreadGroup g = priorityTarget(t, which, who);
        int nice = Math.max(-20, Math.min(19, prio));
        if (nice < g.nice && t.cred().euid != 0) {
            throw new SyscallError(Errno.EACCES);
        }
        g.nice = nice;
        return 0;
    }
}
