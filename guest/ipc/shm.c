/* System V shared memory: shmget/shmat/shmdt/shmctl, fork inheritance, IPC_RMID while attached. */
#include "ipc.h"
#include <sys/shm.h>

int main(int argc, char **argv) {
    check_init(argc, argv);
    pid_t me = getpid();
    struct shmid_ds ds;
    int id = shmget(IPC_PRIVATE, 10000, IPC_CREAT | 0600);
    CHECK(id >= 0, "shmget(IPC_PRIVATE) makes a segment");
    CHECK(shmctl(id, IPC_STAT, &ds) == 0 && ds.shm_segsz == 10000 && ds.shm_nattch == 0 && ds.shm_cpid == me
          && (ds.shm_perm.mode & 0777) == 0600 && ds.shm_perm.__key == 0 && ds.shm_perm.uid == geteuid(),
          "IPC_STAT: size, creator pid, mode, no attachments");
    char *p = shmat(id, NULL, 0);
    CHECK(p != (char *)-1, "shmat maps it");
    CHECK(p[0] == 0 && p[9999] == 0 && p[12287] == 0, "a new segment reads as zeros, up to its last page");
    strcpy(p, "parent");
    CHECK(shmctl(id, IPC_STAT, &ds) == 0 && ds.shm_nattch == 1 && ds.shm_lpid == me && ds.shm_atime != 0,
          "after shmat: nattch 1, lpid, atime");
    char maps[256];
    snprintf(maps, sizeof maps, "/SYSV%08x", 0);
    CHECK(strstr(slurp("/proc/self/maps"), maps) != NULL, "/proc/self/maps names the attachment /SYSV<key>");
    char *line = ipc_line("/proc/sysvipc/shm", id);
    CHECK(line != NULL, "/proc/sysvipc/shm lists the segment");
    if (line) {
        long key, lid, size, cpid, lpid, nattch;
        unsigned perms;
        int n = sscanf(line, "%ld %ld %o %ld %ld %ld %ld", &key, &lid, &perms, &size, &cpid, &lpid, &nattch);
        CHECK(n == 7 && size == 10000 && perms == 0600 && cpid == me && nattch == 1, "its line: perms, size, cpid, nattch");
    }

    /* fork: the child shares the pages and counts as an attachment */
    int pipefd[2];
    pipe(pipefd);
    pid_t c = fork();
    if (c == 0) {
        struct shmid_ds cd;
        int ok = strcmp(p, "parent") == 0 && shmctl(id, IPC_STAT, &cd) == 0 && cd.shm_nattch == 2;
        strcpy(p, "child");
        write(pipefd[1], ok ? "y" : "n", 1);
        _exit(0);
    }
    char r = 0;
    read(pipefd[0], &r, 1);
    int st;
    waitpid(c, &st, 0);
    CHECK(r == 'y', "a fork child sees the segment's data, nattch 2");
    CHECK(strcmp(p, "child") == 0, "the parent sees what the child wrote");
    CHECK(shmctl(id, IPC_STAT, &ds) == 0 && ds.shm_nattch == 1, "the child's exit detaches it");

    /* a second attachment aliases the first */
    char *q = shmat(id, NULL, 0);
    CHECK(q != (char *)-1 && q != p, "a second shmat gives another address");
    q[100] = 'z';
    CHECK(p[100] == 'z', "both attachments are the same memory");
    CHECK(shmctl(id, IPC_STAT, &ds) == 0 && ds.shm_nattch == 2, "nattch counts both");
    CHECK(shmdt(q) == 0, "shmdt");
    CHECK(shmdt(q) == -1 && errno == EINVAL, "shmdt of a detached address gives EINVAL");
    CHECK(shmdt(p + 1) == -1 && errno == EINVAL, "shmdt of an unaligned address gives EINVAL");
    CHECK(shmctl(id, IPC_STAT, &ds) == 0 && ds.shm_nattch == 1 && ds.shm_dtime != 0, "after shmdt: nattch 1, dtime");

    /* read-only attachment: writing faults */
    c = fork();
    if (c == 0) {
        char *ro = shmat(id, NULL, SHM_RDONLY);
        if (ro == (char *)-1 || ro[0] != 'c') _exit(3);
        ro[0] = 'x';
        _exit(4);
    }
    waitpid(c, &st, 0);
    CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, "a write to a SHM_RDONLY attachment gets SIGSEGV");

    /* attaching at a chosen address */
    char *want = (char *)(((unsigned long)p + 0x1000000) & ~0xfffUL);
    char *at = shmat(id, want, 0);
    CHECK(at == want && at[100] == 'z', "shmat at a given address");
    CHECK(shmat(id, want, 0) == (void *)-1 && errno == EINVAL, "shmat over an existing mapping without SHM_REMAP gives EINVAL");
    CHECK(shmat(id, want, SHM_REMAP) == want, "SHM_REMAP replaces it");
    CHECK(shmat(id, want + 1, 0) == (void *)-1 && errno == EINVAL, "an unaligned address without SHM_RND gives EINVAL");
    CHECK(shmat(id, want + 1, SHM_RND | SHM_REMAP) == want, "SHM_RND rounds it down");
    shmdt(want);
    void *rr = shmat(id, NULL, SHM_REMAP);
    if (rr != (void *)-1 && reference) {
        SKIP("SHM_REMAP with no address gives EINVAL", "qemu-user implements shmat itself");
        shmdt(rr);
    } else {
        CHECK(rr == (void *)-1 && errno == EINVAL, "SHM_REMAP with no address gives EINVAL");
    }

    /* IPC_RMID while attached: the segment lives on until the last detach */
    CHECK(shmctl(id, IPC_RMID, NULL) == 0, "IPC_RMID while attached");
    CHECK(shmctl(id, IPC_STAT, &ds) == 0 && (ds.shm_perm.mode & 01000) && ds.shm_nattch == 1,
          "it is still there, marked SHM_DEST");
    p[5] = 'q';
    CHECK(p[5] == 'q', "its memory still works");
    CHECK(shmdt(p) == 0, "last shmdt");
    CHECK(shmctl(id, IPC_STAT, &ds) == -1 && errno == EINVAL, "then it is gone (EINVAL)");
    CHECK(ipc_line("/proc/sysvipc/shm", id) == NULL, "and gone from /proc/sysvipc/shm");

    /* keys */
    key_t key = 0x46520000 | (me & 0xffff);
    int k1 = shmget(key, 4096, IPC_CREAT | IPC_EXCL | 0640);
    CHECK(k1 >= 0, "shmget with a key and IPC_CREAT|IPC_EXCL");
    CHECK(shmget(key, 4096, IPC_CREAT | IPC_EXCL | 0640) == -1 && errno == EEXIST, "again with IPC_EXCL: EEXIST");
    CHECK(shmget(key, 0, 0) == k1, "the key finds the same id");
    CHECK(shmget(key, 8192, 0) == -1 && errno == EINVAL, "asking for more than its size: EINVAL");
    CHECK(shmctl(k1, IPC_STAT, &ds) == 0 && ds.shm_perm.__key == key, "IPC_STAT shows the key");
    ds.shm_perm.mode = 0600;
    CHECK(shmctl(k1, IPC_SET, &ds) == 0 && shmctl(k1, IPC_STAT, &ds) == 0 && (ds.shm_perm.mode & 0777) == 0600,
          "IPC_SET changes the mode");
    c = fork();
    if (c == 0) {
        if (setuid(65534) != 0) _exit(9);
        int a = shmget(key, 0, 0400) == -1 && errno == EACCES && shmget(key, 0, 0) == k1;
        int b = shmat(k1, NULL, 0) == (void *)-1 && errno == EACCES;
        int d = shmctl(k1, IPC_RMID, NULL) == -1 && errno == EPERM;
        _exit(a ? b ? d ? 0 : 3 : 2 : 1);
    }
    waitpid(c, &st, 0);
    if (WIFEXITED(st) && WEXITSTATUS(st)) printf("child status %d\n", WEXITSTATUS(st));
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "another user: shmget/shmat EACCES, IPC_RMID EPERM");
    CHECK(shmctl(k1, IPC_RMID, NULL) == 0, "IPC_RMID with nothing attached");
    CHECK(shmget(key, 4096, 0) == -1 && errno == ENOENT, "the key is gone: ENOENT");

    /* errors */
    CHECK(shmget(IPC_PRIVATE, 0, IPC_CREAT | 0600) == -1 && errno == EINVAL, "size 0: EINVAL");
    CHECK(shmat(id, NULL, 0) == (void *)-1 && errno == EINVAL, "shmat of a removed id: EINVAL");
    CHECK(shmctl(-1, IPC_STAT, &ds) == -1 && errno == EINVAL, "shmctl of id -1: EINVAL");
    int id2 = shmget(IPC_PRIVATE, 4096, 0600);
    CHECK(shmctl(id2, 12345, &ds) == -1 && errno == EINVAL, "an unknown command: EINVAL");
    CHECK(shmctl(id2, IPC_STAT, (void *)8) == -1 && errno == EFAULT, "IPC_STAT to a bad buffer: EFAULT");
    struct shminfo si;
    int maxidx = shmctl(0, IPC_INFO, (struct shmid_ds *)&si);
    CHECK(maxidx >= 0 && si.shmmni == (unsigned long)proc_long("/proc/sys/kernel/shmmni"),
          "IPC_INFO agrees with /proc/sys/kernel/shmmni");
    CHECK(si.shmmax == strtoul(slurp("/proc/sys/kernel/shmmax"), NULL, 10)
          && si.shmall == strtoul(slurp("/proc/sys/kernel/shmall"), NULL, 10), "and with shmmax, shmall");
    struct shm_info sinfo;
    CHECK(shmctl(0, SHM_INFO, (struct shmid_ds *)&sinfo) >= 0 && sinfo.used_ids >= 1, "SHM_INFO counts segments");
    shmctl(id2, IPC_RMID, NULL);

    printf(failures ? "FAILED %d\n" : "ALL PASSED\n", failures);
    return failures;
}
