/*
 * fpvectors: prints RISC-V F/D test vectors computed by the machine it runs on (qemu or real
 * hardware), one line per case:
 *
 *   <insn> <rm> <operand>... <result> <fflags>
 *
 * <rm> is s0..s4 for a static rounding mode in the instruction, d0..d4 for rm=dyn with that frm,
 * or "-" for instructions without a rounding mode. Operands and results are hex bit patterns:
 * 8 digits for binary32, 16 for binary64 and for integer registers. fflags is cleared before and
 * read right after each instruction, inside one asm block.
 *
 * Usage: fpvectors [OP|all|quick [SEED [SCALE]]]: one instruction, all, or all with fewer cases;
 * another random seed; SCALE times more random cases. The defaults are what FpuDifferentialTest
 * checks; "quick" is what FpuGuestTest runs on friscy itself.
 *
 * Build: riscv64-linux-gnu-gcc -static -O2 -o fpvectors fpvectors.c
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint64_t u64;
typedef uint32_t u32;

static inline double d_of(u64 u) { double d; memcpy(&d, &u, 8); return d; }
static inline float s_of(u64 u) { u32 w = (u32)u; float f; memcpy(&f, &w, 4); return f; }
static inline u64 u_d(double d) { u64 u; memcpy(&u, &d, 8); return u; }
static inline u64 u_s(float f) { u32 w; memcpy(&w, &f, 4); return w; }
static inline u64 x_of(u64 u) { return u; }
static inline u64 u_x(u64 u) { return u; }

typedef u64 (*opfn)(u64 a, u64 b, u64 c, unsigned frm, unsigned *fl);

#define PRE "fsrm %[m]\n\tfsflags x0\n\t"
#define POST "\n\tfrflags %[fl]"
#define RMSUF(RMN) ", " #RMN

/* Two float operands -> float result, with rounding mode. */
#define OP_FF_F(N, INSN, T, S, RMN)                                                         \
    static u64 N##_##RMN(u64 a, u64 b, u64 c, unsigned m, unsigned *fl) {                  \
        T x = S##_of(a), y = S##_of(b), r;                                                  \
        unsigned f;                                                                         \
        (void)c;                                                                            \
        __asm__ volatile(PRE INSN " %[r], %[x], %[y]" RMSUF(RMN) POST                       \
                         : [r] "=&f"(r), [fl] "=&r"(f)                                      \
                         : [x] "f"(x), [y] "f"(y), [m] "r"(m));                             \
        *fl = f;                                                                            \
        return u_##S(r);                                                                    \
    }

/* Two float operands -> float result, no rounding mode (fmin/fmax). */
#define OP_FF_F_NORM(N, INSN, T, S)                                                         \
    static u64 N(u64 a, u64 b, u64 c, unsigned m, unsigned *fl) {                          \
        T x = S##_of(a), y = S##_of(b), r;                                                  \
        unsigned f;                                                                         \
        (void)c;                                                                            \
        __asm__ volatile(PRE INSN " %[r], %[x], %[y]" POST                                  \
                         : [r] "=&f"(r), [fl] "=&r"(f)                                      \
                         : [x] "f"(x), [y] "f"(y), [m] "r"(m));                             \
        *fl = f;                                                                            \
        return u_##S(r);                                                                    \
    }

/* Two float operands -> integer register (compares). */
#define OP_FF_X(N, INSN, T, S)                                                              \
    static u64 N(u64 a, u64 b, u64 c, unsigned m, unsigned *fl) {                          \
        T x = S##_of(a), y = S##_of(b);                                                     \
        u64 r;                                                                              \
        unsigned f;                                                                         \
        (void)c;                                                                            \
        __asm__ volatile(PRE INSN " %[r], %[x], %[y]" POST                                  \
                         : [r] "=&r"(r), [fl] "=&r"(f)                                      \
                         : [x] "f"(x), [y] "f"(y), [m] "r"(m));                             \
        *fl = f;                                                                            \
        return r;                                                                           \
    }

/* Three float operands -> float result, with rounding mode (fused multiply-add family). */
#define OP_FFF_F(N, INSN, T, S, RMN)                                                        \
    static u64 N##_##RMN(u64 a, u64 b, u64 c, unsigned m, unsigned *fl) {                  \
        T x = S##_of(a), y = S##_of(b), z = S##_of(c), r;                                   \
        unsigned f;                                                                         \
        __asm__ volatile(PRE INSN " %[r], %[x], %[y], %[z]" RMSUF(RMN) POST                 \
                         : [r] "=&f"(r), [fl] "=&r"(f)                                      \
                         : [x] "f"(x), [y] "f"(y), [z] "f"(z), [m] "r"(m));                 \
        *fl = f;                                                                            \
        return u_##S(r);                                                                    \
    }

/* One operand of type TI (constraint CI) -> result of type TO (constraint CO), with rm. */
#define OP_1(N, INSN, TI, SI, CI, TO, SO, CO, RMN)                                          \
    static u64 N##_##RMN(u64 a, u64 b, u64 c, unsigned m, unsigned *fl) {                  \
        TI x = SI##_of(a);                                                                  \
        TO r;                                                                               \
        unsigned f;                                                                         \
        (void)b;                                                                            \
        (void)c;                                                                            \
        __asm__ volatile(PRE INSN " %[r], %[x]" RMSUF(RMN) POST                             \
                         : [r] "=&" CO(r), [fl] "=&r"(f)                                    \
                         : [x] CI(x), [m] "r"(m));                                          \
        *fl = f;                                                                            \
        return u_##SO(r);                                                                   \
    }

