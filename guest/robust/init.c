/* Run as pid 1: init cannot be killed from inside (a pid namespace's init drops signals it
 * has no handler for, SIGKILL included), may not make siblings (clone(CLONE_PARENT) is EINVAL),
 * and still gets signals it handles. With the argument "fault", init faults and must die of it. */
#include "../io/check.h"
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static volatile int got;

static void on_signal(int sig) { got = sig; }

static int child_sends(int sig) {
    pid_t c = fork();
    if (c == 0) {
        _exit(kill(1, sig) == 0 ? 0 : 1);
    }
    int st = -1;
    waitpid(c, &st, 0);
    return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

int main(int argc, char **argv) {
    start_tests();
    if (argc > 1 && strcmp(argv[1], "fault") == 0) {
        printf("faulting\n");
        volatile int *volatile bad = (int *)8;
        *bad = 1; /* a fault in init itself is fatal, as on Linux */
        return 0;
    }
    CHECK("running as pid 1", getpid() == 1, "pid %d", getpid());
    int sigs[] = {SIGTERM, SIGKILL, SIGSTOP, SIGSEGV, SIGINT, SIGUSR1, SIGALRM, SIGILL};
    for (unsigned i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        char name[64];
        snprintf(name, sizeof name, "kill(1, %d) from a child succeeds and is dropped", sigs[i]);
        CHECK(name, child_sends(sigs[i]), "kill failed");
    }
    CHECK("init alive after the signals", 1, "x");

    /* a sibling made by a child, whose exit signal (SIGILL) goes to init */
    pid_t c = fork();
    if (c == 0) {
        long r = syscall(SYS_clone, CLONE_PARENT | SIGILL, 0, 0, 0, 0);
        if (r == 0) {
            _exit(3);
        }
        _exit(r > 0 ? 0 : 1);
    }
    int st = -1;
    waitpid(c, &st, 0);
    CHECK("child's clone(CLONE_PARENT|SIGILL) works", WIFEXITED(st) && WEXITSTATUS(st) == 0, "st %x", st);
    pid_t sib = waitpid(-1, &st, __WALL);
    CHECK("init reaps the sibling, whose SIGILL it dropped", sib > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 3,
          "sib %d st %x", sib, st);

    errno = 0;
    long r = syscall(SYS_clone, CLONE_PARENT | SIGCHLD, 0, 0, 0, 0);
    if (r == 0) {
        _exit(0);
    }
    CHECK("clone(CLONE_PARENT) from init is EINVAL", r == -1 && errno == EINVAL, "r %ld", r);

    signal(SIGUSR1, on_signal);
    CHECK("a handled signal still reaches init", child_sends(SIGUSR1) && got == SIGUSR1, "got %d", got);

    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigprocmask(SIG_BLOCK, &set, NULL);
    child_sends(SIGTERM);
    sigset_t pend;
    sigpending(&pend);
    CHECK("a blocked SIGTERM is queued for init", sigismember(&pend, SIGTERM), "x");
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    CHECK("unblocked with the default action, it is dropped", 1, "x");

    got = 0;
    sigaddset(&set, SIGUSR2);
    sigprocmask(SIG_BLOCK, &set, NULL);
    child_sends(SIGUSR2);
    signal(SIGUSR2, on_signal);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    CHECK("blocked, then handled: the handler runs", got == SIGUSR2, "got %d", got);

    CHECK("init's own raise(SIGTERM) is dropped too", raise(SIGTERM) == 0, "x");
    return finish_tests();
}
