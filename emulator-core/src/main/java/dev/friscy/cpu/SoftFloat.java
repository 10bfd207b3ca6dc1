package dev.friscy.cpu;

/**
 * The exact (integer) path of the FPU. Every operand arrives as a binary64 bit pattern: binary32
 * operands are widened first, which is exact, and the result is rounded once, directly to the
 * requested output format ({@code dbl} false = binary32, returned in the low 32 bits). So one
 * algorithm per operation serves both precisions, and no result is ever rounded twice.
 *
 * Internal form of a finite non-zero value: sign, exponent {@code e} of its leading bit, and an
 * integer significand. Operand significands are 53 bits ({@code [2^52, 2^53)}); results handed to
 * {@link #roundPack} are 64-bit with the leading bit at 62 and bit 0 acting as a sticky bit.
 */
final class SoftFloat {
    static final int RNE = 0;
    static final int RTZ = 1;
    static final int RDN = 2;
    static final int RUP = 3;
    static final int RMM = 4;

    static final long SIGN64 = 0x8000000000000000L;
    static final long FRAC64 = 0x000fffffffffffffL;
    static final long EXP64 = 0x7ff0000000000000L;
    static final long QUIET64 = 0x0008000000000000L;

    private SoftFloat() {
    }

    // ---- classification of binary64 bit patterns ----

    static boolean isNaN(long a) {
        return (a & ~SIGN64) > EXP64;
    }

    static boolean isSNaN(long a) {
        return isNaN(a) && (a & QUIET64) == 0;
    }

    static boolean isInf(long a) {
        return (a & ~SIGN64) == EXP64;
    }

    static boolean isZero(long a) {
        return (a & ~SIGN64) == 0;
    }

    /** Exponent of the leading bit of a finite non-zero binary64 value. */
    static int expOf(long a) {
        int e = (int) (a >>> 52) & 0x7ff;
        if (e != 0) {
            return e - 1023;
        }
        return -1011 - Long.numberOfLeadingZeros(a & FRAC64);
    }

    /** 53-bit significand (leading bit at 52) of a finite non-zero binary64 value. */
    static long sigOf(long a) {
        long f = a & FRAC64;
        if ((a & EXP64) != 0) {
            return f | (1L << 52);
        }
        return f << (Long.numberOfLeadingZeros(f) - 11);
    }

    /** binary32 -> binary64 bits, exactly; NaNs keep their quiet/signaling nature. */
    static long widen(int a) {
        if ((a & 0x7fffffff) > 0x7f800000) {
            long sign = (long) (a >>> 31) << 63;
            return (a & 0x00400000) != 0 ? sign | EXP64 | QUIET64 : sign | EXP64 | 1L;
        }
        return Double.doubleToRawLongBits(Float.intBitsToFloat(a));
    }

    // ---- special results in the output format ----

    static long nan(boolean dbl) {
        return dbl ? Fpu.CANONICAL_NAN64 : Fpu.CANONICAL_NAN32;
    }

    static long inf(boolean neg, boolean dbl) {
        if (dbl) {
            return neg ? 0xfff0000000000000L : 0x7ff0000000000000L;
        }
        return neg ? 0xff800000L : 0x7f800000L;
    }

    static long zero(boolean neg, boolean dbl) {
        if (!neg) {
            return 0;
        }
        return dbl ? SIGN64 : 0x80000000L;
    }

    /** A finite binary64 value that is known to be representable in the output format. */
    static long exact(long a, boolean dbl) {
        if (dbl) {
            return a;
        }
        return Float.floatToRawIntBits((float) Double.longBitsToDouble(a)) & 0xffffffffL;
    }

    // ---- rounding ----

