/* Pipe throughput between two processes: the child writes, the parent reads.
 * Usage: pipebench [megabytes] (default 512) */
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

int main(int argc, char **argv) {
    long mb = argc > 1 ? atol(argv[1]) : 512;
    long total = mb << 20;
    static char buf[65536];
    int fds[2];
    pipe(fds);
    double t0 = now();
    pid_t c = fork();
    if (c == 0) {
        close(fds[0]);
        memset(buf, 'x', sizeof buf);
        for (long left = total; left > 0;) {
            long n = write(fds[1], buf, left < (long)sizeof buf ? left : (long)sizeof buf);
            if (n <= 0) _exit(1);
            left -= n;
        }
        _exit(0);
    }
    close(fds[1]);
    long got = 0, n;
    while ((n = read(fds[0], buf, sizeof buf)) > 0) got += n;
    waitpid(c, NULL, 0);
    double s = now() - t0;
    printf("pipe: %ld MB in %.3f s = %.0f MB/s%s\n", got >> 20, s, (got / 1048576.0) / s,
           got == total ? "" : " (SHORT)");
    return got == total ? 0 : 1;
}
