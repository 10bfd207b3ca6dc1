package dev.friscy.cpu;

/**
 * IEEE 754 arithmetic for the F and D extensions, bit-exact with RISC-V hardware: all five
 * rounding modes, accrued flags OR'ed into {@link Hart#fflags}, canonical NaNs, saturating
 * conversions. Operands and results are raw bit patterns: {@code long} for binary64,
 * {@code int} for binary32 (NaN-boxing is the interpreter's job).
 *
 * {@code rm} is an already-resolved rounding mode 0..4 (RNE, RTZ, RDN, RUP, RMM).
 * Fused multiply-add variants are expressed by the caller flipping sign bits:
 * fmsub = fma(a, b, -c), fnmsub = fma(-a, b, c), fnmadd = fma(-a, b, -c).
 *
 * Conversions between integers and floats take a {@code kind}: 0 = W (int32), 1 = WU
 * (uint32), 2 = L (int64), 3 = LU (uint64). Float-to-int results for W/WU are returned
 * sign-extended from 32 bits, as the instructions write them.
 *
 * <p>Every entry is a static method on primitives that allocates nothing and throws nothing,
 * for the interpreter ({@link FpExec}) and for translated code alike; a caller that knows the
 * rounding mode statically passes it as a constant. The host fast path: in RNE ({@code rm == 0})
 * the host's own IEEE operation ({@code double}/{@code float}: the JVM's, or Wasm's f64/f32 under
 * TeaVM) computes the result, and the flags are derived exactly and cheaply around it:
 * <ul>
 * <li>add/sub: any finite operands below 2^1023 (zeros and subnormals included); NX from the
 *     exact TwoSum error. binary32 add, mul and fma compute exactly (or with a certified single
 *     rounding) in binary64 and round once to binary32.
 * <li>mul, div: normal operands (and zero times or over a finite value) with a normal result
 *     above the least normal; NX from the significands' odd parts (integer tests).
 * <li>sqrt: every positive finite operand; NX from squaring back. binary32 div and sqrt go
 *     through binary64, whose 53 bits make the double rounding innocuous (53 >= 2*24 + 2).
 * <li>fma (binary64): Dekker's exact product and TwoSums with a certified final rounding for
 *     operands and results in a wide exponent window; an exact product needs one addition;
 *     zero factors and zero addends directly.
 * <li>compares, min/max, classify, sign injection (in {@link FpExec}), fcvt.d.s: bit tests, in
 *     every mode; float-to-integer conversions in every mode but RMM; integer-to-float where
 *     Java's conversion is the exact or RNE result; fcvt.s.d for normal results.
 * </ul>
 * Everything else (other rounding modes, NaN and infinite operands, results that may be tiny or
 * overflow, near-ties the certificate rejects) takes the exact integer path, {@link SoftFloat}.
 * Sentinel NaN patterns that no fast path returns mark "not decided here".
 */
public final class Fpu {
    public static final int NX = 1;
    public static final int UF = 2;
    public static final int OF = 4;
    public static final int DZ = 8;
    public static final int NV = 16;

    public static final long CANONICAL_NAN64 = 0x7ff8000000000000L;
    public static final int CANONICAL_NAN32 = 0x7fc00000;

    private Fpu() {
    }

    /** A binary32 operand from a 64-bit f register: its low half if NaN-boxed, else the canonical NaN. */
    public static int unbox(long v) {
        return (v >>> 32) == 0xffffffffL ? (int) v : CANONICAL_NAN32;
    }

    /** A binary32 result as an f register holds it: NaN-boxed. */
    public static long box(int v) {
        return 0xffffffff00000000L | (v & 0xffffffffL);
    }

    private static final long SIGN = 0x8000000000000000L;
    private static final long MIN_NORMAL64 = 0x0010000000000000L;
    private static final int MIN_NORMAL32 = 0x00800000;

    /** Normal and below 2^1023: sums of two such values cannot overflow. */
    private static boolean tame64(long a) {
        int e = (int) (a >>> 52) & 0x7ff;
        return e != 0 && e < 0x7fe;
    }

    private static boolean finite32(int a) {
        return (a & 0x7f800000) != 0x7f800000;
    }

