package dev.friscy.image;

import java.nio.charset.StandardCharsets;

/**
 * The parts of a Debian root file system that package contents alone do not give, because dpkg
 * maintainer scripts (never run here) or the installer would create them.
 */
final class RootfsLayout {
    /** Debian trixie's merged-/usr links: top-level name to target. */
    static final String[][] MERGED_USR = {{"bin", "usr/bin"}, {"lib", "usr/lib"}, {"sbin", "usr/sbin"}};

    static final String PASSWD = "root:x:0:0:root:/root:/bin/sh\n"
            + "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n";
    static final String GROUP = "root:x:0:\nnogroup:x:65534:\n";
    static final String HOSTNAME = "friscy\n";

    private RootfsLayout() {
    }

    /**
     * Creates /usr/{bin,lib,sbin} and the /bin, /lib, /sbin links before any package is
     * unpacked, so package paths under /bin land in /usr/bin as they do on a usrmerged system.
     */
    static void mergeUsr(RootTree tree) throws ImageException {
        tree.putDirectory("usr", 0755, 0, 0, true);
        for (String[] link : MERGED_USR) {
            tree.putDirectory(link[1], 0755, 0, 0, true);
            Inode existing = tree.get(link[0], false);
            if (existing == null) {
                tree.put(link[0], Inode.symlink(link[1], 0, 0));
            }
        }
    }

    /** Adds the minimal system files and directories; existing files are kept. */
    static void addBaseFiles(RootTree tree) throws ImageException {
        addBaseFiles(tree, true);
    }

    /**
     * As above; without {@code accounts} /etc/passwd and /etc/group are left to base-passwd's
     * preinst, which creates Debian's full tables only where none exist yet.
     */
    static void addBaseFiles(RootTree tree, boolean accounts) throws ImageException {
        tree.putDirectory("etc", 0755, 0, 0, true);
        if (accounts) {
            addFileIfMissing(tree, "etc/passwd", PASSWD, 0644);
            addFileIfMissing(tree, "etc/group", GROUP, 0644);
        }
        addFileIfMissing(tree, "etc/hostname", HOSTNAME, 0644);
        tree.putDirectory("tmp", 01777, 0, 0, true);
        tree.putDirectory("root", 0700, 0, 0, true);
        tree.putDirectory("dev", 0755, 0, 0, true);
        tree.putDirectory("proc", 0555, 0, 0, true);
    }

    /** Documentation trees dropped by {@link #dropDocs}; licences under usr/share/doc stay. */
    static final String[] DOC_DIRS = {"usr/share/man", "usr/share/info", "usr/share/locale", "usr/share/lintian"};

    /**
     * Removes manual pages, info files, message catalogues and package docs (except each
     * package's copyright file), like a slim container image's dpkg path excludes.
     */
    static void dropDocs(RootTree tree) throws ImageException {
        for (String dir : DOC_DIRS) {
            Inode d = tree.get(dir, false);
            if (d != null && d.isDirectory()) {
                d.children.clear();
            }
        }
        Inode doc = tree.get("usr/share/doc", false);
        if (doc == null || !doc.isDirectory()) {
            return;
        }
        for (Inode pkg : doc.children.values()) {
            if (pkg.isDirectory()) {
                pkg.children.keySet().removeIf(name -> !name.equals("copyright"));
            }
        }
    }

    private static void addFileIfMissing(RootTree tree, String path, String text, int mode) throws ImageException {
        if (tree.get(path, true) == null) {
            tree.put(path, Inode.regular(mode, 0, 0, text.getBytes(StandardCharsets.UTF_8)));
        }
    }
}
