/* Loopback request-response round trips: a client sends a 64-byte request and waits for the
 * 64-byte reply, the server echoes it. The kernel's share of a node HTTP round trip (wake-ups,
 * socket calls, scheduler hand-overs) without node's own code.
 *   tcp-proc    TCP, client and server in two processes, blocking read/write
 *   tcp-thread  TCP, server in a thread of the client's process
 *   tcp-epoll   TCP, two processes, both waiting in epoll_wait on non-blocking sockets (as libuv does)
 *   unix-proc   AF_UNIX stream socketpair, two processes
 *   pipe-proc   two pipes, two processes
 *   MODE+hog    MODE while a third process spins: how soon a woken task runs when the CPU is busy
 *               (Linux runs a task that mostly sleeps ahead of a CPU hog)
 * Usage: rttbench [round-trips per batch] [batches] [mode...]
 * Prints, per mode, the median over the batches of the mean round trip in microseconds. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MSG 64

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what) {
    perror(what);
    exit(1);
}

static int readfull(int fd, char *b, int n) {
    for (int got = 0; got < n;) {
        int r = read(fd, b + got, n - got);
        if (r <= 0) return -1;
        got += r;
    }
    return 0;
}

/* blocking echo until EOF */
static void echo(int rfd, int wfd) {
    char b[MSG];
    while (readfull(rfd, b, MSG) == 0) {
        if (write(wfd, b, MSG) != MSG) break;
    }
}

/* non-blocking echo driven by epoll_wait, as an event loop does */
static void echo_epoll(int fd) {
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = fd}, out[8];
    if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) != 0) die("epoll");
    char b[4096];
    for (;;) {
        int n = epoll_wait(ep, out, 8, -1);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) die("epoll_wait");
        for (;;) {
            int r = read(fd, b, sizeof b);
            if (r == 0) return;
            if (r < 0) {
                if (errno == EAGAIN) break;
                die("read");
            }
            if (write(fd, b, r) != r) die("write");
        }
    }
}

static int listener(struct sockaddr_in *a) {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    socklen_t l = sizeof *a;
    memset(a, 0, sizeof *a);
    a->sin_family = AF_INET;
    a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (s < 0 || bind(s, (struct sockaddr *)a, sizeof *a) != 0 || listen(s, 4) != 0
        || getsockname(s, (struct sockaddr *)a, &l) != 0)
        die("listen");
    return s;
}

static int dial(struct sockaddr_in *a) {
    int k = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    if (k < 0 || connect(k, (struct sockaddr *)a, sizeof *a) != 0) die("connect");
    setsockopt(k, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return k;
}

static int accepted(int s) {
    int c = accept(s, NULL, NULL), one = 1;
    if (c < 0) die("accept");
    setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return c;
}

/* the client side: batches of round trips; returns the median batch mean in microseconds */
static int cmp(const void *x, const void *y) {
    double a = *(const double *)x, b = *(const double *)y;
    return a < b ? -1 : a > b;
}

static double client(int rfd, int wfd, int n, int batches, int epoll_mode) {
    char b[MSG];
    memset(b, 'q', sizeof b);
    double *t = calloc(batches, sizeof *t);
    int ep = -1;
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = rfd}, out[8];
    if (epoll_mode) {
        ep = epoll_create1(0);
        if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, rfd, &ev) != 0) die("epoll");
    }
    for (int k = -1; k < batches; k++) { /* batch -1 warms up */
        double t0 = now();
        for (int i = 0; i < n; i++) {
            if (write(wfd, b, MSG) != MSG) die("client write");
            if (epoll_mode) {
                for (int got = 0; got < MSG;) {
                    if (epoll_wait(ep, out, 8, -1) < 0 && errno != EINTR) die("epoll_wait");
                    int r = read(rfd, b + got, MSG - got);
                    if (r > 0) got += r;
                    else if (r == 0 || errno != EAGAIN) die("client read");
                }
            } else if (readfull(rfd, b, MSG) != 0) {
                die("client read");
            }
        }
        if (k >= 0) t[k] = (now() - t0) / n * 1e6;
    }
    qsort(t, batches, sizeof *t, cmp);
    double m = t[batches / 2];
    free(t);
    if (ep >= 0) close(ep);
    return m;
}

struct srv {
    int s;
};

