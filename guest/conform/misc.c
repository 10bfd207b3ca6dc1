/* Smaller behaviours a conformance run found different from Linux, each its own check: the
 * queued-signal limit, prctl's timer slack, packet pipes, /dev/random's ioctls, a sleep's bad
 * remaining-time pointer, clone3's bad pidfd pointer, MAP_GROWSDOWN growing. */
#define _GNU_SOURCE
#include "../proc/check.h"
#include <fcntl.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void sigpending_limit(void) {
    pid_t c = fork();
    if (c == 0) {
        /* in a child, so the lowered limit and the queued signals go away with it */
        struct rlimit rl = {3, 3};
        setrlimit(RLIMIT_SIGPENDING, &rl);
        /* the limit counts every signal queued for the user: be a user nobody else is */
        if (geteuid() == 0 && setuid(54321) != 0) _exit(4);
        sigset_t s;
        sigemptyset(&s);
        sigaddset(&s, SIGRTMIN);
        sigaddset(&s, SIGRTMIN + 1);
        sigprocmask(SIG_BLOCK, &s, NULL);
        union sigval v = {0};
        int queued = 0;
        while (queued < 10 && sigqueue(getpid(), SIGRTMIN, v) == 0) queued++;
        int e1 = errno;
        int tk = syscall(SYS_tgkill, getpid(), getpid(), SIGRTMIN + 1);
        int e2 = errno;
        int k = kill(getpid(), SIGRTMIN + 1); /* kill is not limited */
        int drained = 0;
        struct timespec zero = {0, 0};
        while (sigtimedwait(&s, NULL, &zero) > 0) drained++;
        if (queued < 1 || queued > 3 || e1 != EAGAIN) _exit(1);
        if (tk != -1 || e2 != EAGAIN) _exit(2);
        if (k != 0 || drained != queued + 1) _exit(3);
        _exit(0);
    }
    int st;
    waitpid(c, &st, 0);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0,
          "RLIMIT_SIGPENDING: sigqueue and tgkill get EAGAIN at the limit, kill still queues");
}

static void timerslack(void) {
    CHECK(prctl(PR_GET_TIMERSLACK) == 50000, "PR_GET_TIMERSLACK: 50 us by default");
    CHECK(prctl(PR_SET_TIMERSLACK, 1000) == 0 && prctl(PR_GET_TIMERSLACK) == 1000, "PR_SET_TIMERSLACK sets it");
    pid_t c = fork();
    if (c == 0) {
        int inherit = prctl(PR_GET_TIMERSLACK) == 1000;
        prctl(PR_SET_TIMERSLACK, 7777);
        prctl(PR_SET_TIMERSLACK, 0);
        _exit(inherit && prctl(PR_GET_TIMERSLACK) == 1000 ? 0 : 1);
    }
    int st;
    waitpid(c, &st, 0);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "a child inherits it, and 0 returns to what it inherited");
    CHECK(prctl(PR_SET_TIMERSLACK, 0) == 0 && prctl(PR_GET_TIMERSLACK) == 50000, "0 returns to the default");
}

static void packet_pipe(void) {
    int p[2];
    CHECK(pipe2(p, O_DIRECT) == 0, "pipe2(O_DIRECT)");
    CHECK(!(fcntl(p[0], F_GETFL) & O_DIRECT) && (fcntl(p[1], F_GETFL) & O_DIRECT), "the write end has O_DIRECT, the read end not");
    char b[8192];
    write(p[1], "abc", 3);
    write(p[1], "de", 2);
    CHECK(read(p[0], b, sizeof b) == 3 && memcmp(b, "abc", 3) == 0, "a read takes one packet");
    CHECK(read(p[0], b, 1) == 1 && b[0] == 'd', "a short read takes part of the next");
    fcntl(p[0], F_SETFL, O_NONBLOCK);
    CHECK(read(p[0], b, sizeof b) == -1 && errno == EAGAIN, "and the rest of that packet is gone");
    static char big[6000];
    memset(big, 'x', sizeof big);
    CHECK(write(p[1], big, sizeof big) == (ssize_t)sizeof big, "a long write");
    CHECK(read(p[0], b, sizeof b) == 4096 && read(p[0], b, sizeof b) == 6000 - 4096, "goes as PIPE_BUF-sized packets");
    close(p[0]);
    close(p[1]);
    CHECK(pipe2(p, 0x1000000 /* unknown */) == -1 && errno == EINVAL, "pipe2 with an unknown flag: EINVAL");
}

