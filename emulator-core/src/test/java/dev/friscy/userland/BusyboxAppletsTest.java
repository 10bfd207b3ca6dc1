package dev.friscy.userland;

import dev.friscy.image.TestImages;
import dev.friscy.testing.GuestRunner;
import dev.friscy.testing.Tools;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Debian's busybox-static applets (ls, cat, sort, uniq, sed, awk, grep, find, tar, gzip, md5sum,
 * sha256sum, bc, date, stat, du, wc, od, cp, mv, rm, ln, touch, mkdir) on friscy against the same
 * binary under qemu. One script (busybox-applets.sh) builds a tree with fixed contents and mtimes
 * and runs the applets on it; both outputs, stdout and stderr merged, must be byte-identical.
 * Nothing is normalised afterwards: what would differ for reasons unrelated to the emulator
 * (temp directory names, readdir order, the current time) is kept out by the script itself.
 * The reference runs in a tmpfs, so directory sizes and block counts are compared too.
 */
class BusyboxAppletsTest {
    static String resource(String name) {
        try (InputStream in = BusyboxAppletsTest.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new AssertionError("missing test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static void assumeReference() {
        Tools.require(QemuReference.available(), "qemu-riscv64-static is not installed");
        Tools.require(QemuReference.extractionKeepsOwners(),
                "the reference needs root: the host's tar must extract the image's files as uid 0");
    }

    @Test
    void appletsMatchQemu() {
        assumeReference();
        String script = resource("busybox-applets.sh");
        Path image = TestImages.busybox();

        GuestRunner.Result friscy = GuestRunner.friscyArgs(
                List.of("--cwd", "/tmp", "--image", image.toString(), "--", "/bin/sh", "-c", script), "");

        Path root = QemuReference.root(image);
        Path work = QemuReference.scratch(root);
        GuestRunner.Result qemu;
        try {
            // friscy's default environment (RunCommand) minus PATH, which the reference replaces
            qemu = QemuReference.run(root, work,
                    Map.of("HOME", "/root", "TERM", "xterm-256color", "LANG", "C.UTF-8"),
                    "usr/bin/busybox", "/bin/sh", "-c", script);
        } finally {
            QemuReference.deleteTree(work);
        }
        assertTrue(qemu.stdout.contains("== end"), "reference run did not finish:\n" + qemu);
        Outputs.assertSame(qemu, friscy, "busybox applets");
    }
}
