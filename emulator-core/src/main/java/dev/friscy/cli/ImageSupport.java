package dev.friscy.cli;

import dev.friscy.fs.DevFs;
import dev.friscy.fs.Inode;
import dev.friscy.fs.TarException;
import dev.friscy.fs.TarExport;
import dev.friscy.fs.TarImport;
import dev.friscy.fs.Vfs;
import dev.friscy.kernel.Kernel;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** The glue between the command line and the file system's image import/export. */
final class ImageSupport {
    private ImageSupport() {
    }

    /**
     * Imports the image tar at {@code path}, reading only its headers now: file data is read
     * from the file when first used: the returned file stays open for the run.
     */
    static ImageFile importImage(Vfs vfs, String path, PrintStream warnings) throws IOException {
        ImageFile tar;
        byte[] magic = new byte[6];
        try {
            tar = new ImageFile(Path.of(path));
            if (tar.length() >= magic.length) {
                tar.read(0, magic, 0, magic.length);
            }
        } catch (IOException | java.nio.file.InvalidPathException e) {
            throw new IOException("image " + path + ": cannot read (" + (e instanceof IOException ? why((IOException) e)
                    : e.getMessage()) + ")");
        }
        String packed = compression(magic);
        if (packed != null) {
            tar.close();
            throw new IOException("image " + path + ": is " + packed + "-compressed; friscy wants a plain tar "
                    + "(decompress it first)");
        }
        try {
            List<String> w = TarImport.importInto(vfs, tar);
            for (String s : w) {
                warnings.println("friscy: image " + path + ": " + s);
            }
            return tar;
        } catch (TarException e) {
            tar.close();
            throw new IOException("image " + path + ": " + e.getMessage());
        }
    }

    /** The compressor whose magic number starts {@code b}, or null. */
    private static String compression(byte[] b) {
        if (b.length >= 2 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b) {
            return "gzip";
        }
        if (b.length >= 6 && (b[0] & 0xff) == 0xfd && b[1] == '7' && b[2] == 'z' && b[3] == 'X' && b[4] == 'Z') {
            return "xz";
        }
        if (b.length >= 3 && b[0] == 'B' && b[1] == 'Z' && b[2] == 'h') {
            return "bzip2";
        }
        if (b.length >= 4 && (b[0] & 0xff) == 0x28 && (b[1] & 0xff) == 0xb5 && (b[2] & 0xff) == 0x2f
                && (b[3] & 0xff) == 0xfd) {
            return "zstd";
        }
        return null;
    }

    /** A host I/O failure in words (NoSuchFileException's message is only the path). */
    static String why(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.NotDirectoryException) {
            return "not a directory";
        }
        if (e instanceof java.nio.file.FileSystemException) {
            String r = ((java.nio.file.FileSystemException) e).getReason();
            if (r != null) {
                return r;
            }
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /**
     * Why {@code path} cannot become the --save tar, or null if it can: checked before the
     * program runs, so a typo does not cost the session.
     */
    static String saveProblem(String path) {
        Path out = Path.of(path).toAbsolutePath();
        if (Files.isDirectory(out, LinkOption.NOFOLLOW_LINKS)) {
            return "is a directory";
        }
        String kind = notRegular(out);
        if (kind != null) {
            return kind;
        }
        Path dir = out.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            return Files.exists(dir) ? "not a directory: " + dir : "no such directory: " + dir;
        }
        // access() says yes to root everywhere; only creating a file tells (e.g. under /proc)
        try {
            Files.delete(Files.createTempFile(dir, ".friscy-save", ".probe"));
        } catch (IOException e) {
            return "cannot create a file in " + dir + " (" + why(e) + ")";
        }
        return null;
    }

    /**
     * Why an existing {@code out} may not be replaced: --save writes regular files only, so that
     * a device node, FIFO, socket or symlink given by mistake (as root, /dev/null) stays as it is.
     */
    private static String notRegular(Path out) {
        if (!Files.exists(out, LinkOption.NOFOLLOW_LINKS) || Files.isRegularFile(out, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        if (Files.isSymbolicLink(out)) {
            return "is a symbolic link (--save replaces only regular files)";
        }
        return "is not a regular file (a device, FIFO or socket); --save replaces only regular files";
    }

    /**
     * Writes the file system as a tar, atomically: streamed to a temp file in the same directory
     * (never whole in memory), then renamed into place, removed on failure, so the target is
     * either the old file or the complete new one.
     */
    static void save(Vfs vfs, String path) throws IOException {
        Path out = Path.of(path).toAbsolutePath();
        String kind = notRegular(out); // checked again: the run may have lasted long
        if (kind != null) {
            throw new IOException(kind);
        }
        Path tmp;
        try {
            tmp = Files.createTempFile(out.getParent(), ".friscy-save", ".tmp");
        } catch (IOException e) {
            throw new IOException("cannot create a file in " + out.getParent() + " (" + why(e) + ")");
        }
        try {
            try (FileOutputStream fo = new FileOutputStream(tmp.toFile());
                 BufferedOutputStream bo = new BufferedOutputStream(fo, 1 << 16)) {
                TarExport.export(vfs, bo);
                bo.flush();
                fo.getFD().sync(); // on disk before the rename makes it the saved image
            }
            try {
                Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: keep its default permissions
            }
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new IOException(why(e));
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The directories every system has. */
    static void populate(Vfs vfs) {
        vfs.mkdirs("/proc", 0555);
        Inode tmp = vfs.mkdirs("/tmp", 01777);
        tmp.mode = Inode.S_IFDIR | 01777;
    }

    /** True if the image has glibc's C.UTF-8 locale (libc-bin's /usr/lib/locale/C.utf8). */
    static boolean hasUtf8Locale(Vfs vfs) {
        try {
            Inode d = vfs.resolve(new dev.friscy.fs.FsContext(vfs.root, vfs.root), vfs.root, "/usr/lib/locale/C.utf8", true);
            return d.isDir();
        } catch (dev.friscy.errno.SyscallError e) {
            return false;
        }
    }

    static void devices(Kernel k) {
        DevFs.populate(k);
    }
}
