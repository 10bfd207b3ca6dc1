package dev.friscy.cli;

import dev.friscy.fs.DevFs;
import dev.friscy.fs.Inode;
import dev.friscy.fs.TarException;
import dev.friscy.fs.TarExport;
import dev.friscy.fs.TarImport;
import dev.friscy.fs.Vfs;
import dev.friscy.kernel.Kernel;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** The glue between the command line and the file system's image import/export. */
final class ImageSupport {
    private ImageSupport() {
    }

    static void importImage(Vfs vfs, String path, PrintStream warnings) throws IOException {
        byte[] tar;
        try {
            tar = Files.readAllBytes(Path.of(path));
        } catch (IOException e) {
            throw new IOException("image " + path + ": cannot read (" + e.getMessage() + ")");
        }
        try {
            List<String> w = TarImport.importInto(vfs, tar);
            for (String s : w) {
                warnings.println("friscy: image " + path + ": " + s);
            }
        } catch (TarException e) {
            throw new IOException("image " + path + ": " + e.getMessage());
        }
    }

    /** Writes the file system as a tar, atomically (a temp file renamed into place). */
    static void save(Vfs vfs, String path) throws IOException {
        byte[] tar = TarExport.export(vfs);
        Path out = Path.of(path).toAbsolutePath();
        Path tmp = Files.createTempFile(out.getParent(), ".friscy-save", ".tmp");
        try {
            Files.write(tmp, tar);
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
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

    static void devices(Kernel k) {
        DevFs.populate(k);
    }
}