/* One operand -> result, no rounding mode. */
#define OP_1_NORM(N, INSN, TI, SI, CI, TO, SO, CO)                                          \
    static u64 N(u64 a, u64 b, u64 c, unsigned m, unsigned *fl) {                          \
        TI x = SI##_of(a);                                                                  \
        TO r;                                                                               \
        unsigned f;                                                                         \
        (void)b;                                                                            \
        (void)c;                                                                            \
        __asm__ volatile(PRE INSN " %[r], %[x]" POST                                        \
                         : [r] "=&" CO(r), [fl] "=&r"(f)                                    \
                         : [x] CI(x), [m] "r"(m));                                          \
        *fl = f;                                                                            \
        return u_##SO(r);                                                                   \
    }

#define RM6(M, ...) \
    M(__VA_ARGS__, rne) M(__VA_ARGS__, rtz) M(__VA_ARGS__, rdn) M(__VA_ARGS__, rup) M(__VA_ARGS__, rmm) M(__VA_ARGS__, dyn)
#define TAB6(N) static const opfn N##_t[6] = {N##_rne, N##_rtz, N##_rdn, N##_rup, N##_rmm, N##_dyn};
#define TAB1(N) static const opfn N##_t[6] = {N, N, N, N, N, N};

#define FFF "f"
#define RRR "r"

/* ---- binary64 ---- */
RM6(OP_FF_F, fadd_d, "fadd.d", double, d) TAB6(fadd_d)
RM6(OP_FF_F, fsub_d, "fsub.d", double, d) TAB6(fsub_d)
RM6(OP_FF_F, fmul_d, "fmul.d", double, d) TAB6(fmul_d)
RM6(OP_FF_F, fdiv_d, "fdiv.d", double, d) TAB6(fdiv_d)
RM6(OP_1, fsqrt_d, "fsqrt.d", double, d, FFF, double, d, FFF) TAB6(fsqrt_d)
RM6(OP_FFF_F, fmadd_d, "fmadd.d", double, d) TAB6(fmadd_d)
RM6(OP_FFF_F, fmsub_d, "fmsub.d", double, d) TAB6(fmsub_d)
RM6(OP_FFF_F, fnmadd_d, "fnmadd.d", double, d) TAB6(fnmadd_d)
RM6(OP_FFF_F, fnmsub_d, "fnmsub.d", double, d) TAB6(fnmsub_d)
OP_FF_F_NORM(fmin_d, "fmin.d", double, d) TAB1(fmin_d)
OP_FF_F_NORM(fmax_d, "fmax.d", double, d) TAB1(fmax_d)
OP_FF_X(feq_d, "feq.d", double, d) TAB1(feq_d)
OP_FF_X(flt_d, "flt.d", double, d) TAB1(flt_d)
OP_FF_X(fle_d, "fle.d", double, d) TAB1(fle_d)
OP_1_NORM(fclass_d, "fclass.d", double, d, FFF, u64, x, RRR) TAB1(fclass_d)
RM6(OP_1, fcvt_w_d, "fcvt.w.d", double, d, FFF, u64, x, RRR) TAB6(fcvt_w_d)
RM6(OP_1, fcvt_wu_d, "fcvt.wu.d", double, d, FFF, u64, x, RRR) TAB6(fcvt_wu_d)
RM6(OP_1, fcvt_l_d, "fcvt.l.d", double, d, FFF, u64, x, RRR) TAB6(fcvt_l_d)
RM6(OP_1, fcvt_lu_d, "fcvt.lu.d", double, d, FFF, u64, x, RRR) TAB6(fcvt_lu_d)
OP_1_NORM(fcvt_d_w, "fcvt.d.w", u64, x, RRR, double, d, FFF) TAB1(fcvt_d_w)
OP_1_NORM(fcvt_d_wu, "fcvt.d.wu", u64, x, RRR, double, d, FFF) TAB1(fcvt_d_wu)
RM6(OP_1, fcvt_d_l, "fcvt.d.l", u64, x, RRR, double, d, FFF) TAB6(fcvt_d_l)
RM6(OP_1, fcvt_d_lu, "fcvt.d.lu", u64, x, RRR, double, d, FFF) TAB6(fcvt_d_lu)
RM6(OP_1, fcvt_s_d, "fcvt.s.d", double, d, FFF, float, s, FFF) TAB6(fcvt_s_d)

