package dev.friscy.cli;

import dev.friscy.image.TestImages;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * `friscy bench`: the project's benchmarks, run on friscy (in this JVM, a fresh kernel per run)
 * and, where it can run the same thing, on qemu-riscv64-static. Reports medians. Needs the
 * guest programs (make -C guest) and the test images (built on first use).
 */
public final class BenchCommand {
    private BenchCommand() {
    }

    static final String SHELL_LOOP = "i=0; while [ $i -lt 100000 ]; do i=$((i+1)); done; echo $i";

    public static int main(String[] args) {
        List<String> which = args.length == 0 ? List.of("cpu", "forkexec", "bigfork", "pipe", "tcp", "rtt", "shell")
                : Arrays.asList(args);
        Path guest = Path.of(System.getProperty("friscy.guest", "guest/build")).toAbsolutePath();
        if (!Files.isDirectory(guest.resolve("bench"))) {
            System.err.println("friscy bench: build the guest programs first: make -C guest");
            return 2;
        }
        int runs = Integer.getInteger("friscy.bench.runs", 3);
        if (which.contains("mix")) {
            MixBench.run(guest, runs);
            if (which.size() == 1) {
                return 0;
            }
        }
        // every benchmark with the translator (the default) and with the interpreter only
        for (String m : new String[] {"default", "off"}) {
            mode = m;
            System.out.println("== translator: " + (m.equals("off") ? "off (interpreter only, run --no-jit)" : "on (default)"));
            int st = runAll(which, guest, runs);
            if (st != 0) {
                return st;
            }
        }
        return 0;
    }

    private static int runAll(List<String> which, Path guest, int runs) {
        for (String w : which) {
            switch (w) {
                case "cpu":
                    cpu(guest, runs);
                    break;
                case "forkexec":
                    // 1000 cycles after 1000 of warm-up: the start-up's hot loop is translated
                    // after ~80 starts, what it calls soon after
                    report("fork+exec+wait /bin/true (busybox image)",
                            friscyOutput(runs, "--image", TestImages.busybox().toString(), "--add",
                                    guest.resolve("bench/forkexec") + ":/forkexec", "--", "/forkexec", "1000",
                                    "/bin/true", "1000"),
                            qemuExecTrue(runs));
                    break;
                case "bigfork":
                    report("fork of a 100 MB parent", friscyOutput(runs, "--", guest.resolve("bench/bigfork").toString()),
                            qemuOutput(runs, guest.resolve("bench/bigfork").toString()));
                    break;
                case "pipe":
                    report("pipe throughput", friscyOutput(runs, "--", guest.resolve("bench/pipebench").toString(), "512"),
                            qemuOutput(runs, guest.resolve("bench/pipebench").toString(), "512"));
                    break;
                case "tcp":
                    report("loopback TCP throughput", friscyOutput(runs, "--", guest.resolve("bench/tcpbench").toString(), "512"),
                            qemuOutput(runs, guest.resolve("bench/tcpbench").toString(), "512"));
                    break;
                case "rtt":
                    // request-response round trips over loopback, the kernel's share of a node HTTP
                    // request; "+hog" with a CPU-bound process beside the pair
                    report("loopback round trips (64-byte request, 64-byte reply)",
                            friscyOutput(runs, "--", guest.resolve("bench/rttbench").toString(), "2000", "5", "tcp-proc",
                                    "tcp-thread", "tcp-epoll", "unix-proc", "pipe-proc", "tcp-proc+hog", "tcp-epoll+hog")
                                    .replace("\n", "\n          "),
                            qemuOutput(runs, guest.resolve("bench/rttbench").toString(), "2000", "5", "tcp-proc",
                                    "tcp-thread", "tcp-epoll", "unix-proc", "pipe-proc", "tcp-proc+hog", "tcp-epoll+hog")
                                    .replace("\n", "\n          "));
                    break;
                case "shell":
                    shell(runs);
                    break;
                case "bc":
                    bc(guest, runs);
                    break;
                case "fp":
                    fp(guest, runs);
                    break;
                case "fpu":
                    dev.friscy.cpu.FpuBench.main(new String[0]);
                    break;
                case "mix":
                    break; // whole processes, run once for both modes (see main)
                default:
                    System.err.println("friscy bench: unknown benchmark " + w
                            + " (cpu forkexec bigfork pipe tcp rtt shell bc fp fpu mix)");
                    return 2;
            }
        }
        return 0;
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }

    /** Runs `friscy run ARGS` in-process; returns [wall seconds, instructions] per run and the last output. */
    static final class Run {
        double seconds;
        long instructions;
        String out;
    }

    /** The translator setting the benchmarks run with now ("off" or "default"). */
    static String mode = "default";

