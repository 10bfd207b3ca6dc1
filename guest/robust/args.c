/* Hostile (address, length) arguments: each must give Linux's errno, quickly, and never a
 * crash of the emulator (once a Java exception killed the caller with SIGSYS, and
 * riscv_flush_icache with a wrapping range hung the whole kernel). */
#include "../io/check.h"
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#ifndef __NR_riscv_flush_icache
#define __NR_riscv_flush_icache 259
#endif

static long sys(long nr, long a, long b, long c, long d, long e) {
    return syscall(nr, a, b, c, d, e);
}

int main(void) {
    start_tests();
    long pg = 4096;
    char *m = mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK("mmap", m != MAP_FAILED, "mmap");

    long long t0 = now_ns();
    errno = 0;
    long r = sys(__NR_riscv_flush_icache, 1L << 63, 0x1000, 0, 0, 0);
    if (r == -1 && errno == ENOSYS) {
        NOT_PROVIDED("riscv_flush_icache");
    } else {
        CHECK("riscv_flush_icache wrapping range returns 0", r == 0, "r=%ld", r);
        r = sys(__NR_riscv_flush_icache, -4096L, 0x1000, 0, 0, 0);
        CHECK("riscv_flush_icache start above end returns 0", r == 0, "r=%ld", r);
        r = sys(__NR_riscv_flush_icache, 0, -1L, 0, 0, 0);
        CHECK("riscv_flush_icache whole space returns 0", r == 0, "r=%ld", r);
        CHECK("riscv_flush_icache is quick", now_ns() - t0 < 5000000000LL, "took %lld ns", now_ns() - t0);
    }

    errno = 0;
    CHECK("munmap wrapping length EINVAL", munmap(m, (size_t)-pg) == -1 && errno == EINVAL, "x");
    errno = 0;
    CHECK("munmap length near 2^64 EINVAL", munmap(m, (size_t)-1) == -1 && errno == EINVAL, "x");
    errno = 0;
    CHECK("munmap past user space EINVAL", munmap((void *)(1L << 62), pg) == -1 && errno == EINVAL, "x");
    errno = 0;
    CHECK("mprotect wrapping length ENOMEM", mprotect(m, (size_t)-pg, PROT_READ) == -1 && errno == ENOMEM, "x");
    errno = 0;
    CHECK("mprotect high wrapping range ENOMEM",
          mprotect((void *)(-2 * pg), 4 * pg, PROT_READ) == -1 && errno == ENOMEM, "x");
    m[0] = 7;
    CHECK("memory intact after refused calls", m[0] == 7, "x");

    unsigned char vec[8];
    errno = 0;
    CHECK("mincore huge length ENOMEM", mincore(m, (size_t)-pg, vec) == -1 && errno == ENOMEM, "x");
    errno = 0;
    CHECK("mincore length 2^62 ENOMEM", mincore(m, 1UL << 62, vec) == -1 && errno == ENOMEM, "x");
    CHECK("mincore of the mapping", mincore(m, 4 * pg, vec) == 0 && (vec[0] & 1), "x");

    errno = 0;
    CHECK("madvise wrapping length EINVAL", madvise(m, (size_t)-pg, MADV_DONTNEED) == -1 && errno == EINVAL, "x");
    errno = 0;
    CHECK("msync wrapping length ENOMEM", msync(m, (size_t)-pg, MS_SYNC) == -1 && errno == ENOMEM, "x");
    errno = 0;
    CHECK("mlock whose length wraps to 0 locks nothing", mlock(m + 1, (size_t)-1) == 0, "x");
    errno = 0;
    CHECK("mlock past user space ENOMEM", mlock(m, 1UL << 62) == -1 && errno == ENOMEM, "x");

    int fd = open("/proc/self/exe", O_RDONLY);
    CHECK("open self", fd >= 0, "open");
    char a[16], b[16];
    struct iovec iov[2] = {{a, (size_t)1 << 63}, {b, (size_t)1 << 63}};
    errno = 0;
    CHECK("readv negative ssize length EINVAL", readv(fd, iov, 2) == -1 && errno == EINVAL, "x");
    errno = 0;
    CHECK("preadv negative ssize length EINVAL", preadv(fd, iov, 2, 0) == -1 && errno == EINVAL, "x");
    struct iovec iov2[2] = {{a, 0x7fffffffffffffffL}, {b, 0x7fffffffffffffffL}};
    errno = 0;
    CHECK("readv lengths summing past 2^63 EFAULT", readv(fd, iov2, 2) == -1 && errno == EFAULT, "x");
    errno = 0;
    CHECK("preadv lengths summing past 2^63 EFAULT", preadv(fd, iov2, 2, 0) == -1 && errno == EFAULT, "x");
    errno = 0;
    CHECK("writev lengths summing past 2^63 EFAULT", writev(1, iov2, 2) == -1 && errno == EFAULT, "x");
    struct iovec iov3[2] = {{a, 4}, {b, 4}};
    CHECK("readv still works", preadv(fd, iov3, 2, 0) == 8 && a[1] == 'E' && b[0] == 2, "x");
    errno = 0;
    CHECK("readv 1025 segments EINVAL", readv(fd, iov3, 1025) == -1 && errno == EINVAL, "x");
    errno = 0;
    CHECK("read length near 2^64 EFAULT", read(fd, a, (size_t)-1) == -1 && errno == EFAULT, "x");
    errno = 0;
    CHECK("pread length near 2^64 EFAULT", pread(fd, a, (size_t)-1, 0) == -1 && errno == EFAULT, "x");
    return finish_tests();
}
