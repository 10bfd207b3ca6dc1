package dev.friscy.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** F/D arithmetic through the interpreter: operand routing, rounding-mode fields, flags, boxing. */
class CpuFpArithTest {
    private static final long BOX = 0xffffffff00000000L;
    private static final int RNE = 0, RTZ = 1, RDN = 2, RUP = 3, DYN = 7;

    private static long d(double v) {
        return Double.doubleToRawLongBits(v);
    }

    private static long s(float v) {
        return BOX | (Float.floatToRawIntBits(v) & 0xffffffffL);
    }

    /** Runs one instruction with f1, f2, f3 and x5 set; the rd is f4 or x7. */
    private static Machine run(int inst, long f1, long f2, long f3, long x5, int frm) {
        Machine m = new Machine();
        m.h.f[1] = f1;
        m.h.f[2] = f2;
        m.h.f[3] = f3;
        m.h.x[5] = x5;
        m.h.frm = frm;
        m.load(new Asm().w32(inst).ecall()).runToEcall();
        return m;
    }

    private static int op(int f7, int rm, int rd, int rs1, int rs2) {
        return Asm.r(0x53, rm, f7, rd, rs1, rs2);
    }

    @Test
    void doubleArithmetic() {
        assertEquals(d(3.0), run(op(0x01, RNE, 4, 1, 2), d(1), d(2), 0, 0, 0).h.f[4]); // fadd.d
        assertEquals(d(-1.0), run(op(0x05, RNE, 4, 1, 2), d(1), d(2), 0, 0, 0).h.f[4]); // fsub.d
        assertEquals(d(6.0), run(op(0x09, RNE, 4, 1, 2), d(2), d(3), 0, 0, 0).h.f[4]); // fmul.d
        Machine m = run(op(0x0d, RNE, 4, 1, 2), d(1), d(3), 0, 0, 0); // fdiv.d 1/3
        assertEquals(d(1.0 / 3.0), m.h.f[4]);
        assertEquals(Fpu.NX, m.h.fflags);
        // rounding direction reaches the FPU: 1/3 rounded up differs from rounded down by one ulp
        long up = run(op(0x0d, RUP, 4, 1, 2), d(1), d(3), 0, 0, 0).h.f[4];
        long down = run(op(0x0d, RDN, 4, 1, 2), d(1), d(3), 0, 0, 0).h.f[4];
        assertEquals(1, up - down);
        assertEquals(up, run(op(0x0d, DYN, 4, 1, 2), d(1), d(3), 0, 0, RUP).h.f[4]);
        assertEquals(down, run(op(0x0d, DYN, 4, 1, 2), d(1), d(3), 0, 0, RTZ).h.f[4]);
        m = run(op(0x2d, RNE, 4, 1, 0), d(-1), 0, 0, 0, 0); // fsqrt.d(-1)
        assertEquals(Fpu.CANONICAL_NAN64, m.h.f[4]);
        assertEquals(Fpu.NV, m.h.fflags);
        m = run(op(0x0d, RNE, 4, 1, 2), d(1), d(0), 0, 0, 0); // 1/0
        assertEquals(d(Double.POSITIVE_INFINITY), m.h.f[4]);
        assertEquals(Fpu.DZ, m.h.fflags);
    }

    @Test
    void fusedMultiplyAdd() {
        int rs3 = 3 << 27;
        // fmadd.d f4 = f1*f2 + f3
        assertEquals(d(7.0), run(Asm.r(0x43, RNE, 0x01, 4, 1, 2) | rs3, d(2), d(3), d(1), 0, 0).h.f[4]);
        // fmsub.d = f1*f2 - f3
        assertEquals(d(5.0), run(Asm.r(0x47, RNE, 0x01, 4, 1, 2) | rs3, d(2), d(3), d(1), 0, 0).h.f[4]);
        // fnmsub.d = -(f1*f2) + f3
        assertEquals(d(-5.0), run(Asm.r(0x4b, RNE, 0x01, 4, 1, 2) | rs3, d(2), d(3), d(1), 0, 0).h.f[4]);
        // fnmadd.d = -(f1*f2) - f3
        assertEquals(d(-7.0), run(Asm.r(0x4f, RNE, 0x01, 4, 1, 2) | rs3, d(2), d(3), d(1), 0, 0).h.f[4]);
        // fmadd.s
        assertEquals(s(7.0f), run(Asm.r(0x43, RNE, 0x00, 4, 1, 2) | rs3, s(2), s(3), s(1), 0, 0).h.f[4]);
        // single-rounding: (1+2^-52)*(1-2^-52) - 1 = -2^-104 exactly, only visible with a fused op
        double a = 1 + Math.ulp(1.0);
        double b = 1 - Math.ulp(1.0);
        assertEquals(d(-Math.pow(2, -104)), run(Asm.r(0x43, RNE, 0x01, 4, 1, 2) | rs3, d(a), d(b), d(-1), 0, 0).h.f[4]);
    }

