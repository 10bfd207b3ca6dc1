/* pidfds: pidfd_open, pidfd_send_signal, pidfd_getfd, CLONE_PIDFD (clone, clone3), a pidfd
 * polls readable when its process exits, waitid(P_PIDFD). */
#define _GNU_SOURCE
#include "check.h"
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x1000
#endif
#ifndef PIDFD_NONBLOCK
#define PIDFD_NONBLOCK O_NONBLOCK
#endif
#ifndef P_PIDFD
#define P_PIDFD 3
#endif

struct clone_args_ {
    uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
};

static int pidfd_open_(pid_t pid, unsigned flags) { return syscall(SYS_pidfd_open, pid, flags); }
static int send_(int fd, int sig, siginfo_t *i, unsigned flags) { return syscall(SYS_pidfd_send_signal, fd, sig, i, flags); }
static int getfd_(int fd, int target, unsigned flags) { return syscall(SYS_pidfd_getfd, fd, target, flags); }

static int readable(int fd, int ms) {
    struct pollfd p = {fd, POLLIN, 0};
    int r = poll(&p, 1, ms);
    return r == 1 ? p.revents : r;
}

int main(int argc, char **argv) {
    check_init(argc, argv);
    /* a child that waits for a byte on a pipe it keeps at fd 50 (write end) / its own read end */
    int q[2], ready[2];
    pipe(q);
    pipe(ready);
    pid_t c = fork();
    if (c == 0) {
        dup2(q[1], 50);
        close(q[1]);
        write(ready[1], "r", 1);
        char b = 0;
        read(q[0], &b, 1);
        _exit(b);
    }
    close(q[0]);
    close(q[1]);
    char rb;
    read(ready[0], &rb, 1);
    int fd = pidfd_open_(c, 0);
    CHECK(fd >= 0, "pidfd_open of a child");
    CHECK(fcntl(fd, F_GETFD) == FD_CLOEXEC, "a pidfd is close-on-exec");
    CHECK(readable(fd, 0) == 0, "it does not poll readable while the process runs");
    CHECK(send_(fd, 0, NULL, 0) == 0, "pidfd_send_signal with signal 0");
    char b;
    CHECK(read(fd, &b, 1) == -1 && errno == EINVAL, "read on a pidfd: EINVAL");
    char info[64];
    snprintf(info, sizeof info, "/proc/self/fdinfo/%d", fd);
    FILE *fi = fopen(info, "r");
    char text[512] = "";
    if (fi) { text[fread(text, 1, sizeof text - 1, fi)] = 0; fclose(fi); }
    char want[32];
    snprintf(want, sizeof want, "Pid:\t%d\n", c);
    CHECK(strstr(text, want) != NULL, "/proc/self/fdinfo shows the pid");
    siginfo_t wi;
    int nb = pidfd_open_(c, PIDFD_NONBLOCK);
    CHECK(nb >= 0 && (fcntl(nb, F_GETFL) & O_NONBLOCK), "PIDFD_NONBLOCK gives an O_NONBLOCK pidfd");
    CHECK(waitid(P_PIDFD, nb, &wi, WEXITED) == -1 && errno == EAGAIN, "waitid on it while the child runs: EAGAIN");
    close(nb);

    int got = getfd_(fd, 50, 0);
    CHECK(got >= 0 && fcntl(got, F_GETFD) == FD_CLOEXEC, "pidfd_getfd copies the child's fd 50, close-on-exec");
    CHECK(getfd_(fd, 50, 1) == -1 && errno == EINVAL, "pidfd_getfd with flags: EINVAL");
    CHECK(getfd_(fd, 999, 0) == -1 && errno == EBADF, "pidfd_getfd of a closed fd: EBADF");
    CHECK(getfd_(0, 50, 0) == -1 && errno == EBADF, "pidfd_getfd on a non-pidfd: EBADF");
    CHECK(got >= 0 && write(got, "\x2a", 1) == 1, "writing through the copied fd");
    CHECK(readable(fd, 5000) == (POLLIN), "the pidfd polls readable once the child exits");
    memset(&wi, 0, sizeof wi);
    CHECK(waitid(P_PIDFD, fd, &wi, WEXITED) == 0 && wi.si_pid == c && wi.si_code == CLD_EXITED && wi.si_status == 42,
          "waitid(P_PIDFD) reaps it (the byte arrived through the copied fd)");
    CHECK(send_(fd, SIGTERM, NULL, 0) == -1 && errno == ESRCH, "pidfd_send_signal after the reap: ESRCH");
    CHECK(waitid(P_PIDFD, fd, &wi, WEXITED) == -1 && errno == ECHILD, "waitid(P_PIDFD) after the reap: ECHILD");
    CHECK(readable(fd, 0) & POLLIN, "a reaped process's pidfd stays readable");
    close(fd);
    if (got >= 0) close(got);

    /* a signal through a pidfd */
    c = fork();
    if (c == 0) { pause(); _exit(0); }
    fd = pidfd_open_(c, 0);
    CHECK(send_(fd, SIGTERM, NULL, 0) == 0, "pidfd_send_signal(SIGTERM)");
    CHECK(readable(fd, 5000) == POLLIN, "poll wakes when it dies");
    memset(&wi, 0, sizeof wi);
    CHECK(waitid(P_PIDFD, fd, &wi, WEXITED) == 0 && wi.si_code == CLD_KILLED && wi.si_status == SIGTERM,
          "waitid(P_PIDFD): killed by SIGTERM");
    close(fd);

    c = fork();
    if (c == 0) { pause(); _exit(0); }
    fd = pidfd_open_(c, 0);
    siginfo_t si;
    memset(&si, 0, sizeof si);
    si.si_signo = SIGUSR1;
    si.si_code = SI_USER;
    CHECK(send_(fd, SIGUSR1, &si, 0) == -1 && errno == EPERM, "a forged SI_USER siginfo to another process: EPERM");
    si.si_signo = SIGUSR2;
    si.si_code = SI_QUEUE;
    CHECK(send_(fd, SIGUSR1, &si, 0) == -1 && errno == EINVAL, "si_signo that differs from sig: EINVAL");
    CHECK(send_(fd, SIGKILL, NULL, 3) == -1 && errno == EINVAL, "unknown flags: EINVAL");
    CHECK(send_(0, SIGKILL, NULL, 0) == -1 && errno == EBADF, "pidfd_send_signal on a non-pidfd: EBADF");
    send_(fd, SIGKILL, NULL, 0);
    waitpid(c, NULL, 0);
    close(fd);

    CHECK(pidfd_open_(0, 0) == -1 && errno == EINVAL, "pidfd_open(0): EINVAL");
    CHECK(pidfd_open_(getpid(), 1) == -1 && errno == EINVAL, "pidfd_open with unknown flags: EINVAL");
    CHECK(pidfd_open_(4000000, 0) == -1 && errno == ESRCH, "pidfd_open of no process: ESRCH");
    fd = pidfd_open_(getpid(), 0);
    CHECK(fd >= 0 && send_(fd, 0, NULL, 0) == 0, "a pidfd of oneself");
    close(fd);

    /* clone with CLONE_PIDFD returns the pidfd where the parent tid would go */
    int pfd = -1;
    long r = syscall(SYS_clone, CLONE_PIDFD | SIGCHLD, 0, &pfd, 0, 0);
    if (r == 0) syscall(SYS_exit_group, 7);
    if (r == -1 && errno == EINVAL && reference) {
        SKIP("clone(CLONE_PIDFD)", "qemu-user refuses CLONE_PIDFD");
    } else {
        CHECK(r > 0 && pfd >= 0 && fcntl(pfd, F_GETFD) == FD_CLOEXEC, "clone(CLONE_PIDFD) gives a pidfd");
        memset(&wi, 0, sizeof wi);
        CHECK(waitid(P_PIDFD, pfd, &wi, WEXITED) == 0 && wi.si_pid == r && wi.si_status == 7, "waitid on it");
        close(pfd);
    }
    CHECK(syscall(SYS_clone, CLONE_PIDFD | CLONE_PARENT_SETTID | SIGCHLD, 0, &pfd, 0, 0) == -1 && errno == EINVAL,
          "clone(CLONE_PIDFD|CLONE_PARENT_SETTID): EINVAL");

    /* clone3 */
    struct clone_args_ ca;
    memset(&ca, 0, sizeof ca);
    pfd = -1;
    ca.flags = CLONE_PIDFD;
    ca.pidfd = (uintptr_t)&pfd;
    ca.exit_signal = SIGCHLD;
    r = syscall(SYS_clone3, &ca, sizeof ca);
    if (r == 0) syscall(SYS_exit_group, 9);
    if (r == -1 && errno == ENOSYS && reference) {
        SKIP("clone3(CLONE_PIDFD)", "qemu-user has no clone3");
    } else {
        CHECK(r > 0 && pfd >= 0, "clone3(CLONE_PIDFD) gives a pidfd");
        memset(&wi, 0, sizeof wi);
        CHECK(waitid(P_PIDFD, pfd, &wi, WEXITED) == 0 && wi.si_pid == r && wi.si_status == 9, "waitid on it");
        close(pfd);
        ca.pidfd = 8;
        r = syscall(SYS_clone3, &ca, sizeof ca);
        if (r == 0) syscall(SYS_exit_group, 1);
        CHECK(r == -1 && errno == EFAULT, "clone3 with a bad pidfd pointer: EFAULT");
        CHECK(waitpid(-1, NULL, WNOHANG) == -1 && errno == ECHILD, "and no child was made");
    }

    printf(failures ? "FAILED %d\n" : "ALL PASSED\n", failures);
    return failures;
}
