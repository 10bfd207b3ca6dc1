package dev.friscy.fs;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.kernel.Credentials;
import dev.friscy.kernel.Task;

/**
 * The in-memory file system: a tree of {@link Inode}s and the path walk over it.
 * Paths are ISO-8859-1 strings (one char per guest byte).
 */
public final class Vfs {
    public static final int PATH_MAX = 4096;
    public static final int NAME_MAX = 255;
    public static final int MAX_SYMLINKS = 40;

    private long nextIno = 1;
    public final Inode root;
    /** Wall clock used for timestamps; the kernel points it at the host clock. */
    public java.util.function.LongSupplier clock = () -> 0L;
    /**
     * Whether the process doing the current write may keep set-user-ID bits (CAP_FSETID, i.e.
     * root); DevFs.populate points it at the calling task's credentials.
     */
    /** Opens FIFOs; set by the pipe implementation (null: opening a FIFO gives ENXIO). */
    public FifoOpener fifos;

    public Vfs() {
        root = newInode(Inode.S_IFDIR | 0755);
        root.parent = root;
    }

    public long now() {
        return clock.getAsLong();
    }

    /** A new, unlinked inode (nlink 0 for non-directories until {@link #link}). */
    public Inode newInode(int mode) {
        Inode i = new Inode(nextIno++, mode);
        long now = now();
        i.atimeNs = now;
        i.mtimeNs = now;
        i.ctimeNs = now;
        i.btimeNs = now;
        return i;
    }

    // ------------------------------------------------------------ path walk

    /**
     * Resolves {@code path} relative to {@code base} (or the context root for absolute paths).
     * Follows symlinks in every component, and in the last one if {@code followLast}.
     * No permission checks (kernel-internal use).
     */
    public Inode resolve(FsContext ctx, Inode base, String path, boolean followLast) {
        return resolve(null, ctx, null, base, path, followLast);
    }

    /**
     * As {@link #resolve(FsContext, Inode, String, boolean)} for {@code caller} (whom /proc/self
     * names), checking search permission for {@code cred}.
     */
    public Inode resolve(Task caller, FsContext ctx, Credentials cred, Inode base, String path, boolean followLast) {
        Lookup l = lookup(caller, ctx, cred, base, path, followLast);
        if (l.inode == null) {
            throw new SyscallError(Errno.ENOENT);
        }
        return l.inode;
    }

    /**
     * Walks {@code path}: every component but the last must exist; the last may be missing
     * (then {@link Lookup#inode} is null). Following a last-component symlink that dangles
     * gives the directory and name of its target, which is where O_CREAT creates the file.
     */
    public Lookup lookup(Task caller, FsContext ctx, Credentials cred, Inode base, String path, boolean followLast) {
        return walk(caller, ctx, cred, base, path, followLast, true, new int[1]);
    }

    /**
     * For calls that remove or rename the last component (unlink, rmdir, rename): a final
     * symlink is never followed, not even with a trailing slash, which then makes it ENOTDIR.
     */
    public Lookup lookupEntry(Task caller, FsContext ctx, Credentials cred, Inode base, String path) {
        Lookup l = lookupName(caller, ctx, cred, base, path);
        if (l.trailingSlash && l.inode != null && !l.inode.isDir()) {
            throw new SyscallError(Errno.ENOTDIR);
        }
        return l;
    }

    /** For calls that create the last component: whatever the name holds now, unfollowed. */
    public Lookup lookupName(Task caller, FsContext ctx, Credentials cred, Inode base, String path) {
        return walk(caller, ctx, cred, base, path, false, false, new int[1]);
    }

