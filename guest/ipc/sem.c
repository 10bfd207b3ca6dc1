/* System V semaphores: semget/semop/semtimedop/semctl, blocking, GETNCNT/GETZCNT, SEM_UNDO on
 * exit, EIDRM and EINTR for a waiter. */
#include "ipc.h"
#include <sys/sem.h>

union semun { int val; struct semid_ds *buf; unsigned short *array; struct seminfo *__buf; };

static void on_alarm(int s) { (void)s; }

int main(int argc, char **argv) {
    check_init(argc, argv);
    pid_t me = getpid();
    int id = semget(IPC_PRIVATE, 3, IPC_CREAT | 0600);
    CHECK(id >= 0, "semget makes a set of 3");
    struct semid_ds ds;
    CHECK(semctl(id, 0, IPC_STAT, (union semun){.buf = &ds}) == 0 && ds.sem_nsems == 3 && ds.sem_otime == 0
          && (ds.sem_perm.mode & 0777) == 0600, "IPC_STAT: 3 semaphores, never operated on");
    CHECK(semctl(id, 1, GETVAL) == 0, "a new semaphore is 0");
    CHECK(semctl(id, 1, SETVAL, (union semun){.val = 5}) == 0 && semctl(id, 1, GETVAL) == 5, "SETVAL/GETVAL");
    unsigned short all[3] = {1, 2, 3}, got[3];
    CHECK(semctl(id, 0, SETALL, (union semun){.array = all}) == 0, "SETALL");
    CHECK(semctl(id, 0, GETALL, (union semun){.array = got}) == 0 && got[0] == 1 && got[1] == 2 && got[2] == 3, "GETALL");
    CHECK(semctl(id, 0, GETPID) == me, "GETPID after SETALL is the caller");

    struct sembuf ops[2] = {{0, -1, 0}, {2, +4, 0}};
    CHECK(semop(id, ops, 2) == 0 && semctl(id, 0, GETVAL) == 0 && semctl(id, 2, GETVAL) == 7, "semop applies every operation");
    CHECK(semctl(id, 0, IPC_STAT, (union semun){.buf = &ds}) == 0 && ds.sem_otime != 0, "and sets sem_otime");
    struct sembuf nb[2] = {{2, -1, 0}, {0, -1, IPC_NOWAIT}};
    CHECK(semop(id, nb, 2) == -1 && errno == EAGAIN && semctl(id, 2, GETVAL) == 7,
          "IPC_NOWAIT: EAGAIN, and nothing applied (all or nothing)");
    struct sembuf z = {2, 0, IPC_NOWAIT};
    CHECK(semop(id, &z, 1) == -1 && errno == EAGAIN, "wait-for-zero on a non-zero semaphore with IPC_NOWAIT: EAGAIN");
    struct sembuf big = {2, 32767, 0};
    CHECK(semop(id, &big, 1) == -1 && errno == ERANGE, "past SEMVMX: ERANGE");
    struct sembuf out = {3, 1, 0};
    CHECK(semop(id, &out, 1) == -1 && errno == EFBIG, "sem_num past the set: EFBIG");
    CHECK(semop(id, ops, 0) == -1 && errno == EINVAL, "nsops 0: EINVAL");
    CHECK(semctl(id, 0, SETVAL, (union semun){.val = -1}) == -1 && errno == ERANGE, "SETVAL -1: ERANGE");
    CHECK(semctl(id, 7, GETVAL) == -1 && errno == EINVAL, "GETVAL past the set: EINVAL");
    CHECK(semop(id, (struct sembuf *)8, 1) == -1 && errno == EFAULT, "bad sops: EFAULT");

    /* semtimedop times out with EAGAIN */
    struct sembuf dec = {0, -1, 0};
    struct timespec tmo = {0, 50 * 1000000L};
    long long t0 = ms_now();
    int r = semtimedop(id, &dec, 1, &tmo);
    long long el = ms_now() - t0;
    CHECK(r == -1 && errno == EAGAIN && el >= 40, "semtimedop times out with EAGAIN");
    tmo.tv_nsec = 2000000000L;
    CHECK(semtimedop(id, &dec, 1, &tmo) == -1 && errno == EINVAL, "a malformed timeout: EINVAL");

    /* a blocked decrement: GETNCNT sees it, an increment releases it */
    pid_t c = fork();
    if (c == 0) {
        struct sembuf d = {0, -2, 0};
        _exit(semop(id, &d, 1) == 0 ? 0 : 1);
    }
    int n = 0;
    for (int i = 0; i < 200 && (n = semctl(id, 0, GETNCNT)) != 1; i++) nap(5);
    CHECK(n == 1, "GETNCNT counts the blocked decrement");
    struct sembuf inc = {0, 1, 0};
    semop(id, &inc, 1);
    nap(20);
    CHECK(semctl(id, 0, GETNCNT) == 1, "+1 is not enough for -2: still waiting");
    semop(id, &inc, 1);
    int st;
    waitpid(c, &st, 0);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0 && semctl(id, 0, GETVAL) == 0, "+2 releases it");
    CHECK(semctl(id, 0, GETPID) == c, "GETPID is the last process that operated");

    /* wait for zero */
    c = fork();
    if (c == 0) {
        struct sembuf w = {2, 0, 0};
        _exit(semop(id, &w, 1) == 0 ? 0 : 1);
    }
    for (int i = 0; i < 200 && (n = semctl(id, 2, GETZCNT)) != 1; i++) nap(5);
    CHECK(n == 1, "GETZCNT counts the wait for zero");
    CHECK(semctl(id, 2, SETVAL, (union semun){.val = 0}) == 0, "SETVAL 0");
    waitpid(c, &st, 0);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "releases the wait for zero");

    /* SEM_UNDO: a process's adjustments are undone when it exits */
    semctl(id, 1, SETVAL, (union semun){.val = 3});
    c = fork();
    if (c == 0) {
        struct sembuf u[2] = {{1, -1, SEM_UNDO}, {2, 5, SEM_UNDO}};
        semop(id, u, 2);
        _exit(semctl(id, 1, GETVAL) == 2 && semctl(id, 2, GETVAL) == 5 ? 0 : 1);
    }
    waitpid(c, &st, 0);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the child's SEM_UNDO operations took effect");
    CHECK(semctl(id, 1, GETVAL) == 3 && semctl(id, 2, GETVAL) == 0, "and were undone at its exit");
    c = fork();
    if (c == 0) {
        struct sembuf u = {1, 2, SEM_UNDO};
        semop(id, &u, 1);
        kill(getpid(), SIGKILL);
        _exit(1);
    }
    waitpid(c, &st, 0);
    CHECK(semctl(id, 1, GETVAL) == 3, "also when it dies of a signal");

    /* a signal interrupts a wait (EINTR even with SA_RESTART) */
    c = fork();
    if (c == 0) {
        struct sigaction sa = {0};
        sa.sa_handler = on_alarm;
        sa.sa_flags = SA_RESTART;
        sigaction(SIGALRM, &sa, NULL);
        alarm(1);
        struct sembuf d = {0, -1, 0};
        int rr = semop(id, &d, 1);
        _exit(rr == -1 && errno == EINTR ? 0 : 1);
    }
    waitpid(c, &st, 0);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "a handled signal ends semop with EINTR, SA_RESTART or not");
    CHECK(semctl(id, 0, GETNCNT) == 0, "and it no longer counts as waiting");

    char *line = ipc_line("/proc/sysvipc/sem", id);
    CHECK(line != NULL, "/proc/sysvipc/sem lists the set");
    if (line) {
        long key, lid, nsems;
        unsigned perms;
        CHECK(sscanf(line, "%ld %ld %o %ld", &key, &lid, &perms, &nsems) == 4 && perms == 0600 && nsems == 3,
              "its line: perms, nsems");
    }
    struct seminfo si;
    CHECK(semctl(0, 0, IPC_INFO, (union semun){.__buf = &si}) >= 0, "IPC_INFO");
    int l[4] = {0};
    sscanf(slurp("/proc/sys/kernel/sem"), "%d %d %d %d", &l[0], &l[1], &l[2], &l[3]);
    CHECK(si.semmsl == l[0] && si.semmns == l[1] && si.semopm == l[2] && si.semmni == l[3] && si.semvmx == 32767,
          "IPC_INFO agrees with /proc/sys/kernel/sem");

    /* removal wakes a waiter with EIDRM */
    c = fork();
    if (c == 0) {
        struct sembuf d = {0, -1, 0};
        int rr = semop(id, &d, 1);
        _exit(rr == -1 && errno == EIDRM ? 0 : 1);
    }
    for (int i = 0; i < 200 && semctl(id, 0, GETNCNT) != 1; i++) nap(5);
    CHECK(semctl(id, 0, IPC_RMID) == 0, "IPC_RMID");
    waitpid(c, &st, 0);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "a waiter gets EIDRM");
    CHECK(semctl(id, 0, GETVAL) == -1 && errno == EINVAL, "the id is gone: EINVAL");

    key_t key = 0x46530000 | (me & 0xffff);
    int k1 = semget(key, 2, IPC_CREAT | IPC_EXCL | 0600);
    CHECK(k1 >= 0 && semget(key, 2, 0) == k1, "a key finds its set");
    CHECK(semget(key, 3, 0) == -1 && errno == EINVAL, "more semaphores than it has: EINVAL");
    CHECK(semget(key, 2, IPC_CREAT | IPC_EXCL) == -1 && errno == EEXIST, "IPC_EXCL: EEXIST");
    semctl(k1, 0, IPC_RMID);
    CHECK(semget(IPC_PRIVATE, 0, 0600) == -1 && errno == EINVAL, "0 semaphores: EINVAL");

    printf(failures ? "FAILED %d\n" : "ALL PASSED\n", failures);
    return failures;
}
