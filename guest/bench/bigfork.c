/* fork of a parent with 100 MB of touched memory; the child exits at once.
 * Prints milliseconds per fork+exit+wait (median of several). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    size_t mb = argc > 1 ? (size_t)atoi(argv[1]) : 100;
    size_t size = mb << 20;
    char *p = malloc(size);
    memset(p, 1, size);
    double t[9];
    for (int i = 0; i < 9; i++) {
        double t0 = now();
        pid_t c = fork();
        if (c == 0) _exit(p[i * 4096] == 1 ? 0 : 1);
        int st;
        waitpid(c, &st, 0);
        t[i] = (now() - t0) * 1e3;
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
            printf("child saw wrong memory\n");
            return 1;
        }
    }
    qsort(t, 9, sizeof t[0], cmp);
    printf("fork with %zu MB touched: %.2f ms (median of 9)\n", mb, t[4]);
    return 0;
}
