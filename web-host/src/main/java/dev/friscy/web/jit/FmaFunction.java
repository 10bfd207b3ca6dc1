package dev.friscy.web.jit;

import static dev.friscy.web.jit.Wasm.*;

/**
 * A Wasm function every generated module holds, {@code (a i64, b i64, c i64) -> i64}: the
 * binary64 fused multiply-add a*b + c rounded to nearest even, or {@link #NO} when it cannot be
 * certified here. Wasm has no fused multiply-add; this is {@code Fpu.fmaNearest}'s method (Dekker's
 * exact product, TwoSums, a certified final rounding, in the exponent window where every step is
 * exact) without its flag logic: generated code calls it only when NX is already raised, and the
 * window rules out every other flag. Outside the window (zero, tiny, huge, NaN or infinite
 * operands) and near a tie it answers {@link #NO} and the exact helper decides.
 */
final class FmaFunction {
    /** "Not decided here": a NaN the arithmetic below never produces. */
    static final long NO = 0x7ff4000000000badL;

    private FmaFunction() {
    }

    // params 0..2 (i64), then f64 locals 3..20, i32 locals 21..23
    private static final int A = 0;
    private static final int B = 1;
    private static final int C = 2;
    private static final int X = 3;
    private static final int Y = 4;
    private static final int Z = 5;
    private static final int P = 6;
    private static final int CX = 7;
    private static final int XH = 8;
    private static final int XL = 9;
    private static final int CY = 10;
    private static final int YH = 11;
    private static final int YL = 12;
    private static final int E = 13;
    private static final int S = 14;
    private static final int BV = 15;
    private static final int T = 16;
    private static final int U = 17;
    private static final int V = 18;
    private static final int R = 19;
    private static final int W = 20;
    private static final int EA = 21;
    private static final int EB = 22;
    private static final int EC = 23;

    private static final double SPLIT = 134217729.0; // 2^27 + 1

    /** The function body (locals and code). */
    static WasmBuf body() {
        WasmBuf f = new WasmBuf(512);
        f.u32(2);
        f.u32(18).u8(T_F64);
        f.u32(3).u8(T_I32);
        exponent(f, A, EA);
        exponent(f, B, EB);
        exponent(f, C, EC);
        // the window: ea, eb in [1, 2000], ea + eb in [1246, 3023], ec in [223, 2000]
        get(f, EA);
        i32c(f, 1);
        f.u8(I32_SUB);
        i32c(f, 2000);
        f.u8(I32_GE_U);
        get(f, EB);
        i32c(f, 1);
        f.u8(I32_SUB);
        i32c(f, 2000);
        f.u8(I32_GE_U);
        f.u8(I32_OR);
        get(f, EA);
        get(f, EB);
        f.u8(I32_ADD);
        i32c(f, 1246);
        f.u8(I32_SUB);
        i32c(f, 3023 - 1246 + 1);
        f.u8(I32_GE_U);
        f.u8(I32_OR);
        get(f, EC);
        i32c(f, 223);
        f.u8(I32_SUB);
        i32c(f, 2000 - 223 + 1);
        f.u8(I32_GE_U);
        f.u8(I32_OR);
        f.u8(IF).u8(T_EMPTY);
        i64c(f, NO);
        f.u8(RETURN);
        f.u8(END);
        asDouble(f, A, X);
        asDouble(f, B, Y);
        asDouble(f, C, Z);
        // p = x*y; Dekker: p + e == x*y exactly
        get(f, X);
        get(f, Y);
        f.u8(F64_MUL);
        set(f, P);
        split(f, X, CX, XH, XL);
        split(f, Y, CY, YH, YL);
        // e = ((xh*yh - p) + xh*yl + xl*yh) + xl*yl
        get(f, XH);
        get(f, YH);
        f.u8(F64_MUL);
        get(f, P);
        f.u8(F64_SUB);
        get(f, XH);
        get(f, YL);
        f.u8(F64_MUL);
        f.u8(F64_ADD);
        get(f, XL);
        get(f, YH);
        f.u8(F64_MUL);
        f.u8(F64_ADD);
        get(f, XL);
        get(f, YL);
        f.u8(F64_MUL);
        f.u8(F64_ADD);
        set(f, E);
        twoSum(f, P, Z, S, T); // s + t == p + z
        // e == 0: x*y == p, and s is the rounded sum
        get(f, E);
        f64c(f, 0);
        f.u8(F64_EQ);
        f.u8(IF).u8(T_EMPTY);
        get(f, S);
        f.u8(I64_REINTERPRET_F64);
        f.u8(RETURN);
        f.u8(END);
        twoSum(f, T, E, U, V); // u + v == t + e
        twoSum(f, S, U, R, W); // r + w == s + u
        // v != 0: r is right unless w + v reaches half an ulp of r (tested with a margin)
        get(f, V);
        f64c(f, 0);
        f.u8(F64_NE);
        f.u8(IF).u8(T_EMPTY);
        get(f, R);
        f.u8(I64_REINTERPRET_F64);
        i64c(f, 0x7ff0000000000000L);
        f.u8(I64_AND);
        f.u8(LOCAL_TEE).u32(A); // A := r's exponent bits
        f.u8(I64_EQZ);
        f.u8(IF).u8(T_EMPTY);
        i64c(f, NO);
        f.u8(RETURN);
        f.u8(END);
        // half = ulp(r) / 2, halved again when r is a power of two (the spacing below it halves)
        get(f, A);
        i64c(f, 53L << 52);
        f.u8(I64_SUB);
        f.u8(F64_REINTERPRET_I64);
        get(f, R);
        f.u8(I64_REINTERPRET_F64);
        i64c(f, 0x000fffffffffffffL);
        f.u8(I64_AND);
        f.u8(I64_EQZ);
        f.u8(IF).u8(T_F64);
        f64c(f, 0.5);
        f.u8(ELSE);
        f64c(f, 1.0);
        f.u8(END);
        f.u8(F64_MUL);
        // !(|v| < (half - |w|) * 0.5) -> undecided
        get(f, W);
        f.u8(F64_ABS);
        f.u8(F64_SUB);
        f64c(f, 0.5);
        f.u8(F64_MUL);
        get(f, V);
        f.u8(F64_ABS);
        f.u8(F64_GT);
        f.u8(I32_EQZ);
        f.u8(IF).u8(T_EMPTY);
        i64c(f, NO);
        f.u8(RETURN);
        f.u8(END);
        f.u8(END);
        get(f, R);
        f.u8(I64_REINTERPRET_F64);
        f.u8(END);
        return f;
    }