/* ---- binary32 ---- */
RM6(OP_FF_F, fadd_s, "fadd.s", float, s) TAB6(fadd_s)
RM6(OP_FF_F, fsub_s, "fsub.s", float, s) TAB6(fsub_s)
RM6(OP_FF_F, fmul_s, "fmul.s", float, s) TAB6(fmul_s)
RM6(OP_FF_F, fdiv_s, "fdiv.s", float, s) TAB6(fdiv_s)
RM6(OP_1, fsqrt_s, "fsqrt.s", float, s, FFF, float, s, FFF) TAB6(fsqrt_s)
RM6(OP_FFF_F, fmadd_s, "fmadd.s", float, s) TAB6(fmadd_s)
RM6(OP_FFF_F, fmsub_s, "fmsub.s", float, s) TAB6(fmsub_s)
RM6(OP_FFF_F, fnmadd_s, "fnmadd.s", float, s) TAB6(fnmadd_s)
RM6(OP_FFF_F, fnmsub_s, "fnmsub.s", float, s) TAB6(fnmsub_s)
OP_FF_F_NORM(fmin_s, "fmin.s", float, s) TAB1(fmin_s)
OP_FF_F_NORM(fmax_s, "fmax.s", float, s) TAB1(fmax_s)
OP_FF_X(feq_s, "feq.s", float, s) TAB1(feq_s)
OP_FF_X(flt_s, "flt.s", float, s) TAB1(flt_s)
OP_FF_X(fle_s, "fle.s", float, s) TAB1(fle_s)
OP_1_NORM(fclass_s, "fclass.s", float, s, FFF, u64, x, RRR) TAB1(fclass_s)
RM6(OP_1, fcvt_w_s, "fcvt.w.s", float, s, FFF, u64, x, RRR) TAB6(fcvt_w_s)
RM6(OP_1, fcvt_wu_s, "fcvt.wu.s", float, s, FFF, u64, x, RRR) TAB6(fcvt_wu_s)
RM6(OP_1, fcvt_l_s, "fcvt.l.s", float, s, FFF, u64, x, RRR) TAB6(fcvt_l_s)
RM6(OP_1, fcvt_lu_s, "fcvt.lu.s", float, s, FFF, u64, x, RRR) TAB6(fcvt_lu_s)
RM6(OP_1, fcvt_s_w, "fcvt.s.w", u64, x, RRR, float, s, FFF) TAB6(fcvt_s_w)
RM6(OP_1, fcvt_s_wu, "fcvt.s.wu", u64, x, RRR, float, s, FFF) TAB6(fcvt_s_wu)
RM6(OP_1, fcvt_s_l, "fcvt.s.l", u64, x, RRR, float, s, FFF) TAB6(fcvt_s_l)
RM6(OP_1, fcvt_s_lu, "fcvt.s.lu", u64, x, RRR, float, s, FFF) TAB6(fcvt_s_lu)
OP_1_NORM(fcvt_d_s, "fcvt.d.s", float, s, FFF, double, d, FFF) TAB1(fcvt_d_s)

/* ---- operand generation ---- */

enum ty { S = 32, D = 64, X = 0 };

static u64 rng_state = 0x9e3779b97f4a7c15ull;
static u64 rnd(void) {
    u64 x = rng_state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    rng_state = x;
    return x * 0x2545f4914f6cdd1dull;
}
static unsigned rndn(unsigned n) { return (unsigned)(rnd() % n); }

static int ebits(enum ty t) { return t == D ? 11 : 8; }
static int fbits(enum ty t) { return t == D ? 52 : 23; }
static int bias(enum ty t) { return t == D ? 1023 : 127; }
static int emaxb(enum ty t) { return t == D ? 0x7ff : 0xff; }
static u64 fmask(enum ty t) { return (1ull << fbits(t)) - 1; }

static u64 mk(enum ty t, int sign, int bexp, u64 frac) {
    return ((u64)sign << (ebits(t) + fbits(t))) | ((u64)bexp << fbits(t)) | (frac & fmask(t));
}

/* value = 2^k * (1 + frac), frac given as top bits; k unbiased */
static u64 pow2(enum ty t, int sign, int k) { return mk(t, sign, k + bias(t), 0); }

#define MAXC 200
static u64 corners[MAXC];
static int ncorners;
static void addc(u64 v) { corners[ncorners++] = v; }

static void make_corners(enum ty t) {
    int f = fbits(t), e = emaxb(t);
    ncorners = 0;
    for (int s = 0; s < 2; s++) {
        addc(mk(t, s, 0, 0));                       /* zero */
        addc(mk(t, s, 0, 1));                       /* min subnormal */
        addc(mk(t, s, 0, fmask(t)));                /* max subnormal */
        addc(mk(t, s, 0, 1ull << (f - 1)));         /* mid subnormal */
        addc(mk(t, s, 1, 0));                       /* min normal */
        addc(mk(t, s, 1, 1));                       /* min normal + ulp */
        addc(mk(t, s, bias(t), 0));                 /* 1 */
        addc(mk(t, s, bias(t), 1));                 /* 1 + ulp */
        addc(mk(t, s, bias(t) - 1, fmask(t)));      /* 1 - ulp/2 */
        addc(mk(t, s, bias(t), 1ull << (f - 1)));   /* 1.5 */
        addc(mk(t, s, bias(t) + 1, 0));             /* 2 */
        addc(mk(t, s, bias(t) + 1, 1ull << (f - 1))); /* 3 */
        addc(mk(t, s, bias(t) - 1, 0));             /* 0.5 */
        addc(mk(t, s, bias(t) - 4, 0x999999999999999aull >> (64 - f))); /* ~0.1 */
        addc(mk(t, s, bias(t) - 2, 0x5555555555555555ull >> (64 - f))); /* ~1/3 */
        addc(mk(t, s, e - 1, fmask(t)));            /* max finite */
        addc(mk(t, s, e - 1, 0));                   /* 2^emax */
        addc(mk(t, s, e, 0));                       /* inf */
    }
    addc(mk(t, 0, e, 1ull << (f - 1)));             /* canonical qNaN */
    addc(mk(t, 1, e, (1ull << (f - 1)) | 0x123));   /* negative qNaN with payload */
    addc(mk(t, 0, e, 1));                           /* sNaN */
    addc(mk(t, 1, e, 1ull << (f - 2)));             /* negative sNaN with payload */
}

