package dev.friscy.fs;

import dev.friscy.kernel.Credentials;
import dev.friscy.kernel.Errno;
import dev.friscy.kernel.SyscallError;

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

    public Vfs() {
        root = newInode(Inode.S_IFDIR | 0755);
        root.parent = root;
    }

    public Inode newInode(int mode) {
        Inode i = new Inode(nextIno++, mode);
        long now = clock.getAsLong();
        i.atimeNs = now;
        i.mtimeNs = now;
        i.ctimeNs = now;
        return i;
    }

    // ------------------------------------------------------------ path walk

    /**
     * Resolves {@code path} relative to {@code base} (or the context root for absolute paths).
     * Follows symlinks in every component, and in the last one if {@code followLast}.
     */
    public Inode resolve(FsContext ctx, Inode base, String path, boolean followLast) {
        return walk(ctx, base, path, followLast, new int[1]);
    }

    private Inode walk(FsContext ctx, Inode base, String path, boolean followLast, int[] links) {
        if (path.isEmpty()) {
            throw new SyscallError(Errno.ENOENT);
        }
        if (path.length() >= PATH_MAX) {
            throw new SyscallError(Errno.ENAMETOOLONG);
        }
        Inode cur = path.charAt(0) == '/' ? ctx.root : base;
        int i = 0;
        int n = path.length();
        while (i < n) {
            while (i < n && path.charAt(i) == '/') {
                i++;
            }
            if (i >= n) {
                break;
            }
            int j = path.indexOf('/', i);
            if (j < 0) {
                j = n;
            }
            String comp = path.substring(i, j);
            boolean last = path.indexOf('/', j) < 0 || allSlashes(path, j);
            i = j;
            if (!cur.isDir()) {
                throw new SyscallError(Errno.ENOTDIR);
            }
            if (comp.length() > NAME_MAX) {
                throw new SyscallError(Errno.ENAMETOOLONG);
            }
            if (comp.equals(".")) {
                continue;
            }
            if (comp.equals("..")) {
                if (cur != ctx.root) {
                    cur = cur.parent;
                }
                continue;
            }
            Inode next = cur.entries.get(comp);
            if (next == null) {
                throw new SyscallError(Errno.ENOENT);
            }
            boolean trailingSlash = j < n;
            if (next.isSymlink() && (!last || followLast || trailingSlash)) {
                if (++links[0] > MAX_SYMLINKS) {
                    throw new SyscallError(Errno.ELOOP);
                }
                next = walk(ctx, cur, next.target, true, links);
            }
            cur = next;
        }
        if (path.charAt(n - 1) == '/' && !cur.isDir()) {
            throw new SyscallError(Errno.ENOTDIR);
        }
        return cur;
    }

    private static boolean allSlashes(String s, int from) {
        for (int k = from; k < s.length(); k++) {
            if (s.charAt(k) != '/') {
                return false;
            }
        }
        return true;
    }

    /** Splits a path into its parent directory (resolved) and last component, for creating calls. */
    public Inode resolveParent(FsContext ctx, Inode base, String path, String[] lastOut) {
        if (path.isEmpty()) {
            throw new SyscallError(Errno.ENOENT);
        }
        int end = path.length();
        while (end > 1 && path.charAt(end - 1) == '/') {
            end--;
        }
        int slash = path.lastIndexOf('/', end - 1);
        String last = path.substring(slash + 1, end);
        Inode dir;
        if (slash < 0) {
            dir = base;
        } else if (slash == 0) {
            dir = ctx.root;
        } else {
            dir = resolve(ctx, base, path.substring(0, slash), true);
        }
        if (!dir.isDir()) {
            throw new SyscallError(Errno.ENOTDIR);
        }
        if (last.length() > NAME_MAX) {
            throw new SyscallError(Errno.ENAMETOOLONG);
        }
        lastOut[0] = last.isEmpty() ? "." : last;
        return dir;
    }

    // ------------------------------------------------------------ tree edits

    /** Links {@code child} into {@code dir} under {@code name}; the name must be free. */
    public void link(Inode dir, String name, Inode child) {
        if (dir.entries.containsKey(name)) {
            throw new SyscallError(Errno.EEXIST);
        }
        dir.entries.put(name, child);
        if (child.isDir()) {
            child.parent = dir;
            child.name = name;
            dir.nlink++;
        } else if (child.nlink == 0 || dir.entries.size() > 0) {
            // a fresh inode starts at nlink 1 for its first name
        }
        long now = clock.getAsLong();
        dir.mtimeNs = now;
        dir.ctimeNs = now;
    }

    /** Creates (or, for directories, finds) the directories of an absolute path. */
    public Inode mkdirs(String path, int mode) {
        Inode cur = root;
        for (String comp : path.split("/")) {
            if (comp.isEmpty() || comp.equals(".")) {
                continue;
            }
            Inode next = cur.entries.get(comp);
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
