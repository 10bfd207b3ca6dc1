/* System-call behaviours a conformance run found different from Linux: each its own check. */
#define _GNU_SOURCE
#include "check.h"
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/futex.h>
#include <linux/random.h>

#ifndef F_CREATED_QUERY
#define F_CREATED_QUERY 1028
#endif
#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

static sigjmp_buf jb;
static volatile int caught;
static void on_sig(int s) { caught = s; siglongjmp(jb, 1); }
static volatile int hits;
static void on_info(int s, siginfo_t *i, void *u) { (void)s; (void)i; (void)u; hits++; }

static void fcntl_checks(void) {
    char path[64];
    snprintf(path, sizeof path, "/tmp/conform-%d", getpid());
    unlink(path);
    int fd = open(path, O_CREAT | O_RDWR, 0600);
    int r = fcntl(fd, F_CREATED_QUERY);
    if (r == -1 && errno == EINVAL && reference) SKIP("F_CREATED_QUERY", "qemu-user does not know it");
    else {
        CHECK(r == 1, "F_CREATED_QUERY: 1 after open created the file");
        int fd2 = open(path, O_CREAT | O_RDWR, 0600);
        CHECK(fcntl(fd2, F_CREATED_QUERY) == 0, "F_CREATED_QUERY: 0 when it already existed");
        close(fd2);
    }
    struct f_owner_ex ox = {F_OWNER_PID, getpid()}, got = {0, 0};
    CHECK(fcntl(fd, F_SETOWN_EX, &ox) == 0, "F_SETOWN_EX");
    CHECK(fcntl(fd, F_GETOWN_EX, &got) == 0 && got.type == F_OWNER_PID && got.pid == getpid(), "F_GETOWN_EX reads it back");
    CHECK(fcntl(fd, F_GETOWN) == getpid(), "F_GETOWN agrees");
    ox.type = F_OWNER_PGRP;
    ox.pid = getpgrp();
    CHECK(fcntl(fd, F_SETOWN_EX, &ox) == 0 && fcntl(fd, F_GETOWN) == -getpgrp(), "F_OWNER_PGRP: F_GETOWN gives -pgid");
    ox.type = 7;
    CHECK(fcntl(fd, F_SETOWN_EX, &ox) == -1 && errno == EINVAL, "F_SETOWN_EX with a bad type: EINVAL");
    CHECK(fcntl(fd, F_GETOWN_EX, (void *)8) == -1 && errno == EFAULT, "F_GETOWN_EX to a bad address: EFAULT");

    /* F_SETLKW deadlock: we hold byte 0, the child holds byte 1 and waits for byte 0; we ask for byte 1 */
    struct flock l = {F_WRLCK, SEEK_SET, 0, 1, 0};
    fcntl(fd, F_SETLK, &l);
    int pp[2];
    pipe(pp);
    pid_t c = fork();
    if (c == 0) {
        struct flock m = {F_WRLCK, SEEK_SET, 1, 1, 0};
        fcntl(fd, F_SETLK, &m);
        write(pp[1], "r", 1);
        m.l_start = 0;
        int rr = fcntl(fd, F_SETLKW, &m);
        _exit(rr == 0 ? 0 : 1);
    }
    char b;
    read(pp[0], &b, 1);
    for (volatile int i = 0; i < 2000000; i++) { }
    usleep(100000);
    struct flock w = {F_WRLCK, SEEK_SET, 1, 1, 0};
    CHECK(fcntl(fd, F_SETLKW, &w) == -1 && errno == EDEADLK, "F_SETLKW that would deadlock: EDEADLK");
    l.l_type = F_UNLCK;
    fcntl(fd, F_SETLK, &l);
    int st;
    waitpid(c, &st, 0);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the other waiter gets its lock once released");

    close(fd);
    unlink(path);
}

static void exec_checks(char *self) {
    char path[64];
    snprintf(path, sizeof path, "/tmp/conform-exe-%d", getpid());
    int in = open(self, O_RDONLY), out = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0755);
    char buf[65536];
    int n;
    while ((n = read(in, buf, sizeof buf)) > 0) write(out, buf, n);
    close(in);
    pid_t c = fork();
    if (c == 0) {
        char *av[] = {path, "--argc", NULL};
        execv(path, av);
        _exit(errno == ETXTBSY ? 0 : 1);
    }
    int st;
    waitpid(c, &st, 0);
    if (reference) SKIP("execve of a file open for writing: ETXTBSY", "qemu-user cannot exec riscv binaries");
    else CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "execve of a file open for writing: ETXTBSY");
    close(out);
    if (!reference) {
        c = fork();
        if (c == 0) {
            char *av[] = {NULL};
            syscall(SYS_execve, path, av, environ);
            _exit(99);
        }
        waitpid(c, &st, 0);
        CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 1, "execve with an empty argv runs with argc 1 and argv[0] \"\"");
    }
    unlink(path);
}

