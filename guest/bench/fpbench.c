/* Floating-point benchmark: the kernels compiled C spends its FP time in, each timed on its own
 * so the cost of every instruction family shows. Prints one line per phase,
 *   <phase>: <seconds> s  <checksum>
 * and the checksums must agree between any two correct implementations (same rounding everywhere:
 * every operation below is round-to-nearest-even, the default mode).
 * Usage: fpbench [scale]   (default 1) */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define N 64

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static uint64_t bits(double d) {
    uint64_t u;
    memcpy(&u, &d, 8);
    return u;
}

static uint64_t seed = 0x9e3779b97f4a7c15ULL;
static uint64_t rnd(void) {
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    return seed;
}

static double a[N * N], b[N * N], c[N * N];
static float fa[N * N], fb[N * N], fc[N * N];

/* the inner loop is one fmadd.d per two loads (gcc contracts a*b+s) */
static double dmatmul(int reps) {
    double acc = 0;
    for (int r = 0; r < reps; r++) {
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++) {
                double s = 0;
                for (int k = 0; k < N; k++) s += a[i * N + k] * b[k * N + j];
                c[i * N + j] = s;
            }
        acc += c[r & (N * N - 1)];
        a[r & (N * N - 1)] += c[(r * 7) & (N * N - 1)] * 1e-3;
    }
    return acc;
}

static float smatmul(int reps) {
    float acc = 0;
    for (int r = 0; r < reps; r++) {
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++) {
                float s = 0;
                for (int k = 0; k < N; k++) s += fa[i * N + k] * fb[k * N + j];
                fc[i * N + j] = s;
            }
        acc += fc[r & (N * N - 1)];
        fa[r & (N * N - 1)] += fc[(r * 7) & (N * N - 1)] * 1e-3f;
    }
    return acc;
}

/* separate multiplies and adds: fmul.d / fadd.d / fsub.d, no contraction */
__attribute__((optimize("fp-contract=off"))) static double horner(int reps) {
    double acc = 0;
    for (int r = 0; r < reps; r++)
        for (int i = 0; i < N * N; i++) {
            double x = a[i];
            double p = ((((x * 0.0083 - 0.0416) * x + 0.1666) * x - 0.5) * x + 1.0) * x;
            acc += p - x * 0.25;
        }
    return acc;
}

/* fdiv.d, fcvt.d.w, fmul.d, fadd.d, fsub.d: cpubench's series */
static double series(int n) {
    double s = 0;
    for (int i = 1; i < n; i++) s += 1.0 / ((double)i * i) - 0.5 / (i + 0.25);
    return s;
}

/* fsqrt.d, fdiv.s, fsqrt.s, fcvt.s.d, fcvt.d.s, fcvt.l.d, fcvt.w.s */
static double roots(int n) {
    double s = 0;
    int64_t t = 0;
    float fs = 0;
    for (int i = 1; i < n; i++) {
        double r = sqrt((double)i + 0.5);
        float q = (float)r / (float)(i & 1023 ? i & 1023 : 7);
        fs += sqrtf(q);
        t += (int64_t)(r * 3.0) + (int)(q * 100.0f);
        s += r;
    }
    return s + fs + (double)t;
}

/* feq/flt/fle, fmin/fmax, fsgnj (fabs/fneg), fclass-free compare-heavy code */
static double compares(int reps) {
    double lo = 1e300, hi = -1e300, acc = 0;
    int above = 0;
    for (int r = 0; r < reps; r++)
        for (int i = 0; i < N * N; i++) {
            double x = a[i] - b[i];
            lo = fmin(lo, x);
            hi = fmax(hi, x);
            if (fabs(x) > 0.5) above++;
            if (x <= -0.25) acc -= x;
        }
    return lo + hi + acc + above;
}

int main(int argc, char **argv) {
    int scale = argc > 1 ? atoi(argv[1]) : 1;
    for (int i = 0; i < N * N; i++) {
        a[i] = (double)((int64_t)(rnd() % 2001) - 1000) / 997.0;
        b[i] = (double)((int64_t)(rnd() % 2001) - 1000) / 991.0;
        fa[i] = (float)a[i];
        fb[i] = (float)b[i];
    }
    struct {
        const char *name;
        int kind;
        int arg;
    } phases[] = {
        {"dmatmul", 0, 12}, {"smatmul", 1, 12}, {"horner", 2, 60},
        {"series", 3, 1000000}, {"roots", 4, 400000}, {"compares", 5, 60},
    };
    double total = 0;
    for (unsigned p = 0; p < sizeof phases / sizeof phases[0]; p++) {
        int arg = phases[p].arg * scale;
        double t0 = now(), v = 0;
        switch (phases[p].kind) {
            case 0: v = dmatmul(arg); break;
            case 1: v = smatmul(arg); break;
            case 2: v = horner(arg); break;
            case 3: v = series(arg); break;
            case 4: v = roots(arg); break;
            default: v = compares(arg); break;
        }
        double t = now() - t0;
        total += t;
        printf("%s: %.3f s  %016llx\n", phases[p].name, t, (unsigned long long)bits(v));
    }
    printf("total: %.3f s\n", total);
    return 0;
}