    /** A binary64 result that is normal, finite and strictly above the least normal. */
    private static boolean safeResult64(long r) {
        long m = r & ~SIGN;
        return m > MIN_NORMAL64 && m < SoftFloat.EXP64;
    }

    /**
     * Whether the binary32 result {@code f} (a rounding of {@code exact}) is free of underflow
     * and overflow questions: finite, and either exact or above the least normal.
     */
    private static boolean safeResult32(float f, double exact) {
        int m = Float.floatToRawIntBits(f) & 0x7fffffff;
        return m < 0x7f800000 && (m > MIN_NORMAL32 || f == exact);
    }

    /** Whether the product of two 53-bit significands fits in 53 bits. */
    private static boolean exactProduct(long ma, long mb) {
        // The odd parts have 53 - tz bits each; their product has at least their sum less one.
        int tza = Long.numberOfTrailingZeros(ma);
        int tzb = Long.numberOfTrailingZeros(mb);
        if (tza + tzb < 52) {
            return false;
        }
        return (((ma >>> tza) * (mb >>> tzb)) >>> 53) == 0;
    }

    private static long sig64(long a) {
        return (a & SoftFloat.FRAC64) | (1L << 52);
    }

    // ---- binary64 ----
    public static long add64(Hart h, long a, long b, int rm) {
        // Any finite operands below 2^1023, zeros and subnormals included: such a sum cannot
        // overflow, a subnormal sum is exact, and Java's signed-zero rules are IEEE's.
        if (rm == 0 && (int) (a >>> 52 & 0x7ff) < 0x7fe && (int) (b >>> 52 & 0x7ff) < 0x7fe) {
            double x = Double.longBitsToDouble(a);
            double y = Double.longBitsToDouble(b);
            double s = x + y;
            // TwoSum: x + y == s + err exactly (no overflow is possible here)
            double bv = s - x;
            double err = (x - (s - bv)) + (y - bv);
            if (err != 0) {
                h.fflags |= NX;
            }
            // A subnormal sum of two floats is exact, so underflow cannot arise.
            return Double.doubleToRawLongBits(s);
        }
        return SoftFloat.add(h, a, b, rm, true);
    }

    public static long sub64(Hart h, long a, long b, int rm) {
        return add64(h, a, b ^ SIGN, rm);
    }

    public static long mul64(Hart h, long a, long b, int rm) {
        if (rm == 0) {
            long r = mulNearest(h, a, b);
            if (r != NO64) {
                return r;
            }
        }
        return SoftFloat.mul(h, a, b, rm, true);
    }

    /** Returned by the RNE helpers when only the exact path can decide (a NaN they never return). */
    private static final long NO64 = 0x7ff4000000000badL;

    /** RNE product with exact flags, or {@link #NO64}. */
    private static long mulNearest(Hart h, long a, long b) {
        if (tame64(a) && tame64(b)) {
            long r = Double.doubleToRawLongBits(Double.longBitsToDouble(a) * Double.longBitsToDouble(b));
            if (safeResult64(r)) {
                if (!exactProduct(sig64(a), sig64(b))) {
                    h.fflags |= NX;
                }
                return r;
            }
            return NO64;
        }
        // zero times a finite value: a zero of the product's sign, exactly
        if (((a << 1) == 0 && finite64(b)) || ((b << 1) == 0 && finite64(a))) {
            return (a ^ b) & SIGN;
        }
        return NO64;
    }

    private static boolean finite64(long a) {
        return (a & SoftFloat.EXP64) != SoftFloat.EXP64;
    }

