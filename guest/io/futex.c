/* futex(2) operations directly, and the pthread primitives glibc builds on them. */
#include "check.h"
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <semaphore.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/time.h>

static long futex(atomic_int *uaddr, int op, int val, const struct timespec *ts, atomic_int *uaddr2, int val3) {
    return syscall(SYS_futex, uaddr, op, val, ts, uaddr2, val3);
}

static long futex_n(atomic_int *uaddr, int op, int val, long val2, atomic_int *uaddr2, int val3) {
    return syscall(SYS_futex, uaddr, op, val, val2, uaddr2, val3);
}

static atomic_int word, word2, woken_count, started;

struct waiter_arg {
    atomic_int *addr;
    int op;
    int bitset;
    long result;
    int err;
};

static void *waiter(void *p) {
    struct waiter_arg *a = p;
    atomic_fetch_add(&started, 1);
    a->result = futex(a->addr, a->op, 0, NULL, NULL, a->bitset);
    a->err = errno;
    atomic_fetch_add(&woken_count, 1);
    return NULL;
}

/* Waits until n threads have entered and (very likely) reached the futex wait. */
static void settle(int n) {
    while (atomic_load(&started) < n) {
        usleep(1000);
    }
    usleep(200000);
}

static void basic(void) {
    atomic_store(&word, 1);
    errno = 0;
    CHECK("WAIT with a different value EAGAIN", futex(&word, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0) == -1
          && errno == EAGAIN, "x");
    struct timespec ts = {0, 100000000};
    long long t0 = now_ns();
    long r = futex(&word, FUTEX_WAIT_PRIVATE, 1, &ts, NULL, 0);
    long long dt = now_ns() - t0;
    CHECK("WAIT relative timeout ETIMEDOUT", r == -1 && errno == ETIMEDOUT && dt >= 100000000LL, "dt %lld", dt);
    struct timespec abs;
    clock_gettime(CLOCK_MONOTONIC, &abs);
    abs.tv_nsec += 100000000;
    if (abs.tv_nsec >= 1000000000) {
        abs.tv_sec++;
        abs.tv_nsec -= 1000000000;
    }
    t0 = now_ns();
    r = futex(&word, FUTEX_WAIT_BITSET_PRIVATE, 1, &abs, NULL, FUTEX_BITSET_MATCH_ANY);
    dt = now_ns() - t0;
    CHECK("WAIT_BITSET absolute monotonic timeout", r == -1 && errno == ETIMEDOUT && dt >= 90000000LL, "dt %lld", dt);
    clock_gettime(CLOCK_REALTIME, &abs);
    abs.tv_nsec += 100000000;
    if (abs.tv_nsec >= 1000000000) {
        abs.tv_sec++;
        abs.tv_nsec -= 1000000000;
    }
    r = futex(&word, FUTEX_WAIT_BITSET_PRIVATE | FUTEX_CLOCK_REALTIME, 1, &abs, NULL, FUTEX_BITSET_MATCH_ANY);
    CHECK("WAIT_BITSET absolute realtime timeout", r == -1 && errno == ETIMEDOUT, "r %ld", r);
    CHECK("WAIT_BITSET with bitset 0 EINVAL", futex(&word, FUTEX_WAIT_BITSET, 1, NULL, NULL, 0) == -1
          && errno == EINVAL, "x");
    CHECK("CLOCK_REALTIME with WAKE ENOSYS", futex(&word, FUTEX_WAKE | FUTEX_CLOCK_REALTIME, 1, NULL, NULL, 0) == -1
          && errno == ENOSYS, "x");
    CHECK("unaligned address EINVAL", futex((atomic_int *)((char *)&word + 1), FUTEX_WAKE, 1, NULL, NULL, 0) == -1
          && errno == EINVAL, "x");
    CHECK("WAKE with no waiters returns 0", futex(&word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0) == 0, "x");
    ts.tv_nsec = 2000000000;
    CHECK("WAIT bad timeout EINVAL", futex(&word, FUTEX_WAIT, 1, &ts, NULL, 0) == -1 && errno == EINVAL, "x");
}

