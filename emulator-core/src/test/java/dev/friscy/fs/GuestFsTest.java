package dev.friscy.fs;

import dev.friscy.cli.RunCommand;
import dev.friscy.testing.GuestRunner;
import dev.friscy.testing.Tools;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The guest/fs programs print what the file-system calls return; their output on friscy must
 * equal their output under qemu-riscv64-static on the host kernel. Under qemu each runs with a
 * fresh temporary directory as its working directory (it creates files only there); on friscy
 * in /tmp of an otherwise empty file system. Missing tools fail the test (CI installs them).
 */
class GuestFsTest {
    private static final String GCC = "riscv64-linux-gnu-gcc";
    private static final String QEMU = "qemu-riscv64-static";

    @TempDir
    Path tmp;

    private static File guestDir() {
        return GuestRunner.guestDir().toFile();
    }

    private static String run(ProcessBuilder pb, String what, int[] status) throws Exception {
        Process p;
        try {
            p = pb.redirectErrorStream(true).start();
        } catch (IOException e) {
            fail(what + " not found (" + e.getMessage() + "); CI installs it with .ci/run");
            return null;
        }
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail(what + " did not finish; output:\n" + out);
        }
        status[0] = p.exitValue();
        return out;
    }

    /** Builds guest/fs/NAME.c with the cross compiler (via the Makefile's fs target). */
    private static File build(String name) throws Exception {
        File g = guestDir();
        int[] st = {0};
        String out = run(new ProcessBuilder("make", "-s", "-C", g.getPath(), "fs", "CC=" + GCC), "make/" + GCC, st);
        assertEquals(0, st[0], "building guest/fs failed:\n" + out);
        File exe = new File(g, "build/fs/" + name);
        assertTrue(exe.isFile(), "no " + exe);
        return exe;
    }

    private static String friscy(File exe, List<String> args, int[] status) throws Exception {
        RunCommand.Options o = new RunCommand.Options();
        o.argv.add(exe.getAbsolutePath());
        o.argv.addAll(args);
        o.cwd = "/tmp";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (PrintStream ps = new PrintStream(err, true, "UTF-8")) {
            status[0] = RunCommand.execute(o, new ByteArrayInputStream(new byte[0]), out, ps, null);
        }
        String e = err.toString(StandardCharsets.UTF_8);
        return out.toString(StandardCharsets.UTF_8) + (e.isEmpty() ? "" : "--- stderr\n" + e);
    }

    @ParameterizedTest
    @ValueSource(strings = {"files", "names", "locks", "fifo", "perms", "memfd", "fuzz 1 3000", "fuzz 2 3000", "fuzz 3 3000",
        "fuzz 11 4000", "fuzz 4 3000 user", "fuzz 9 3000 user", "fuzz 13 4000 user"})
    void sameOutputAsLinux(String command) throws Exception {
        List<String> words = new ArrayList<>(Arrays.asList(command.split(" ")));
        String name = words.remove(0);
        if (name.equals("perms") || words.contains("user")) {
            // its reference run drops from root to uid 1000 on the host, which needs root
            Tools.require("root".equals(System.getProperty("user.name")), command + " needs the tests to run as root");
        }
        File exe = build(name);
        int[] qs = {0};
        List<String> cmd = new ArrayList<>(List.of(QEMU, exe.getPath()));
        cmd.addAll(words);
        String ref = run(new ProcessBuilder(cmd).directory(tmp.toFile()), QEMU, qs);
        assertEquals(0, qs[0], "guest/fs/" + name + " fails under qemu:\n" + ref);
        try (java.util.stream.Stream<Path> made = Files.list(tmp)) {
            assertEquals(1, made.count(), "the program works in its own directory");
        }
        int[] fs = {0};
        String got = friscy(exe, words, fs);
        assertEquals(ref, got, "guest/fs/" + name + ": friscy differs from Linux");
        assertEquals(0, fs[0]);
    }
}
