package dev.friscy.kernel;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.waiter.WaitQueue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.TreeMap;

/**
 * The System V IPC namespace: the id tables of shared memory segments, semaphore sets and
 * message queues, their ipc_perm rules, the tunable limits of /proc/sys/kernel, and the
 * /proc/sysvipc listings. The calls themselves live in SysShm, SysSem and SysMsg.
 */
public final class SysvIpc {
    static final int IPC_PRIVATE = 0;
    static final int IPC_CREAT = 01000, IPC_EXCL = 02000, IPC_NOWAIT = 04000;
    static final int IPC_RMID = 0, IPC_SET = 1, IPC_STAT = 2, IPC_INFO = 3;
    /** Linux's IPCMNI_SHIFT: an id is seq << 15 | index. */
    static final int IDX_SHIFT = 15;
    static final int IDX_MAX = 1 << IDX_SHIFT;

    /** Limits as Linux's defaults on a 64-bit machine; root tunes them in /proc/sys/kernel. */
    public long shmmax = 0xFFFF_FFFF_FEFF_FFFFL, shmall = 0xFFFF_FFFF_FEFF_FFFFL;
    public int shmmni = 4096;
    public int semmsl = 32000, semmns = 1024000000, semopm = 500, semmni = 32000;
    public int msgmax = 8192, msgmnb = 16384, msgmni = 32000;

    private final Kernel k;
    final Table shm = new Table();
    final Table sem = new Table();
    final Table msg = new Table();
    /** Per-process SEM_UNDO adjustments (set -> adjustment per semaphore), applied at exit. */
    final IdentityHashMap<ThreadGroup, HashMap<SysSem.SemSet, short[]>> undo = new IdentityHashMap<>();
    /** What each task blocked in semop/msgsnd/msgrcv waits for (for EIDRM, GETNCNT, GETZCNT). */
    final IdentityHashMap<Task, Parked> waiters = new IdentityHashMap<>();

    SysvIpc(Kernel k) {
        this.k = k;
    }

    /** An ipc_perm and the bookkeeping every IPC object shares. */
    abstract static class Obj {
        int key;
        int id;
        int uid, gid, cuid, cgid;
        int mode;
        int seq;
        long ctimeSec;
        boolean removed;
        final WaitQueue queue = new WaitQueue();

        int index() {
            return id & (IDX_MAX - 1);
        }
    }

    /** A task parked on an IPC object. */
    static final class Parked {
        final Obj obj;
        /** For semop: the semaphore and operation that could not proceed. */
        int semnum;
        int semop;

        Parked(Obj obj) {
            this.obj = obj;
        }
    }

    /** One family's ids: index -> object, key -> object. */
    static final class Table {
        final TreeMap<Integer, Obj> byIndex = new TreeMap<>();
        final HashMap<Integer, Obj> byKey = new HashMap<>();
        int seq;

        Obj byId(int id) {
            if (id < 0) {
                return null;
            }
            Obj o = byIndex.get(id & (IDX_MAX - 1));
            return o != null && o.id == id ? o : null;
        }

        /** Gives {@code o} the lowest free index and the next sequence number. */
        void add(Obj o, int max) {
            int idx = 0;
            for (int used : byIndex.keySet()) {
                if (used != idx) {
                    break;
                }
                idx++;
            }
            if (idx >= max || idx >= IDX_MAX) {
                throw new SyscallError(Errno.ENOSPC);
            }
            o.seq = seq;
            seq = (seq + 1) & 0xffff;
            o.id = (o.seq << IDX_SHIFT) | idx;
            byIndex.put(idx, o);
            if (o.key != IPC_PRIVATE) {
                byKey.put(o.key, o);
            }
        }

        void remove(Obj o) {
            o.removed = true;
            byIndex.remove(o.index());
            if (o.key != IPC_PRIVATE && byKey.get(o.key) == o) {
                byKey.remove(o.key);
            }
        }

        /** Hides a key (IPC_RMID of a segment still attached): later gets cannot find it. */
        void forgetKey(Obj o) {
            if (o.key != IPC_PRIVATE && byKey.get(o.key) == o) {
                byKey.remove(o.key);
            }
            o.key = IPC_PRIVATE;
        }

