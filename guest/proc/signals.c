/* Signal contracts: handlers with siginfo, masks and pending sets, SA_RESETHAND, SA_NODEFER,
 * sigsuspend, EINTR vs SA_RESTART, alternate stacks, fault delivery with si_addr. */
#include "check.h"
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile int got_sig, got_code, got_pid, depth, max_depth, calls;
static volatile void *got_addr;
static volatile uintptr_t handler_sp;
static sigjmp_buf jb;

static void on_usr1(int sig, siginfo_t *si, void *uc) {
    (void)uc;
    got_sig = sig;
    got_code = si->si_code;
    got_pid = si->si_pid;
    int local;
    handler_sp = (uintptr_t)&local;
}

static void nested(int sig) {
    depth++;
    calls++;
    if (depth > max_depth) max_depth = depth;
    if (calls < 3) raise(sig);
    depth--;
}

static void on_segv(int sig, siginfo_t *si, void *uc) {
    (void)sig; (void)uc;
    got_addr = si->si_addr;
    siglongjmp(jb, 1);
}

static void noop(int sig) { (void)sig; got_sig = sig; }

/* Polls /proc/PID/stat until the process sleeps (blocked in a system call). */
static void wait_until_sleeping(pid_t pid) {
    char path[64], buf[256];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    for (int tries = 0; tries < 100000; tries++) {
        FILE *f = fopen(path, "r");
        if (!f) return;
        size_t n = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
        buf[n] = 0;
        char *p = strrchr(buf, ')');
        if (p && p[1] == ' ' && p[2] == 'S') return;
        sched_yield();
    }
}

int main(int argc, char **argv) {
    check_init(argc, argv);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_usr1;
    sa.sa_flags = SA_SIGINFO;
    CHECK(sigaction(SIGUSR1, &sa, NULL) == 0, "sigaction SIGUSR1");
    kill(getpid(), SIGUSR1);
    CHECK(got_sig == SIGUSR1 && got_code == SI_USER && got_pid == getpid(), "handler gets siginfo from kill");

    /* blocked signals stay pending until unblocked */
    sigset_t set, old, pend;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, &old);
    got_sig = 0;
    kill(getpid(), SIGUSR1);
    sigpending(&pend);
    CHECK(got_sig == 0 && sigismember(&pend, SIGUSR1), "blocked signal is pending");
    sigprocmask(SIG_SETMASK, &old, NULL);
    CHECK(got_sig == SIGUSR1, "unblocking delivers it");
    CHECK(sigaction(SIGKILL, &sa, NULL) == -1 && errno == EINVAL, "SIGKILL cannot be caught");

    /* SA_RESETHAND: the second signal takes the default (here: ignored SIGWINCH-like default) */
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = noop;
    sa.sa_flags = SA_RESETHAND;
    sigaction(SIGURG, &sa, NULL);
    struct sigaction cur;
    got_sig = 0;
    raise(SIGURG);
    sigaction(SIGURG, NULL, &cur);
    CHECK(got_sig == SIGURG && cur.sa_handler == SIG_DFL, "SA_RESETHAND resets after one delivery");

    /* SA_NODEFER allows nesting; without it the signal is blocked during its handler */
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = nested;
    sa.sa_flags = SA_NODEFER;
    sigaction(SIGUSR2, &sa, NULL);
    depth = max_depth = calls = 0;
    raise(SIGUSR2);
    CHECK(max_depth == 3, "SA_NODEFER nests handlers");
    sa.sa_flags = 0;
    sigaction(SIGUSR2, &sa, NULL);
    depth = max_depth = calls = 0;
    raise(SIGUSR2);
    CHECK(max_depth == 1 && depth == 0 && calls == 3, "handler's own signal is deferred until it returns");

    /* sigsuspend returns -1/EINTR after a handler ran */
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = noop;
    sigaction(SIGUSR2, &sa, NULL);
    sigprocmask(SIG_BLOCK, &set, &old); /* block USR1 */
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    sigprocmask(SIG_BLOCK, &set, NULL);
    pid_t parent = getpid();
    pid_t c = fork();
    if (c == 0) { kill(parent, SIGUSR2); _exit(0); }
    sigset_t waitmask;
    sigemptyset(&waitmask);
    got_sig = 0;
    int r = sigsuspend(&waitmask);
    CHECK(r == -1 && errno == EINTR && got_sig == SIGUSR2, "sigsuspend wakes on a signal with EINTR");
    waitpid(c, NULL, 0);
    sigprocmask(SIG_SETMASK, &old, NULL);
    sigemptyset(&set);
    sigprocmask(SIG_SETMASK, &set, NULL);

    /* a blocking wait4 is interrupted (EINTR) without SA_RESTART and restarted with it */
    for (int restart = 0; restart < 2; restart++) {
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = noop;
        sa.sa_flags = restart ? SA_RESTART : 0;
        sigaction(SIGUSR2, &sa, NULL);
        int fds[2];
        pipe(fds);
        pid_t slow = fork();
        if (slow == 0) { char b; read(fds[0], &b, 1); _exit(4); }
        pid_t poker = fork();
        if (poker == 0) {
            wait_until_sleeping(parent);
            /* several signals, 10 ms apart: "sleeping" may be seen just before the parent enters
               wait4 (under qemu on a loaded host it was), and one of them must find it inside */
            for (int k = 0; k < 20; k++) {
                kill(parent, SIGUSR2);
                usleep(10000);
            }
            write(fds[1], "x", 1);
            _exit(0);
        }
        int st;
        errno = 0;
        r = waitpid(slow, &st, 0);
        if (restart) {
            CHECK(r == slow && WEXITSTATUS(st) == 4, "SA_RESTART restarts wait4");
        } else {
            CHECK(r == -1 && errno == EINTR, "wait4 interrupted gives EINTR");
            waitpid(slow, &st, 0);
        }
        waitpid(poker, NULL, 0);
        close(fds[0]);
        close(fds[1]);
    }

    /* alternate signal stack */
    stack_t ss;
    ss.ss_sp = malloc(65536);
    ss.ss_size = 65536;
    ss.ss_flags = 0;
    CHECK(sigaltstack(&ss, NULL) == 0, "sigaltstack installs");
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_usr1;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigaction(SIGUSR1, &sa, NULL);
    handler_sp = 0;
    raise(SIGUSR1);
    CHECK(handler_sp >= (uintptr_t)ss.ss_sp && handler_sp < (uintptr_t)ss.ss_sp + ss.ss_size,
          "SA_ONSTACK handler runs on the alternate stack");

    /* a fault reaches a handler with the faulting address */
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    if (sigsetjmp(jb, 1) == 0) {
        *(volatile int *)0x1234 = 5;
        CHECK(0, "store to unmapped address faults");
    } else {
        CHECK(got_addr == (void *)0x1234, "SIGSEGV handler sees si_addr");
    }

    /* kill(0, sig) reaches the whole process group; ESRCH for a missing pid */
    CHECK(kill(999999, 0) == -1 && errno == ESRCH, "kill of missing pid gives ESRCH");
    CHECK(kill(getpid(), 0) == 0, "kill with signal 0 checks existence");
    CHECK(kill(getpid(), 65) == -1 && errno == EINVAL, "kill with bad signal gives EINVAL");

    printf("%s\n", failures ? "SOME CHECKS FAILED" : "ALL PASSED");
    return failures ? 1 : 0;
}
