package dev.friscy.kernel;

import dev.friscy.cli.RunCommand;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Builds guest C programs with the riscv64 cross compiler and runs them both on friscy (the
 * whole kernel, through the same path as `friscy run`) and under qemu-riscv64-static as the
 * reference. Missing tools fail the test with a message; nothing is skipped.
 */
final class GuestRunner {
    static final String GCC = "riscv64-linux-gnu-gcc";
    static final String QEMU = "qemu-riscv64-static";

    /** What a run printed and how it ended (shell-style status: code, or 128 + signal). */
    static final class Result {
        final int status;
        final String out;
        final String err;

        Result(int status, String out, String err) {
            this.status = status;
            this.out = out;
            this.err = err;
        }

        @Override
        public String toString() {
            return "status " + status + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private GuestRunner() {
    }

    /** The repository's guest/ directory. */
    static File guestDir() {
        String prop = System.getProperty("friscy.guestDir");
        if (prop != null) {
            return new File(prop).getAbsoluteFile().getParentFile().toPath().normalize().toFile();
        }
        for (File d = new File("").getAbsoluteFile(); d != null; d = d.getParentFile()) {
            File g = new File(d, "guest");
            if (g.isDirectory()) {
                return g;
            }
        }
        fail("cannot find the guest/ directory");
        return null;
    }

    /** Compiles guest/{@code dir}/{@code name}.c to guest/build/{@code dir}/{@code name} unless up to date. */
    static File build(String dir, String name, String... extra) throws Exception {
        File g = guestDir();
        File src = new File(g, dir + "/" + name + ".c");
        assertTrue(src.isFile(), "missing guest source " + src);
        File exe = new File(g, "build/" + dir + "/" + name).getCanonicalFile();
        long newest = src.lastModified();
        File[] headers = src.getParentFile().listFiles((d, n) -> n.endsWith(".h"));
        if (headers != null) {
            for (File h : headers) {
                newest = Math.max(newest, h.lastModified());
            }
        }
        if (exe.isFile() && exe.lastModified() >= newest) {
            return exe;
        }
        exe.getParentFile().mkdirs();
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.Arrays.asList(
                GCC, "-static", "-O2", "-Wall", "-o", exe.getPath(), src.getPath()));
        cmd.addAll(java.util.Arrays.asList(extra));
        Process p = start(new ProcessBuilder(cmd).redirectErrorStream(true),
                GCC + " not found: install gcc-riscv64-linux-gnu (CI: .ci/run installs it)");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "compiler hung");
        assertEquals(0, p.exitValue(), "compiling " + src + " failed:\n" + out);
        return exe;
    }

    /** Runs under qemu-riscv64-static. */
    static Result qemu(File exe, long timeoutSec, String... args) throws Exception {
        java.util.List<String> cmd = new java.util.ArrayList<>();
        cmd.add(QEMU);
        cmd.add(exe.getPath());
        cmd.addAll(java.util.Arrays.asList(args));
        File errFile = File.createTempFile("qemu", ".err");
        try {
            Process p = start(new ProcessBuilder(cmd).redirectError(errFile).redirectInput(ProcessBuilder.Redirect.PIPE),
                    QEMU + " not found: install qemu-user-static (CI: .ci/run installs it)");
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(timeoutSec, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("qemu run of " + exe + " did not finish in " + timeoutSec + " s; output so far:\n" + out);
            }
            String err = new String(java.nio.file.Files.readAllBytes(errFile.toPath()), StandardCharsets.UTF_8);
            return new Result(p.exitValue(), out, err);
        } finally {
            errFile.delete();
        }
    }

    /** Runs on friscy as init with an empty stdin; fails the test if it takes longer than {@code timeoutSec}. */
    static Result friscy(File exe, long timeoutSec, String... args) throws Exception {
        RunCommand.Options o = new RunCommand.Options();
        o.argv.add(exe.getAbsolutePath());
        o.argv.addAll(java.util.Arrays.asList(args));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int[] status = {-1};
        Throwable[] crash = {null};
        Thread th = new Thread(() -> {
            try (PrintStream ps = new PrintStream(err, true, "UTF-8")) {
                status[0] = RunCommand.execute(o, new ByteArrayInputStream(new byte[0]), out, ps, null);
            } catch (Throwable e) {
                crash[0] = e;
            }
        }, "friscy-guest");
        th.setDaemon(true);
        th.start();
        th.join(timeoutSec * 1000);
        if (th.isAlive()) {
            th.interrupt();
            fail("friscy run of " + exe + " did not finish in " + timeoutSec + " s; output so far:\n"
                    + out.toString(StandardCharsets.UTF_8) + "\nstderr:\n" + err.toString(StandardCharsets.UTF_8));
        }
        if (crash[0] != null) {
            throw new AssertionError("friscy crashed running " + exe + "\n" + out.toString(StandardCharsets.UTF_8), crash[0]);
        }
        return new Result(status[0], out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Process start(ProcessBuilder pb, String missing) {
        try {
            return pb.start();
        } catch (IOException e) {
            fail(missing + " (" + e.getMessage() + ")");
            return null;
        }
    }
}
