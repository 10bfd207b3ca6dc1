package dev.friscy.fs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What changed in a file system, as deltas a host can store and replay: the page keeps each
 * image's file system in browser storage as the image plus a series of deltas, so a save costs
 * what changed, not the whole image.
 *
 * Changes are found by comparing each path's fingerprint (inode number, type and mode, owner,
 * size, mtime, ctime) with the one taken when the last delta was saved; every change to a file
 * moves its ctime, and a rename or a replacement changes the inode at the path. As git does with
 * its index, a fingerprint taken within {@link #RACY_NS} of a change is marked stale, so a change
 * in the same clock tick as a save is caught by the next one. /proc and /dev are left out: the
 * kernel makes them at boot. (Stores through a shared mapping do not move ctime, as Linux would
 * on the next write fault; a later write() or a sync catches them only if something else moved.)
 */
public final class FsChanges {
    /** Clock granularity to allow for (the browser's wall clock counts milliseconds). */
    static final long RACY_NS = 20_000_000L;

    /** One delta: remove {@link #deleted} (recursively), then import {@link #tar}. */
    public static final class Delta {
        public final byte[] tar;
        /** Paths gone or replaced by another file, parents before children; a removed directory's children are not listed. */
        public final List<String> deleted;
        public final int changed;
        final Map<String, long[]> scan;

        Delta(byte[] tar, List<String> deleted, int changed, Map<String, long[]> scan) {
            this.tar = tar;
            this.deleted = deleted;
            this.changed = changed;
            this.scan = scan;
        }

        public boolean isEmpty() {
            return changed == 0 && deleted.isEmpty();
        }
    }

    private final Vfs vfs;
    private final Map<String, long[]> image;
    private Map<String, long[]> saved;

    /** Takes the file system as it is now as the image every delta builds on. */
    public FsChanges(Vfs vfs) {
        this.vfs = vfs;
        this.image = scan();
        this.saved = image;
    }

    /** The changes since the last {@link #commit}ted delta (or, with {@code sinceImage}, since the image). */
    public Delta delta(boolean sinceImage) {
        Map<String, long[]> base = sinceImage ? image : saved;
        TreeMap<String, long[]> now = scan();
        List<String> changed = new ArrayList<>();
        for (Map.Entry<String, long[]> e : now.entrySet()) {
            long[] old = base.get(e.getKey());
            if (old == null || !same(old, e.getValue())) {
                changed.add(e.getKey());
            }
        }
        List<String> deleted = new ArrayList<>();
        String lastDeleted = null;
        for (String p : new TreeMap<>(base).keySet()) {
            long[] cur = now.get(p);
            long[] old = base.get(p);
            if (cur == null || cur[0] != old[0] || cur[1] >> 12 != old[1] >> 12) {
                if (lastDeleted != null && p.startsWith(lastDeleted.equals("/") ? "/" : lastDeleted + "/")) {
                    continue; // inside a directory already removed
                }
                deleted.add(p);
                lastDeleted = p;
            }
        }
        byte[] tar = TarExport.exportPaths(vfs, changed);
        return new Delta(tar, deleted, changed.size(), now);
    }

    /** The host stored {@code d}: the next delta starts from it. */
    public void commit(Delta d) {
        saved = d.scan;
    }

    /** Takes the file system as it is now as saved (after replaying the stored deltas at boot). */
    public void markSaved() {
        saved = scan();
    }

    /** Replays a stored delta onto the file system (at boot, before any process runs). */
    public static List<String> apply(Vfs vfs, List<String> deleted, byte[] tar) throws TarException {
        for (String p : deleted) {
            int slash = p.lastIndexOf('/');
            if (slash < 0 || p.equals("/")) {
                continue;
            }
            Inode dir = find(vfs, slash == 0 ? "/" : p.substring(0, slash));
            String name = p.substring(slash + 1);
            if (dir != null && dir.isDir() && dir.lookup(name) != null) {
                removeTree(vfs, dir, name);
            }
        }
        return TarImport.importInto(vfs, tar);
    }

    private static void removeTree(Vfs vfs, Inode dir, String name) {
        Inode i = dir.lookup(name);
        if (i.isDir()) {
            for (String c : i.childNames()) {
                removeTree(vfs, i, c);
            }
        }
        vfs.unlink(dir, name);
    }

    /** The inode at absolute {@code path}, following no symlinks; null if none. */
    static Inode find(Vfs vfs, String path) {
        Inode cur = vfs.root;
        for (String c : path.split("/")) {
            if (c.isEmpty()) {
                continue;
            }
            if (!cur.isDir()) {
                return null;
            }
            cur = cur.lookup(c);
            if (cur == null) {
                return null;
            }
        }
        return cur;
    }

    private static boolean same(long[] a, long[] b) {
        if (a[6] == Long.MIN_VALUE || b[6] == Long.MIN_VALUE) {
            return false; // a racy look proves nothing
        }
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b[i]) {
                return false;
            }
        }
        return true;
    }

    private TreeMap<String, long[]> scan() {
        TreeMap<String, long[]> m = new TreeMap<>();
        long now = vfs.now();
        m.put("/", fingerprint(vfs.root, now));
        walk(vfs.root, "", m, now);
        return m;
    }

    private void walk(Inode dir, String prefix, Map<String, long[]> m, long now) {
        for (String name : dir.childNames()) {
            Inode i = dir.lookup(name);
            String path = prefix + "/" + name;
            if (i == null || i instanceof ProcFs.Dir || path.equals("/dev") || path.equals("/proc")) {
                continue;
            }
            int t = i.type();
            if (t == Inode.S_IFCHR || t == Inode.S_IFBLK || t == Inode.S_IFSOCK) {
                continue; // not kept in a tar; made at boot
            }
            m.put(path, fingerprint(i, now));
            if (i.isDir()) {
                walk(i, path, m, now);
            }
        }
    }

    private static long[] fingerprint(Inode i, long now) {
        // a change in the same tick as this look could leave ctime as it is: look again next time
        long ctime = i.ctimeNs >= now - RACY_NS ? Long.MIN_VALUE : i.ctimeNs;
        return new long[] {i.ino, i.mode, i.uid, i.gid, i.isDir() ? 0 : i.size, i.mtimeNs, ctime};
    }
}
