/* A memory hog: maps and touches 1 MiB at a time until something stops it, reporting as it
 * goes. Under a session limit the OOM killer must end it (SIGKILL), not the emulator. With the
 * argument "alloc", it only maps (no touching) a region larger than all memory, which must fail. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "alloc") == 0) {
        void *p = mmap(NULL, 1UL << 40, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        printf("1 TiB private writable mapping: %s\n", p == MAP_FAILED ? strerror(errno) : "mapped");
        void *q = mmap(NULL, 1UL << 36, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        printf("64 GiB PROT_NONE reservation: %s\n", q == MAP_FAILED ? strerror(errno) : "mapped");
        return 0;
    }
    for (long mib = 1;; mib++) {
        char *p = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) {
            printf("mmap failed after %ld MiB: %s\n", mib, strerror(errno));
            return 1;
        }
        for (int i = 0; i < 1 << 20; i += 4096) {
            p[i] = 1;
        }
        if (mib % 16 == 0) {
            printf("hog: %ld MiB\n", mib);
            fflush(stdout);
        }
    }
}
