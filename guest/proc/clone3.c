/* clone3 called directly, as glibc 2.41's posix_spawn, system() and popen() call it:
 * CLONE_VM|CLONE_VFORK on a separate stack (and on the parent's), the parent resuming exactly
 * once with the child's pid after the child exits or execs; CLONE_CLEAR_SIGHAND; the exit
 * signal; argument checks; CLONE_PIDFD either refused with EINVAL (no child made) or working.
 *
 * Portable to x86_64 so the same checks run natively against the host's Linux. qemu-user 7.2
 * has no clone3 (ENOSYS): under --reference those checks say SKIP. */
#define _GNU_SOURCE
#include "check.h"
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SYS_clone3
#define SYS_clone3 435
#endif
#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x1000
#endif
#define CLEAR_SIGHAND 0x100000000ULL

struct clone_args_v2 {
    uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, set_tid,
            set_tid_size, cgroup;
};

/* The child starts on whatever stack clone3 gave it, so it must not return into C code that
 * expects the parent's frame: the helper calls fn(arg) in the child and exits with its result. */
static long clone3_asm(struct clone_args_v2 *ca, size_t size, int (*fn)(void *), void *arg) {
#if defined(__riscv)
    register long a0 asm("a0") = (long) ca;
    register long a1 asm("a1") = (long) size;
    register long a2 asm("a2") = (long) fn;
    register long a3 asm("a3") = (long) arg;
    register long a7 asm("a7") = SYS_clone3;
    asm volatile("ecall\n"
                 "bnez a0, 1f\n"
                 "andi sp, sp, -16\n"
                 "mv a0, a3\n"
                 "jalr a2\n"
                 "li a7, 93\n" /* exit */
                 "ecall\n"
                 "1:\n"
                 : "+r"(a0)
                 : "r"(a1), "r"(a2), "r"(a3), "r"(a7)
                 : "memory");
    return a0;
#elif defined(__x86_64__)
    long ret;
    register long r12 asm("r12") = (long) fn;
    register long r13 asm("r13") = (long) arg;
    asm volatile("syscall\n"
                 "test %%rax, %%rax\n"
                 "jnz 1f\n"
                 "sub $256, %%rsp\n" /* clear of the parent's red zone when the stack is shared */
                 "and $-16, %%rsp\n"
                 "mov %%r13, %%rdi\n"
                 "call *%%r12\n"
                 "mov %%eax, %%edi\n"
                 "mov $60, %%eax\n" /* exit */
                 "syscall\n"
                 "1:\n"
                 : "=a"(ret)
                 : "0"((long) SYS_clone3), "D"(ca), "S"(size), "r"(r12), "r"(r13)
                 : "rcx", "r11", "memory");
    return ret;
#else
#error "clone3 test: unsupported architecture"
#endif
}

/* clone3_asm with the libc convention: -1 and errno on failure */
static long clone3_run(struct clone_args_v2 *ca, size_t size, int (*fn)(void *), void *arg) {
    long r = clone3_asm(ca, size, fn, arg);
    if (r < 0 && r > -4096) {
        errno = (int) -r;
        return -1;
    }
    return r;
}

static long clone3_raw(struct clone_args_v2 *ca, size_t size) {
    return syscall(SYS_clone3, ca, size);
}

static volatile int shared_value;
static volatile uintptr_t child_sp;

static int vfork_child(void *arg) {
    int local;
    child_sp = (uintptr_t) &local;
    /* the parent is still blocked in clone3: it must see this store once it resumes */
    shared_value = (int) (intptr_t) arg;
    return (int) (intptr_t) arg;
}

static char *self;

static int exec_child(void *arg) {
    char *args[] = {self, "exec-child", NULL};
    shared_value = 1;
    syscall(SYS_execve, self, args, environ);
    return 99; /* execve failed */
}

static int no_more_children(void) {
    errno = 0;
    return waitpid(-1, NULL, WNOHANG | __WALL) == -1 && errno == ECHILD;
}

static volatile int usr1_count;
static void on_usr1(int s) {
    (void) s;
    usr1_count++;
}

static int sighand_child(void *arg) {
    (void) arg;
    struct sigaction a;
    int bad = 0;
    sigaction(SIGUSR1, NULL, &a);
    if (a.sa_handler != SIG_DFL) bad |= 1; /* a caught signal is reset */
    sigaction(SIGUSR2, NULL, &a);
    if (a.sa_handler != SIG_IGN) bad |= 2; /* an ignored one stays ignored */
    return 40 + bad;
}

