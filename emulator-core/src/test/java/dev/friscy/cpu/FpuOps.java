package dev.friscy.cpu;

/**
 * Maps a RISC-V F/D mnemonic and its operands to the {@link Fpu} call the interpreter makes for
 * it, including the sign flips that express fmsub/fnmadd/fnmsub through {@link Fpu#fma64}.
 */
final class FpuOps {
    private static final long S64 = 0x8000000000000000L;
    private static final int S32 = 0x80000000;

    private FpuOps() {
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