    public static long div64(Hart h, long a, long b, int rm) {
        if (rm == 0) {
            if (tame64(a) && tame64(b)) {
                long r = Double.doubleToRawLongBits(Double.longBitsToDouble(a) / Double.longBitsToDouble(b));
                if (safeResult64(r)) {
                    // Exact iff the odd part of the divisor's significand divides the dividend's,
                    // the quotient's being their ratio. Odd parts of u and v bits make at least
                    // u + v - 1 bits, which bounds the trailing zeros of an exact quotient; most
                    // inexact quotients fail that test and need no integer division.
                    long ma = sig64(a);
                    long mb = sig64(b);
                    int tza = Long.numberOfTrailingZeros(ma);
                    int tzb = Long.numberOfTrailingZeros(mb);
                    if (Long.numberOfTrailingZeros(r | (1L << 52)) + tzb - tza < 52
                            || (ma >>> tza) % (mb >>> tzb) != 0) {
                        h.fflags |= NX;
                    }
                    return r;
                }
            } else if ((a << 1) == 0 && finite64(b) && (b << 1) != 0) {
                return (a ^ b) & SIGN; // zero over a finite non-zero value
            }
        }
        return SoftFloat.div(h, a, b, rm, true);
    }

    public static long sqrt64(Hart h, long a, int rm) {
        if (rm == 0 && a > 0 && a < SoftFloat.EXP64) {
            long r = Double.doubleToRawLongBits(Math.sqrt(Double.longBitsToDouble(a)));
            // An exact root squares back to at most 53 bits, so its odd part has at most 27:
            // a root with fewer than 26 trailing zero bits is inexact without further ado.
            if (Long.numberOfTrailingZeros(r | (1L << 52)) < 26
                    || SoftFloat.compareSquare(SoftFloat.sigOf(r), SoftFloat.expOf(r), SoftFloat.sigOf(a),
                            SoftFloat.expOf(a)) != 0) {
                h.fflags |= NX;
            }
            return r;
        }
        return SoftFloat.sqrt(h, a, rm, true);
    }

    public static long fma64(Hart h, long a, long b, long c, int rm) {
        // kept this small: the interpreter loop inlines it, and its compilation has a size budget
        if (rm == 0) {
            long r = fmaNearest(h, a, b, c);
            if (r != NO_FMA) {
                return r;
            }
        }
        return SoftFloat.fma(h, a, b, c, rm, true);
    }

    /**
     * RNE fused multiply-add where an operand is zero (accumulators start at zero; sparse data):
     * a zero addend leaves the rounded product, whose sign a zero addend cannot change since
     * {@link #mulNearest} only returns non-zero products; a zero factor leaves the addend exactly.
     */
    private static long fmaZeroNearest(Hart h, long a, long b, long c) {
        if ((c << 1) == 0) {
            return (a << 1) != 0 && (b << 1) != 0 ? mulNearest(h, a, b) : NO64;
        }
        if (((a << 1) == 0 && finite64(b)) || ((b << 1) == 0 && finite64(a))) {
            return finite64(c) ? c : NO64;
        }
        return NO64;
    }

    /** Returned by {@link #fmaNearest} when it cannot certify its result. */
    private static final long NO_FMA = NO64;
    private static final double SPLIT = 134217729.0; // 2^27 + 1

