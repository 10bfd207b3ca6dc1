package dev.friscy.web.jit;

import static dev.friscy.web.jit.Wasm.*;

/**
 * F and D instructions in generated code, with f registers in Wasm locals (raw bits, singles
 * NaN-boxed as the hart keeps them).
 *
 * The host's IEEE operations (Wasm f64/f32, round-to-nearest-even) give RISC-V's result whenever
 * the rounding mode is RNE and no flag but NX can arise: then the only question left is whether
 * to raise NX, and programs almost always run with NX already raised (flags are sticky; one
 * inexact operation sets it for good). So an arithmetic instruction takes the host's result when
 * {@link HartLayout#FPOK} says NX is set (and frm is RNE for the dynamic mode), and the result is
 * finite, normal and at least twice the least normal: no overflow, no underflow (tininess is
 * detected after rounding), no invalid operation (those give NaN or need NaN or infinite
 * operands, which give NaN or infinity), no division by zero (infinity). Moves, sign injection,
 * compares and min/max of non-NaN values and exact conversions need no flags at all. Everything
 * else - other rounding modes, NaN, infinite, tiny or huge values, NX still clear, FMA (Wasm has
 * no fused multiply-add) - calls the interpreter's own FP code through the {@code fp} helper,
 * which is exact in every case and keeps fflags.
 */
final class FpEmitter {
    private static final long BOX = 0xffffffff00000000L;
    private static final long SIGN = 0x8000000000000000L;

    private final RegionEmitter e;
    private final WasmBuf f;

    FpEmitter(RegionEmitter e) {
        this.e = e;
        this.f = e.f;
    }

    /** Marks the x and f registers an OP-FP ({@code fma} false) or FMA instruction reads and writes. */
    static void scan(int inst, boolean fma, boolean[] used, boolean[] written, boolean[] fused, boolean[] fwritten) {
        int rd = (inst >>> 7) & 31;
        int rs1 = (inst >>> 15) & 31;
        int rs2 = (inst >>> 20) & 31;
        if (fma) {
            fused[rs1] = true;
            fused[rs2] = true;
            fused[inst >>> 27] = true;
            fused[rd] = true;
            fwritten[rd] = true;
            return;
        }
        int f7 = inst >>> 25;
        if (xSource(f7)) {
            used[rs1] = true;
        } else {
            fused[rs1] = true;
        }
        if (twoSources(f7)) {
            fused[rs2] = true;
        }
        if (xResult(f7)) {
            used[rd] = true;
            written[rd] = true;
        } else {
            fused[rd] = true;
            fwritten[rd] = true;
        }
    }

    /** OP-FP instructions whose rs1 is an x register: fcvt.{s,d}.{w,wu,l,lu}, fmv.{w,d}.x. */
    static boolean xSource(int f7) {
        return f7 == 0x68 || f7 == 0x69 || f7 == 0x78 || f7 == 0x79;
    }

    /** OP-FP instructions whose rd is an x register: compares, fcvt to integers, fmv.x, fclass. */
    static boolean xResult(int f7) {
        return f7 == 0x50 || f7 == 0x51 || f7 == 0x60 || f7 == 0x61 || f7 == 0x70 || f7 == 0x71;
    }

    /** OP-FP instructions with an rs2 register: arithmetic, sign injection, min/max, compares. */
    static boolean twoSources(int f7) {
        int f5 = f7 >>> 2;
        return f5 <= 5 || f5 == 0x14;
    }

    private int fr(int i) {
        return RegionEmitter.FREG + i;
    }