    private Lookup walk(Task caller, FsContext ctx, Credentials cred, Inode base, String path, boolean followLast,
            boolean slashFollows, int[] links) {
        int n = path.length();
        if (n == 0) {
            throw new SyscallError(Errno.ENOENT);
        }
        if (n >= PATH_MAX) {
            throw new SyscallError(Errno.ENAMETOOLONG);
        }
        Inode cur = path.charAt(0) == '/' ? ctx.root : base;
        int end = n;
        while (end > 0 && path.charAt(end - 1) == '/') {
            end--;
        }
        boolean trailing = end < n;
        if (end == 0) {
            return new Lookup(cur, "/", cur, true);
        }
        int lastStart = path.lastIndexOf('/', end - 1) + 1;
        int i = 0;
        while (i < lastStart) {
            while (i < lastStart && path.charAt(i) == '/') {
                i++;
            }
            if (i >= lastStart) {
                break;
            }
            int j = path.indexOf('/', i);
            cur = step(caller, ctx, cred, cur, path.substring(i, j), links);
            i = j;
        }
        String last = path.substring(lastStart, end);
        searchable(cur, cred, last);
        if (last.equals(".")) {
            return new Lookup(cur, last, cur, trailing);
        }
        if (last.equals("..")) {
            return new Lookup(cur, last, up(ctx, cur), trailing);
        }
        Inode child = cur.lookup(caller, last);
        if (child != null && child.isSymlink() && (followLast || trailing && slashFollows)) {
            if (++links[0] > MAX_SYMLINKS) {
                throw new SyscallError(Errno.ELOOP);
            }
            if (child instanceof MagicLink) {
                Inode t = ((MagicLink) child).jump();
                if (trailing && !t.isDir()) {
                    throw new SyscallError(Errno.ENOTDIR);
                }
                return new Lookup(cur, last, t, trailing);
            }
            Lookup l = walk(caller, ctx, cred, cur, child.target, true, true, links);
            if (!trailing) {
                return l;
            }
            if (l.inode != null && !l.inode.isDir()) {
                throw new SyscallError(Errno.ENOTDIR);
            }
            return new Lookup(l.dir, l.name, l.inode, true);
        }
        if (child != null && trailing && !child.isDir() && slashFollows) {
            throw new SyscallError(Errno.ENOTDIR);
        }
        return new Lookup(cur, last, child, trailing);
    }

    /** Checks that {@code dir} is a directory we may search and {@code comp} a valid name. */
    private static void searchable(Inode dir, Credentials cred, String comp) {
        if (!dir.isDir()) {
            throw new SyscallError(Errno.ENOTDIR);
        }
        if (cred != null && !permitted(dir, cred, 1)) {
            throw new SyscallError(Errno.EACCES);
        }
        if (comp.length() > NAME_MAX) {
            throw new SyscallError(Errno.ENAMETOOLONG);
        }
    }

    private static Inode up(FsContext ctx, Inode cur) {
        return cur == ctx.root || cur.parent == null ? cur : cur.parent;
    }

    /** One intermediate component: must exist; symlinks are followed; the result must be a directory. */
    private Inode step(Task caller, FsContext ctx, Credentials cred, Inode cur, String comp, int[] links) {
        searchable(cur, cred, comp);
        if (comp.equals(".")) {
            return cur;
        }
        if (comp.equals("..")) {
            return up(ctx, cur);
        }
        Inode next = cur.lookup(caller, comp);
        if (next == null) {
            throw new SyscallError(Errno.ENOENT);
        }
        if (next.isSymlink()) {
            if (++links[0] > MAX_SYMLINKS) {
                throw new SyscallError(Errno.ELOOP);
            }
            if (next instanceof MagicLink) {
                next = ((MagicLink) next).jump();
            } else {
                Lookup l = walk(caller, ctx, cred, cur, next.target, true, true, links);
                if (l.inode == null) {
                    throw new SyscallError(Errno.ENOENT);
                }
                next = l.inode;
            }
        }
        if (!next.isDir()) {
            throw new SyscallError(Errno.ENOTDIR);
        }
        return next;
    }

    /** Splits a path into its parent directory (resolved) and last component, for creating calls. */
    public Inode resolveParent(FsContext ctx, Inode base, String path, String[] lastOut) {
        Lookup l = lookup(null, ctx, null, base, path, false);
        lastOut[0] = l.name;
        return l.dir;
    }

    // ------------------------------------------------------------ tree edits

    /** Links {@code child} into {@code dir} under {@code name}; the name must be free. */
    public void link(Inode dir, String name, Inode child) {
        if (dir.entries == null || !dir.mutable()) {
            throw new SyscallError(Errno.EPERM);
        }
        if (dir.entries.containsKey(name)) {
            throw new SyscallError(Errno.EEXIST);
        }
        dir.entries.put(name, child);
        long now = now();
        if (child.isDir()) {
            child.parent = dir;
            child.name = name;
            dir.nlink++;
        } else {
            child.nlink++;
            child.pathHint = dir == root ? "/" + name : dir.path() + "/" + name;
            child.ctimeNs = now;
        }
        dir.mtimeNs = now;
        dir.ctimeNs = now;
    }

    /** Removes the name {@code name} from {@code dir} (any checks are the caller's). */
    public Inode unlink(Inode dir, String name) {
        Inode child = dir.entries.remove(name);
        if (child == null) {
            throw new SyscallError(Errno.ENOENT);
        }
        long now = now();
        if (child.isDir()) {
            dir.nlink--;
            child.nlink = 0;
        } else {
            child.nlink--;
        }
        child.ctimeNs = now;
        dir.mtimeNs = now;
        dir.ctimeNs = now;
        return child;
    }