    /**
     * RNE fused multiply-add from error-free transformations in binary64. The exponent limits keep
     * every intermediate normal and finite, so Dekker's product and each TwoSum are exact:
     * x*y + z == r + w + v exactly, where r = RN(s + u). r is the correctly rounded result unless
     * w + v reaches the half-ulp boundary around r, which is tested with a safety margin.
     * Outside the exponent window, zero operands are still decided here ({@link #fmaZeroNearest}).
     */
    private static long fmaNearest(Hart h, long a, long b, long c) {
        int ea = (int) (a >>> 52) & 0x7ff;
        int eb = (int) (b >>> 52) & 0x7ff;
        int ec = (int) (c >>> 52) & 0x7ff;
        int ep = ea + eb; // biased product exponent + 1023
        if (ea == 0 || eb == 0 || ea > 2000 || eb > 2000 || ep < 1246 || ep > 3023 || ec < 223 || ec > 2000) {
            return fmaZeroNearest(h, a, b, c);
        }
        double x = Double.longBitsToDouble(a);
        double y = Double.longBitsToDouble(b);
        double z = Double.longBitsToDouble(c);
        double p = x * y;
        double cx = SPLIT * x;
        double xh = cx - (cx - x);
        double xl = x - xh;
        double cy = SPLIT * y;
        double yh = cy - (cy - y);
        double yl = y - yh;
        double e = ((xh * yh - p) + xh * yl + xl * yh) + xl * yl; // p + e == x*y
        double s = p + z;
        double bv = s - p;
        double t = (p - (s - bv)) + (z - bv); // s + t == p + z
        if (e == 0) {
            // x*y == p exactly: the sum is the result (products of short significands, as in
            // integer-valued or dyadic data); a cancelled sum is exact, so never a tiny inexact
            if (t != 0) {
                h.fflags |= NX;
            }
            return Double.doubleToRawLongBits(s);
        }
        double u = t + e;
        bv = u - t;
        double v = (t - (u - bv)) + (e - bv); // u + v == t + e
        double r = s + u;
        bv = r - s;
        double w = (s - (r - bv)) + (u - bv); // r + w == s + u
        long rb = Double.doubleToRawLongBits(r);
        if (v != 0) {
            long rexp = rb & SoftFloat.EXP64;
            if (rexp == 0) {
                return NO_FMA;
            }
            double half = Double.longBitsToDouble(rexp - (53L << 52)); // ulp(r) / 2
            if ((rb & SoftFloat.FRAC64) == 0) {
                half *= 0.5; // below a power of two the spacing halves
            }
            if (!(Math.abs(v) < (half - Math.abs(w)) * 0.5)) {
                return NO_FMA;
            }
            if (w + v != 0) {
                h.fflags |= NX;
            }
        } else if (w != 0) {
            h.fflags |= NX;
        }
        return rb;
    }

    public static long min64(Hart h, long a, long b) {
        return minMax64(h, a, b, true);
    }

    public static long max64(Hart h, long a, long b) {
        return minMax64(h, a, b, false);
    }

    private static long minMax64(Hart h, long a, long b, boolean min) {
        boolean an = SoftFloat.isNaN(a);
        boolean bn = SoftFloat.isNaN(b);
        if (an || bn) {
            if (SoftFloat.isSNaN(a) || SoftFloat.isSNaN(b)) {
                h.fflags |= NV;
            }
            if (an && bn) {
                return CANONICAL_NAN64;
            }
            return an ? b : a;
        }
        // -0 orders below +0 here, so compare the total-order keys.
        boolean aLess = orderKey64(a) < orderKey64(b);
        return aLess == min ? a : b;
    }

    /** Signed key whose order is the numeric order of non-NaN binary64 values, with -0 < +0. */
    private static long orderKey64(long a) {
        return a ^ ((a >> 63) & Long.MAX_VALUE);
    }

    /** feq.d: quiet compare (NV only for signaling NaN). Returns 0 or 1. */
    public static long eq64(Hart h, long a, long b) {
        if (SoftFloat.isNaN(a) || SoftFloat.isNaN(b)) {
            if (SoftFloat.isSNaN(a) || SoftFloat.isSNaN(b)) {
                h.fflags |= NV;
            }
            return 0;
        }
        return a == b || ((a | b) << 1) == 0 ? 1 : 0;
    }

    /** flt.d: signaling compare (NV for any NaN). */
    public static long lt64(Hart h, long a, long b) {
        if (SoftFloat.isNaN(a) || SoftFloat.isNaN(b)) {
            h.fflags |= NV;
            return 0;
        }
        if (((a | b) << 1) == 0) {
            return 0;
        }
        return orderKey64(a) < orderKey64(b) ? 1 : 0;
    }

    public static long le64(Hart h, long a, long b) {
        if (SoftFloat.isNaN(a) || SoftFloat.isNaN(b)) {
            h.fflags |= NV;
            return 0;
        }
        if (((a | b) << 1) == 0) {
            return 1;
        }
        return orderKey64(a) <= orderKey64(b) ? 1 : 0;
    }

    /** fclass.d: the 10-bit class mask. */
    public static long class64(long a) {
        return classify(a < 0, (int) (a >>> 52) & 0x7ff, 0x7ff, a & SoftFloat.FRAC64, SoftFloat.QUIET64);
    }