    /**
     * Rounds (-1)^neg * sig * 2^(exp-62) to the output format. {@code sig} must lie in
     * [2^62, 2^63); bit 0 is sticky. Underflow uses tininess after rounding, as RISC-V does.
     */
    static long roundPack(Hart h, boolean neg, int exp, long sig, int rm, boolean dbl) {
        final int p = dbl ? 53 : 24;
        final int emin = dbl ? -1022 : -126;
        final int emax = dbl ? 1023 : 127;
        int drop = 63 - p;
        boolean tiny = false;
        if (exp < emin) {
            // Tiny unless rounding to p bits with unbounded exponent carries up to 2^emin.
            tiny = exp < emin - 1 || (sig >>> drop) != (1L << p) - 1
                    || !roundsUp(neg, sig & ((1L << drop) - 1), drop, 1, rm);
            drop += emin - exp;
            exp = emin;
            if (drop > 63) {
                sig = 1; // below half of the least subnormal, but not zero
                drop = 63;
            }
        }
        long kept = sig >>> drop;
        long rem = sig & ((1L << drop) - 1);
        if (rem != 0) {
            int fl = Fpu.NX;
            if (tiny) {
                fl |= Fpu.UF;
            }
            h.fflags |= fl;
            if (roundsUp(neg, rem, drop, (int) kept & 1, rm)) {
                kept++;
                if ((kept >>> p) != 0) {
                    kept >>>= 1;
                    exp++;
                }
            }
        }
        if (exp > emax) {
            h.fflags |= Fpu.OF | Fpu.NX;
            boolean toInf = rm == RNE || rm == RMM || (rm == RDN && neg) || (rm == RUP && !neg);
            if (toInf) {
                return inf(neg, dbl);
            }
            long maxFinite = dbl ? 0x7fefffffffffffffL : 0x7f7fffffL;
            return neg ? maxFinite | (dbl ? SIGN64 : 0x80000000L) : maxFinite;
        }
        // The implicit bit in kept adds one to the exponent field; subnormals have none.
        int biasMinus1 = dbl ? 1022 : 126;
        long bits = ((long) (exp + biasMinus1) << (p - 1)) + kept;
        if (neg) {
            bits |= dbl ? SIGN64 : 0x80000000L;
        }
        return bits;
    }

    /** Whether discarding {@code rem} (the low {@code drop} bits) rounds the magnitude up. */
    static boolean roundsUp(boolean neg, long rem, int drop, int lsb, int rm) {
        if (rem == 0) {
            return false;
        }
        long half = 1L << (drop - 1);
        switch (rm) {
            case RNE:
                return rem > half || (rem == half && lsb != 0);
            case RTZ:
                return false;
            case RDN:
                return neg;
            case RUP:
                return !neg;
            default:
                return rem >= half;
        }
    }

    // ---- 64x64 -> 128 ----

    /** High 64 bits of the unsigned 128-bit product; the low half is simply {@code a * b}. */
    static long mulHi(long a, long b) {
        long a0 = a & 0xffffffffL;
        long a1 = a >>> 32;
        long b0 = b & 0xffffffffL;
        long b1 = b >>> 32;
        long p00 = a0 * b0;
        long p01 = a0 * b1;
        long p10 = a1 * b0;
        long mid = (p00 >>> 32) + (p01 & 0xffffffffL) + (p10 & 0xffffffffL);
        return a1 * b1 + (p01 >>> 32) + (p10 >>> 32) + (mid >>> 32);
    }

    static long shiftRightJam(long x, int n) {
        if (n == 0) {
            return x;
        }
        if (n > 62) {
            return x != 0 ? 1 : 0;
        }
        return (x >>> n) | ((x & ((1L << n) - 1)) != 0 ? 1 : 0);
    }

    // ---- operations (operands are binary64 bit patterns) ----

    static long add(Hart h, long a, long b, int rm, boolean dbl) {
        if (isNaN(a) || isNaN(b)) {
            if (isSNaN(a) || isSNaN(b)) {
                h.fflags |= Fpu.NV;
            }
            return nan(dbl);
        }
        boolean sa = a < 0;
        boolean sb = b < 0;
        if (isInf(a)) {
            if (isInf(b) && sa != sb) {
                h.fflags |= Fpu.NV;
                return nan(dbl);
            }
            return inf(sa, dbl);
        }
        if (isInf(b)) {
            return inf(sb, dbl);
        }
        if (isZero(a)) {
            if (isZero(b)) {
                return zero(sa == sb ? sa : rm == RDN, dbl);
            }
            return exact(b, dbl);
        }
        if (isZero(b)) {
            return exact(a, dbl);
        }
        return addFinite(h, sa, expOf(a), sigOf(a), sb, expOf(b), sigOf(b), rm, dbl);
    }

    static long addFinite(Hart h, boolean sa, int ea, long ma, boolean sb, int eb, long mb, int rm,
            boolean dbl) {
        // Leading bits at 61: the sum cannot overflow 63 bits, and >= 9 guard bits stay below
        // the rounding point, so the jammed sticky bit never reaches it.
        ma <<= 9;
        mb <<= 9;
        if (ea < eb || (ea == eb && ma < mb)) {
            boolean ts = sa;
            sa = sb;
            sb = ts;
            int te = ea;
            ea = eb;
            eb = te;
            long tm = ma;
            ma = mb;
            mb = tm;
        }
        mb = shiftRightJam(mb, Math.min(ea - eb, 63));
        long sum;
        if (sa == sb) {
            sum = ma + mb;
        } else {
            sum = ma - mb;
            if (sum == 0) {
                return zero(rm == RDN, dbl);
            }
        }
        int lz = Long.numberOfLeadingZeros(sum);
        return roundPack(h, sa, ea + 2 - lz, sum << (lz - 1), rm, dbl);
    }

