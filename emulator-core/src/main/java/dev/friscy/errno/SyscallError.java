package dev.friscy.errno;

/**
 * Thrown by kernel code to fail the current system call with a Linux errno. The dispatcher
 * turns it into the negative return value. It carries no stack trace: it is control flow on
 * a slow path, not a bug report.
 */
public final class SyscallError extends RuntimeException {
    public final int errno;

    public SyscallError(int errno) {
        super(null, null, false, false);
        this.errno = errno;
    }

    @Override
    public String getMessage() {
        return Errno.name(errno);
    }
}
