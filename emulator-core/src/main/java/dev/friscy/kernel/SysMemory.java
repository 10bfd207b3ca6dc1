package dev.friscy.kernel;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.fs.FileDescription;
import dev.friscy.fs.Inode;
import dev.friscy.fs.OpenFlags;
import dev.friscy.mem.AddressSpace;
import dev.friscy.mem.MappedFile;
import dev.friscy.mem.Page;
import dev.friscy.mem.Prot;
import dev.friscy.mem.Vma;

/** Address-space system calls: brk, mmap, munmap, mprotect, mremap, madvise, msync, mlock, mincore. */
final class SysMemory {
    static final int MAP_SHARED = 1, MAP_PRIVATE = 2, MAP_SHARED_VALIDATE = 3, MAP_TYPE = 0xf, MAP_FIXED = 0x10,
            MAP_ANONYMOUS = 0x20, MAP_GROWSDOWN = 0x100, MAP_DENYWRITE = 0x800, MAP_EXECUTABLE = 0x1000,
            MAP_LOCKED = 0x2000, MAP_NORESERVE = 0x4000, MAP_POPULATE = 0x8000, MAP_NONBLOCK = 0x10000,
            MAP_STACK = 0x20000, MAP_HUGETLB = 0x40000, MAP_SYNC = 0x80000, MAP_FIXED_NOREPLACE = 0x100000;
    /** What MAP_SHARED_VALIDATE accepts (Linux's LEGACY_MAP_MASK, and MAP_FIXED_NOREPLACE); MAP_SYNC needs DAX. */
    static final int KNOWN_FLAGS = MAP_TYPE | MAP_FIXED | MAP_ANONYMOUS | MAP_DENYWRITE | MAP_EXECUTABLE | 0x4000000
            | MAP_GROWSDOWN | MAP_LOCKED | MAP_NORESERVE | MAP_POPULATE | MAP_NONBLOCK | MAP_STACK | MAP_HUGETLB
            | MAP_FIXED_NOREPLACE;
    static final int MREMAP_MAYMOVE = 1, MREMAP_FIXED = 2, MREMAP_DONTUNMAP = 4;
    static final int MADV_NORMAL = 0, MADV_RANDOM = 1, MADV_SEQUENTIAL = 2, MADV_WILLNEED = 3, MADV_DONTNEED = 4,
            MADV_FREE = 8, MADV_REMOVE = 9, MADV_DONTFORK = 10, MADV_DOFORK = 11, MADV_MERGEABLE = 12,
            MADV_UNMERGEABLE = 13, MADV_HUGEPAGE = 14, MADV_NOHUGEPAGE = 15, MADV_DONTDUMP = 16, MADV_DODUMP = 17,
            MADV_WIPEONFORK = 18, MADV_KEEPONFORK = 19, MADV_COLD = 20, MADV_PAGEOUT = 21;

    private SysMemory() {
    }

    static long sys_brk(Task task, long addr, long a1, long a2, long a3, long a4, long a5) {
        if (addr != 0 && addr > task.mm.brkStart && ((addr - task.mm.brkStart) >>> Page.SHIFT) > task.kernel.memory.limitPages()) {
            return task.mm.brk; // a heap larger than all memory: Linux's overcommit heuristic refuses it
        }
        return addr == 0 ? task.mm.brk : task.mm.setBrk(addr);
    }

    static long sys_mmap(Task task, long addr, long len, long prot, long flags, long fd, long off) {
        return mmap(task, addr, len, (int) prot, (int) flags, (int) fd, off);
    }

    static long sys_munmap(Task task, long addr, long len, long a2, long a3, long a4, long a5) {
        return munmap(task, addr, len);
    }

    static long sys_mprotect(Task task, long addr, long len, long prot, long a3, long a4, long a5) {
        return mprotect(task, addr, len, (int) prot);
    }

    static long sys_mremap(Task task, long old, long oldLen, long newLen, long flags, long newAddr, long a5) {
        return mremap(task, old, oldLen, newLen, (int) flags, newAddr);
    }

    static long sys_madvise(Task task, long addr, long len, long advice, long a3, long a4, long a5) {
        return madvise(task, addr, len, (int) advice);
    }

    static long sys_msync(Task task, long addr, long len, long flags, long a3, long a4, long a5) {
        if ((addr & Page.MASK) != 0 || (flags & ~7) != 0 || (flags & 5) == 5) {
            throw new SyscallError(Errno.EINVAL);
        }
        if (!task.mm.isMapped(addr, UserRange.pageEnd(addr, len, Errno.ENOMEM, Errno.ENOMEM))) {
            throw new SyscallError(Errno.ENOMEM);
        }
        return 0; // shared mappings write straight into the file's pages
    }

