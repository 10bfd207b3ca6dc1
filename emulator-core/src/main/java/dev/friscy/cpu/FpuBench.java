package dev.friscy.cpu;

import java.util.Arrays;
import java.util.Locale;

/**
 * Micro-benchmark of the FPU entry points the interpreter (and translated code) call per
 * instruction: each operation's {@link Fpu} entry in round-to-nearest-even (the host fast path),
 * the exact integer path {@link SoftFloat} on the same operands, and the bare Java operation as
 * the floor. Operands are the values compiled numeric code sees: normal, mixed signs, full
 * significands. Prints nanoseconds per operation (medians of several rounds, in one JVM, so the
 * ratios hold on a noisy machine).
 * Run: {@code ./friscy bench fpu}, or {@code java -cp emulator-core/target/classes dev.friscy.cpu.FpuBench [rounds]}.
 */
public final class FpuBench {
    private static final int N = 4096;
    private static final int REPS = 400;
    private static final int WARM = 3;

    private FpuBench() {
    }

    private static final String[] NAMES = {
        "fadd.d", "fmul.d", "fdiv.d", "fsqrt.d", "fmadd.d", "fadd.s", "fmul.s", "fdiv.s", "fsqrt.s", "fmadd.s",
        "fcvt.l.d", "fcvt.d.l", "fcvt.s.d", "flt.d", "fmin.d", "fmadd.d/jvm",
    };

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        long[] a = new long[N];
        long[] b = new long[N];
        long[] c = new long[N];
        int[] fa = new int[N];
        int[] fb = new int[N];
        int[] fc = new int[N];
        long seed = 0x9e3779b97f4a7c15L;
        for (int i = 0; i < N; i++) {
            double[] v = new double[3];
            for (int k = 0; k < 3; k++) {
                seed ^= seed << 13;
                seed ^= seed >>> 7;
                seed ^= seed << 17;
                // significand from the generator, exponent in [-8, 8), random sign
                v[k] = Math.scalb(1.0 + (seed >>> 12) * 0x1p-52, (int) (seed & 15) - 8) * ((seed & 16) != 0 ? -1 : 1);
            }
            a[i] = Double.doubleToRawLongBits(v[0]);
            b[i] = Double.doubleToRawLongBits(v[1]);
            c[i] = Double.doubleToRawLongBits(v[2]);
            fa[i] = Float.floatToRawIntBits((float) v[0]);
            fb[i] = Float.floatToRawIntBits((float) v[1]);
            fc[i] = Float.floatToRawIntBits((float) v[2]);
        }
        double[][] t = new double[NAMES.length * 3][rounds];
        long sink = 0;
        for (int r = -WARM; r < rounds; r++) { // the first rounds let the JIT compile everything
            for (int op = 0; op < NAMES.length; op++) {
                for (int way = 0; way < 3; way++) {
                    long t0 = System.nanoTime();
                    for (int rep = 0; rep < REPS; rep++) {
                        sink += run(op, way, a, b, c, fa, fb, fc);
                    }
                    if (r >= 0) {
                        t[op * 3 + way][r] = (System.nanoTime() - t0) / (double) REPS / N;
                    }
                }
            }
        }
        System.out.println("FPU entry points, ns per operation (medians of " + rounds + " rounds; RNE)");
        System.out.println("  op           Fpu (fast)   SoftFloat   Java op   soft/fast");
        for (int op = 0; op < NAMES.length; op++) {
            double fast = median(t[op * 3]);
            double soft = median(t[op * 3 + 1]);
            double host = median(t[op * 3 + 2]);
            System.out.printf(Locale.ROOT, "  %-11s %9.2f %11.2f %9.2f %9.1fx%n", NAMES[op], fast, soft, host,
                    soft / fast);
        }
        System.out.println("  (checksum " + Long.toHexString(sink) + ")");
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }

    private static double d(long v) {
        return Double.longBitsToDouble(v);
    }

    private static float f(int v) {
        return Float.intBitsToFloat(v);
    }

    private static long bits(double v) {
        return Double.doubleToRawLongBits(v);
    }

    private static long bits(float v) {
        return Float.floatToRawIntBits(v);
    }

    /** One pass of operation {@code op} over the operands: way 0 = Fpu, 1 = SoftFloat, 2 = Java. */
    private static long run(int op, int way, long[] a, long[] b, long[] c, int[] fa, int[] fb, int[] fc) {
        // one small method per operation, so each is compiled (and its callee inlined) on its own
        Hart h = new Hart();
        long s;
        switch (op) {
            case 0: s = op0(h, way, a, b, c, fa, fb, fc); break;
            case 1: s = op1(h, way, a, b, c, fa, fb, fc); break;
            case 2: s = op2(h, way, a, b, c, fa, fb, fc); break;
            case 3: s = op3(h, way, a, b, c, fa, fb, fc); break;
            case 4: s = op4(h, way, a, b, c, fa, fb, fc); break;
            case 5: s = op5(h, way, a, b, c, fa, fb, fc); break;
            case 6: s = op6(h, way, a, b, c, fa, fb, fc); break;
            case 7: s = op7(h, way, a, b, c, fa, fb, fc); break;
            case 8: s = op8(h, way, a, b, c, fa, fb, fc); break;
            case 9: s = op9(h, way, a, b, c, fa, fb, fc); break;
            case 10: s = op10(h, way, a, b, c, fa, fb, fc); break;
            case 11: s = op11(h, way, a, b, c, fa, fb, fc); break;
            case 12: s = op12(h, way, a, b, c, fa, fb, fc); break;
            case 13: s = op13(h, way, a, b, c, fa, fb, fc); break;
            case 14: s = op14(h, way, a, b, c, fa, fb, fc); break;
            default: s = op15(h, way, a, b, c, fa, fb, fc); break;
        }
        return s + h.fflags;
    }

    private static long op0(Hart h, int way, long[] a, long[] b, long[] c, int[] fa, int[] fb, int[] fc) {
        long s = 0;
        if (way == 0) {
            for (int i = 0; i < N; i++) { s += Fpu.add64(h, a[i], b[i], 0); }
        } else if (way == 1) {
            for (int i = 0; i < N; i++) { s += SoftFloat.add(h, a[i], b[i], 0, true); }
        } else {
            for (int i = 0; i < N; i++) { s += bits(d(a[i]) + d(b[i])); }
        }
        return s;
    }

    private static long op1(Hart h, int way, long[] a, long[] b, long[] c, int[] fa, int[] fb, int[] fc) {
        long s = 0;
        if (way == 0) {
            for (int i = 0; i < N; i++) { s += Fpu.mul64(h, a[i], b[i], 0); }
        } else if (way == 1) {
            for (int i = 0; i < N; i++) { s += SoftFloat.mul(h, a[i], b[i], 0, true); }
        } else {
            for (int i = 0; i < N; i++) { s += bits(d(a[i]) * d(b[i])); }
        }
        return s;
    }

    private static long op2(Hart h, int way, long[] a, long[] b, long[] c, int[] fa, int[] fb, int[] fc) {
        long s = 0;
        if (way == 0) {
            for (int i = 0; i < N; i++) { s += Fpu.div64(h, a[i], b[i], 0); }
        } else if (way == 1) {
            for (int i = 0; i < N; i++) { s += SoftFloat.div(h, a[i], b[i], 0, true); }
        } else {
            for (int i = 0; i < N; i++) { s += bits(d(a[i]) / d(b[i])); }
        }
        return s;
    }

    private static long op3(Hart h, int way, long[] a, long[] b, long[] c, int[] fa, int[] fb, int[] fc) {
        long s = 0;
        if (way == 0) {
            for (int i = 0; i < N; i++) { s += Fpu.sqrt64(h, a[i] & Long.MAX_VALUE, 0); }
        } else if (way == 1) {
            for (int i = 0; i < N; i++) { s += SoftFloat.sqrt(h, a[i] & Long.MAX_VALUE, 0, true); }
        } else {
            for (int i = 0; i < N; i++) { s += bits(Math.sqrt(Math.abs(d(a[i])))); }
        }
        return s;
    }

    private static long op4(Hart h, int way, long[] a, long[] b, long[] c, int[] fa, int[] fb, int[] fc) {
        long s = 0;
        if (way == 0) {
            for (int i = 0; i < N; i++) { s += Fpu.fma64(h, a[i], b[i], c[i], 0); }
        } else if (way == 1) {
            for (int i = 0; i < N; i++) { s += SoftFloat.fma(h, a[i], b[i], c[i], 0, true); }
        } else {
            for (int i = 0; i < N; i++) { s += bits(d(a[i]) * d(b[i]) + d(c[i])); }
        }
        return s;
    }

    private static long op5(Hart h, int way, long[] a, long[] b, long[] c, int[] fa, int[] fb, int[] fc) {
        long s = 0;
        if (way == 0) {
            for (int i = 0; i < N; i++) { s += Fpu.add32(h, fa[i], fb[i], 0); }
        } else if (way == 1) {
            for (int i = 0; i < N; i++) { s += SoftFloat.add(h, SoftFloat.widen(fa[i]), SoftFloat.widen(fb[i]), 0, false); }
        } else {
            for (int i = 0; i < N; i++) { s += bits(f(fa[i]) + f(fb[i])); }
        }
        return s;
    }

    private static long op6(Hart h, int way, long[] a, long[] b, long[] c, int[] fa, int[] fb, int[] fc) {
        long s = 0;
        if (way == 0) {
            for (int i = 0; i < N; i++) { s += Fpu.mul32(h, fa[i], fb[i], 0); }
        } else if (way == 1) {
            for (int i = 0; i < N; i++) { s += SoftFloat.mul(h, SoftFloat.widen(fa[i]), SoftFloat.widen(fb[i]), 0, false); }
        } else {
            for (int i = 0; i < N; i++) { s += bits(f(fa[i]) * f(fb[i])); }
        }
        return s;
    }

    private static long op7(Hart h, int way, long[] a, long[] b, long[] c, int[] fa, int[] fb, int[] fc) {
        long s = 0;
        if (way == 0) {
            for (int i = 0; i < N; i++) { s += Fpu.div32(h, fa[i], fb[i], 0); }
        } else if (way == 1) {
            for (int i = 0; i < N; i++) { s += SoftFloat.div(h, SoftFloat.widen(fa[i]), SoftFloat.widen(fb[i]), 0, false); }
        } else {
            for (int i = 0; i < N; i++) { s += bits(f(fa[i]) / f(fb[i])); }
        }
        return s;
    }

    private static long op8(Hart h, int way, long[] a, long[] b, long[] c, int[] fa, int[] fb, int[] fc) {
        long s = 0;
        if (way == 0) {
            for (int i = 0; i < N; i++) { s += Fpu.sqrt32(h, fa[i] & Integer.MAX_VALUE, 0); }
        } else if (way == 1) {
            for (int i = 0; i < N; i++) { s += SoftFloat.sqrt(h, SoftFloat.widen(fa[i] & Integer.MAX_VALUE), 0, false); }
        } else {
            for (int i = 0; i < N; i++) { s += bits((float) Math.sqrt(Math.abs(f(fa[i])))); }
        }
        return s;
    }

    private static long op9(Hart h, int way, long[] a, long[] b, long[] c, int[] fa, int[] fb, int[] fc) {
        long s = 0;
        if (way == 0) {
            for (int i = 0; i < N; i++) { s += Fpu.fma32(h, fa[i], fb[i], fc[i], 0); }
        } else if (way == 1) {
            for (int i = 0; i < N; i++) { s += SoftFloat.fma(h, SoftFloat.widen(fa[i]), SoftFloat.widen(fb[i]), SoftFloat.widen(fc[i]), 0, false); }
        } else {
            for (int i = 0; i < N; i++) { s += bits(f(fa[i]) * f(fb[i]) + f(fc[i])); }
        }
        return s;
    }

    private static long op10(Hart h, int way, long[] a, long[] b, long[] c, int[] fa, int[] fb, int[] fc) {
        long s = 0;
        if (way == 0) {
            for (int i = 0; i < N; i++) { s += Fpu.toInt64(h, a[i] + (40L << 52), 0, 2); }
        } else if (way == 1) {
            for (int i = 0; i < N; i++) { s += SoftFloat.toInt(h, a[i] + (40L << 52), 0, 2); }
        } else {
            for (int i = 0; i < N; i++) { s += (long) d(a[i] + (40L << 52)); }
        }
        return s;
    }

    private static long op11(Hart h, int way, long[] a, long[] b, long[] c, int[] fa, int[] fb, int[] fc) {
        long s = 0;
        if (way == 0) {
            for (int i = 0; i < N; i++) { s += Fpu.fromInt64(h, a[i], 0, 2); }
        } else if (way == 1) {
            for (int i = 0; i < N; i++) { s += SoftFloat.fromInt(h, a[i], 0, 2, true); }
        } else {
            for (int i = 0; i < N; i++) { s += bits((double) a[i]); }
        }
        return s;
    }

    private static long op12(Hart h, int way, long[] a, long[] b, long[] c, int[] fa, int[] fb, int[] fc) {
        long s = 0;
        if (way == 0) {
            for (int i = 0; i < N; i++) { s += Fpu.toSingle(h, a[i], 0); }
        } else if (way == 1) {
            for (int i = 0; i < N; i++) { s += SoftFloat.narrow(h, a[i], 0); }
        } else {
            for (int i = 0; i < N; i++) { s += bits((float) d(a[i])); }
        }
        return s;
    }

    private static long op13(Hart h, int way, long[] a, long[] b, long[] c, int[] fa, int[] fb, int[] fc) {
        long s = 0;
        if (way == 0) {
            for (int i = 0; i < N; i++) { s += Fpu.lt64(h, a[i], b[i]); }
        } else if (way == 1) {  // no soft variant
            for (int i = 0; i < N; i++) { s += Fpu.lt64(h, a[i], b[i]); }
        } else {
            for (int i = 0; i < N; i++) { s += d(a[i]) < d(b[i]) ? 1 : 0; }
        }
        return s;
    }

    private static long op14(Hart h, int way, long[] a, long[] b, long[] c, int[] fa, int[] fb, int[] fc) {
        long s = 0;
        if (way == 0) {
            for (int i = 0; i < N; i++) { s += Fpu.min64(h, a[i], b[i]); }
        } else if (way == 1) {  // no soft variant
            for (int i = 0; i < N; i++) { s += Fpu.min64(h, a[i], b[i]); }
        } else {
            for (int i = 0; i < N; i++) { s += bits(Math.min(d(a[i]), d(b[i]))); }
        }
        return s;
    }

    /** fmadd.d/jvm: {@link FpuJvm#fma64} (Math.fma; translated code on the JVM), and Math.fma bare. */
    private static long op15(Hart h, int way, long[] a, long[] b, long[] c, int[] fa, int[] fb, int[] fc) {
        long s = 0;
        if (way == 0) {
            for (int i = 0; i < N; i++) { s += FpuJvm.fma64(h, a[i], b[i], c[i], 0); }
        } else if (way == 1) {
            for (int i = 0; i < N; i++) { s += SoftFloat.fma(h, a[i], b[i], c[i], 0, true); }
        } else {
            for (int i = 0; i < N; i++) { s += bits(Math.fma(d(a[i]), d(b[i]), d(c[i]))); }
        }
        return s;
    }
}