static int exit_code_child(void *arg) {
    return (int) (intptr_t) arg;
}

int main(int argc, char **argv) {
    check_init(argc, argv);
    self = argv[0];
    if (argc > 1 && strcmp(argv[1], "exec-child") == 0) {
        return 5;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);

    struct clone_args_v2 ca;
    memset(&ca, 0, sizeof ca);
    ca.exit_signal = SIGCHLD;
    errno = 0;
    long probe = clone3_raw(&ca, 0); /* size 0 is below the first version: EINVAL where clone3 exists */
    if (probe == -1 && errno == ENOSYS) {
        if (!reference) {
            CHECK(0, "clone3 exists");
            return 1;
        }
        SKIP("clone3", "this qemu-user has no clone3 (ENOSYS)");
        printf("ALL PASSED\n");
        return 0;
    }
    CHECK(probe == -1 && errno == EINVAL, "size 0 gives EINVAL");

    size_t stack_size = 64 * 1024;
    char *stack = malloc(stack_size);
    int st;

    /* vfork on a separate stack, as posix_spawn does */
    for (int i = 0; i < 20; i++) {
        memset(&ca, 0, sizeof ca);
        ca.flags = CLONE_VM | CLONE_VFORK;
        ca.exit_signal = SIGCHLD;
        ca.stack = (uintptr_t) stack;
        ca.stack_size = stack_size;
        shared_value = 0;
        child_sp = 0;
        long pid = clone3_run(&ca, 64, vfork_child, (void *) (intptr_t) (7 + i));
        if (i == 0) {
            CHECK(pid > 0, "vfork on a separate stack returns the child's pid");
            CHECK(shared_value == 7, "the parent resumes after the child ran (shared memory)");
            CHECK(child_sp > (uintptr_t) stack && child_sp < (uintptr_t) stack + stack_size,
                  "the child ran on the given stack");
            CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 7,
                  "the vfork child's exit status");
            CHECK(no_more_children(), "exactly one child was made");
        } else if (pid <= 0 || waitpid(pid, &st, 0) != pid || WEXITSTATUS(st) != 7 + i || !no_more_children()) {
            CHECK(0, "repeated vfork makes one child each time");
            break;
        }
    }
    printf("PASS 20 vforks in a row\n");

    /* vfork sharing the parent's stack (stack 0), the size of the first clone_args version */
    memset(&ca, 0, sizeof ca);
    ca.flags = CLONE_VM | CLONE_VFORK;
    ca.exit_signal = SIGCHLD;
    shared_value = 0;
    long pid = clone3_run(&ca, 64, vfork_child, (void *) 9);
    CHECK(pid > 0 && shared_value == 9, "vfork on the parent's stack");
    CHECK(waitpid(pid, &st, 0) == pid && WEXITSTATUS(st) == 9 && no_more_children(), "one child, status 9");

    /* vfork then execve: the parent wakes at the exec */
    if (reference) {
        SKIP("vfork+execve", "qemu-user without binfmt cannot exec riscv binaries");
    } else {
        memset(&ca, 0, sizeof ca);
        ca.flags = CLONE_VM | CLONE_VFORK;
        ca.exit_signal = SIGCHLD;
        ca.stack = (uintptr_t) stack;
        ca.stack_size = stack_size;
        shared_value = 0;
        pid = clone3_run(&ca, 88, exec_child, NULL);
        CHECK(pid > 0 && shared_value == 1, "vfork+execve returns once the child has exec'd");
        CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 5, "the exec'd image exits 5");
        CHECK(no_more_children(), "exactly one child was made");
    }

    /* CLONE_CLEAR_SIGHAND resets caught signals, keeps ignored ones */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sigaction(SIGUSR1, &sa, NULL);
    signal(SIGUSR2, SIG_IGN);
    memset(&ca, 0, sizeof ca);
    ca.flags = CLEAR_SIGHAND;
    ca.exit_signal = SIGCHLD;
    pid = clone3_run(&ca, 64, sighand_child, NULL);
    CHECK(pid > 0 && waitpid(pid, &st, 0) == pid && WEXITSTATUS(st) == 40,
          "CLONE_CLEAR_SIGHAND: handler reset to SIG_DFL, SIG_IGN kept");
    sigaction(SIGUSR1, NULL, &sa);
    CHECK(sa.sa_handler == on_usr1, "the parent's handler stays");
    memset(&ca, 0, sizeof ca);
    ca.flags = CLEAR_SIGHAND | CLONE_SIGHAND | CLONE_VM;
    ca.exit_signal = SIGCHLD;
    errno = 0;
    CHECK(clone3_raw(&ca, 64) == -1 && errno == EINVAL, "CLONE_CLEAR_SIGHAND with CLONE_SIGHAND gives EINVAL");

    /* the exit signal: SIGUSR1 instead of SIGCHLD, then none at all */
    memset(&ca, 0, sizeof ca);
    ca.exit_signal = SIGUSR1;
    usr1_count = 0;
    pid = clone3_run(&ca, 64, exit_code_child, (void *) 3);
    CHECK(pid > 0, "clone3 with exit signal SIGUSR1");
    /* a child whose exit signal is not SIGCHLD is a "clone" child: only __WCLONE or __WALL see it */
    while (usr1_count == 0) {
        pause();
    }
    errno = 0;
    CHECK(waitpid(pid, &st, WNOHANG) == -1 && errno == ECHILD, "plain waitpid does not see a clone child");
    CHECK(waitpid(pid, &st, __WCLONE) == pid && WEXITSTATUS(st) == 3, "__WCLONE reaps it");
    CHECK(usr1_count == 1, "SIGUSR1 arrived once");
    memset(&ca, 0, sizeof ca);
    ca.exit_signal = 0;
    pid = clone3_run(&ca, 64, exit_code_child, (void *) 4);
    CHECK(pid > 0 && waitpid(pid, &st, __WALL) == pid && WEXITSTATUS(st) == 4 && usr1_count == 1,
          "exit signal 0: reaped with __WALL, no signal");

    /* argument checks */
    memset(&ca, 0, sizeof ca);
    ca.exit_signal = 65;
    errno = 0;
    CHECK(clone3_raw(&ca, 64) == -1 && errno == EINVAL, "exit signal 65 gives EINVAL");
    memset(&ca, 0, sizeof ca);
    ca.flags = SIGCHLD; /* the low byte belongs to exit_signal in clone3 */
    errno = 0;
    CHECK(clone3_raw(&ca, 64) == -1 && errno == EINVAL, "a signal in the flags' low byte gives EINVAL");
    memset(&ca, 0, sizeof ca);
    ca.exit_signal = SIGCHLD;
    ca.stack = (uintptr_t) stack;
    errno = 0;
    CHECK(clone3_raw(&ca, 64) == -1 && errno == EINVAL, "a stack without a size gives EINVAL");
    {
        uint64_t big[16];
        memset(big, 0, sizeof big);
        memcpy(big, &ca, sizeof ca);
        big[4] = SIGCHLD;
        big[5] = big[6] = 0;
        big[12] = 1; /* a non-zero field beyond what the kernel knows */
        errno = 0;
        CHECK(clone3_raw((struct clone_args_v2 *) big, sizeof big) == -1 && errno == E2BIG,
              "unknown non-zero trailing fields give E2BIG");
    }
    CHECK(no_more_children(), "no child made by the failed calls");

    /* CLONE_PIDFD: friscy refuses it with EINVAL and makes no child; where it works the fd is real */
    {
        int pidfd = -1;
        memset(&ca, 0, sizeof ca);
        ca.flags = CLONE_PIDFD;
        ca.pidfd = (uintptr_t) &pidfd;
        ca.exit_signal = SIGCHLD;
        errno = 0;
        pid = clone3_run(&ca, 64, exit_code_child, (void *) 6);
        if (pid == -1) {
            CHECK(errno == EINVAL && no_more_children(), "CLONE_PIDFD refused with EINVAL, no child made");
        } else {
            CHECK(pid > 0 && pidfd >= 0, "CLONE_PIDFD gives a pidfd");
            CHECK(waitpid(pid, &st, 0) == pid && WEXITSTATUS(st) == 6, "the pidfd child's status");
            close(pidfd);
        }
    }

    free(stack);
    if (failures == 0) {
        printf("ALL PASSED\n");
    }
    return failures;
}
