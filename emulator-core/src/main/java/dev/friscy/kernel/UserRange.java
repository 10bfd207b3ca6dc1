package dev.friscy.kernel;

import dev.friscy.errno.SyscallError;
import dev.friscy.errno.Errno;
import dev.friscy.mem.AddressSpace;
import dev.friscy.mem.Page;

/**
 * The one place where system calls turn a guest (address, length) pair into a range. Both come
 * from the guest as raw 64-bit values, so every sum and rounding here is checked: a length near
 * 2^64 must fail with the errno Linux gives, never wrap into a small or negative range that a
 * loop then walks for ever or a Java collection rejects with an exception.
 */
public final class UserRange {
    /** The first address above user space (Linux's TASK_SIZE). */
    public static final long LIMIT = AddressSpace.VA_LIMIT;

    private UserRange() {
    }

    /** True if [addr, addr+len) lies below {@link #LIMIT} without wrapping (Linux's access_ok); len is unsigned. */
    public static boolean fits(long addr, long len) {
        return Long.compareUnsigned(addr, LIMIT) <= 0 && Long.compareUnsigned(len, LIMIT - addr) <= 0;
    }

    /** addr + len, or the system call fails with {@code errno} when the range does not {@link #fits fit}. */
    public static long end(long addr, long len, int errno) {
        if (!fits(addr, len)) {
            throw new SyscallError(errno);
        }
        return addr + len;
    }

    /** {@code len} rounded up to whole pages (Linux's PAGE_ALIGN), or {@code errno} when that passes the limit. */
    public static long pageLength(long len, int errno) {
        if (Long.compareUnsigned(len, LIMIT) > 0) {
            throw new SyscallError(errno);
        }
        return (len + Page.MASK) & ~Page.MASK;
    }

    /**
     * The page-rounded end of [addr, addr+len): {@code wrapErrno} if the sum wraps around 2^64,
     * {@code beyondErrno} if it only passes the end of user space (where Linux finds no mapping).
     */
    public static long pageEnd(long addr, long len, int wrapErrno, int beyondErrno) {
        long n = Long.compareUnsigned(len, -Page.SIZE) > 0 ? -1 : (len + Page.MASK) & ~Page.MASK;
        long e = addr + n;
        if (n == -1 || Long.compareUnsigned(e, addr) < 0) {
            throw new SyscallError(wrapErrno);
        }
        if (Long.compareUnsigned(e, LIMIT) > 0) {
            throw new SyscallError(beyondErrno);
        }
        return e;
    }

    /**
     * The byte count a read or write of {@code len} bytes at {@code buf} moves: EFAULT if the
     * buffer cannot lie in user space (Linux checks access_ok before anything else), else the
     * length capped at {@link SysFile#MAX_RW}.
     */
    public static int ioCount(long buf, long len) {
        if (!fits(buf, len)) {
            throw new SyscallError(Errno.EFAULT);
        }
        return (int) Math.min(len, SysFile.MAX_RW);
    }
}
