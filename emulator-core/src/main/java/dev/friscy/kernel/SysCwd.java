package dev.friscy.kernel;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.fs.FileDescription;
import dev.friscy.fs.Inode;
import dev.friscy.fs.Vfs;

import java.nio.charset.StandardCharsets;

/** The file-system context calls: getcwd, chdir, fchdir, chroot, umask. */
final class SysCwd {
    private SysCwd() {
    }

    static long sys_getcwd(Task task, long buf, long size, long a2, long a3, long a4, long a5) {
        return getcwd(task, buf, size);
    }

    static long sys_chdir(Task task, long path, long a1, long a2, long a3, long a4, long a5) {
        return chdir(task, FsAt.resolve(task, FsAt.AT_FDCWD, UserMemory.path(task, path), true));
    }

    static long sys_fchdir(Task task, long fd, long a1, long a2, long a3, long a4, long a5) {
        FileDescription f = task.files.get((int) fd);
        Inode i = f.inode();
        if (i == null) {
            throw new SyscallError(Errno.ENOTDIR);
        }
        return chdir(task, i);
    }

    static long sys_chroot(Task task, long path, long a1, long a2, long a3, long a4, long a5) {
        return chroot(task, UserMemory.path(task, path));
    }

    static long sys_umask(Task task, long mask, long a1, long a2, long a3, long a4, long a5) {
        int old = task.fs.umask;
        task.fs.umask = (int) mask & 0777;
        return old;
    }

    /** The cwd as getcwd reports it: relative to the (ch)root, "(unreachable)" outside it. */
    static String cwdPath(Task t) {
        Inode cwd = t.fs.cwd;
        if (cwd.nlink == 0) {
            throw new SyscallError(Errno.ENOENT);
        }
        String p = cwd.pathFrom(t.fs.root);
        if (p == null) {
            String abs = cwd.pathFrom(null);
            p = "(unreachable)" + (abs == null ? "/" : abs);
        }
        return p;
    }

    static long getcwd(Task t, long buf, long size) {
        byte[] b = cwdPath(t).getBytes(StandardCharsets.ISO_8859_1);
        if (size < b.length + 1) {
            throw new SyscallError(Errno.ERANGE);
        }
        byte[] z = new byte[b.length + 1];
        System.arraycopy(b, 0, z, 0, b.length);
        UserMemory.write(t, buf, z);
        return z.length;
    }

    static long chdir(Task t, Inode i) {
        if (!i.isDir()) {
            throw new SyscallError(Errno.ENOTDIR);
        }
        if (!Vfs.permitted(i, t.cred(), 1)) {
            throw new SyscallError(Errno.EACCES);
        }
        t.fs.cwd = i;
        return 0;
    }

    static long chroot(Task t, String path) {
        Inode i = FsAt.resolve(t, FsAt.AT_FDCWD, path, true);
        if (!i.isDir()) {
            throw new SyscallError(Errno.ENOTDIR);
        }
        if (!Vfs.permitted(i, t.cred(), 1)) {
            throw new SyscallError(Errno.EACCES);
        }
        if (!t.cred().isRoot()) {
            throw new SyscallError(Errno.EPERM);
        }
        t.fs.root = i;
        return 0;
    }
}
