package dev.friscy.cpu;

/**
 * FPU entries for translated code on the JVM only: they use {@link Math#fma}, one instruction
 * where the host CPU has FMA, which TeaVM's class library lacks. Nothing the Worker build reaches
 * may call them (the interpreter calls {@link Fpu}, whose binary64 fma works from binary64
 * additions and multiplications alone). Same contract and results as {@link Fpu}'s entries.
 */
public final class FpuJvm {
    private FpuJvm() {
    }

    private static final long SIGN = 0x8000000000000000L;

    /**
     * fmadd.d and its sign-flipped forms, as {@link Fpu#fma64}. In RNE, with normal operands (the
     * addend may also be a zero), the host computes the correctly rounded result, and exactness
     * follows from the lowest set bits: x*y's is the sum of x's and y's (a product of odd integers
     * is odd), z's is its own, and the exact x*y + z is a multiple of the lower of the two. If that
     * bit is not below the result's ulp, the exact value is a multiple of the ulp within half an
     * ulp of the result, so it is the result: exact. If it is below and the two bits differ, it is
     * the exact value's lowest set bit: inexact. Equal bits below the ulp (which may carry or
     * cancel), results that may be tiny or overflow, and other modes go to {@link Fpu#fma64}.
     * Code on data with few significant bits (small integers scaled by powers of two) is exact
     * nearly always, and mostly with equal lowest bits: decided here too.
     */
    public static long fma64(Hart h, long a, long b, long c, int rm) {
        int ea = (int) (a >>> 52) & 0x7ff;
        int eb = (int) (b >>> 52) & 0x7ff;
        int ec = (int) (c >>> 52) & 0x7ff;
        if (rm == 0 && ea != 0 && ea != 0x7ff && eb != 0 && eb != 0x7ff && ec != 0x7ff && (ec != 0 || (c << 1) == 0)) {
            // lowest set bits, as exponents: biased exponent - 1075 + trailing zeros of the significand
            int lxy = ea + eb - 2150 + Long.numberOfTrailingZeros(a | (1L << 52))
                    + Long.numberOfTrailingZeros(b | (1L << 52));
            int lz = ec == 0 ? Integer.MAX_VALUE : ec - 1075 + Long.numberOfTrailingZeros(c | (1L << 52));
            long r = Double.doubleToRawLongBits(
                    Math.fma(Double.longBitsToDouble(a), Double.longBitsToDouble(b), Double.longBitsToDouble(c)));
            long m = r & ~SIGN;
            if (m > 0x0010000000000000L && m < 0x7ff0000000000000L) { // normal, above the least normal
                int low = Math.min(lxy, lz);
                if (low >= (int) (m >>> 52) - 1075) {
                    return r;
                }
                if (lxy != lz) {
                    h.fflags |= Fpu.NX;
                    return r;
                }
                if (ea + eb >= 1130 && ea + eb <= 3000 && m >= 111L << 52) {
                    // equal lowest bits below the ulp, far from underflow and overflow: the
                    // exact error of the fma (Boldo and Muller's ErrFma, from error-free
                    // transformations) is zero or not. Rare in general, but data with a few
                    // significant bits hits it often, and the soft-float fallback it replaces
                    // is a call inside translated loops, which makes C2 spill their registers
                    if (fmaError(a, b, c, r) != 0) {
                        h.fflags |= Fpu.NX;
                    }
                    return r;
                }
            }
        }
        return Fpu.fma64(h, a, b, c, rm);
    }

    /**
     * a*b + c - r rounded to nearest, where r is the rounded fma of the three: zero exactly when
     * r is exact, provided nothing underflows or overflows on the way (the caller's bounds).
     * x*y = u1 + u2 exactly (TwoProd by fma), then two TwoSums and a final sum carry the rest.
     */
    private static double fmaError(long a, long b, long c, long r) {
        double x = Double.longBitsToDouble(a);
        double y = Double.longBitsToDouble(b);
        double z = Double.longBitsToDouble(c);
        double r1 = Double.longBitsToDouble(r);
        double u1 = x * y;
        double u2 = Math.fma(x, y, -u1);
        double a1 = z + u2;
        double t = a1 - z;
        double a2 = (z - (a1 - t)) + (u2 - t);
        double b1 = u1 + a1;
        t = b1 - u1;
        double b2 = (u1 - (b1 - t)) + (a1 - t);
        double g = (b1 - r1) + b2;
        return g + a2;
    }
}
