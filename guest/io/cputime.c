/* CPU time accounting as Linux keeps it: the CPU-time clocks, getrusage (self, thread,
 * children), times(), wait4's rusage and /proc/PID/stat fields 14-17 agree with each other;
 * running costs CPU time, sleeping does not; a process's time is its threads' (exited ones too);
 * a child's time reaches its parent's children account when it is reaped, not before. */
#include "check.h"
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/times.h>
#include <sys/wait.h>

static long long ts_ns(struct timespec ts) { return ts.tv_sec * 1000000000LL + ts.tv_nsec; }
static long long tv_ns(struct timeval tv) { return tv.tv_sec * 1000000000LL + tv.tv_usec * 1000LL; }

static long long clock_ns(clockid_t c) {
    struct timespec ts;
    clock_gettime(c, &ts);
    return ts_ns(ts);
}

static long long ru_ns(int who, long long *user, long long *sys) {
    struct rusage ru;
    getrusage(who, &ru);
    if (user) *user = tv_ns(ru.ru_utime);
    if (sys) *sys = tv_ns(ru.ru_stime);
    return tv_ns(ru.ru_utime) + tv_ns(ru.ru_stime);
}

/* Spins until clock c has advanced by ns. */
static void spin(clockid_t c, long long ns) {
    long long end = clock_ns(c) + ns;
    volatile unsigned x = 0;
    while (clock_ns(c) < end) {
        for (int i = 0; i < 20000; i++) x += i;
    }
}

/* utime + stime (fields 14, 15) or cutime + cstime (16, 17) of /proc/PID/stat, in ticks; -1 on error. */
static long stat_ticks(pid_t pid, int children) {
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    int fd = open(path, O_RDONLY);
    if (fd < 0) return -1;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) return -1;
    buf[n] = 0;
    char *p = strrchr(buf, ')'); /* comm may hold spaces */
    if (!p) return -1;
    long f[20];
    /* after ") ": field 3 (state) onwards */
    char state;
    if (sscanf(p + 2, "%c %ld %ld %ld %ld %ld %lu %lu %lu %lu %lu %ld %ld %ld %ld", &state, &f[4], &f[5], &f[6],
               &f[7], &f[8], (unsigned long *)&f[9], (unsigned long *)&f[10], (unsigned long *)&f[11],
               (unsigned long *)&f[12], (unsigned long *)&f[13], &f[14], &f[15], &f[16], &f[17]) != 15)
        return -1;
    return children ? f[16] + f[17] : f[14] + f[15];
}