    private static long classify(boolean neg, int exp, int expMax, long frac, long quiet) {
        if (exp == expMax) {
            if (frac == 0) {
                return neg ? 1 : 1 << 7;
            }
            return (frac & quiet) != 0 ? 1 << 9 : 1 << 8;
        }
        if (exp == 0) {
            if (frac == 0) {
                return neg ? 1 << 3 : 1 << 4;
            }
            return neg ? 1 << 2 : 1 << 5;
        }
        return neg ? 1 << 1 : 1 << 6;
    }

    public static long toInt64(Hart h, long a, int rm, int kind) {
        if (rm != 4) {
            long r = toIntFast(h, Double.longBitsToDouble(a), rm, kind);
            if (r != NO_FAST) {
                return r;
            }
        }
        return SoftFloat.toInt(h, a, rm, kind);
    }

    /**
     * Nearest integer, ties to even (the sign of a zero result is not kept). Not Math.rint:
     * TeaVM implements that as round-half-up.
     */
    private static double roundHalfEven(double d) {
        double r = Math.floor(d);
        double frac = d - r; // exact
        if (frac > 0.5 || (frac == 0.5 && (((long) r) & 1) != 0)) {
            r += 1;
        }
        return r;
    }

    /** Returned by {@link #toIntFast} when the exact path must decide; never a valid result of it. */
    private static final long NO_FAST = 0x5a5a5a5a5a5a5a5aL;

    /**
     * Float to integer through Java's own rounding functions (all exact), for every mode but RMM,
     * when the rounded value is plainly in range. NaN fails every range test.
     */
    private static long toIntFast(Hart h, double d, int rm, int kind) {
        double r;
        switch (rm) {
            case 0:
                r = roundHalfEven(d);
                break;
            case 1:
                r = d < 0 ? Math.ceil(d) : Math.floor(d);
                break;
            case 2:
                r = Math.floor(d);
                break;
            default:
                r = Math.ceil(d);
                break;
        }
        boolean ok;
        switch (kind) {
            case 0:
                ok = r >= -2147483648.0 && r <= 2147483647.0;
                break;
            case 1:
                ok = r >= 0 && r <= 4294967295.0; // -0.0 passes: a negative value rounding to 0
                break;
            case 2:
                ok = r >= -9.223372036854775808E18 && r < 9.223372036854775808E18;
                break;
            default:
                ok = r >= 0 && r < 9.223372036854775808E18;
                break;
        }
        if (!ok) {
            return NO_FAST;
        }
        long v = (long) r;
        if (v == NO_FAST) {
            return NO_FAST;
        }
        if (r != d) {
            h.fflags |= NX;
        }
        return kind == 1 ? (int) v : v;
    }

    public static long fromInt64(Hart h, long v, int rm, int kind) {
        switch (kind) {
            case 0:
                return Double.doubleToRawLongBits((double) (int) v);
            case 1:
                return Double.doubleToRawLongBits((double) (v & 0xffffffffL));
            case 2: {
                // Java's long -> double rounds to nearest even; converting back tells exactness,
                // except for 2^63, which only an inexact rounding reaches and which saturates back.
                double d = (double) v;
                if (rm == 0 || (v + (1L << 53) >= 0 && v <= (1L << 53))) {
                    if ((long) d != v || d == 9.223372036854775808E18) {
                        h.fflags |= NX;
                    }
                    return Double.doubleToRawLongBits(d);
                }
                break;
            }
            default:
                if ((v >>> 53) == 0) {
                    return Double.doubleToRawLongBits((double) v);
                }
                break;
        }
        return SoftFloat.fromInt(h, v, rm, kind, true);
    }

    /** fcvt.s.d */
    public static int toSingle(Hart h, long a, int rm) {
        if (rm == 0 && tame64(a)) {
            double d = Double.longBitsToDouble(a);
            float f = (float) d;
            int m = Float.floatToRawIntBits(f) & 0x7fffffff;
            if (m > MIN_NORMAL32 && m < 0x7f800000) {
                if ((double) f != d) {
                    h.fflags |= NX;
                }
                return Float.floatToRawIntBits(f);
            }
        }
        return (int) SoftFloat.narrow(h, a, rm);
    }