/* A random finite-or-special value with a mix of exponent distributions. */
static u64 rnd_fp(enum ty t) {
    int f = fbits(t), e = emaxb(t), b = bias(t);
    int s = (int)(rnd() & 1);
    u64 frac = rnd();
    switch (rndn(10)) {
    case 0: return rnd() & ((t == D) ? ~0ull : 0xffffffffull);
    case 1: return mk(t, s, (int)rndn(e), frac);
    case 2: return mk(t, s, b - 40 + (int)rndn(80), frac);
    case 3: return mk(t, s, (int)rndn(f + 4), frac);            /* tiny and subnormal */
    case 4: return mk(t, s, e - 1 - (int)rndn(f + 4), frac);    /* huge */
    case 5: return mk(t, s, b - 3 + (int)rndn(8), frac & ~(fmask(t) >> 6)); /* short significands */
    case 6: return mk(t, s, b - 10 + (int)rndn(20), frac & (fmask(t) << (f - 1 - (int)rndn(f)))); /* few bits */
    case 7: return mk(t, s, (int)rndn(e), frac | (fmask(t) >> (int)rndn(f)));  /* long runs of ones */
    case 8: return mk(t, s, b + (int)rndn(70), frac);          /* integer conversion range */
    default: return mk(t, s, 1 + (int)rndn(e - 1), frac);
    }
}

static int bexp_of(enum ty t, u64 v) { return (int)((v >> fbits(t)) & emaxb(t)); }
static int clampe(enum ty t, int be) { return be < 0 ? 0 : be > emaxb(t) - 1 ? emaxb(t) - 1 : be; }

/* b chosen relative to a, to hit cancellation, overflow and underflow boundaries. */
static u64 rnd_partner(enum ty t, u64 a) {
    int ea = bexp_of(t, a), b = bias(t), s = (int)(rnd() & 1);
    int d = (int)rndn(7) - 3;
    switch (rndn(6)) {
    case 0: return mk(t, s, clampe(t, ea + d), rnd());                    /* near for add/sub */
    case 1: return mk(t, s, clampe(t, ea), (a & fmask(t)) ^ (rnd() & 7)); /* almost equal */
    case 2: return mk(t, s, clampe(t, 2 * b + (emaxb(t) - 1 - b) - ea + d), rnd()); /* product near max */
    case 3: return mk(t, s, clampe(t, b - ea + d + 1 - (int)rndn(fbits(t) + 2)), rnd()); /* product near min */
    case 4: return mk(t, s, clampe(t, ea - (emaxb(t) - 1 - b) + d), rnd()); /* quotient near max */
    default: return mk(t, s, clampe(t, ea + b - 1 + d + (int)rndn(fbits(t) + 2)), rnd()); /* quotient tiny */
    }
}

/* ---- output ---- */

static const char *const RMN[5] = {"0", "1", "2", "3", "4"};

struct op {
    const char *name;
    const opfn *fn;
    int has_rm;
    int nin;
    enum ty in, out;
};

static void put_hex(u64 v, enum ty t) {
    if (t == S)
        printf(" %08llx", (unsigned long long)(v & 0xffffffffull));
    else
        printf(" %016llx", (unsigned long long)v);
}

static long lines;
static unsigned long case_no;

static void emit(const struct op *o, const char *rm, int rmi, u64 a, u64 b, u64 c, u64 r, unsigned fl) {
    (void)rmi;
    printf("%s %s", o->name, rm);
    put_hex(a, o->in);
    if (o->nin > 1) put_hex(b, o->in);
    if (o->nin > 2) put_hex(c, o->in);
    put_hex(r, o->out);
    printf(" %02x\n", fl);
    lines++;
}

/* Runs one case with all five static modes and, once, the dynamic mode with a varying frm. */
static void run(const struct op *o, u64 a, u64 b, u64 c) {
    unsigned fl;
    u64 r;
    char rmbuf[3];
    if (!o->has_rm) {
        r = o->fn[0](a, b, c, (unsigned)(case_no % 5), &fl);
        emit(o, "-", 0, a, b, c, r, fl);
    } else {
        for (int m = 0; m < 5; m++) {
            r = o->fn[m](a, b, c, (unsigned)((m + 3) % 5), &fl); /* frm must not matter here */
            rmbuf[0] = 's';
            rmbuf[1] = RMN[m][0];
            rmbuf[2] = 0;
            emit(o, rmbuf, m, a, b, c, r, fl);
        }
        unsigned frm = (unsigned)(case_no % 5);
        r = o->fn[5](a, b, c, frm, &fl);
        rmbuf[0] = 'd';
        rmbuf[1] = RMN[frm][0];
        rmbuf[2] = 0;
        emit(o, rmbuf, (int)frm, a, b, c, r, fl);
    }
    case_no++;
}

