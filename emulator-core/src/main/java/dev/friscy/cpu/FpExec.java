package dev.friscy.cpu;

/**
 * The F and D instructions other than loads and stores: operand fetch with NaN-boxing,
 * rounding-mode resolution, and the moves and sign injections that need no arithmetic.
 * Arithmetic, compares, classification and conversions are {@link Fpu}'s.
 *
 * These run outside the hot loop from the raw instruction bits (kept as the decoded
 * immediate). {@link #valid} / {@link #validFma} reject at decode time every encoding
 * that is illegal whatever the dynamic rounding mode; a dynamic mode that turns out to
 * be reserved is caught at execution.
 */
final class FpExec {
    private FpExec() {
    }

    static final long BOX = 0xffffffff00000000L;

    /** A single-precision operand: the low half if properly NaN-boxed, else the canonical NaN. */
    static int unbox(long v) {
        return (v >>> 32) == 0xffffffffL ? (int) v : Fpu.CANONICAL_NAN32;
    }

    static long box(int v) {
        return BOX | (v & 0xffffffffL);
    }

    private static boolean rmOk(int rm) {
        return rm != 5 && rm != 6;
    }

    /** Static legality of an OP-FP (0x53) instruction. */
    static boolean valid(int inst) {
        int f7 = inst >>> 25;
        int fmt = f7 & 3;
        int f5 = f7 >>> 2;
        int rm = (inst >>> 12) & 7;
        int rs2 = (inst >>> 20) & 31;
        if (fmt > 1) {
            return false;
        }
        switch (f5) {
            case 0x00: case 0x01: case 0x02: case 0x03:
                return rmOk(rm);
            case 0x0b:
                return rs2 == 0 && rmOk(rm);
            case 0x04:
                return rm <= 2;
            case 0x05:
                return rm <= 1;
            case 0x08:
                return (fmt == 0 ? rs2 == 1 : rs2 == 0) && rmOk(rm);
            case 0x14:
                return rm <= 2;
            case 0x18: case 0x1a:
                return rs2 <= 3 && rmOk(rm);
            case 0x1c:
                return rs2 == 0 && rm <= 1;
            case 0x1e:
                return rs2 == 0 && rm == 0;
            default:
                return false;
        }
    }

    static boolean validFma(int inst) {
        return ((inst >>> 25) & 3) <= 1 && rmOk((inst >>> 12) & 7);
    }

    /** The rounding mode to use, or -1 if the dynamic one is reserved (illegal instruction). */
    private static int resolve(Hart h, int rm) {
        if (rm == 7) {
            rm = h.frm;
        }
        return rm <= 4 ? rm : -1;
    }

    private static int xd(int rd) {
        return rd == 0 ? 32 : rd;
    }