static void mmap_checks(void) {
    char path[64];
    snprintf(path, sizeof path, "/tmp/conform-map-%d", getpid());
    int fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0600);
    write(fd, "x", 1);
    char *m = mmap(NULL, 8192, PROT_READ, MAP_SHARED, fd, 0);
    CHECK(m != MAP_FAILED && m[0] == 'x' && m[4095] == 0, "a file mapping reads the file and zeros to its page end");
    struct sigaction sa = {0}, old;
    sa.sa_handler = on_sig;
    sigaction(SIGBUS, &sa, &old);
    caught = 0;
    if (sigsetjmp(jb, 1) == 0) {
        volatile char v = m[4096];
        (void)v;
    }
    CHECK(caught == SIGBUS, "a page wholly past the end of the file: SIGBUS");
    sigaction(SIGBUS, &old, NULL);
    munmap(m, 8192);
    void *v = mmap(NULL, 4096, PROT_READ, MAP_SHARED_VALIDATE | 0x400000 /* unknown */, fd, 0);
    if (v == MAP_FAILED && errno == EINVAL && reference)
        SKIP("MAP_SHARED_VALIDATE with an unknown flag: EOPNOTSUPP", "qemu-user checks flags itself");
    else
        CHECK(v == MAP_FAILED && errno == EOPNOTSUPP, "MAP_SHARED_VALIDATE with an unknown flag: EOPNOTSUPP");
    CHECK(mmap(NULL, 4096, PROT_READ, MAP_SHARED | 0x400000, fd, 0) != MAP_FAILED, "plain MAP_SHARED ignores it");
    close(fd);
    int pfd = open(path, O_PATH);
    CHECK(mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, pfd, 0) == MAP_FAILED && errno == EBADF, "mmap of an O_PATH fd: EBADF");
    close(pfd);
    v = mmap(NULL, 0, PROT_READ, MAP_PRIVATE, 999, 0);
    if (v == MAP_FAILED && errno == EINVAL && reference)
        SKIP("a bad fd is checked before the length: EBADF", "qemu-user checks the length itself");
    else
        CHECK(v == MAP_FAILED && errno == EBADF, "a bad fd is checked before the length: EBADF");
    CHECK(mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 999, 1) == MAP_FAILED && errno == EINVAL, "but after the offset's alignment: EINVAL");
    CHECK(mmap((void *)(1UL << 56), 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED && errno == ENOMEM,
          "MAP_FIXED above the user range: ENOMEM");
    void *hi = mmap((void *)(1UL << 56), 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(hi != MAP_FAILED && (uintptr_t)hi < (1UL << 56), "a hint above the user range is not used");
    char *l = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0);
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long lck = -1;
    while (f && fgets(line, sizeof line, f)) sscanf(line, "VmLck: %ld kB", &lck);
    if (f) fclose(f);
    CHECK(l != MAP_FAILED && lck >= 8, "MAP_LOCKED counts in VmLck");
    munmap(l, 8192);
    char *a = mmap(NULL, 3 * 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(a + 4096, 4096);
    CHECK(mprotect(a, 3 * 4096, PROT_READ | PROT_WRITE) == -1 && errno == ENOMEM, "mprotect over a hole: ENOMEM");
    munmap(a, 3 * 4096);
    unlink(path);
}

static void futex_checks(void) {
    CHECK(syscall(SYS_futex, (int *)8, FUTEX_WAIT, 0, NULL, NULL, 0) == -1 && errno == EFAULT, "FUTEX_WAIT on an unmapped address: EFAULT");
    CHECK(syscall(SYS_futex, (int *)8, FUTEX_WAKE_OP, 1, 1, (int *)16, 0) == -1 && errno == EFAULT, "FUTEX_WAKE_OP on unmapped: EFAULT");
}

static void epoll_checks(void) {
    int ep = epoll_create1(0);
    struct epoll_event ev = {EPOLLIN, {0}};
    char path[64];
    snprintf(path, sizeof path, "/tmp/conform-ep-%d", getpid());
    int fd = open(path, O_CREAT | O_RDWR, 0600);
    CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) == -1 && errno == EPERM, "epoll of a regular file: EPERM");
    int pfd = open(path, O_PATH);
    CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, pfd, &ev) == -1 && errno == EBADF, "epoll of an O_PATH fd: EBADF");
    int proc = open("/proc/self/status", O_RDONLY);
    CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, proc, &ev) == -1 && errno == EPERM, "epoll of a /proc file: EPERM");
    close(proc);
    close(pfd);
    close(fd);
    unlink(path);
    int p[2];
    pipe(p);
    ev.events = EPOLLIN | EPOLLEXCLUSIVE;
    CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev) == 0, "EPOLLEXCLUSIVE add");
    CHECK(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev) == -1 && errno == EINVAL, "EPOLLEXCLUSIVE with MOD: EINVAL");
    close(ep);
    close(p[0]);
    close(p[1]);
}

