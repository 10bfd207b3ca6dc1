/*
 * Threads as glibc's NPTL uses them: clone with CLONE_SETTLS/CHILD_CLEARTID, futexes for
 * mutexes, condition variables and joins, per-thread signal delivery, cancellation, timed
 * futex waits, and the scheduler queries programs such as node ask at start-up.
 * Prints PASS/FAIL lines and "ALL PASSED" when every check held.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int failures;

static void check(int ok, const char *what) {
    printf("%s %s\n", ok ? "PASS" : "FAIL", what);
    fflush(stdout);
    if (!ok) {
        failures++;
    }
}

static long ms_since(const struct timespec *t0) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/* ---- many threads incrementing under one mutex */

#define WORKERS 8
#define ROUNDS 20000
static pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;
static atomic_long atomic_counter;

static void *increment(void *arg) {
    for (int i = 0; i < ROUNDS; i++) {
        pthread_mutex_lock(&counter_lock);
        counter++;
        pthread_mutex_unlock(&counter_lock);
        atomic_fetch_add(&atomic_counter, 1);
        if (i % 1000 == 0) {
            sched_yield();
        }
    }
    return (void *) (long) gettid();
}

static void test_mutex(void) {
    pthread_t t[WORKERS];
    long tids[WORKERS];
    int created = 0;
    for (int i = 0; i < WORKERS; i++) {
        created += pthread_create(&t[i], NULL, increment, NULL) == 0;
    }
    check(created == WORKERS, "pthread_create of 8 threads");
    int distinct = 1;
    for (int i = 0; i < WORKERS; i++) {
        void *r;
        pthread_join(t[i], &r);
        tids[i] = (long) r;
        if (tids[i] == getpid() || tids[i] <= 0) {
            distinct = 0;
        }
        for (int j = 0; j < i; j++) {
            if (tids[j] == tids[i]) {
                distinct = 0;
            }
        }
    }
    check(counter == (long) WORKERS * ROUNDS, "mutex-protected counter is exact");
    check(atomic_counter == (long) WORKERS * ROUNDS, "atomic counter is exact");
    check(distinct, "each thread has its own tid, none equal to the pid");
}

/* ---- condition variable: a producer/consumer queue */

static pthread_mutex_t q_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t q_nonempty = PTHREAD_COND_INITIALIZER;
static pthread_cond_t q_nonfull = PTHREAD_COND_INITIALIZER;
static int q_items[4];
static int q_len;
static long consumed_sum;

static void *producer(void *arg) {
    for (int i = 1; i <= 1000; i++) {
        pthread_mutex_lock(&q_lock);
        while (q_len == 4) {
            pthread_cond_wait(&q_nonfull, &q_lock);
        }
        q_items[q_len++] = i;
        pthread_cond_signal(&q_nonempty);
        pthread_mutex_unlock(&q_lock);
    }
    return NULL;
}

static void *consumer(void *arg) {
    for (int n = 0; n < 1000; n++) {
        pthread_mutex_lock(&q_lock);
        while (q_len == 0) {
            pthread_cond_wait(&q_nonempty, &q_lock);
        }
        consumed_sum += q_items[--q_len];
        pthread_cond_signal(&q_nonfull);
        pthread_mutex_unlock(&q_lock);
    }
    return NULL;
}

static void test_condvar(void) {
    pthread_t p, c;
    pthread_create(&c, NULL, consumer, NULL);
    pthread_create(&p, NULL, producer, NULL);
    pthread_join(p, NULL);
    pthread_join(c, NULL);
    check(consumed_sum == 1000L * 1001 / 2, "condition variables pass 1000 items through a 4-slot queue");
}

/* ---- thread-local storage */

static __thread int tls_value = 42;
static __thread char tls_name[16];

static void *tls_worker(void *arg) {
    int id = (int) (long) arg;
    int fresh = tls_value == 42 && tls_name[0] == 0;
    tls_value = id;
    snprintf(tls_name, sizeof tls_name, "t%d", id);
    sched_yield();
    usleep(1000);
    int kept = tls_value == id && strcmp(tls_name, "t") > 0 && atoi(tls_name + 1) == id;
    return (void *) (long) (fresh && kept);
}

