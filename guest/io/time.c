/* Clocks, sleeps, interval timers, POSIX timers and timerfd. */
#include "check.h"
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <signal.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <sys/times.h>
#include <sys/wait.h>

static volatile sig_atomic_t alarms, usr1s;
static volatile int last_overrun;
static void on_alarm(int s) { (void)s; alarms++; }
static void on_timer(int s, siginfo_t *si, void *uc) {
    (void)s;
    (void)uc;
    usr1s++;
    if (si->si_code == SI_TIMER && si->si_value.sival_int == 4242) {
        last_overrun = si->si_overrun;
    } else {
        last_overrun = -1000;
    }
}

static long long ts_ns(struct timespec ts) { return ts.tv_sec * 1000000000LL + ts.tv_nsec; }

static void busy(long long ns) {
    long long end = now_ns() + ns;
    volatile unsigned x = 0;
    while (now_ns() < end) {
        for (int i = 0; i < 1000; i++) {
            x += i;
        }
    }
}

static void clocks(void) {
    struct timespec a, b, r;
    clock_gettime(CLOCK_MONOTONIC, &a);
    clock_gettime(CLOCK_MONOTONIC, &b);
    CHECK("monotonic never goes back", ts_ns(b) >= ts_ns(a), "a %lld b %lld", ts_ns(a), ts_ns(b));
    int ids[] = {CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID,
                 CLOCK_MONOTONIC_RAW, CLOCK_REALTIME_COARSE, CLOCK_MONOTONIC_COARSE, CLOCK_BOOTTIME};
    int ok = 1;
    for (unsigned i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        if (clock_gettime(ids[i], &a) != 0 || clock_getres(ids[i], &r) != 0 || r.tv_sec != 0 || r.tv_nsec <= 0) {
            ok = 0;
            printf("clock %d: %s\n", ids[i], strerror(errno));
        }
    }
    CHECK("all standard clocks readable with a resolution", ok, "see above");
    /* nanosecond clocks: a millisecond clock would end every reading in 000000 (date +%N) */
    int fine_ids[] = {CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_BOOTTIME, CLOCK_PROCESS_CPUTIME_ID,
                      CLOCK_THREAD_CPUTIME_ID};
    for (unsigned i = 0; i < sizeof fine_ids / sizeof fine_ids[0]; i++) {
        int fine = 0;
        for (int n = 0; n < 50 && !fine; n++) {
            clock_gettime(fine_ids[i], &a);
            fine = a.tv_nsec % 1000 != 0;
            busy(1000);
        }
        char name[64];
        snprintf(name, sizeof name, "clock %d reads finer than a microsecond", fine_ids[i]);
        CHECK(name, fine, "last %ld", (long) a.tv_nsec);
    }
    long long back = 0, prev = 0;
    for (int n = 0; n < 100000; n++) {
        clock_gettime(CLOCK_MONOTONIC, &a);
        if (ts_ns(a) < prev) back++;
        prev = ts_ns(a);
    }
    clock_gettime(CLOCK_BOOTTIME, &b);
    CHECK("monotonic never goes back in 100000 readings", back == 0, "back %lld", back);
    CHECK("boottime is not behind monotonic", ts_ns(b) >= prev, "b %lld m %lld", ts_ns(b), prev);
    errno = 0;
    CHECK("unknown clock EINVAL", syscall(SYS_clock_gettime, 10, &a) == -1 && errno == EINVAL, "x");
    clock_getres(CLOCK_MONOTONIC, &r);
    CHECK("hi-res clock resolution 1ns", r.tv_nsec == 1, "res %ld", r.tv_nsec);
    CHECK("clock_getres with NULL", clock_getres(CLOCK_REALTIME, NULL) == 0, "x");
    struct timeval tv;
    gettimeofday(&tv, NULL);
    clock_gettime(CLOCK_REALTIME, &a);
    long long d = ts_ns(a) - (tv.tv_sec * 1000000000LL + tv.tv_usec * 1000LL);
    CHECK("gettimeofday agrees with CLOCK_REALTIME", d >= 0 && d < 1000000000LL, "d %lld", d);
    CHECK("realtime is after 2020", a.tv_sec > 1577836800, "sec %ld", (long)a.tv_sec);
    struct timespec bad = {0, 2000000000};
    CHECK("clock_settime checks its argument first", clock_settime(CLOCK_REALTIME, &bad) == -1 && errno == EINVAL, "x");
    CHECK("clock_settime of the monotonic clock EINVAL", clock_settime(CLOCK_MONOTONIC, &a) == -1 && errno == EINVAL,
          "x");

    struct timespec c0, c1, t0, t1;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
    busy(100000000LL);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t1);
    CHECK("process CPU time advances while busy", ts_ns(c1) > ts_ns(c0), "c0 %lld c1 %lld", ts_ns(c0), ts_ns(c1));
    CHECK("thread CPU time advances while busy", ts_ns(t1) > ts_ns(t0), "x");
    struct timespec s0, s1;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &s0);
    usleep(100000);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &s1);
    CHECK("sleeping costs (almost) no CPU time", ts_ns(s1) - ts_ns(s0) < 50000000LL, "d %lld", ts_ns(s1) - ts_ns(s0));
    clockid_t cid;
    CHECK("clock_getcpuclockid", clock_getcpuclockid(0, &cid) == 0 && clock_gettime(cid, &a) == 0, "x");

    struct rusage ru;
    CHECK("getrusage self", getrusage(RUSAGE_SELF, &ru) == 0 && (ru.ru_utime.tv_sec > 0 || ru.ru_utime.tv_usec > 0),
          "utime %ld.%06ld", (long)ru.ru_utime.tv_sec, (long)ru.ru_utime.tv_usec);
    CHECK("getrusage bad who EINVAL", getrusage(5, &ru) == -1 && errno == EINVAL, "x");
    pid_t c = fork();
    if (c == 0) {
        busy(50000000LL);
        _exit(0);
    }
    waitpid(c, NULL, 0);
    getrusage(RUSAGE_CHILDREN, &ru);
    CHECK("getrusage children counts a reaped child", ru.ru_utime.tv_sec > 0 || ru.ru_utime.tv_usec > 0, "x");
    struct tms tm0, tm1;
    clock_t e0 = times(&tm0);
    busy(100000000LL);
    clock_t e1 = times(&tm1);
    CHECK("times: elapsed ticks advance, CPU ticks do not go back", e0 != (clock_t)-1 && e1 - e0 >= 9
          && tm1.tms_utime >= tm0.tms_utime && tm1.tms_utime - tm0.tms_utime <= e1 - e0 + 1,
          "e %ld utime %ld", (long)(e1 - e0), (long)(tm1.tms_utime - tm0.tms_utime));
}