    /** One OP-FP instruction (raw bits {@code inst}) at page offset {@code p}. */
    void op(int p, int left, int inst) {
        int rd = (inst >>> 7) & 31;
        int rs1 = (inst >>> 15) & 31;
        int rs2 = (inst >>> 20) & 31;
        int rm = (inst >>> 12) & 7;
        int f7 = inst >>> 25;
        boolean rne = rm == 0 || rm == 7;
        int need = rm == 7 ? 3 : 1;
        switch (f7) {
            case 0x01: case 0x05: case 0x09: case 0x0d: // fadd/fsub/fmul/fdiv.d
                if (rne) {
                    int opc = f7 == 0x01 ? F64_ADD : f7 == 0x05 ? F64_SUB : f7 == 0x09 ? F64_MUL : F64_DIV;
                    double64(p, left, inst, need, rs1, rs2, opc);
                    return;
                }
                break;
            case 0x2d: // fsqrt.d
                if (rne) {
                    double64(p, left, inst, need, rs1, -1, F64_SQRT);
                    return;
                }
                break;
            case 0x00: case 0x04: case 0x08: case 0x0c: // fadd/fsub/fmul/fdiv.s
                if (rne) {
                    int opc = f7 == 0x00 ? F32_ADD : f7 == 0x04 ? F32_SUB : f7 == 0x08 ? F32_MUL : F32_DIV;
                    single32(p, left, inst, need, rs1, rs2, opc);
                    return;
                }
                break;
            case 0x2c: // fsqrt.s
                if (rne) {
                    single32(p, left, inst, need, rs1, -1, F32_SQRT);
                    return;
                }
                break;
            case 0x11: // fsgnj.d / fsgnjn.d / fsgnjx.d
                if (rm <= 2) {
                    e.get(fr(rs1));
                    if (rm == 2) {
                        e.get(fr(rs2));
                        e.i64c(SIGN);
                        f.u8(I64_AND);
                        f.u8(I64_XOR);
                    } else {
                        e.i64c(Long.MAX_VALUE);
                        f.u8(I64_AND);
                        e.get(fr(rs2));
                        if (rm == 1) {
                            e.i64c(-1);
                            f.u8(I64_XOR);
                        }
                        e.i64c(SIGN);
                        f.u8(I64_AND);
                        f.u8(I64_OR);
                    }
                    e.set(fr(rd));
                    return;
                }
                break;
            case 0x15: // fmin.d / fmax.d: Wasm's agree on non-NaN operands (-0 below +0)
                if (rm <= 1) {
                    notNaN64(rs1);
                    notNaN64(rs2);
                    f.u8(I32_AND);
                    e.openIfI64();
                    e.get(fr(rs1));
                    f.u8(F64_REINTERPRET_I64);
                    e.get(fr(rs2));
                    f.u8(F64_REINTERPRET_I64);
                    f.u8(rm == 0 ? F64_MIN : F64_MAX);
                    f.u8(I64_REINTERPRET_F64);
                    f.u8(ELSE);
                    fallback(p, left, inst, fr(rs1), fr(rs2), -1);
                    e.close();
                    e.set(fr(rd));
                    return;
                }
                break;
            case 0x51: // fle.d / flt.d / feq.d: no flag unless an operand is NaN
                if (rm <= 2) {
                    notNaN64(rs1);
                    notNaN64(rs2);
                    f.u8(I32_AND);
                    e.openIfI64();
                    e.get(fr(rs1));
                    f.u8(F64_REINTERPRET_I64);
                    e.get(fr(rs2));
                    f.u8(F64_REINTERPRET_I64);
                    f.u8(rm == 2 ? F64_EQ : rm == 1 ? F64_LT : F64_LE);
                    f.u8(I64_EXTEND_I32_U);
                    f.u8(ELSE);
                    fallback(p, left, inst, fr(rs1), fr(rs2), -1);
                    e.close();
                    setX(rd);
                    return;
                }
                break;
            case 0x50: // fle.s / flt.s / feq.s
                if (rm <= 2) {
                    boxed2(rs1, rs2);
                    notNaN32(rs1);
                    f.u8(I32_AND);
                    notNaN32(rs2);
                    f.u8(I32_AND);
                    e.openIfI64();
                    single(rs1);
                    single(rs2);
                    f.u8(rm == 2 ? F32_EQ : rm == 1 ? F32_LT : F32_LE);
                    f.u8(I64_EXTEND_I32_U);
                    f.u8(ELSE);
                    fallback(p, left, inst, fr(rs1), fr(rs2), -1);
                    e.close();
                    setX(rd);
                    return;
                }
                break;
            case 0x71: // fmv.x.d (fclass.d falls back)
                if (rm == 0) {
                    e.get(fr(rs1));
                    setX(rd);
                    return;
                }
                break;
            case 0x70: // fmv.x.w: the low half's raw bits, sign-extended
                if (rm == 0) {
                    e.get(fr(rs1));
                    f.u8(I32_WRAP_I64);
                    f.u8(I64_EXTEND_I32_S);
                    setX(rd);
                    return;
                }
                break;
            case 0x79: // fmv.d.x
                e.get(RegionEmitter.reg(rs1));
                e.set(fr(rd));
                return;
            case 0x78: // fmv.w.x
                e.get(RegionEmitter.reg(rs1));
                e.i64c(BOX);
                f.u8(I64_OR);
                e.set(fr(rd));
                return;
            case 0x69: // fcvt.d.{w,wu,l,lu}
                if (rs2 <= 1) {
                    // every 32-bit integer is a double: exact in any mode
                    e.get(RegionEmitter.reg(rs1));
                    f.u8(I32_WRAP_I64);
                    f.u8(rs2 == 0 ? F64_CONVERT_I32_S : F64_CONVERT_I32_U);
                    f.u8(I64_REINTERPRET_F64);
                    e.set(fr(rd));
                    return;
                }
                if (rne && rs2 <= 3) {
                    fpOk(need);
                    e.openIfI64();
                    e.get(RegionEmitter.reg(rs1));
                    f.u8(rs2 == 2 ? F64_CONVERT_I64_S : F64_CONVERT_I64_U);
                    f.u8(I64_REINTERPRET_F64);
                    f.u8(ELSE);
                    fallback(p, left, inst, RegionEmitter.reg(rs1), -1, -1);
                    e.close();
                    e.set(fr(rd));
                    return;
                }
                break;
            case 0x61: // fcvt.{w,wu,l,lu}.d, toward zero (C's casts) or to nearest even
                if ((rm == 1 || rne) && rs2 <= 3) {
                    toInt(p, left, inst, rm == 1 ? 1 : need, rm != 1, rs1, rs2, rd);
                    return;
                }
                break;
            case 0x21: // fcvt.d.s: exact for every non-NaN single
                if (rs2 == 0) {
                    boxed(rs1);
                    notNaN32(rs1);
                    f.u8(I32_AND);
                    e.openIfI64();
                    single(rs1);
                    f.u8(F64_PROMOTE_F32);
                    f.u8(I64_REINTERPRET_F64);
                    f.u8(ELSE);
                    fallback(p, left, inst, fr(rs1), -1, -1);
                    e.close();
                    e.set(fr(rd));
                    return;
                }
                break;
            case 0x20: // fcvt.s.d
                if (rne && rs2 == 1) {
                    e.get(fr(rs1));
                    f.u8(F64_REINTERPRET_I64);
                    f.u8(F32_DEMOTE_F64);
                    f.u8(I32_REINTERPRET_F32);
                    f.u8(I64_EXTEND_I32_U);
                    e.set(RegionEmitter.FB);
                    fpOk(need);
                    normal32();
                    f.u8(I32_AND);
                    e.openIfI64();
                    e.get(RegionEmitter.FB);
                    e.i64c(BOX);
                    f.u8(I64_OR);
                    f.u8(ELSE);
                    fallback(p, left, inst, fr(rs1), -1, -1);
                    e.close();
                    e.set(fr(rd));
                    return;
                }
                break;
            default:
                break;
        }
        fallback(p, left, inst, xSource(f7) ? RegionEmitter.reg(rs1) : fr(rs1), twoSources(f7) ? fr(rs2) : -1, -1);
        if (xResult(f7)) {
            setX(rd);
        } else {
            e.set(fr(rd));
        }
    }

