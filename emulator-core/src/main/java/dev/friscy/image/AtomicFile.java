package dev.friscy.image;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes a file so that readers (other JVMs included) see either nothing or the complete file:
 * the bytes go to a temporary file in the same directory, which is then renamed into place.
 * On failure the temporary file is removed and the target is left untouched.
 */
final class AtomicFile {
    interface Body<T> {
        T writeTo(OutputStream out) throws IOException, ImageException;
    }

    private AtomicFile() {
    }

    /** Temp files start as 0600; a finished image or cache entry should be readable like any file. */
    private static void makeReadable(Path p) {
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (IOException | UnsupportedOperationException e) {
            // not a POSIX file system: keep the default permissions
        }
    }

    static <T> T write(Path target, Body<T> body) throws ImageException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".part");
            makeReadable(tmp);
            T result;
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                result = body.writeTo(out);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
            return result;
        } catch (IOException e) {
            throw new ImageException("cannot write " + target + ": " + TarImport.oneLine(e));
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: a stray .part file is harmless
                }
            }
        }
    }
}
