package dev.friscy.image;

import dev.friscy.cli.RunCommand;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
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
     * python3 with its standard library, dash, coreutils and busybox-static (links as in
     * debianShell), and the byte-compiled files ({@code __pycache__/*.pyc}) of what Python's
     * start-up and {@link #PYTHON_MODULES} import. A configured Debian system has them for the
     * whole library (python3's postinst byte-compiles it, which takes too long here); without
     * them every run compiles each module it imports from source again: {@code python3 -c pass}
     * ran 91 M instructions instead of 49 M, a script importing a dozen common modules 1.2 G.
     * They are Python's own output, made by running the image's python3 once in the emulator.
     */
    public static Path python() {
        return image("python", false, List.of("python3", "dash", "coreutils", "busybox-static"),
                List.of("/usr/bin/python3", "-c", PYTHON_WARMUP));
    }

    /** The standard modules {@link #python()} byte-compiles, besides those of the start-up. */
    static final String PYTHON_MODULES = "os sys re json subprocess threading socket select signal tempfile shutil"
            + " hashlib zlib collections functools itertools datetime time random math pathlib typing dataclasses"
            + " enum argparse logging io struct base64 csv textwrap string copy glob fnmatch urllib.parse"
            + " urllib.request http.client email.message asyncio unittest decimal fractions statistics heapq bisect"
            + " contextlib operator pickle pprint traceback inspect ast dis uuid secrets platform locale gettext"
            + " getopt queue concurrent.futures multiprocessing sqlite3 xml.etree.ElementTree html gzip bz2 lzma"
            + " tarfile zipfile configparser shlex difflib weakref numbers codecs unicodedata calendar";

    /** Imports each of {@link #PYTHON_MODULES}; one that cannot be imported is named and fails the build. */
    private static final String PYTHON_WARMUP = "import importlib, sys\n"
            + "bad = []\n"
            + "for m in '" + PYTHON_MODULES + "'.split():\n"
            + "    try:\n"
            + "        importlib.import_module(m)\n"
            + "    except Exception as e:\n"
            + "        bad.append(m + ': ' + repr(e))\n"
            + "sys.exit('cannot import ' + ', '.join(bad) if bad else 0)\n";

    /**
     * Real programs of trixie that spawn others (glibc 2.41's posix_spawn, system() and popen()
     * use clone3): bash, python3, perl, sqlite3, git, make, gawk and the text and archive tools,
     * plus dash, coreutils and busybox-static (links as in debianShell). Not configured yet:
     * running the maintainer scripts (Python byte-compiles its whole library) takes too long
     * for a test image on this machine so far.
     */
    public static Path programs() {
        return image("programs", false, List.of("bash", "python3", "perl", "sqlite3", "git", "make", "gawk", "sed",
                "grep", "findutils", "diffutils", "tar", "gzip", "xz-utils", "dash", "coreutils", "busybox-static"));
    }

    private static Path image(String name, List<String> packages) {
        return image(name, false, packages, null);
    }

    private static Path image(String name, boolean scripts, List<String> packages) {
        return image(name, scripts, packages, null);
    }

    /**
     * The image of {@code packages}, with maintainer scripts run if {@code scripts}; then, if
     * {@code warmup} is given, that command run once in it, keeping what it wrote.
     */
    private static synchronized Path image(String name, boolean scripts, List<String> packages, List<String> warmup) {
        String key = "v" + BUILDER_VERSION + " " + SUITE + " " + ARCH + " links " + (scripts ? "scripts " : "")
                + String.join(",", packages) + (warmup == null ? "" : " warmup " + String.join("\u0000", warmup));
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
                    if (warmup == null) {
                        build(name, scripts, packages, out);
                    } else {
                        Path raw = cacheDir().resolve(name + "-" + hash + ".raw.tar");
                        build(name, scripts, packages, raw);
                        warm(name, raw, warmup, out);
                        Files.deleteIfExists(raw);
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot lock " + lockFile + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static void build(String name, boolean scripts, List<String> packages, Path out) {
        PrintStream log = System.err;
        log.println("friscy: building test image " + out + " from " + packages);
        try {
            var options = new DebianImageBuilder.Options(DebianMirror.find(), SUITE, ARCH,
                    DebianImageBuilder.defaultCacheDir(), packages, true, false, scripts);
            new DebianImageBuilder(options, log).build(out);
        } catch (ImageException e) {
            throw new IllegalStateException("cannot build test image " + name + ": " + e.getMessage(), e);
        }
    }

    /** Runs {@code argv} in image {@code raw} on the emulator and saves its file system as {@code out}. */
    private static void warm(String name, Path raw, List<String> argv, Path out) throws IOException {
        PrintStream log = System.err;
        log.println("friscy: warming test image " + name + ": " + argv.get(0));
        Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
        List<String> args = new ArrayList<>(List.of("--image", raw.toString(), "--save", tmp.toString(), "--"));
        args.addAll(argv);
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int status;
        try (PrintStream err = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            status = RunCommand.execute(RunCommand.parseForTest(args.toArray(new String[0])),
                    InputStream.nullInputStream(), output, err, null);
        }
        if (status != 0 || !Files.isRegularFile(tmp)) {
            Files.deleteIfExists(tmp);
            throw new IllegalStateException("cannot warm test image " + name + ": " + String.join(" ", argv)
                    + " exited with " + status + ": " + output.toString(StandardCharsets.UTF_8));
        }
        Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
    }

    static Path cacheDir() {
        String override = System.getProperty("friscy.imageCache");
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "friscy", "images");
    }
}
