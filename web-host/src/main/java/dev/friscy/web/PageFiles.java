package dev.friscy.web;

import dev.friscy.fs.FsChanges;
import dev.friscy.fs.FsContext;
import dev.friscy.fs.Inode;
import dev.friscy.fs.TarException;
import dev.friscy.fs.TarExport;
import dev.friscy.fs.Vfs;
import dev.friscy.errno.Errno;
import dev.friscy.kernel.Kernel;
import dev.friscy.errno.SyscallError;

import java.util.ArrayList;
import java.util.List;

/**
 * Files between the page and the guest's file system: files dropped on the terminal, downloads
 * of a file or a directory, the whole file system as a tar; and the deltas that keep each
 * image's file system in browser storage (see {@link FsChanges}). Paths are absolute guest
 * paths; errors come back as messages naming the Linux errno.
 */
final class PageFiles {
    /** Deltas from browser storage, replayed after the image at boot. */
    private static final List<byte[]> overlayTars = new ArrayList<>();
    private static final List<List<String>> overlayDeleted = new ArrayList<>();
    private static FsChanges changes;
    private static FsChanges.Delta pending;

    private PageFiles() {
    }

    static void addOverlay(byte[] tar, String[] deleted) {
        overlayTars.add(tar);
        List<String> d = new ArrayList<>();
        for (String p : deleted) {
            if (!p.isEmpty()) {
                d.add(p);
            }
        }
        overlayDeleted.add(d);
    }

    /**
     * At boot, between the image and init: replays stored deltas and starts tracking changes.
     * Returns "" or why the stored changes could not all be replayed (the host then must not
     * overwrite them with this partial state).
     */
    static String afterImage(Vfs vfs) {
        changes = new FsChanges(vfs);
        String problem = "";
        for (int i = 0; i < overlayTars.size(); i++) {
            try {
                for (String w : FsChanges.apply(vfs, overlayDeleted.get(i), overlayTars.get(i))) {
                    Boot.consoleWarn("friscy: stored changes: " + w);
                }
            } catch (TarException | SyscallError e) {
                problem = "stored change set " + (i + 1) + " of " + overlayTars.size() + " is damaged: " + e.getMessage();
                break;
            }
        }
        overlayTars.clear();
        overlayDeleted.clear();
        changes.markSaved();
        return problem;
    }

    /** The changes since the last committed delta (or since the image): a tar; see {@link #deltaDeleted}. */
    static byte[] delta(boolean sinceImage) {
        pending = changes.delta(sinceImage);
        return pending.tar;
    }

    static int deltaChanged() {
        return pending == null ? 0 : pending.changed;
    }

    static String deltaDeleted() {
        return pending == null ? "" : String.join("\0", pending.deleted);
    }

    /** The host stored the last delta: the next one starts from it. */
    static void commit() {
        if (pending != null) {
            changes.commit(pending);
            pending = null;
        }
    }

    // ------------------------------------------------------------------ files in and out

    private static Inode resolve(Kernel k, String path) {
        Vfs vfs = k.vfs;
        return vfs.resolve(new FsContext(vfs.root, vfs.root), vfs.root, path, true);
    }

    /**
     * Writes {@code data} to the regular file at {@code path} (created with {@code mode}, its
     * missing parent directories with 0755), replacing its contents or, with {@code append},
     * adding to them. An existing directory or other non-file is an error.
     */
    static String writeFile(Kernel k, String path, byte[] data, int mode, boolean append) {
        if (!path.startsWith("/") || path.endsWith("/") || path.indexOf('\0') >= 0) {
            return "EINVAL: the path must be absolute and name a file";
        }
        Vfs vfs = k.vfs;
        int slash = path.lastIndexOf('/');
        String name = path.substring(slash + 1);
        if (name.isEmpty() || name.equals(".") || name.equals("..") || name.length() > Vfs.NAME_MAX) {
            return "EINVAL: bad file name " + name;
        }
        try {
            Inode dir = mkdirs(k, slash == 0 ? "/" : path.substring(0, slash));
            Inode f = dir.lookup(name);
            if (f != null && f.isSymlink()) {
                f = resolve(k, path);
            }
            if (f == null) {
                f = vfs.newInode(Inode.S_IFREG | (mode & 07777));
                vfs.link(dir, name, f);
            } else if (!f.isRegular()) {
                return (f.isDir() ? "EISDIR" : "EINVAL") + ": " + path + " is not a regular file";
            } else if (!append) {
                f.truncate(0);
            }
            f.write(append ? f.size : 0, data, 0, data.length);
            long now = vfs.now();
            f.mtimeNs = now;
            f.ctimeNs = now;
            return "";
        } catch (SyscallError e) {
            return Errno.name(e.errno) + ": " + path;
        }
    }

    /** Like mkdir -p, through symlinks; ENOTDIR if something else is in the way. */
    private static Inode mkdirs(Kernel k, String path) {
        Vfs vfs = k.vfs;
        Inode cur = vfs.root;
        for (String c : path.split("/")) {
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            Inode next = c.equals("..") ? (cur.parent == null ? cur : cur.parent) : cur.lookup(c);
            if (next == null) {
                next = vfs.newInode(Inode.S_IFDIR | 0755);
                vfs.link(cur, c, next);
            } else if (next.isSymlink()) {
                next = vfs.resolve(new FsContext(vfs.root, vfs.root), cur, c, true);
            }
            if (!next.isDir()) {
                throw new SyscallError(Errno.ENOTDIR);
            }
            cur = next;
        }
        return cur;
    }

    /** "file", "dir", "other", or an errno name for a path that does not resolve. */
    static String kind(Kernel k, String path) {
        try {
            Inode i = resolve(k, path);
            return i.isRegular() ? "file" : i.isDir() ? "dir" : "other";
        } catch (SyscallError e) {
            return Errno.name(e.errno);
        }
    }

    /** The contents of the regular file at {@code path}; null if it is none (see {@link #kind}). */
    static byte[] readFile(Kernel k, String path) {
        try {
            Inode i = resolve(k, path);
            return i.isRegular() ? i.readAll() : null;
        } catch (SyscallError e) {
            return null;
        }
    }

    /**
     * The directory at {@code path} as a tar: "/" gives the whole file system in the format of
     * {@code friscy run --save}; another directory gives its tree under its own name.
     */
    static byte[] exportTar(Kernel k, String path) {
        try {
            Inode i = resolve(k, path);
            if (!i.isDir()) {
                return null;
            }
            if (i == k.vfs.root) {
                return TarExport.export(k.vfs);
            }
            return TarExport.exportTree(i, i.name);
        } catch (SyscallError e) {
            return null;
        }
    }
}
