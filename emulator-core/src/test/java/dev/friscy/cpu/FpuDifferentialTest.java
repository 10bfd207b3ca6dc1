package dev.friscy.cpu;

import dev.friscy.testing.GuestRunner;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Differential test of {@link Fpu} against the RISC-V FPU as emulated by qemu: the guest program
 * guest/fpu/fpvectors.c runs each F/D instruction on corner-case and pseudo-random operands in
 * every rounding mode and prints operands, result bits and fflags; every line must be reproduced
 * exactly. Needs riscv64-linux-gnu-gcc and qemu-riscv64-static and fails (not skips) without them.
 */
class FpuDifferentialTest {
    private static final String GCC = "riscv64-linux-gnu-gcc";
    private static final String QEMU = "qemu-riscv64-static";
    private static final int SHOW = 40;

    @Test
    void matchesQemuOnEveryVector() throws Exception {
        File exe = vectorProgram();

        File err = File.createTempFile("fpvectors", ".err");
        err.deleteOnExit();
        List<String> cmd = new ArrayList<>(List.of(QEMU, exe.getPath()));
        // For soak runs by hand, e.g. -Dfriscy.fpuVectorArgs="all 7 20": another seed, 20x the cases.
        String extra = System.getProperty("friscy.fpuVectorArgs", "").trim();
        if (!extra.isEmpty()) {
            cmd.addAll(List.of(extra.split("\\s+")));
        }
        Process p = start(new ProcessBuilder(cmd).redirectError(err),
                QEMU + " not found: install qemu-user-static (CI: .ci/run installs it)");

        long total = 0;
        long passed = 0;
        List<String> shown = new ArrayList<>();
        Map<String, long[]> perOp = new TreeMap<>();
        Hart h = new Hart();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.US_ASCII), 1 << 16)) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isEmpty()) {
                    continue;
                }
                total++;
                String[] t = line.split(" ");
                String op = t[0];
                long[] stat = perOp.computeIfAbsent(op, k -> new long[2]);
                stat[0]++;
                int n = t.length - 4; // op rm operands... result flags
                long[] in = new long[3];
                for (int i = 0; i < n; i++) {
                    in[i] = Long.parseUnsignedLong(t[2 + i], 16);
                }
                long want = Long.parseUnsignedLong(t[2 + n], 16);
                int wantFlags = Integer.parseInt(t[3 + n], 16);
                int rm = t[1].equals("-") ? (int) (total % 5) : t[1].charAt(1) - '0';
                h.fflags = 0;
                long got;
                try {
                    got = FpuOps.apply(h, op, rm, in);
                } catch (RuntimeException e) {
                    got = ~want;
                    h.fflags = -1;
                    if (shown.size() < SHOW) {
                        shown.add(line + "   threw " + e);
                    }
                }
                if (t[2 + n].length() == 8) {
                    got &= 0xffffffffL;
                }
                if (got == want && h.fflags == wantFlags) {
                    // the JVM-only fma (translated code) must agree on the same vector
                    long alt = FpuOps.applyJvm(h, op, rm, in);
                    if (alt != FpuOps.NONE && (alt != want || h.fflags != wantFlags)) {
                        got = alt;
                        op += " (FpuJvm)";
                        perOp.computeIfAbsent(op, k -> new long[2])[0]++;
                        stat = perOp.get(op);
                    }
                }
                if (got == want && h.fflags == wantFlags) {
                    passed++;
                } else {
                    stat[1]++;
                    if (shown.size() < SHOW && h.fflags != -1) {
                        String width = t[2 + n].length() == 8 ? "%08x" : "%016x";
                        shown.add(line + "   but Fpu gave " + String.format(width, got) + " "
                                + String.format("%02x", h.fflags));
                    }
                }
            }
        }
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "qemu did not finish");
        String errText = Files.readString(err.toPath());
        assertEquals(0, p.exitValue(), "fpvectors failed under qemu: " + errText);
        long reported = parseReported(errText);
        assertEquals(reported, total, "lines read differ from lines the guest printed: " + errText);
        assertTrue(total > 100_000, "too few vectors: " + total);

        System.out.println("FpuDifferentialTest: " + total + " vectors compared, " + passed + " passed");
        if (passed != total) {
            StringBuilder sb = new StringBuilder();
            sb.append(total - passed).append(" of ").append(total).append(" vectors differ from qemu\n");
            for (Map.Entry<String, long[]> e : perOp.entrySet()) {
                if (e.getValue()[1] != 0) {
                    sb.append("  ").append(e.getKey()).append(": ").append(e.getValue()[1]).append(" of ")
                            .append(e.getValue()[0]).append('\n');
                }
            }
            sb.append("first mismatches (op rm operands result flags):\n");
            for (String s : shown) {
                sb.append("  ").append(s).append('\n');
            }
            fail(sb.toString());
        }
    }

    private static long parseReported(String errText) {
        for (String l : errText.split("\n")) {
            if (l.startsWith("fpvectors: ") && l.endsWith(" lines")) {
                return Long.parseLong(l.substring(11, l.length() - 6).trim());
            }
        }
        fail("fpvectors did not report its line count: " + errText);
        return -1;
    }

    /** guest/build/fpu/fpvectors, compiled from guest/fpu/fpvectors.c unless up to date. */
    static File vectorProgram() throws Exception {
        File guest = guestDir();
        File src = new File(guest, "fpu/fpvectors.c");
        assertTrue(src.isFile(), "missing guest source " + src);
        File exe = new File(guest, "build/fpu/fpvectors");
        build(src, exe);
        return exe;
    }

    private static void build(File src, File exe) throws Exception {
        if (exe.isFile() && exe.lastModified() >= src.lastModified()) {
            return;
        }
        exe.getParentFile().mkdirs();
        Process p = start(new ProcessBuilder(GCC, "-static", "-O2", "-Wall", "-o", exe.getPath(), src.getPath())
                .redirectErrorStream(true), GCC + " not found: install gcc-riscv64-linux-gnu (CI: .ci/run installs it)");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "compiler hung");
        assertEquals(0, p.exitValue(), "compiling " + src + " failed:\n" + out);
    }

    static Process start(ProcessBuilder pb, String missing) {
        try {
            return pb.start();
        } catch (IOException e) {
            fail(missing + " (" + e.getMessage() + ")");
            return null;
        }
    }

    static File guestDir() {
        return GuestRunner.guestDir().toFile();
    }

    /**
     * Maps a RISC-V F/D mnemonic and its operands to the {@link Fpu} call the interpreter makes for
     * it, including the sign flips that express fmsub/fnmadd/fnmsub through {@link Fpu#fma64}.
     */
    static final class FpuOps {
        private static final long S64 = 0x8000000000000000L;
        private static final int S32 = 0x80000000;

        private FpuOps() {
        }

        /** From {@link #applyJvm}: no JVM-only variant of this operation. */
        static final long NONE = 0x5a5a5a5a5a5a5a5aL;

        /** The JVM-only variant ({@link FpuJvm}) with fresh flags in {@code h}, or {@link #NONE}. */
        static long applyJvm(Hart h, String op, int rm, long[] in) {
            long a = in[0];
            long b = in[1];
            long c = in[2];
            switch (op) {
                case "fmadd.d": break;
                case "fmsub.d": c ^= S64; break;
                case "fnmsub.d": a ^= S64; break;
                case "fnmadd.d": a ^= S64; c ^= S64; break;
                default: return NONE;
            }
            h.fflags = 0;
            return FpuJvm.fma64(h, a, b, c, rm);
        }

        static long apply(Hart h, String op, int rm, long[] in) {
            long a = in[0];
            long b = in[1];
            long c = in[2];
            int x = (int) a;
            int y = (int) b;
            int z = (int) c;
            switch (op) {
                case "fadd.d": return Fpu.add64(h, a, b, rm);
                case "fsub.d": return Fpu.sub64(h, a, b, rm);
                case "fmul.d": return Fpu.mul64(h, a, b, rm);
                case "fdiv.d": return Fpu.div64(h, a, b, rm);
                case "fsqrt.d": return Fpu.sqrt64(h, a, rm);
                case "fmadd.d": return Fpu.fma64(h, a, b, c, rm);
                case "fmsub.d": return Fpu.fma64(h, a, b, c ^ S64, rm);
                case "fnmsub.d": return Fpu.fma64(h, a ^ S64, b, c, rm);
                case "fnmadd.d": return Fpu.fma64(h, a ^ S64, b, c ^ S64, rm);
                case "fmin.d": return Fpu.min64(h, a, b);
                case "fmax.d": return Fpu.max64(h, a, b);
                case "feq.d": return Fpu.eq64(h, a, b);
                case "flt.d": return Fpu.lt64(h, a, b);
                case "fle.d": return Fpu.le64(h, a, b);
                case "fclass.d": return Fpu.class64(a);
                case "fcvt.w.d": return Fpu.toInt64(h, a, rm, 0);
                case "fcvt.wu.d": return Fpu.toInt64(h, a, rm, 1);
                case "fcvt.l.d": return Fpu.toInt64(h, a, rm, 2);
                case "fcvt.lu.d": return Fpu.toInt64(h, a, rm, 3);
                case "fcvt.d.w": return Fpu.fromInt64(h, a, rm, 0);
                case "fcvt.d.wu": return Fpu.fromInt64(h, a, rm, 1);
                case "fcvt.d.l": return Fpu.fromInt64(h, a, rm, 2);
                case "fcvt.d.lu": return Fpu.fromInt64(h, a, rm, 3);
                case "fcvt.s.d": return Fpu.toSingle(h, a, rm);
                case "fadd.s": return Fpu.add32(h, x, y, rm);
                case "fsub.s": return Fpu.sub32(h, x, y, rm);
                case "fmul.s": return Fpu.mul32(h, x, y, rm);
                case "fdiv.s": return Fpu.div32(h, x, y, rm);
                case "fsqrt.s": return Fpu.sqrt32(h, x, rm);
                case "fmadd.s": return Fpu.fma32(h, x, y, z, rm);
                case "fmsub.s": return Fpu.fma32(h, x, y, z ^ S32, rm);
                case "fnmsub.s": return Fpu.fma32(h, x ^ S32, y, z, rm);
                case "fnmadd.s": return Fpu.fma32(h, x ^ S32, y, z ^ S32, rm);
                case "fmin.s": return Fpu.min32(h, x, y);
                case "fmax.s": return Fpu.max32(h, x, y);
                case "feq.s": return Fpu.eq32(h, x, y);
                case "flt.s": return Fpu.lt32(h, x, y);
                case "fle.s": return Fpu.le32(h, x, y);
                case "fclass.s": return Fpu.class32(x);
                case "fcvt.w.s": return Fpu.toInt32(h, x, rm, 0);
                case "fcvt.wu.s": return Fpu.toInt32(h, x, rm, 1);
                case "fcvt.l.s": return Fpu.toInt32(h, x, rm, 2);
                case "fcvt.lu.s": return Fpu.toInt32(h, x, rm, 3);
                case "fcvt.s.w": return Fpu.fromInt32(h, a, rm, 0);
                case "fcvt.s.wu": return Fpu.fromInt32(h, a, rm, 1);
                case "fcvt.s.l": return Fpu.fromInt32(h, a, rm, 2);
                case "fcvt.s.lu": return Fpu.fromInt32(h, a, rm, 3);
                case "fcvt.d.s": return Fpu.toDouble(h, x);
                default: throw new IllegalArgumentException("unknown op " + op);
            }
        }
    }
}
