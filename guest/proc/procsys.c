/* The /proc files programs read and tune: /proc/sys/{fs,kernel,vm} values (read everywhere;
 * written only on friscy, never on the host), /proc/self/pagemap, VmSwap, /proc/self/ns. */
#define _GNU_SOURCE
#include "check.h"
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char *slurp(const char *path) {
    static char buf[8192];
    int fd = open(path, O_RDONLY);
    buf[0] = 0;
    if (fd < 0) return buf;
    int n = read(fd, buf, sizeof buf - 1);
    buf[n < 0 ? 0 : n] = 0;
    close(fd);
    return buf;
}

static long num(const char *path) {
    char *s = slurp(path), *e;
    long v = strtol(s, &e, 10);
    return e != s && *e == '\n' ? v : -999;
}

/* writes text to a sysctl; 0 or the errno */
static int put(const char *path, const char *text) {
    int fd = open(path, O_WRONLY);
    if (fd < 0) return errno;
    int r = write(fd, text, strlen(text));
    int e = r < 0 ? errno : 0;
    close(fd);
    return e;
}

/* in a child as another user: returns what f returned */
static int as_nobody(int (*f)(void)) {
    pid_t c = fork();
    if (c == 0) {
        if (setuid(65534) != 0) _exit(99);
        _exit(f());
    }
    int st;
    waitpid(c, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 100;
}

static int nobody_pipe_big(void) {
    int p[2];
    pipe(p);
    int a = fcntl(p[0], F_SETPIPE_SZ, 131072) == -1 && errno == EPERM;
    int b = fcntl(p[0], F_SETPIPE_SZ, 65536) == 65536;
    return a && b ? 0 : 1;
}

static int nobody_writes(void) {
    return open("/proc/sys/kernel/pid_max", O_WRONLY) == -1 && errno == EACCES ? 0 : 1;
}

int main(int argc, char **argv) {
    check_init(argc, argv);
    long pms = num("/proc/sys/fs/pipe-max-size");
    CHECK(pms >= 4096 && (pms & (pms - 1)) == 0, "fs/pipe-max-size is a power of two");
    CHECK(num("/proc/sys/fs/pipe-user-pages-soft") >= 0, "fs/pipe-user-pages-soft reads");
    long pm = num("/proc/sys/kernel/pid_max");
    CHECK(pm >= 301 && pm <= 4194304, "kernel/pid_max is in Linux's range");
    CHECK(num("/proc/sys/kernel/tainted") >= 0, "kernel/tainted reads");
    char *cp = slurp("/proc/sys/kernel/core_pattern");
    CHECK(cp[0] && cp[strlen(cp) - 1] == '\n', "kernel/core_pattern reads one line");
    CHECK(num("/proc/sys/vm/max_map_count") > 0, "vm/max_map_count reads");
    CHECK(strstr(slurp("/proc/self/status"), "\nVmSwap:\t") != NULL, "/proc/self/status has VmSwap");

    /* namespaces: one of each, the link names it, following it reaches its nsfs file */
    char l1[64] = "", l2[64] = "";
    readlink("/proc/self/ns/pid", l1, sizeof l1 - 1);
    readlink("/proc/self/ns/pid_for_children", l2, sizeof l2 - 1);
    unsigned long inum = 0;
    CHECK(sscanf(l1, "pid:[%lu]", &inum) == 1 && strcmp(l1, l2) == 0, "ns/pid reads pid:[N], as pid_for_children");
    struct stat st;
    CHECK(stat("/proc/self/ns/pid", &st) == 0 && st.st_ino == inum && S_ISREG(st.st_mode), "stat follows it to inode N");
    char l3[64] = "";
    readlink("/proc/self/ns/mnt", l3, sizeof l3 - 1);
    CHECK(strncmp(l3, "mnt:[", 5) == 0, "ns/mnt");
    int pp[2];
    pipe(pp);
    pid_t c = fork();
    if (c == 0) {
        char l[64] = "";
        readlink("/proc/self/ns/pid", l, sizeof l - 1);
        write(pp[1], l, sizeof l);
        _exit(0);
    }
    char lc[64] = "";
    read(pp[0], lc, sizeof lc);
    waitpid(c, NULL, 0);
    CHECK(strcmp(lc, l1) == 0, "a child is in the same pid namespace");

    if (reference) {
        SKIP("pagemap", "qemu-user passes the host's pagemap through, for host addresses");
        SKIP("writing /proc/sys", "never on the host");
        printf(failures ? "FAILED %d\n" : "ALL PASSED\n", failures);
        return failures;
    }

    /* pagemap: present bit for a touched page, none for an untouched one */
    char *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    m[0] = 1;
    int fd = open("/proc/self/pagemap", O_RDONLY);
    uint64_t e[2] = {0, 0};
    CHECK(fd >= 0 && pread(fd, e, 16, ((uintptr_t)m / 4096) * 8) == 16, "pagemap reads two entries");
    CHECK((e[0] >> 63) == 1 && (e[1] >> 63) == 0, "touched page present, untouched not");
    CHECK(pread(fd, e, 8, 4) == -1 && errno == EINVAL, "an unaligned offset: EINVAL");
    close(fd);

    /* pipe-max-size limits the unprivileged, not root */
    CHECK(put("/proc/sys/fs/pipe-max-size", "65536\n") == 0 && num("/proc/sys/fs/pipe-max-size") == 65536,
          "root writes fs/pipe-max-size");
    CHECK(as_nobody(nobody_pipe_big) == 0, "a user's F_SETPIPE_SZ past it: EPERM; up to it: fine");
    int p[2];
    pipe(p);
    CHECK(fcntl(p[0], F_SETPIPE_SZ, 262144) == 262144, "root may pass it");
    CHECK(put("/proc/sys/fs/pipe-max-size", "100") == 0 && num("/proc/sys/fs/pipe-max-size") == 4096,
          "pipe-max-size rounds up to a page");
    CHECK(put("/proc/sys/fs/pipe-max-size", "abc") == EINVAL, "garbage: EINVAL");
    put("/proc/sys/fs/pipe-max-size", "1048576");
    CHECK(as_nobody(nobody_writes) == 0, "a user may not open a sysctl for writing: EACCES");

    /* pid_max bounds new pids */
    CHECK(put("/proc/sys/kernel/pid_max", "300") == EINVAL && put("/proc/sys/kernel/pid_max", "4194305") == EINVAL,
          "pid_max outside 301..4194304: EINVAL");
    CHECK(put("/proc/sys/kernel/pid_max", "1000") == 0 && num("/proc/sys/kernel/pid_max") == 1000, "pid_max 1000");
    int below = 1;
    for (int i = 0; i < 30; i++) {
        pid_t k = fork();
        if (k == 0) _exit(0);
        if (k <= 0 || k >= 1000) below = 0;
        waitpid(k, NULL, 0);
    }
    CHECK(below, "new pids stay below it");
    put("/proc/sys/kernel/pid_max", "4194304");

    CHECK(put("/proc/sys/kernel/tainted", "1") == 0 && num("/proc/sys/kernel/tainted") == 1, "kernel/tainted takes bits");
    CHECK(put("/proc/sys/kernel/tainted", "0") == 0 && num("/proc/sys/kernel/tainted") == 1, "and never drops them");
    CHECK(put("/proc/sys/kernel/core_pattern", "core.%p\n") == 0 && strcmp(slurp("/proc/sys/kernel/core_pattern"), "core.%p\n") == 0,
          "kernel/core_pattern");

    /* max_map_count bounds mmap */
    CHECK(put("/proc/sys/vm/max_map_count", "200") == 0, "vm/max_map_count 200");
    int maps = 0;
    void *ms[300];
    for (int i = 0; i < 300; i++) {
        ms[i] = mmap(NULL, 4096, i % 2 ? PROT_READ : PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (ms[i] == MAP_FAILED) break;
        maps++;
    }
    CHECK(maps < 200 && errno == ENOMEM, "mmap fails with ENOMEM at the limit");
    for (int i = 0; i < maps; i++) munmap(ms[i], 4096);
    put("/proc/sys/vm/max_map_count", "65530");

    CHECK(put("/proc/sys/kernel/shmmni", "1") == 0, "kernel/shmmni 1");
    int s1 = shmget(IPC_PRIVATE, 4096, 0600), s2 = shmget(IPC_PRIVATE, 4096, 0600);
    CHECK(s1 >= 0 && s2 == -1 && errno == ENOSPC, "a second segment: ENOSPC");
    shmctl(s1, IPC_RMID, NULL);
    put("/proc/sys/kernel/shmmni", "4096");
    CHECK(put("/proc/sys/kernel/sem", "250 32000 32 128") == 0 && strcmp(slurp("/proc/sys/kernel/sem"), "250\t32000\t32\t128\n") == 0,
          "kernel/sem takes four numbers");
    CHECK(put("/proc/sys/kernel/sem", "1 2 3") == EINVAL, "three: EINVAL");

    printf(failures ? "FAILED %d\n" : "ALL PASSED\n", failures);
    return failures;
}
