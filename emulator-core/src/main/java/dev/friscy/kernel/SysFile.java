package dev.friscy.kernel;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.fs.FdTable;
import dev.friscy.fs.FileDescription;
import dev.friscy.fs.Inode;
import dev.friscy.fs.OpenFlags;
import dev.friscy.mem.IoBuffer;

/**
 * System calls on file descriptors: read, write and their vector/positional forms, close,
 * dup, fcntl, ioctl. Path-based calls are in {@link SysFs}.
 */
final class SysFile {
    static final int F_DUPFD = 0, F_GETFD = 1, F_SETFD = 2, F_GETFL = 3, F_SETFL = 4, F_DUPFD_CLOEXEC = 1030;
    static final int FD_CLOEXEC = 1;
    /** Largest single transfer, as Linux caps it (MAX_RW_COUNT). */
    static final int MAX_RW = 0x7ffff000;
    /** We move at most this much per call through a kernel buffer; callers loop like they must anyway. */
    static final int CHUNK = IoBuffer.CHUNK;

    private SysFile() {
    }

    static long sys_read(Task task, long fd, long buf, long len, long a3, long a4, long a5) {
        return read(task, (int) fd, buf, len);
    }

    static long sys_write(Task task, long fd, long buf, long len, long a3, long a4, long a5) {
        return write(task, (int) fd, buf, len);
    }

    static long sys_readv(Task task, long fd, long iov, long cnt, long a3, long a4, long a5) {
        return readv(task, (int) fd, iov, cnt);
    }

    static long sys_writev(Task task, long fd, long iov, long cnt, long a3, long a4, long a5) {
        return writev(task, (int) fd, iov, cnt);
    }

    static long sys_close(Task task, long fd, long a1, long a2, long a3, long a4, long a5) {
        return closeFd(task, (int) fd);
    }

    static long sys_dup(Task task, long fd, long a1, long a2, long a3, long a4, long a5) {
        return dup(task, (int) fd, 0, false);
    }

    static long sys_dup3(Task task, long oldfd, long newfd, long flags, long a3, long a4, long a5) {
        return dup3(task, (int) oldfd, (int) newfd, (int) flags);
    }

    static long sys_fcntl(Task task, long fd, long cmd, long arg, long a3, long a4, long a5) {
        return fcntl(task, (int) fd, (int) cmd, arg);
    }

    static long sys_ioctl(Task task, long fd, long cmd, long arg, long a3, long a4, long a5) {
        return ioctl(task, (int) fd, (int) cmd, arg);
    }

    /** close(2); a process's record locks on the file go with any of its fds being closed. */
    static long closeFd(Task t, int fd) {
        FileDescription f = t.files.get(fd);
        dev.friscy.fs.Inode i = f.inode();
        if (i != null && i.locks != null) {
            i.locks.releaseOwner(t.tg);
        }
        t.files.close(fd);
        return 0;
    }

    static final int FIONBIO = 0x5421, FIONCLEX = 0x5450, FIOCLEX = 0x5451, FIOASYNC = 0x5452;
    static final int FICLONE = 0x40049409, FICLONERANGE = 0x4020940d;

    /** ioctl(2): the commands Linux handles for every fd, then the description's own. */
    static long ioctl(Task t, int fd, int cmd, long arg) {
        FileDescription f = t.files.get(fd);
        if ((f.flags & OpenFlags.O_PATH) != 0) {
            throw new SyscallError(Errno.EBADF);
        }
        switch (cmd) {
            case FIOCLEX:
                t.files.setCloexec(fd, true);
                return 0;
            case FIONCLEX:
                t.files.setCloexec(fd, false);
                return 0;
            case FIONBIO:
            case FIOASYNC: {
                int bit = cmd == FIONBIO ? OpenFlags.O_NONBLOCK : OpenFlags.O_ASYNC;
                if (UserMemory.load32(t, arg) != 0) {
                    f.flags |= bit;
                    if (bit == OpenFlags.O_ASYNC) {
                        f.asyncFd = fd;
                    }
                } else {
                    f.flags &= ~bit;
                }
                return 0;
            }
            case FICLONE:
                return cloneRange(t, f, (int) arg);
            case FICLONERANGE:
                return cloneRange(t, f, (int) UserMemory.load64(t, arg));
            default:
                return f.ioctl(t, cmd, arg);
        }
    }