static u64 rnd_int(void) {
    u64 v = rnd();
    switch (rndn(4)) {
    case 0: return v;
    case 1: return v >> rndn(64);
    case 2: return -(v >> rndn(64));
    default: { /* a few significant bits, placed anywhere: exact and halfway cases */
        u64 m = (v & 0xff) | 1;
        int sh = (int)rndn(56);
        u64 w = m << sh;
        if (rnd() & 1) w |= 1ull << (sh ? sh - 1 : 0);
        return (rnd() & 1) ? -w : w;
    }
    }
}

static u64 int_corners[] = {
    0, 1, 2, 3, 7, (u64)-1, (u64)-2, (u64)-3,
    (1u << 24) - 1, 1u << 24, (1u << 24) + 1, (1u << 24) + 2, (1u << 24) + 3,
    0x7fffffff, 0x80000000, 0x80000001, 0xffffffff, 0x100000000ull, 0xffffffff80000000ull,
    0xffffffff7fffffffull, 0x7fffff80, 0x7fffffc0, 0x7fffffc1, 0xffffff80, 0xffffffc0,
    (1ull << 53) - 1, 1ull << 53, (1ull << 53) + 1, (1ull << 53) + 2, (1ull << 53) + 3,
    -(1ull << 53) - 1, 0x7fffffffffffffffull, 0x8000000000000000ull, 0x8000000000000001ull,
    0xfffffffffffffffeull, 0x7ffffffffffffc00ull, 0x7ffffffffffffdffull, 0x7ffffffffffffe00ull,
    0xfffffffffffff800ull, 0xfffffffffffffbffull, 0xfffffffffffffc00ull, 0xfffffffffffffc01ull,
    0x123456789abcdef0ull, 0xdeadbeef00000001ull, 0x00000001deadbeefull,
};

/* Values around the integer conversion limits and rounding ties. */
static void make_conv_values(enum ty t) {
    static const int ks[] = {0, 1, 2, 23, 24, 30, 31, 32, 33, 52, 53, 62, 63, 64, 65};
    make_corners(t);
    int f = fbits(t);
    for (unsigned i = 0; i < sizeof ks / sizeof ks[0]; i++) {
        for (int s = 0; s < 2; s++) {
            int k = ks[i];
            addc(pow2(t, s, k));
            addc(mk(t, s, k + bias(t), 1));               /* just above 2^k */
            addc(mk(t, s, k - 1 + bias(t), fmask(t)));    /* just below 2^k */
        }
    }
    /* x.5 ties and near-ties: 0.5 1.5 2.5 3.5 and neighbours */
    for (int s = 0; s < 2; s++) {
        for (int k = 0; k < 3; k++) {
            u64 v = mk(t, s, bias(t) + k, 1ull << (f - 1 - k)); /* 1.5, 2.5, 4.5 */
            addc(v);
            addc(v + 1);
            addc(v - 1);
        }
        addc(mk(t, s, bias(t) - 1, 0) + 1);
        addc(mk(t, s, bias(t) - 2, fmask(t)));
    }
}

static u64 rnd_conv(enum ty t) {
    int s = (int)(rnd() & 1);
    switch (rndn(4)) {
    case 0: return rnd_fp(t);
    case 1: return mk(t, s, bias(t) - 2 + (int)rndn(70), rnd());
    case 2: { /* exact halves and quarters of integers */
        int k = (int)rndn(66);
        return mk(t, s, bias(t) + k, rnd() & (fmask(t) << (k + 2 > fbits(t) ? 0 : fbits(t) - k - 2)));
    }
    default: return mk(t, s, bias(t) + 28 + (int)rndn(40), rnd() & ~(u64)0xff);
    }
}

/* Random cases per operation and kind; "fpvectors all SEED SCALE" multiplies it for soak runs. */
static int NRAND = 2500;
/* "fpvectors quick": every instruction, corner cases and a few random ones; for slow emulators */
static int quick;
#define QUICK_PICK 10

/* Operands next to 1 against operands next to the underflow and overflow thresholds: their
 * products and quotients land right at the boundaries where tininess and overflow are decided. */
static void boundary(const struct op *o) {
    enum ty t = o->in;
    int b = bias(t), e = emaxb(t);
    u64 near1[8], lim[12];
    for (int k = 0; k < 4; k++) {
        near1[k] = mk(t, 0, b, (u64)k);
        near1[4 + k] = mk(t, 0, b - 1, fmask(t) - (u64)k);
    }
    for (int j = 0; j < 3; j++) {
        lim[j] = mk(t, 0, 1, (u64)j);
        lim[3 + j] = mk(t, 0, 0, fmask(t) - (u64)j);
        lim[6 + j] = mk(t, 0, e - 1, fmask(t) - (u64)j);
        lim[9 + j] = mk(t, 0, 1, fmask(t) - (u64)j);
    }
    u64 sgn = 1ull << (ebits(t) + fbits(t));
    for (int i = 0; i < 8; i++)
        for (int j = 0; j < 12; j++)
            for (int s = 0; s < 4; s++) {
                u64 x = near1[i] ^ ((s & 1) ? sgn : 0), y = lim[j] ^ ((s & 2) ? sgn : 0);
                if (o->nin == 3) {
                    u64 c = (s & 1) ? mk(t, 1, 0, 1) : ((i & 1) ? lim[j] ^ sgn : 0);
                    run(o, x, y, c);
                    run(o, y, x, mk(t, (i + j) & 1, 0, (u64)(i + j)));
                } else {
                    run(o, x, y, 0);
                    run(o, y, x, 0);
                }
            }
}

