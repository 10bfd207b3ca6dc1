package dev.friscy.fs;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.kernel.Task;
import dev.friscy.mem.IoBuffer;
import dev.friscy.waiter.WaitQueue;

/**
 * An open file description: what an fd refers to, shared by dup'ed and inherited fds (they
 * share one offset and one set of status flags).
 *
 * Errors are thrown as {@link SyscallError}. An operation that would block throws EAGAIN;
 * the system-call layer then parks the task on {@link #waitQueue()} unless the description
 * is O_NONBLOCK, and re-runs the call when woken.
 */
public abstract class FileDescription {
    /** O_ACCMODE bits plus the status flags (O_APPEND, O_NONBLOCK, ...). */
    public int flags;
    public long offset;
    private int refs = 1;
    /** fcntl F_SETOWN / F_SETOWN_EX: who is to get SIGIO (type F_OWNER_TID 0, PID 1, PGRP 2; id 0 none). */
    public int ownerType, ownerId;
    /** fcntl F_SETSIG: the signal for SIGIO (0: SIGIO itself). */
    public int ioSignal;
    /** The fd through which O_ASYNC was last turned on: an F_SETSIG signal's si_fd names it. */
    public int asyncFd = -1;
    /** This open(2) created the file (fcntl F_CREATED_QUERY). */
    public boolean created;

    protected FileDescription(int flags) {
        this.flags = flags;
    }

    public final void incRef() {
        refs++;
    }

    /** Drops one reference; the last one releases the description. */
    public final void decRef() {
        if (--refs == 0) {
            release();
            Inode i = inode();
            if (i != null && i.locks != null) {
                i.locks.releaseDescription(this); // flock and OFD locks belong to the description
            }
        }
    }

    public final int refCount() {
        return refs;
    }

    /** Called when the last fd referring to this description is closed. */
    protected void release() {
    }

    /**
     * Reads up to {@code dst.length} bytes for {@code t} at the description's offset (or from
     * the stream). Returns 0 at end of file; throws EAGAIN when {@code t} has to wait (the
     * syscall layer parks it, see {@link #waitQueue}).
     */
    public int read(Task t, IoBuffer dst) {
        throw new SyscallError(Errno.EINVAL);
    }

    /**
     * Writes the bytes of {@code src} for {@code t}. A stream that blocks part-way through a
     * long write advances {@code src.position()} and throws EAGAIN; EPIPE makes the syscall
     * layer raise SIGPIPE.
     */
    public int write(Task t, IoBuffer src) {
        throw new SyscallError(Errno.EINVAL);
    }

    public int pread(Task t, long pos, IoBuffer dst) {
        throw new SyscallError(Errno.ESPIPE);
    }

    public int pwrite(Task t, long pos, IoBuffer src) {
        throw new SyscallError(Errno.ESPIPE);
    }

    public long seek(long off, int whence) {
        throw new SyscallError(Errno.ESPIPE);
    }

    /** Current readiness as poll bits (Poll.IN, Poll.OUT, Poll.HUP, ...). */
    public int poll() {
        return Poll.IN | Poll.OUT;
    }

    /** Where tasks wait for this description's readiness to change; null if it never blocks. */
    public WaitQueue waitQueue() {
        return null;
    }

    /**
     * How long a blocking read ({@code write} false) or write may wait before it answers EAGAIN
     * (ns; 0 for ever): a socket's SO_RCVTIMEO and SO_SNDTIMEO.
     */
    public long waitLimitNs(boolean write) {
        return 0;
    }

    public long ioctl(Task t, int cmd, long arg) {
        throw new SyscallError(Errno.ENOTTY);
    }

    public abstract void stat(Stat st);

    /** The inode behind this description, if it is a file-system object. */
    public Inode inode() {
        return null;
    }

    /**
     * The inode fchmod, fchown and futimens change through this description: {@link #inode},
     * or a terminal's device node (mesg and login programs change the mode and owner of their
     * tty through its fd, as Linux allows).
     */
    public Inode attrInode() {
        return inode();
    }

    /**
     * True for the files Linux backs with its one anonymous inode (eventfd, epoll, timerfd,
     * signalfd, pidfd): fchmod, fchown and futimens through them fail with EOPNOTSUPP.
     */
    public boolean isAnonInode() {
        return false;
    }

    /** For /proc/pid/fd links and diagnostics, e.g. "/etc/passwd", "pipe:[12]". */
    public abstract String describe();

    /** True for terminals (isatty). */
    public boolean isTty() {
        return false;
    }
}