    /**
     * FICLONE/FICLONERANGE (cp --reflink): the checks Linux makes for any file, then EOPNOTSUPP,
     * since this file system, like tmpfs, cannot share extents between files.
     */
    private static long cloneRange(Task t, FileDescription dst, int srcFd) {
        FileDescription src = t.files.get(srcFd);
        if ((src.flags & OpenFlags.O_PATH) != 0) {
            throw new SyscallError(Errno.EBADF);
        }
        Inode in = src.inode();
        Inode out = dst.inode();
        if ((in != null && in.isDir()) || (out != null && out.isDir())) {
            throw new SyscallError(Errno.EISDIR);
        }
        if (in == null || out == null || !in.isRegular() || !out.isRegular()) {
            throw new SyscallError(Errno.EINVAL);
        }
        if (!OpenFlags.readable(src.flags) || !OpenFlags.writable(dst.flags) || (dst.flags & OpenFlags.O_APPEND) != 0) {
            throw new SyscallError(Errno.EBADF);
        }
        throw new SyscallError(Errno.EOPNOTSUPP);
    }

    /** Parks the task when a description would block, unless it is non-blocking. */
    static long wouldBlock(Task t, FileDescription f) {
        if ((f.flags & OpenFlags.O_NONBLOCK) != 0 || f.waitQueue() == null) {
            return -Errno.EAGAIN;
        }
        return park(t, f, false);
    }

    /**
     * Parks {@code t} on {@code f}'s queue until it is woken or the description's own wait
     * limit passes (a socket's SO_RCVTIMEO/SO_SNDTIMEO), after which the call answers EAGAIN.
     */
    static long park(Task t, FileDescription f, boolean write) {
        long limit = f.waitLimitNs(write);
        if (limit <= 0) {
            return t.kernel.block(t, -1, f.waitQueue());
        }
        if (!t.restarting || t.restart.timeout == 0) {
            t.restart.timeout = t.kernel.nowNs() + limit;
        }
        if (t.timedOut || t.kernel.nowNs() >= t.restart.timeout) {
            return -Errno.EAGAIN;
        }
        return t.kernel.block(t, t.restart.timeout, f.waitQueue());
    }

    /**
     * The one blocking read every kind of file goes through (pipes, FIFOs, sockets, terminals,
     * regular files, ...). The description reads for {@code t}; EAGAIN parks {@code t} on the
     * description's wait queue (or is the answer, when non-blocking) and the call re-runs when
     * woken; a signal meanwhile ends it with EINTR or restarts it ({@link SignalDelivery}).
     */
    static long read(Task t, FileDescription f, IoBuffer dst) {
        try {
            return f.read(t, dst);
        } catch (SyscallError e) {
            if (e.errno == Errno.EAGAIN) {
                return wouldBlock(t, f);
            }
            throw e;
        }
    }

    /**
     * The one blocking write, the twin of {@link #read(Task, FileDescription, IoBuffer)}: a
     * stream that filled up part-way keeps its progress in the task's restart block while the
     * task waits, and EPIPE raises SIGPIPE.
     */
    static long write(Task t, FileDescription f, IoBuffer src) {
        resume(t, src);
        try {
            return f.write(t, src);
        } catch (SyscallError e) {
            return writeFailed(t, f, src, e, (f.flags & OpenFlags.O_NONBLOCK) != 0, true);
        }
    }

    /** A re-run of a blocked write continues after the bytes its earlier runs moved. */
    static void resume(Task t, IoBuffer src) {
        if (t.restarting) {
            src.position(Math.min(t.restart.transferred, src.length));
        }
    }

    /**
     * What a write to {@code f} that failed with {@code e} comes to: EAGAIN parks the task
     * (keeping the progress in {@code src}) unless {@code nonblock}; EPIPE raises SIGPIPE when
     * {@code sigpipe} (send's MSG_NOSIGNAL clears it); anything else is the call's error.
     */
    static long writeFailed(Task t, FileDescription f, IoBuffer src, SyscallError e, boolean nonblock, boolean sigpipe) {
        if (e.errno == Errno.EAGAIN) {
            if (nonblock || f.waitQueue() == null) {
                return -Errno.EAGAIN;
            }
            t.restart.transferred = src.position();
            long r = park(t, f, true);
            return r == -Errno.EAGAIN && src.position() > 0 ? src.position() : r;
        }
        if (e.errno == Errno.EPIPE && sigpipe) {
            SignalDelivery.sendToTask(t.kernel, t, SigInfo.of(Signals.SIGPIPE, SigInfo.SI_USER));
        }
        throw e;
    }

