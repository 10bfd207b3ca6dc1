package dev.friscy.site;

import dev.friscy.image.TestImages;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorOutputStream;

/**
 * Puts the site's root file system images into the assembled site, each twice: {@code X.tar.gz},
 * which any static host can serve (the Worker unpacks it with DecompressionStream), and
 * {@code X.tar.zst}, which {@code ./friscy serve} sends instead, as {@code Content-Encoding: zstd},
 * to browsers that accept it: 18% fewer bytes for the node image, and the browser's network
 * process decodes it (3x faster than gunzip, and not on the Worker's thread; see ServeCommand).
 * The images themselves come from {@link TestImages}, which builds them from Debian packages once
 * and caches them.
 */
public final class ExportImages {
    /** zstd's level: 12 gives 44.7 MB for the node image (gzip: 54.6 MB) in a few seconds. */
    private static final int ZSTD_LEVEL = 12;

    private ExportImages() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: ExportImages <output-dir>");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        export(TestImages.busybox(), dir, "busybox");
        export(TestImages.debianShell(), dir, "debian-shell");
        export(TestImages.nodejs(), dir, "nodejs");
        export(TestImages.python(), dir, "python");
    }

    private static void export(Path tar, Path dir, String name) throws IOException {
        write(tar, dir.resolve(name + ".tar.gz"), false);
        write(tar, dir.resolve(name + ".tar.zst"), true);
    }

    /** Writes the compressed image unless an up-to-date one is there already. */
    private static void write(Path tar, Path out, boolean zstd) throws IOException {
        if (Files.isRegularFile(out)
                && Files.getLastModifiedTime(out).compareTo(Files.getLastModifiedTime(tar)) > 0) {
            return;
        }
        Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
        try (OutputStream o = zstd ? new ZstdCompressorOutputStream(Files.newOutputStream(tmp), ZSTD_LEVEL)
                : new GZIPOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
            Files.copy(tar, o);
        }
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