static void wake_counts(void) {
    atomic_store(&word, 0);
    atomic_store(&started, 0);
    atomic_store(&woken_count, 0);
    pthread_t th[4];
    struct waiter_arg a[4];
    for (int i = 0; i < 4; i++) {
        a[i] = (struct waiter_arg){&word, FUTEX_WAIT_PRIVATE, 0, 0, 0};
        pthread_create(&th[i], NULL, waiter, &a[i]);
    }
    settle(4);
    long n1 = futex(&word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
    usleep(50000);
    CHECK("WAKE 1 wakes one", n1 == 1 && atomic_load(&woken_count) == 1, "n %ld woken %d", n1, woken_count);
    long n2 = futex(&word, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
    }
    int ok = 1;
    for (int i = 0; i < 4; i++) {
        ok &= a[i].result == 0;
    }
    CHECK("WAKE all wakes the rest; woken waits return 0", n2 == 3 && ok, "n %ld", n2);
}

static void bitsets(void) {
    atomic_store(&word, 0);
    atomic_store(&started, 0);
    atomic_store(&woken_count, 0);
    pthread_t th[2];
    struct waiter_arg a[2] = {{&word, FUTEX_WAIT_BITSET_PRIVATE, 1, 0, 0}, {&word, FUTEX_WAIT_BITSET_PRIVATE, 2, 0, 0}};
    for (int i = 0; i < 2; i++) {
        pthread_create(&th[i], NULL, waiter, &a[i]);
    }
    settle(2);
    long n = futex(&word, FUTEX_WAKE_BITSET_PRIVATE, INT_MAX, NULL, NULL, 2);
    usleep(50000);
    CHECK("WAKE_BITSET wakes only matching waiters", n == 1 && atomic_load(&woken_count) == 1, "n %ld", n);
    n = futex(&word, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
    CHECK("plain WAKE matches any bitset", n == 1, "n %ld", n);
    pthread_join(th[0], NULL);
    pthread_join(th[1], NULL);
}

static void requeue(void) {
    atomic_store(&word, 0);
    atomic_store(&word2, 0);
    atomic_store(&started, 0);
    atomic_store(&woken_count, 0);
    pthread_t th[4];
    struct waiter_arg a[4];
    for (int i = 0; i < 4; i++) {
        a[i] = (struct waiter_arg){&word, FUTEX_WAIT_PRIVATE, 0, 0, 0};
        pthread_create(&th[i], NULL, waiter, &a[i]);
    }
    settle(4);
    errno = 0;
    CHECK("CMP_REQUEUE with a stale value EAGAIN",
          futex_n(&word, FUTEX_CMP_REQUEUE_PRIVATE, 1, 2, &word2, 5) == -1 && errno == EAGAIN, "x");
    long n = futex_n(&word, FUTEX_CMP_REQUEUE_PRIVATE, 1, 2, &word2, 0);
    usleep(50000);
    CHECK("CMP_REQUEUE wakes 1 and moves 2", n == 3 && atomic_load(&woken_count) == 1, "n %ld woken %d", n,
          woken_count);
    long left = futex(&word, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
    usleep(50000);
    long moved = futex(&word2, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
    CHECK("requeued waiters sleep on the second word", left == 1 && moved == 2, "left %ld moved %ld", left, moved);
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
    }
    CHECK("REQUEUE negative count EINVAL", futex_n(&word, FUTEX_REQUEUE, -1, 1, &word2, 0) == -1 && errno == EINVAL,
          "x");
}

static void wake_op(void) {
    atomic_store(&word, 0);
    atomic_store(&word2, 5);
    atomic_store(&started, 0);
    atomic_store(&woken_count, 0);
    pthread_t th[1];
    struct waiter_arg a[1] = {{&word, FUTEX_WAIT_PRIVATE, 0, 0, 0}};
    pthread_create(&th[0], NULL, waiter, &a[0]);
    settle(1);
    /* word2 += 1, then wake on word2 if old value == 5 (no one waits there) */
    int op = FUTEX_OP(FUTEX_OP_ADD, 1, FUTEX_OP_CMP_EQ, 5);
    long n = futex_n(&word, FUTEX_WAKE_OP_PRIVATE, 1, 1, &word2, op);
    pthread_join(th[0], NULL);
    CHECK("WAKE_OP changes the second word and wakes", n == 1 && atomic_load(&word2) == 6 && a[0].result == 0,
          "n %ld word2 %d", n, atomic_load(&word2));
    op = FUTEX_OP(FUTEX_OP_OR, 3, FUTEX_OP_CMP_GT, 100) | (FUTEX_OP_OPARG_SHIFT << 28);
    n = futex_n(&word, FUTEX_WAKE_OP_PRIVATE, 1, 1, &word2, op);
    CHECK("WAKE_OP with OPARG_SHIFT", n == 0 && atomic_load(&word2) == (6 | 8), "word2 %d", atomic_load(&word2));
}

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static long counter;
static int turn;

static void *incr(void *p) {
    (void)p;
    for (int i = 0; i < 20000; i++) {
        pthread_mutex_lock(&mu);
        counter++;
        pthread_mutex_unlock(&mu);
    }
    return NULL;
}

static void *pingpong(void *p) {
    int me = (int)(intptr_t)p;
    for (int i = 0; i < 200; i++) {
        pthread_mutex_lock(&mu);
        while (turn != me) {
            pthread_cond_wait(&cv, &mu);
        }
        turn = 1 - me;
        pthread_cond_broadcast(&cv);
        pthread_mutex_unlock(&mu);
    }
    return NULL;
}

static void pthreads(void) {
    pthread_t th[4];
    for (int i = 0; i < 4; i++) {
        pthread_create(&th[i], NULL, incr, NULL);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
    }
    CHECK("mutex keeps a shared counter exact", counter == 80000, "counter %ld", counter);
    pthread_create(&th[0], NULL, pingpong, (void *)0);
    pthread_create(&th[1], NULL, pingpong, (void *)1);
    pthread_join(th[0], NULL);
    pthread_join(th[1], NULL);
    CHECK("condition variable ping-pong", turn == 0, "turn %d", turn);
    struct timespec abs;
    clock_gettime(CLOCK_REALTIME, &abs);
    abs.tv_nsec += 100000000;
    if (abs.tv_nsec >= 1000000000) {
        abs.tv_sec++;
        abs.tv_nsec -= 1000000000;
    }
    pthread_mutex_lock(&mu);
    int r = pthread_cond_timedwait(&cv, &mu, &abs);
    pthread_mutex_unlock(&mu);
    CHECK("pthread_cond_timedwait times out", r == ETIMEDOUT, "r %d", r);
}

/* A shared futex in MAP_SHARED memory works between processes. */
static void shared(void) {
    atomic_int *w = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    atomic_store(w, 0);
    atomic_store(w + 1, 0);
    pid_t c = fork();
    if (c == 0) {
        atomic_store(w + 1, 1);
        long r = futex(w, FUTEX_WAIT, 0, NULL, NULL, 0);
        _exit(r == 0 || atomic_load(w) == 1 ? 0 : 1);
    }
    while (atomic_load(w + 1) == 0) {
        usleep(1000);
    }
    usleep(100000);
    atomic_store(w, 1);
    long n = futex(w, FUTEX_WAKE, 1, NULL, NULL, 0);
    int status;
    waitpid(c, &status, 0);
    CHECK("shared futex wakes another process", n == 1 && WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "n %ld status %x", n, status);
    sem_t *sem = (sem_t *)(w + 4);
    sem_init(sem, 1, 0);
    c = fork();
    if (c == 0) {
        _exit(sem_wait(sem) == 0 ? 0 : 1);
    }
    usleep(50000);
    sem_post(sem);
    waitpid(c, &status, 0);
    CHECK("process-shared semaphore", WIFEXITED(status) && WEXITSTATUS(status) == 0, "status %x", status);
    munmap(w, 4096);
}

struct waitv_entry {
    uint64_t val;
    uint64_t uaddr;
    uint32_t flags;
    uint32_t reserved;
};

static atomic_int wv[3];
static long waitv_result;

static void *waitv_waiter(void *p) {
    struct waitv_entry *e = p;
    atomic_fetch_add(&started, 1);
    waitv_result = syscall(449, e, 3, 0, NULL, 0);
    return NULL;
}

/* futex_waitv: several words at once, the index of the one woken. */
static void waitv(void) {
    struct waitv_entry e[3];
    for (int i = 0; i < 3; i++) {
        atomic_store(&wv[i], 0);
        e[i] = (struct waitv_entry){0, (uint64_t)(uintptr_t)&wv[i], 2 | 128, 0};
    }
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    ts.tv_nsec += 50000000;
    if (ts.tv_nsec >= 1000000000) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000;
    }
    long r = syscall(449, e, 3, 0, &ts, CLOCK_MONOTONIC);
    if (r == -1 && errno == ENOSYS) {
        NOT_PROVIDED("futex_waitv"); /* older qemu */
        return;
    }
    CHECK("futex_waitv times out", r == -1 && errno == ETIMEDOUT, "r %ld", r);
    atomic_store(&wv[1], 5);
    CHECK("futex_waitv with a changed word EAGAIN", syscall(449, e, 3, 0, NULL, 0) == -1 && errno == EAGAIN, "x");
    atomic_store(&wv[1], 0);
    e[2].flags = 3;
    CHECK("futex_waitv bad size EINVAL", syscall(449, e, 3, 0, NULL, 0) == -1 && errno == EINVAL, "x");
    e[2].flags = 2 | 128;
    atomic_store(&started, 0);
    pthread_t th;
    pthread_create(&th, NULL, waitv_waiter, e);
    settle(1);
    long n = futex(&wv[2], FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
    pthread_join(th, NULL);
    CHECK("futex_waitv returns the index woken", n == 1 && waitv_result == 2, "n %ld r %ld", n, waitv_result);
}

int main(void) {
    start_tests();
    basic();
    wake_counts();
    bitsets();
    requeue();
    wake_op();
    pthreads();
    shared();
    waitv();
    return finish_tests();
}