    // Memory is never paged out here, so locking is always already in effect.
    // The marks are what VmLck reports; the memory needs no pinning.
    static long sys_mlock(Task task, long addr, long len, long a2, long a3, long a4, long a5) {
        return lock(task, addr, len, true);
    }

    static long sys_munlock(Task task, long addr, long len, long a2, long a3, long a4, long a5) {
        return lock(task, addr, len, false);
    }

    static final int MCL_CURRENT = 1, MCL_FUTURE = 2, MCL_ONFAULT = 4;

    static long sys_mlockall(Task task, long flags, long a1, long a2, long a3, long a4, long a5) {
        if (flags == 0 || (flags & ~7) != 0 || flags == MCL_ONFAULT) {
            throw new SyscallError(Errno.EINVAL);
        }
        if ((flags & MCL_CURRENT) != 0) {
            for (Vma v : task.mm.vmas()) {
                v.locked = true;
            }
        }
        return 0;
    }

    static long sys_munlockall(Task task, long a0, long a1, long a2, long a3, long a4, long a5) {
        for (Vma v : task.mm.vmas()) {
            v.locked = false;
        }
        return 0;
    }

    private static long lock(Task t, long addr, long len, boolean on) {
        requireMapped(t, addr, len);
        long withOffset = len + (addr & Page.MASK);
        if (Long.compareUnsigned(withOffset, -Page.SIZE) <= 0 && withOffset > 0) {
            t.mm.setLocked(addr & ~Page.MASK, (withOffset + Page.MASK) & ~Page.MASK, on);
        }
        return 0;
    }

