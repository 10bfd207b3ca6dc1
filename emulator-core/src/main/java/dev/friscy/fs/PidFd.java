package dev.friscy.fs;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.kernel.Task;
import dev.friscy.kernel.ThreadGroup;
import dev.friscy.mem.IoBuffer;
import dev.friscy.waiter.WaitQueue;

/**
 * A pidfd: a file descriptor that names one process for good (its pid may be reused, the
 * description still means the process it was opened for). It polls readable once the process
 * has exited, and also hung up once it has been reaped. Reading or writing it is EINVAL.
 */
public final class PidFd extends FileDescription {
    public final ThreadGroup process;
    private static long nextIno = 1;
    private final long ino = nextIno++;

    public PidFd(ThreadGroup process, int flags) {
        super(OpenFlags.O_RDWR | (flags & OpenFlags.O_NONBLOCK));
        this.process = process;
    }

    @Override
    public int read(Task t, IoBuffer dst) {
        throw new SyscallError(Errno.EINVAL);
    }

    @Override
    public int write(Task t, IoBuffer src) {
        throw new SyscallError(Errno.EINVAL);
    }

    @Override
    public int poll() {
        if (process.state == ThreadGroup.REAPED) {
            return Poll.IN | Poll.RDNORM | Poll.HUP;
        }
        return process.isZombie() ? Poll.IN | Poll.RDNORM : 0;
    }

    @Override
    public WaitQueue waitQueue() {
        return process.exitWaiters;
    }

    @Override
    public void stat(Stat st) {
        AnonInode.stat(st, ino);
    }

    @Override
    public boolean isAnonInode() {
        return true;
    }

    @Override
    public String describe() {
        return "anon_inode:[pidfd]";
    }

    /** The lines /proc/PID/fdinfo adds for a pidfd: the pid, or -1 once reaped. */
    public String fdinfo() {
        int pid = process.state == ThreadGroup.REAPED ? -1 : process.pid;
        return "Pid:\t" + pid + "\nNSpid:\t" + pid + "\n";
    }
}
