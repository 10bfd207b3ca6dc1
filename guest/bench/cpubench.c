/* CPU benchmark: integer hashing and sorting, memory sweeps, and double-precision math.
 * Prints a checksum so every implementation can be checked to compute the same thing.
 * Usage: cpubench [rounds]   (default 10) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t xorshift(uint64_t *s) {
    uint64_t x = *s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *s = x;
}

static void insertion_sort(uint32_t *a, int n) {
    for (int i = 1; i < n; i++) {
        uint32_t v = a[i];
        int j = i - 1;
        while (j >= 0 && a[j] > v) {
            a[j + 1] = a[j];
            j--;
        }
        a[j + 1] = v;
    }
}

#define MEM (1 << 20)

int main(int argc, char **argv) {
    int rounds = argc > 1 ? atoi(argv[1]) : 10;
    uint64_t seed = 88172645463325252ULL, sum = 0;
    uint32_t *mem = malloc(MEM * sizeof(uint32_t));
    double *m = malloc(64 * 64 * sizeof(double));
    for (int i = 0; i < MEM; i++) mem[i] = (uint32_t)xorshift(&seed);
    for (int r = 0; r < rounds; r++) {
        /* integer: hash mixing and small sorts */
        for (int k = 0; k < 20000; k++) {
            uint32_t a[32];
            for (int i = 0; i < 32; i++) a[i] = (uint32_t)xorshift(&seed);
            insertion_sort(a, 32);
            sum += a[k & 31] * 2654435761u + (a[0] ^ a[31]);
        }
        /* memory: strided and sequential sweeps with dependent updates */
        for (int stride = 1; stride <= 64; stride *= 4)
            for (int i = 0; i < MEM; i += stride) {
                mem[i] = mem[i] * 1103515245u + 12345u + (uint32_t)sum;
                sum += mem[(i * 7) & (MEM - 1)];
            }
        /* floating point: a small matrix product and a series */
        for (int i = 0; i < 64 * 64; i++) m[i] = (double)((mem[i] & 1023) - 512) / 256.0;
        double acc = 0;
        for (int i = 0; i < 64; i++)
            for (int j = 0; j < 64; j++) {
                double s = 0;
                for (int k = 0; k < 64; k++) s += m[i * 64 + k] * m[k * 64 + j];
                acc += s;
            }
        double series = 0;
        for (int i = 1; i < 200000; i++) series += 1.0 / ((double)i * i) - 0.5 / (i + 0.25);
        sum += (uint64_t)(int64_t)(acc * 1000.0) + (uint64_t)(int64_t)(series * 1e9);
    }
    printf("checksum %016llx\n", (unsigned long long)sum);
    return 0;
}