    /**
     * Moves the entry {@code oldName} of {@code oldDir} to {@code newName} in {@code newDir},
     * replacing what was there (the caller has checked that replacing is allowed).
     */
    public void move(Inode oldDir, String oldName, Inode newDir, String newName) {
        Inode child = oldDir.entries.get(oldName);
        if (child == null) {
            throw new SyscallError(Errno.ENOENT);
        }
        Inode victim = newDir.entries.get(newName);
        if (victim == child) {
            return;
        }
        if (victim != null) {
            unlink(newDir, newName);
        }
        oldDir.entries.remove(oldName);
        newDir.entries.put(newName, child);
        if (child.isDir()) {
            oldDir.nlink--;
            newDir.nlink++;
            child.parent = newDir;
            child.name = newName;
        } else {
            child.pathHint = newDir == root ? "/" + newName : newDir.path() + "/" + newName;
        }
        long now = now();
        child.ctimeNs = now;
        oldDir.mtimeNs = now;
        oldDir.ctimeNs = now;
        newDir.mtimeNs = now;
        newDir.ctimeNs = now;
    }

    /** RENAME_EXCHANGE: swaps two existing entries. */
    public void exchange(Inode dirA, String nameA, Inode dirB, String nameB) {
        Inode a = dirA.entries.get(nameA);
        Inode b = dirB.entries.get(nameB);
        if (a == null || b == null) {
            throw new SyscallError(Errno.ENOENT);
        }
        dirA.entries.put(nameA, b);
        dirB.entries.put(nameB, a);
        if (a.isDir()) {
            dirA.nlink--;
            dirB.nlink++;
            a.parent = dirB;
            a.name = nameB;
        }
        if (b.isDir()) {
            dirB.nlink--;
            dirA.nlink++;
            b.parent = dirA;
            b.name = nameA;
        }
        long now = now();
        a.ctimeNs = now;
        b.ctimeNs = now;
        dirA.mtimeNs = now;
        dirA.ctimeNs = now;
        dirB.mtimeNs = now;
        dirB.ctimeNs = now;
    }

    /** True if {@code a} is {@code d} or lies below it. */
    public static boolean isAncestor(Inode d, Inode a) {
        for (Inode x = a; x != null; x = x.parent) {
            if (x == d) {
                return true;
            }
            if (x.parent == x) {
                break;
            }
        }
        return false;
    }

    /** Creates (or, for directories, finds) the directories of an absolute path. */
    public Inode mkdirs(String path, int mode) {
        Inode cur = root;
        for (String comp : path.split("/")) {
            if (comp.isEmpty() || comp.equals(".")) {
                continue;
            }
            if (comp.equals("..")) {
                cur = cur.parent;
                continue;
            }
            Inode next = cur.lookup(comp);
            if (next == null) {
                next = newInode(Inode.S_IFDIR | (mode & 07777));
                link(cur, comp, next);
            } else if (next.isSymlink()) {
                next = resolve(new FsContext(root, root), cur, comp, true);
            }
            if (!next.isDir()) {
                throw new SyscallError(Errno.ENOTDIR);
            }
            cur = next;
        }
        return cur;
    }

    /** {pages of file data, inodes} in the tree (for statfs and df); /proc is not counted. */
    public long[] usage() {
        long[] u = new long[2];
        java.util.IdentityHashMap<Inode, Boolean> seen = new java.util.IdentityHashMap<>();
        java.util.ArrayDeque<Inode> todo = new java.util.ArrayDeque<>();
        todo.add(root);
        Stat st = new Stat();
        while (!todo.isEmpty()) {
            Inode i = todo.poll();
            if (seen.put(i, Boolean.TRUE) != null) {
                continue;
            }
            u[1]++;
            if (i.isRegular()) {
                i.stat(st);
                u[0] += st.blocks / (dev.friscy.mem.Page.SIZE / 512);
            } else if (i.isDir() && i.entries != null) {
                todo.addAll(i.entries.values());
            }
        }
        return u;
    }

    /** Permission check as Linux does it for {@code want} (4 read, 2 write, 1 exec). */
    public static boolean permitted(Inode i, Credentials c, int want) {
        if (c.isRoot()) {
            // root may do anything except execute a file with no x bit at all
            return (want & 1) == 0 || i.isDir() || (i.mode & 0111) != 0;
        }
        int bits;
        if (c.fsuid == i.uid) {
            bits = (i.mode >> 6) & 7;
        } else if (c.inGroup(i.gid)) {
            bits = (i.mode >> 3) & 7;
        } else {
            bits = i.mode & 7;
        }
        return (bits & want) == want;
    }
}