    static long mul(Hart h, long a, long b, int rm, boolean dbl) {
        if (isNaN(a) || isNaN(b)) {
            if (isSNaN(a) || isSNaN(b)) {
                h.fflags |= Fpu.NV;
            }
            return nan(dbl);
        }
        boolean s = (a ^ b) < 0;
        if (isInf(a) || isInf(b)) {
            if (isZero(a) || isZero(b)) {
                h.fflags |= Fpu.NV;
                return nan(dbl);
            }
            return inf(s, dbl);
        }
        if (isZero(a) || isZero(b)) {
            return zero(s, dbl);
        }
        return mulFinite(h, s, expOf(a) + expOf(b), sigOf(a), sigOf(b), rm, dbl);
    }

    static long mulFinite(Hart h, boolean s, int e, long ma, long mb, int rm, boolean dbl) {
        long lo = ma * mb;
        long hi = mulHi(ma, mb); // product in [2^104, 2^106): hi < 2^42
        long sig;
        if ((hi & (1L << 41)) != 0) {
            sig = (hi << 21) | (lo >>> 43) | ((lo << 21) != 0 ? 1 : 0);
            e++;
        } else {
            sig = (hi << 22) | (lo >>> 42) | ((lo << 22) != 0 ? 1 : 0);
        }
        return roundPack(h, s, e, sig, rm, dbl);
    }

    static long div(Hart h, long a, long b, int rm, boolean dbl) {
        if (isNaN(a) || isNaN(b)) {
            if (isSNaN(a) || isSNaN(b)) {
                h.fflags |= Fpu.NV;
            }
            return nan(dbl);
        }
        boolean s = (a ^ b) < 0;
        if (isInf(a)) {
            if (isInf(b)) {
                h.fflags |= Fpu.NV;
                return nan(dbl);
            }
            return inf(s, dbl);
        }
        if (isInf(b)) {
            return zero(s, dbl);
        }
        if (isZero(b)) {
            if (isZero(a)) {
                h.fflags |= Fpu.NV;
                return nan(dbl);
            }
            h.fflags |= Fpu.DZ;
            return inf(s, dbl);
        }
        if (isZero(a)) {
            return zero(s, dbl);
        }
        int e = expOf(a) - expOf(b);
        long ma = sigOf(a);
        long mb = sigOf(b);
        if (ma < mb) {
            ma <<= 1;
            e--;
        }
        // ma/mb in [1, 2); the remainder stays below mb < 2^53, so 10 quotient bits per step fit.
        long q = ma / mb;
        long r = ma - q * mb;
        for (int i = 0; i < 6; i++) {
            r <<= 10;
            long d = r / mb;
            q = (q << 10) | d;
            r -= d * mb;
        }
        // q = floor(ma * 2^60 / mb) in [2^60, 2^61)
        return roundPack(h, s, e, (q << 2) | (r != 0 ? 1 : 0), rm, dbl);
    }

    static long sqrt(Hart h, long a, int rm, boolean dbl) {
        if (isNaN(a)) {
            if (isSNaN(a)) {
                h.fflags |= Fpu.NV;
            }
            return nan(dbl);
        }
        if (isZero(a)) {
            return zero(a < 0, dbl);
        }
        if (a < 0) {
            h.fflags |= Fpu.NV;
            return nan(dbl);
        }
        if (isInf(a)) {
            return inf(false, dbl);
        }
        long r = Double.doubleToRawLongBits(Math.sqrt(Double.longBitsToDouble(a)));
        int er = expOf(r);
        long mr = sigOf(r);
        int cmp = compareSquare(mr, er, sigOf(a), expOf(a));
        // r is the correctly rounded (to nearest) root t. Replace it by a 64-bit value on the
        // same side of r as t and closer to r than any rounding boundary at <= 53 bits.
        long sig = mr << 10;
        if (cmp > 0) { // t < r
            sig--;
            if ((sig >>> 62) == 0) {
                sig = Long.MAX_VALUE;
                er--;
            }
        } else if (cmp < 0) {
            sig |= 1;
        }
        return roundPack(h, false, er, sig, rm, dbl);
    }