    static long sys_mlock2(Task task, long addr, long len, long flags, long a3, long a4, long a5) {
        if ((flags & ~1) != 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        return lock(task, addr, len, true);
    }

    static long sys_mincore(Task task, long addr, long len, long vec, long a3, long a4, long a5) {
        return mincore(task, addr, len, vec);
    }

    private static long requireMapped(Task t, long addr, long len) {
        long withOffset = len + (addr & Page.MASK);
        if (Long.compareUnsigned(withOffset, -Page.SIZE) > 0) {
            return 0; // Linux's PAGE_ALIGN wraps this length to 0: nothing to lock
        }
        long start = addr & ~Page.MASK;
        long end = UserRange.pageEnd(start, withOffset, Errno.EINVAL, Errno.ENOMEM);
        if (!t.mm.isMapped(start, end)) {
            throw new SyscallError(Errno.ENOMEM);
        }
        return 0;
    }

    static long mmap(Task t, long addr, long len, int prot, int flags, int fd, long off) {
        AddressSpace as = t.mm;
        if ((off & Page.MASK) != 0) {
            throw new SyscallError(Errno.EINVAL); // riscv's mmap checks the offset first
        }
        FileDescription fdesc = null;
        if ((flags & MAP_ANONYMOUS) == 0) {
            // then the fd (before the length, as Linux's ksys_mmap_pgoff); O_PATH fds do not count
            fdesc = t.files.get(fd);
            if ((fdesc.flags & OpenFlags.O_PATH) != 0) {
                throw new SyscallError(Errno.EBADF);
            }
        }
        if ((flags & MAP_TYPE) == MAP_SHARED_VALIDATE) {
            if (fdesc == null) {
                throw new SyscallError(Errno.EINVAL); // anonymous memory knows no MAP_SHARED_VALIDATE
            }
            if ((flags & ~KNOWN_FLAGS) != 0) {
                throw new SyscallError(Errno.EOPNOTSUPP);
            }
        }
        if (len == 0 || (prot & ~(Prot.READ | Prot.WRITE | Prot.EXEC | 0x01000000 | 0x02000000)) != 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        prot &= 7;
        int type = flags & MAP_TYPE;
        if (type != MAP_SHARED && type != MAP_PRIVATE && type != MAP_SHARED_VALIDATE) {
            throw new SyscallError(Errno.EINVAL);
        }
        if ((flags & MAP_HUGETLB) != 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        long size = UserRange.pageLength(len, Errno.ENOMEM);
        if (Long.compareUnsigned(off + size, off) < 0) {
            throw new SyscallError(Errno.EOVERFLOW); // the file range would wrap
        }
        if (as.vmaCount() >= t.kernel.sysctl.maxMapCount) {
            throw new SyscallError(Errno.ENOMEM); // vm.max_map_count
        }
        boolean shared = type != MAP_PRIVATE;
        if (!shared && (prot & Prot.WRITE) != 0 && (flags & MAP_NORESERVE) == 0
                && (size >>> Page.SHIFT) > t.kernel.memory.limitPages()) {
            // Linux's default overcommit heuristic: one private writable mapping larger than all memory
            throw new SyscallError(Errno.ENOMEM);
        }
        MappedFile file = null;
        String name = null;
        if ((flags & MAP_ANONYMOUS) == 0) {
            FileDescription f = fdesc;
            Inode ino = f.inode();
            if (ino == null || !(ino.isRegular() || ino.type() == Inode.S_IFCHR && isDevZero(f))) {
                throw new SyscallError(f.inode() == null ? Errno.ENODEV : Errno.EACCES);
            }
            if (!OpenFlags.readable(f.flags)) {
                throw new SyscallError(Errno.EACCES);
            }
            if (shared && (prot & Prot.WRITE) != 0 && (f.flags & OpenFlags.O_ACCMODE) != OpenFlags.O_RDWR) {
                throw new SyscallError(Errno.EACCES);
            }
            if (ino.isRegular()) {
                file = ino;
            }
        }
        if (file == null && shared) {
            // shared anonymous memory: a file of its own, so fork children see the same pages
            Inode anon = t.kernel.vfs.newInode(Inode.S_IFREG | 0600);
            anon.name = "/dev/zero (deleted)";
            anon.truncate(size);
            file = anon;
            off = 0;
        }
        if (flags == (MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK)) {
            name = "[stack]";
        }
        long start;
        if ((flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) != 0) {
            if ((addr & Page.MASK) != 0) {
                throw new SyscallError(Errno.EINVAL);
            }
            UserRange.end(addr, size, Errno.ENOMEM);
            if ((flags & MAP_FIXED) == 0 && !as.isFree(addr, addr + size)) {
                throw new SyscallError(Errno.EEXIST);
            }
            start = addr;
        } else {
            long hint = addr & ~Page.MASK;
            if (hint >= 0x10000 && UserRange.fits(hint, size) && as.isFree(hint, hint + size)) {
                start = hint;
            } else {
                start = as.findFree(size);
                if (start < 0) {
                    throw new SyscallError(Errno.ENOMEM);
                }
            }
        }
        Vma made = as.map(start, size, prot, shared, file, off, name);
        made.locked = (flags & MAP_LOCKED) != 0;
        made.growsDown = (flags & MAP_GROWSDOWN) != 0;
        return start;
    }

    /** Linux's stack_guard_gap: a growing area keeps this far from the accessible mapping below it. */
    static final long STACK_GUARD_GAP = 256L << Page.SHIFT;

    /**
     * A fault at {@code addr} below a MAP_GROWSDOWN area grows the area down to it (Linux's
     * expand_stack), unless that comes within the guard gap of an accessible mapping below or
     * makes it larger than RLIMIT_STACK. True if it grew: the access runs again.
     */
    static boolean growDown(Task t, long addr) {
        dev.friscy.mem.AddressSpace as = t.mm;
        if (as == null || addr < 0) {
            return false;
        }
        Vma above = null;
        Vma below = null;
        for (Vma v : as.vmas()) {
            if (v.end <= addr) {
                below = v;
            } else if (v.start > addr) {
                above = v;
                break;
            } else {
                return false; // inside a mapping: a protection fault, not a missing page
            }
        }
        if (above == null || !above.growsDown) {
            return false;
        }
        long newStart = addr & ~(long) Page.MASK;
        if (below != null && below.prot != 0 && newStart - below.end < STACK_GUARD_GAP) {
            return false;
        }
        long limit = t.tg.rlimits[Rlimits.STACK][0];
        if (limit >= 0 && above.end - newStart > limit) {
            return false;
        }
        as.extendDown(above, newStart);
        return true;
    }

    private static boolean isDevZero(FileDescription f) {
        return "/dev/zero".equals(f.describe());
    }

    static long munmap(Task t, long addr, long len) {
        if ((addr & Page.MASK) != 0 || len == 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        long end = UserRange.pageEnd(addr, len, Errno.EINVAL, Errno.EINVAL);
        t.mm.unmap(addr, end - addr);
        return 0;
    }

    static long mprotect(Task t, long addr, long len, int prot) {
        if ((addr & Page.MASK) != 0 || (prot & ~(7 | 0x01000000 | 0x02000000)) != 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        if (len == 0) {
            return 0;
        }
        long end = UserRange.pageEnd(addr, len, Errno.ENOMEM, Errno.ENOMEM);
        if (!t.mm.protect(addr, end - addr, prot & 7)) {
            throw new SyscallError(Errno.ENOMEM);
        }
        if ((prot & Prot.EXEC) != 0) {
            // code written while the page was writable must be decoded afresh (JITs toggle W^X)
            dev.friscy.cpu.Cpu.flushIcache(t.mm, addr, end);
        }
        return 0;
    }

    static long mremap(Task t, long old, long oldLen, long newLen, int flags, long newAddr) {
        AddressSpace as = t.mm;
        // Linux's order of checks: flags, then alignment, then the mapping itself
        if ((flags & ~7) != 0 || (flags & MREMAP_FIXED) != 0 && (flags & MREMAP_MAYMOVE) == 0
                || (flags & MREMAP_DONTUNMAP) != 0 && ((flags & MREMAP_MAYMOVE) == 0 || oldLen != newLen)
                || (old & Page.MASK) != 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        long os = UserRange.pageLength(oldLen, Errno.EINVAL);
        long ns = UserRange.pageLength(newLen, Errno.EINVAL);
        if (ns == 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        Vma v = as.findVma(old);
        if (v == null) {
            throw new SyscallError(Errno.EFAULT);
        }
        if (os == 0) {
            // Linux duplicates a shared mapping for old_len 0; that is not provided, and a private one is EINVAL there too
            throw new SyscallError(Errno.EINVAL);
        }
        if ((flags & (MREMAP_FIXED | MREMAP_DONTUNMAP)) != 0) {
            return mremapTo(as, old, os, ns, flags, newAddr);
        }
        if (ns <= os) {
            if (ns < os) {
                as.unmap(old + ns, os - ns);
            }
            return old;
        }
        if (old + os > v.end) {
            throw new SyscallError(Errno.EFAULT);
        }
        if (as.growInPlace(old, old + os, ns - os)) {
            return old;
        }
        if ((flags & MREMAP_MAYMOVE) == 0) {
            throw new SyscallError(Errno.ENOMEM);
        }
        long dst = as.findFree(ns);
        if (dst < 0) {
            throw new SyscallError(Errno.ENOMEM);
        }
        as.remap(old, os, dst, ns, false);
        return dst;
    }

    /** mremap to a given place (MREMAP_FIXED) or keeping the old mapping (MREMAP_DONTUNMAP). */
    private static long mremapTo(AddressSpace as, long old, long os, long ns, int flags, long newAddr) {
        boolean fixed = (flags & MREMAP_FIXED) != 0;
        if (fixed) {
            if ((newAddr & Page.MASK) != 0 || !UserRange.fits(newAddr, ns) || newAddr < old + os && old < newAddr + ns) {
                throw new SyscallError(Errno.EINVAL);
            }
            as.unmap(newAddr, ns);
        }
        if (ns < os) {
            as.unmap(old + ns, os - ns);
            os = ns;
        }
        Vma v = as.findVma(old);
        if (v == null || old + os > v.end) {
            throw new SyscallError(Errno.EFAULT);
        }
        long dst = fixed ? newAddr : as.findFree(ns);
        if (dst < 0) {
            throw new SyscallError(Errno.ENOMEM);
        }
        as.remap(old, os, dst, ns, (flags & MREMAP_DONTUNMAP) != 0);
        return dst;
    }

    static long madvise(Task t, long addr, long len, int advice) {
        if ((addr & Page.MASK) != 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        long size = UserRange.pageEnd(addr, len, Errno.EINVAL, Errno.ENOMEM) - addr;
        switch (advice) {
            case MADV_DONTNEED:
            case MADV_FREE:
                if (!t.mm.isMapped(addr, addr + size)) {
                    throw new SyscallError(Errno.ENOMEM);
                }
                t.mm.discard(addr, size);
                return 0;
            case MADV_NORMAL: case MADV_RANDOM: case MADV_SEQUENTIAL: case MADV_WILLNEED: case MADV_DONTFORK:
            case MADV_DOFORK: case MADV_MERGEABLE: case MADV_UNMERGEABLE: case MADV_HUGEPAGE: case MADV_NOHUGEPAGE:
            case MADV_DONTDUMP: case MADV_DODUMP: case MADV_COLD: case MADV_PAGEOUT:
                // hints about paging that has no effect on what the program observes here
                if (!t.mm.isMapped(addr, addr + size)) {
                    throw new SyscallError(Errno.ENOMEM);
                }
                return 0;
            default:
                throw new SyscallError(Errno.EINVAL);
        }
    }

    static long mincore(Task t, long addr, long len, long vec) {
        if ((addr & Page.MASK) != 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        if (!UserRange.fits(addr, len)) {
            throw new SyscallError(Errno.ENOMEM);
        }
        long end = UserRange.pageEnd(addr, len, Errno.ENOMEM, Errno.ENOMEM);
        if (!t.mm.isMapped(addr, end)) {
            throw new SyscallError(Errno.ENOMEM);
        }
        // every mapped page counts as resident (nothing is ever paged out); written a block at a
        // time, so a huge mapped range costs a bounded buffer and stops at the first bad vec byte
        long pages = (end - addr) >>> Page.SHIFT;
        byte[] b = new byte[(int) Math.min(pages, 4096)];
        java.util.Arrays.fill(b, (byte) 1);
        for (long done = 0; done < pages; ) {
            int k = (int) Math.min(b.length, pages - done);
            UserMemory.write(t, vec + done, b, 0, k);
            done += k;
        }
        return 0;
    }
}