        int maxIndex() {
            return byIndex.isEmpty() ? 0 : byIndex.lastKey();
        }

        List<Obj> all() {
            return new ArrayList<>(byIndex.values());
        }
    }

    // ------------------------------------------------------------------ get

    interface Creator {
        Obj create();
    }

    /** A looked-up object must pass these (the size or count asked for), else EINVAL. */
    interface MoreChecks {
        void check(Obj o);
    }

    /** The shared rules of shmget/semget/msgget (Linux's ipcget). */
    static int get(Task t, Table table, int key, int flg, int max, Creator creator, MoreChecks more) {
        if (key != IPC_PRIVATE) {
            Obj o = table.byKey.get(key);
            if (o != null) {
                if ((flg & IPC_CREAT) != 0 && (flg & IPC_EXCL) != 0) {
                    throw new SyscallError(Errno.EEXIST);
                }
                more.check(o);
                if (!permitted(t, o, (flg >> 6) & 7 | (flg >> 3) & 7 | flg & 7)) {
                    throw new SyscallError(Errno.EACCES);
                }
                return o.id;
            }
            if ((flg & IPC_CREAT) == 0) {
                throw new SyscallError(Errno.ENOENT);
            }
        }
        if (table.byIndex.size() >= max) {
            throw new SyscallError(Errno.ENOSPC);
        }
        Obj o = creator.create();
        Credentials c = t.cred();
        o.key = key;
        o.uid = o.cuid = c.euid;
        o.gid = o.cgid = c.egid;
        o.mode = flg & 0777;
        o.ctimeSec = nowSec(t.kernel);
        table.add(o, max);
        return o.id;
    }

    /**
     * ipcperms: {@code want} is rwx bits (4 read, 2 write). The owner or creator is judged by
     * the owner bits, a member of its group by the group bits; root passes.
     */
    static boolean permitted(Task t, Obj o, int want) {
        Credentials c = t.cred();
        int granted = c.euid == o.cuid || c.euid == o.uid ? o.mode >> 6
                : inGroup(c, o.cgid) || inGroup(c, o.gid) ? o.mode >> 3 : o.mode;
        return (want & ~granted & 7) == 0 || c.euid == 0;
    }

    private static boolean inGroup(Credentials c, int g) {
        if (g == c.egid) {
            return true;
        }
        for (int x : c.groups) {
            if (x == g) {
                return true;
            }
        }
        return false;
    }

    /** IPC_SET and IPC_RMID: only the owner, the creator or root (else EPERM). */
    static void requireOwner(Task t, Obj o) {
        int euid = t.cred().euid;
        if (euid != 0 && euid != o.uid && euid != o.cuid) {
            throw new SyscallError(Errno.EPERM);
        }
    }

    static Obj lookup(Table table, int id) {
        Obj o = table.byId(id);
        if (o == null) {
            throw new SyscallError(Errno.EINVAL);
        }
        return o;
    }

    /** SHM_STAT / SEM_STAT / MSG_STAT take an index, not an id. */
    static Obj atIndex(Table table, int idx) {
        Obj o = idx < 0 ? null : table.byIndex.get(idx);
        if (o == null) {
            throw new SyscallError(Errno.EINVAL);
        }
        return o;
    }

    static long nowSec(Kernel k) {
        return Math.floorDiv(k.realtimeNs(), 1_000_000_000L);
    }

    // ------------------------------------------------------------------ struct ipc64_perm

    static final int PERM_SIZE = 48;

    static void putPerm(byte[] b, Obj o) {
        put32(b, 0, o.key);
        put32(b, 4, o.uid);
        put32(b, 8, o.gid);
        put32(b, 12, o.cuid);
        put32(b, 16, o.cgid);
        put32(b, 20, o.mode);
        b[24] = (byte) o.seq;
        b[25] = (byte) (o.seq >> 8);
    }

    /** IPC_SET: the uid, gid and permission bits from the caller's ipc64_perm. */
    static void setPerm(Task t, Obj o, byte[] b) {
        o.uid = get32(b, 4);
        o.gid = get32(b, 8);
        o.mode = (o.mode & ~0777) | (get32(b, 20) & 0777);
        o.ctimeSec = nowSec(t.kernel);
    }