    // ---- binary32 ----
    // binary32 operands are exact in binary64, and products (48 bits) and, when TwoSum says so,
    // sums are exact there too; rounding that exact value to binary32 is then a single rounding.
    // For quotients and roots, binary64 precision (53 >= 2*24+2) makes the double rounding
    // innocuous; exactness is then checked by multiplying back, which is exact in binary64.

    public static int add32(Hart h, int a, int b, int rm) {
        if (rm == 0 && finite32(a) && finite32(b)) {
            long r = sumTo32(h, Float.intBitsToFloat(a), Float.intBitsToFloat(b));
            if (r != NO32) {
                return (int) r;
            }
        }
        return (int) SoftFloat.add(h, SoftFloat.widen(a), SoftFloat.widen(b), rm, false);
    }

    /** Returned by {@link #sumTo32} when the exact path must decide. */
    private static final long NO32 = Long.MIN_VALUE;

    /**
     * The binary32 RNE rounding of p + z, for binary64 operands of binary32 magnitude. TwoSum
     * gives s = RN64(p + z) and its error. If the error is zero s is exact and is rounded once.
     * Otherwise s lies on the same side of every binary32 midpoint as p + z (midpoints are
     * binary64 values, and rounding is monotonic) unless s is a midpoint itself, so rounding s
     * gives the right result, inexact; midpoints and the subnormal and overflow ranges go exact.
     */
    private static long sumTo32(Hart h, double p, double z) {
        double s = p + z;
        double bv = s - p;
        double err = (p - (s - bv)) + (z - bv);
        float f = (float) s;
        int m = Float.floatToRawIntBits(f) & 0x7fffffff;
        if (err == 0) {
            if (m < 0x7f800000 && (m > MIN_NORMAL32 || f == s)) {
                if (f != s) {
                    h.fflags |= NX;
                }
                return Float.floatToRawIntBits(f);
            }
            return NO32;
        }
        if (m <= MIN_NORMAL32 || m >= 0x7f800000
                || (Double.doubleToRawLongBits(s) & 0x1fffffffL) == 0x10000000L) {
            return NO32;
        }
        h.fflags |= NX;
        return Float.floatToRawIntBits(f);
    }

    public static int sub32(Hart h, int a, int b, int rm) {
        return add32(h, a, b ^ 0x80000000, rm);
    }

    public static int mul32(Hart h, int a, int b, int rm) {
        if (rm == 0 && finite32(a) && finite32(b)) {
            double p = (double) Float.intBitsToFloat(a) * (double) Float.intBitsToFloat(b);
            float f = (float) p;
            if (safeResult32(f, p)) {
                if (f != p) {
                    h.fflags |= NX;
                }
                return Float.floatToRawIntBits(f);
            }
        }
        return (int) SoftFloat.mul(h, SoftFloat.widen(a), SoftFloat.widen(b), rm, false);
    }

    public static int div32(Hart h, int a, int b, int rm) {
        if (rm == 0 && finite32(a) && finite32(b) && (b & 0x7fffffff) != 0) {
            double x = Float.intBitsToFloat(a);
            double y = Float.intBitsToFloat(b);
            float f = (float) (x / y);
            boolean exact = (double) f * y == x;
            int m = Float.floatToRawIntBits(f) & 0x7fffffff;
            if (m < 0x7f800000 && (m > MIN_NORMAL32 || exact)) {
                if (!exact) {
                    h.fflags |= NX;
                }
                return Float.floatToRawIntBits(f);
            }
        }
        return (int) SoftFloat.div(h, SoftFloat.widen(a), SoftFloat.widen(b), rm, false);
    }

    public static int sqrt32(Hart h, int a, int rm) {
        if (rm == 0 && a > 0 && a < 0x7f800000) {
            double x = Float.intBitsToFloat(a);
            float f = (float) Math.sqrt(x);
            if ((double) f * f != x) {
                h.fflags |= NX;
            }
            return Float.floatToRawIntBits(f);
        }
        return (int) SoftFloat.sqrt(h, SoftFloat.widen(a), rm, false);
    }

