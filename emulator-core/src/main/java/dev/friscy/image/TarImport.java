package dev.friscy.image;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/** Applies the entries of an uncompressed tar stream to a {@link RootTree}. */
final class TarImport {
    /** How entries combine with what the tree already holds. */
    enum Mode {
        /** A Debian data.tar: links to directories stay (usrmerge), no whiteouts. */
        PACKAGE,
        /** A container layer: {@code .wh.} whiteouts delete lower entries, links are replaced. */
        LAYER
    }

    /** Most entries one archive may hold; each costs memory until the image is written. */
    static final int MAX_ENTRIES = 1_000_000;
    /** Longest member name or link target (also bounds the depth a path can reach). */
    static final int MAX_NAME = 16384;

    static final String WHITEOUT_PREFIX = ".wh.";
    static final String OPAQUE_MARKER = ".wh..wh..opq";

    private TarImport() {
    }

    private record Pending(TarArchiveEntry entry, String path, byte[] data) {
    }

    /**
     * Reads all of {@code tar} into {@code tree}. {@code what} names the archive in error
     * messages. Whiteouts of a layer are applied before its other entries, since they only hide
     * what lower layers hold.
     */
    static void apply(RootTree tree, InputStream tar, Mode mode, String what) throws ImageException {
        List<Pending> entries = new ArrayList<>();
        try {
            TarArchiveInputStream in = new TarArchiveInputStream(tar, "UTF-8");
            TarArchiveEntry e;
            int count = 0;
            while ((e = in.getNextEntry()) != null) {
                if (++count > MAX_ENTRIES) {
                    throw new ImageException(what + " has more than " + MAX_ENTRIES + " entries");
                }
                checkName(e.getName(), what);
                checkName(e.getLinkName(), what);
                String path = normalize(e.getName());
                byte[] data = e.isFile() && !e.isLink() ? in.readAllBytes() : null;
                if (data != null && e.getSize() >= 0 && data.length != e.getSize()) {
                    throw new ImageException("truncated tar in " + what + " at " + e.getName());
                }
                if (mode == Mode.PACKAGE) {
                    add(tree, e, path, data, mode, what);
                } else {
                    entries.add(new Pending(e, path, data));
                }
            }
        } catch (IOException | RuntimeException ex) {
            throw new ImageException("corrupt or truncated tar in " + what + ": " + oneLine(ex));
        }
        if (mode == Mode.LAYER) {
            Set<Inode> none = Collections.newSetFromMap(new IdentityHashMap<>());
            for (Pending p : entries) {
                String base = baseName(p.path);
                String parent = parentOf(p.path);
                if (base.equals(OPAQUE_MARKER)) {
                    tree.clearDirectory(parent, none);
                } else if (base.startsWith(WHITEOUT_PREFIX)) {
                    tree.remove(parent.isEmpty() ? base.substring(4) : parent + "/" + base.substring(4));
                }
            }
            for (Pending p : entries) {
                if (!baseName(p.path).startsWith(WHITEOUT_PREFIX)) {
                    add(tree, p.entry, p.path, p.data, mode, what);
                }
            }
        }
    }

    private static void add(RootTree tree, TarArchiveEntry e, String path, byte[] data, Mode mode, String what)
            throws ImageException {
        int perm = e.getMode() & 07777;
        long uid = e.getLongUserId();
        long gid = e.getLongGroupId();
        if (e.isDirectory()) {
            tree.putDirectory(path, perm, uid, gid, mode == Mode.PACKAGE);
            return;
        }
        if (path.isEmpty()) {
            throw new ImageException("bad entry in " + what + ": a non-directory named '" + e.getName() + "'");
        }
        if (e.isSymbolicLink()) {
            tree.put(path, Inode.symlink(e.getLinkName(), uid, gid));
        } else if (e.isLink()) {
            tree.hardLink(path, normalize(e.getLinkName()));
        } else if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
            Inode.Kind kind = e.isFIFO() ? Inode.Kind.FIFO
                    : e.isCharacterDevice() ? Inode.Kind.CHAR_DEVICE : Inode.Kind.BLOCK_DEVICE;
            Inode node = new Inode(kind, perm, uid, gid);
            node.devMajor = e.getDevMajor();
            node.devMinor = e.getDevMinor();
            tree.put(path, node);
        } else if (e.isFile()) {
            tree.put(path, Inode.regular(perm, uid, gid, data == null ? new byte[0] : data));
        } else if (e.isPaxHeader() || e.isGlobalPaxHeader() || e.isGNULongNameEntry() || e.isGNULongLinkEntry()) {
            return; // consumed by the reader already
        } else {
            throw new ImageException("unsupported tar entry type '" + (char) e.getLinkFlag() + "' for " + e.getName() + " in " + what);
        }
    }

    private static void checkName(String name, String what) throws ImageException {
        if (name == null) {
            return;
        }
        if (name.indexOf('\0') >= 0) {
            throw new ImageException("bad entry in " + what + ": a name with a NUL byte");
        }
        if (name.length() > MAX_NAME) {
            throw new ImageException("unsupported entry in " + what + ": a name longer than " + MAX_NAME + " characters");
        }
    }

    /** Archive member name to a tree path: no leading "./" or "/", no trailing "/". */
    static String normalize(String name) {
        return String.join("/", RootTree.components(name));
    }

    private static String baseName(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }

    private static String parentOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    static String oneLine(Throwable t) {
        String m = t.getMessage();
        if (m == null || m.isBlank()) {
            m = t.getClass().getSimpleName();
        }
        return m.replace('\n', ' ').replace('\r', ' ');
    }
}
