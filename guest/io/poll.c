/* Readiness: poll/ppoll, select/pselect, epoll (level, edge, one-shot, nesting, errors), eventfd;
 * and attribute changes through these anonymous-inode fds (EOPNOTSUPP). */
#include "check.h"
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/select.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>

static volatile sig_atomic_t got_usr1;
static void on_usr1(int s) { (void)s; got_usr1 = 1; }

/* A child that writes one byte to fd after ms milliseconds. */
static pid_t write_later(int fd, int ms) {
    pid_t c = fork();
    if (c == 0) {
        usleep(ms * 1000);
        write(fd, "!", 1);
        _exit(0);
    }
    return c;
}

static void test_poll(void) {
    int p[2];
    pipe(p);
    struct pollfd fds[3] = {{p[0], POLLIN, 0}, {p[1], POLLOUT, 0}, {-1, POLLIN, 0}};
    int r = poll(fds, 3, 0);
    CHECK("poll empty pipe: only write end ready", r == 1 && fds[0].revents == 0 && fds[1].revents == POLLOUT
          && fds[2].revents == 0, "r %d rev %x %x", r, fds[0].revents, fds[1].revents);
    long long t0 = now_ns();
    r = poll(fds, 1, 100);
    long long dt = now_ns() - t0;
    CHECK("poll timeout", r == 0 && dt >= 100000000LL, "r %d dt %lld", r, dt);
    pid_t c = write_later(p[1], 100);
    t0 = now_ns();
    r = poll(fds, 1, 5000);
    dt = now_ns() - t0;
    CHECK("poll woken by data", r == 1 && (fds[0].revents & POLLIN) && dt >= 50000000LL,
          "r %d dt %lld", r, dt);
    waitpid(c, NULL, 0);
    char b;
    read(p[0], &b, 1);
    close(p[1]);
    fds[0].revents = 0;
    r = poll(fds, 1, 1000);
    CHECK("poll POLLHUP when writer gone", r == 1 && (fds[0].revents & POLLHUP), "rev %x", fds[0].revents);
    struct pollfd bad = {999, POLLIN, 0};
    r = poll(&bad, 1, 0);
    CHECK("poll POLLNVAL", r == 1 && bad.revents == POLLNVAL, "rev %x", bad.revents);
    close(p[0]);

    pipe(p);
    close(p[0]);
    struct pollfd w = {p[1], POLLOUT, 0};
    r = poll(&w, 1, 0);
    CHECK("poll POLLERR when reader gone", r == 1 && (w.revents & POLLERR), "rev %x", w.revents);
    close(p[1]);

    /* ppoll: remaining time and a signal unblocked only while waiting */
    pipe(p);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sigaction(SIGUSR1, &sa, NULL);
    sigset_t block, empty;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigemptyset(&empty);
    sigprocmask(SIG_BLOCK, &block, NULL);
    raise(SIGUSR1);
    CHECK("signal pending while blocked", got_usr1 == 0, "handler ran early");
    struct pollfd pf = {p[0], POLLIN, 0};
    struct timespec ts = {5, 0};
    t0 = now_ns();
    r = ppoll(&pf, 1, &ts, &empty);
    dt = now_ns() - t0;
    CHECK("ppoll takes a signal its mask unblocks", r == -1 && errno == EINTR && got_usr1 == 1 && dt < 1000000000LL,
          "r %d dt %lld", r, dt);
    sigset_t now;
    sigprocmask(SIG_BLOCK, NULL, &now);
    CHECK("ppoll restores the mask", sigismember(&now, SIGUSR1), "mask lost");
    /* the same race for sigsuspend: a pending signal its mask unblocks ends it at once */
    got_usr1 = 0;
    raise(SIGUSR1);
    alarm(5);
    r = sigsuspend(&empty);
    alarm(0);
    CHECK("sigsuspend takes an already pending signal", r == -1 && errno == EINTR && got_usr1 == 1, "r %d", r);
    sigprocmask(SIG_UNBLOCK, &block, NULL);
    close(p[0]);
    close(p[1]);
}