static void sleeps(void) {
    long long t0 = now_ns();
    struct timespec req = {0, 100000000}, rem;
    int r = nanosleep(&req, &rem);
    long long dt = now_ns() - t0;
    CHECK("nanosleep 100ms", r == 0 && dt >= 100000000LL && dt < 10000000000LL, "dt %lld", dt);
    req.tv_nsec = 1000000000;
    CHECK("nanosleep bad nsec EINVAL", nanosleep(&req, NULL) == -1 && errno == EINVAL, "x");
    req.tv_sec = -1;
    req.tv_nsec = 0;
    CHECK("nanosleep negative EINVAL", nanosleep(&req, NULL) == -1 && errno == EINVAL, "x");

    struct timespec now, target;
    clock_gettime(CLOCK_MONOTONIC, &now);
    target = now;
    target.tv_nsec += 100000000;
    if (target.tv_nsec >= 1000000000) {
        target.tv_sec++;
        target.tv_nsec -= 1000000000;
    }
    r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &target, NULL);
    clock_gettime(CLOCK_MONOTONIC, &now);
    CHECK("clock_nanosleep absolute monotonic", r == 0 && ts_ns(now) >= ts_ns(target), "r %d", r);
    clock_gettime(CLOCK_REALTIME, &now);
    target = now;
    target.tv_nsec += 100000000;
    if (target.tv_nsec >= 1000000000) {
        target.tv_sec++;
        target.tv_nsec -= 1000000000;
    }
    r = clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &target, NULL);
    clock_gettime(CLOCK_REALTIME, &now);
    CHECK("clock_nanosleep absolute realtime", r == 0 && ts_ns(now) >= ts_ns(target), "r %d", r);
    target.tv_sec = 0;
    target.tv_nsec = 0;
    t0 = now_ns();
    r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &target, NULL);
    CHECK("absolute time in the past returns at once", r == 0 && now_ns() - t0 < 50000000LL, "r %d", r);
    req.tv_sec = 0;
    req.tv_nsec = 1000;
    CHECK("clock_nanosleep thread CPU clock EINVAL", clock_nanosleep(CLOCK_THREAD_CPUTIME_ID, 0, &req, NULL) == EINVAL,
          "x");

    /* interrupted by a handled signal: EINTR and the time left */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it = {{0, 0}, {0, 100000}};
    setitimer(ITIMER_REAL, &it, NULL);
    req.tv_sec = 2;
    req.tv_nsec = 0;
    rem.tv_sec = rem.tv_nsec = 0;
    r = nanosleep(&req, &rem);
    CHECK("nanosleep EINTR even with SA_RESTART", r == -1 && errno == EINTR && alarms == 1, "r %d", r);
    CHECK("nanosleep reports the time left", rem.tv_sec == 1 || (rem.tv_sec == 0 && rem.tv_nsec > 0),
          "rem %ld.%09ld", (long)rem.tv_sec, rem.tv_nsec);
    CHECK("time left is less than asked", ts_ns(rem) < 2000000000LL && ts_ns(rem) > 1000000000LL,
          "rem %lld", ts_ns(rem));
}

