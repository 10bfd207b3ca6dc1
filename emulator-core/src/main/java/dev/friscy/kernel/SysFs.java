package dev.friscy.kernel;

import dev.friscy.fs.FileDescription;

/** System calls on paths and file-system objects (open, stat, mkdir, unlink, getdents, ...). */
final class SysFs {
    private SysFs() {
    }

    static void register(SyscallTable t) {
    }

    /** fcntl commands beyond fd/flag handling (locks, pipe size, ...). */
    static long fcntlMore(Task t, FileDescription f, int fd, int cmd, long arg) {
        if (SysPipe.isPipeCommand(cmd)) {
            return SysPipe.pipeFcntl(t, f, cmd, arg);
        }
        throw new SyscallError(Errno.EINVAL);
    }
}