/* Cases aimed at the host fast paths' reasoning (exactness, signs of zero, ties, the exact
 * product shortcut of fma, the quotient exactness test), in every rounding mode. */
static u64 sgnbit(enum ty t) { return 1ull << (ebits(t) + fbits(t)); }
static double val(enum ty t, u64 v) { return t == D ? d_of(v) : (double)s_of(v); }
static u64 enc(enum ty t, double v) { return t == D ? u_d(v) : u_s((float)v); }
/* a normal value with at most k significant bits, exponent in [-e, e) */
static u64 shortval(enum ty t, int k, int e) {
    u64 frac = rnd() & (fmask(t) << (fbits(t) - (k - 1 > fbits(t) ? fbits(t) : k - 1)));
    return mk(t, (int)(rnd() & 1), bias(t) - e + (int)rndn(2 * e), frac);
}

static void targeted(const struct op *o) {
    enum ty t = o->in;
    int n = quick ? 8 : 300, f = fbits(t), p = f + 1;
    u64 sg = sgnbit(t);
    const char *nm = o->name;
    int addsub = !strncmp(nm, "fadd", 4) || !strncmp(nm, "fsub", 4);
    for (int i = 0; i < n; i++) {
        u64 x = rnd_fp(t);
        if (addsub) {
            run(o, x, x ^ sg, 0);                        /* x + -x: +0, or -0 when rounding down */
            run(o, x, x, 0);
            /* a plus half an ulp of a (a tie), and just above and below it */
            u64 a = mk(t, (int)(rnd() & 1), 2 * p + (int)rndn(emaxb(t) - 2 * p - 1), rnd());
            int ulpe = bexp_of(t, a) - f;                 /* biased exponent of ulp(a) */
            u64 h = mk(t, (int)(rnd() & 1), ulpe - 1, 0);
            run(o, a, h, 0);
            run(o, a, h + 1, 0);
            run(o, a, mk(t, (int)((h >> (ebits(t) + f)) & 1), ulpe - 2, fmask(t)), 0); /* just below */
        } else if (!strncmp(nm, "fmul", 4)) {
            run(o, shortval(t, p / 2, 20), shortval(t, p / 2, 20), 0);   /* exact products */
            run(o, shortval(t, p / 2 + 2, 20), shortval(t, p / 2 + 1, 20), 0);
            run(o, x, (i & 1) ? mk(t, 1, 0, 0) : 0, 0);                  /* times a zero */
            run(o, (i & 1) ? 0 : mk(t, 1, 0, 0), x, 0);
        } else if (!strncmp(nm, "fdiv", 4)) {
            /* exact quotients q = a/b of short significands, and their neighbours */
            u64 b = shortval(t, p / 2, 20), q = shortval(t, p / 2, 20);
            u64 a = enc(t, val(t, b) * val(t, q));
            run(o, a, b, 0);
            run(o, a + 1, b, 0);
            run(o, a, b + 1, 0);
            /* quotient with many trailing zeros that is not exact */
            run(o, mk(t, 0, bias(t), rnd() & ~(fmask(t) >> 3)), mk(t, 0, bias(t), (u64)3 << (f - 2)), 0);
            run(o, (i & 1) ? mk(t, 1, 0, 0) : 0, x, 0);                  /* zero over x */
            run(o, x, (i & 1) ? mk(t, 1, 0, 0) : 0, 0);                  /* x over zero */
        } else if (o->nin == 3) {
            int neg = !strncmp(nm, "fmsub", 5) || !strncmp(nm, "fnmadd", 6); /* addend negated */
            u64 a = shortval(t, p / 2 - 1, 30), b = shortval(t, p / 2 - 1, 30);
            u64 prod = enc(t, val(t, a) * val(t, b));                      /* exact */
            u64 negprod = !strncmp(nm, "fnm", 3) ? prod ^ sg : prod;       /* the value of +-(a*b) */
            /* c cancelling the product exactly: a zero whose sign depends on the mode */
            run(o, a, b, neg ? negprod : negprod ^ sg);
            /* exact product plus a random addend; plus a near-cancelling one */
            run(o, a, b, rnd_fp(t));
            run(o, a, b, ((neg ? negprod : negprod ^ sg) + (u64)(int)(rndn(5) - 2)));
            /* exact product equal to half an ulp of the addend: a tie */
            u64 c = mk(t, (int)(rnd() & 1), bias(t) - 10 + (int)rndn(20), rnd());
            int he = bexp_of(t, c) - f - 1;
            u64 a2 = mk(t, (int)(rnd() & 1), bias(t) + (int)rndn(3), (i & 2) ? 0 : (u64)1 << (f - 1));
            u64 b2 = enc(t, val(t, mk(t, (int)(rnd() & 1), he, 0)) / val(t, a2));
            run(o, a2, b2, c);
            run(o, a2, b2 + 1, c);
            /* zero factors and zero addends, against random and special operands */
            u64 z = (i & 1) ? mk(t, 1, 0, 0) : 0;
            run(o, z, x, rnd_fp(t));
            run(o, x, z, rnd_fp(t));
            run(o, x, rnd_fp(t), z);
            run(o, mk(t, 0, (int)rndn(bias(t)), rnd()), mk(t, 1, (int)rndn(bias(t)), rnd()), z); /* tiny products */
        } else {
            return;
        }
    }
}

