package dev.friscy.kernel;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.fs.FileDescription;
import dev.friscy.fs.Inode;
import dev.friscy.fs.OpenFlags;
import dev.friscy.fs.RegularFile;
import dev.friscy.mem.IoBuffer;

/**
 * Positioned and in-kernel I/O on descriptors: lseek, pread/pwrite and their vector forms,
 * sendfile, copy_file_range, and the sync/advice calls (which have nothing to flush here).
 */
final class SysFileIo {
    static final int RWF_VALID = 0x1f;

    private SysFileIo() {
    }

    static long sys_lseek(Task task, long fd, long off, long whence, long a3, long a4, long a5) {
        return lseek(task, (int) fd, off, (int) whence);
    }

    static long sys_pread64(Task task, long fd, long buf, long len, long pos, long a4, long a5) {
        return pread(task, (int) fd, buf, len, pos);
    }

    static long sys_pwrite64(Task task, long fd, long buf, long len, long pos, long a4, long a5) {
        return pwrite(task, (int) fd, buf, len, pos);
    }

    static long sys_preadv(Task task, long fd, long iov, long cnt, long pos, long a4, long a5) {
        return preadv(task, (int) fd, iov, cnt, pos, 0);
    }

    static long sys_pwritev(Task task, long fd, long iov, long cnt, long pos, long a4, long a5) {
        return pwritev(task, (int) fd, iov, cnt, pos, 0);
    }

    static long sys_preadv2(Task task, long fd, long iov, long cnt, long pos, long posHi, long flags) {
        return preadv(task, (int) fd, iov, cnt, pos, (int) flags);
    }

    static long sys_pwritev2(Task task, long fd, long iov, long cnt, long pos, long posHi, long flags) {
        return pwritev(task, (int) fd, iov, cnt, pos, (int) flags);
    }

    static long sys_sendfile(Task task, long out, long in, long offp, long count, long a4, long a5) {
        return sendfile(task, (int) out, (int) in, offp, count);
    }

    static long sys_copy_file_range(Task task, long in, long offIn, long out, long offOut, long len, long flags) {
        return copyFileRange(task, (int) in, offIn, (int) out, offOut, len, (int) flags);
    }

    static long sys_sync(Task task, long a0, long a1, long a2, long a3, long a4, long a5) {
        task.kernel.syncRequests++;
        return 0;
    }

    static long sys_fsync(Task task, long fd, long a1, long a2, long a3, long a4, long a5) {
        return fsync(task, (int) fd);
    }

    static long sys_fdatasync(Task task, long fd, long a1, long a2, long a3, long a4, long a5) {
        return fsync(task, (int) fd);
    }

    static long sys_syncfs(Task task, long fd, long a1, long a2, long a3, long a4, long a5) {
        task.files.get((int) fd);
        task.kernel.syncRequests++;
        return 0;
    }

