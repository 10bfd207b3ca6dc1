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
    /** Loads and initializes this class (see Cpu's static initializer). */
    static void load() {
    }

    private FpExec() {
    }

    static final long BOX = 0xffffffff00000000L;

    static int unbox(long v) {
        return Fpu.unbox(v);
    }

    static long box(int v) {
        return Fpu.box(v);
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

    private static int xd(int rd) {
        return rd == 0 ? 32 : rd;
    }

    /**
     * Executes an OP-FP instruction; returns false if it is illegal (a reserved dynamic rounding
     * mode). One switch on funct7 (operation and format) reaches each operation's {@link Fpu}
     * entry directly; the rounding mode is resolved only by the operations that round. The fast
     * path of those entries is round-to-nearest-even, the mode {@code rm = dyn} almost always
     * finds in {@code frm}.
     */
    static boolean op(Hart h, int inst) {
        long[] f = h.f;
        int rd = (inst >>> 7) & 31;
        int rs1 = (inst >>> 15) & 31;
        int rs2 = (inst >>> 20) & 31;
        int rm = (inst >>> 12) & 7;
        if (rm == 7) {
            rm = h.frm; // reserved values are refused below by the operations that round
        }
        switch (inst >>> 25) {
            case 0x01:
                if (rm > 4) {
                    return false;
                }
                f[rd] = Fpu.add64(h, f[rs1], f[rs2], rm);
                return true;
            case 0x05:
                if (rm > 4) {
                    return false;
                }
                f[rd] = Fpu.sub64(h, f[rs1], f[rs2], rm);
                return true;
            case 0x09:
                if (rm > 4) {
                    return false;
                }
                f[rd] = Fpu.mul64(h, f[rs1], f[rs2], rm);
                return true;
            case 0x0d:
                if (rm > 4) {
                    return false;
                }
                f[rd] = Fpu.div64(h, f[rs1], f[rs2], rm);
                return true;
            case 0x2d:
                if (rm > 4) {
                    return false;
                }
                f[rd] = Fpu.sqrt64(h, f[rs1], rm);
                return true;
            case 0x00:
                if (rm > 4) {
                    return false;
                }
                f[rd] = box(Fpu.add32(h, unbox(f[rs1]), unbox(f[rs2]), rm));
                return true;
            case 0x04:
                if (rm > 4) {
                    return false;
                }
                f[rd] = box(Fpu.sub32(h, unbox(f[rs1]), unbox(f[rs2]), rm));
                return true;
            case 0x08:
                if (rm > 4) {
                    return false;
                }
                f[rd] = box(Fpu.mul32(h, unbox(f[rs1]), unbox(f[rs2]), rm));
                return true;
            case 0x0c:
                if (rm > 4) {
                    return false;
                }
                f[rd] = box(Fpu.div32(h, unbox(f[rs1]), unbox(f[rs2]), rm));
                return true;
            case 0x2c:
                if (rm > 4) {
                    return false;
                }
                f[rd] = box(Fpu.sqrt32(h, unbox(f[rs1]), rm));
                return true;
            case 0x11: { // fsgnj.d / fsgnjn.d / fsgnjx.d: rm is funct3 here (never 7)
                long a = f[rs1];
                long b = f[rs2];
                long s = rm == 0 ? b : rm == 1 ? ~b : a ^ b;
                f[rd] = (a & Long.MAX_VALUE) | (s & Long.MIN_VALUE);
                return true;
            }
            case 0x10: {
                int a = unbox(f[rs1]);
                int b = unbox(f[rs2]);
                int s = rm == 0 ? b : rm == 1 ? ~b : a ^ b;
                f[rd] = box((a & Integer.MAX_VALUE) | (s & Integer.MIN_VALUE));
                return true;
            }
            case 0x15:
                f[rd] = rm == 0 ? Fpu.min64(h, f[rs1], f[rs2]) : Fpu.max64(h, f[rs1], f[rs2]);
                return true;
            case 0x14:
                f[rd] = box(rm == 0 ? Fpu.min32(h, unbox(f[rs1]), unbox(f[rs2]))
                        : Fpu.max32(h, unbox(f[rs1]), unbox(f[rs2])));
                return true;
            case 0x21: // fcvt.d.s: exact, no rounding mode to check beyond decode
                if (rm > 4) {
                    return false;
                }
                f[rd] = Fpu.toDouble(h, unbox(f[rs1]));
                return true;
            case 0x20:
                if (rm > 4) {
                    return false;
                }
                f[rd] = box(Fpu.toSingle(h, f[rs1], rm));
                return true;
            case 0x51: {
                long a = f[rs1];
                long b = f[rs2];
                x(h, rd, rm == 2 ? Fpu.eq64(h, a, b) : rm == 1 ? Fpu.lt64(h, a, b) : Fpu.le64(h, a, b));
                return true;
            }
            case 0x50: {
                int a = unbox(f[rs1]);
                int b = unbox(f[rs2]);
                x(h, rd, rm == 2 ? Fpu.eq32(h, a, b) : rm == 1 ? Fpu.lt32(h, a, b) : Fpu.le32(h, a, b));
                return true;
            }
            case 0x61:
                if (rm > 4) {
                    return false;
                }
                x(h, rd, Fpu.toInt64(h, f[rs1], rm, rs2));
                return true;
            case 0x60:
                if (rm > 4) {
                    return false;
                }
                x(h, rd, Fpu.toInt32(h, unbox(f[rs1]), rm, rs2));
                return true;
            case 0x69:
                if (rm > 4) {
                    return false;
                }
                f[rd] = Fpu.fromInt64(h, h.x[rs1], rm, rs2);
                return true;
            case 0x68:
                if (rm > 4) {
                    return false;
                }
                f[rd] = box(Fpu.fromInt32(h, h.x[rs1], rm, rs2));
                return true;
            case 0x71: // fmv.x.d / fclass.d
                x(h, rd, rm == 0 ? f[rs1] : Fpu.class64(f[rs1]));
                return true;
            case 0x70: // fmv.x.w (raw bits, no unboxing) / fclass.s
                x(h, rd, rm == 0 ? (long) (int) f[rs1] : Fpu.class32(unbox(f[rs1])));
                return true;
            case 0x79:
                f[rd] = h.x[rs1];
                return true;
            case 0x78:
                f[rd] = box((int) h.x[rs1]);
                return true;
            default:
                return false;
        }
    }

    /** Writes an integer result; x0's writes land in the scratch slot 32. */
    private static void x(Hart h, int rd, long v) {
        h.x[xd(rd)] = v;
    }

    /** fmadd / fmsub / fnmsub / fnmadd; false if the dynamic rounding mode is reserved. */
    static boolean fma(Hart h, int inst) {
        int r = (inst >>> 12) & 7;
        if (r == 7) {
            r = h.frm;
        }
        if (r > 4) {
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
