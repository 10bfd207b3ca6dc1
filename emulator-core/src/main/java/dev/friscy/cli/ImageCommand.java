package dev.friscy.cli;

import dev.friscy.image.DebianImageBuilder;
import dev.friscy.image.DebianMirror;
import dev.friscy.image.ImageException;
import dev.friscy.image.OciImageBuilder;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code friscy image ...}: builds root file system tars. Errors are one line on stderr with a
 * non-zero status; the output file is only ever replaced by a complete image.
 */
public final class ImageCommand {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    private static final String USAGE_TEXT = String.join("\n",
            "usage: friscy image debian [--suite SUITE] [--arch ARCH] [--cache DIR] [--mirror URL]",
            "                           [--busybox-links] [--no-docs] [--no-scripts] PACKAGE... -o OUT.tar",
            "       friscy image oci ARCHIVE -o OUT.tar",
            "",
            "debian: resolves Depends/Pre-Depends of the packages in SUITE (default trixie) for ARCH",
            "  (default riscv64) together with the Essential packages, downloads and checks the .deb",
            "  files (cache: ~/.cache/friscy/debs), unpacks them into a merged-/usr tree, adds",
            "  /etc/passwd, /etc/group, /etc/hostname, /tmp, /root, /dev, /proc, writes dpkg's",
            "  database and runs the maintainer scripts (preinst, postinst configure) in the emulator,",
            "  in dependency order, then ldconfig, as Debian's bootstrap tools do with qemu-user.",
            "  A failing script stops the build with its package name and output.",
            "  --no-scripts only unpacks the requested packages and their dependencies (no Essential",
            "  set, no dpkg database, no scripts): smaller and faster, but not configured.",
            "  The mirror is --mirror, else $" + DebianMirror.ENV + ", else the host's apt sources.",
            "  --busybox-links adds /usr/bin/<applet> -> busybox links for busybox-static's applets",
            "  (sh, ls, cat, ...) wherever no other package installed that name.",
            "  --no-docs leaves out usr/share/{man,info,locale,lintian} and usr/share/doc except",
            "  the copyright files.",
            "oci: takes a docker save archive or an OCI image layout (directory or tar), picks the",
            "  linux/riscv64 image, applies its layers with whiteouts and writes a reproducible tar.");

    private ImageCommand() {
    }

    public static int main(String[] args) {
        return run(args, System.out, System.err);
    }

    /** Runs with the given streams (tests capture them); returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help") || args[0].equals("help")) {
            (args.length == 0 ? err : out).println(USAGE_TEXT);
            return args.length == 0 ? USAGE : OK;
        }
        try {
            switch (args[0]) {
                case "debian":
                    return debian(args, out, err);
                case "oci":
                    return oci(args, out);
                default:
                    err.println("friscy image: unknown subcommand '" + args[0] + "' (expected debian or oci)");
                    return USAGE;
            }
        } catch (UsageException e) {
            err.println("friscy image: " + e.getMessage());
            err.println("run 'friscy image --help' for usage");
            return USAGE;
        } catch (ImageException e) {
            err.println("friscy image: " + e.getMessage());
            return FAILED;
        } catch (OutOfMemoryError e) {
            err.println("friscy image: out of memory (give the JVM more heap with -Xmx)");
            return FAILED;
        } catch (RuntimeException e) {
            // A bug rather than bad input, but still one line: the user gets the cause, not a trace.
            err.println("friscy image: internal error: " + e);
            return FAILED;
        }
    }

    private static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    private static int debian(String[] args, PrintStream out, PrintStream err) throws UsageException, ImageException {
        String suite = "trixie";
        String arch = "riscv64";
        Path cache = DebianImageBuilder.defaultCacheDir();
        String mirror = null;
        boolean links = false;
        boolean noDocs = false;
        boolean scripts = true;
        Path output = null;
        List<String> packages = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--suite": suite = value(args, ++i, a); break;
                case "--arch": arch = value(args, ++i, a); break;
                case "--cache": cache = Path.of(value(args, ++i, a)); break;
                case "--mirror": mirror = value(args, ++i, a); break;
                case "--busybox-links": links = true; break;
                case "--no-docs": noDocs = true; break;
                case "--no-scripts": scripts = false; break;
                case "-o": case "--output": output = Path.of(value(args, ++i, a)); break;
                default:
                    if (a.startsWith("-")) {
                        throw new UsageException("unknown option " + a);
                    }
                    packages.add(a);
            }
        }
        if (output == null) {
            throw new UsageException("missing -o OUT.tar");
        }
        if (packages.isEmpty()) {
            throw new UsageException("no package names given");
        }
        if (mirror == null) {
            mirror = DebianMirror.find();
        }
        var options = new DebianImageBuilder.Options(mirror, suite, arch, cache, packages, links, noDocs, scripts);
        DebianImageBuilder.Result r = new DebianImageBuilder(options, err).build(output);
        out.println("wrote " + output + ": " + r.packages().size() + " packages, " + r.entries() + " entries, "
                + r.bytes() + " bytes");
        return OK;
    }

    private static int oci(String[] args, PrintStream out) throws UsageException, ImageException {
        Path archive = null;
        Path output = null;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-o") || a.equals("--output")) {
                output = Path.of(value(args, ++i, a));
            } else if (a.startsWith("-") && a.length() > 1) {
                throw new UsageException("unknown option " + a);
            } else if (archive == null) {
                archive = Path.of(a);
            } else {
                throw new UsageException("more than one archive given");
            }
        }
        if (archive == null) {
            throw new UsageException("no image archive given");
        }
        if (output == null) {
            throw new UsageException("missing -o OUT.tar");
        }
        OciImageBuilder.Result r = OciImageBuilder.build(archive, output);
        out.println("wrote " + output + ": " + r.platform() + ", " + r.layers() + " layers, " + r.entries()
                + " entries, " + r.bytes() + " bytes");
        return OK;
    }

    private static String value(String[] args, int i, String option) throws UsageException {
        if (i >= args.length) {
            throw new UsageException(option + " needs a value");
        }
        return args[i];
    }
}
