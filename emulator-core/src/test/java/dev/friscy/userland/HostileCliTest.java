package dev.friscy.userland;

import dev.friscy.errno.Errno;
import dev.friscy.image.TestImages;
import dev.friscy.testing.GuestRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `friscy run` given hostile or careless options: --save onto a FIFO or a symlink, --add of a
 * FIFO, /dev/zero, a tree with a symlink loop, onto /proc, onto "/"; --cwd naming a file; and
 * SIGTERM during a run with --save (it stops between slices and saves).
 */
class HostileCliTest {
    @TempDir
    Path tmp;

    static GuestRunner.Result run(String... args) {
        return GuestRunner.friscyArgs(List.of(args), "", 120);
    }

    private Path fifo(String name) throws IOException, InterruptedException {
        Path f = tmp.resolve(name);
        Process p = new ProcessBuilder("mkfifo", f.toString()).start();
        assertEquals(0, p.waitFor());
        return f;
    }

    @Test
    void saveRefusesFifosAndSymlinks() throws Exception {
        String image = TestImages.busybox().toString();
        Path f = fifo("out.fifo");
        BadInputTest.assertOneLineError(run("--image", image, "--save", f.toString(), "--", "/bin/true"),
                "not a regular file", "--save onto a FIFO");
        assertTrue(Files.exists(f) && !Files.isRegularFile(f), "the FIFO is left as it was");
        Path target = tmp.resolve("real.tar");
        Files.writeString(target, "keep");
        Path link = Files.createSymbolicLink(tmp.resolve("link.tar"), target);
        BadInputTest.assertOneLineError(run("--image", image, "--save", link.toString(), "--", "/bin/true"),
                "symbolic link", "--save onto a symlink");
        assertEquals("keep", Files.readString(target));
        assertTrue(Files.isSymbolicLink(link));
    }

    @Test
    void addRefusesWhatCannotBeCopied() throws Exception {
        String image = TestImages.busybox().toString();
        Path f = fifo("in.fifo");
        BadInputTest.assertOneLineError(run("--image", image, "--add", f + ":/data/f", "--", "/bin/true"),
                "FIFO", "--add of a FIFO");
        BadInputTest.assertOneLineError(run("--image", image, "--add", "/dev/zero:/zero", "--", "/bin/true"),
                "device", "--add of /dev/zero");
        Path file = Files.writeString(tmp.resolve("plain"), "x");
        BadInputTest.assertOneLineError(run("--image", image, "--add", file + ":/proc/x", "--", "/bin/true"),
                "/proc", "--add onto /proc");
        BadInputTest.assertOneLineError(run("--image", image, "--add", file + ":/", "--", "/bin/true"),
                "needs a name", "--add FILE:/");
        BadInputTest.assertOneLineError(run("--image", image, "--cwd", "/bin/sh", "--", "/bin/true"),
                "not a directory", "--cwd naming a file");
    }

    @Test
    void addCopiesSymlinkLoopsAsSymlinks() throws Exception {
        Path tree = Files.createDirectories(tmp.resolve("tree/sub"));
        Files.writeString(tree.resolve("file"), "hello\n");
        Files.createSymbolicLink(tree.resolve("loop"), Path.of(".."));
        Files.createSymbolicLink(tmp.resolve("tree/self"), Path.of("self"));
        GuestRunner.Result r = run("--image", TestImages.busybox().toString(), "--add", tmp.resolve("tree") + ":/t",
                "--", "/bin/sh", "-c", "cat /t/sub/file; readlink /t/sub/loop; readlink /t/self");
        assertEquals("hello\n..\nself\n", r.stdout, r.toString());
        assertEquals(0, r.status, r.toString());
    }

    @Test
    void elibbadHasItsName() {
        assertEquals("ELIBBAD", Errno.name(Errno.ELIBBAD));
    }

    @Test
    void sigtermStopsTheRunAndSaves() throws Exception {
        Path out = tmp.resolve("saved.tar");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), "dev.friscy.cli.Main", "run",
                "--image", TestImages.busybox().toString(), "--save", out.toString(), "--",
                "/bin/sh", "-c", "echo kept > /root/marker; echo ready; sleep 1000"));
        Path errFile = tmp.resolve("stderr.txt");
        Process p = new ProcessBuilder(cmd).redirectError(errFile.toFile()).start();
        BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = in.readLine();
        assertEquals("ready", line);
        p.destroy(); // SIGTERM
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "friscy run did not stop on SIGTERM");
        String err = Files.readString(errFile);
        assertEquals(143, p.exitValue(), err);
        assertTrue(err.contains("stopped by a signal; saving"), err);
        Process t = new ProcessBuilder("tar", "-xOf", out.toString(), "root/marker").start();
        String marker = new String(t.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, t.waitFor());
        assertEquals("kept\n", marker);
    }
}