static void binary(const struct op *o) {
    make_corners(o->in);
    int step = quick ? 3 : 1;
    for (int i = 0; i < ncorners; i += step)
        for (int j = 0; j < ncorners; j += step) run(o, corners[i], corners[j], 0);
    for (int i = 0; i < NRAND; i++) {
        u64 a = rnd_fp(o->in);
        u64 b = (i & 1) ? rnd_partner(o->in, a) : rnd_fp(o->in);
        if (i & 2) run(o, b, a, 0); else run(o, a, b, 0);
    }
    targeted(o);
    if (!quick) boundary(o);
}

static void unary(const struct op *o) {
    if (o->in == X) {
        for (unsigned i = 0; i < sizeof int_corners / sizeof int_corners[0]; i++) {
            run(o, int_corners[i], 0, 0);
            run(o, int_corners[i] ^ 0x5a5a5a5a00000000ull, 0, 0); /* W forms read only bits 31..0 */
        }
        for (int i = 0; i < NRAND; i++) run(o, rnd_int(), 0, 0);
        return;
    }
    make_conv_values(o->in);
    for (int i = 0; i < ncorners; i++) run(o, corners[i], 0, 0);
    for (int i = 0; i < NRAND; i++) run(o, (i & 1) ? rnd_conv(o->in) : rnd_fp(o->in), 0, 0);
    if (!strncmp(o->name, "fsqrt", 5) || !strncmp(o->name, "fcvt.s.d", 8)) {
        /* squares of short values: exact roots, and values next to them */
        for (int i = 0; i < NRAND; i++) {
            u64 v = rnd_fp(o->in) & ~(fmask(o->in) >> (fbits(o->in) / 2));
            run(o, v, 0, 0);
        }
        for (int i = 0; i < 300; i++) {
            if (o->in == D) {
                double r = d_of(rnd_fp(D) & ~(fmask(D) >> 26) & 0x7fffffffffffffffull);
                u64 sq = u_d(r * r);
                run(o, sq + (u64)(int)(rndn(3) - 1), 0, 0);
            } else {
                float r = s_of(rnd_fp(S) & ~(fmask(S) >> 12) & 0x7fffffff);
                u64 sq = u_s(r * r);
                run(o, (sq + (u64)(int)(rndn(3) - 1)) & 0xffffffff, 0, 0);
            }
        }
    }
}

static void ternary(const struct op *o) {
    make_corners(o->in);
    /* a reduced corner set for the cube */
    /* the most varied first: quick mode takes only the first QUICK_PICK */
    static const int pick[] = {0, 24, 6, 17, 36, 38, 2, 15, 19, 7, 1, 4, 9, 18, 21, 25, 33, 35, 39};
    int np = quick ? QUICK_PICK : (int)(sizeof pick / sizeof pick[0]);
    u64 sel[32];
    for (int i = 0; i < np; i++) sel[i] = corners[pick[i] < ncorners ? pick[i] : 0];
    for (int i = 0; i < np; i++)
        for (int j = 0; j < np; j++)
            for (int k = 0; k < np; k++) run(o, sel[i], sel[j], sel[k]);
    for (int i = 0; i < 2 * NRAND; i++) {
        u64 a = rnd_fp(o->in), b, c;
        b = (i & 1) ? rnd_partner(o->in, a) : rnd_fp(o->in);
        switch (i % 6) {
        case 0: c = rnd_fp(o->in); break;
        case 5: { /* a*b within a few ulps of half an ulp of c: results next to a rounding tie */
            enum ty t = o->in;
            int ce = bias(t) - 20 + (int)rndn(40);
            c = mk(t, (int)(rnd() & 1), ce, rnd());
            a = mk(t, (int)(rnd() & 1), bias(t) - 2 + (int)rndn(4), rnd() & ~(fmask(t) >> (int)rndn(fbits(t))));
            int he = ce - fbits(t) - 1 + (int)rndn(3) - 1; /* half ulp of c, or a neighbour power */
            if (t == D) b = u_d(d_of(pow2(D, (int)(rnd() & 1), he - bias(D))) / d_of(a));
            else b = u_s(s_of(pow2(S, (int)(rnd() & 1), he - bias(S))) / s_of(a));
            b += (u64)(int)(rndn(3) - 1);
            if (t == S) b &= 0xffffffff;
            break;
        }
        case 1: { /* c = -(a*b) give or take a few ulps: massive cancellation */
            u64 p = (o->in == D) ? u_d(d_of(a) * d_of(b)) : u_s(s_of(a) * s_of(b));
            c = (p ^ (1ull << (o->in == D ? 63 : 31))) + (u64)(int)(rndn(5) - 2);
            if (o->in == S) c &= 0xffffffff;
            break;
        }
        case 2: { /* c exponent near the product's */
            int e = bexp_of(o->in, a) + bexp_of(o->in, b) - bias(o->in) + (int)rndn(120) - 60;
            c = mk(o->in, (int)(rnd() & 1), clampe(o->in, e), rnd());
            break;
        }
        case 3: c = mk(o->in, (int)(rnd() & 1), 0, rnd()); break; /* subnormal addend */
        default: c = rnd_partner(o->in, a); break;
        }
        run(o, a, b, c);
    }
    targeted(o);
    if (!quick) boundary(o);
}