    /**
     * fmadd/fmsub/fnmsub/fnmadd. Wasm has no fused multiply-add: binary64 in RNE goes through the
     * module's certified emulation ({@link FmaFunction}), everything else and what it cannot
     * certify through the helper.
     */
    void fma(int p, int left, int inst) {
        int rs1 = (inst >>> 15) & 31;
        int rs2 = (inst >>> 20) & 31;
        int rs3 = inst >>> 27;
        int rm = (inst >>> 12) & 7;
        if (((inst >>> 25) & 3) == 1 && (rm == 0 || rm == 7)) {
            int kind = (inst >>> 2) & 3; // 0 fmadd, 1 fmsub, 2 fnmsub, 3 fnmadd
            e.get(fr(rs1));
            if (kind >= 2) {
                e.i64c(SIGN);
                f.u8(I64_XOR);
            }
            e.get(fr(rs2));
            e.get(fr(rs3));
            if (kind == 1 || kind == 3) {
                e.i64c(SIGN);
                f.u8(I64_XOR);
            }
            f.u8(CALL).u32(RegionEmitter.F_FMA);
            f.u8(LOCAL_TEE).u32(RegionEmitter.FB);
            e.i64c(FmaFunction.NO);
            f.u8(I64_NE);
            fpOk(rm == 7 ? 3 : 1);
            f.u8(I32_AND);
            e.openIfI64();
            e.get(RegionEmitter.FB);
            f.u8(ELSE);
            fallback(p, left, inst, fr(rs1), fr(rs2), fr(rs3));
            e.close();
        } else {
            fallback(p, left, inst, fr(rs1), fr(rs2), fr(rs3));
        }
        e.set(fr((inst >>> 7) & 31));
    }

