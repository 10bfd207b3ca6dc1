package dev.friscy.userland;

import dev.friscy.image.TestImages;
import dev.friscy.testing.GuestRunner;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * glibc-dynamic programs from Debian's dash and coreutils (dash arithmetic and functions, ls -l,
 * sort, md5sum, stat, cp -a, date, ...) on friscy against the same files under qemu -L.
 *
 * <p>The view is made the same rather than normalised afterwards: both runs start in the image's
 * root ("/" on friscy, the extracted tree under qemu) and the script uses relative paths only.
 * Absolute paths would not do: qemu -L looks a path up in the image first and then on the host,
 * so `ls -l /usr/bin` under qemu lists the image's names but stats the host's files.
 *
 * <p>LANG is C on both sides. The image has no compiled locales (/usr/lib/locale comes with
 * libc-bin, which it does not contain), so on friscy LANG=C.UTF-8 falls back to C, while qemu
 * would find the host's C.utf8 and, for example, make `sort -R` hash strxfrm() keys.
 */
class GlibcProgramsTest {
    /** Runs a script resource with dash on both sides; returns the reference output after comparing. */
    static String compare(String resource) {
        BusyboxAppletsTest.assumeReference();
        String script = BusyboxAppletsTest.resource(resource);
        Path image = TestImages.debianShell();

        GuestRunner.Result friscy = GuestRunner.friscyArgs(
                List.of("--env", "LANG=C", "--cwd", "/", "--image", image.toString(), "--", "/bin/dash", "-c", script), "");

        Path root = QemuReference.root(image);
        GuestRunner.Result qemu = QemuReference.run(root, root,
                Map.of("HOME", "/root", "TERM", "xterm-256color", "LANG", "C"),
                "usr/bin/dash", "/bin/dash", "-c", script);
        assertTrue(qemu.stdout.contains("== end") || qemu.stdout.endsWith("end\n"), "reference run did not finish:\n" + qemu);
        Outputs.assertSame(qemu, friscy, resource);
        return qemu.stdout;
    }

    @Test
    void coreutilsAndDashMatchQemu() {
        String out = compare("coreutils-dash.sh");
        // the listing of usr/bin must really be coreutils ls on the image (a few hundred lines)
        assertTrue(out.contains(" dash\n") && out.contains(" busybox\n"), out);
    }

    @Test
    void moreCoreutilsMatchQemu() {
        String out = compare("coreutils-more.sh");
        assertTrue(out.contains("Operation not supported"), "cp --reflink=always must have been refused:\n" + out);
    }

    @Test
    void dashArithmeticAsACommandLine() {
        BusyboxAppletsTest.assumeReference();
        Path image = TestImages.debianShell();
        GuestRunner.Result friscy = GuestRunner.friscyArgs(
                List.of("--image", image.toString(), "--", "/bin/dash", "-c", "echo $((6*7))"), "");
        Path root = QemuReference.root(image);
        GuestRunner.Result qemu = QemuReference.run(root, root, Map.of(), "usr/bin/dash", "/bin/dash", "-c", "echo $((6*7))");
        assertEquals("42\n", qemu.stdout, qemu.toString());
        Outputs.assertSame(qemu, friscy, "dash -c");
    }
}