static void test_select(void) {
    int p[2];
    pipe(p);
    fd_set rd, wr;
    FD_ZERO(&rd);
    FD_ZERO(&wr);
    FD_SET(p[0], &rd);
    FD_SET(p[1], &wr);
    struct timeval tv = {0, 0};
    int r = select(p[1] + 1, &rd, &wr, NULL, &tv);
    CHECK("select: writable, not readable", r == 1 && !FD_ISSET(p[0], &rd) && FD_ISSET(p[1], &wr), "r %d", r);
    FD_ZERO(&rd);
    FD_SET(p[0], &rd);
    tv.tv_sec = 0;
    tv.tv_usec = 100000;
    long long t0 = now_ns();
    r = select(p[0] + 1, &rd, NULL, NULL, &tv);
    long long dt = now_ns() - t0;
    CHECK("select timeout clears sets", r == 0 && !FD_ISSET(p[0], &rd) && dt >= 100000000LL, "r %d dt %lld", r, dt);
    pid_t c = write_later(p[1], 100);
    FD_ZERO(&rd);
    FD_SET(p[0], &rd);
    tv.tv_sec = 5;
    tv.tv_usec = 0;
    r = select(p[0] + 1, &rd, NULL, NULL, &tv);
    CHECK("select woken by data", r == 1 && FD_ISSET(p[0], &rd), "r %d", r);
    CHECK("select updates the timeout (Linux)", tv.tv_sec < 5 && tv.tv_sec >= 3, "tv %ld.%06ld", (long)tv.tv_sec,
          (long)tv.tv_usec);
    waitpid(c, NULL, 0);
    FD_ZERO(&rd);
    FD_SET(50, &rd);
    r = select(51, &rd, NULL, NULL, &tv);
    CHECK("select EBADF on a closed fd", r == -1 && errno == EBADF, "r %d", r);
    struct timespec ts = {0, 1000000};
    FD_ZERO(&rd);
    FD_SET(p[0], &rd);
    r = pselect(p[0] + 1, &rd, NULL, NULL, &ts, NULL);
    CHECK("pselect sees the unread byte", r == 1, "r %d", r);
    close(p[0]);
    close(p[1]);
}

static void test_eventfd(void) {
    int e = eventfd(3, EFD_NONBLOCK);
    uint64_t v = 0;
    CHECK("eventfd read takes the count", read(e, &v, 8) == 8 && v == 3, "v %llu", (unsigned long long)v);
    CHECK("eventfd empty EAGAIN", read(e, &v, 8) == -1 && errno == EAGAIN, "x");
    CHECK("eventfd short read EINVAL", read(e, &v, 4) == -1 && errno == EINVAL, "x");
    v = 5;
    write(e, &v, 8);
    write(e, &v, 8);
    read(e, &v, 8);
    CHECK("eventfd writes add up", v == 10, "v %llu", (unsigned long long)v);
    v = UINT64_MAX;
    CHECK("eventfd write of 2^64-1 EINVAL", write(e, &v, 8) == -1 && errno == EINVAL, "x");
    v = UINT64_MAX - 1;
    CHECK("eventfd fill to max", write(e, &v, 8) == 8, "x");
    v = 1;
    CHECK("eventfd overflow EAGAIN", write(e, &v, 8) == -1 && errno == EAGAIN, "x");
    struct pollfd pf = {e, POLLIN | POLLOUT, 0};
    poll(&pf, 1, 0);
    CHECK("eventfd full: readable, not writable", pf.revents == POLLIN, "rev %x", pf.revents);
    close(e);

    e = eventfd(2, EFD_SEMAPHORE);
    read(e, &v, 8);
    CHECK("eventfd semaphore reads 1", v == 1, "v %llu", (unsigned long long)v);
    read(e, &v, 8);
    /* blocking read woken by a child's write */
    pid_t c = fork();
    if (c == 0) {
        usleep(100000);
        uint64_t one = 7;
        write(e, &one, 8);
        _exit(0);
    }
    long long t0 = now_ns();
    ssize_t n = read(e, &v, 8);
    CHECK("eventfd blocking read woken", n == 8 && v == 1 && now_ns() - t0 >= 50000000LL, "n %zd v %llu", n,
          (unsigned long long)v);
    waitpid(c, NULL, 0);
    close(e);
}