    @Test
    void singleResultsAreBoxedAndUnboxedOperandsAreNaN() {
        assertEquals(s(3.5f), run(op(0x00, RNE, 4, 1, 2), s(1.25f), s(2.25f), 0, 0, 0).h.f[4]); // fadd.s
        // an operand without the box is the canonical NaN: the sum is the canonical NaN, boxed
        assertEquals(BOX | Fpu.CANONICAL_NAN32, run(op(0x00, RNE, 4, 1, 2), 0x3f800000L, s(1), 0, 0, 0).h.f[4]);
    }

    @Test
    void comparesAndClassify() {
        assertEquals(1, run(op(0x51, 2, 7, 1, 2), d(1), d(1), 0, 0, 0).x(7)); // feq.d
        assertEquals(1, run(op(0x51, 1, 7, 1, 2), d(1), d(2), 0, 0, 0).x(7)); // flt.d
        assertEquals(0, run(op(0x51, 0, 7, 1, 2), d(3), d(2), 0, 0, 0).x(7)); // fle.d
        Machine m = run(op(0x51, 2, 7, 1, 2), d(Double.NaN), d(1), 0, 0, 0); // feq quiet NaN: no flag
        assertEquals(0, m.x(7));
        assertEquals(0, m.h.fflags);
        m = run(op(0x51, 1, 7, 1, 2), d(Double.NaN), d(1), 0, 0, 0); // flt NaN: invalid
        assertEquals(Fpu.NV, m.h.fflags);
        assertEquals(1 << 0, run(op(0x71, 1, 7, 1, 0), d(Double.NEGATIVE_INFINITY), 0, 0, 0, 0).x(7)); // fclass.d
        assertEquals(1 << 9, run(op(0x70, 1, 7, 1, 0), s(Float.NaN), 0, 0, 0, 0).x(7)); // fclass.s qNaN
        assertEquals(1 << 9, run(op(0x70, 1, 7, 1, 0), 0x3f800000L, 0, 0, 0, 0).x(7)); // unboxed -> qNaN
    }

    @Test
    void conversions() {
        // fcvt.w.d rtz of -2.7 = -2; rdn = -3
        assertEquals(-2, run(op(0x61, RTZ, 7, 1, 0), d(-2.7), 0, 0, 0, 0).x(7));
        assertEquals(-3, run(op(0x61, RDN, 7, 1, 0), d(-2.7), 0, 0, 0, 0).x(7));
        // fcvt.wu.d of -1 saturates at 0 with NV; fcvt.w.d of NaN = INT_MAX
        Machine m = run(op(0x61, RTZ, 7, 1, 1), d(-1), 0, 0, 0, 0);
        assertEquals(0, m.x(7));
        assertEquals(Fpu.NV, m.h.fflags);
        assertEquals(Integer.MAX_VALUE, run(op(0x61, RTZ, 7, 1, 0), d(Double.NaN), 0, 0, 0, 0).x(7));
        // fcvt.wu.s result is sign-extended from 32 bits
        assertEquals(0xffffffff80000000L, run(op(0x60, RTZ, 7, 1, 1), s(2147483648f), 0, 0, 0, 0).x(7));
        // fcvt.l.d / fcvt.lu.d
        assertEquals(-123456789012L, run(op(0x61, RTZ, 7, 1, 2), d(-123456789012.9), 0, 0, 0, 0).x(7));
        assertEquals(-1L, run(op(0x61, RTZ, 7, 1, 3), d(1.8446744073709552E19), 0, 0, 0, 0).x(7)); // saturates
        // fcvt.d.l, fcvt.d.lu, fcvt.s.w
        assertEquals(d(-5), run(op(0x69, RNE, 4, 5, 2), 0, 0, 0, -5, 0).h.f[4]);
        assertEquals(d(1.8446744073709552E19), run(op(0x69, RNE, 4, 5, 3), 0, 0, 0, -1, 0).h.f[4]);
        assertEquals(s(-7f), run(op(0x68, RNE, 4, 5, 0), 0, 0, 0, -7, 0).h.f[4]);
        // fcvt.s.d and fcvt.d.s
        assertEquals(s(0.1f), run(op(0x20, RNE, 4, 1, 1), d(0.1), 0, 0, 0, 0).h.f[4]);
        assertEquals(d(0.1f), run(op(0x21, RNE, 4, 1, 0), s(0.1f), 0, 0, 0, 0).h.f[4]);
        // min/max
        assertEquals(d(-1), run(op(0x15, 0, 4, 1, 2), d(-1), d(2), 0, 0, 0).h.f[4]);
        assertEquals(d(2), run(op(0x15, 1, 4, 1, 2), d(Double.NaN), d(2), 0, 0, 0).h.f[4]);
    }
}
