// Generates machine code at run time, as a JIT does, and runs it hot enough to be translated:
// then patches it (an immediate, a branch), flushes the instruction cache and checks that the new
// code runs; writes data into the page of running code; patches under W^X (mprotect RW, then
// RX); maps new code where unmapped code was; patches code whose loop straddles two pages.
// Self-checking: prints "ALL PASSED" or "FAIL ..." lines; run under qemu as the reference.
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096
static int failures;

static uint32_t addi(int rd, int rs1, int imm) {
    return ((uint32_t)(imm & 0xfff) << 20) | (rs1 << 15) | (rd << 7) | 0x13;
}

static uint32_t bne(int rs1, int rs2, int off) {
    return (((off >> 12) & 1u) << 31) | (((off >> 5) & 0x3fu) << 25) | (rs2 << 20) | (rs1 << 15) | (1 << 12)
           | (((off >> 1) & 0xfu) << 8) | (((off >> 11) & 1u) << 7) | 0x63;
}

#define RET 0x00008067u
#define NOP 0x00000013u
#define A0 10
#define A1 11

typedef long (*fn)(long x, long n);

// g(x, n): loop { x += k; n -= 1 } while n != 0; return x
static void emit(uint32_t *at, int k) {
    at[0] = addi(A0, A0, k);
    at[1] = addi(A1, A1, -1);
    at[2] = bne(A1, 0, -8);
    at[3] = RET;
}

static void flush(void *p, size_t n) {
    __builtin___clear_cache((char *)p, (char *)p + n);
}

static void check(const char *what, long got, long want) {
    if (got != want) {
        printf("FAIL %s: got %ld, want %ld\n", what, got, want);
        failures++;
    }
}

// many calls of 100 iterations each: hot at any threshold
static long run(fn g, int calls) {
    long s = 0;
    for (int i = 0; i < calls; i++) {
        s += g(i, 100);
    }
    return s;
}

static long want(int calls, long perCall) {
    return (long)calls * (calls - 1) / 2 + (long)calls * perCall;
}

int main(void) {
    const int calls = 3000;
    uint32_t *page = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (page == MAP_FAILED) {
        printf("FAIL mmap rwx\n");
        return 1;
    }
    fn g = (fn)(void *)page;

    emit(page, 3);
    flush(page, 16);
    check("first code", run(g, calls), want(calls, 300));

    page[0] = addi(A0, A0, -7); // patch the immediate
    flush(page, 16);
    check("patched immediate", run(g, calls), want(calls, -700));

    page[2] = NOP; // the loop runs once
    flush(page, 16);
    check("patched branch", run(g, calls), want(calls, -7));

    // data stores into the page of running code, between calls
    page[2] = bne(A1, 0, -8);
    flush(page, 16);
    volatile uint64_t *data = (volatile uint64_t *)((char *)page + 2048);
    long s = 0;
    for (int i = 0; i < calls; i++) {
        data[0] = (uint64_t)i * 3;
        s += g(i, 100) + (long)data[0];
    }
    check("stores beside code", s, want(calls, -700) + 3L * calls * (calls - 1) / 2);

    // W^X: writable without exec while patched, then exec without write
    if (mprotect(page, PAGE, PROT_READ | PROT_WRITE) != 0) {
        printf("FAIL mprotect rw\n");
        failures++;
    }
    page[0] = addi(A0, A0, 11);
    if (mprotect(page, PAGE, PROT_READ | PROT_EXEC) != 0) {
        printf("FAIL mprotect rx\n");
        failures++;
    }
    flush(page, 16);
    check("patched under W^X", run(g, calls), want(calls, 1100));

    // new code where unmapped code was
    munmap(page, 2 * PAGE);
    uint32_t *again = mmap(page, 2 * PAGE, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    if (again != page) {
        printf("FAIL mmap fixed\n");
        return 1;
    }
    emit(page, 5);
    flush(page, 16);
    check("code mapped anew", run(g, calls), want(calls, 500));

    // a loop straddling two pages: its first two instructions end the first page
    uint32_t *edge = page + PAGE / 4 - 2;
    emit(edge, 2);
    flush(edge, 16);
    fn h = (fn)(void *)edge;
    check("loop across pages", run(h, calls), want(calls, 200));
    edge[2] = NOP; // patch the part in the second page
    flush(edge, 16);
    check("patched across pages", run(h, calls), want(calls, 2));
    edge[0] = addi(A0, A0, 9); // and the part in the first
    flush(edge, 16);
    check("patched first page", run(h, calls), want(calls, 9));

    if (failures == 0) {
        printf("ALL PASSED\n");
    }
    return failures != 0;
}
