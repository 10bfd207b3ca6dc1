/* fork + execve(/bin/true) + wait, N times; prints microseconds per cycle.
 * Usage: forkexec [n] [program] [warmup]   (default 200, /bin/true, 0)
 * warmup: cycles run first and left out of every figure (an emulator that translates hot code
 * reaches its steady state after some starts) */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cycles(int n, char *prog) {
    for (int i = 0; i < n; i++) {
        pid_t c = fork();
        if (c == 0) {
            char *args[] = {prog, NULL};
            execv(prog, args);
            _exit(127);
        }
        int st;
        if (waitpid(c, &st, 0) != c || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
            printf("cycle %d failed (status %d)\n", i, st);
            return 1;
        }
    }
    return 0;
}

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 200;
    char *prog = argc > 2 ? argv[2] : "/bin/true";
    int warmup = argc > 3 ? atoi(argv[3]) : 0;
    if (n <= 0 || warmup < 0) {
        fprintf(stderr, "usage: forkexec [n > 0] [program] [warmup >= 0]\n");
        return 2;
    }
    if (cycles(warmup, prog)) {
        return 1;
    }
    struct rusage self0, kids0;
    getrusage(RUSAGE_SELF, &self0);
    getrusage(RUSAGE_CHILDREN, &kids0);
    double t0 = now();
    if (cycles(n, prog)) {
        return 1;
    }
    double t = (now() - t0) / n * 1e6;
    /* where the time went, per cycle: the parent's and the children's user and system CPU time
     * (on friscy system time is the kernel's work in system calls: fork, exec, wait, exit) */
    struct rusage self, kids;
    getrusage(RUSAGE_SELF, &self);
    getrusage(RUSAGE_CHILDREN, &kids);
#define US(tv) ((tv).tv_sec * 1e6 + (tv).tv_usec)
#define PER(a, b) ((US(a) - US(b)) / n)
    printf("fork+exec+wait: %.1f us per cycle%s (CPU per cycle: parent user %.1f system %.1f, child user %.1f system %.1f us)\n",
           t, warmup ? " after warm-up" : "", PER(self.ru_utime, self0.ru_utime), PER(self.ru_stime, self0.ru_stime),
           PER(kids.ru_utime, kids0.ru_utime), PER(kids.ru_stime, kids0.ru_stime));
    return 0;
}