static void test_tls(void) {
    pthread_t t[4];
    tls_value = 7;
    for (int i = 0; i < 4; i++) {
        pthread_create(&t[i], NULL, tls_worker, (void *) (long) (i + 100));
    }
    int ok = 1;
    for (int i = 0; i < 4; i++) {
        void *r;
        pthread_join(t[i], &r);
        ok &= r == (void *) 1;
    }
    check(ok, "__thread variables start from their initialiser and stay per thread");
    check(tls_value == 7, "the main thread's TLS is untouched by other threads");
}

/* ---- cancellation */

static atomic_int cleanup_ran;

static void cleanup(void *arg) {
    cleanup_ran = 1;
}

static void *cancel_sleeper(void *arg) {
    pthread_cleanup_push(cleanup, NULL);
    for (;;) {
        sleep(10); /* a cancellation point */
    }
    pthread_cleanup_pop(0);
    return NULL;
}

static pthread_mutex_t cancel_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cancel_cond = PTHREAD_COND_INITIALIZER;

static void unlock_cancel(void *arg) {
    pthread_mutex_unlock(&cancel_lock);
}

static void *cancel_condwaiter(void *arg) {
    pthread_mutex_lock(&cancel_lock);
    pthread_cleanup_push(unlock_cancel, NULL);
    for (;;) {
        pthread_cond_wait(&cancel_cond, &cancel_lock);
    }
    pthread_cleanup_pop(1);
    return NULL;
}

static void test_cancel(void) {
    pthread_t t;
    void *r = NULL;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pthread_create(&t, NULL, cancel_sleeper, NULL);
    usleep(20000);
    pthread_cancel(t);
    pthread_join(t, &r);
    check(r == PTHREAD_CANCELED, "pthread_cancel ends a thread blocked in sleep");
    check(cleanup_ran, "cancellation runs cleanup handlers");
    check(ms_since(&t0) < 5000, "cancellation does not wait for the sleep to finish");

    pthread_create(&t, NULL, cancel_condwaiter, NULL);
    usleep(20000);
    pthread_cancel(t);
    pthread_join(t, &r);
    check(r == PTHREAD_CANCELED, "pthread_cancel ends a thread blocked in pthread_cond_wait");
    check(pthread_mutex_trylock(&cancel_lock) == 0, "the cancelled waiter's cleanup released the mutex");
    pthread_mutex_unlock(&cancel_lock);
}

/* ---- pthread_kill: a signal to one thread runs its handler on that thread */

static atomic_long handler_tid;
static atomic_int target_ready;

static void on_usr1(int sig) {
    handler_tid = gettid();
}

static void *signal_target(void *arg) {
    target_ready = (int) gettid();
    /* pause() returns once a handled signal arrives on this thread */
    pause();
    return (void *) (long) gettid();
}

static void *signal_blocker(void *arg) {
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGUSR2);
    pthread_sigmask(SIG_BLOCK, &s, NULL);
    int sig = 0;
    sigwait(&s, &sig); /* takes SIGUSR2 sent to this thread */
    return (void *) (long) sig;
}

static atomic_int waiter_ready;

/* sigtimedwait for SIGUSR2 with SIGUSR1 handled and unblocked: SIGUSR1 must interrupt it */
static void *interrupted_waiter(void *arg) {
    sigset_t s, u;
    sigemptyset(&s);
    sigaddset(&s, SIGUSR2);
    pthread_sigmask(SIG_BLOCK, &s, NULL);
    sigemptyset(&u);
    sigaddset(&u, SIGUSR1);
    pthread_sigmask(SIG_UNBLOCK, &u, NULL);
    waiter_ready = 1;
    long first = sigtimedwait(&s, NULL, NULL);
    long first_errno = errno;
    long second = sigtimedwait(&s, NULL, NULL);
    return (void *) ((first == -1 && first_errno == EINTR && handler_tid == gettid() ? 1000 : 0) + second);
}

