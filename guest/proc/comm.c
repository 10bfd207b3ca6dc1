/* comm as Linux keeps it: the base name of the path given to execve (a #! script's own name, a
 * symlink's name, truncated to 15 bytes), prctl(PR_SET_NAME) for the calling thread only, new
 * threads inheriting their creator's, and /proc/PID/comm, /proc/PID/stat, /proc/PID/status and
 * /proc/PID/task/TID/comm showing it. Portable: the same source runs natively on the host's Linux. */
#define _GNU_SOURCE
#include "check.h"
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void read_line(const char *path, char *buf, size_t n) {
    buf[0] = 0;
    FILE *f = fopen(path, "r");
    if (!f) return;
    if (fgets(buf, (int) n, f)) buf[strcspn(buf, "\n")] = 0;
    fclose(f);
}

static void stat_comm(const char *path, char *buf, size_t n) {
    char line[512];
    read_line(path, line, sizeof line);
    char *l = strchr(line, '('), *r = strrchr(line, ')');
    buf[0] = 0;
    if (l && r && r > l && (size_t) (r - l) <= n) {
        memcpy(buf, l + 1, r - l - 1);
        buf[r - l - 1] = 0;
    }
}

static void status_name(const char *path, char *buf, size_t n) {
    char line[256];
    buf[0] = 0;
    FILE *f = fopen(path, "r");
    if (!f) return;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "Name:\t", 6) == 0) {
            line[strcspn(line, "\n")] = 0;
            size_t len = strlen(line + 6);
            if (len >= n) len = n - 1;
            memcpy(buf, line + 6, len);
            buf[len] = 0;
            break;
        }
    }
    fclose(f);
}

/* all views of the process's comm agree with want */
static int process_comm_is(const char *want) {
    char a[64], b[64], c[64], d[17] = {0};
    read_line("/proc/self/comm", a, sizeof a);
    stat_comm("/proc/self/stat", b, sizeof b);
    status_name("/proc/self/status", c, sizeof c);
    prctl(PR_GET_NAME, d);
    int ok = !strcmp(a, want) && !strcmp(b, want) && !strcmp(c, want) && !strcmp(d, want);
    if (!ok) printf("  comm %s, stat %s, status %s, PR_GET_NAME %s; want %s\n", a, b, c, d, want);
    return ok;
}

static char thread_name[64], thread_inherited[64];
static pid_t thread_tid;
static pthread_barrier_t barrier;

static void *grandchild(void *arg) {
    (void) arg;
    prctl(PR_GET_NAME, thread_inherited);
    return NULL;
}

static void *worker(void *arg) {
    (void) arg;
    thread_tid = (pid_t) syscall(SYS_gettid);
    prctl(PR_SET_NAME, "worker");
    prctl(PR_GET_NAME, thread_name);
    pthread_t g;
    pthread_create(&g, NULL, grandchild, NULL);
    pthread_join(g, NULL);
    pthread_barrier_wait(&barrier); /* main looks at /proc while this thread lives */
    pthread_barrier_wait(&barrier);
    return NULL;
}

/* run as a #! interpreter or through a symlink: exit 0 if comm and AT_EXECFN are as expected */
static int child_check(const char *want_comm, const char *want_execfn) {
    char a[64];
    read_line("/proc/self/comm", a, sizeof a);
    const char *execfn = (const char *) getauxval(AT_EXECFN);
    if (strcmp(a, want_comm) != 0) {
        printf("  child comm %s, want %s\n", a, want_comm);
        return 1;
    }
    if (!execfn || strcmp(execfn, want_execfn) != 0) {
        printf("  child AT_EXECFN %s, want %s\n", execfn ? execfn : "(none)", want_execfn);
        return 2;
    }
    return 0;
}

static int run(char *const argv[]) {
    pid_t p = fork();
    if (p == 0) {
        execv(argv[0], argv);
        _exit(127);
    }
    int st;
    waitpid(p, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int main(int argc, char **argv) {
    /* argv: self "child" [the script's path, for #!] COMM EXECFN */
    if (argc >= 4 && strcmp(argv[1], "child") == 0) {
        return child_check(argv[argc - 2], argv[argc - 1]);
    }
    check_init(argc, argv);
    setvbuf(stdout, NULL, _IOLBF, 0);
    char self[PATH_MAX];
    if (!realpath(argv[0], self)) {
        CHECK(0, "realpath of argv[0]");
        return 1;
    }
    const char *base = strrchr(self, '/') + 1;
    CHECK(process_comm_is(base), "comm after exec is the program's base name");

    CHECK(prctl(PR_SET_NAME, "a-name-longer-than-fifteen") == 0, "PR_SET_NAME");
    CHECK(process_comm_is("a-name-longer-t"), "PR_SET_NAME truncates to 15 bytes; all views agree");
    prctl(PR_SET_NAME, "main");

    /* threads: PR_SET_NAME names the calling thread; a new thread starts with its creator's name */
    pthread_barrier_init(&barrier, NULL, 2);
    pthread_t w;
    pthread_create(&w, NULL, worker, NULL);
    pthread_barrier_wait(&barrier);
    char path[128], tc[64];
    snprintf(path, sizeof path, "/proc/self/task/%d/comm", thread_tid);
    read_line(path, tc, sizeof tc);
    CHECK(!strcmp(thread_name, "worker") && !strcmp(tc, "worker"), "the thread's own name in task/TID/comm");
    snprintf(path, sizeof path, "/proc/self/task/%d/stat", thread_tid);
    stat_comm(path, tc, sizeof tc);
    CHECK(!strcmp(tc, "worker"), "and in task/TID/stat");
    CHECK(!strcmp(thread_inherited, "worker"), "a thread's new thread inherits its name");
    CHECK(process_comm_is("main"), "the process keeps the main thread's name");
    pthread_barrier_wait(&barrier);
    pthread_join(w, NULL);

    /* status escapes a newline and a backslash in the name; stat and comm show it raw */
    prctl(PR_SET_NAME, "x\\y");
    char st[64];
    status_name("/proc/self/status", st, sizeof st);
    CHECK(!strcmp(st, "x\\\\y"), "status escapes a backslash");
    prctl(PR_SET_NAME, "main");

    if (reference) {
        SKIP("#! scripts and symlinks", "qemu-user without binfmt cannot exec riscv binaries");
    } else {
        char dir[] = "/tmp/commXXXXXX";
        CHECK(mkdtemp(dir) != NULL, "temporary directory");
        char script[256], link[256];
        snprintf(script, sizeof script, "%s/my-script-with-a-long-name.sh", dir);
        FILE *f = fopen(script, "w");
        fprintf(f, "#!%s child\n", self);
        fclose(f);
        chmod(script, 0755);
        /* the #! line allows one argument: the expected values come through the script's own argv */
        char *sargv[] = {script, "my-script-with-", script, NULL};
        int r = run(sargv);
        CHECK(r == 0, "a #! script's comm is the script's name (15 bytes), AT_EXECFN the script's path");
        snprintf(link, sizeof link, "%s/linked-name", dir);
        symlink(self, link);
        char *largv[] = {link, "child", "linked-name", link, NULL};
        CHECK(run(largv) == 0, "through a symlink: the link's name");
        unlink(link);
        unlink(script);
        rmdir(dir);
    }
    if (failures == 0) {
        printf("ALL PASSED\n");
    }
    return failures;
}
