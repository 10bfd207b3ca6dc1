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
        return setid(task, USER, (int) uid);
    }

    static long sys_setgid(Task task, long gid, long a1, long a2, long a3, long a4, long a5) {
        return setid(task, GROUP, (int) gid);
    }

    static long sys_setreuid(Task task, long r, long e, long a2, long a3, long a4, long a5) {
        return setreid(task, USER, (int) r, (int) e);
    }

    static long sys_setregid(Task task, long r, long e, long a2, long a3, long a4, long a5) {
        return setreid(task, GROUP, (int) r, (int) e);
    }

    static long sys_setresuid(Task task, long r, long e, long s, long a3, long a4, long a5) {
        return setresid(task, USER, (int) r, (int) e, (int) s);
    }

    static long sys_setresgid(Task task, long r, long e, long s, long a3, long a4, long a5) {
        return setresid(task, GROUP, (int) r, (int) e, (int) s);
    }

    static long sys_getresuid(Task task, long r, long e, long s, long a3, long a4, long a5) {
        return getresid(task, USER, r, e, s);
    }

    static long sys_getresgid(Task task, long r, long e, long s, long a3, long a4, long a5) {
        return getresid(task, GROUP, r, e, s);
    }

    static long sys_setfsuid(Task task, long uid, long a1, long a2, long a3, long a4, long a5) {
        return setfsid(task, USER, (int) uid);
    }

    static long sys_setfsgid(Task task, long gid, long a1, long a2, long a3, long a4, long a5) {
        return setfsid(task, GROUP, (int) gid);
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

    /*
     * User and group ids follow the same rules, each kind with its own four ids: real,
     * effective, saved and file-system. The right to set any id (CAP_SETUID, CAP_SETGID) is
     * root's, an effective uid of 0, for both kinds. (uid_t)-1 is no id: "keep" to setres*id and
     * setre*id, EINVAL to set*id, ignored by setfs*id.
     */
    static final boolean USER = false, GROUP = true;
    private static final int REAL = 0, EFFECTIVE = 1, SAVED = 2, FS = 3;
    private static final int NO_ID = -1;

    private static int[] ids(Credentials c, boolean group) {
        return group ? new int[] {c.gid, c.egid, c.sgid, c.fsgid} : new int[] {c.uid, c.euid, c.suid, c.fsuid};
    }

    private static void store(Credentials c, boolean group, int[] v) {
        if (group) {
            c.gid = v[REAL];
            c.egid = v[EFFECTIVE];
            c.sgid = v[SAVED];
            c.fsgid = v[FS];
        } else {
            c.uid = v[REAL];
            c.euid = v[EFFECTIVE];
            c.suid = v[SAVED];
            c.fsuid = v[FS];
        }
    }

    private static boolean privileged(Credentials c) {
        return c.euid == 0;
    }

    /** An unprivileged process may take any of its real, effective and saved ids. */
    private static boolean own(int[] v, int id) {
        return id == v[REAL] || id == v[EFFECTIVE] || id == v[SAVED];
    }

    /** setuid/setgid: root sets all four; others only the effective (and fs) id, to one they own. */
    static long setid(Task t, boolean group, int id) {
        if (id == NO_ID) {
            throw new SyscallError(Errno.EINVAL);
        }
        Credentials c = t.cred();
        int[] v = ids(c, group);
        if (privileged(c)) {
            v[REAL] = v[SAVED] = id;
        } else if (!own(v, id)) {
            throw new SyscallError(Errno.EPERM);
        }
        v[EFFECTIVE] = v[FS] = id;
        store(c, group, v);
        return 0;
    }

    static long setresid(Task t, boolean group, int r, int e, int s) {
        Credentials c = t.cred();
        int[] v = ids(c, group);
        if (!privileged(c) && (r != NO_ID && !own(v, r) || e != NO_ID && !own(v, e) || s != NO_ID && !own(v, s))) {
            throw new SyscallError(Errno.EPERM);
        }
        if (r != NO_ID) {
            v[REAL] = r;
        }
        if (e != NO_ID) {
            v[EFFECTIVE] = e;
        }
        if (s != NO_ID) {
            v[SAVED] = s;
        }
        v[FS] = v[EFFECTIVE];
        store(c, group, v);
        return 0;
    }

    /**
     * setreuid/setregid: the real id may become the effective one, the effective any owned one;
     * the saved id follows the effective one when the real one is set or the effective one
     * leaves the old real id.
     */
    static long setreid(Task t, boolean group, int r, int e) {
        Credentials c = t.cred();
        int[] v = ids(c, group);
        int oldReal = v[REAL];
        if (!privileged(c) && (r != NO_ID && r != v[REAL] && r != v[EFFECTIVE] || e != NO_ID && !own(v, e))) {
            throw new SyscallError(Errno.EPERM);
        }
        if (r != NO_ID) {
            v[REAL] = r;
        }
        if (e != NO_ID) {
            v[EFFECTIVE] = e;
        }
        if (r != NO_ID || e != NO_ID && e != oldReal) {
            v[SAVED] = v[EFFECTIVE];
        }
        v[FS] = v[EFFECTIVE];
        store(c, group, v);
        return 0;
    }

    /** setfsuid/setfsgid: the old fs id; the new one taken only if allowed (no error either way). */
    static long setfsid(Task t, boolean group, int id) {
        Credentials c = t.cred();
        int[] v = ids(c, group);
        int old = v[FS];
        if (id != NO_ID && (privileged(c) || own(v, id))) {
            v[FS] = id;
            store(c, group, v);
        }
        return old;
    }

    static long getresid(Task t, boolean group, long r, long e, long s) {
        int[] v = ids(t.cred(), group);
        UserMemory.store32(t, r, v[REAL]);
        UserMemory.store32(t, e, v[EFFECTIVE]);
        UserMemory.store32(t, s, v[SAVED]);
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
