package dev.friscy.cli;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * `friscy bench mix`: guest/bench/mixbench (sieve, crc32, qsort, double matmul; ~2.4 G
 * instructions at scale 10) as whole processes - a fresh JVM per run, start-up and HotSpot's
 * warm-up included, as a user sees it - translated, interpreted ({@code run --no-jit}) and on
 * qemu-riscv64-static. The three modes take turns (each round starts with the next one), so load
 * that drifts during the benchmark hits them alike; reports medians of wall time, the phases' own
 * times (the guest's clock) and ratios, pairwise per round, and (through /usr/bin/time) each
 * process's CPU time, which a shared machine's load moves less. Scale: -Dfriscy.bench.mix.scale=N.
 */
final class MixBench {
    private MixBench() {
    }

    private static final String[] MODES = {"translated", "interpreted", "qemu"};
    private static final String TIME = "/usr/bin/time";

    static void run(Path guest, int runs) {
        int scale = Integer.getInteger("friscy.bench.mix.scale", 10);
        String prog = guest.resolve("bench/mixbench").toString();
        List<String> java = javaCommand();
        double[][] wall = new double[MODES.length][runs];
        double[][] cpu = new double[MODES.length][runs];
        boolean timed = Files.isExecutable(Path.of(TIME));
        List<Map<String, double[]>> phases = new ArrayList<>();
        for (int m = 0; m < MODES.length; m++) {
            phases.add(new LinkedHashMap<>());
        }
        String[] sums = new String[MODES.length];
        for (int i = 0; i < runs; i++) {
            for (int j = 0; j < MODES.length; j++) {
                int m = (i + j) % MODES.length;
                List<String> cmd = new ArrayList<>();
                if (timed) {
                    cmd.addAll(List.of(TIME, "-f", "mixbench-cpu %U %S"));
                }
                if (m == 2) {
                    cmd.add("/usr/bin/qemu-riscv64-static");
                } else {
                    cmd.addAll(java);
                    cmd.add("run");
                    if (m == 1) {
                        cmd.add("--no-jit");
                    }
                    cmd.add("--");
                }
                cmd.add(prog);
                cmd.add(Integer.toString(scale));
                long t0 = System.nanoTime();
                String out = exec(cmd);
                wall[m][i] = (System.nanoTime() - t0) / 1e9;
                for (String line : out.split("\n")) {
                    String[] t = line.trim().split("\\s+");
                    if (t.length == 3 && t[0].equals("mixbench-cpu")) {
                        cpu[m][i] = Double.parseDouble(t[1]) + Double.parseDouble(t[2]);
                    }
                    if (t.length >= 4 && t[0].endsWith(":") && t[2].equals("s")) {
                        String name = t[0].substring(0, t[0].length() - 1);
                        phases.get(m).computeIfAbsent(name, k -> new double[runs])[i] = Double.parseDouble(t[1]);
                        if (name.equals("total")) {
                            if (sums[m] != null && !sums[m].equals(t[3])) {
                                throw new IllegalStateException(MODES[m] + " printed two checksums: " + sums[m] + " " + t[3]);
                            }
                            sums[m] = t[3];
                        }
                    }
                }
                if (sums[m] == null) {
                    throw new IllegalStateException(MODES[m] + " run failed: " + out);
                }
                System.out.printf(Locale.ROOT, "  run %d %-11s %.2f s wall, %.2f s CPU%n", i + 1, MODES[m], wall[m][i],
                        cpu[m][i]);
            }
        }
        double q = median(wall[2]);
        System.out.printf(Locale.ROOT, "mixbench %d, whole process (wall, medians of %d; machine load %s)%n", scale, runs,
                load());
        for (int m = 0; m < MODES.length; m++) {
            double w = median(wall[m]);
            String cmp = m == 2 ? "" : String.format(Locale.ROOT, "  = %.2fx qemu (pairwise %.2fx)", q / w,
                    median(ratios(wall[2], wall[m])));
            System.out.printf(Locale.ROOT, "  %-11s %6.2f s%s  checksum %s%s%n", MODES[m], w, cmp, sums[m],
                    sums[m].equals(sums[2]) ? "" : "  DIFFERS from qemu's");
        }
        System.out.printf(Locale.ROOT, "  translated/interpreted time, pairwise median %.2f%n",
                median(ratios(wall[0], wall[1])));
        if (timed) {
            // on a shared machine the CPU time (user + system, all the JVM's threads) moves less than wall time
            double qc = median(cpu[2]);
            System.out.println("  CPU time (user + system, medians):");
            for (int m = 0; m < MODES.length; m++) {
                double c = median(cpu[m]);
                System.out.printf(Locale.ROOT, "  %-11s %6.2f s%s%n", MODES[m], c, m == 2 ? ""
                        : String.format(Locale.ROOT, "  = %.2fx qemu (pairwise %.2fx)", qc / c, median(ratios(cpu[2], cpu[m]))));
            }
        }
        System.out.println("  phases (the guest's clock, medians, seconds):");
        System.out.printf(Locale.ROOT, "    %-8s %11s %11s %11s%n", "", MODES[0], MODES[1], MODES[2]);
        for (String name : phases.get(2).keySet()) {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "    %-8s", name));
            for (int m = 0; m < MODES.length; m++) {
                double[] v = phases.get(m).get(name);
                sb.append(String.format(Locale.ROOT, " %11.3f", v == null ? Double.NaN : median(v)));
            }
            System.out.println(sb);
        }
    }

    /** a[i] / b[i]. */
    private static double[] ratios(double[] a, double[] b) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i] / b[i];
        }
        return r;
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** This JVM's own command line up to the main class: the same java, options and jar. */
    private static List<String> javaCommand() {
        List<String> c = new ArrayList<>();
        c.add(ProcessHandle.current().info().command().orElse("java"));
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!a.startsWith("-Dfriscy.bench") && !a.startsWith("-agentlib") && !a.startsWith("-XX:StartFlightRecording")) {
                c.add(a);
            }
        }
        try {
            String jar = new File(MixBench.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getPath();
            if (jar.endsWith(".jar")) {
                c.add("-jar");
                c.add(jar);
            } else {
                c.add("-cp");
                c.add(System.getProperty("java.class.path"));
                c.add(Main.class.getName());
            }
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return c;
    }

    private static String exec(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(new File("/dev/null")).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int st = p.waitFor();
            if (st != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " exited " + st + ": " + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(cmd.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
