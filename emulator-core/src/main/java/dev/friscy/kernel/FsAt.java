package dev.friscy.kernel;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.fs.FileDescription;
import dev.friscy.fs.Inode;
import dev.friscy.fs.Lookup;
import dev.friscy.fs.Vfs;

/** What the *at system calls share: dirfd handling, path lookup with the caller's rights, creation. */
final class FsAt {
    static final int AT_FDCWD = -100;
    static final int AT_SYMLINK_NOFOLLOW = 0x100;
    static final int AT_REMOVEDIR = 0x200;
    static final int AT_EACCESS = 0x200;
    static final int AT_SYMLINK_FOLLOW = 0x400;
    static final int AT_NO_AUTOMOUNT = 0x800;
    static final int AT_EMPTY_PATH = 0x1000;
    static final int AT_STATX_SYNC_TYPE = 0x6000;

    private FsAt() {
    }

    /** The directory a relative path starts from: the cwd for AT_FDCWD, else dirfd's directory. */
    static Inode base(Task t, int dirfd, String path) {
        if (path.isEmpty()) {
            throw new SyscallError(Errno.ENOENT);
        }
        if (path.charAt(0) == '/') {
            return t.fs.root;
        }
        if (dirfd == AT_FDCWD) {
            return t.fs.cwd;
        }
        FileDescription f = t.files.get(dirfd);
        Inode i = f.inode();
        if (i == null || !i.isDir()) {
            throw new SyscallError(Errno.ENOTDIR);
        }
        return i;
    }

    static Lookup lookup(Task t, int dirfd, String path, boolean follow) {
        return t.kernel.vfs.lookup(t, t.fs, t.cred(), base(t, dirfd, path), path, follow);
    }

    /** The entry itself for unlink, rmdir and rename: no following of a final symlink at all. */
    static Lookup entry(Task t, int dirfd, String path) {
        return t.kernel.vfs.lookupEntry(t, t.fs, t.cred(), base(t, dirfd, path), path);
    }

    /** The existing object a path names (ENOENT if none). */
    static Inode resolve(Task t, int dirfd, String path, boolean follow) {
        Lookup l = lookup(t, dirfd, path, follow);
        if (l.inode == null) {
            throw new SyscallError(Errno.ENOENT);
        }
        return l.inode;
    }

    /**
     * The object for a call taking (dirfd, path, flags): with AT_EMPTY_PATH and an empty path,
     * dirfd's own object (the cwd for AT_FDCWD); otherwise the path, following a final symlink
     * unless AT_SYMLINK_NOFOLLOW.
     */
    static Inode target(Task t, int dirfd, String path, int flags, boolean followByDefault) {
        if (path.isEmpty() && (flags & AT_EMPTY_PATH) != 0) {
            if (dirfd == AT_FDCWD) {
                return t.fs.cwd;
            }
            FileDescription f = t.files.get(dirfd);
            Inode i = f.inode();
            if (i == null) {
                throw new SyscallError(Errno.EBADF);
            }
            return i;
        }
        boolean follow = followByDefault ? (flags & AT_SYMLINK_NOFOLLOW) == 0 : (flags & AT_SYMLINK_FOLLOW) != 0;
        return resolve(t, dirfd, path, follow);
    }

    /** Where a deleted or synthetic object has no path, an empty string. */
    static String pathOf(Task t, Lookup l, Inode i) {
        if (i != null && i.isDir()) {
            String p = i.pathFrom(null);
            return p == null ? "" : p;
        }
        String d = l.dir.pathFrom(null);
        if (d == null) {
            return l.name;
        }
        return d.equals("/") ? "/" + l.name : d + "/" + l.name;
    }

    /**
     * ETXTBSY if some live process runs {@code i} as its program: writing to it would change
     * code that process has mapped (Linux refuses the same way).
     */
    static void notRunning(Task t, Inode i) {
        for (ThreadGroup g : t.kernel.processes()) {
            if (g.exe == i && !g.isZombie()) {
                throw new SyscallError(Errno.ETXTBSY);
            }
        }
    }

    /** Checks that {@code dir} may gain or lose entries for the caller (write + search). */
    static void mayModify(Task t, Inode dir) {
        if (!dir.mutable()) {
            throw new SyscallError(Errno.EACCES);
        }
        if (!Vfs.permitted(dir, t.cred(), 3)) {
            throw new SyscallError(Errno.EACCES);
        }
    }

    /** The sticky-bit rule: in a +t directory only the owner of the entry or directory (or root) removes it. */
    static void mayDelete(Task t, Inode dir, Inode victim) {
        mayModify(t, dir);
        Credentials c = t.cred();
        if ((dir.mode & Inode.S_ISVTX) != 0 && !c.isRoot() && c.fsuid != victim.uid && c.fsuid != dir.uid) {
            throw new SyscallError(Errno.EPERM);
        }
    }

    /** A new inode owned by the caller, linked as {@code l.name} in {@code l.dir}. */
    static Inode create(Task t, Lookup l, int mode) {
        if (l.isDot()) {
            throw new SyscallError(Errno.EEXIST);
        }
        mayModify(t, l.dir);
        if (l.dir.nlink == 0) {
            throw new SyscallError(Errno.ENOENT); // a removed directory takes no new entries
        }
        Vfs vfs = t.kernel.vfs;
        Inode i = vfs.newInode(mode);
        owned(t, l.dir, i);
        vfs.link(l.dir, l.name, i);
        return i;
    }

    /** Sets owner and group of a new inode as Linux does (setgid directories pass on their group). */
    static void owned(Task t, Inode dir, Inode i) {
        Credentials c = t.cred();
        i.uid = c.fsuid;
        if ((dir.mode & Inode.S_ISGID) != 0) {
            i.gid = dir.gid;
            if (i.isDir()) {
                i.mode |= Inode.S_ISGID;
            }
        } else {
            i.gid = c.fsgid;
        }
    }
}