    private static void exponent(WasmBuf f, int from, int to) {
        get(f, from);
        i64c(f, 52);
        f.u8(I64_SHR_U);
        f.u8(I32_WRAP_I64);
        i32c(f, 0x7ff);
        f.u8(I32_AND);
        set(f, to);
    }

    private static void asDouble(WasmBuf f, int from, int to) {
        get(f, from);
        f.u8(F64_REINTERPRET_I64);
        set(f, to);
    }

    /** c = SPLIT*x; hi = c - (c - x); lo = x - hi. */
    private static void split(WasmBuf f, int x, int c, int hi, int lo) {
        f64c(f, SPLIT);
        get(f, x);
        f.u8(F64_MUL);
        set(f, c);
        get(f, c);
        get(f, c);
        get(f, x);
        f.u8(F64_SUB);
        f.u8(F64_SUB);
        set(f, hi);
        get(f, x);
        get(f, hi);
        f.u8(F64_SUB);
        set(f, lo);
    }

    /** sum = a + b; err = (a - (sum - bv)) + (b - bv) with bv = sum - a: sum + err == a + b. */
    private static void twoSum(WasmBuf f, int a, int b, int sum, int err) {
        get(f, a);
        get(f, b);
        f.u8(F64_ADD);
        set(f, sum);
        get(f, sum);
        get(f, a);
        f.u8(F64_SUB);
        set(f, BV);
        get(f, a);
        get(f, sum);
        get(f, BV);
        f.u8(F64_SUB);
        f.u8(F64_SUB);
        get(f, b);
        get(f, BV);
        f.u8(F64_SUB);
        f.u8(F64_ADD);
        set(f, err);
    }

    private static void get(WasmBuf f, int l) {
        f.u8(LOCAL_GET).u32(l);
    }

    private static void set(WasmBuf f, int l) {
        f.u8(LOCAL_SET).u32(l);
    }

    private static void i32c(WasmBuf f, int v) {
        f.u8(I32_CONST).s64(v);
    }

    private static void i64c(WasmBuf f, long v) {
        f.u8(I64_CONST).s64(v);
    }

    private static void f64c(WasmBuf f, double d) {
        i64c(f, Double.doubleToRawLongBits(d));
        f.u8(F64_REINTERPRET_I64);
    }
}
