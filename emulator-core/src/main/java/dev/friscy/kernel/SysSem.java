package dev.friscy.kernel;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;

import java.util.HashMap;
import java.util.Map;

/**
 * System V semaphores: semget, semop, semtimedop, semctl. A semop applies all its operations
 * or none; one that cannot proceed parks the caller on the set until a change lets it retry.
 * SEM_UNDO adjustments are kept per process and applied when it exits.
 */
final class SysSem {
    static final int GETPID = 11, GETVAL = 12, GETALL = 13, GETNCNT = 14, GETZCNT = 15, SETVAL = 16, SETALL = 17,
            SEM_STAT = 18, SEM_INFO = 19, SEM_STAT_ANY = 20;
    static final int SEM_UNDO = 0x1000;
    static final int SEMVMX = 32767;
    static final int SEMAEM = SEMVMX;

    /** A semaphore set. */
    static final class SemSet extends SysvIpc.Obj {
        int[] vals;
        int[] pids;
        long otimeSec;
    }

    private SysSem() {
    }

    static long sys_semget(Task task, long a0, long a1, long a2, long a3, long a4, long a5) {
        return semget(task, (int) a0, (int) a1, (int) a2);
    }

    static long sys_semop(Task task, long a0, long a1, long a2, long a3, long a4, long a5) {
        return semop(task, (int) a0, a1, a2, 0);
    }

    static long sys_semtimedop(Task task, long a0, long a1, long a2, long a3, long a4, long a5) {
        return semop(task, (int) a0, a1, a2, a3);
    }

    static long sys_semctl(Task task, long a0, long a1, long a2, long a3, long a4, long a5) {
        return semctl(task, (int) a0, (int) a1, (int) a2, a3);
    }

    static long semget(Task t, int key, int nsems, int flg) {
        SysvIpc ipc = t.kernel.ipc;
        if (nsems < 0 || nsems > ipc.semmsl) {
            throw new SyscallError(Errno.EINVAL);
        }
        return SysvIpc.get(t, ipc.sem, key, flg, ipc.semmni, () -> {
            if (nsems == 0) {
                throw new SyscallError(Errno.EINVAL);
            }
            if ((long) totalSems(ipc) + nsems > ipc.semmns) {
                throw new SyscallError(Errno.ENOSPC);
            }
            SemSet s = new SemSet();
            s.vals = new int[nsems];
            s.pids = new int[nsems];
            return s;
        }, o -> {
            if (nsems > ((SemSet) o).vals.length) {
                throw new SyscallError(Errno.EINVAL);
            }
        });
    }

    private static int totalSems(SysvIpc ipc) {
        int n = 0;
        for (SysvIpc.Obj o : ipc.sem.all()) {
            n += ((SemSet) o).vals.length;
        }
        return n;
    }

