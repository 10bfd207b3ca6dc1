package dev.friscy.kernel;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.fs.EventFd;
import dev.friscy.fs.FileDescription;
import dev.friscy.fs.OpenFlags;
import dev.friscy.fs.Pipe;
import dev.friscy.fs.PipeBuffer;

/** pipe2, eventfd2, the pipe-size fcntls, and (through {@link SysSocket}) socketpair and friends. */
final class SysPipe {
    static final int F_SETPIPE_SZ = 1031;
    static final int F_GETPIPE_SZ = 1032;

    private SysPipe() {
    }

    /** A blocking transfer that moved part of a long buffer returns that count when a handler runs. */
    static long partialTransfer(Task task) {
        return task.restart.transferred > 0 ? task.restart.transferred : SyscallTable.USUAL;
    }

    static long sys_pipe2(Task task, long fds, long flags, long a2, long a3, long a4, long a5) {
        return pipe2(task, fds, (int) flags);
    }

    static long sys_eventfd2(Task task, long initval, long flags, long a2, long a3, long a4, long a5) {
        return eventfd2(task, initval, (int) flags);
    }

    static long pipe2(Task t, long fdsAddr, int flags) {
        if ((flags & ~(OpenFlags.O_CLOEXEC | OpenFlags.O_NONBLOCK | OpenFlags.O_DIRECT)) != 0) {
            // notification pipes (O_NOTIFICATION_PIPE) are not implemented
            throw new SyscallError(Errno.EINVAL);
        }
        Pipe p = new Pipe(t.kernel.host.realtimeNanos());
        p.owner(t.cred().fsuid, t.cred().fsgid);
        if ((flags & OpenFlags.O_DIRECT) != 0) {
            p.packetMode();
        }
        int status = flags & OpenFlags.O_NONBLOCK;
        FileDescription r = p.openRead(status);
        FileDescription w = p.openWrite(status | (flags & OpenFlags.O_DIRECT)); // packets are the writer's
        installPair(t, r, w, (flags & OpenFlags.O_CLOEXEC) != 0, fdsAddr);
        return 0;
    }

    /** Installs two new descriptions at the lowest free fds and stores them as int[2]. */
    static void installPair(Task t, FileDescription a, FileDescription b, boolean cloexec, long addr) {
        int fa;
        try {
            fa = t.files.install(a, 0, cloexec);
        } catch (SyscallError e) {
            a.decRef();
            b.decRef();
            throw e;
        }
        int fb;
        try {
            fb = t.files.install(b, 0, cloexec);
        } catch (SyscallError e) {
            t.files.close(fa);
            b.decRef();
            throw e;
        }
        byte[] out = new byte[8];
        SignalFrame.putInt(out, 0, fa);
        SignalFrame.putInt(out, 4, fb);
        try {
            UserMemory.write(t, addr, out);
        } catch (SyscallError e) {
            t.files.close(fa);
            t.files.close(fb);
            throw e;
        }
    }

    static long eventfd2(Task t, long initval, int flags) {
        if ((flags & ~(OpenFlags.O_CLOEXEC | OpenFlags.O_NONBLOCK | EventFd.EFD_SEMAPHORE)) != 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        EventFd e = new EventFd(initval, flags, (flags & EventFd.EFD_SEMAPHORE) != 0);
        try {
            return t.files.install(e, 0, (flags & OpenFlags.O_CLOEXEC) != 0);
        } catch (SyscallError err) {
            e.decRef();
            throw err;
        }
    }

    /** True for the fcntl commands {@link #pipeFcntl} answers. */
    static boolean isPipeCommand(int cmd) {
        return cmd == F_SETPIPE_SZ || cmd == F_GETPIPE_SZ;
    }

    /** F_GETPIPE_SZ / F_SETPIPE_SZ (EBADF on anything but a pipe, as Linux). */
    static long pipeFcntl(Task t, FileDescription f, int cmd, long arg) {
        PipeBuffer b = Pipe.of(f).buffer;
        if (cmd == F_GETPIPE_SZ) {
            return b.capacity();
        }
        return b.setCapacity(arg & 0xffff_ffffL, t.cred().euid == 0, t.kernel.sysctl.pipeMaxSize);
    }
}
