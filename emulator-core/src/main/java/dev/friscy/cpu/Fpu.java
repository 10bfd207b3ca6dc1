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

    // ---- binary64 ----
    public static long add64(Hart h, long a, long b, int rm) { throw new UnsupportedOperationException(); }
    public static long sub64(Hart h, long a, long b, int rm) { throw new UnsupportedOperationException(); }
    public static long mul64(Hart h, long a, long b, int rm) { throw new UnsupportedOperationException(); }
    public static long div64(Hart h, long a, long b, int rm) { throw new UnsupportedOperationException(); }
    public static long sqrt64(Hart h, long a, int rm) { throw new UnsupportedOperationException(); }
    public static long fma64(Hart h, long a, long b, long c, int rm) { throw new UnsupportedOperationException(); }
    public static long min64(Hart h, long a, long b) { throw new UnsupportedOperationException(); }
    public static long max64(Hart h, long a, long b) { throw new UnsupportedOperationException(); }
    /** feq.d: quiet compare (NV only for signaling NaN). Returns 0 or 1. */
    public static long eq64(Hart h, long a, long b) { throw new UnsupportedOperationException(); }
    /** flt.d: signaling compare (NV for any NaN). */
    public static long lt64(Hart h, long a, long b) { throw new UnsupportedOperationException(); }
    public static long le64(Hart h, long a, long b) { throw new UnsupportedOperationException(); }
    /** fclass.d: the 10-bit class mask. */
    public static long class64(long a) { throw new UnsupportedOperationException(); }
    public static long toInt64(Hart h, long a, int rm, int kind) { throw new UnsupportedOperationException(); }
    public static long fromInt64(Hart h, long v, int rm, int kind) { throw new UnsupportedOperationException(); }
    /** fcvt.s.d */
    public static int toSingle(Hart h, long a, int rm) { throw new UnsupportedOperationException(); }

    // ---- binary32 ----
    public static int add32(Hart h, int a, int b, int rm) { throw new UnsupportedOperationException(); }
    public static int sub32(Hart h, int a, int b, int rm) { throw new UnsupportedOperationException(); }
    public static int mul32(Hart h, int a, int b, int rm) { throw new UnsupportedOperationException(); }
    public static int div32(Hart h, int a, int b, int rm) { throw new UnsupportedOperationException(); }
    public static int sqrt32(Hart h, int a, int rm) { throw new UnsupportedOperationException(); }
    public static int fma32(Hart h, int a, int b, int c, int rm) { throw new UnsupportedOperationException(); }
    public static int min32(Hart h, int a, int b) { throw new UnsupportedOperationException(); }
    public static int max32(Hart h, int a, int b) { throw new UnsupportedOperationException(); }
    public static long eq32(Hart h, int a, int b) { throw new UnsupportedOperationException(); }
    public static long lt32(Hart h, int a, int b) { throw new UnsupportedOperationException(); }
    public static long le32(Hart h, int a, int b) { throw new UnsupportedOperationException(); }
    public static long class32(int a) { throw new UnsupportedOperationException(); }
    public static long toInt32(Hart h, int a, int rm, int kind) { throw new UnsupportedOperationException(); }
    public static int fromInt32(Hart h, long v, int rm, int kind) { throw new UnsupportedOperationException(); }
    /** fcvt.d.s (exact; NV for signaling NaN input, canonical NaN out). */
    public static long toDouble(Hart h, int a) { throw new UnsupportedOperationException(); }
}
