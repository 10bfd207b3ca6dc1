package dev.friscy.fs;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;

/** A process's file descriptor table: lowest-free allocation, close-on-exec flags. */
public final class FdTable {
    public static final int DEFAULT_LIMIT = 1024;

    private FileDescription[] files = new FileDescription[16];
    private boolean[] cloexec = new boolean[16];
    /** Tasks sharing this table (CLONE_FILES); closed when the last one exits. */
    public int users = 1;
    /** RLIMIT_NOFILE soft limit. */
    public int limit = DEFAULT_LIMIT;

    public FileDescription get(int fd) {
        if (fd < 0 || fd >= files.length || files[fd] == null) {
            throw new SyscallError(Errno.EBADF);
        }
        return files[fd];
    }

    public FileDescription getOrNull(int fd) {
        return fd < 0 || fd >= files.length ? null : files[fd];
    }

    public boolean isCloexec(int fd) {
        get(fd);
        return cloexec[fd];
    }

    public void setCloexec(int fd, boolean on) {
        get(fd);
        cloexec[fd] = on;
    }

    private void grow(int need) {
        int n = files.length;
        while (n <= need) {
            n *= 2;
        }
        FileDescription[] nf = new FileDescription[n];
        boolean[] nc = new boolean[n];
        System.arraycopy(files, 0, nf, 0, files.length);
        System.arraycopy(cloexec, 0, nc, 0, cloexec.length);
        files = nf;
        cloexec = nc;
    }

    /** Installs {@code f} (taking over the caller's reference) at the lowest free fd >= min. */
    public int install(FileDescription f, int min, boolean closeOnExec) {
        for (int fd = min; fd < limit; fd++) {
            if (fd >= files.length) {
                grow(fd);
            }
            if (files[fd] == null) {
                files[fd] = f;
                cloexec[fd] = closeOnExec;
                return fd;
            }
        }
        throw new SyscallError(Errno.EMFILE);
    }

    /** Installs {@code f} at exactly {@code fd}, closing what was there (dup2). */
    public void installAt(int fd, FileDescription f, boolean closeOnExec) {
        if (fd < 0 || fd >= limit) {
            throw new SyscallError(Errno.EBADF);
        }
        if (fd >= files.length) {
            grow(fd);
        }
        FileDescription old = files[fd];
        files[fd] = f;
        cloexec[fd] = closeOnExec;
        if (old != null) {
            old.decRef();
            wakeLockWaiters(old);
        }
    }

    public void close(int fd) {
        FileDescription f = get(fd);
        files[fd] = null;
        cloexec[fd] = false;
        f.decRef();
        wakeLockWaiters(f);
    }

    /**
     * A lock holder may be going away (exit, exec, dup2 over its fd): let lock waiters look
     * again; locks of processes that have exited are dropped when they do.
     */
    private static void wakeLockWaiters(FileDescription f) {
        Inode i = f.inode();
        if (i != null && i.locks != null) {
            i.locks.waiters.wakeAll();
        }
    }

    /** Closes every fd in [lo, hi]; with {@code cloexecOnly}, marks them close-on-exec instead. */
    public void closeRange(int lo, int hi, boolean cloexecOnly) {
        for (int fd = Math.max(lo, 0); fd <= hi && fd < files.length; fd++) {
            if (files[fd] != null) {
                if (cloexecOnly) {
                    cloexec[fd] = true;
                } else {
                    close(fd);
                }
            }
        }
    }

    public void closeOnExec() {
        for (int fd = 0; fd < files.length; fd++) {
            if (files[fd] != null && cloexec[fd]) {
                close(fd);
            }
        }
    }

    public void closeAll() {
        for (int fd = 0; fd < files.length; fd++) {
            if (files[fd] != null) {
                close(fd);
            }
        }
    }

    /** A copy for fork: the same descriptions, one more reference each. */
    public FdTable fork() {
        FdTable t = new FdTable();
        t.files = files.clone();
        t.cloexec = cloexec.clone();
        t.limit = limit;
        for (FileDescription f : t.files) {
            if (f != null) {
                f.incRef();
            }
        }
        return t;
    }

    /** Highest fd slot in use + 1. */
    public int size() {
        int n = files.length;
        while (n > 0 && files[n - 1] == null) {
            n--;
        }
        return n;
    }
}