static void self_clocks(void) {
    long long prev = clock_ns(CLOCK_PROCESS_CPUTIME_ID), tprev = clock_ns(CLOCK_THREAD_CPUTIME_ID);
    int monotonic = 1;
    for (int i = 0; i < 2000; i++) {
        long long c = clock_ns(CLOCK_PROCESS_CPUTIME_ID), t = clock_ns(CLOCK_THREAD_CPUTIME_ID);
        if (c < prev || t < tprev) monotonic = 0;
        prev = c;
        tprev = t;
    }
    CHECK("CPU clocks never go back", monotonic, "x");

    long long w0 = now_ns(), c0 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
    spin(CLOCK_PROCESS_CPUTIME_ID, 200000000LL);
    long long w1 = now_ns(), c1 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
    CHECK("a busy loop's CPU time is no more than its real time", c1 - c0 <= w1 - w0 + 2000000LL,
          "cpu %lld real %lld", c1 - c0, w1 - w0);

    c0 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
    long long u0, s0, u1, s1;
    long long r = ru_ns(RUSAGE_SELF, &u0, &s0);
    c1 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
    CHECK("getrusage(SELF) user+system lies between two readings of the process clock",
          r >= c0 - 1000000 && r <= c1 + 1000000, "c0 %lld ru %lld c1 %lld", c0, r, c1);
    c0 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
    r = ru_ns(RUSAGE_THREAD, NULL, NULL);
    c1 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
    CHECK("getrusage(THREAD) user+system lies between two readings of the thread clock",
          r >= c0 - 1000000 && r <= c1 + 1000000, "c0 %lld ru %lld c1 %lld", c0, r, c1);

    /* (Linux derives rusage from tick samples scaled to the exact runtime: a few µs apart) */

    /* pure computation is user time */
    ru_ns(RUSAGE_SELF, &u0, &s0);
    volatile unsigned long x = 0;
    for (long i = 0; i < 20000000; i++) x += i;
    ru_ns(RUSAGE_SELF, &u1, &s1);
    CHECK("computation is user time", u1 - u0 > 0 && u1 - u0 > s1 - s0, "user %lld sys %lld", u1 - u0, s1 - s0);

    /* system calls are system time */
    ru_ns(RUSAGE_SELF, &u0, &s0);
    long long end = now_ns() + 300000000LL;
    while (now_ns() < end) {
        for (int i = 0; i < 100; i++) syscall(SYS_getppid);
    }
    ru_ns(RUSAGE_SELF, &u1, &s1);
    CHECK("system calls count as system time", s1 > s0, "sys %lld -> %lld", s0, s1);

    c0 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
    usleep(300000);
    c1 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
    CHECK("sleeping costs (almost) no CPU time", c1 - c0 < 50000000LL, "cpu %lld", c1 - c0);

    struct tms tm;
    long long before = ru_ns(RUSAGE_SELF, NULL, NULL);
    times(&tm);
    long long after = ru_ns(RUSAGE_SELF, NULL, NULL);
    long ticks = tm.tms_utime + tm.tms_stime;
    long hz = sysconf(_SC_CLK_TCK);
    CHECK("times() agrees with getrusage(SELF)",
          ticks >= before * hz / 1000000000LL - 2 && ticks <= after * hz / 1000000000LL + 2,
          "times %ld ticks, rusage %lld..%lld ns", ticks, before, after);
    long st = stat_ticks(getpid(), 0);
    after = ru_ns(RUSAGE_SELF, NULL, NULL);
    if (st == 0 && after > 100000000LL) {
        NOT_PROVIDED("/proc/self/stat utime and stime"); /* qemu-user makes up its own /proc/self/stat */
    } else {
        CHECK("/proc/PID/stat utime+stime agrees with getrusage(SELF)",
              st >= before * hz / 1000000000LL - 2 && st <= after * hz / 1000000000LL + 2,
              "stat %ld ticks, rusage %lld..%lld ns", st, before, after);
    }
}