    /** Sign of r^2 - x for r = mr*2^(er-52), x = mx*2^(ex-52), with r close to sqrt(x). */
    static int compareSquare(long mr, int er, long mx, int ex) {
        long sqHi = mulHi(mr, mr);
        long sqLo = mr * mr;
        int s = ex - 2 * er + 52; // 51..53 since r ~ sqrt(x)
        long xHi = mx >>> (64 - s);
        long xLo = mx << s;
        if (sqHi != xHi) {
            return Long.compareUnsigned(sqHi, xHi);
        }
        return Long.compareUnsigned(sqLo, xLo);
    }

    static long fma(Hart h, long a, long b, long c, int rm, boolean dbl) {
        if (isNaN(a) || isNaN(b) || isNaN(c)) {
            // RISC-V: inf * 0 is invalid even when the addend is a quiet NaN.
            if (isSNaN(a) || isSNaN(b) || isSNaN(c) || (isInf(a) && isZero(b))
                    || (isZero(a) && isInf(b))) {
                h.fflags |= Fpu.NV;
            }
            return nan(dbl);
        }
        boolean sp = (a ^ b) < 0;
        boolean sc = c < 0;
        if (isInf(a) || isInf(b)) {
            if (isZero(a) || isZero(b) || (isInf(c) && sc != sp)) {
                h.fflags |= Fpu.NV;
                return nan(dbl);
            }
            return inf(sp, dbl);
        }
        if (isInf(c)) {
            return inf(sc, dbl);
        }
        if (isZero(a) || isZero(b)) {
            if (isZero(c)) {
                return zero(sp == sc ? sp : rm == RDN, dbl);
            }
            return exact(c, dbl);
        }
        int ep = expOf(a) + expOf(b);
        if (isZero(c)) {
            return mulFinite(h, sp, ep, sigOf(a), sigOf(b), rm, dbl);
        }
        long ma = sigOf(a);
        long mb = sigOf(b);
        // P = ma*mb << 20, in [2^124, 2^126), worth P * 2^(ep-124)
        long plo = ma * mb;
        long phi = (mulHi(ma, mb) << 20) | (plo >>> 44);
        plo <<= 20;
        // C = mc << 72, in [2^124, 2^125), worth C * 2^(ec-124)
        int ec = expOf(c);
        long chi = sigOf(c) << 8;
        long clo = 0;
        int e;
        int d = ep - ec;
        if (d >= 0) {
            e = ep;
            if (d > 0) {
                // shift C right by d; its low 72 bits are zero, so only d > 72 can lose bits
                if (d < 64) {
                    clo = chi << (64 - d);
                    chi >>>= d;
                } else if (d == 64) {
                    clo = chi;
                    chi = 0;
                } else if (d < 128) {
                    clo = (chi >>> (d - 64)) | ((chi << (128 - d)) != 0 ? 1 : 0);
                    chi = 0;
                } else {
                    clo = 1;
                    chi = 0;
                }
            }
        } else {
            e = ec;
            int n = -d;
            if (n < 64) {
                boolean st = (plo << (64 - n)) != 0;
                plo = (plo >>> n) | (phi << (64 - n)) | (st ? 1 : 0);
                phi >>>= n;
            } else if (n == 64) {
                plo = phi | (plo != 0 ? 1 : 0);
                phi = 0;
            } else if (n < 128) {
                boolean st = plo != 0 || (phi << (128 - n)) != 0;
                plo = (phi >>> (n - 64)) | (st ? 1 : 0);
                phi = 0;
            } else {
                plo = 1;
                phi = 0;
            }
        }
        long hi;
        long lo;
        boolean s;
        if (sp == sc) {
            lo = plo + clo;
            hi = phi + chi + (Long.compareUnsigned(lo, plo) < 0 ? 1 : 0);
            s = sp;
        } else {
            lo = plo - clo;
            hi = phi - chi - (Long.compareUnsigned(plo, clo) < 0 ? 1 : 0);
            s = sp;
            if (hi < 0) {
                // negate the 128-bit value
                lo = -lo;
                hi = ~hi + (lo == 0 ? 1 : 0);
                s = sc;
            }
            if ((hi | lo) == 0) {
                return zero(rm == RDN, dbl);
            }
        }
        // Bring the leading bit (position L of the 128-bit value) to bit 62 of a 64-bit word.
        int l = hi != 0 ? 127 - Long.numberOfLeadingZeros(hi) : 63 - Long.numberOfLeadingZeros(lo);
        long sig;
        if (l > 62) {
            int n = l - 62; // 1..64
            if (n < 64) {
                boolean st = (lo << (64 - n)) != 0;
                sig = (lo >>> n) | (hi << (64 - n)) | (st ? 1 : 0);
            } else {
                sig = hi | (lo != 0 ? 1 : 0);
            }
        } else {
            sig = lo << (62 - l);
        }
        return roundPack(h, s, e - 124 + l, sig, rm, dbl);
    }