#define OPR(nm, fn, rm, n, ti, to) {nm, fn##_t, rm, n, ti, to}

static const struct op ops[] = {
    OPR("fadd.d", fadd_d, 1, 2, D, D), OPR("fsub.d", fsub_d, 1, 2, D, D),
    OPR("fmul.d", fmul_d, 1, 2, D, D), OPR("fdiv.d", fdiv_d, 1, 2, D, D),
    OPR("fsqrt.d", fsqrt_d, 1, 1, D, D),
    OPR("fmadd.d", fmadd_d, 1, 3, D, D), OPR("fmsub.d", fmsub_d, 1, 3, D, D),
    OPR("fnmadd.d", fnmadd_d, 1, 3, D, D), OPR("fnmsub.d", fnmsub_d, 1, 3, D, D),
    OPR("fmin.d", fmin_d, 0, 2, D, D), OPR("fmax.d", fmax_d, 0, 2, D, D),
    OPR("feq.d", feq_d, 0, 2, D, X), OPR("flt.d", flt_d, 0, 2, D, X), OPR("fle.d", fle_d, 0, 2, D, X),
    OPR("fclass.d", fclass_d, 0, 1, D, X),
    OPR("fcvt.w.d", fcvt_w_d, 1, 1, D, X), OPR("fcvt.wu.d", fcvt_wu_d, 1, 1, D, X),
    OPR("fcvt.l.d", fcvt_l_d, 1, 1, D, X), OPR("fcvt.lu.d", fcvt_lu_d, 1, 1, D, X),
    OPR("fcvt.d.w", fcvt_d_w, 0, 1, X, D), OPR("fcvt.d.wu", fcvt_d_wu, 0, 1, X, D),
    OPR("fcvt.d.l", fcvt_d_l, 1, 1, X, D), OPR("fcvt.d.lu", fcvt_d_lu, 1, 1, X, D),
    OPR("fcvt.s.d", fcvt_s_d, 1, 1, D, S),

    OPR("fadd.s", fadd_s, 1, 2, S, S), OPR("fsub.s", fsub_s, 1, 2, S, S),
    OPR("fmul.s", fmul_s, 1, 2, S, S), OPR("fdiv.s", fdiv_s, 1, 2, S, S),
    OPR("fsqrt.s", fsqrt_s, 1, 1, S, S),
    OPR("fmadd.s", fmadd_s, 1, 3, S, S), OPR("fmsub.s", fmsub_s, 1, 3, S, S),
    OPR("fnmadd.s", fnmadd_s, 1, 3, S, S), OPR("fnmsub.s", fnmsub_s, 1, 3, S, S),
    OPR("fmin.s", fmin_s, 0, 2, S, S), OPR("fmax.s", fmax_s, 0, 2, S, S),
    OPR("feq.s", feq_s, 0, 2, S, X), OPR("flt.s", flt_s, 0, 2, S, X), OPR("fle.s", fle_s, 0, 2, S, X),
    OPR("fclass.s", fclass_s, 0, 1, S, X),
    OPR("fcvt.w.s", fcvt_w_s, 1, 1, S, X), OPR("fcvt.wu.s", fcvt_wu_s, 1, 1, S, X),
    OPR("fcvt.l.s", fcvt_l_s, 1, 1, S, X), OPR("fcvt.lu.s", fcvt_lu_s, 1, 1, S, X),
    OPR("fcvt.s.w", fcvt_s_w, 1, 1, X, S), OPR("fcvt.s.wu", fcvt_s_wu, 1, 1, X, S),
    OPR("fcvt.s.l", fcvt_s_l, 1, 1, X, S), OPR("fcvt.s.lu", fcvt_s_lu, 1, 1, X, S),
    OPR("fcvt.d.s", fcvt_d_s, 0, 1, S, D),
};

int main(int argc, char **argv) {
    quick = argc > 1 && !strcmp(argv[1], "quick");
    if (quick) NRAND = 40;
    const char *only = argc > 1 && strcmp(argv[1], "all") && !quick ? argv[1] : NULL;
    if (argc > 2) rng_state ^= strtoull(argv[2], NULL, 0) * 0x9e3779b97f4a7c15ull;
    if (rng_state == 0) rng_state = 1;
    if (argc > 3) NRAND *= atoi(argv[3]);
    for (unsigned i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        const struct op *o = &ops[i];
        if (only && strcmp(only, o->name)) continue;
        if (o->nin == 3) ternary(o);
        else if (o->nin == 2) binary(o);
        else unary(o);
    }
    fprintf(stderr, "fpvectors: %ld lines\n", lines);
    return 0;
}
