package dev.friscy.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Hand-computed cases; the exhaustive comparison with qemu is {@link FpuDifferentialTest}. */
class FpuTest {
    private static final int RNE = 0;
    private static final int RTZ = 1;
    private static final int RDN = 2;
    private static final int RUP = 3;
    private static final int RMM = 4;

    private final Hart h = new Hart();

    private static long d(double v) {
        return Double.doubleToRawLongBits(v);
    }

    private static int f(float v) {
        return Float.floatToRawIntBits(v);
    }

    /** Asserts the result bits and exactly the flags raised by this one operation. */
    private void check(long want, int wantFlags, long got) {
        assertEquals(Long.toHexString(want), Long.toHexString(got));
        assertEquals(wantFlags, h.fflags, "fflags");
        h.fflags = 0;
    }

    @Test
    void exactAndInexactSums() {
        check(d(3.0), 0, Fpu.add64(h, d(1.0), d(2.0), RNE));
        // 0.1 + 0.2: the exact sum lies above the midpoint, so RNE rounds up and RTZ down
        check(0x3fd3333333333334L, Fpu.NX, Fpu.add64(h, d(0.1), d(0.2), RNE));
        check(0x3fd3333333333333L, Fpu.NX, Fpu.add64(h, d(0.1), d(0.2), RTZ));
        // x - x is +0, except -0 when rounding down
        check(0, 0, Fpu.sub64(h, d(5.0), d(5.0), RNE));
        check(0x8000000000000000L, 0, Fpu.sub64(h, d(5.0), d(5.0), RDN));
        // 1 + 2^-53 is a tie: RNE keeps 1, RMM and RUP go up
        long tiny = d(Math.scalb(1.0, -53));
        check(d(1.0), Fpu.NX, Fpu.add64(h, d(1.0), tiny, RNE));
        check(0x3ff0000000000001L, Fpu.NX, Fpu.add64(h, d(1.0), tiny, RMM));
        check(0x3ff0000000000001L, Fpu.NX, Fpu.add64(h, d(1.0), tiny, RUP));
    }

    @Test
    void quotientsInEveryMode() {
        check(0x3fd5555555555555L, Fpu.NX, Fpu.div64(h, d(1.0), d(3.0), RNE));
        check(0x3fd5555555555555L, Fpu.NX, Fpu.div64(h, d(1.0), d(3.0), RTZ));
        check(0x3fd5555555555556L, Fpu.NX, Fpu.div64(h, d(1.0), d(3.0), RUP));
        check(0xbfd5555555555556L, Fpu.NX, Fpu.div64(h, d(-1.0), d(3.0), RDN));
        check(0x3eaaaaabL, Fpu.NX, Fpu.div32(h, f(1f), f(3f), RNE));
        check(0x3eaaaaaaL, Fpu.NX, Fpu.div32(h, f(1f), f(3f), RTZ));
        check(d(0.25), 0, Fpu.div64(h, d(1.0), d(4.0), RUP));
    }

    @Test
    void invalidAndDivideByZero() {
        check(0x7ff0000000000000L, Fpu.DZ, Fpu.div64(h, d(1.0), 0, RNE));
        check(0xfff0000000000000L, Fpu.DZ, Fpu.div64(h, d(-1.0), 0, RNE));
        check(Fpu.CANONICAL_NAN64, Fpu.NV, Fpu.div64(h, 0, 0, RNE));
        check(Fpu.CANONICAL_NAN64, Fpu.NV, Fpu.sub64(h, d(Double.POSITIVE_INFINITY), d(Double.POSITIVE_INFINITY), RNE));
        check(Fpu.CANONICAL_NAN64, Fpu.NV, Fpu.sqrt64(h, d(-1.0), RNE));
        check(0x8000000000000000L, 0, Fpu.sqrt64(h, 0x8000000000000000L, RNE));
        check(Fpu.CANONICAL_NAN32, Fpu.NV, Fpu.mul32(h, 0x7f800000, 0, RNE));
        // a quiet NaN operand gives the canonical NaN quietly; a signaling one raises NV
        check(Fpu.CANONICAL_NAN64, 0, Fpu.add64(h, 0xfff8000000000123L, d(1.0), RNE));
        check(Fpu.CANONICAL_NAN64, Fpu.NV, Fpu.add64(h, 0x7ff0000000000001L, d(1.0), RNE));
        check(Fpu.CANONICAL_NAN32, Fpu.NV, Fpu.add32(h, 0x7f800001, f(1f), RNE));
    }

