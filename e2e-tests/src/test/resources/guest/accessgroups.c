/* Runs of loads and stores of one size through one base register (what the Worker's translator
 * checks once per run, see RegionEmitter.group) at the edges: runs across a page boundary, a
 * misaligned base, narrow runs with arithmetic between them, a load that overwrites the base,
 * f registers, a store run into a read-only page (the fault must name the first store), and a
 * store run into copy-on-write memory after fork. Every case loops so that it is translated; the
 * output is compared with qemu's. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define ROUNDS 3000

static uint64_t store_load(uint64_t *p, uint64_t v) {
    uint64_t a, b, c, d;
    __asm__ volatile(
        "sd %[v], 0(%[p])\n\t"
        "addi t0, %[v], 1\n\t"
        "sd t0, 8(%[p])\n\t"
        "sd %[v], 24(%[p])\n\t"
        "sd t0, 16(%[p])\n\t"
        "ld %[a], 16(%[p])\n\t"
        "ld %[b], 0(%[p])\n\t"
        "ld %[c], 24(%[p])\n\t"
        "ld %[d], 8(%[p])\n\t"
        : [a] "=&r"(a), [b] "=&r"(b), [c] "=&r"(c), [d] "=&r"(d)
        : [p] "r"(p), [v] "r"(v)
        : "t0", "memory");
    return a * 3 + b * 5 + c * 7 + d * 11;
}

/* byte, halfword and word runs, with arithmetic between their accesses */
static uint64_t narrow(unsigned char *p, uint64_t v) {
    uint64_t a, b, c, d, e, g;
    __asm__ volatile(
        "sb %[v], 0(%[p])\n\t"
        "srli t0, %[v], 8\n\t"
        "sb t0, 1(%[p])\n\t"
        "xori t1, %[v], 0x5a\n\t"
        "sb t1, 3(%[p])\n\t"
        "sh %[v], 4(%[p])\n\t"
        "sh t0, 6(%[p])\n\t"
        "sw t1, 8(%[p])\n\t"
        "slli t0, %[v], 3\n\t"
        "sw t0, 12(%[p])\n\t"
        "lbu %[a], 0(%[p])\n\t"
        "lb %[b], 1(%[p])\n\t"
        "lbu t0, 3(%[p])\n\t"
        "add %[a], %[a], t0\n\t"
        "lh %[c], 4(%[p])\n\t"
        "lhu %[d], 6(%[p])\n\t"
        "lw %[e], 8(%[p])\n\t"
        "lwu %[g], 12(%[p])\n\t"
        : [a] "=&r"(a), [b] "=&r"(b), [c] "=&r"(c), [d] "=&r"(d), [e] "=&r"(e), [g] "=&r"(g)
        : [p] "r"(p), [v] "r"(v)
        : "t0", "t1", "memory");
    return a + b * 3 + c * 5 + d * 7 + e * 11 + g * 13;
}

/* the last load of the run overwrites its base */
static uint64_t chase(uint64_t *p) {
    uint64_t a, b, q = (uint64_t)p;
    __asm__ volatile(
        "ld %[a], 0(%[q])\n\t"
        "ld %[b], 8(%[q])\n\t"
        "ld %[q], 16(%[q])\n\t"
        : [a] "=&r"(a), [b] "=&r"(b), [q] "+r"(q)
        :
        : "memory");
    return a + b * 2 + *(uint64_t *)q * 3;
}

static double fp_run(double *p, double x) {
    double a, b;
    __asm__ volatile(
        "fsd %[x], 0(%[p])\n\t"
        "fsd %[x], 8(%[p])\n\t"
        "fld %[a], 0(%[p])\n\t"
        "fld %[b], 8(%[p])\n\t"
        : [a] "=&f"(a), [b] "=&f"(b)
        : [p] "r"(p), [x] "f"(x)
        : "memory");
    return a + b;
}

static sigjmp_buf jb;
static volatile uintptr_t fault_addr;

static void on_segv(int sig, siginfo_t *si, void *uc) {
    (void)sig;
    (void)uc;
    fault_addr = (uintptr_t)si->si_addr;
    siglongjmp(jb, 1);
}

int main(void) {
    long pg = sysconf(_SC_PAGESIZE);
    unsigned char *m = mmap(NULL, 3 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    uint64_t sum = 0;
    /* in one page; across the first page boundary; misaligned */
    long offs[] = {64, pg - 16, pg - 8, 2 * pg - 24, 100, 4};
    for (int r = 0; r < ROUNDS; r++) {
        for (unsigned k = 0; k < sizeof offs / sizeof offs[0]; k++) {
            sum = sum * 31 + store_load((uint64_t *)(m + offs[k]), (uint64_t)r * 0x9e3779b97f4a7c15ULL + k);
        }
    }
    printf("store/load runs: %016llx\n", (unsigned long long)sum);

    /* narrow runs: in one page, across the first boundary (bytes, then halfwords, then words), misaligned */
    long noffs[] = {64, pg - 2, pg - 6, pg - 10, 65, 2 * pg - 1};
    sum = 0;
    for (int r = 0; r < ROUNDS; r++) {
        for (unsigned k = 0; k < sizeof noffs / sizeof noffs[0]; k++) {
            sum = sum * 31 + narrow(m + noffs[k], (uint64_t)r * 0x2545f4914f6cdd1dULL + k);
        }
    }
    printf("narrow runs: %016llx\n", (unsigned long long)sum);

    uint64_t *c = (uint64_t *)(m + 2 * pg - 8); /* a run across the second page boundary */
    uint64_t *target = (uint64_t *)(m + 256);
    sum = 0;
    for (int r = 0; r < ROUNDS; r++) {
        c[0] = r;
        c[1] = r * 7;
        c[2] = (uint64_t)target;
        *target = r ^ 0x55;
        sum = sum * 17 + chase(c);
    }
    printf("chase: %016llx\n", (unsigned long long)sum);

    double ds = 0;
    for (int r = 0; r < ROUNDS; r++) {
        ds += fp_run((double *)(m + 512 + (r & 7) * 8), r * 0.5);
    }
    printf("fp runs: %.1f\n", ds);

    /* a store run into a page made read-only: the first store faults, nothing is written */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    int faults = 0;
    for (int r = 0; r < ROUNDS; r++) {
        uint64_t *q = (uint64_t *)(m + pg + 128);
        if (r == ROUNDS / 2) {
            mprotect(m + pg, pg, PROT_READ);
        }
        if (sigsetjmp(jb, 1) == 0) {
            store_load(q, r);
        } else {
            faults++;
            if (fault_addr != (uintptr_t)q) {
                printf("fault at +%ld, not at the first store\n", (long)(fault_addr - (uintptr_t)m));
            }
        }
    }
    printf("read-only faults: %d, value kept: %llu\n", faults, (unsigned long long)*(uint64_t *)(m + pg + 128));
    mprotect(m + pg, pg, PROT_READ | PROT_WRITE);

    /* copy-on-write: the child's store runs must not reach the parent's memory */
    for (int r = 0; r < 64; r++) {
        store_load((uint64_t *)(m + 1024), 1000 + r);
    }
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        uint64_t s = 0;
        for (int r = 0; r < ROUNDS; r++) {
            s += store_load((uint64_t *)(m + 1024), 5000 + r);
        }
        printf("child: %llu %llu\n", (unsigned long long)s, (unsigned long long)*(uint64_t *)(m + 1024));
        fflush(stdout);
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    printf("parent after child: %llu\n", (unsigned long long)*(uint64_t *)(m + 1024));
    return 0;
}
