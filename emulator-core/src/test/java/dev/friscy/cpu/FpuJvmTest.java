package dev.friscy.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link FpuJvm#fma64} (translated code's fused multiply-add, on the host's {@code Math.fma}) against
 * {@link Fpu#fma64} (the interpreter's, checked against qemu by {@link FpuDifferentialTest}) on the
 * operands its fast path decides from lowest set bits: values with few significant bits, where
 * products and sums are often exact and the lowest bits of x*y and z often coincide (carries,
 * cancellation), zero addends, and full-width values near them.
 */
class FpuJvmTest {
    @Test
    void agreesWithTheExactPathOnShortAndFullSignificands() {
        SplittableRandom rnd = new SplittableRandom(20261203);
        Hart h1 = new Hart();
        Hart h2 = new Hart();
        long[] signs = {0, Long.MIN_VALUE};
        for (int i = 0; i < 2_000_000; i++) {
            long a = operand(rnd);
            long b = operand(rnd);
            long c = i % 17 == 0 ? signs[rnd.nextInt(2)] : operand(rnd);
            h1.fflags = 0;
            h2.fflags = 0;
            long want = Fpu.fma64(h1, a, b, c, 0);
            long got = FpuJvm.fma64(h2, a, b, c, 0);
            if (want != got || h1.fflags != h2.fflags) {
                assertEquals(Long.toHexString(want) + " flags " + h1.fflags, Long.toHexString(got) + " flags " + h2.fflags,
                        "fma(" + Long.toHexString(a) + ", " + Long.toHexString(b) + ", " + Long.toHexString(c) + ")");
            }
        }
    }

    /** A double with 1-12 significant bits, or a full-width one, over a modest exponent range. */
    private static long operand(SplittableRandom rnd) {
        double v;
        switch (rnd.nextInt(4)) {
            case 0:
                v = rnd.nextDouble();
                break;
            case 1:
                v = (rnd.nextInt(1 << 12) - 2048) / 256.0;
                break;
            default:
                v = (rnd.nextInt(64) - 32) * Math.scalb(1.0, rnd.nextInt(16) - 8);
                break;
        }
        if (v == 0) {
            v = 1;
        }
        return Double.doubleToRawLongBits(rnd.nextBoolean() ? v : Math.scalb(v, rnd.nextInt(120) - 60));
    }
}
