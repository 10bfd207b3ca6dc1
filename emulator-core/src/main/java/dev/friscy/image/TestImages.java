package dev.friscy.image;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Root file system images of real Debian trixie riscv64 packages, for tests and benchmarks. Each
 * is built once (mirror from {@code FRISCY_DEBIAN_MIRROR} or the host's apt configuration) into
 * {@code ~/.cache/friscy/images/<name>-<hash>.tar}, where the hash covers the package list and
 * builder version; later calls return the cached file. Safe to call from concurrent JVMs: a
 * finished image appears by atomic rename, so a reader never sees a partial file. The system
 * property {@code friscy.imageCache} moves the cache directory.
 */
public final class TestImages {
    /** Bump when the builder's output changes, so cached images are rebuilt. */
    private static final int BUILDER_VERSION = 2;
    private static final String SUITE = "trixie";
    private static final String ARCH = "riscv64";

    private TestImages() {
    }

    /** busybox-static with applet links: /bin/sh is busybox. */
    public static Path busybox() {
        return image("busybox", List.of("busybox-static"));
    }

    /**
     * dash, coreutils and libc6 with their dependencies, plus busybox-static whose applet links
     * fill in only names no package provides: /bin/sh stays dash, ls stays coreutils.
     */
    public static Path debianShell() {
        return image("debian-shell", List.of("dash", "coreutils", "libc6", "busybox-static"));
    }

    /** nodejs with its libraries, dash, coreutils and busybox-static (links as in debianShell). */
    public static Path nodejs() {
        return image("nodejs", List.of("nodejs", "dash", "coreutils", "busybox-static"));
    }

    /**
     * Real programs of trixie that spawn others (glibc 2.41's posix_spawn, system() and popen()
     * use clone3): bash, python3, perl, sqlite3, git, make, gawk and the text and archive tools,
     * plus dash, coreutils and busybox-static (links as in debianShell).
     */
    public static Path programs() {
        return image("programs", List.of("bash", "python3", "perl", "sqlite3", "git", "make", "gawk", "sed",
                "grep", "findutils", "diffutils", "tar", "gzip", "xz-utils", "dash", "coreutils", "busybox-static"));
    }

    private static synchronized Path image(String name, List<String> packages) {
        String key = "v" + BUILDER_VERSION + " " + SUITE + " " + ARCH + " links " + String.join(",", packages);
        String hash = Fetcher.sha256Of(key.getBytes(StandardCharsets.UTF_8)).substring(0, 12);
        Path out = cacheDir().resolve(name + "-" + hash + ".tar");
        if (Files.isRegularFile(out)) {
            return out;
        }
        // Another JVM may be building the same image: wait for it instead of building twice.
        // The lock only saves work; correctness comes from the atomic rename.
        Path lockFile = cacheDir().resolve(name + "-" + hash + ".lock");
        try {
            Files.createDirectories(lockFile.getParent());
            try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = ch.lock()) {
                if (!Files.isRegularFile(out)) {
                    build(name, packages, out);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot lock " + lockFile + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static void build(String name, List<String> packages, Path out) {
        PrintStream log = System.err;
        log.println("friscy: building test image " + out + " from " + packages);
        try {
            var options = new DebianImageBuilder.Options(DebianMirror.find(), SUITE, ARCH,
                    DebianImageBuilder.defaultCacheDir(), packages, true);
            new DebianImageBuilder(options, log).build(out);
        } catch (ImageException e) {
            throw new IllegalStateException("cannot build test image " + name + ": " + e.getMessage(), e);
        }
    }

    static Path cacheDir() {
        String override = System.getProperty("friscy.imageCache");
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "friscy", "images");
    }
}