static void test_pthread_kill(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sigaction(SIGUSR1, &sa, NULL);
    /* the main thread blocks SIGUSR1, so only the target can take it */
    sigset_t s, old;
    sigemptyset(&s);
    sigaddset(&s, SIGUSR1);
    pthread_t t;
    pthread_create(&t, NULL, signal_target, NULL);
    pthread_sigmask(SIG_BLOCK, &s, &old);
    while (!target_ready) {
        usleep(1000);
    }
    usleep(10000);
    check(pthread_kill(t, SIGUSR1) == 0, "pthread_kill returns 0");
    void *r;
    pthread_join(t, &r);
    check(handler_tid == (long) r && handler_tid != getpid(), "the handler ran on the target thread");
    pthread_sigmask(SIG_SETMASK, &old, NULL);

    sigset_t s2;
    sigemptyset(&s2);
    sigaddset(&s2, SIGUSR2);
    pthread_sigmask(SIG_BLOCK, &s2, &old);
    pthread_create(&t, NULL, signal_blocker, NULL);
    usleep(10000);
    pthread_kill(t, SIGUSR2);
    pthread_join(t, &r);
    check((long) r == SIGUSR2, "sigwait in a thread takes a signal sent to that thread");
    sigset_t pend;
    sigpending(&pend);
    check(!sigismember(&pend, SIGUSR2), "a thread-directed signal is not left pending on the process");
    pthread_sigmask(SIG_SETMASK, &old, NULL);

    handler_tid = 0;
    pthread_sigmask(SIG_BLOCK, &s, NULL); /* SIGUSR1 too: only the waiter takes it */
    pthread_create(&t, NULL, interrupted_waiter, NULL);
    while (!waiter_ready) {
        usleep(1000);
    }
    usleep(20000);
    pthread_kill(t, SIGUSR1);
    for (int i = 0; i < 2000 && !handler_tid; i++) {
        usleep(1000);
    }
    check(handler_tid != 0, "a handled signal outside the set runs its handler during sigtimedwait");
    pthread_kill(t, SIGUSR2);
    pthread_join(t, &r);
    check((long) r == 1000 + SIGUSR2, "that signal makes sigtimedwait fail EINTR; the next one in the set is taken");
    pthread_sigmask(SIG_SETMASK, &old, NULL);

    check(pthread_kill(pthread_self(), 0) == 0, "pthread_kill with signal 0 checks a live thread");
    check(syscall(SYS_tgkill, getpid(), 999999, 0) == -1 && errno == ESRCH, "tgkill of a missing thread is ESRCH");
}

/* ---- timed waits: futex timeouts */

static void test_timedwait(void) {
    pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
    pthread_cond_t c = PTHREAD_COND_INITIALIZER;
    struct timespec deadline, t0;
    clock_gettime(CLOCK_REALTIME, &deadline);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    deadline.tv_nsec += 150 * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&m);
    int rc = pthread_cond_timedwait(&c, &m, &deadline);
    pthread_mutex_unlock(&m);
    long el = ms_since(&t0);
    check(rc == ETIMEDOUT, "pthread_cond_timedwait with no signal gives ETIMEDOUT");
    check(el >= 140 && el < 3000, "the timed wait lasted about 150 ms");

    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_t cm;
    pthread_cond_init(&cm, &ca);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    deadline = t0;
    deadline.tv_nsec += 50 * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&m);
    rc = pthread_cond_timedwait(&cm, &m, &deadline);
    pthread_mutex_unlock(&m);
    el = ms_since(&t0);
    check(rc == ETIMEDOUT && el >= 45 && el < 3000, "a CLOCK_MONOTONIC condition variable times out on time");

    /* a deadline in the past returns at once */
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec -= 1;
    pthread_mutex_lock(&m);
    rc = pthread_cond_timedwait(&c, &m, &deadline);
    pthread_mutex_unlock(&m);
    check(rc == ETIMEDOUT, "a deadline in the past times out at once");

    /* raw FUTEX_WAIT with a relative timeout; a value mismatch is EAGAIN */
    int word = 5;
    struct timespec rel = {0, 30 * 1000000L};
    clock_gettime(CLOCK_MONOTONIC, &t0);
    long r = syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 5, &rel, NULL, 0);
    el = ms_since(&t0);
    check(r == -1 && errno == ETIMEDOUT && el >= 25, "FUTEX_WAIT with a relative timeout gives ETIMEDOUT");
    r = syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 6, &rel, NULL, 0);
    check(r == -1 && errno == EAGAIN, "FUTEX_WAIT on a changed value is EAGAIN");
}