    public static int fma32(Hart h, int a, int b, int c, int rm) {
        if (rm == 0 && finite32(a) && finite32(b) && finite32(c)) {
            // the product of two binary32 values is exact in binary64
            double p = (double) Float.intBitsToFloat(a) * (double) Float.intBitsToFloat(b);
            long r = sumTo32(h, p, Float.intBitsToFloat(c));
            if (r != NO32) {
                return (int) r;
            }
        }
        return (int) SoftFloat.fma(h, SoftFloat.widen(a), SoftFloat.widen(b), SoftFloat.widen(c), rm, false);
    }

    public static int min32(Hart h, int a, int b) {
        return minMax32(h, a, b, true);
    }

    public static int max32(Hart h, int a, int b) {
        return minMax32(h, a, b, false);
    }

    private static boolean isNaN32(int a) {
        return (a & 0x7fffffff) > 0x7f800000;
    }

    private static boolean isSNaN32(int a) {
        return isNaN32(a) && (a & 0x00400000) == 0;
    }

    private static int orderKey32(int a) {
        return a ^ ((a >> 31) & Integer.MAX_VALUE);
    }

    private static int minMax32(Hart h, int a, int b, boolean min) {
        boolean an = isNaN32(a);
        boolean bn = isNaN32(b);
        if (an || bn) {
            if (isSNaN32(a) || isSNaN32(b)) {
                h.fflags |= NV;
            }
            if (an && bn) {
                return CANONICAL_NAN32;
            }
            return an ? b : a;
        }
        boolean aLess = orderKey32(a) < orderKey32(b);
        return aLess == min ? a : b;
    }

    public static long eq32(Hart h, int a, int b) {
        if (isNaN32(a) || isNaN32(b)) {
            if (isSNaN32(a) || isSNaN32(b)) {
                h.fflags |= NV;
            }
            return 0;
        }
        return a == b || ((a | b) << 1) == 0 ? 1 : 0;
    }

    public static long lt32(Hart h, int a, int b) {
        if (isNaN32(a) || isNaN32(b)) {
            h.fflags |= NV;
            return 0;
        }
        if (((a | b) << 1) == 0) {
            return 0;
        }
        return orderKey32(a) < orderKey32(b) ? 1 : 0;
    }

    public static long le32(Hart h, int a, int b) {
        if (isNaN32(a) || isNaN32(b)) {
            h.fflags |= NV;
            return 0;
        }
        if (((a | b) << 1) == 0) {
            return 1;
        }
        return orderKey32(a) <= orderKey32(b) ? 1 : 0;
    }

    public static long class32(int a) {
        return classify(a < 0, (a >>> 23) & 0xff, 0xff, a & 0x7fffff, 0x400000);
    }

    public static long toInt32(Hart h, int a, int rm, int kind) {
        if (rm != 4) {
            long r = toIntFast(h, Float.intBitsToFloat(a), rm, kind);
            if (r != NO_FAST) {
                return r;
            }
        }
        return SoftFloat.toInt(h, SoftFloat.widen(a), rm, kind);
    }

    public static int fromInt32(Hart h, long v, int rm, int kind) {
        if (kind == 0) {
            int w = (int) v;
            if (w >= -(1 << 24) && w <= (1 << 24)) {
                return Float.floatToRawIntBits((float) w);
            }
        } else if (kind == 1) {
            long w = v & 0xffffffffL;
            if (w <= (1 << 24)) {
                return Float.floatToRawIntBits((float) w);
            }
        } else if (kind == 2 && rm == 0) {
            // long -> float rounds to nearest even in Java (a single rounding, unlike via double)
            float f = (float) v;
            if ((long) f != v || f == 9.223372036854775808E18f) {
                h.fflags |= NX;
            }
            return Float.floatToRawIntBits(f);
        } else if ((v >>> 24) == 0) {
            return Float.floatToRawIntBits((float) v);
        }
        return (int) SoftFloat.fromInt(h, v, rm, kind, false);
    }

    /** fcvt.d.s (exact; NV for signaling NaN input, canonical NaN out). */
    public static long toDouble(Hart h, int a) {
        if (isNaN32(a)) {
            if (isSNaN32(a)) {
                h.fflags |= NV;
            }
            return CANONICAL_NAN64;
        }
        return Double.doubleToRawLongBits(Float.intBitsToFloat(a));
    }
}