    // ---- conversions ----

    /** Float (binary64 bits) to integer of the given kind, with RISC-V saturation. */
    static long toInt(Hart h, long a, int rm, int kind) {
        boolean neg = a < 0;
        if ((a & EXP64) == EXP64) {
            h.fflags |= Fpu.NV;
            return isNaN(a) || !neg ? intMax(kind) : intMin(kind);
        }
        if (isZero(a)) {
            return 0;
        }
        int x = expOf(a);
        if (x >= 64) {
            h.fflags |= Fpu.NV;
            return neg ? intMin(kind) : intMax(kind);
        }
        long m = sigOf(a);
        long mag;
        boolean inexact = false;
        if (x >= 52) {
            mag = m << (x - 52);
        } else {
            int shift = 52 - x;
            long kept;
            long rem;
            if (shift > 63) {
                kept = 0;
                rem = 1;
                shift = 63;
            } else {
                kept = m >>> shift;
                rem = m & ((1L << shift) - 1);
            }
            inexact = rem != 0;
            mag = kept + (roundsUp(neg, rem, shift, (int) kept & 1, rm) ? 1 : 0);
        }
        boolean fits;
        long result;
        switch (kind) {
            case 0:
                fits = Long.compareUnsigned(mag, neg ? 0x80000000L : 0x7fffffffL) <= 0;
                result = neg ? -mag : mag;
                break;
            case 1:
                fits = neg ? mag == 0 : Long.compareUnsigned(mag, 0xffffffffL) <= 0;
                result = (int) mag;
                break;
            case 2:
                fits = neg ? Long.compareUnsigned(mag, SIGN64) <= 0 : mag >= 0;
                result = neg ? -mag : mag;
                break;
            default:
                fits = !neg || mag == 0;
                result = mag;
                break;
        }
        if (!fits) {
            h.fflags |= Fpu.NV;
            return neg ? intMin(kind) : intMax(kind);
        }
        if (inexact) {
            h.fflags |= Fpu.NX;
        }
        return result;
    }

    static long intMax(int kind) {
        switch (kind) {
            case 0:
                return 0x7fffffffL;
            case 2:
                return Long.MAX_VALUE;
            default:
                return -1L; // WU (0xffffffff sign-extended) and LU
        }
    }

    static long intMin(int kind) {
        switch (kind) {
            case 0:
                return Integer.MIN_VALUE;
            case 2:
                return Long.MIN_VALUE;
            default:
                return 0;
        }
    }

    /** Integer of the given kind to float of the output format. */
    static long fromInt(Hart h, long v, int rm, int kind, boolean dbl) {
        boolean neg;
        long mag;
        switch (kind) {
            case 0: {
                int w = (int) v;
                neg = w < 0;
                mag = Math.abs((long) w);
                break;
            }
            case 1:
                neg = false;
                mag = v & 0xffffffffL;
                break;
            case 2:
                neg = v < 0;
                mag = neg ? -v : v;
                break;
            default:
                neg = false;
                mag = v;
                break;
        }
        if (mag == 0) {
            return 0;
        }
        int lz = Long.numberOfLeadingZeros(mag);
        long sig = lz == 0 ? (mag >>> 1) | (mag & 1) : mag << (lz - 1);
        return roundPack(h, neg, 63 - lz, sig, rm, dbl);
    }

    /** Narrowing of a binary64 value to binary32 (fcvt.s.d). */
    static long narrow(Hart h, long a, int rm) {
        if (isNaN(a)) {
            if (isSNaN(a)) {
                h.fflags |= Fpu.NV;
            }
            return Fpu.CANONICAL_NAN32;
        }
        if (isInf(a)) {
            return inf(a < 0, false);
        }
        if (isZero(a)) {
            return zero(a < 0, false);
        }
        return roundPack(h, a < 0, expOf(a), sigOf(a) << 10, rm, false);
    }
}
