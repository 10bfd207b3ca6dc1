package dev.friscy.kernel;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;

import dev.friscy.fs.Inode;
import dev.friscy.mem.AddressSpace;
import dev.friscy.mem.Page;
import dev.friscy.mem.Prot;
import dev.friscy.mem.Vma;

import java.util.IdentityHashMap;

/**
 * System V shared memory: shmget, shmat, shmdt, shmctl. A segment is an unnamed file whose
 * pages every attachment maps shared (as MAP_SHARED), so fork children, which copy the
 * mapping, see the same memory. The attach count is the number of mappings of the segment in
 * live address spaces, counted when asked, as Linux counts its vmas.
 */
final class SysShm {
    static final int SHM_RDONLY = 010000, SHM_RND = 020000, SHM_REMAP = 040000, SHM_EXEC = 0100000;
    static final int SHM_HUGETLB = 04000, SHM_NORESERVE = 010000;
    static final int SHM_LOCK = 11, SHM_UNLOCK = 12, SHM_STAT = 13, SHM_INFO = 14, SHM_STAT_ANY = 15;
    /** Mode bits Linux keeps beside the permissions. */
    static final int SHM_DEST = 01000, SHM_LOCKED = 02000;
    /** The largest segment the file pages behind it can hold. */
    static final long MAX_SEGMENT = 1L << 40;

    /** A shared memory segment. */
    static final class Segment extends SysvIpc.Obj {
        long size;
        Inode file;
        long atimeSec, dtimeSec;
        int cpid, lpid;
    }

    private SysShm() {
    }

    private static long pageUp(long len) {
        return (len + Page.MASK) & ~Page.MASK;
    }

    static long sys_shmget(Task task, long a0, long a1, long a2, long a3, long a4, long a5) {
        return shmget(task, (int) a0, a1, (int) a2);
    }

    static long sys_shmat(Task task, long a0, long a1, long a2, long a3, long a4, long a5) {
        return shmat(task, (int) a0, a1, (int) a2);
    }

    static long sys_shmdt(Task task, long a0, long a1, long a2, long a3, long a4, long a5) {
        return shmdt(task, a0);
    }

    static long sys_shmctl(Task task, long a0, long a1, long a2, long a3, long a4, long a5) {
        return shmctl(task, (int) a0, (int) a1, a2);
    }

    static long shmget(Task t, int key, long size, int flg) {
        SysvIpc ipc = t.kernel.ipc;
        reapDestroyed(t.kernel);
        return SysvIpc.get(t, ipc.shm, key, flg, ipc.shmmni, () -> {
            if (size < 1 || Long.compareUnsigned(size, ipc.shmmax) > 0) {
                throw new SyscallError(Errno.EINVAL);
            }
            long pages = (size + Page.MASK) >>> Page.SHIFT;
            if (Long.compareUnsigned(totalPages(ipc) + pages, ipc.shmall) > 0) {
                throw new SyscallError(Errno.ENOSPC);
            }
            if (size > MAX_SEGMENT) {
                throw new SyscallError(Errno.ENOMEM);
            }
            Segment s = new Segment();
            s.size = size;
            s.cpid = t.pid();
            s.file = t.kernel.vfs.newInode(Inode.S_IFREG | 0600);
            s.file.truncate(pageUp(size));
            return s;
        }, o -> {
            if (Long.compareUnsigned(size, ((Segment) o).size) > 0) {
                throw new SyscallError(Errno.EINVAL);
            }
        });
    }

    private static long totalPages(SysvIpc ipc) {
        long n = 0;
        for (SysvIpc.Obj o : ipc.shm.all()) {
            n += (((Segment) o).size + Page.MASK) >>> Page.SHIFT;
        }
        return n;
    }