static void test_epoll(void) {
    int ep = epoll_create1(EPOLL_CLOEXEC);
    CHECK("epoll_create1", ep >= 0 && fcntl(ep, F_GETFD) == FD_CLOEXEC, "ep %d", ep);
    int p[2];
    pipe(p);
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 0x1122334455667788ULL};
    CHECK("epoll_ctl add", epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev) == 0, "add");
    CHECK("epoll_ctl add twice EEXIST", epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev) == -1 && errno == EEXIST, "x");
    CHECK("epoll_ctl mod missing ENOENT", epoll_ctl(ep, EPOLL_CTL_MOD, p[1], &ev) == -1 && errno == ENOENT, "x");
    CHECK("epoll_ctl self EINVAL", epoll_ctl(ep, EPOLL_CTL_ADD, ep, &ev) == -1 && errno == EINVAL, "x");
    CHECK("epoll_ctl bad fd EBADF", epoll_ctl(ep, EPOLL_CTL_ADD, 999, &ev) == -1 && errno == EBADF, "x");
    CHECK("epoll_ctl on non-epoll EINVAL", epoll_ctl(p[0], EPOLL_CTL_ADD, p[1], &ev) == -1 && errno == EINVAL, "x");
    struct epoll_event out[4];
    int r = epoll_wait(ep, out, 4, 0);
    CHECK("epoll nothing ready", r == 0, "r %d", r);
    long long t0 = now_ns();
    r = epoll_wait(ep, out, 4, 100);
    CHECK("epoll_wait timeout", r == 0 && now_ns() - t0 >= 100000000LL, "r %d", r);
    pid_t c = write_later(p[1], 100);
    r = epoll_wait(ep, out, 4, 5000);
    CHECK("epoll woken by data", r == 1 && out[0].events == EPOLLIN && out[0].data.u64 == 0x1122334455667788ULL,
          "r %d ev %x", r, out[0].events);
    waitpid(c, NULL, 0);
    r = epoll_wait(ep, out, 4, 0);
    CHECK("level-triggered reports again", r == 1, "r %d", r);

    /* edge-triggered: once per arrival */
    ev.events = EPOLLIN | EPOLLET;
    epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev);
    r = epoll_wait(ep, out, 4, 0);
    CHECK("edge-triggered reports after MOD", r == 1, "r %d", r);
    r = epoll_wait(ep, out, 4, 0);
    CHECK("edge-triggered quiet without new data", r == 0, "r %d", r);
    write(p[1], "x", 1);
    r = epoll_wait(ep, out, 4, 0);
    CHECK("edge-triggered reports new data", r == 1, "r %d", r);
    char buf[8];
    read(p[0], buf, sizeof buf);

    /* one-shot */
    ev.events = EPOLLIN | EPOLLONESHOT;
    epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev);
    write(p[1], "y", 1);
    r = epoll_wait(ep, out, 4, 0);
    int r2 = epoll_wait(ep, out, 4, 0);
    CHECK("one-shot reports once", r == 1 && r2 == 0, "r %d r2 %d", r, r2);
    epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev);
    r = epoll_wait(ep, out, 4, 0);
    CHECK("one-shot re-armed by MOD", r == 1, "r %d", r);
    read(p[0], buf, sizeof buf);

    /* hang-up, deletion, and several items */
    ev.events = EPOLLIN;
    epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev);
    int e = eventfd(1, 0);
    struct epoll_event ev2 = {.events = EPOLLIN | EPOLLOUT, .data.u32 = 7};
    epoll_ctl(ep, EPOLL_CTL_ADD, e, &ev2);
    r = epoll_wait(ep, out, 4, 0);
    CHECK("eventfd in epoll", r == 1 && out[0].data.u32 == 7 && out[0].events == (EPOLLIN | EPOLLOUT), "r %d", r);
    close(p[1]);
    r = epoll_wait(ep, out, 4, 0);
    int hup = 0;
    for (int i = 0; i < r; i++) {
        if (out[i].data.u64 == 0x1122334455667788ULL && (out[i].events & EPOLLHUP)) {
            hup = 1;
        }
    }
    CHECK("epoll EPOLLHUP", r == 2 && hup, "r %d", r);
    CHECK("epoll_ctl del", epoll_ctl(ep, EPOLL_CTL_DEL, e, NULL) == 0, "del");
    r = epoll_wait(ep, out, 4, 0);
    CHECK("deleted item gone", r == 1, "r %d", r);
    close(p[0]);
    r = epoll_wait(ep, out, 4, 0);
    CHECK("closed fd's item gone", r == 0, "r %d", r);
    CHECK("epoll_wait maxevents 0 EINVAL", epoll_wait(ep, out, 0, 0) == -1 && errno == EINVAL, "x");

    /* nesting */
    int inner = epoll_create1(0);
    int q[2];
    pipe(q);
    ev.events = EPOLLIN;
    epoll_ctl(inner, EPOLL_CTL_ADD, q[0], &ev);
    ev.data.u32 = 99;
    CHECK("epoll in epoll", epoll_ctl(ep, EPOLL_CTL_ADD, inner, &ev) == 0, "x");
    ev.data.u32 = 1;
    CHECK("epoll loop ELOOP", epoll_ctl(inner, EPOLL_CTL_ADD, ep, &ev) == -1 && errno == ELOOP, "x");
    c = write_later(q[1], 100);
    r = epoll_wait(ep, out, 4, 5000);
    CHECK("outer epoll woken through inner", r == 1 && out[0].data.u32 == 99, "r %d", r);
    waitpid(c, NULL, 0);
    struct pollfd pf = {ep, POLLIN, 0};
    CHECK("poll on an epoll fd", poll(&pf, 1, 0) == 1 && pf.revents == POLLIN, "rev %x", pf.revents);

    /* epoll_pwait2: a timespec timeout */
    read(q[0], buf, 1);
    struct timespec pts = {0, 100000000};
    t0 = now_ns();
    r = epoll_pwait2(ep, out, 4, &pts, NULL);
    if (r == -1 && errno == ENOSYS) {
        NOT_PROVIDED("epoll_pwait2"); /* older qemu */
    } else {
        CHECK("epoll_pwait2 timeout", r == 0 && now_ns() - t0 >= 100000000LL, "r %d", r);
        write(q[1], "w", 1);
        r = epoll_pwait2(ep, out, 4, NULL, NULL);
        CHECK("epoll_pwait2 ready", r == 1 && out[0].data.u32 == 99, "r %d", r);
        read(q[0], buf, 1);
    }

    /* epoll_pwait with a signal */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGUSR1, &sa, NULL);
    got_usr1 = 0;
    pid_t me = getpid();
    c = fork();
    if (c == 0) {
        usleep(100000);
        kill(me, SIGUSR1);
        _exit(0);
    }
    r = epoll_wait(ep, out, 4, 5000);
    CHECK("epoll_wait EINTR even with SA_RESTART", r == -1 && errno == EINTR && got_usr1, "r %d", r);
    waitpid(c, NULL, 0);
    close(q[0]);
    close(q[1]);
    close(inner);
    close(e);
    close(ep);
}