    /** Executes an OP-FP instruction; returns false if it is illegal (reserved dynamic rounding mode). */
    static boolean op(Hart h, int inst) {
        long[] f = h.f;
        long[] x = h.x;
        int rd = (inst >>> 7) & 31;
        int rs1 = (inst >>> 15) & 31;
        int rs2 = (inst >>> 20) & 31;
        int rm = (inst >>> 12) & 7;
        int f7 = inst >>> 25;
        boolean dbl = (f7 & 1) != 0;
        switch (f7 >>> 2) {
            case 0x00: case 0x01: case 0x02: case 0x03: case 0x0b: {
                int r = resolve(h, rm);
                if (r < 0) {
                    return false;
                }
                int k = f7 >>> 2;
                if (dbl) {
                    long a = f[rs1];
                    long b = f[rs2];
                    f[rd] = k == 0 ? Fpu.add64(h, a, b, r) : k == 1 ? Fpu.sub64(h, a, b, r)
                            : k == 2 ? Fpu.mul64(h, a, b, r) : k == 3 ? Fpu.div64(h, a, b, r) : Fpu.sqrt64(h, a, r);
                } else {
                    int a = unbox(f[rs1]);
                    int b = unbox(f[rs2]);
                    f[rd] = box(k == 0 ? Fpu.add32(h, a, b, r) : k == 1 ? Fpu.sub32(h, a, b, r)
                            : k == 2 ? Fpu.mul32(h, a, b, r) : k == 3 ? Fpu.div32(h, a, b, r) : Fpu.sqrt32(h, a, r));
                }
                return true;
            }
            case 0x04: { // fsgnj / fsgnjn / fsgnjx
                if (dbl) {
                    long a = f[rs1];
                    long b = f[rs2];
                    long s = rm == 0 ? b : rm == 1 ? ~b : a ^ b;
                    f[rd] = (a & Long.MAX_VALUE) | (s & Long.MIN_VALUE);
                } else {
                    int a = unbox(f[rs1]);
                    int b = unbox(f[rs2]);
                    int s = rm == 0 ? b : rm == 1 ? ~b : a ^ b;
                    f[rd] = box((a & Integer.MAX_VALUE) | (s & Integer.MIN_VALUE));
                }
                return true;
            }
            case 0x05:
                if (dbl) {
                    f[rd] = rm == 0 ? Fpu.min64(h, f[rs1], f[rs2]) : Fpu.max64(h, f[rs1], f[rs2]);
                } else {
                    int a = unbox(f[rs1]);
                    int b = unbox(f[rs2]);
                    f[rd] = box(rm == 0 ? Fpu.min32(h, a, b) : Fpu.max32(h, a, b));
                }
                return true;
            case 0x08: {
                int r = resolve(h, rm);
                if (r < 0) {
                    return false;
                }
                f[rd] = dbl ? Fpu.toDouble(h, unbox(f[rs1])) : box(Fpu.toSingle(h, f[rs1], r));
                return true;
            }
            case 0x14: {
                long v;
                if (dbl) {
                    long a = f[rs1];
                    long b = f[rs2];
                    v = rm == 2 ? Fpu.eq64(h, a, b) : rm == 1 ? Fpu.lt64(h, a, b) : Fpu.le64(h, a, b);
                } else {
                    int a = unbox(f[rs1]);
                    int b = unbox(f[rs2]);
                    v = rm == 2 ? Fpu.eq32(h, a, b) : rm == 1 ? Fpu.lt32(h, a, b) : Fpu.le32(h, a, b);
                }
                x[xd(rd)] = v;
                return true;
            }
            case 0x18: {
                int r = resolve(h, rm);
                if (r < 0) {
                    return false;
                }
                x[xd(rd)] = dbl ? Fpu.toInt64(h, f[rs1], r, rs2) : Fpu.toInt32(h, unbox(f[rs1]), r, rs2);
                return true;
            }
            case 0x1a: {
                int r = resolve(h, rm);
                if (r < 0) {
                    return false;
                }
                long v = x[rs1];
                f[rd] = dbl ? Fpu.fromInt64(h, v, r, rs2) : box(Fpu.fromInt32(h, v, r, rs2));
                return true;
            }
            case 0x1c:
                if (rm == 0) { // fmv.x.w / fmv.x.d: raw bits, no unboxing
                    x[xd(rd)] = dbl ? f[rs1] : (long) (int) f[rs1];
                } else {
                    x[xd(rd)] = dbl ? Fpu.class64(f[rs1]) : Fpu.class32(unbox(f[rs1]));
                }
                return true;
            case 0x1e:
                f[rd] = dbl ? x[rs1] : box((int) x[rs1]);
                return true;
            default:
                return false;
        }
    }

    /** fmadd / fmsub / fnmsub / fnmadd; false if the dynamic rounding mode is reserved. */
    static boolean fma(Hart h, int inst) {
        int r = resolve(h, (inst >>> 12) & 7);
        if (r < 0) {
            return false;
        }
        long[] f = h.f;
        int rd = (inst >>> 7) & 31;
        int rs1 = (inst >>> 15) & 31;
        int rs2 = (inst >>> 20) & 31;
        int rs3 = inst >>> 27;
        int kind = (inst >>> 2) & 3; // 0 fmadd, 1 fmsub, 2 fnmsub, 3 fnmadd
        boolean negProduct = kind >= 2;
        boolean negAddend = kind == 1 || kind == 3;
        if (((inst >>> 25) & 1) != 0) {
            long a = f[rs1];
            long c = f[rs3];
            if (negProduct) {
                a ^= Long.MIN_VALUE;
            }
            if (negAddend) {
                c ^= Long.MIN_VALUE;
            }
            f[rd] = Fpu.fma64(h, a, f[rs2], c, r);
        } else {
            int a = unbox(f[rs1]);
            int c = unbox(f[rs3]);
            if (negProduct) {
                a ^= Integer.MIN_VALUE;
            }
            if (negAddend) {
                c ^= Integer.MIN_VALUE;
            }
            f[rd] = box(Fpu.fma32(h, a, unbox(f[rs2]), c, r));
        }
        return true;
    }
}
