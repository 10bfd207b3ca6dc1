/* Loopback TCP throughput between two processes: the child connects and writes, the parent
 * accepts and reads. Usage: tcpbench [megabytes] (default 512) */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
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
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t l = sizeof a;
    if (bind(s, (struct sockaddr *)&a, sizeof a) != 0 || listen(s, 1) != 0 || getsockname(s, (struct sockaddr *)&a, &l) != 0) {
        perror("listen");
        return 1;
    }
    double t0 = now();
    pid_t c = fork();
    if (c == 0) {
        int k = socket(AF_INET, SOCK_STREAM, 0);
        if (connect(k, (struct sockaddr *)&a, sizeof a) != 0) _exit(1);
        memset(buf, 'x', sizeof buf);
        for (long left = total; left > 0;) {
            long n = write(k, buf, left < (long)sizeof buf ? left : (long)sizeof buf);
            if (n <= 0) _exit(1);
            left -= n;
        }
        _exit(0);
    }
    int k = accept(s, NULL, NULL);
    long got = 0, n;
    while ((n = read(k, buf, sizeof buf)) > 0) got += n;
    waitpid(c, NULL, 0);
    double t = now() - t0;
    printf("tcp loopback: %ld MB in %.3f s = %.0f MB/s%s\n", got >> 20, t, (got / 1048576.0) / t,
           got == total ? "" : " (SHORT)");
    return got == total ? 0 : 1;
}
