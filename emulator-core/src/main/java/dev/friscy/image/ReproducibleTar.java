package dev.friscy.image;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes a {@link RootTree} as a tar whose bytes depend only on the tree: entries in depth-first
 * order with names sorted inside each directory (parents before children), every mtime
 * {@link #FIXED_MTIME}, owner ids from the packages, user/group names "root" for id 0 and empty
 * otherwise, permission bits kept. Names have no leading "./", directories end in "/". The
 * second and later names of a hard-linked file are hard-link entries pointing at the first.
 * Long names and large numbers use POSIX (pax) extended headers.
 */
public final class ReproducibleTar {
    /** 2025-01-01T00:00:00Z, in seconds. */
    public static final long FIXED_MTIME = 1735689600L;

    private ReproducibleTar() {
    }

    /** Number of entries written. */
    static int write(RootTree tree, OutputStream out) throws IOException {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out, "UTF-8");
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
        Map<Inode, String> firstName = new IdentityHashMap<>();
        int[] count = {0};
        try {
            tree.walk((path, inode) -> {
                try {
                    writeOne(tar, path, inode, firstName);
                    count[0]++;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        tar.finish();
        tar.flush();
        return count[0];
    }

    private static void writeOne(TarArchiveOutputStream tar, String path, Inode inode, Map<Inode, String> firstName)
            throws IOException {
        TarArchiveEntry e;
        byte[] body = null;
        String earlier = inode.isDirectory() ? null : firstName.get(inode);
        if (earlier != null) {
            e = new TarArchiveEntry(path, TarConstants.LF_LINK);
            e.setLinkName(earlier);
        } else {
            if (!inode.isDirectory()) {
                firstName.put(inode, path);
            }
            switch (inode.kind) {
                case DIRECTORY:
                    e = new TarArchiveEntry(path + "/", TarConstants.LF_DIR);
                    break;
                case SYMLINK:
                    e = new TarArchiveEntry(path, TarConstants.LF_SYMLINK);
                    e.setLinkName(inode.linkTarget);
                    break;
                case CHAR_DEVICE:
                case BLOCK_DEVICE:
                    e = new TarArchiveEntry(path, inode.kind == Inode.Kind.CHAR_DEVICE ? TarConstants.LF_CHR : TarConstants.LF_BLK);
                    e.setDevMajor(inode.devMajor);
                    e.setDevMinor(inode.devMinor);
                    break;
                case FIFO:
                    e = new TarArchiveEntry(path, TarConstants.LF_FIFO);
                    break;
                default:
                    e = new TarArchiveEntry(path, TarConstants.LF_NORMAL);
                    body = inode.data;
                    e.setSize(body.length);
                    break;
            }
        }
        // ustar's mode field holds permission bits only (as GNU tar writes it); the type is the typeflag.
        e.setMode(inode.mode);
        e.setUserId(inode.uid);
        e.setGroupId(inode.gid);
        e.setUserName(inode.uid == 0 ? "root" : "");
        e.setGroupName(inode.gid == 0 ? "root" : "");
        e.setModTime(FIXED_MTIME * 1000L);
        tar.putArchiveEntry(e);
        if (body != null) {
            tar.write(body);
        }
        tar.closeArchiveEntry();
    }

    /** Writes the tree to {@code out} atomically (temp file + move); returns the entry count. */
    static int writeFile(RootTree tree, Path out) throws ImageException {
        return AtomicFile.write(out, stream -> write(tree, stream));
    }
}
