package dev.friscy.site;

import dev.friscy.image.TestImages;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.GZIPOutputStream;

/**
 * Puts the site's root file system images into the assembled site, gzip-compressed (the Worker
 * unpacks them with DecompressionStream). The images themselves come from {@link TestImages},
 * which builds them from Debian packages once and caches them.
 */
public final class ExportImages {
    private ExportImages() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: ExportImages <output-dir>");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        export(TestImages.busybox(), dir.resolve("busybox.tar.gz"));
        export(TestImages.debianShell(), dir.resolve("debian-shell.tar.gz"));
        export(TestImages.nodejs(), dir.resolve("nodejs.tar.gz"));
        export(TestImages.python(), dir.resolve("python.tar.gz"));
    }

    /** Writes tar.gz unless an up-to-date one is there already. */
    private static void export(Path tar, Path out) throws IOException {
        if (Files.isRegularFile(out)
                && Files.getLastModifiedTime(out).compareTo(Files.getLastModifiedTime(tar)) > 0) {
            return;
        }
        Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
            Files.copy(tar, o);
        }
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
