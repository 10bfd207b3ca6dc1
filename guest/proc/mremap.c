/* mremap as allocators use it: grow (in place and moving), grow again what a move grew, shrink,
 * MREMAP_FIXED, MREMAP_DONTUNMAP and the errors, with the contents checked at every step.
 * Portable: the same source runs natively against the host's Linux. */
#define _GNU_SOURCE
#include "check.h"
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif
#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

static long P;

static void fill(char *p, long pages, int seed) {
    for (long i = 0; i < pages; i++) {
        memset(p + i * P, (int) (seed + i) & 0xff, P);
    }
}

static int holds(const char *p, long pages, int seed) {
    for (long i = 0; i < pages; i++) {
        for (long j = 0; j < P; j += 512) {
            if (p[i * P + j] != (char) ((seed + i) & 0xff)) return 0;
        }
    }
    return 1;
}

static int zeros(const char *p, long pages) {
    for (long i = 0; i < pages * P; i += 256) {
        if (p[i] != 0) return 0;
    }
    return 1;
}

static int unmapped(void *p, long pages) {
    unsigned char vec[64];
    errno = 0;
    return mincore(p, pages * P, vec) == -1 && errno == ENOMEM;
}

/* a PROT_NONE page right after [p, p+pages): growing in place becomes impossible */
static int guard_after(char *p, long pages) {
    void *g = mmap(p + pages * P, P, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    return g == p + pages * P || (g == MAP_FAILED && errno == EEXIST);
}

/* the /proc/self/maps line containing p covers at least [p, p+pages) */
static int one_mapping(char *p, long pages) {
    FILE *f = fopen("/proc/self/maps", "r");
    if (!f) return 0;
    char line[512];
    int ok = 0;
    while (fgets(line, sizeof line, f)) {
        unsigned long s, e;
        if (sscanf(line, "%lx-%lx", &s, &e) == 2 && s <= (uintptr_t) p && (uintptr_t) p < e) {
            ok = e >= (uintptr_t) p + pages * P;
            break;
        }
    }
    fclose(f);
    return ok;
}

int main(int argc, char **argv) {
    check_init(argc, argv);
    setvbuf(stdout, NULL, _IOLBF, 0);
    P = sysconf(_SC_PAGESIZE);
    int rw = PROT_READ | PROT_WRITE, anon = MAP_PRIVATE | MAP_ANONYMOUS;

    char *a = mmap(NULL, 5 * P, rw, anon, -1, 0);
    munmap(a + 4 * P, P);
    fill(a, 4, 1);
    CHECK(guard_after(a, 4), "guard after the first mapping");

    /* grow by moving */
    char *b = mremap(a, 4 * P, 8 * P, MREMAP_MAYMOVE);
    CHECK(b != MAP_FAILED && b != a, "grow with MAYMOVE moves when the next page is taken");
    CHECK(holds(b, 4, 1) && zeros(b + 4 * P, 4), "moved contents kept, the new tail zero");
    CHECK(unmapped(a, 4), "the old range is gone");
    fill(b + 4 * P, 4, 5);
    CHECK(one_mapping(b, 8), "moved and grown: one mapping");

    /* grow again what the move grew (glibc's realloc of a large block does this) */
    CHECK(guard_after(b, 8), "guard after the moved mapping");
    char *c = mremap(b, 8 * P, 16 * P, MREMAP_MAYMOVE);
    CHECK(c != MAP_FAILED, "grow again the range a move grew");
    CHECK(c != MAP_FAILED && holds(c, 8, 1) && zeros(c + 8 * P, 8), "contents kept on the second move");
    if (c == MAP_FAILED) {
        printf("(stopping: nothing left to remap)\n");
        return failures;
    }

    /* shrink */
    CHECK(mremap(c, 16 * P, 6 * P, 0) == c, "shrink in place");
    CHECK(unmapped(c + 6 * P, 10) && holds(c, 6, 1), "the shrunk tail is unmapped, the rest kept");

    /* grow in place without MAYMOVE, then blocked */
    CHECK(mremap(c, 6 * P, 7 * P, 0) == c && zeros(c + 6 * P, 1), "grow in place into free space");
    CHECK(guard_after(c, 7), "guard after the grown mapping");
    errno = 0;
    CHECK(mremap(c, 7 * P, 9 * P, 0) == MAP_FAILED && errno == ENOMEM, "grow in place when blocked gives ENOMEM");

    /* MREMAP_FIXED onto a reservation */
    char *d = mmap(NULL, 10 * P, PROT_NONE, anon, -1, 0);
    CHECK(mremap(c, 7 * P, 10 * P, MREMAP_MAYMOVE | MREMAP_FIXED, d) == d, "MREMAP_FIXED grows onto a given place");
    CHECK(holds(d, 6, 1) && zeros(d + 6 * P, 4) && unmapped(c, 7), "FIXED: contents moved, the old range gone");
    CHECK(one_mapping(d, 10), "FIXED: one mapping");
    errno = 0;
    CHECK(mremap(d, 10 * P, 10 * P, MREMAP_FIXED, d + 20 * P) == MAP_FAILED && errno == EINVAL,
          "FIXED without MAYMOVE gives EINVAL");
    errno = 0;
    CHECK(mremap(d, 4 * P, 4 * P, MREMAP_MAYMOVE | MREMAP_FIXED, d + 2 * P) == MAP_FAILED && errno == EINVAL,
          "FIXED onto an overlapping range gives EINVAL");
    errno = 0;
    CHECK(mremap(d, 4 * P, 4 * P, MREMAP_MAYMOVE | MREMAP_FIXED, d + 40 * P + 1) == MAP_FAILED && errno == EINVAL,
          "FIXED to a misaligned address gives EINVAL");
    /* FIXED that shrinks: the tail of the old range is unmapped first */
    char *f = mmap(NULL, 4 * P, PROT_NONE, anon, -1, 0);
    CHECK(mremap(d + 6 * P, 4 * P, 2 * P, MREMAP_MAYMOVE | MREMAP_FIXED, f) == f, "FIXED and shrinking");
    CHECK(unmapped(d + 6 * P, 4) && zeros(f, 2), "FIXED shrink: the old range gone");

    /* MREMAP_DONTUNMAP: the old mapping stays, empty */
    fill(d, 6, 9);
    char *e = mremap(d, 6 * P, 6 * P, MREMAP_MAYMOVE | MREMAP_DONTUNMAP);
    CHECK(e != MAP_FAILED && e != d, "DONTUNMAP moves");
    CHECK(e != MAP_FAILED && holds(e, 6, 9), "DONTUNMAP: the contents moved");
    CHECK(!unmapped(d, 6) && zeros(d, 6), "DONTUNMAP: the old range stays mapped and reads zeros");
    d[0] = 1;
    CHECK(e != MAP_FAILED && e[0] == 9, "DONTUNMAP: the two ranges are separate memory");
    errno = 0;
    CHECK(mremap(d, 6 * P, 7 * P, MREMAP_MAYMOVE | MREMAP_DONTUNMAP) == MAP_FAILED && errno == EINVAL,
          "DONTUNMAP with another length gives EINVAL");
    errno = 0;
    CHECK(mremap(d, 6 * P, 6 * P, MREMAP_DONTUNMAP) == MAP_FAILED && errno == EINVAL,
          "DONTUNMAP without MAYMOVE gives EINVAL");
    char *g = mmap(NULL, 6 * P, PROT_NONE, anon, -1, 0);
    CHECK(mremap(e, 6 * P, 6 * P, MREMAP_MAYMOVE | MREMAP_DONTUNMAP | MREMAP_FIXED, g) == g && holds(g, 6, 9)
          && zeros(e, 6), "DONTUNMAP with FIXED");

    /* what a move made grows again in place and by moving */
    CHECK(mremap(g, 6 * P, 12 * P, MREMAP_MAYMOVE) != MAP_FAILED, "grow after DONTUNMAP|FIXED");

    /* errors */
    char *h = mmap(NULL, 4 * P, rw, anon, -1, 0);
    mprotect(h + 2 * P, 2 * P, PROT_READ);
    CHECK(guard_after(h, 4), "guard after a mapping of two protections");
    errno = 0;
    CHECK(mremap(h, 4 * P, 8 * P, MREMAP_MAYMOVE) == MAP_FAILED && errno == EFAULT,
          "growing a range of two mappings gives EFAULT");
    char *hole = mmap(NULL, P, rw, anon, -1, 0);
    munmap(hole, P);
    errno = 0;
    CHECK(mremap(hole, P, 2 * P, MREMAP_MAYMOVE) == MAP_FAILED && errno == EFAULT, "an unmapped address gives EFAULT");
    errno = 0;
    CHECK(mremap(h + 1, P, 2 * P, MREMAP_MAYMOVE) == MAP_FAILED && errno == EINVAL, "a misaligned address gives EINVAL");
    errno = 0;
    CHECK(mremap(h, P, 0, MREMAP_MAYMOVE) == MAP_FAILED && errno == EINVAL, "new length 0 gives EINVAL");
    errno = 0;
    CHECK(mremap(h, P, 2 * P, 8) == MAP_FAILED && errno == EINVAL, "unknown flags give EINVAL");
    errno = 0;
    CHECK(mremap(h, 0, P, MREMAP_MAYMOVE) == MAP_FAILED && errno == EINVAL, "old length 0 of a private mapping gives EINVAL");

    if (failures == 0) {
        printf("ALL PASSED\n");
    }
    return failures;
}