    static long read(Task t, int fd, long buf, long len) {
        FileDescription f = t.files.get(fd);
        if (!OpenFlags.readable(f.flags)) {
            throw new SyscallError(Errno.EBADF);
        }
        return read(t, f, IoBuffer.guest(t.mm, buf, UserRange.ioCount(buf, len)));
    }

    static long write(Task t, int fd, long buf, long len) {
        FileDescription f = t.files.get(fd);
        if (!OpenFlags.writable(f.flags)) {
            throw new SyscallError(Errno.EBADF);
        }
        return write(t, f, IoBuffer.guest(t.mm, buf, UserRange.ioCount(buf, len)));
    }

    /** Gathers an iovec array into one kernel buffer (at most {@link #CHUNK} bytes). */
    static byte[] gather(Task t, long iov, long cnt) {
        IoVec v = IoVec.read(t, iov, cnt);
        byte[] b = new byte[v.chunk()];
        v.gather(t, b, b.length);
        return b;
    }

    /** Scatters {@code n} bytes of {@code b} over an iovec array. */
    static void scatter(Task t, long iov, long cnt, byte[] b, int n) {
        IoVec.read(t, iov, cnt).scatter(t, b, n);
    }

    /** Bytes one call moves for an iovec array (checked, capped at {@link #CHUNK}). */
    static long iovTotal(Task t, long iov, long cnt) {
        return IoVec.read(t, iov, cnt).chunk();
    }

    static long readv(Task t, int fd, long iov, long cnt) {
        FileDescription f = t.files.get(fd);
        if (!OpenFlags.readable(f.flags)) {
            throw new SyscallError(Errno.EBADF);
        }
        IoVec v = IoVec.read(t, iov, cnt);
        byte[] b = new byte[v.chunk()];
        long r = read(t, f, IoBuffer.of(b));
        if (r > 0) {
            v.scatter(t, b, (int) r);
        }
        return r;
    }

    static long writev(Task t, int fd, long iov, long cnt) {
        FileDescription f = t.files.get(fd);
        if (!OpenFlags.writable(f.flags)) {
            throw new SyscallError(Errno.EBADF);
        }
        byte[] b = gather(t, iov, cnt);
        return write(t, f, IoBuffer.of(b));
    }

    static long dup(Task t, int fd, int min, boolean cloexec) {
        FileDescription f = t.files.get(fd);
        f.incRef();
        try {
            return t.files.install(f, min, cloexec);
        } catch (SyscallError e) {
            f.decRef();
            throw e;
        }
    }

    static long dup3(Task t, int oldfd, int newfd, int flags) {
        if ((flags & ~OpenFlags.O_CLOEXEC) != 0 || oldfd == newfd) {
            throw new SyscallError(Errno.EINVAL);
        }
        FileDescription f = t.files.get(oldfd);
        if (newfd < 0 || newfd >= t.files.limit) {
            throw new SyscallError(Errno.EBADF);
        }
        f.incRef();
        t.files.installAt(newfd, f, (flags & OpenFlags.O_CLOEXEC) != 0);
        return newfd;
    }

    static long fcntl(Task t, int fd, int cmd, long arg) {
        FdTable ft = t.files;
        FileDescription f = ft.get(fd);
        switch (cmd) {
            case F_DUPFD:
            case F_DUPFD_CLOEXEC:
                if (arg < 0 || arg >= ft.limit) {
                    throw new SyscallError(Errno.EINVAL);
                }
                return dup(t, fd, (int) arg, cmd == F_DUPFD_CLOEXEC);
            case F_GETFD:
                return ft.isCloexec(fd) ? FD_CLOEXEC : 0;
            case F_SETFD:
                ft.setCloexec(fd, (arg & FD_CLOEXEC) != 0);
                return 0;
            case F_GETFL:
                return f.flags & ~OpenFlags.O_CLOEXEC;
            case F_SETFL:
                if ((arg & OpenFlags.O_ASYNC) != 0 && (f.flags & OpenFlags.O_ASYNC) == 0) {
                    f.asyncFd = fd;
                }
                f.flags = (f.flags & ~OpenFlags.SETFL_MASK) | ((int) arg & OpenFlags.SETFL_MASK);
                return 0;
            default:
                return SysFs.fcntlMore(t, f, fd, cmd, arg);
        }
    }
}
