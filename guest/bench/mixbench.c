/* Mixed CPU benchmark: the four kinds of work issue #9 compares implementations on, each phase
 * timed by the guest itself so the cost of each kind shows:
 *   sieve   byte stores and loads in strided loops (primes below 4 M)
 *   crc32   table-driven CRC-32 over a 1 MiB buffer (byte loads, a dependent table lookup)
 *   qsort   libc qsort of 100 k integers through a comparator (calls across code pages)
 *   matmul  a 128x128 double matrix product (fmadd.d and FP loads)
 * At the default scale (10) it runs about 2.4 G instructions. Prints one line per phase,
 *   <phase>: <seconds> s  <checksum>
 * and a total checksum line; every correct implementation prints the same checksums.
 * Usage: mixbench [scale [phase...]]   (default 10, all phases; 1 runs a tenth of the work) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static uint64_t seed = 0x2545f4914f6cdd1dULL;
static uint64_t rnd(void) {
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    return seed;
}

#define SIEVE_N (4 << 20)
static unsigned char composite[SIEVE_N];

static uint64_t sieve(int reps) {
    uint64_t sum = 0;
    for (int r = 0; r < reps; r++) {
        memset(composite, 0, sizeof composite);
        uint64_t count = 0;
        for (uint64_t i = 2; i < SIEVE_N; i++) {
            if (composite[i]) continue;
            count += i ^ (uint64_t)r;
            for (uint64_t j = i * i; j < SIEVE_N; j += i) composite[j] = 1;
        }
        sum = sum * 31 + count;
    }
    return sum;
}

#define CRC_LEN (1 << 20)
static unsigned char buf[CRC_LEN];
static uint32_t table[256];

static uint64_t crc32(int reps) {
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
        table[i] = c;
    }
    for (int i = 0; i < CRC_LEN; i++) buf[i] = (unsigned char)rnd();
    uint64_t sum = 0;
    for (int r = 0; r < reps; r++) {
        uint32_t c = 0xffffffffu;
        for (int i = 0; i < CRC_LEN; i++) c = table[(c ^ buf[i]) & 0xff] ^ (c >> 8);
        sum = sum * 31 + (c ^ 0xffffffffu);
        buf[r & (CRC_LEN - 1)] ^= (unsigned char)c; /* each round hashes different data */
    }
    return sum;
}

#define QN 100000
static int32_t arr[QN];

static int cmp(const void *a, const void *b) {
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

static uint64_t sorts(int reps) {
    uint64_t sum = 0;
    for (int r = 0; r < reps; r++) {
        for (int i = 0; i < QN; i++) arr[i] = (int32_t)rnd();
        qsort(arr, QN, sizeof arr[0], cmp);
        for (int i = 1; i < QN; i++)
            if (arr[i - 1] > arr[i]) {
                printf("qsort: not sorted at %d\n", i);
                exit(1);
            }
        sum = sum * 31 + (uint32_t)arr[QN / 2] + (uint32_t)arr[r % QN];
    }
    return sum;
}

#define MN 128
static double ma[MN * MN], mb[MN * MN], mc[MN * MN];

static uint64_t matmul(int reps) {
    for (int i = 0; i < MN * MN; i++) {
        ma[i] = (double)((int)(rnd() & 1023) - 512) / 128.0;
        mb[i] = (double)((int)(rnd() & 1023) - 512) / 256.0;
    }
    double acc = 0;
    for (int r = 0; r < reps; r++) {
        for (int i = 0; i < MN; i++)
            for (int j = 0; j < MN; j++) {
                double s = 0;
                for (int k = 0; k < MN; k++) s += ma[i * MN + k] * mb[k * MN + j];
                mc[i * MN + j] = s;
            }
        acc += mc[(r * 131) & (MN * MN - 1)];
        ma[r & (MN * MN - 1)] += mc[(r * 7) & (MN * MN - 1)] * 1e-3;
    }
    uint64_t u;
    memcpy(&u, &acc, 8);
    return u;
}

int main(int argc, char **argv) {
    int scale = argc > 1 ? atoi(argv[1]) : 10;
    if (scale < 1) {
        fprintf(stderr, "usage: mixbench [scale >= 1]\n");
        return 2;
    }
    struct {
        const char *name;
        uint64_t (*run)(int);
        int reps;
    } phases[] = {
        {"sieve", sieve, scale},
        {"crc32", crc32, 4 * scale},
        {"qsort", sorts, scale},
        {"matmul", matmul, 7 * scale},
    };
    uint64_t total = 0;
    double t0 = now();
    for (unsigned p = 0; p < sizeof phases / sizeof phases[0]; p++) {
        int wanted = argc <= 2;
        for (int a = 2; a < argc; a++) wanted |= strcmp(argv[a], phases[p].name) == 0;
        if (!wanted) continue;
        seed = 0x2545f4914f6cdd1dULL + p; /* a phase's checksum does not depend on which ran before */
        double t = now();
        uint64_t sum = phases[p].run(phases[p].reps);
        printf("%s: %.3f s  %016llx\n", phases[p].name, now() - t, (unsigned long long)sum);
        total = total * 1000003 + sum;
    }
    printf("total: %.3f s  %016llx\n", now() - t0, (unsigned long long)total);
    return 0;
}
