package dev.friscy.image;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The directory tree of an image being assembled, in memory. Paths are resolved the way the
 * kernel would inside a chroot: symbolic links in leading components are followed (so a
 * package's {@code ./bin/x} lands in {@code usr/bin/x} once {@code /bin -> usr/bin} exists),
 * {@code ..} never climbs above the root, and missing parent directories are created.
 */
final class RootTree {
    private static final int MAX_SYMLINK_HOPS = 40;

    /** Where a name lives: its directory and the name inside it (the entry may not exist). */
    record Location(Inode dir, String name, String path) {
        Inode existing() {
            return dir.children.get(name);
        }
    }

    /** Receives every object in depth-first order, parents before children, names sorted. */
    interface Visitor {
        void visit(String path, Inode inode);
    }

    final Inode root = Inode.directory(0755, 0, 0);

    static List<String> components(String path) {
        List<String> out = new ArrayList<>();
        for (String c : path.split("/")) {
            if (!c.isEmpty() && !c.equals(".")) {
                out.add(c);
            }
        }
        return out;
    }

    /**
     * Resolves {@code path}. Returns null for the root itself. With {@code followLast} a final
     * symbolic link is followed too. With {@code createParents} missing intermediate directories
     * are created (mode 0755, root), otherwise a missing one gives null.
     */
    Location locate(String path, boolean followLast, boolean createParents) throws ImageException {
        Deque<String> pending = new ArrayDeque<>(components(path));
        List<Inode> dirs = new ArrayList<>();
        List<String> names = new ArrayList<>();
        dirs.add(root);
        int hops = 0;
        while (!pending.isEmpty()) {
            String c = pending.pollFirst();
            if (c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                if (names.size() > 0) {
                    names.remove(names.size() - 1);
                    dirs.remove(dirs.size() - 1);
                }
                continue;
            }
            Inode dir = dirs.get(dirs.size() - 1);
            boolean last = pending.isEmpty();
            Inode child = dir.children.get(c);
            if (last && (!followLast || child == null || child.kind != Inode.Kind.SYMLINK)) {
                return new Location(dir, c, join(names, c));
            }
            if (child == null) {
                if (!createParents) {
                    return null;
                }
                child = Inode.directory(0755, 0, 0);
                dir.children.put(c, child);
            }
            if (child.kind == Inode.Kind.SYMLINK) {
                if (++hops > MAX_SYMLINK_HOPS) {
                    throw new ImageException("too many levels of symbolic links in " + path);
                }
                List<String> target = components(child.linkTarget);
                for (int i = target.size() - 1; i >= 0; i--) {
                    pending.addFirst(target.get(i));
                }
                if (child.linkTarget.startsWith("/")) {
                    dirs.subList(1, dirs.size()).clear();
                    names.clear();
                }
                continue;
            }
            if (!child.isDirectory()) {
                throw new ImageException("not a directory: /" + join(names, c) + " (in " + path + ")");
            }
            dirs.add(child);
            names.add(c);
        }
        return null;
    }

    private static String join(List<String> names, String last) {
        StringBuilder sb = new StringBuilder();
        for (String n : names) {
            sb.append(n).append('/');
        }
        return sb.append(last).toString();
    }

    /** The object at {@code path}, or null; the root for an empty path. */
    Inode get(String path, boolean followLast) throws ImageException {
        if (components(path).isEmpty()) {
            return root;
        }
        Location loc = locate(path, followLast, false);
        return loc == null ? null : loc.existing();
    }

    /** Puts {@code node} at {@code path}, replacing whatever was there. */
    void put(String path, Inode node) throws ImageException {
        Location loc = locate(path, false, true);
        if (loc == null) {
            throw new ImageException("cannot replace the root directory with a non-directory");
        }
        loc.dir().children.put(loc.name(), node);
    }

    /**
     * Makes {@code path} a directory with these attributes, keeping its contents if it already
     * is one. With {@code keepLinkToDirectory} an existing symbolic link to a directory stays (as
     * dpkg does); without it the link is replaced (as container layers do).
     */
    void putDirectory(String path, int mode, long uid, long gid, boolean keepLinkToDirectory) throws ImageException {
        Location loc = locate(path, false, true);
        if (loc == null) {
            root.mode = mode & 07777;
            root.uid = uid;
            root.gid = gid;
            return;
        }
        Inode existing = loc.existing();
        if (existing != null && existing.kind == Inode.Kind.SYMLINK && keepLinkToDirectory) {
            Inode target = get(path, true);
            if (target != null && target.isDirectory()) {
                return;
            }
        }
        if (existing != null && existing.isDirectory()) {
            existing.mode = mode & 07777;
            existing.uid = uid;
            existing.gid = gid;
            return;
        }
        loc.dir().children.put(loc.name(), Inode.directory(mode, uid, gid));
    }

    /** Adds {@code path} as another name of the object at {@code target}. */
    void hardLink(String path, String target) throws ImageException {
        Inode existing = get(target, false);
        if (existing == null) {
            throw new ImageException("hard link " + path + " points to missing " + target);
        }
        if (existing.isDirectory()) {
            throw new ImageException("hard link " + path + " points to a directory: " + target);
        }
        put(path, existing);
    }

    /** Removes the entry at {@code path} (not following a final link); false if absent. */
    boolean remove(String path) throws ImageException {
        Location loc = locate(path, false, false);
        return loc != null && loc.dir().children.remove(loc.name()) != null;
    }

    /** Removes every entry of directory {@code path} except the given objects. */
    void clearDirectory(String path, Set<Inode> keep) throws ImageException {
        Inode dir = get(path, false);
        if (dir == null || !dir.isDirectory()) {
            return;
        }
        dir.children.values().removeIf(child -> !keep.contains(child));
    }

    void walk(Visitor visitor) {
        walk("", root, visitor);
    }

    private static void walk(String prefix, Inode dir, Visitor visitor) {
        for (Map.Entry<String, Inode> e : dir.children.entrySet()) {
            String path = prefix + e.getKey();
            Inode child = e.getValue();
            visitor.visit(path, child);
            if (child.isDirectory()) {
                walk(path + "/", child, visitor);
            }
        }
    }
}