static void test_signalfd(void) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    sigaddset(&set, SIGCHLD);
    sigprocmask(SIG_BLOCK, &set, NULL);
    int sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
    CHECK("signalfd", sfd >= 0, "x");
    struct signalfd_siginfo si;
    CHECK("signalfd empty EAGAIN", read(sfd, &si, sizeof si) == -1 && errno == EAGAIN, "x");
    CHECK("signalfd short read EINVAL", read(sfd, &si, 16) == -1 && errno == EINVAL, "x");
    raise(SIGUSR2);
    ssize_t n = read(sfd, &si, sizeof si);
    CHECK("signalfd reads a pending signal", n == sizeof si && si.ssi_signo == SIGUSR2 && si.ssi_pid == (uint32_t)getpid(),
          "n %zd signo %u", n, si.ssi_signo);
    sigset_t pend;
    sigpending(&pend);
    CHECK("read signal is no longer pending", !sigismember(&pend, SIGUSR2), "x");
    /* a child's exit wakes a poll on the signalfd */
    pid_t c = fork();
    if (c == 0) {
        usleep(100000);
        _exit(3);
    }
    struct pollfd pf = {sfd, POLLIN, 0};
    int r = poll(&pf, 1, 5000);
    n = read(sfd, &si, sizeof si);
    CHECK("SIGCHLD through signalfd wakes poll", r == 1 && n == sizeof si && si.ssi_signo == SIGCHLD
          && si.ssi_pid == (uint32_t)c && si.ssi_status == 3, "r %d signo %u", r, si.ssi_signo);
    waitpid(c, NULL, 0);
    /* blocking read, woken by a signal from another process */
    int fl = fcntl(sfd, F_GETFL);
    fcntl(sfd, F_SETFL, fl & ~O_NONBLOCK);
    pid_t me = getpid();
    c = fork();
    if (c == 0) {
        usleep(100000);
        kill(me, SIGUSR2);
        _exit(0);
    }
    n = read(sfd, &si, sizeof si);
    CHECK("blocking signalfd read woken by kill", n == sizeof si && si.ssi_signo == SIGUSR2, "n %zd", n);
    waitpid(c, NULL, 0);
    sigpending(&pend);
    if (sigismember(&pend, SIGCHLD)) {
        read(sfd, &si, sizeof si);
    }
    sigset_t other;
    sigemptyset(&other);
    sigaddset(&other, SIGUSR1);
    CHECK("signalfd mask update", signalfd(sfd, &other, 0) == sfd, "x");
    CHECK("signalfd on a non-signalfd EINVAL", signalfd(0 + sfd - sfd + 1, &other, 0) == -1 && errno == EINVAL, "x");
    close(sfd);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
}

