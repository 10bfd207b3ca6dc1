package dev.friscy.image;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;

/**
 * Read access by relative path to the files of an image archive, which is either a directory
 * (an unpacked OCI layout) or a tar file (docker save output or a tarred OCI layout, optionally
 * compressed).
 */
abstract class ArchiveFiles implements Closeable {
    abstract boolean exists(String path);

    /** Opens a member; an {@link ImageException} names the missing member. */
    abstract InputStream open(String path) throws ImageException;

    abstract String describe();

    static ArchiveFiles open(Path archive) throws ImageException {
        if (Files.isDirectory(archive)) {
            return new Directory(archive);
        }
        if (!Files.isRegularFile(archive)) {
            throw new ImageException("no such image archive: " + archive);
        }
        return Tar.open(archive);
    }

    String readText(String path) throws ImageException {
        try (InputStream in = open(path)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ImageException("cannot read " + path + " in " + describe() + ": " + TarImport.oneLine(e));
        }
    }

    /** Joins {@code path} to the archive root; "..", absolute paths and escapes are rejected. */
    static String clean(String path) throws ImageException {
        List<String> parts = RootTree.components(path);
        if (parts.contains("..")) {
            throw new ImageException("refusing path with '..' in image archive: " + path);
        }
        return String.join("/", parts);
    }

    private static final class Directory extends ArchiveFiles {
        private final Path root;

        Directory(Path root) {
            this.root = root;
        }

        @Override
        boolean exists(String path) {
            try {
                return Files.isRegularFile(root.resolve(clean(path)));
            } catch (ImageException e) {
                return false;
            }
        }

        @Override
        InputStream open(String path) throws ImageException {
            Path p = root.resolve(clean(path));
            if (!Files.isRegularFile(p)) {
                throw new ImageException(describe() + " has no " + path);
            }
            try {
                return new BufferedInputStream(Files.newInputStream(p), 1 << 16);
            } catch (IOException e) {
                throw new ImageException("cannot read " + p + ": " + TarImport.oneLine(e));
            }
        }

        @Override
        String describe() {
            return "directory " + root;
        }

        @Override
        public void close() {
        }
    }

    private static final class Tar extends ArchiveFiles {
        private final Path file;
        private final Path tempToDelete;
        private final TarFile tar;
        private final Map<String, TarArchiveEntry> byName = new HashMap<>();

        private Tar(Path file, Path tempToDelete, TarFile tar) {
            this.file = file;
            this.tempToDelete = tempToDelete;
            this.tar = tar;
            for (TarArchiveEntry e : tar.getEntries()) {
                byName.put(TarImport.normalize(e.getName()), e);
            }
        }

        static Tar open(Path archive) throws ImageException {
            Path plain = archive;
            Path temp = null;
            try {
                try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive), 1 << 16);
                     InputStream in = Compression.open(raw, archive.toString())) {
                    if (in != raw) {
                        // A compressed archive: unpack it once so members can be read in any order.
                        temp = Files.createTempFile("friscy-image-", ".tar");
                        try (OutputStream out = Files.newOutputStream(temp)) {
                            in.transferTo(out);
                        }
                        plain = temp;
                    }
                }
                return new Tar(archive, temp, new TarFile(plain.toFile()));
            } catch (IOException | RuntimeException e) {
                deleteQuietly(temp);
                throw new ImageException("cannot read image archive " + archive + " (corrupt or truncated tar?): "
                        + TarImport.oneLine(e));
            }
        }

        @Override
        boolean exists(String path) {
            try {
                TarArchiveEntry e = resolve(path);
                return e != null && !e.isDirectory();
            } catch (ImageException e) {
                return false;
            }
        }

        /** Follows symbolic and hard links between members (older docker save links layers). */
        private TarArchiveEntry resolve(String path) throws ImageException {
            String name = clean(path);
            for (int hops = 0; hops < 16; hops++) {
                TarArchiveEntry e = byName.get(name);
                if (e == null || !(e.isSymbolicLink() || e.isLink())) {
                    return e;
                }
                String target = e.getLinkName();
                if (e.isSymbolicLink() && !target.startsWith("/")) {
                    int slash = name.lastIndexOf('/');
                    target = (slash < 0 ? "" : name.substring(0, slash + 1)) + target;
                }
                name = normalizeDots(target);
            }
            throw new ImageException("too many links at " + path + " in " + describe());
        }

        private static String normalizeDots(String path) {
            java.util.ArrayList<String> out = new java.util.ArrayList<>();
            for (String c : RootTree.components(path)) {
                if (c.equals("..")) {
                    if (!out.isEmpty()) {
                        out.remove(out.size() - 1);
                    }
                } else {
                    out.add(c);
                }
            }
            return String.join("/", out);
        }

        @Override
        InputStream open(String path) throws ImageException {
            TarArchiveEntry e = resolve(path);
            if (e == null || e.isDirectory()) {
                throw new ImageException(describe() + " has no " + path);
            }
            try {
                return new BufferedInputStream(tar.getInputStream(e), 1 << 16);
            } catch (IOException e2) {
                throw new ImageException("cannot read " + path + " in " + describe() + ": " + TarImport.oneLine(e2));
            }
        }

        @Override
        String describe() {
            return file.toString();
        }

        @Override
        public void close() throws IOException {
            try {
                tar.close();
            } finally {
                deleteQuietly(tempToDelete);
            }
        }

        private static void deleteQuietly(Path p) {
            if (p != null) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // a leftover temp file is harmless
                }
            }
        }
    }
}