    /** A binary64 operation (sqrt when rs2 < 0) with the host's result if it is certain, else the helper's. */
    private void double64(int p, int left, int inst, int need, int rs1, int rs2, int opc) {
        e.get(fr(rs1));
        f.u8(F64_REINTERPRET_I64);
        if (rs2 >= 0) {
            e.get(fr(rs2));
            f.u8(F64_REINTERPRET_I64);
        }
        f.u8(opc);
        f.u8(I64_REINTERPRET_F64);
        e.set(RegionEmitter.FB);
        fpOk(need);
        // biased exponent in [2, 0x7fe]: normal, finite, at least twice the least normal
        e.get(RegionEmitter.FB);
        e.i64c(52);
        f.u8(I64_SHR_U);
        f.u8(I32_WRAP_I64);
        e.i32c(0x7ff);
        f.u8(I32_AND);
        e.i32c(2);
        f.u8(I32_SUB);
        e.i32c(0x7fd);
        f.u8(I32_LT_U);
        f.u8(I32_AND);
        e.openIfI64();
        e.get(RegionEmitter.FB);
        f.u8(ELSE);
        fallback(p, left, inst, fr(rs1), rs2 >= 0 ? fr(rs2) : -1, -1);
        e.close();
        e.set(fr((inst >>> 7) & 31));
    }

    /** The binary32 twin of {@link #double64}; operands must be NaN-boxed (else they are NaN). */
    private void single32(int p, int left, int inst, int need, int rs1, int rs2, int opc) {
        single(rs1);
        if (rs2 >= 0) {
            single(rs2);
        }
        f.u8(opc);
        f.u8(I32_REINTERPRET_F32);
        f.u8(I64_EXTEND_I32_U);
        e.set(RegionEmitter.FB);
        fpOk(need);
        if (rs2 >= 0) {
            boxed2(rs1, rs2);
        } else {
            boxed(rs1);
        }
        f.u8(I32_AND);
        normal32();
        f.u8(I32_AND);
        e.openIfI64();
        e.get(RegionEmitter.FB);
        e.i64c(BOX);
        f.u8(I64_OR);
        f.u8(ELSE);
        fallback(p, left, inst, fr(rs1), rs2 >= 0 ? fr(rs2) : -1, -1);
        e.close();
        e.set(fr((inst >>> 7) & 31));
    }

    /** Whether the single in FB's low half is normal, finite and at least twice the least normal. */
    private void normal32() {
        e.get(RegionEmitter.FB);
        e.i64c(23);
        f.u8(I64_SHR_U);
        f.u8(I32_WRAP_I64);
        e.i32c(0xff);
        f.u8(I32_AND);
        e.i32c(2);
        f.u8(I32_SUB);
        e.i32c(0xfd);
        f.u8(I32_LT_U);
    }