static void children(void) {
    long long ch0 = ru_ns(RUSAGE_CHILDREN, NULL, NULL);
    struct tms tm0, tm1;
    times(&tm0);
    long long w0 = now_ns();
    pid_t c = fork();
    if (c == 0) {
        spin(CLOCK_PROCESS_CPUTIME_ID, 200000000LL);
        _exit(0);
    }
    siginfo_t si;
    CHECK("waitid WNOWAIT sees the busy child exit", waitid(P_PID, c, &si, WEXITED | WNOWAIT) == 0, "x");
    long long w1 = now_ns();
    CHECK("a zombie not yet reaped is not in RUSAGE_CHILDREN", ru_ns(RUSAGE_CHILDREN, NULL, NULL) == ch0,
          "%lld -> %lld", ch0, ru_ns(RUSAGE_CHILDREN, NULL, NULL));
    long zt = stat_ticks(c, 0);
    CHECK("/proc/PID/stat of the zombie shows its CPU time", zt >= 19, "ticks %ld", zt);
    struct rusage ru;
    int status;
    CHECK("wait4 reaps it", wait4(c, &status, 0, &ru) == c && WIFEXITED(status), "x");
    long long cr = tv_ns(ru.ru_utime) + tv_ns(ru.ru_stime);
    CHECK("wait4's rusage holds the child's CPU time", cr >= 200000000LL - 1000 && cr <= w1 - w0 + 2000000LL,
          "child cpu %lld real %lld", cr, w1 - w0);
    long long ch1 = ru_ns(RUSAGE_CHILDREN, NULL, NULL);
    CHECK("reaping adds the child to RUSAGE_CHILDREN", ch1 - ch0 >= cr - 1000000 && ch1 - ch0 <= cr + 1000000,
          "children %lld -> %lld, child %lld", ch0, ch1, cr);
    times(&tm1);
    long dt = (tm1.tms_cutime + tm1.tms_cstime) - (tm0.tms_cutime + tm0.tms_cstime);
    CHECK("times() counts the reaped child", dt >= 19, "ticks %ld", dt);
    long sc = stat_ticks(getpid(), 1);
    if (sc == 0) {
        NOT_PROVIDED("/proc/self/stat cutime and cstime");
    } else {
        CHECK("/proc/PID/stat cutime+cstime counts the reaped child", sc >= 19, "ticks %ld", sc);
    }

    /* a child's own reaped children are part of its time for its parent */
    ch0 = ru_ns(RUSAGE_CHILDREN, NULL, NULL);
    c = fork();
    if (c == 0) {
        pid_t g = fork();
        if (g == 0) {
            spin(CLOCK_PROCESS_CPUTIME_ID, 150000000LL);
            _exit(0);
        }
        waitpid(g, NULL, 0);
        _exit(0);
    }
    wait4(c, &status, 0, &ru);
    cr = tv_ns(ru.ru_utime) + tv_ns(ru.ru_stime);
    ch1 = ru_ns(RUSAGE_CHILDREN, NULL, NULL);
    CHECK("wait4's rusage includes the grandchild the child reaped", cr >= 150000000LL - 1000, "cpu %lld", cr);
    CHECK("so does RUSAGE_CHILDREN", ch1 - ch0 >= 150000000LL - 1000, "cpu %lld", ch1 - ch0);

    /* time sleep: a sleeping child costs (almost) nothing */
    c = fork();
    if (c == 0) {
        usleep(300000);
        _exit(0);
    }
    wait4(c, &status, 0, &ru);
    cr = tv_ns(ru.ru_utime) + tv_ns(ru.ru_stime);
    CHECK("a child that slept 0.3 s used (almost) no CPU time", cr < 50000000LL, "cpu %lld", cr);

    /* a stopped child's rusage so far */
    c = fork();
    if (c == 0) {
        spin(CLOCK_PROCESS_CPUTIME_ID, 100000000LL);
        raise(SIGSTOP);
        _exit(0);
    }
    CHECK("wait4 WUNTRACED reports the stop", wait4(c, &status, WUNTRACED, &ru) == c && WIFSTOPPED(status), "x");
    cr = tv_ns(ru.ru_utime) + tv_ns(ru.ru_stime);
    CHECK("wait4 of a stopped child gives its CPU time so far", cr >= 100000000LL - 1000, "cpu %lld", cr);
    kill(c, SIGKILL);
    waitpid(c, NULL, 0);
}

static long long thread_cpu;

static void *spinner(void *arg) {
    (void)arg;
    spin(CLOCK_THREAD_CPUTIME_ID, 150000000LL);
    thread_cpu = clock_ns(CLOCK_THREAD_CPUTIME_ID);
    return NULL;
}

static void threads(void) {
    long long p0 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
    pthread_t th;
    pthread_create(&th, NULL, spinner, NULL);
    /* from here on main only waits: creating the thread was main's own work, and on a loaded
       host the emulator's share of it (and of translating its code) grows with steal time */
    long long m0 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
    pthread_join(th, NULL);
    long long m1 = clock_ns(CLOCK_THREAD_CPUTIME_ID), p1 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
    CHECK("a thread's clock counts its own time", thread_cpu >= 150000000LL, "thread %lld", thread_cpu);
    CHECK("the waiting thread's clock hardly moves", m1 - m0 < thread_cpu / 2, "main %lld, thread %lld", m1 - m0, thread_cpu);
    CHECK("the process clock keeps an exited thread's time", p1 - p0 >= 150000000LL, "process %lld", p1 - p0);
    /* the thread's first: main's own time goes on between the two calls */
    long long thr = ru_ns(RUSAGE_THREAD, NULL, NULL);
    long long self = ru_ns(RUSAGE_SELF, NULL, NULL);
    CHECK("RUSAGE_SELF includes the exited thread, RUSAGE_THREAD does not", self - thr >= 150000000LL - 1000,
          "self %lld thread %lld", self, thr);
}

int main(void) {
    start_tests();
    self_clocks();
    children();
    threads();
    return finish_tests();
}
