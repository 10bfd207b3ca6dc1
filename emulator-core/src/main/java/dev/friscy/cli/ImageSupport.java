package dev.friscy.cli;

import dev.friscy.fs.DevFs;
import dev.friscy.fs.Inode;
import dev.friscy.fs.TarException;
import dev.friscy.fs.TarExport;
import dev.friscy.fs.TarImport;
import dev.friscy.fs.Vfs;
import dev.friscy.kernel.Kernel;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** The glue between the command line and the file system's image import/export. */
final class ImageSupport {
    private ImageSupport() {
    }

    /** Reads a root file system tar (plain or gzip) into {@code vfs}; skipped entries are reported. */
    static void importImage(Vfs vfs, String path, PrintStream warnings) throws IOException {
        byte[] raw = Files.readAllBytes(Path.of(path));
        byte[] tar = raw;
        if (raw.length > 2 && (raw[0] & 0xff) == 0x1f && (raw[1] & 0xff) == 0x8b) {
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
                tar = in.readAllBytes();
            }
        }
        try {
            for (String w : TarImport.importInto(vfs, tar)) {
                warnings.println("friscy: " + path + ": " + w);
            }
        } catch (TarException e) {
            throw new IOException(path + ": " + e.getMessage());
        }
    }

    static void save(Vfs vfs, String path) throws IOException {
        Path p = Path.of(path);
        Path tmp = p.resolveSibling(p.getFileName() + ".part");
        Files.write(tmp, TarExport.export(vfs));
        Files.move(tmp, p, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** The directories every system has. */
    static void populate(Vfs vfs) {
        vfs.mkdirs("/dev", 0755);
        vfs.mkdirs("/proc", 0555);
        Inode tmp = vfs.mkdirs("/tmp", 01777);
        tmp.mode = Inode.S_IFDIR | 01777;
    }

    /** /dev nodes and the /proc mount, which need the kernel. */
    static void devices(Kernel k) {
        DevFs.populate(k);
    }
}