static void itimers(void) {
    struct itimerval it = {{0, 50000}, {0, 50000}}, cur, old;
    alarms = 0;
    setitimer(ITIMER_REAL, &it, NULL);
    getitimer(ITIMER_REAL, &cur);
    CHECK("getitimer shows the interval", cur.it_interval.tv_usec == 50000 && cur.it_value.tv_usec <= 50000
          && cur.it_value.tv_sec == 0, "usec %ld", (long)cur.it_value.tv_usec);
    long long t0 = now_ns();
    while (alarms < 3 && now_ns() - t0 < 5000000000LL) {
        pause();
    }
    long long dt = now_ns() - t0;
    memset(&it, 0, sizeof it);
    setitimer(ITIMER_REAL, &it, &old);
    CHECK("periodic ITIMER_REAL", alarms >= 3 && dt >= 100000000LL, "alarms %d dt %lld", alarms, dt);
    CHECK("setitimer returns the old value", old.it_interval.tv_usec == 50000, "x");
    getitimer(ITIMER_REAL, &cur);
    CHECK("disarmed timer reads zero", cur.it_value.tv_sec == 0 && cur.it_value.tv_usec == 0, "x");
    it.it_value.tv_usec = 1000000;
    CHECK("setitimer bad usec EINVAL", setitimer(ITIMER_REAL, &it, NULL) == -1 && errno == EINVAL, "x");
    CHECK("setitimer bad which EINVAL", setitimer(7, &it, NULL) == -1 && errno == EINVAL, "x");
    /* alarm() is setitimer underneath */
    alarms = 0;
    alarm(1);
    CHECK("alarm returns previous seconds", alarm(0) == 1, "x");

    /* ITIMER_PROF counts CPU time */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigaction(SIGPROF, &sa, NULL);
    alarms = 0;
    struct itimerval p = {{0, 0}, {0, 10000}};
    setitimer(ITIMER_PROF, &p, NULL);
    t0 = now_ns();
    while (alarms == 0 && now_ns() - t0 < 20000000000LL) {
        busy(1000000);
    }
    CHECK("ITIMER_PROF fires on CPU time", alarms == 1, "alarms %d", alarms);
}