static void *tcp_thread_server(void *p) {
    int c = accepted(((struct srv *)p)->s);
    echo(c, c);
    close(c);
    return NULL;
}

static void set_nonblock(int fd) {
    int one = 1;
    if (ioctl(fd, FIONBIO, &one) != 0) die("FIONBIO");
}

static double run(const char *mode, int n, int batches) {
    double r;
    if (!strcmp(mode, "tcp-thread")) {
        struct sockaddr_in a;
        struct srv sv = {listener(&a)};
        pthread_t th;
        if (pthread_create(&th, NULL, tcp_thread_server, &sv) != 0) die("pthread_create");
        int k = dial(&a);
        r = client(k, k, n, batches, 0);
        close(k);
        pthread_join(th, NULL);
        close(sv.s);
        return r;
    }
    int c2s[2], s2c[2];
    struct sockaddr_in a;
    int s = -1;
    if (!strcmp(mode, "pipe-proc")) {
        if (pipe(c2s) != 0 || pipe(s2c) != 0) die("pipe");
    } else if (!strcmp(mode, "unix-proc")) {
        int sv[2];
        if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) die("socketpair");
        c2s[1] = s2c[0] = sv[0];
        c2s[0] = s2c[1] = sv[1];
    } else if (!strcmp(mode, "tcp-proc") || !strcmp(mode, "tcp-epoll")) {
        s = listener(&a);
    } else {
        fprintf(stderr, "rttbench: unknown mode %s\n", mode);
        exit(2);
    }
    int ep = !strcmp(mode, "tcp-epoll");
    pid_t p = fork();
    if (p < 0) die("fork");
    if (p == 0) {
        if (s >= 0) {
            int c = accepted(s);
            if (ep) {
                set_nonblock(c);
                echo_epoll(c);
            } else {
                echo(c, c);
            }
        } else {
            if (c2s[0] != s2c[1]) {
                close(c2s[1]);
                close(s2c[0]);
            } else {
                close(c2s[1]);
            }
            echo(c2s[0], s2c[1]);
        }
        _exit(0);
    }
    if (s >= 0) {
        int k = dial(&a);
        if (ep) set_nonblock(k);
        r = client(k, k, n, batches, ep);
        close(k);
        close(s);
    } else {
        if (c2s[0] != s2c[1]) {
            close(c2s[0]);
            close(s2c[1]);
        } else {
            close(c2s[0]);
        }
        r = client(s2c[0], c2s[1], n, batches, 0);
        close(c2s[1]);
        if (s2c[0] != c2s[1]) close(s2c[0]);
    }
    int st;
    if (waitpid(p, &st, 0) != p || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        fprintf(stderr, "rttbench: %s server failed\n", mode);
        exit(1);
    }
    return r;
}

/* MODE or MODE+hog: the latter with a process spinning beside the pair */
static double run_mode(const char *mode, int n, int batches) {
    const char *plus = strchr(mode, '+');
    if (!plus) return run(mode, n, batches);
    if (strcmp(plus, "+hog") != 0) {
        fprintf(stderr, "rttbench: unknown mode %s\n", mode);
        exit(2);
    }
    char base[32];
    snprintf(base, sizeof base, "%.*s", (int)(plus - mode), mode);
    pid_t hog = fork();
    if (hog < 0) die("fork");
    if (hog == 0) {
        for (volatile unsigned long i = 0;; i++) {
        }
    }
    double r = run(base, n, batches);
    kill(hog, SIGKILL);
    waitpid(hog, NULL, 0);
    return r;
}

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 2000;
    int batches = argc > 2 ? atoi(argv[2]) : 9;
    static const char *all[] = {"tcp-proc", "tcp-thread", "tcp-epoll", "unix-proc", "pipe-proc"};
    int nm = argc > 3 ? argc - 3 : 5;
    const char **modes = argc > 3 ? (const char **)argv + 3 : all;
    if (n < 1 || batches < 1) {
        fprintf(stderr, "usage: rttbench [round-trips per batch] [batches] [mode...]\n");
        return 2;
    }
    for (int i = 0; i < nm; i++) {
        double us = run_mode(modes[i], n, batches);
        printf("rtt %s: %.1f us per round trip\n", modes[i], us);
        fflush(stdout);
    }
    return 0;
}