static void signal_checks(void) {
    struct sigaction sa = {0}, got;
    sa.sa_sigaction = on_info;
    sa.sa_flags = SA_SIGINFO | SA_RESETHAND;
    sigaction(SIGUSR1, &sa, NULL);
    raise(SIGUSR1);
    sigaction(SIGUSR1, NULL, &got);
    CHECK(hits == 1 && got.sa_handler == SIG_DFL, "SA_RESETHAND: the handler ran once and is now SIG_DFL");
    CHECK((got.sa_flags & SA_SIGINFO) != 0, "SA_RESETHAND keeps SA_SIGINFO in the flags");
    pid_t c = fork();
    if (c == 0) { pause(); _exit(0); }
    CHECK(syscall(SYS_tgkill, getpid(), c, 0) == -1 && errno == ESRCH, "tgkill with the wrong tgid: ESRCH");
    kill(c, SIGKILL);
    waitpid(c, NULL, 0);
}

static void errno_checks(void) {
    CHECK(syscall(SYS_getcwd, (char *)8, 4096) == -1 && errno == EFAULT, "getcwd to a bad buffer: EFAULT");
    long gr = syscall(SYS_getcwd, (char *)8, 1);
    if (gr == -1 && errno == EFAULT && reference)
        SKIP("getcwd too small, even to a bad buffer: ERANGE", "qemu-user checks the buffer first");
    else
        CHECK(gr == -1 && errno == ERANGE, "getcwd too small, even to a bad buffer: ERANGE");
    gr = syscall(SYS_getcwd, NULL, 0);
    if (gr == -1 && errno == EFAULT && reference)
        SKIP("getcwd of size 0: ERANGE", "qemu-user checks the buffer first");
    else
        CHECK(gr == -1 && errno == ERANGE, "getcwd of size 0: ERANGE");
    int sv[2];
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 2, sv) == -1 && errno == EPROTONOSUPPORT, "socketpair AF_UNIX protocol 2: EPROTONOSUPPORT");
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, PF_UNIX, sv) == 0, "protocol PF_UNIX is accepted");
    close(sv[0]);
    close(sv[1]);
    /* clock_nanosleep on another process's CPU clock is not checked: Linux 6.x sleeps until that
       process has run for the time asked (a paused child never does), friscy answers EOPNOTSUPP. */
}

static void clock_checks(void) {
    if (reference) {
        SKIP("clock_settime(CLOCK_REALTIME)", "never on the host");
        return;
    }
    struct timespec before, set, after;
    clock_gettime(CLOCK_REALTIME, &before);
    set.tv_sec = before.tv_sec + 86400 * 365;
    set.tv_nsec = 0;
    CHECK(clock_settime(CLOCK_REALTIME, &set) == 0, "root sets CLOCK_REALTIME");
    clock_gettime(CLOCK_REALTIME, &after);
    CHECK(after.tv_sec >= set.tv_sec && after.tv_sec < set.tv_sec + 5, "the guest's clock moved");
    CHECK(time(NULL) >= set.tv_sec, "time() agrees");
    set.tv_sec = before.tv_sec;
    clock_settime(CLOCK_REALTIME, &set);
    struct timespec mono;
    CHECK(clock_settime(CLOCK_MONOTONIC, &mono) == -1 && errno == EINVAL, "CLOCK_MONOTONIC cannot be set: EINVAL");
    pid_t c = fork();
    if (c == 0) {
        setuid(65534);
        struct timespec s2 = {1, 0};
        _exit(clock_settime(CLOCK_REALTIME, &s2) == -1 && errno == EPERM ? 0 : 1);
    }
    int st;
    waitpid(c, &st, 0);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "a user may not: EPERM");
    /* a relative sleep on CLOCK_REALTIME is not stretched by setting the clock back meanwhile */
    c = fork();
    if (c == 0) {
        struct timespec nap = {0, 50 * 1000 * 1000}, back;
        nanosleep(&nap, NULL);
        clock_gettime(CLOCK_REALTIME, &back);
        back.tv_sec -= 86400 * 365;
        _exit(clock_settime(CLOCK_REALTIME, &back) == 0 ? 0 : 1);
    }
    struct timespec m0, m1, rel = {0, 200 * 1000 * 1000};
    clock_gettime(CLOCK_MONOTONIC, &m0);
    int r = clock_nanosleep(CLOCK_REALTIME, 0, &rel, NULL);
    clock_gettime(CLOCK_MONOTONIC, &m1);
    waitpid(c, &st, 0);
    long ms = (m1.tv_sec - m0.tv_sec) * 1000 + (m1.tv_nsec - m0.tv_nsec) / 1000000;
    CHECK(r == 0 && ms >= 190 && ms < 5000 && WIFEXITED(st) && WEXITSTATUS(st) == 0,
          "relative CLOCK_REALTIME sleep ignores a clock set back meanwhile");
    set.tv_sec = before.tv_sec + 1;
    clock_settime(CLOCK_REALTIME, &set);
}

int main(int argc, char **argv) {
    if (argc == 0) return 99;
    if (argc == 1 && argv[0][0] == 0) return 1; /* exec'd with an empty argv */
    if (argc > 1 && strcmp(argv[1], "--argc") == 0) return 0;
    check_init(argc, argv);
    fcntl_checks();
    exec_checks(argv[0]);
    mmap_checks();
    futex_checks();
    epoll_checks();
    signal_checks();
    errno_checks();
    clock_checks();
    printf(failures ? "FAILED %d\n" : "ALL PASSED\n", failures);
    return failures;
}