static void posix_timers(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_timer;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &sa, NULL);
    struct sigevent sev;
    memset(&sev, 0, sizeof sev);
    sev.sigev_notify = SIGEV_SIGNAL;
    sev.sigev_signo = SIGUSR1;
    sev.sigev_value.sival_int = 4242;
    timer_t tid;
    CHECK("timer_create", timer_create(CLOCK_MONOTONIC, &sev, &tid) == 0, "x");
    struct itimerspec its = {{0, 20000000}, {0, 20000000}}, cur;
    usr1s = 0;
    timer_settime(tid, 0, &its, NULL);
    long long t0 = now_ns();
    while (usr1s < 3 && now_ns() - t0 < 5000000000LL) {
        pause();
    }
    CHECK("periodic POSIX timer signals with si_value", usr1s >= 3 && last_overrun >= 0, "n %d ov %d", usr1s,
          last_overrun);
    /* block the signal so expirations pile up as overruns */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, NULL);
    usleep(200000);
    usr1s = 0;
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    CHECK("overruns counted while pending", usr1s >= 1 && last_overrun >= 2, "n %d ov %d", usr1s, last_overrun);
    CHECK("timer_getoverrun", timer_getoverrun(tid) >= 0, "x");
    timer_gettime(tid, &cur);
    CHECK("timer_gettime", cur.it_interval.tv_nsec == 20000000 && ts_ns(cur.it_value) <= 20000000, "x");
    memset(&its, 0, sizeof its);
    timer_settime(tid, 0, &its, NULL);
    timer_gettime(tid, &cur);
    CHECK("disarmed POSIX timer", cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec == 0, "x");
    CHECK("timer_delete", timer_delete(tid) == 0, "x");
    CHECK("deleted timer EINVAL", timer_gettime(tid, &cur) == -1 && errno == EINVAL, "x");

    /* SIGEV_NONE: runs, signals nothing */
    sev.sigev_notify = SIGEV_NONE;
    timer_create(CLOCK_REALTIME, &sev, &tid);
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    its.it_value.tv_sec = now.tv_sec + 10;
    its.it_value.tv_nsec = now.tv_nsec;
    timer_settime(tid, TIMER_ABSTIME, &its, NULL);
    timer_gettime(tid, &cur);
    CHECK("absolute realtime timer counts down", cur.it_value.tv_sec >= 8 && cur.it_value.tv_sec <= 10,
          "sec %ld", (long)cur.it_value.tv_sec);
    timer_delete(tid);

    /* no sigevent: SIGALRM */
    alarms = 0;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    timer_create(CLOCK_MONOTONIC, NULL, &tid);
    its.it_interval.tv_sec = 0;
    its.it_interval.tv_nsec = 0;
    its.it_value.tv_sec = 0;
    its.it_value.tv_nsec = 30000000;
    timer_settime(tid, 0, &its, NULL);
    t0 = now_ns();
    while (alarms == 0 && now_ns() - t0 < 5000000000LL) {
        pause();
    }
    CHECK("default sigevent is SIGALRM", alarms == 1, "x");
    timer_delete(tid);
    sev.sigev_notify = 77;
    CHECK("bad sigev_notify EINVAL", timer_create(CLOCK_MONOTONIC, &sev, &tid) == -1 && errno == EINVAL, "x");
}

static atomic_int thread_calls;
static void on_thread_timer(union sigval v) {
    if (v.sival_int == 77) {
        atomic_fetch_add(&thread_calls, 1);
    }
}

static volatile pid_t handler_tid;
static void on_usr2(int s) {
    (void)s;
    handler_tid = (pid_t)syscall(SYS_gettid);
}

static void *sleeper(void *p) {
    (void)p;
    struct timespec ts = {0, 300000000};
    while (nanosleep(&ts, &ts) != 0) {
    }
    return NULL;
}