    /**
     * fcvt.{w,wu,l,lu}.d: in range, the host's truncation of the (rounded, if {@code nearest})
     * value is the result, and only NX can arise (needed in FPOK unless the value is integral:
     * simpler to require it always).
     */
    private void toInt(int p, int left, int inst, int need, boolean nearest, int rs1, int kind, int rd) {
        double lo = kind == 0 ? -2147483649.0 : kind == 2 ? -9223372036854775808.0 : -1.0;
        double hi = kind == 0 ? 2147483648.0 : kind == 1 ? 4294967296.0 : kind == 2 ? 9223372036854775808.0
                : 18446744073709551616.0;
        e.get(fr(rs1));
        f.u8(F64_REINTERPRET_I64);
        if (nearest) {
            f.u8(F64_NEAREST);
        }
        f.u8(LOCAL_TEE).u32(RegionEmitter.FX);
        f64c(lo);
        // -2^63 itself is in range for l; the other lower bounds are exclusive
        f.u8(kind == 2 ? F64_GE : F64_GT);
        e.get(RegionEmitter.FX);
        f64c(hi);
        f.u8(F64_LT);
        f.u8(I32_AND);
        fpOk(need);
        f.u8(I32_AND);
        e.openIfI64();
        e.get(RegionEmitter.FX);
        f.u8(kind == 3 ? I64_TRUNC_F64_U : I64_TRUNC_F64_S);
        if (kind == 1) {
            f.u8(I32_WRAP_I64);
            f.u8(I64_EXTEND_I32_S);
        }
        f.u8(ELSE);
        fallback(p, left, inst, fr(rs1), -1, -1);
        e.close();
        setX(rd);
    }

    private void f64c(double d) {
        e.i64c(Double.doubleToRawLongBits(d));
        f.u8(F64_REINTERPRET_I64);
    }

    /** i32: FPOK has all of {@code need}. */
    private void fpOk(int need) {
        e.i32c(0);
        f.u8(I32_LOAD).u32(2).u32(e.lay.hart + HartLayout.FPOK);
        if (need == 1) {
            e.i32c(1);
            f.u8(I32_AND);
        } else {
            e.i32c(need);
            f.u8(I32_AND);
            e.i32c(need);
            f.u8(I32_EQ);
        }
    }

    /** The single in f register {@code r}'s low half, as f32 (meaningful if boxed). */
    private void single(int r) {
        e.get(fr(r));
        f.u8(I32_WRAP_I64);
        f.u8(F32_REINTERPRET_I32);
    }

    /** i32: f register {@code r} holds a NaN-boxed single. */
    private void boxed(int r) {
        e.get(fr(r));
        e.i64c(32);
        f.u8(I64_SHR_U);
        e.i64c(0xffffffffL);
        f.u8(I64_EQ);
    }

    /** i32: both hold NaN-boxed singles (their upper halves ANDed are all ones). */
    private void boxed2(int a, int b) {
        e.get(fr(a));
        e.get(fr(b));
        f.u8(I64_AND);
        e.i64c(32);
        f.u8(I64_SHR_U);
        e.i64c(0xffffffffL);
        f.u8(I64_EQ);
    }

    private void notNaN64(int r) {
        e.get(fr(r));
        f.u8(F64_REINTERPRET_I64);
        f.u8(LOCAL_TEE).u32(RegionEmitter.FX);
        e.get(RegionEmitter.FX);
        f.u8(F64_EQ);
    }

    private void notNaN32(int r) {
        single(r);
        single(r);
        f.u8(F32_EQ);
    }

    /** An integer result into x{@code rd} (x0 drops it). */
    private void setX(int rd) {
        if (rd == 0) {
            f.u8(DROP);
        } else {
            e.set(RegionEmitter.reg(rd));
        }
    }

    /**
     * Leaves the result of the {@code fp} helper for {@code inst} on the stack: the exact path,
     * with fflags. Operands are locals (-1: none); a reserved dynamic rounding mode leaves the
     * region at the instruction as illegal.
     */
    private void fallback(int p, int left, int inst, int a, int b, int c) {
        e.i32c(inst);
        arg(a);
        arg(b);
        arg(c);
        f.u8(CALL).u32(RegionEmitter.F_FP);
        e.statusNonZero();
        e.open(IF);
        e.faultAt(p, HartLayout.EXIT_ILLEGAL, left);
        e.close();
    }

    private void arg(int local) {
        if (local < 0) {
            e.i64c(0);
        } else {
            e.get(local);
        }
    }
}
