package dev.friscy.userland;

import dev.friscy.testing.GuestRunner;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The reference side of the userland comparisons: the same Debian image friscy imports, extracted
 * by the host's tar, its programs run under qemu-riscv64-static.
 *
 * <p>Two things make qemu's view match friscy's:
 * <ul>
 *   <li>The image is extracted into a tmpfs (/dev/shm). friscy's VFS reports tmpfs sizes and
 *       block counts (a directory's size grows by 20 per entry, 8 blocks per 4 KiB page), so
 *       `ls -l` totals, directory sizes and `du` are compared as they are.</li>
 *   <li>This machine has no binfmt_misc for riscv64, so a guest program that execs another one
 *       would run the host's x86 binary of that name. Instead PATH points at a directory of host
 *       scripts, one per program in the image's usr/bin and usr/sbin, each of which starts that
 *       program from the image under qemu ({@code -L ROOT -0 NAME ROOT/usr/bin/NAME}).</li>
 * </ul>
 * A {@code #!} script among them is started through its interpreter from the image.
 * qemu's {@code -L} falls back to the host's file when the image lacks a path, so programs could
 * see host files the image does not have (glibc's locale files under /usr/lib/locale are one
 * such case: the image has none, qemu finds the host's). Tests avoid those paths.
 */
final class QemuReference {
    private static final String QEMU = "/usr/bin/qemu-riscv64-static";
    private static final Map<Path, Path> ROOTS = new HashMap<>();
    private static final Map<Path, Path> WRAPPERS = new HashMap<>();

    private QemuReference() {
    }

    static boolean available() {
        return new File(QEMU).canExecute();
    }

    /** True if files the host's tar extracts keep the image's owner (root), as the comparisons need. */
    static boolean extractionKeepsOwners() {
        try {
            Path probe = Files.createTempFile("friscy-owner", ".probe");
            Object uid = Files.getAttribute(probe, "unix:uid");
            Files.delete(probe);
            return Integer.valueOf(0).equals(uid);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** The image extracted into a fresh tmpfs directory (once per JVM; removed when the JVM exits). */
    static synchronized Path root(Path image) {
        Path key = image.toAbsolutePath().normalize();
        Path have = ROOTS.get(key);
        if (have != null) {
            return have;
        }
        Path shm = Path.of("/dev/shm");
        try {
            if (!Files.isDirectory(shm) || !"tmpfs".equals(Files.getFileStore(shm).type())) {
                throw new AssertionError("the qemu reference needs a tmpfs at /dev/shm "
                        + "(directory sizes and block counts are compared with friscy's tmpfs-like VFS)");
            }
            Path dir = Files.createTempDirectory(shm, "friscy-ref-");
            deleteOnExit(dir);
            Path root = dir.resolve("root");
            Files.createDirectory(root);
            GuestRunner.Result tar = run(List.of("tar", "-xf", key.toString(), "-C", root.toString()), null, Map.of(), 120);
            if (tar.status != 0) {
                throw new AssertionError("host tar failed to extract " + image + ": " + tar);
            }
            ROOTS.put(key, root);
            return root;
        } catch (IOException e) {
            throw new AssertionError("cannot extract " + image + ": " + e.getMessage());
        }
    }

    /** PATH directory of host scripts that run the image's programs under qemu (see the class comment). */
    static synchronized Path wrappers(Path root) {
        Path have = WRAPPERS.get(root);
        if (have != null) {
            return have;
        }
        try {
            Path dir = root.getParent().resolve("path");
            Files.createDirectories(dir);
            Path run = dir.resolve(".run");
            // $0 is the link's name; usr/sbin wins over usr/bin as in friscy's default PATH.
            String script = "#!/bin/sh\n"
                    + "n=${0##*/}\n"
                    + "p=" + root + "/usr/sbin/$n\n"
                    + "[ -e \"$p\" ] || [ -L \"$p\" ] || p=" + root + "/usr/bin/$n\n"
                    // a #! script (gunzip, zcat): qemu runs ELF files only, so start its interpreter
                    + "l=; IFS= read -r l < \"$p\" || true\n"
                    + "case $l in '#!'*) set -- ${l#??} \"$p\" \"$@\"; i=$1; shift\n"
                    + "    exec " + QEMU + " -L " + root + " -0 \"$i\" \"" + root + "$i\" \"$@\";; esac\n"
                    + "exec " + QEMU + " -L " + root + " -0 \"$n\" \"$p\" \"$@\"\n";
            Files.writeString(run, script);
            Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxr-xr-x"));
            for (String sub : List.of("usr/bin", "usr/sbin")) {
                Path d = root.resolve(sub);
                if (!Files.isDirectory(d)) {
                    continue;
                }
                try (Stream<Path> s = Files.list(d)) {
                    for (Path p : (Iterable<Path>) s::iterator) {
                        Path link = dir.resolve(p.getFileName().toString());
                        if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                            Files.createSymbolicLink(link, Path.of(".run"));
                        }
                    }
                }
            }
            WRAPPERS.put(root, dir);
            return dir;
        } catch (IOException e) {
            throw new AssertionError("cannot create qemu wrappers: " + e.getMessage());
        }
    }

    /**
     * Runs {@code ROOT/program} under qemu with argv[0] {@code argv0}, in {@code cwd}, with exactly
     * the given environment plus PATH set to the wrapper directory.
     */
    static GuestRunner.Result run(Path root, Path cwd, Map<String, String> env, String program, String argv0,
                                  String... args) {
        if (!available()) {
            throw new AssertionError("qemu-riscv64-static is not installed (apt-get install qemu-user-static)");
        }
        List<String> cmd = new ArrayList<>(List.of(QEMU, "-L", root.toString(), "-0", argv0,
                root.resolve(program).toString()));
        cmd.addAll(List.of(args));
        Map<String, String> e = new HashMap<>(env);
        e.put("PATH", wrappers(root).toString());
        return run(cmd, cwd, e, 180);
    }

    private static GuestRunner.Result run(List<String> cmd, Path cwd, Map<String, String> env, int timeoutSeconds) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd);
            if (cwd != null) {
                pb.directory(cwd.toFile());
            }
            if (!env.isEmpty()) {
                pb.environment().clear();
                pb.environment().putAll(env);
            }
            pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            File errFile = File.createTempFile("friscy-ref-err", ".txt");
            pb.redirectError(errFile);
            Process p = pb.start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + cmd);
            }
            GuestRunner.Result r = new GuestRunner.Result();
            r.status = p.exitValue();
            r.stdout = new String(out, StandardCharsets.UTF_8);
            r.stderr = Files.readString(errFile.toPath());
            Files.deleteIfExists(errFile.toPath());
            return r;
        } catch (IOException e) {
            throw new AssertionError("cannot run " + cmd + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void deleteOnExit(Path dir) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a leftover temporary directory is harmless
        }
    }

    /** A fresh empty directory next to the extracted root (same tmpfs), for a run's working tree. */
    static Path scratch(Path root) {
        try {
            return Files.createTempDirectory(root.getParent(), "work-");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