static void random_ioctls(void) {
    int fd = open("/dev/urandom", O_RDONLY);
    int cnt = -1;
    CHECK(ioctl(fd, RNDGETENTCNT, &cnt) == 0 && cnt == 256, "RNDGETENTCNT: a seeded pool, 256 bits");
    CHECK(ioctl(fd, RNDGETENTCNT, (int *)8) == -1 && errno == EFAULT, "RNDGETENTCNT to a bad address: EFAULT");
    CHECK(ioctl(fd, _IO('R', 0x7f)) == -1 && errno == EINVAL, "an unknown random ioctl: EINVAL");
    int n = open("/dev/null", O_RDONLY);
    CHECK(ioctl(n, RNDGETENTCNT, &cnt) == -1 && errno == ENOTTY, "RNDGETENTCNT on /dev/null: ENOTTY");
    close(n);
    pid_t c = fork();
    if (c == 0) {
        if (setuid(65534) != 0 && geteuid() == 0) _exit(3);
        int one = 1;
        _exit(ioctl(fd, RNDADDTOENTCNT, &one) == -1 && errno == EPERM ? 0 : 1);
    }
    int st;
    waitpid(c, &st, 0);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "RNDADDTOENTCNT by a user: EPERM");
    close(fd);
}

static sigjmp_buf segv_jump;
static void on_segv(int s) { siglongjmp(segv_jump, s); }

/* Touches *p; returns the signal that stopped it, or 0. */
static int touch(volatile char *p) {
    int s = sigsetjmp(segv_jump, 1);
    if (s == 0) {
        *p = 1;
        return 0;
    }
    return s;
}

static void growsdown(void) {
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_segv;
    sa.sa_flags = SA_NODEFER;
    sigaction(SIGSEGV, &sa, &old);
    char *base = mmap(NULL, 64 << 20, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(base, 64 << 20); /* a free 64 MiB */
    char *top = base + (48 << 20);
    char *g = mmap(top, 4 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN | MAP_FIXED, -1, 0);
    CHECK(g == top, "MAP_GROWSDOWN maps");
    CHECK(touch(g - 1) == 0, "a touch just below it grows it");
    CHECK(touch(g - 100 * 4096) == 0, "and one 100 pages below");
    int one_area = 0;
    FILE *f = fopen("/proc/self/maps", "r");
    char line[512];
    while (f && fgets(line, sizeof line, f)) {
        unsigned long s0, e0;
        if (sscanf(line, "%lx-%lx", &s0, &e0) == 2 && s0 == (unsigned long)(g - 100 * 4096) && e0 == (unsigned long)(g + 4 * 4096))
            one_area = 1;
    }
    if (f) fclose(f);
    CHECK(one_area, "it is one area in /proc/self/maps, from the lowest touch to its top");
    mmap(g - 400 * 4096, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    CHECK(touch(g - 200 * 4096) == SIGSEGV, "not within the guard gap of a mapping below: SIGSEGV");
    munmap(g - 400 * 4096, 404 * 4096);
    sigaction(SIGSEGV, &old, NULL);
}

static void on_alarm(int s) { (void)s; }

static void bad_pointers(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    struct timespec ts = {2, 0};
    alarm(1);
    int e = clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, (struct timespec *)8);
    CHECK(e == EFAULT, "clock_nanosleep interrupted, with a bad remaining pointer: EFAULT");
    alarm(1);
    CHECK(syscall(SYS_nanosleep, &ts, (void *)8) == -1 && errno == EFAULT, "nanosleep likewise");
    struct clone_args ca;
    memset(&ca, 0, sizeof ca);
    ca.flags = CLONE_PIDFD;
    ca.pidfd = 8;
    ca.exit_signal = SIGCHLD;
    long r = syscall(435, &ca, sizeof ca);
    if (r == 0) _exit(0);
    if (r == -1 && errno == ENOSYS && reference) SKIP("clone3 with a bad pidfd pointer", "this qemu-user has no clone3");
    else CHECK(r == -1 && errno == EFAULT, "clone3 with a bad pidfd pointer: EFAULT");
    if (r > 0) waitpid(r, NULL, 0);
}

int main(int argc, char **argv) {
    check_init(argc, argv);
    sigpending_limit();
    timerslack();
    packet_pipe();
    random_ioctls();
    bad_pointers();
    growsdown();
    if (failures == 0) printf("ALL PASSED\n");
    return failures;
}