    static long sys_sync_file_range(Task task, long fd, long off, long len, long flags, long a4, long a5) {
        regularOrSpipe(task, (int) fd);
        if (off < 0 || len < 0 || (flags & ~7) != 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        return 0;
    }

    static long sys_fadvise64(Task task, long fd, long off, long len, long advice, long a4, long a5) {
        regularOrSpipe(task, (int) fd);
        if (advice < 0 || advice > 5 || len < 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        return 0;
    }

    static long sys_readahead(Task task, long fd, long off, long len, long a3, long a4, long a5) {
        FileDescription f = task.files.get((int) fd);
        if (!OpenFlags.readable(f.flags) || (f.flags & OpenFlags.O_PATH) != 0) {
            throw new SyscallError(Errno.EBADF);
        }
        if (f.inode() == null || !f.inode().isRegular()) {
            throw new SyscallError(Errno.EINVAL);
        }
        return 0;
    }

    private static FileDescription regularOrSpipe(Task t, int fd) {
        FileDescription f = t.files.get(fd);
        if ((f.flags & OpenFlags.O_PATH) != 0) {
            throw new SyscallError(Errno.EBADF);
        }
        if (f.inode() == null || f.inode().type() == Inode.S_IFIFO) {
            throw new SyscallError(Errno.ESPIPE);
        }
        return f;
    }

    static long fsync(Task t, int fd) {
        FileDescription f = t.files.get(fd);
        if ((f.flags & OpenFlags.O_PATH) != 0) {
            throw new SyscallError(Errno.EBADF);
        }
        if (f.inode() == null && !f.isTty()) {
            throw new SyscallError(Errno.EINVAL); // pipes and sockets have no fsync
        }
        t.kernel.syncRequests++;
        return 0;
    }

    static long lseek(Task t, int fd, long off, int whence) {
        FileDescription f = t.files.get(fd);
        if ((f.flags & OpenFlags.O_PATH) != 0) {
            throw new SyscallError(Errno.EBADF);
        }
        if (whence < 0 || whence > RegularFile.SEEK_HOLE) {
            throw new SyscallError(Errno.EINVAL);
        }
        return f.seek(off, whence);
    }

    private static FileDescription readableFd(Task t, int fd) {
        FileDescription f = t.files.get(fd);
        if (!OpenFlags.readable(f.flags) || (f.flags & OpenFlags.O_PATH) != 0) {
            throw new SyscallError(Errno.EBADF);
        }
        return f;
    }

    private static FileDescription writableFd(Task t, int fd) {
        FileDescription f = t.files.get(fd);
        if (!OpenFlags.writable(f.flags) || (f.flags & OpenFlags.O_PATH) != 0) {
            throw new SyscallError(Errno.EBADF);
        }
        return f;
    }

    /** For pread/pwrite: Linux refuses unseekable files (pipes, FIFOs, terminals) before the access mode. */
    private static FileDescription positionalFd(Task t, int fd, boolean write) {
        FileDescription f = t.files.get(fd);
        if ((f.flags & OpenFlags.O_PATH) != 0) {
            throw new SyscallError(Errno.EBADF);
        }
        Inode i = f.inode();
        if (i == null || i.type() == Inode.S_IFIFO || i.type() == Inode.S_IFSOCK) {
            throw new SyscallError(Errno.ESPIPE);
        }
        return write ? writableFd(t, fd) : readableFd(t, fd);
    }

    static long pread(Task t, int fd, long buf, long len, long pos) {
        if (pos < 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        FileDescription f = positionalFd(t, fd, false);
        return f.pread(t, pos, IoBuffer.guest(t.mm, buf, Math.min(UserRange.ioCount(buf, len), IoBuffer.CHUNK)));
    }

    static long pwrite(Task t, int fd, long buf, long len, long pos) {
        if (pos < 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        FileDescription f = positionalFd(t, fd, true);
        return f.pwrite(t, pos, IoBuffer.guest(t.mm, buf, Math.min(UserRange.ioCount(buf, len), IoBuffer.CHUNK)));
    }

    static long preadv(Task t, int fd, long iov, long cnt, long pos, int flags) {
        if ((flags & ~RWF_VALID) != 0) {
            throw new SyscallError(Errno.EOPNOTSUPP);
        }
        if (pos == -1) {
            return SysFile.readv(t, fd, iov, cnt);
        }
        if (pos < 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        FileDescription f = positionalFd(t, fd, false);
        IoVec v = IoVec.read(t, iov, cnt);
        byte[] b = new byte[v.chunk()];
        int r = f.pread(t, pos, IoBuffer.of(b));
        v.scatter(t, b, r);
        return r;
    }

    static long pwritev(Task t, int fd, long iov, long cnt, long pos, int flags) {
        if ((flags & ~RWF_VALID) != 0) {
            throw new SyscallError(Errno.EOPNOTSUPP);
        }
        if (pos == -1) {
            return SysFile.writev(t, fd, iov, cnt);
        }
        if (pos < 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        FileDescription f = positionalFd(t, fd, true);
        byte[] b = SysFile.gather(t, iov, cnt);
        return f.pwrite(t, pos, IoBuffer.of(b));
    }

    /** sendfile: from a file (at *offp, or its offset) to any writable descriptor. */
    static long sendfile(Task t, int outFd, int inFd, long offp, long count) {
        FileDescription in = readableFd(t, inFd);
        FileDescription out = writableFd(t, outFd);
        if (in.inode() == null || !in.inode().isRegular() && in.inode().type() != Inode.S_IFCHR) {
            throw new SyscallError(Errno.EINVAL);
        }
        if ((out.flags & OpenFlags.O_APPEND) != 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        if (count < 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        long pos = offp != 0 ? UserMemory.load64(t, offp) : in.offset;
        if (pos < 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        long done = transfer(t, in, pos, out, -1, Math.min(count, SysFile.MAX_RW));
        if (done < 0) {
            return done; // blocked before moving anything
        }
        if (offp != 0) {
            UserMemory.store64(t, offp, pos + done);
        } else {
            in.offset = pos + done;
        }
        return done;
    }

    /**
     * Moves up to {@code count} bytes from {@code in} at {@code inPos} to {@code out} (at
     * {@code outPos}, or its own offset if -1). Returns the bytes moved, or the blocking result
     * when the writer would block before anything moved.
     */
    private static long transfer(Task t, FileDescription in, long inPos, FileDescription out, long outPos, long count) {
        byte[] b = new byte[(int) Math.min(count, 65536)];
        long done = 0;
        while (done < count) {
            int want = (int) Math.min(b.length, count - done);
            int r = in.pread(t, inPos + done, IoBuffer.of(b, 0, want));
            if (r <= 0) {
                break;
            }
            IoBuffer src = IoBuffer.of(b, 0, r);
            int w;
            try {
                w = outPos >= 0 ? out.pwrite(t, outPos + done, src) : out.write(t, src);
            } catch (SyscallError e) {
                if (e.errno == Errno.EAGAIN && src.position() > 0) {
                    // A blocking pipe write took the first bytes of this chunk and would now
                    // wait: count them and return, as Linux's sendfile returns what fit.
                    // Blocking here instead would re-run the call with a progress that skips
                    // bytes of every later chunk, losing data.
                    done += src.position();
                    break;
                }
                if (done > 0 && (e.errno == Errno.EAGAIN || e.errno == Errno.EPIPE)) {
                    break;
                }
                return SysFile.writeFailed(t, out, src, e, (out.flags & OpenFlags.O_NONBLOCK) != 0, true);
            }
            done += w;
            if (w < r || r < want) {
                break;
            }
        }
        return done;
    }

    static long copyFileRange(Task t, int inFd, long offInp, int outFd, long offOutp, long len, int flags) {
        if (flags != 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        FileDescription in = readableFd(t, inFd);
        FileDescription out = writableFd(t, outFd);
        Inode ii = in.inode();
        Inode oi = out.inode();
        if (ii == null || oi == null) {
            throw new SyscallError(Errno.EINVAL);
        }
        if (ii.isDir() || oi.isDir()) {
            throw new SyscallError(Errno.EISDIR);
        }
        if (!ii.isRegular() || !oi.isRegular()) {
            throw new SyscallError(Errno.EINVAL);
        }
        if ((out.flags & OpenFlags.O_APPEND) != 0) {
            throw new SyscallError(Errno.EBADF);
        }
        if (len < 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        long inPos = offInp != 0 ? UserMemory.load64(t, offInp) : in.offset;
        long outPos = offOutp != 0 ? UserMemory.load64(t, offOutp) : out.offset;
        if (inPos < 0 || outPos < 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        long n = Math.min(len, SysFile.MAX_RW);
        if (ii == oi && inPos < outPos + n && outPos < inPos + n) {
            throw new SyscallError(Errno.EINVAL);
        }
        long done = transfer(t, in, inPos, out, outPos, n);
        if (offInp != 0) {
            UserMemory.store64(t, offInp, inPos + done);
        } else {
            in.offset = inPos + done;
        }
        if (offOutp != 0) {
            UserMemory.store64(t, offOutp, outPos + done);
        } else {
            out.offset = outPos + done;
        }
        return done;
    }
}
