package dev.friscy.testing;

import dev.friscy.cli.RunCommand;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;

/**
 * Runs guest programs for tests: on friscy (in this JVM, through the same code path as
 * `friscy run`) and, as a reference, under qemu-riscv64-static.
 */
public final class GuestRunner {
    private GuestRunner() {
    }

    /** What a run produced. */
    public static final class Result {
        public int status;
        public String stdout;
        public String stderr;
        public List<String> events = new ArrayList<>();

        @Override
        public String toString() {
            return "status=" + status + "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr;
        }
    }

    private static volatile boolean built;

    /**
     * The repository's guest/ directory (the tests' one way to find it): the parent of the
     * friscy.guestDir property (guest/build) when set, else the nearest guest/ with a Makefile
     * above the working directory.
     */
    public static Path guestDir() {
        String p = System.getProperty("friscy.guestDir");
        if (p != null) {
            return Path.of(p).toAbsolutePath().normalize().getParent();
        }
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("guest/Makefile"))) {
                return d.resolve("guest");
            }
        }
        throw new AssertionError("cannot find the guest/ directory");
    }

    /** Builds the guest programs (make -C guest) once per JVM; fails loudly if the cross compiler is missing. */
    public static synchronized void buildGuests() {
        if (built) {
            return;
        }
        try {
            Process pr = new ProcessBuilder("make", "-C", guestDir().toString(), "-j2").redirectErrorStream(true).start();
            String out = new String(pr.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (pr.waitFor() != 0) {
                throw new AssertionError("building guest programs failed (is gcc-riscv64-linux-gnu installed?):\n" + out);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run make for guest programs: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        built = true;
    }

    /** Path of a built guest program, e.g. "proc/fork". */
    public static Path program(String name) {
        buildGuests();
        Path p = guestDir().resolve("build").resolve(name);
        if (!Files.isRegularFile(p)) {
            throw new AssertionError("guest program " + name + " was not built");
        }
        return p;
    }

    /**
     * A portable guest source (e.g. "proc/clone3") built for the host with its own C compiler, so
     * the same checks run against the host's Linux kernel; fails loudly if that build fails.
     */
    public static synchronized Path nativeProgram(String name) {
        String target = "build-native/" + name;
        try {
            Process pr = new ProcessBuilder("make", "-s", "-C", guestDir().toString(), target)
                    .redirectErrorStream(true).start();
            String out = new String(pr.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (pr.waitFor() != 0) {
                throw new AssertionError("building " + target + " for the host failed (is a host cc installed?):\n" + out);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run make for " + target + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return guestDir().resolve(target);
    }

    /** Runs a host guest binary on friscy with the given arguments. */
    public static Result friscy(Path program, String... args) {
        List<String> a = new ArrayList<>();
        a.add("--");
        a.add(program.toString());
        for (String s : args) {
            a.add(s);
        }
        return friscyArgs(a, "");
    }

    /** Longest a friscy run may take before the test fails (a hung guest must not hang the build). */
    public static final long DEFAULT_TIMEOUT_SEC = 600;

    /** Runs `friscy run` with raw command-line arguments and the given stdin. */
    public static Result friscyArgs(List<String> runArgs, String stdin) {
        return friscyArgs(runArgs, stdin, DEFAULT_TIMEOUT_SEC);
    }

    /**
     * Runs `friscy run` with raw command-line arguments and the given stdin; fails the test if it
     * takes longer than {@code timeoutSec} (the run goes on in a daemon thread, abandoned).
     */
    public static Result friscyArgs(List<String> runArgs, String stdin, long timeoutSec) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        File events;
        try {
            events = File.createTempFile("friscy-events", ".jsonl");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        List<String> a = new ArrayList<>();
        a.add("--events");
        a.add(events.getAbsolutePath());
        a.addAll(runArgs);
        Result r = new Result();
        RunCommand.Options o = RunCommand.parseForTest(a.toArray(new String[0]));
        InputStream in = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
        int[] status = {-1};
        Throwable[] crash = {null};
        Thread th = new Thread(() -> {
            try (PrintStream ps = new PrintStream(err, true, StandardCharsets.UTF_8)) {
                status[0] = RunCommand.execute(o, in, out, ps, null);
            } catch (Throwable e) {
                crash[0] = e;
            }
        }, "friscy-guest");
        th.setDaemon(true);
        th.start();
        try {
            th.join(timeoutSec * 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        if (th.isAlive()) {
            th.interrupt();
            throw new AssertionError("friscy run " + runArgs + " did not finish in " + timeoutSec + " s; output so far:\n"
                    + out.toString(StandardCharsets.UTF_8) + "\nstderr:\n" + err.toString(StandardCharsets.UTF_8));
        }
        if (crash[0] != null) {
            throw new AssertionError("friscy crashed running " + runArgs + "\n" + out.toString(StandardCharsets.UTF_8),
                    crash[0]);
        }
        r.status = status[0];
        r.stdout = out.toString(StandardCharsets.UTF_8);
        r.stderr = err.toString(StandardCharsets.UTF_8);
        if (r.stderr.contains(") killed: internal error")) {
            // the kernel contained a Java exception with SIGSYS: the guest survives that, but
            // it is an emulator bug, and no test may pass over it
            throw new AssertionError("friscy hit an internal error running " + runArgs + ":\n" + r);
        }
        try {
            r.events = Files.readAllLines(events.toPath());
            Files.deleteIfExists(events.toPath());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return r;
    }

    public static boolean qemuAvailable() {
        return new File("/usr/bin/qemu-riscv64-static").canExecute();
    }

    /** Runs a guest binary under qemu-riscv64-static, in {@code cwd}. */
    public static Result qemu(Path program, Path cwd, String... args) {
        if (!qemuAvailable()) {
            throw new AssertionError("qemu-riscv64-static is not installed (apt-get install qemu-user-static)");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add("/usr/bin/qemu-riscv64-static");
        cmd.add(program.toString());
        for (String s : args) {
            cmd.add(s);
        }
        return host(cmd, cwd);
    }

    /**
     * The differential check of a guest program whose output is its result: under qemu (in
     * {@code cwd}) it must exit 0 and print {@code marker} (else the test itself is wrong), and on
     * friscy print exactly what qemu printed and exit 0. Returns friscy's run.
     */
    public static Result sameAsQemu(Path program, Path cwd, String marker) {
        Result ref = qemu(program, cwd);
        Assertions.assertTrue(ref.stdout.contains(marker) && ref.status == 0,
                "reference run under qemu failed — the test itself is wrong:\n" + ref);
        Result r = friscy(program);
        Assertions.assertEquals(ref.stdout, r.stdout, r.toString());
        Assertions.assertEquals(0, r.status, r.toString());
        return r;
    }

    /** Runs a host command (a natively built test, qemu) in {@code cwd} with stdin from /dev/null. */
    public static Result host(List<String> cmd, Path cwd) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd);
            if (cwd != null) {
                pb.directory(cwd.toFile());
            }
            pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            File errFile = File.createTempFile("qemu-err", ".txt");
            pb.redirectError(errFile);
            Process p = pb.start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("host run timed out: " + cmd);
            }
            Result r = new Result();
            r.status = p.exitValue();
            r.stdout = new String(out, StandardCharsets.UTF_8);
            r.stderr = Files.readString(errFile.toPath());
            Files.deleteIfExists(errFile.toPath());
            return r;
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
