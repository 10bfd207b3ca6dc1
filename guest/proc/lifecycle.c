/* Process lifecycle contracts: identity, fork, wait4/waitid, statuses, copy-on-write,
 * execve in a child, vfork, re-parenting and SIGCHLD auto-reaping. */
#include "check.h"
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static int global_value = 1;

static void spin(long n) { for (volatile long i = 0; i < n; i++) { } }

int main(int argc, char **argv) {
    check_init(argc, argv);
    if (argc > 1 && strcmp(argv[1], "exec-child") == 0) {
        /* the image after execve: report our pid and exit with a code the parent checks */
        printf("exec-child pid=%d\n", getpid());
        return 33;
    }
    pid_t me = getpid();
    CHECK(me > 0, "getpid positive");
    CHECK(syscall(SYS_gettid) == me, "gettid equals pid for a single-threaded process");
    if (!reference) {
        CHECK(me == 1 && getppid() == 0, "first process is pid 1 with ppid 0");
        CHECK(getpgid(0) == 1 && getsid(0) == 1, "pid 1 leads group 1 and session 1");
    }

    /* fork: both run, the child gets 0, distinct pids, child's ppid is the parent */
    int fds[2];
    CHECK(pipe(fds) == 0, "pipe for fork report");
    pid_t c = fork();
    if (c == 0) {
        global_value = 2; /* copy-on-write: the parent must not see this */
        char msg[64];
        int n = snprintf(msg, sizeof msg, "%d %d", getpid(), getppid());
        write(fds[1], msg, n);
        _exit(42);
    }
    CHECK(c > 0, "fork returns child pid to parent");
    char buf[64] = {0};
    int n = read(fds[0], buf, sizeof buf - 1);
    int cpid = 0, cppid = 0;
    sscanf(buf, "%d %d", &cpid, &cppid);
    CHECK(n > 0 && cpid == c && cppid == me, "child sees own pid and parent's pid");
    CHECK(cpid != me, "child and parent pids differ");
    CHECK(getpgid(c) == getpgid(0) || errno == ESRCH, "child inherits process group");
    int st = 0;
    CHECK(waitpid(c, &st, 0) == c, "wait4 reaps the child");
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 42, "exact exit status 42");
    CHECK(global_value == 1, "child's write did not reach parent memory");
    CHECK(waitpid(c, &st, 0) == -1 && errno == ECHILD, "second wait gives ECHILD");
    CHECK(waitpid(-1, &st, WNOHANG) == -1 && errno == ECHILD, "WNOHANG with no children gives ECHILD");
    CHECK(waitpid(-1, &st, 0x1000) == -1 && errno == EINVAL, "unknown wait option gives EINVAL");

    /* WNOHANG while the child runs returns 0 */
    c = fork();
    if (c == 0) { spin(3000000); _exit(3); }
    CHECK(waitpid(c, &st, WNOHANG) == 0, "WNOHANG returns 0 while child runs");
    CHECK(waitpid(c, &st, 0) == c && WEXITSTATUS(st) == 3, "blocking wait then gets status 3");

    /* death by signal */
    c = fork();
    if (c == 0) { kill(getpid(), SIGTERM); spin(100000000); _exit(0); }
    CHECK(waitpid(c, &st, 0) == c && WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM, "child killed by SIGTERM");
    c = fork();
    if (c == 0) { struct rlimit rl = {0, 0}; setrlimit(RLIMIT_CORE, &rl); *(volatile int *)8 = 1; _exit(0); }
    CHECK(waitpid(c, &st, 0) == c && WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, "child killed by SIGSEGV");
    CHECK(!WCOREDUMP(st), "no core flag with RLIMIT_CORE 0");

    /* waitid with WNOWAIT leaves the zombie, then WEXITED reaps it */
    c = fork();
    if (c == 0) _exit(9);
    siginfo_t si;
    memset(&si, 0, sizeof si);
    CHECK(waitid(P_PID, c, &si, WEXITED | WNOWAIT) == 0 && si.si_pid == c && si.si_status == 9
          && si.si_code == CLD_EXITED, "waitid WNOWAIT sees exit 9");
    memset(&si, 0, sizeof si);
    CHECK(waitid(P_PID, c, &si, WEXITED) == 0 && si.si_pid == c, "waitid reaps after WNOWAIT");
    CHECK(waitid(P_ALL, 0, &si, 0) == -1 && errno == EINVAL, "waitid without event flags gives EINVAL");

    /* execve in a child leaves the parent intact */
    if (reference) {
        SKIP("execve in child", "qemu-user without binfmt cannot exec riscv binaries");
    } else {
        c = fork();
        if (c == 0) {
            char *args[] = {argv[0], "exec-child", NULL};
            execv(argv[0], args);
            _exit(99);
        }
        CHECK(waitpid(c, &st, 0) == c && WEXITSTATUS(st) == 33, "exec'd child exits 33");
        CHECK(global_value == 1 && getpid() == me, "parent untouched by child's exec");
        c = fork();
        if (c == 0) {
            char *args[] = {"/no/such/program", NULL};
            execv(args[0], args);
            _exit(errno == ENOENT ? 44 : 45);
        }
        CHECK(waitpid(c, &st, 0) == c && WEXITSTATUS(st) == 44, "failing execve returns ENOENT to the caller");
    }

    /* vfork: the parent waits until the child exits; the child shares memory */
    volatile int shared_flag = 0;
    c = vfork();
    if (c == 0) { shared_flag = 7; _exit(5); }
    if (reference) {
        SKIP("vfork shares memory", "qemu-user implements vfork as fork");
    } else {
        CHECK(shared_flag == 7, "vfork child ran first in shared memory");
    }
    CHECK(waitpid(c, &st, 0) == c && WEXITSTATUS(st) == 5, "vfork child status 5");

    /* orphans are re-parented */
    int go[2], rep[2];
    CHECK(pipe(go) == 0 && pipe(rep) == 0, "pipes for orphan report");
    c = fork();
    if (c == 0) {
        pid_t gc = fork();
        if (gc == 0) {
            char b;
            read(go[0], &b, 1); /* wait until the middle process is gone */
            int pp = getppid();
            write(rep[1], &pp, sizeof pp);
            _exit(0);
        }
        _exit(0);
    }
    waitpid(c, &st, 0);
    write(go[1], "x", 1);
    int newparent = -1;
    read(rep[0], &newparent, sizeof newparent);
    if (reference) {
        CHECK(newparent != c, "orphan re-parented away from dead parent");
    } else {
        CHECK(newparent == 1, "orphan re-parented to init");
    }

    /* SIGCHLD ignored: children are reaped automatically */
    signal(SIGCHLD, SIG_IGN);
    c = fork();
    if (c == 0) _exit(1);
    errno = 0;
    CHECK(waitpid(c, &st, 0) == -1 && errno == ECHILD, "SIG_IGN SIGCHLD auto-reaps");
    signal(SIGCHLD, SIG_DFL);

    printf("%s\n", failures ? "SOME CHECKS FAILED" : "ALL PASSED");
    return failures ? 1 : 0;
}