/* SIGEV_THREAD_ID sends to one thread; glibc's SIGEV_THREAD runs a function on a helper thread that way. */
static void thread_timers(void) {
    struct sigevent sev;
    memset(&sev, 0, sizeof sev);
    sev.sigev_notify = SIGEV_THREAD;
    sev.sigev_notify_function = on_thread_timer;
    sev.sigev_value.sival_int = 77;
    timer_t tid;
    CHECK("timer_create SIGEV_THREAD", timer_create(CLOCK_MONOTONIC, &sev, &tid) == 0, "x");
    struct itimerspec its = {{0, 0}, {0, 50000000}};
    timer_settime(tid, 0, &its, NULL);
    long long t0 = now_ns();
    while (atomic_load(&thread_calls) == 0 && now_ns() - t0 < 5000000000LL) {
        usleep(10000);
    }
    CHECK("SIGEV_THREAD function runs", atomic_load(&thread_calls) == 1, "calls %d", atomic_load(&thread_calls));
    timer_delete(tid);

    pthread_t th;
    pthread_create(&th, NULL, sleeper, NULL);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr2;
    sigaction(SIGUSR2, &sa, NULL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    sigprocmask(SIG_BLOCK, &set, NULL); /* only the sleeper can take it... */
    memset(&sev, 0, sizeof sev);
    sev.sigev_notify = SIGEV_THREAD_ID;
    sev.sigev_signo = SIGUSR2;
    pid_t main_tid = (pid_t)syscall(SYS_gettid);
    sev._sigev_un._tid = main_tid; /* ...but the timer names the main thread */
    CHECK("timer_create SIGEV_THREAD_ID", timer_create(CLOCK_MONOTONIC, &sev, &tid) == 0, "x");
    its.it_value.tv_nsec = 50000000;
    timer_settime(tid, 0, &its, NULL);
    usleep(150000);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    CHECK("SIGEV_THREAD_ID signal waits for its thread", handler_tid == main_tid, "tid %d main %d", handler_tid,
          main_tid);
    timer_delete(tid);
    pthread_join(th, NULL);
    sev._sigev_un._tid = 999999;
    CHECK("SIGEV_THREAD_ID to a foreign tid EINVAL", timer_create(CLOCK_MONOTONIC, &sev, &tid) == -1 && errno == EINVAL,
          "x");
}

/* sigtimedwait takes blocked signals without running their (default) action. */
static void sigwaiting(void) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigprocmask(SIG_BLOCK, &set, NULL);
    struct timespec ts = {0, 100000000};
    long long t0 = now_ns();
    int r = sigtimedwait(&set, NULL, &ts);
    CHECK("sigtimedwait timeout EAGAIN", r == -1 && errno == EAGAIN && now_ns() - t0 >= 100000000LL, "r %d", r);
    pid_t me = getpid();
    pid_t c = fork();
    if (c == 0) {
        usleep(100000);
        kill(me, SIGTERM);
        _exit(0);
    }
    siginfo_t si;
    ts.tv_sec = 5;
    r = sigtimedwait(&set, &si, &ts);
    CHECK("sigtimedwait takes SIGTERM instead of dying of it", r == SIGTERM && si.si_pid == c, "r %d", r);
    waitpid(c, NULL, 0);
    int sig = 0;
    raise(SIGTERM);
    CHECK("sigwait takes a pending signal", sigwait(&set, &sig) == 0 && sig == SIGTERM, "sig %d", sig);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
}

static void timerfds(void) {
    int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
    CHECK("timerfd_create", fd >= 0, "x");
    struct itimerspec its = {{0, 0}, {0, 100000000}}, cur;
    timerfd_settime(fd, 0, &its, NULL);
    long long t0 = now_ns();
    uint64_t n = 0;
    ssize_t r = read(fd, &n, 8);
    long long dt = now_ns() - t0;
    CHECK("timerfd read blocks until expiry", r == 8 && n == 1 && dt >= 90000000LL, "r %zd n %llu dt %lld", r,
          (unsigned long long)n, dt);
    its.it_interval.tv_nsec = 10000000;
    its.it_value.tv_nsec = 10000000;
    timerfd_settime(fd, 0, &its, NULL);
    usleep(100000);
    read(fd, &n, 8);
    CHECK("periodic timerfd counts expirations", n >= 5, "n %llu", (unsigned long long)n);
    timerfd_gettime(fd, &cur);
    CHECK("timerfd_gettime", cur.it_interval.tv_nsec == 10000000, "x");
    struct pollfd pf = {fd, POLLIN, 0};
    int pr = poll(&pf, 1, 1000);
    CHECK("poll wakes on timerfd", pr == 1 && pf.revents == POLLIN, "pr %d", pr);
    memset(&its, 0, sizeof its);
    timerfd_settime(fd, 0, &its, NULL);
    close(fd);
    fd = timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK);
    CHECK("timerfd nonblocking EAGAIN", read(fd, &n, 8) == -1 && errno == EAGAIN, "x");
    CHECK("timerfd short read EINVAL", read(fd, &n, 4) == -1 && errno == EINVAL, "x");
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    its.it_value = now;
    its.it_value.tv_sec -= 1;
    timerfd_settime(fd, TFD_TIMER_ABSTIME, &its, NULL);
    pr = poll(&pf, 1, 1000);
    pf.fd = fd;
    pr = poll(&pf, 1, 1000);
    CHECK("absolute time in the past expires at once", pr == 1 && read(fd, &n, 8) == 8 && n == 1, "pr %d", pr);
    close(fd);
    CHECK("timerfd bad clock EINVAL", timerfd_create(CLOCK_PROCESS_CPUTIME_ID, 0) == -1 && errno == EINVAL, "x");
}

int main(void) {
    start_tests();
    clocks();
    sleeps();
    itimers();
    posix_timers();
    thread_timers();
    sigwaiting();
    timerfds();
    return finish_tests();
}