    /** semop / semtimedop ({@code tmo} 0: no timeout). */
    static long semop(Task t, int id, long sops, long nsops, long tmo) {
        Kernel k = t.kernel;
        SysvIpc ipc = k.ipc;
        SysvIpc.Parked was = t.restarting ? ipc.resumed(t) : null;
        if (was != null && was.obj.removed) {
            throw new SyscallError(Errno.EIDRM);
        }
        if (nsops < 1 || id < 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        if (nsops > ipc.semopm) {
            throw new SyscallError(Errno.E2BIG);
        }
        byte[] raw = UserMemory.read(t, sops, (int) nsops * 6);
        long deadline = -1;
        if (tmo != 0) {
            if (was != null) {
                deadline = t.restart.timeout;
            } else {
                long rel = SysTime.readTimespec(t, tmo);
                long now = k.nowNs();
                deadline = now + rel < now ? Long.MAX_VALUE : now + rel;
            }
        }
        SemSet s = (SemSet) SysvIpc.lookup(ipc.sem, id);
        int n = (int) nsops;
        int[] num = new int[n];
        int[] op = new int[n];
        int[] flg = new int[n];
        boolean alter = false;
        boolean undo = false;
        int maxNum = 0;
        for (int i = 0; i < n; i++) {
            num[i] = (raw[i * 6] & 0xff) | (raw[i * 6 + 1] & 0xff) << 8;
            op[i] = (short) ((raw[i * 6 + 2] & 0xff) | (raw[i * 6 + 3] & 0xff) << 8);
            flg[i] = (short) ((raw[i * 6 + 4] & 0xff) | (raw[i * 6 + 5] & 0xff) << 8);
            maxNum = Math.max(maxNum, num[i]);
            alter |= op[i] != 0;
            undo |= (flg[i] & SEM_UNDO) != 0;
        }
        if (maxNum >= s.vals.length) {
            throw new SyscallError(Errno.EFBIG);
        }
        if (!SysvIpc.permitted(t, s, alter ? 2 : 4)) {
            throw new SyscallError(Errno.EACCES);
        }
        short[] adj = undo ? undoFor(ipc, t.tg, s) : null;
        // try the whole array on a copy: all or nothing
        int[] v = s.vals.clone();
        short[] a = adj == null ? null : adj.clone();
        for (int i = 0; i < n; i++) {
            int cur = v[num[i]];
            if (op[i] == 0) {
                if (cur != 0) {
                    return wouldBlock(t, s, num[i], 0, flg[i], deadline, was);
                }
                continue;
            }
            int nv = cur + op[i];
            if (nv < 0) {
                return wouldBlock(t, s, num[i], op[i], flg[i], deadline, was);
            }
            if (nv > SEMVMX) {
                throw new SyscallError(Errno.ERANGE);
            }
            if ((flg[i] & SEM_UNDO) != 0) {
                int na = a[num[i]] - op[i];
                if (na < -SEMAEM - 1 || na > SEMAEM) {
                    throw new SyscallError(Errno.ERANGE);
                }
                a[num[i]] = (short) na;
            }
            v[num[i]] = nv;
        }
        System.arraycopy(v, 0, s.vals, 0, v.length);
        if (adj != null) {
            System.arraycopy(a, 0, adj, 0, a.length);
        }
        for (int i = 0; i < n; i++) {
            s.pids[num[i]] = t.pid();
        }
        s.otimeSec = SysvIpc.nowSec(k);
        if (alter) {
            s.queue.wakeAll();
        }
        return 0;
    }

    private static long wouldBlock(Task t, SemSet s, int num, int op, int flg, long deadline, SysvIpc.Parked was) {
        if ((flg & SysvIpc.IPC_NOWAIT) != 0) {
            throw new SyscallError(Errno.EAGAIN);
        }
        if (was != null && (t.timedOut || deadline >= 0 && t.kernel.nowNs() >= deadline)) {
            throw new SyscallError(Errno.EAGAIN);
        }
        SysvIpc.Parked w = new SysvIpc.Parked(s);
        w.semnum = num;
        w.semop = op;
        t.restart.timeout = deadline;
        return t.kernel.ipc.park(t, s, deadline, w);
    }

    private static short[] undoFor(SysvIpc ipc, ThreadGroup g, SemSet s) {
        HashMap<SemSet, short[]> m = ipc.undo.computeIfAbsent(g, x -> new HashMap<>());
        return m.computeIfAbsent(s, x -> new short[s.vals.length]);
    }

    /** SETVAL/SETALL and removal: every process's adjustments for the semaphore(s) are void. */
    private static void clearUndo(SysvIpc ipc, SemSet s, int num) {
        for (HashMap<SemSet, short[]> m : ipc.undo.values()) {
            short[] a = m.get(s);
            if (a != null) {
                if (num < 0) {
                    m.remove(s);
                } else {
                    a[num] = 0;
                }
            }
        }
    }

    /** A process's exit: its SEM_UNDO adjustments are applied (clamped to 0..SEMVMX). */
    static void exitProcess(Kernel k, ThreadGroup g) {
        HashMap<SemSet, short[]> m = k.ipc.undo.remove(g);
        if (m == null) {
            return;
        }
        for (Map.Entry<SemSet, short[]> e : m.entrySet()) {
            SemSet s = e.getKey();
            if (s.removed) {
                continue;
            }
            short[] a = e.getValue();
            boolean changed = false;
            for (int i = 0; i < a.length; i++) {
                if (a[i] != 0) {
                    s.vals[i] = Math.max(0, Math.min(SEMVMX, s.vals[i] + a[i]));
                    s.pids[i] = g.pid;
                    changed = true;
                }
            }
            if (changed) {
                s.otimeSec = SysvIpc.nowSec(k);
                s.queue.wakeAll();
            }
        }
    }

    static long semctl(Task t, int id, int num, int cmd, long arg) {
        Kernel k = t.kernel;
        SysvIpc ipc = k.ipc;
        if (id < 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        switch (cmd) {
            case SysvIpc.IPC_INFO:
            case SEM_INFO: {
                byte[] b = new byte[40];
                boolean info = cmd == SEM_INFO;
                SysvIpc.put32(b, 0, ipc.semmns);
                SysvIpc.put32(b, 4, ipc.semmni);
                SysvIpc.put32(b, 8, ipc.semmns);
                SysvIpc.put32(b, 12, ipc.semmns);
                SysvIpc.put32(b, 16, ipc.semmsl);
                SysvIpc.put32(b, 20, ipc.semopm);
                SysvIpc.put32(b, 24, ipc.semopm);
                SysvIpc.put32(b, 28, info ? ipc.sem.byIndex.size() : 20);
                SysvIpc.put32(b, 32, SEMVMX);
                SysvIpc.put32(b, 36, info ? totalSems(ipc) : SEMAEM);
                UserMemory.write(t, arg, b);
                return ipc.sem.maxIndex();
            }
            case SysvIpc.IPC_STAT:
            case SEM_STAT:
            case SEM_STAT_ANY: {
                SemSet s = (SemSet) (cmd == SysvIpc.IPC_STAT ? SysvIpc.lookup(ipc.sem, id) : SysvIpc.atIndex(ipc.sem, id));
                if (cmd != SEM_STAT_ANY && !SysvIpc.permitted(t, s, 4)) {
                    throw new SyscallError(Errno.EACCES);
                }
                byte[] b = new byte[88];
                SysvIpc.putPerm(b, s);
                SysvIpc.put64(b, 48, s.otimeSec);
                SysvIpc.put64(b, 56, s.ctimeSec);
                SysvIpc.put64(b, 64, s.vals.length);
                UserMemory.write(t, arg, b);
                return cmd == SysvIpc.IPC_STAT ? 0 : s.id;
            }
            case SysvIpc.IPC_SET: {
                byte[] b = UserMemory.read(t, arg, 88);
                SemSet s = (SemSet) SysvIpc.lookup(ipc.sem, id);
                SysvIpc.requireOwner(t, s);
                SysvIpc.setPerm(t, s, b);
                return 0;
            }
            case SysvIpc.IPC_RMID: {
                SemSet s = (SemSet) SysvIpc.lookup(ipc.sem, id);
                SysvIpc.requireOwner(t, s);
                ipc.sem.remove(s);
                clearUndo(ipc, s, -1);
                s.queue.wakeAll(); // waiters see EIDRM
                return 0;
            }
            default:
                break;
        }
        SemSet s = (SemSet) SysvIpc.lookup(ipc.sem, id);
        switch (cmd) {
            case GETVAL:
            case GETPID:
            case GETNCNT:
            case GETZCNT: {
                if (num < 0 || num >= s.vals.length) {
                    throw new SyscallError(Errno.EINVAL);
                }
                requireAccess(t, s, 4);
                if (cmd == GETVAL) {
                    return s.vals[num];
                }
                if (cmd == GETPID) {
                    return s.pids[num];
                }
                int c = 0;
                for (SysvIpc.Parked w : ipc.parkedOn(s)) {
                    if (w.semnum == num && (cmd == GETZCNT ? w.semop == 0 : w.semop < 0)) {
                        c++;
                    }
                }
                return c;
            }
            case GETALL: {
                requireAccess(t, s, 4);
                byte[] b = new byte[s.vals.length * 2];
                for (int i = 0; i < s.vals.length; i++) {
                    b[2 * i] = (byte) s.vals[i];
                    b[2 * i + 1] = (byte) (s.vals[i] >> 8);
                }
                UserMemory.write(t, arg, b);
                return 0;
            }
            case SETVAL: {
                if (num < 0 || num >= s.vals.length) {
                    throw new SyscallError(Errno.EINVAL);
                }
                int val = (int) arg;
                if (val < 0 || val > SEMVMX) {
                    throw new SyscallError(Errno.ERANGE);
                }
                requireAccess(t, s, 2);
                s.vals[num] = val;
                s.pids[num] = t.pid();
                clearUndo(ipc, s, num);
                s.ctimeSec = SysvIpc.nowSec(k);
                s.queue.wakeAll();
                return 0;
            }
            case SETALL: {
                requireAccess(t, s, 2);
                byte[] b = UserMemory.read(t, arg, s.vals.length * 2);
                int[] nv = new int[s.vals.length];
                for (int i = 0; i < nv.length; i++) {
                    nv[i] = (b[2 * i] & 0xff) | (b[2 * i + 1] & 0xff) << 8;
                    if (nv[i] > SEMVMX) {
                        throw new SyscallError(Errno.ERANGE);
                    }
                }
                for (int i = 0; i < nv.length; i++) {
                    s.vals[i] = nv[i];
                    s.pids[i] = t.pid();
                }
                clearUndo(ipc, s, -1);
                s.ctimeSec = SysvIpc.nowSec(k);
                s.queue.wakeAll();
                return 0;
            }
            default:
                throw new SyscallError(Errno.EINVAL);
        }
    }

    private static void requireAccess(Task t, SemSet s, int want) {
        if (!SysvIpc.permitted(t, s, want)) {
            throw new SyscallError(Errno.EACCES);
        }
    }
}