    static void put32(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >> 8);
        b[off + 2] = (byte) (v >> 16);
        b[off + 3] = (byte) (v >> 24);
    }

    static void put64(byte[] b, int off, long v) {
        put32(b, off, (int) v);
        put32(b, off + 4, (int) (v >>> 32));
    }

    static int get32(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16 | (b[off + 3] & 0xff) << 24;
    }

    static long get64(byte[] b, int off) {
        return (get32(b, off) & 0xffffffffL) | (long) get32(b, off + 4) << 32;
    }

    // ------------------------------------------------------------------ waiting

    /** Parks {@code t} on {@code o} until woken or {@code deadline} (absolute monotonic, -1 none). */
    long park(Task t, Obj o, long deadline, Parked w) {
        waiters.put(t, w);
        return t.kernel.block(t, deadline, o.queue);
    }

    /** The record of a task re-running a call it blocked in (null if it was not waiting). */
    Parked resumed(Task t) {
        return waiters.remove(t);
    }

    /** Tasks still parked on {@code o} (records of tasks that died or were interrupted do not count). */
    List<Parked> parkedOn(Obj o) {
        List<Parked> l = new ArrayList<>();
        for (java.util.Map.Entry<Task, Parked> e : new ArrayList<>(waiters.entrySet())) {
            Task t = e.getKey();
            if (t.state == Task.DEAD) {
                waiters.remove(t);
            } else if (e.getValue().obj == o && t.state != Task.RUNNABLE) {
                l.add(e.getValue());
            }
        }
        return l;
    }

    /** A signal cut a wait short: forget what it waited for. */
    static long interrupted(Task t) {
        t.kernel.ipc.waiters.remove(t);
        return SyscallTable.USUAL;
    }

    // ------------------------------------------------------------------ /proc/sysvipc

    public String shmText() {
        return SysShm.procText(k);
    }

    public String semText() {
        StringBuilder sb = new StringBuilder(
                "       key      semid perms      nsems   uid   gid  cuid  cgid      otime      ctime\n");
        for (Obj o : sem.all()) {
            SysSem.SemSet s = (SysSem.SemSet) o;
            sb.append(String.format("%10d %10d  %4o %10d %5d %5d %5d %5d %10d %10d\n", s.key, s.id, s.mode,
                    s.vals.length, s.uid, s.gid, s.cuid, s.cgid, s.otimeSec, s.ctimeSec));
        }
        return sb.toString();
    }

    public String msgText() {
        StringBuilder sb = new StringBuilder("       key      msqid perms      cbytes       qnum lspid lrpid   uid   gid  cuid"
                + "  cgid      stime      rtime      ctime\n");
        for (Obj o : msg.all()) {
            SysMsg.Queue q = (SysMsg.Queue) o;
            sb.append(String.format("%10d %10d  %4o  %10d %10d %5d %5d %5d %5d %5d %5d %10d %10d %10d\n", q.key, q.id,
                    q.mode, q.cbytes, q.messages.size(), q.lspid, q.lrpid, q.uid, q.gid, q.cuid, q.cgid, q.stimeSec,
                    q.rtimeSec, q.ctimeSec));
        }
        return sb.toString();
    }

    /** /proc/sys/kernel/sem: SEMMSL SEMMNS SEMOPM SEMMNI, tab-separated. */
    public String semLimits() {
        return semmsl + "\t" + semmns + "\t" + semopm + "\t" + semmni + "\n";
    }

    /** Writes /proc/sys/kernel/sem (four integers); false if malformed. */
    public boolean setSemLimits(String text) {
        String[] f = text.trim().split("\\s+");
        if (f.length != 4) {
            return false;
        }
        int[] v = new int[4];
        try {
            for (int i = 0; i < 4; i++) {
                v[i] = Integer.parseInt(f[i]);
            }
        } catch (NumberFormatException e) {
            return false;
        }
        if (v[3] < 0 || v[3] > IDX_MAX) {
            return false;
        }
        semmsl = v[0];
        semmns = v[1];
        semopm = v[2];
        semmni = v[3];
        return true;
    }
}
