package dev.friscy.kernel;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;

/**
 * A guest iovec array read once and checked as Linux's import_iovec does: at most 1024
 * segments (EINVAL), no segment length above SSIZE_MAX (EINVAL), every segment inside user
 * space (EFAULT), and the total capped at MAX_RW_COUNT by shortening the segment that passes
 * it. The lengths are read once, so a second thread changing the array cannot make the copy
 * disagree with the checks.
 */
final class IoVec {
    static final int UIO_MAXIOV = 1024;

    final long[] base;
    final long[] len;
    /** Sum of the (capped) lengths, at most {@link SysFile#MAX_RW}. */
    final long total;

    private IoVec(long[] base, long[] len, long total) {
        this.base = base;
        this.len = len;
        this.total = total;
    }

    static IoVec read(Task t, long iov, long cnt) {
        if (cnt < 0 || cnt > UIO_MAXIOV) {
            throw new SyscallError(Errno.EINVAL);
        }
        int n = (int) cnt;
        if (n > 0 && !UserRange.fits(iov, 16L * n)) {
            throw new SyscallError(Errno.EFAULT);
        }
        long[] base = new long[n];
        long[] len = new long[n];
        for (int i = 0; i < n; i++) {
            base[i] = UserMemory.load64(t, iov + 16L * i);
            len[i] = UserMemory.load64(t, iov + 16L * i + 8);
            if (len[i] < 0) {
                throw new SyscallError(Errno.EINVAL);
            }
        }
        long total = 0;
        for (int i = 0; i < n; i++) {
            if (!UserRange.fits(base[i], len[i])) {
                throw new SyscallError(Errno.EFAULT);
            }
            if (len[i] > SysFile.MAX_RW - total) {
                len[i] = SysFile.MAX_RW - total;
            }
            total += len[i];
        }
        return new IoVec(base, len, total);
    }

    /** Bytes to move through one kernel buffer in this call (callers loop, as they must for short transfers). */
    int chunk() {
        return (int) Math.min(total, SysFile.CHUNK);
    }

    /** Copies the first {@code n} bytes of the segments into {@code b}. */
    void gather(Task t, byte[] b, int n) {
        int off = 0;
        for (int i = 0; i < base.length && off < n; i++) {
            int k = (int) Math.min(len[i], n - off);
            if (k > 0 && !t.mm.read(base[i], b, off, k)) {
                t.mm.clearFault();
                throw new SyscallError(Errno.EFAULT);
            }
            off += k;
        }
    }

    /** Spreads the first {@code n} bytes of {@code b} over the segments. */
    void scatter(Task t, byte[] b, int n) {
        int off = 0;
        for (int i = 0; i < base.length && off < n; i++) {
            int k = (int) Math.min(len[i], n - off);
            UserMemory.write(t, base[i], b, off, k);
            off += k;
        }
    }
}
