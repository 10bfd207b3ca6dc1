/* fork + execve(/bin/true) + wait, N times; prints microseconds per cycle.
 * Usage: forkexec [n] [program]   (default 200, /bin/true) */
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

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 200;
    char *prog = argc > 2 ? argv[2] : "/bin/true";
    double t0 = now();
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
    double t = (now() - t0) / n * 1e6;
    /* where the time went, per cycle: the parent's and the children's user and system CPU time
     * (on friscy system time is the kernel's work in system calls: fork, exec, wait, exit) */
    struct rusage self, kids;
    getrusage(RUSAGE_SELF, &self);
    getrusage(RUSAGE_CHILDREN, &kids);
#define US(tv) ((tv).tv_sec * 1e6 + (tv).tv_usec)
    printf("fork+exec+wait: %.1f us per cycle (CPU per cycle: parent user %.1f system %.1f, child user %.1f system %.1f us)\n",
           t, US(self.ru_utime) / n, US(self.ru_stime) / n, US(kids.ru_utime) / n, US(kids.ru_stime) / n);
    return 0;
}
