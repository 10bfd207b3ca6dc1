/* The process table: sized like Linux's threads-max (so ~1,000 waiting children fit), and
 * RLIMIT_NPROC enforced for users other than root. */
#define _GNU_SOURCE
#include "../proc/check.h"
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static long proc_long(const char *path) {
    char b[64] = {0};
    int fd = open(path, O_RDONLY);
    if (fd < 0) return -1;
    read(fd, b, sizeof b - 1);
    close(fd);
    return strtol(b, NULL, 10);
}

int main(int argc, char **argv) {
    check_init(argc, argv);
    long tmax = proc_long("/proc/sys/kernel/threads-max");
    CHECK(tmax >= 20, "/proc/sys/kernel/threads-max");
    struct rlimit rl;
    getrlimit(RLIMIT_NPROC, &rl);
    if (reference) SKIP("RLIMIT_NPROC is half of threads-max", "the host's shell may have changed it");
    else CHECK((long)rl.rlim_cur == tmax / 2 && (long)rl.rlim_max == tmax / 2, "RLIMIT_NPROC is half of threads-max, as Linux gives init");

    /* many children waiting at once (fewer under qemu, where each is a host process) */
    int want = reference ? 64 : 1000;
    int p[2];
    pipe(p);
    int made = 0;
    for (; made < want; made++) {
        pid_t c = fork();
        if (c == 0) {
            close(p[1]);
            char b;
            read(p[0], &b, 1); /* waits until the parent closes its end */
            _exit(7);
        }
        if (c < 0) break;
    }
    close(p[1]);
    int reaped = 0, ok = 0, st;
    pid_t w;
    while ((w = wait(&st)) > 0) {
        reaped++;
        if (WIFEXITED(st) && WEXITSTATUS(st) == 7) ok++;
    }
    char name[64];
    snprintf(name, sizeof name, "%d children wait at once, all reaped", want);
    CHECK(made == want && reaped == want && ok == want, name);
    close(p[0]);

    /* a user's RLIMIT_NPROC: its own process counts, so with 3 it may make 2 more */
    pid_t c = fork();
    if (c == 0) {
        struct rlimit three = {3, 3};
        setrlimit(RLIMIT_NPROC, &three);
        if (setuid(65534) != 0) _exit(9);
        int forks = 0;
        pid_t kids[8];
        while (forks < 8) {
            pid_t k = fork();
            if (k == 0) {
                pause();
                _exit(0);
            }
            if (k < 0) break;
            kids[forks++] = k;
        }
        int e = errno;
        for (int i = 0; i < forks; i++) kill(kids[i], SIGKILL);
        while (wait(NULL) > 0) {
        }
        _exit(forks >= 1 && forks <= 2 && e == EAGAIN ? 0 : 1);
    }
    waitpid(c, &st, 0);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "RLIMIT_NPROC stops a user's forks with EAGAIN");
    c = fork();
    if (c == 0) {
        struct rlimit one = {1, 1};
        setrlimit(RLIMIT_NPROC, &one);
        pid_t k = fork();
        if (k == 0) _exit(0);
        _exit(k > 0 && waitpid(k, NULL, 0) == k ? 0 : 1);
    }
    waitpid(c, &st, 0);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "root is not held to RLIMIT_NPROC");
    if (failures == 0) printf("ALL PASSED\n");
    return failures;
}