    static long shmat(Task t, int id, long addr, int flg) {
        Kernel k = t.kernel;
        reapDestroyed(k);
        if (addr != 0 && (addr & Page.MASK) != 0) {
            if ((flg & SHM_RND) == 0) {
                throw new SyscallError(Errno.EINVAL);
            }
            addr &= ~Page.MASK;
        }
        if (addr == 0 && (flg & SHM_REMAP) != 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        Segment s = (Segment) SysvIpc.lookup(k.ipc.shm, id);
        int want = 4 | ((flg & SHM_RDONLY) == 0 ? 2 : 0) | ((flg & SHM_EXEC) != 0 ? 1 : 0);
        if (!SysvIpc.permitted(t, s, want)) {
            throw new SyscallError(Errno.EACCES);
        }
        long len = pageUp(s.size);
        AddressSpace as = t.mm;
        long start;
        if (addr != 0) {
            if (addr + len > AddressSpace.VA_LIMIT || addr + len < addr) {
                throw new SyscallError(Errno.EINVAL);
            }
            if ((flg & SHM_REMAP) == 0 && !as.isFree(addr, addr + len)) {
                throw new SyscallError(Errno.EINVAL);
            }
            start = addr;
        } else {
            start = as.findFree(len);
            if (start < 0) {
                throw new SyscallError(Errno.ENOMEM);
            }
        }
        int prot = Prot.READ | ((flg & SHM_RDONLY) == 0 ? Prot.WRITE : 0) | ((flg & SHM_EXEC) != 0 ? Prot.EXEC : 0);
        s.file.pathHint = String.format("/SYSV%08x", s.key);
        as.map(start, len, prot, true, s.file, 0, null);
        s.atimeSec = SysvIpc.nowSec(k);
        s.lpid = t.pid();
        return start;
    }

    static long shmdt(Task t, long addr) {
        Kernel k = t.kernel;
        if ((addr & Page.MASK) != 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        // as Linux: the first mapping of a segment at or above addr that was attached at addr
        Segment seg = null;
        for (Vma v : t.mm.vmas()) {
            if (v.end <= addr) {
                continue;
            }
            Segment s = segmentOf(k, v);
            if (s != null && v.start - addr == v.fileOffset) {
                seg = s;
                break;
            }
        }
        if (seg == null) {
            throw new SyscallError(Errno.EINVAL);
        }
        long end = addr + pageUp(seg.size);
        java.util.List<Vma> pieces = new java.util.ArrayList<>();
        for (Vma v : t.mm.vmas()) {
            if (v.start >= addr && v.start < end && v.file == seg.file && v.start - addr == v.fileOffset) {
                pieces.add(v);
            }
        }
        for (Vma v : pieces) {
            t.mm.unmap(v.start, Math.min(v.end, end) - v.start);
        }
        seg.dtimeSec = SysvIpc.nowSec(k);
        seg.lpid = t.pid();
        reapDestroyed(k);
        return 0;
    }

    private static Segment segmentOf(Kernel k, Vma v) {
        if (v.file == null || !(v.file instanceof Inode)) {
            return null;
        }
        for (SysvIpc.Obj o : k.ipc.shm.all()) {
            if (((Segment) o).file == v.file) {
                return (Segment) o;
            }
        }
        return null;
    }

    /** Mappings of each segment in the live address spaces (threads share one). */
    private static IdentityHashMap<Inode, Integer> attachCounts(Kernel k) {
        IdentityHashMap<Inode, Integer> n = new IdentityHashMap<>();
        if (k.ipc.shm.byIndex.isEmpty()) {
            return n;
        }
        IdentityHashMap<AddressSpace, Boolean> seen = new IdentityHashMap<>();
        for (ThreadGroup g : k.processes()) {
            for (Task t : g.tasks) {
                if (t.state == Task.DEAD || t.mm == null || seen.put(t.mm, Boolean.TRUE) != null) {
                    continue;
                }
                for (Vma v : t.mm.vmas()) {
                    if (v.file instanceof Inode) {
                        n.merge((Inode) v.file, 1, Integer::sum);
                    }
                }
            }
        }
        return n;
    }

    static int nattch(Kernel k, Segment s) {
        Integer n = attachCounts(k).get(s.file);
        return n == null ? 0 : n;
    }

    /** A segment marked for removal goes once nothing maps it. */
    static void reapDestroyed(Kernel k) {
        IdentityHashMap<Inode, Integer> counts = null;
        for (SysvIpc.Obj o : k.ipc.shm.all()) {
            if ((o.mode & SHM_DEST) != 0) {
                if (counts == null) {
                    counts = attachCounts(k);
                }
                if (!counts.containsKey(((Segment) o).file)) {
                    k.ipc.shm.remove(o);
                }
            }
        }
    }

    static long shmctl(Task t, int id, int cmd, long buf) {
        Kernel k = t.kernel;
        SysvIpc ipc = k.ipc;
        reapDestroyed(k);
        if (cmd < 0 || id < 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        switch (cmd) {
            case SysvIpc.IPC_INFO: {
                byte[] b = new byte[72];
                SysvIpc.put64(b, 0, ipc.shmmax);
                SysvIpc.put64(b, 8, 1);
                SysvIpc.put64(b, 16, ipc.shmmni);
                SysvIpc.put64(b, 24, ipc.shmmni);
                SysvIpc.put64(b, 32, ipc.shmall);
                UserMemory.write(t, buf, b);
                return ipc.shm.maxIndex();
            }
            case SHM_INFO: {
                byte[] b = new byte[48];
                long rss = 0;
                for (SysvIpc.Obj o : ipc.shm.all()) {
                    rss += resident((Segment) o) >>> Page.SHIFT;
                }
                SysvIpc.put32(b, 0, ipc.shm.byIndex.size());
                SysvIpc.put64(b, 8, totalPages(ipc));
                SysvIpc.put64(b, 16, rss);
                UserMemory.write(t, buf, b);
                return ipc.shm.maxIndex();
            }
            case SysvIpc.IPC_STAT:
            case SHM_STAT:
            case SHM_STAT_ANY: {
                Segment s = (Segment) (cmd == SysvIpc.IPC_STAT ? SysvIpc.lookup(ipc.shm, id) : SysvIpc.atIndex(ipc.shm, id));
                if (cmd != SHM_STAT_ANY && !SysvIpc.permitted(t, s, 4)) {
                    throw new SyscallError(Errno.EACCES);
                }
                byte[] b = new byte[112];
                SysvIpc.putPerm(b, s);
                SysvIpc.put64(b, 48, s.size);
                SysvIpc.put64(b, 56, s.atimeSec);
                SysvIpc.put64(b, 64, s.dtimeSec);
                SysvIpc.put64(b, 72, s.ctimeSec);
                SysvIpc.put32(b, 80, s.cpid);
                SysvIpc.put32(b, 84, s.lpid);
                SysvIpc.put64(b, 88, nattch(k, s));
                UserMemory.write(t, buf, b);
                return cmd == SysvIpc.IPC_STAT ? 0 : s.id;
            }
            case SysvIpc.IPC_SET: {
                byte[] b = UserMemory.read(t, buf, 112);
                Segment s = (Segment) SysvIpc.lookup(ipc.shm, id);
                SysvIpc.requireOwner(t, s);
                SysvIpc.setPerm(t, s, b);
                return 0;
            }
            case SysvIpc.IPC_RMID: {
                Segment s = (Segment) SysvIpc.lookup(ipc.shm, id);
                SysvIpc.requireOwner(t, s);
                // still attached: it lives on, unfindable by key, until the last detach
                s.mode |= SHM_DEST;
                ipc.shm.forgetKey(s);
                reapDestroyed(k);
                return 0;
            }
            case SHM_LOCK:
            case SHM_UNLOCK: {
                Segment s = (Segment) SysvIpc.lookup(ipc.shm, id);
                if (!t.cred().isRoot() && t.cred().euid != s.uid && t.cred().euid != s.cuid) {
                    throw new SyscallError(Errno.EPERM);
                }
                // nothing is ever swapped here; the flag is what shmctl and /proc report
                s.mode = cmd == SHM_LOCK ? s.mode | SHM_LOCKED : s.mode & ~SHM_LOCKED;
                return 0;
            }
            default:
                throw new SyscallError(Errno.EINVAL);
        }
    }

    /** Bytes of the segment that have pages (its rss). */
    private static long resident(Segment s) {
        dev.friscy.fs.Stat st = new dev.friscy.fs.Stat();
        s.file.stat(st);
        return st.blocks * 512;
    }

    static String procText(Kernel k) {
        reapDestroyed(k);
        IdentityHashMap<Inode, Integer> counts = attachCounts(k);
        StringBuilder sb = new StringBuilder("       key      shmid perms                  size  cpid  lpid nattch   uid   gid"
                + "  cuid  cgid      atime      dtime      ctime                   rss                  swap\n");
        for (SysvIpc.Obj o : k.ipc.shm.all()) {
            Segment s = (Segment) o;
            Integer n = counts.get(s.file);
            sb.append(String.format("%10d %10d  %4o %21d %5d %5d  %5d %5d %5d %5d %5d %10d %10d %10d %21d %21d\n", s.key,
                    s.id, s.mode, s.size, s.cpid, s.lpid, n == null ? 0 : n, s.uid, s.gid, s.cuid, s.cgid, s.atimeSec,
                    s.dtimeSec, s.ctimeSec, resident(s), 0L));
        }
        return sb.toString();
    }
}
