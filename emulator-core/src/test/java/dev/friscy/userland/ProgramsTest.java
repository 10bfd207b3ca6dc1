package dev.friscy.userland;

import dev.friscy.image.TestImages;
import dev.friscy.testing.GuestRunner;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real programs of Debian trixie (TestImages.programs: bash, python3, perl, sqlite3, git, make,
 * gawk, the text and archive tools) running realistic scripts on friscy against the same tree
 * under qemu-user. Each script is run by the image's dash in a fresh empty directory (/tmp on
 * friscy, a scratch directory next to the extracted tree under qemu), uses relative paths only
 * and ends with "== end"; stdout must be byte-identical and the exit status the same.
 *
 * <p>The spawn scripts reach glibc 2.41's posix_spawn, system() and popen(), which create the
 * child with clone3(CLONE_VM|CLONE_VFORK) (qemu 7.2 has no clone3, so there glibc falls back to
 * clone: the output must still be the same).
 */
class ProgramsTest {
    private static final Map<String, String> ENV = Map.of("HOME", "/root", "TERM", "xterm-256color", "LANG", "C");

    static String compare(String resource) {
        BusyboxAppletsTest.assumeReference();
        String script = BusyboxAppletsTest.resource(resource);
        Path image = TestImages.programs();
        GuestRunner.Result friscy = GuestRunner.friscyArgs(
                List.of("--env", "LANG=C", "--cwd", "/tmp", "--image", image.toString(), "--", "/bin/dash", "-c", script), "");
        Path root = QemuReference.root(image);
        Path work = QemuReference.scratch(root);
        GuestRunner.Result qemu;
        try {
            qemu = QemuReference.run(root, work, ENV, "usr/bin/dash", "/bin/dash", "-c", script);
        } finally {
            QemuReference.deleteTree(work);
        }
        assertTrue(qemu.stdout.contains("== end"), "reference run did not finish:\n" + qemu);
        Outputs.assertSame(qemu, friscy, resource);
        return qemu.stdout;
    }

    @Test
    void makeSpawnsItsRecipesInParallel() {
        String out = compare("spawn-make.sh");
        assertTrue(out.contains("LINE TWO OF GAMMA\n8\n"), out);
    }

    @Test
    void pythonSubprocessSystemAndPopen() {
        String out = compare("spawn-python.sh");
        assertTrue(out.contains("shell 42\n") && out.contains("spawned 30\n") && out.contains("posix_spawnp 6\n")
                && out.contains("pool [0, 1, 4, 9, 16, 25, 36, 49]\n") && out.contains("child exit 0\n"), out);
    }

    @Test
    void gawkSystemAndPipes() {
        String out = compare("spawn-gawk.sh");
        assertTrue(out.contains("status 3\n") && out.contains("spawned 30\n"), out);
    }

    @Test
    void bashArraysTrapsAndProcessSubstitution() {
        String out = compare("programs-bash.sh");
        assertTrue(out.contains("trapped USR1\n") && out.contains("VIA COPROC\n") && out.contains("exit trap\n")
                && out.contains("bash: 0\n"), out);
    }

    @Test
    void perlForksAndSqliteTransactionsAndShell() {
        String out = compare("programs-perl-sqlite.sh");
        for (String want : List.of("from the child\nchild status 3\n", "system 2\n", "from .shell\n",
                "from .system\n", "\nok\n", "perl: 0\n", "sqlite: 0\n502\n")) {
            assertTrue(out.contains(want), want + " missing from\n" + out);
        }
    }

    @Test
    void gitMergeAndArchivePipelines() {
        String out = compare("programs-git-archives.sh");
        assertTrue(out.contains("merged\n") && out.contains("git done\n") && out.contains("tested\n")
                && out.contains("same\n"), out);
    }
}
