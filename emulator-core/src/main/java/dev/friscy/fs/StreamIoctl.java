package dev.friscy.fs;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.kernel.Task;
import dev.friscy.kernel.UserMemory;

/** The ioctls every stream-like description (pipe, socket, eventfd...) answers the same way. */
public final class StreamIoctl {
    public static final int FIONREAD = 0x541B;
    public static final int FIONBIO = 0x5421;

    private StreamIoctl() {
    }

    /** {@code readable} is what FIONREAD reports; -1 if the description has no such notion. */
    public static long common(Task t, FileDescription f, int cmd, long arg, int readable) {
        switch (cmd) {
            case FIONREAD:
                if (readable < 0) {
                    throw new SyscallError(Errno.ENOTTY);
                }
                UserMemory.store32(t, arg, readable);
                return 0;
            case FIONBIO:
                if (UserMemory.load32(t, arg) != 0) {
                    f.flags |= OpenFlags.O_NONBLOCK;
                } else {
                    f.flags &= ~OpenFlags.O_NONBLOCK;
                }
                return 0;
            default:
                throw new SyscallError(Errno.ENOTTY);
        }
    }
}