/* eventfd, epoll and signalfd share Linux's one anonymous inode: fchmod, fchown and futimens
 * through them are EOPNOTSUPP, whoever asks. */
static void test_anon_inode_attrs(void) {
    sigset_t m;
    sigemptyset(&m);
    sigaddset(&m, SIGUSR2);
    int fds[3] = {eventfd(0, 0), epoll_create1(0), signalfd(-1, &m, 0)};
    const char *names[3] = {"eventfd", "epoll", "signalfd"};
    for (int i = 0; i < 3; i++) {
        char what[64];
        snprintf(what, sizeof what, "%s fchmod/fchown/futimens EOPNOTSUPP", names[i]);
        int a = fchmod(fds[i], 0644), ea = errno;
        int b = fchown(fds[i], (uid_t)-1, (gid_t)-1), eb = errno;
        int c = futimens(fds[i], NULL), ec = errno;
        CHECK(what, a == -1 && ea == EOPNOTSUPP && b == -1 && eb == EOPNOTSUPP && c == -1 && ec == EOPNOTSUPP,
              "%d/%d %d/%d %d/%d", a, ea, b, eb, c, ec);
        close(fds[i]);
    }
}

int main(void) {
    start_tests();
    test_poll();
    test_select();
    test_eventfd();
    test_epoll();
    test_signalfd();
    test_anon_inode_attrs();
    return finish_tests();
}