    @Test
    void fusedMultiplyAddRoundsOnce() {
        // (1 + 2^-27)^2 - 1 = 2^-26 + 2^-54 exactly; a separate multiply would lose the 2^-54
        long a = d(1.0 + Math.scalb(1.0, -27));
        check(d(Math.scalb(1.0, -26) + Math.scalb(1.0, -54)), 0, Fpu.fma64(h, a, a, d(-1.0), RNE));
        check(d(Math.scalb(1.0, -26) + Math.scalb(1.0, -54)), 0, Fpu.fma64(h, a, a, d(-1.0), RTZ));
        int b = f(1f + Math.scalb(1f, -12));
        check(f(Math.scalb(1f, -11) + Math.scalb(1f, -24)), 0, Fpu.fma32(h, b, b, f(-1f), RNE));
        // 1 * 1 + 2^-53 is a tie, resolved once
        check(d(1.0), Fpu.NX, Fpu.fma64(h, d(1.0), d(1.0), d(Math.scalb(1.0, -53)), RNE));
        check(0x3ff0000000000001L, Fpu.NX, Fpu.fma64(h, d(1.0), d(1.0), d(Math.scalb(1.0, -53)), RUP));
        // inf * 0 + qNaN is invalid on RISC-V
        check(Fpu.CANONICAL_NAN64, Fpu.NV, Fpu.fma64(h, d(Double.POSITIVE_INFINITY), 0, Fpu.CANONICAL_NAN64, RNE));
        check(Fpu.CANONICAL_NAN32, Fpu.NV, Fpu.fma32(h, 0, 0xff800000, Fpu.CANONICAL_NAN32, RNE));
        // inf + -inf from the product and the addend
        check(Fpu.CANONICAL_NAN64, Fpu.NV,
                Fpu.fma64(h, d(Double.POSITIVE_INFINITY), d(1.0), d(Double.NEGATIVE_INFINITY), RNE));
    }

    @Test
    void underflowIsDetectedAfterRounding() {
        // MIN_NORMAL * (1 - 2^-53): tiny even after rounding to 53 bits, and inexact as a
        // subnormal (a tie that RNE resolves up to MIN_NORMAL)
        long oneMinus = 0x3fefffffffffffffL;
        check(0x0010000000000000L, Fpu.UF | Fpu.NX, Fpu.mul64(h, 0x0010000000000000L, oneMinus, RNE));
        check(0x000fffffffffffffL, Fpu.UF | Fpu.NX, Fpu.mul64(h, 0x0010000000000000L, oneMinus, RTZ));
        // an exact subnormal result raises nothing
        check(0x0008000000000000L, 0, Fpu.mul64(h, 0x0010000000000000L, d(0.5), RNE));
        // least subnormal halved: a tie between 0 and 2^-1074
        check(0, Fpu.UF | Fpu.NX, Fpu.mul64(h, 1, d(0.5), RNE));
        check(1, Fpu.UF | Fpu.NX, Fpu.mul64(h, 1, d(0.5), RMM));
    }

    @Test
    void overflowDependsOnRoundingDirection() {
        long max = 0x7fefffffffffffffL;
        check(0x7ff0000000000000L, Fpu.OF | Fpu.NX, Fpu.mul64(h, max, d(2.0), RNE));
        check(max, Fpu.OF | Fpu.NX, Fpu.mul64(h, max, d(2.0), RTZ));
        check(max, Fpu.OF | Fpu.NX, Fpu.mul64(h, max, d(2.0), RDN));
        check(0xfff0000000000000L, Fpu.OF | Fpu.NX, Fpu.mul64(h, max, d(-2.0), RDN));
        check(0xffefffffffffffffL, Fpu.OF | Fpu.NX, Fpu.mul64(h, max, d(-2.0), RUP));
        check(0x7f800000L, Fpu.OF | Fpu.NX, Fpu.toSingle(h, d(1e39), RNE));
    }

