/*
 * fploop: F and D arithmetic in long straight runs inside loops (the shape translated code takes),
 * over operands that include zeros, subnormals, huge values, infinities and NaNs, with fflags
 * left to accumulate (as programs leave them) and then cleared for a second pass. Prints a hash
 * of every result's bits and fflags after each pass; compare with qemu-riscv64 or hardware.
 *
 * Build: riscv64-linux-gnu-gcc -static -O2 -o fploop fploop.c -lm
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint64_t hash;

static void mix(uint64_t v) {
    hash ^= v;
    hash = (hash << 13 | hash >> 51) * 0x9e3779b97f4a7c15ULL;
}

static uint64_t bits(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }
static uint32_t fbits(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }
static double dof(uint64_t u) { double d; memcpy(&d, &u, 8); return d; }
static float fof(uint32_t u) { float f; memcpy(&f, &u, 4); return f; }

static unsigned flags(void) {
    unsigned f;
    __asm__ volatile("frflags %0" : "=r"(f));
    return f;
}

#define N 48

int main(void) {
    static double d[N];
    static float s[N];
    static const uint64_t special[] = {
        0, 0x8000000000000000ULL, 1, 0x000fffffffffffffULL, 0x0010000000000000ULL, 0x7fefffffffffffffULL,
        0x7ff0000000000000ULL, 0xfff0000000000000ULL, 0x7ff8000000000000ULL, 0x7ff4000000000000ULL,
        0x3ff0000000000000ULL, 0xbff8000000000000ULL, 0x4330000000000001ULL, 0xc3e0000000000000ULL,
        0x41e0000000000000ULL, 0x3fe0000000000000ULL,
    };
    uint64_t seed = 0x243f6a8885a308d3ULL;
    for (int i = 0; i < N; i++) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        uint64_t r = seed;
        if (i < 16) {
            d[i] = dof(special[i]);
        } else if (i < 32) {
            d[i] = (double)(int64_t)(r >> 40) / 4096.0; /* ordinary values */
        } else {
            d[i] = dof((r & 0x800fffffffffffffULL) | ((uint64_t)(900 + (r >> 53) % 250) << 52));
        }
        s[i] = i % 3 == 0 ? fof((uint32_t)(r >> 20)) : (float)d[i];
    }
    for (int pass = 0; pass < 2; pass++) {
        for (int round = 0; round < 20; round++) {
            for (int i = 0; i < N; i++) {
                for (int j = 0; j < N; j++) {
                    double a = d[i], b = d[(j + round) % N], c = d[(i + j) % N];
                    float x = s[i], y = s[(j + round) % N], z = s[(i * 7 + j) % N];
                    mix(bits(a + b));
                    mix(bits(a - b));
                    mix(bits(a * b));
                    mix(bits(a / b));
                    mix(bits(sqrt(fabs(a))));
                    mix(bits(fma(a, b, c)));
                    mix(bits(fma(a, -b, c)));
                    mix(bits(fmin(a, b)) ^ bits(fmax(a, b)) << 1);
                    mix((a < b) | (a <= b) << 1 | (a == b) << 2);
                    mix(fabs(a) < 9e18 ? (uint64_t)(int64_t)a : 7);
                    mix(fabs(a) < 2e9 ? (uint64_t)(int32_t)a : 9);
                    mix((uint64_t)lrint(fabs(a) < 9e18 ? a : 1.5));
                    mix(bits((double)(int64_t)(bits(c) >> 3)));
                    mix(bits((double)(int32_t)bits(b)));
                    mix(fbits(x + y));
                    mix(fbits(x * y));
                    mix(fbits(x / y));
                    mix(fbits(sqrtf(fabsf(x))));
                    mix(fbits(fmaf(x, y, z)));
                    mix((x < y) | (x == y) << 1);
                    mix(fbits((float)a));
                    mix(bits((double)x));
                    mix(bits(copysign(a, b)) ^ bits(-a));
                }
            }
            d[round % N] = d[round % N] * 1.0000001 + 1e-300;
        }
        printf("pass %d hash %016llx fflags %02x\n", pass, (unsigned long long)hash, flags());
        __asm__ volatile("fsflags x0");
    }
    return 0;
}