    static Run friscy(String... runArgs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        RunCommand.Options o = RunCommand.parseForTest(runArgs);
        o.jit = mode;
        long t0 = System.nanoTime();
        int st = RunCommand.execute(o, InputStream.nullInputStream(), out, new PrintStream(err), null);
        Run r = new Run();
        r.seconds = (System.nanoTime() - t0) / 1e9;
        r.instructions = RunCommand.lastInstructions;
        r.out = out.toString(StandardCharsets.UTF_8).trim();
        if (st != 0) {
            throw new IllegalStateException("benchmark failed with status " + st + ": " + r.out + " " + err);
        }
        return r;
    }

    static String friscyOutput(int runs, String... runArgs) {
        List<String> outs = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            outs.add(friscy(runArgs).out);
        }
        return pickMedianLine(outs);
    }

    static String qemuOutput(int runs, String... cmd) {
        List<String> outs = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            outs.add(qemu(cmd).out);
        }
        return pickMedianLine(outs);
    }

    /** The output whose first number is the median of all runs' first numbers. */
    private static String pickMedianLine(List<String> outs) {
        List<String> sorted = new ArrayList<>(outs);
        sorted.sort((a, b) -> Double.compare(firstNumber(a), firstNumber(b)));
        return sorted.get(sorted.size() / 2);
    }

    private static double firstNumber(String s) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(":\\s*([0-9.]+)").matcher(s);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    static Run qemu(String... cmd) {
        List<String> c = new ArrayList<>();
        c.add("/usr/bin/qemu-riscv64-static");
        c.addAll(Arrays.asList(cmd));
        Run r = new Run();
        try {
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(c).redirectErrorStream(true).redirectInput(new File("/dev/null")).start();
            r.out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor();
            r.seconds = (System.nanoTime() - t0) / 1e9;
        } catch (IOException e) {
            r.out = "qemu-riscv64-static not available: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return r;
    }

    /** qemu-user cannot exec riscv binaries here (no binfmt): time one qemu start of busybox true per cycle. */
    static String qemuExecTrue(int runs) {
        Path bb = extractBusybox();
        if (bb == null) {
            return "n/a";
        }
        double[] t = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            for (int k = 0; k < 20; k++) {
                qemu(bb.toString(), "true");
            }
            t[i] = (System.nanoTime() - t0) / 1e9 / 20;
        }
        return String.format(Locale.ROOT, "one qemu-user start of busybox true: %.1f us", median(t) * 1e6);
    }

    private static Path extractBusybox() {
        try {
            Path dir = Files.createTempDirectory("friscy-bench");
            Process p = new ProcessBuilder("tar", "-xf", TestImages.busybox().toString(), "-C", dir.toString(),
                    "usr/bin/busybox").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            p.waitFor();
            Path bb = dir.resolve("usr/bin/busybox");
            return Files.exists(bb) ? bb : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    static void report(String name, String friscy, String qemu) {
        System.out.println(name);
        System.out.println("  friscy: " + friscy);
        System.out.println("  qemu:   " + qemu);
    }

    static void cpu(Path guest, int runs) {
        String prog = guest.resolve("bench/cpubench").toString();
        friscy("--", prog, "1"); // warm up the JIT
        double[] secs = new double[runs];
        long instr = 0;
        String sum = "";
        for (int i = 0; i < runs; i++) {
            Run r = friscy("--", prog, "10");
            secs[i] = r.seconds;
            instr = r.instructions;
            sum = r.out;
        }
        double[] q = new double[runs];
        String qsum = "";
        for (int i = 0; i < runs; i++) {
            Run r = qemu(prog, "10");
            q[i] = r.seconds;
            qsum = r.out;
        }
        double f = median(secs);
        double qs = median(q);
        System.out.println("cpubench 10 rounds (" + instr + " instructions)");
        System.out.printf(Locale.ROOT, "  friscy: %.2f s = %.0f MIPS  (%s)%n", f, instr / f / 1e6, sum);
        System.out.printf(Locale.ROOT, "  qemu:   %.2f s = %.0f MIPS  (%s)  friscy/qemu time ratio %.1f%n", qs,
                instr / qs / 1e6, qsum, f / qs);
    }

    /**
     * guest/bench/fpbench: FP kernels, each phase timed by the guest itself. A first run warms the
     * JVM's JIT; medians of the phases over the measured runs, and qemu's for scale.
     */
    static void fp(Path guest, int runs) {
        String prog = guest.resolve("bench/fpbench").toString();
        friscy("--", prog, "1");
        Map<String, double[]> f = new LinkedHashMap<>();
        Map<String, double[]> q = new LinkedHashMap<>();
        Map<String, String> sums = new HashMap<>();
        Map<String, String> qsums = new HashMap<>();
        for (int i = 0; i < runs; i++) {
            phases(friscy("--", prog, "2").out, i, runs, f, sums);
            phases(qemu(prog, "2").out, i, runs, q, qsums);
        }
        System.out.println("fpbench 2 (phase seconds, medians of " + runs + " runs)");
        for (Map.Entry<String, double[]> e : f.entrySet()) {
            double fs = median(e.getValue());
            double[] qv = q.get(e.getKey());
            String qs = qv == null ? "n/a" : String.format(Locale.ROOT, "%.3f s (friscy/qemu %.1f)", median(qv),
                    fs / median(qv));
            String sum = sums.getOrDefault(e.getKey(), "");
            String qsum = qsums.get(e.getKey());
            System.out.printf(Locale.ROOT, "  %-9s friscy %.3f s  qemu %s  %s%s%n", e.getKey(), fs, qs, sum,
                    qsum != null && !qsum.equals(sum) ? "  CHECKSUM DIFFERS from qemu's " + qsum : "");
        }
    }

    /** Parses fpbench's "phase: S s  CHECKSUM" lines into per-phase arrays. */
    private static void phases(String out, int run, int runs, Map<String, double[]> into,
            Map<String, String> sums) {
        for (String line : out.split("\n")) {
            String[] t = line.trim().split("\\s+");
            if (t.length >= 3 && t[0].endsWith(":") && t[2].equals("s")) {
                String name = t[0].substring(0, t[0].length() - 1);
                into.computeIfAbsent(name, k -> new double[runs])[run] = Double.parseDouble(t[1]);
                if (sums != null && t.length >= 4) {
                    sums.put(name, t[3]);
                }
            }
        }
    }

    /**
     * busybox bc -l on guest/bench/bcmix.bc (arbitrary-precision arithmetic: a real program's
     * digit loops under its interpreter's calls), both ways; the output's MD5 must agree.
     */
    static void bc(Path guest, int runs) {
        Path prog = guest.getParent().resolve("bench/bcmix.bc");
        if (!Files.isRegularFile(prog)) {
            System.err.println("friscy bench bc: no " + prog);
            return;
        }
        double[] t = new double[runs];
        String out = null;
        for (int i = 0; i < runs; i++) {
            Run r = friscy("--image", TestImages.busybox().toString(), "--add", prog + ":/bcmix.bc", "--", "/bin/sh", "-c",
                    "bc -l /bcmix.bc | md5sum");
            t[i] = r.seconds;
            out = r.out;
        }
        Path bb = extractBusybox();
        double[] q = new double[runs];
        String qout = null;
        for (int i = 0; i < runs && bb != null; i++) {
            Run r = qemu(bb.toString(), "bc", "-l", prog.toString());
            q[i] = r.seconds;
            qout = md5(r.out + "\n") + "  -";
        }
        System.out.println("busybox bc -l, guest/bench/bcmix.bc (pi to 1,000 digits, functions to 200)");
        System.out.printf(Locale.ROOT, "  friscy: %.2f s%n  qemu:   %s%n", median(t),
                bb == null ? "n/a" : String.format(Locale.ROOT, "%.2f s", median(q)));
        if (qout != null && !qout.equals(out)) {
            System.out.println("  OUTPUT DIFFERS: friscy " + out + ", qemu " + qout);
        }
    }

    private static String md5(String s) {
        try {
            return java.util.HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void shell(int runs) {
        for (String shell : new String[] {"busybox", "dash"}) {
            Path img = shell.equals("dash") ? TestImages.debianShell() : TestImages.busybox();
            String sh = shell.equals("dash") ? "/bin/dash" : "/bin/sh";
            double[] t = new double[runs];
            for (int i = 0; i < runs; i++) {
                t[i] = friscy("--image", img.toString(), "--", sh, "-c", SHELL_LOOP).seconds;
            }
            String qemu;
            if (shell.equals("busybox")) {
                Path bb = extractBusybox();
                double[] q = new double[runs];
                for (int i = 0; i < runs && bb != null; i++) {
                    q[i] = qemu(bb.toString(), "sh", "-c", SHELL_LOOP).seconds;
                }
                qemu = bb == null ? "n/a" : String.format(Locale.ROOT, "%.2f s", median(q));
            } else {
                qemu = "n/a (dynamic dash needs the image as qemu's -L root; see README)";
            }
            System.out.println("shell while loop, 100000 iterations, " + shell);
            System.out.printf(Locale.ROOT, "  friscy: %.2f s%n  qemu:   %s%n", median(t), qemu);
        }
    }
}