    @Test
    void conversionsToIntegerSaturate() {
        check(0x7fffffffL, Fpu.NV, Fpu.toInt64(h, Fpu.CANONICAL_NAN64, RTZ, 0));
        check(0xffffffff80000000L, Fpu.NV, Fpu.toInt64(h, d(Double.NEGATIVE_INFINITY), RTZ, 0));
        check(0xffffffff80000000L, 0, Fpu.toInt64(h, d(-2147483648.0), RTZ, 0));
        check(0xffffffff80000000L, Fpu.NV, Fpu.toInt64(h, d(-2147483649.0), RTZ, 0));
        check(0x7fffffffL, Fpu.NX, Fpu.toInt64(h, d(2147483647.5), RTZ, 0));
        check(0x7fffffffL, Fpu.NV, Fpu.toInt64(h, d(2147483647.5), RNE, 0));
        // fcvt.wu.d writes its 32-bit result sign-extended
        check(0xffffffffb2d05e00L, 0, Fpu.toInt64(h, d(3e9), RNE, 1));
        check(-1L, Fpu.NV, Fpu.toInt64(h, Fpu.CANONICAL_NAN64, RNE, 1));
        // negative to unsigned: invalid unless it rounds to zero
        check(0, Fpu.NV, Fpu.toInt64(h, d(-1.0), RTZ, 3));
        check(0, Fpu.NX, Fpu.toInt64(h, d(-0.5), RTZ, 3));
        check(0, Fpu.NV, Fpu.toInt64(h, d(-0.5), RDN, 3));
        // ties
        check(2, Fpu.NX, Fpu.toInt64(h, d(2.5), RNE, 2));
        check(3, Fpu.NX, Fpu.toInt64(h, d(2.5), RMM, 2));
        check(-3, Fpu.NX, Fpu.toInt64(h, d(-2.5), RMM, 2));
        check(-3, Fpu.NX, Fpu.toInt64(h, d(-2.5), RDN, 2));
        check(Long.MIN_VALUE, 0, Fpu.toInt64(h, d(-9.223372036854775808E18), RNE, 2));
        check(Long.MAX_VALUE, Fpu.NV, Fpu.toInt64(h, d(9.223372036854775808E18), RNE, 2));
        check(0x8000000000000000L, 0, Fpu.toInt64(h, d(9.223372036854775808E18), RNE, 3));
        check(-1L, Fpu.NV, Fpu.toInt64(h, d(1.8446744073709552E19), RNE, 3));
        check(1, Fpu.NX, Fpu.toInt32(h, 1, RUP, 0)); // least subnormal rounds up to 1
    }

    @Test
    void conversionsFromInteger() {
        check(d(-1.0), 0, Fpu.fromInt64(h, 0x12345678ffffffffL, RNE, 0)); // only bits 31..0 count
        check(d(4294967295.0), 0, Fpu.fromInt64(h, -1L, RNE, 1));
        check(0x43f0000000000000L, Fpu.NX, Fpu.fromInt64(h, -1L, RNE, 3)); // 2^64 - 1 -> 2^64
        check(0x43efffffffffffffL, Fpu.NX, Fpu.fromInt64(h, -1L, RTZ, 3));
        check(0xc3e0000000000000L, 0, Fpu.fromInt64(h, Long.MIN_VALUE, RNE, 2));
        check(0x43e0000000000000L, Fpu.NX, Fpu.fromInt64(h, Long.MAX_VALUE, RNE, 2)); // rounds to 2^63
        check(0x5f000000L, Fpu.NX, Fpu.fromInt32(h, Long.MAX_VALUE, RNE, 2) & 0xffffffffL);
        // 2^24 + 1 is a tie in binary32
        check(0x4b800000L, Fpu.NX, Fpu.fromInt32(h, (1 << 24) + 1, RNE, 0) & 0xffffffffL);
        check(0x4b800001L, Fpu.NX, Fpu.fromInt32(h, (1 << 24) + 1, RUP, 0) & 0xffffffffL);
        check(0, 0, Fpu.fromInt32(h, 0, RDN, 2));
    }