struct lockarg {
    pthread_mutex_t *m;
    struct timespec d;
    int rc;
};

static void *timedlocker(void *p) {
    struct lockarg *a = p;
    a->rc = pthread_mutex_timedlock(a->m, &a->d);
    return NULL;
}

static void test_timedlock(void) {
    pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
    pthread_mutex_lock(&m);
    struct lockarg a = {&m, {0, 0}, -1};
    clock_gettime(CLOCK_REALTIME, &a.d);
    a.d.tv_nsec += 30 * 1000000L;
    if (a.d.tv_nsec >= 1000000000L) {
        a.d.tv_sec++;
        a.d.tv_nsec -= 1000000000L;
    }
    pthread_t t;
    pthread_create(&t, NULL, timedlocker, &a);
    pthread_join(t, NULL);
    check(a.rc == ETIMEDOUT, "pthread_mutex_timedlock on a held mutex times out");
    pthread_mutex_unlock(&m);
}

/* ---- scheduler queries */

static void test_sched(void) {
    cpu_set_t set;
    CPU_ZERO(&set);
    int rc = sched_getaffinity(0, sizeof set, &set);
    int n = CPU_COUNT(&set);
    check(rc == 0 && n >= 1, "sched_getaffinity reports at least one cpu");
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    check(online >= 1, "sysconf(_SC_NPROCESSORS_ONLN) is at least 1");
    check(sched_yield() == 0, "sched_yield returns 0");
    unsigned cpu = 12345, node = 12345;
    rc = syscall(SYS_getcpu, &cpu, &node, NULL);
    check(rc == 0 && CPU_ISSET(cpu, &set) && node == 0, "getcpu names a cpu in the affinity mask, node 0");
    check(sched_getcpu() >= 0, "sched_getcpu works");
    check(sched_setaffinity(0, sizeof set, &set) == 0, "sched_setaffinity to the same mask succeeds");
    check(sched_getaffinity(0, 0, &set) == -1 && errno == EINVAL, "sched_getaffinity with a zero-size mask is EINVAL");
}

/* ---- threads and process-wide state */

static void *exiter(void *arg) {
    pthread_exit((void *) 77);
    return NULL;
}

static void *detached(void *arg) {
    atomic_int *flag = arg;
    *flag = 1;
    return NULL;
}

static void test_lifecycle(void) {
    pthread_t t;
    void *r;
    pthread_create(&t, NULL, exiter, NULL);
    pthread_join(t, &r);
    check(r == (void *) 77, "pthread_exit value reaches pthread_join");

    static atomic_int flag;
    pthread_attr_t at;
    pthread_attr_init(&at);
    pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&at, 256 * 1024);
    check(pthread_create(&t, &at, detached, (void *) &flag) == 0, "a detached thread with a small stack starts");
    for (int i = 0; i < 2000 && !flag; i++) {
        usleep(1000);
    }
    check(flag == 1, "the detached thread ran");

    /* many short-lived threads: tids are reused safely and joins never hang */
    int ok = 1;
    for (int i = 0; i < 200; i++) {
        if (pthread_create(&t, NULL, exiter, NULL) != 0 || pthread_join(t, &r) != 0 || r != (void *) 77) {
            ok = 0;
            break;
        }
    }
    check(ok, "200 create/join cycles");
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    test_mutex();
    test_condvar();
    test_tls();
    test_cancel();
    test_pthread_kill();
    test_timedwait();
    test_timedlock();
    test_sched();
    test_lifecycle();
    if (failures == 0) {
        printf("ALL PASSED\n");
        return 0;
    }
    printf("%d FAILED\n", failures);
    return 1;
}