    @Test
    void minMaxCompareAndClass() {
        long pz = 0;
        long nz = 0x8000000000000000L;
        check(nz, 0, Fpu.min64(h, pz, nz));
        check(pz, 0, Fpu.max64(h, nz, pz));
        check(d(1.0), 0, Fpu.max64(h, Fpu.CANONICAL_NAN64, d(1.0)));
        check(d(1.0), Fpu.NV, Fpu.min64(h, d(1.0), 0x7ff0000000000001L));
        check(Fpu.CANONICAL_NAN64, 0, Fpu.min64(h, 0x7ff8000000000001L, 0xfff8000000000000L));
        check(1, 0, Fpu.eq64(h, pz, nz));
        check(0, 0, Fpu.lt64(h, nz, pz));
        check(1, 0, Fpu.le64(h, nz, pz));
        check(0, 0, Fpu.eq64(h, Fpu.CANONICAL_NAN64, d(1.0)));   // feq is quiet
        check(0, Fpu.NV, Fpu.eq64(h, 0x7ff0000000000001L, d(1.0)));
        check(0, Fpu.NV, Fpu.lt64(h, Fpu.CANONICAL_NAN64, d(1.0))); // flt signals
        check(0, Fpu.NV, Fpu.le32(h, Fpu.CANONICAL_NAN32, f(1f)));
        check(1 << 0, 0, Fpu.class64(0xfff0000000000000L));
        check(1 << 2, 0, Fpu.class64(0x8000000000000001L));
        check(1 << 3, 0, Fpu.class64(nz));
        check(1 << 6, 0, Fpu.class64(d(1.0)));
        check(1 << 8, 0, Fpu.class64(0x7ff0000000000001L));
        check(1 << 9, 0, Fpu.class64(Fpu.CANONICAL_NAN64));
        check(1 << 5, 0, Fpu.class32(1));
    }

    @Test
    void precisionConversions() {
        check(d(1.5), 0, Fpu.toDouble(h, f(1.5f)));
        check(Fpu.CANONICAL_NAN64, Fpu.NV, Fpu.toDouble(h, 0x7f800001));
        check(0x3dcccccdL, Fpu.NX, Fpu.toSingle(h, d(0.1), RNE) & 0xffffffffL);
        check(0x3dccccccL, Fpu.NX, Fpu.toSingle(h, d(0.1), RTZ) & 0xffffffffL);
        check(Fpu.CANONICAL_NAN32, Fpu.NV, Fpu.toSingle(h, 0xfff0000000000001L, RNE));
        // 2^-150 is half the least binary32 subnormal
        check(0, Fpu.UF | Fpu.NX, Fpu.toSingle(h, d(Math.scalb(1.0, -150)), RNE));
        check(1, Fpu.UF | Fpu.NX, Fpu.toSingle(h, d(Math.scalb(1.0, -150)), RUP));
    }

    @Test
    void squareRoots() {
        check(0x3ff6a09e667f3bcdL, Fpu.NX, Fpu.sqrt64(h, d(2.0), RNE));
        check(0x3ff6a09e667f3bccL, Fpu.NX, Fpu.sqrt64(h, d(2.0), RTZ));
        check(0x3ff6a09e667f3bcdL, Fpu.NX, Fpu.sqrt64(h, d(2.0), RUP));
        check(d(3.0), 0, Fpu.sqrt64(h, d(9.0), RDN));
        check(f(3f) & 0xffffffffL, 0, Fpu.sqrt32(h, f(9f), RUP) & 0xffffffffL);
        check(0x1e60000000000000L, 0, Fpu.sqrt64(h, 1, RNE)); // sqrt(2^-1074) = 2^-537
    }
}
