/* Seeded system-call fuzzer: forks children that each make random system calls with random
 * numbers and arguments (small values, -1, edges near 2^63 and 2^64, pointers into a scratch
 * buffer, unmapped and kernel-half addresses). A child may die any way a program can; the
 * kernel must not: the harness fails on any contained Java exception ("internal error") and on
 * a hang. Children that block are killed after a timeout. Usage: sysfuzz [seed [children [calls]]]
 * Run it as init: kill(-1, ...) from a child then spares the driver, as Linux spares init. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static unsigned long long rng;

static unsigned long long next(void) {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static char scratch[65536] __attribute__((aligned(4096)));

static long arg(void) {
    switch (next() % 12) {
    case 0: return 0;
    case 1: return (long)(next() % 16);
    case 2: return -1;
    case 3: return (long)(next() % 4096);
    case 4: return (long)(scratch + next() % sizeof scratch);
    case 5: return (long)scratch;
    case 6: return (long)(1UL << 63) + (long)(next() % 8192) - 4096;
    case 7: return -(long)(next() % 8192);
    case 8: return (long)(next() % (1UL << 47));
    case 9: return 0x7fffffffffffffffL - (long)(next() % 4096);
    case 10: return (long)(1UL << (next() % 64));
    default: return (long)next();
    }
}

/* Calls that would make the run meaningless rather than test the kernel: new processes (a
 * fork bomb is its own test), and process-wide waits the harness relies on. */
static int excluded(long nr) {
    switch (nr) {
    case SYS_clone:
    case SYS_clone3:
    case SYS_wait4:
    case SYS_waitid:
    case SYS_reboot:
        return 1;
    default:
        return 0;
    }
}

static int is_signal_sender(long nr) {
    return nr == SYS_kill || nr == SYS_tkill || nr == SYS_tgkill || nr == SYS_rt_sigqueueinfo
        || nr == SYS_rt_tgsigqueueinfo || nr == SYS_pidfd_send_signal;
}

static void child(unsigned long long seed, int calls) {
    rng = seed * 0x9E3779B97F4A7C15ULL + 1;
    if (rng == 0) rng = 1;
    memset(scratch, 0, sizeof scratch);
    for (int i = 0; i < calls; i++) {
        long nr = (long)(next() % 460);
        if (excluded(nr)) continue;
        long a[6];
        for (int k = 0; k < 6; k++) a[k] = arg();
        if (is_signal_sender(nr)) {
            a[0] = getpid();
            if (nr == SYS_tgkill || nr == SYS_rt_tgsigqueueinfo) a[1] = getpid();
            if (nr == SYS_pidfd_send_signal) a[0] = -1;
        }
        syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
    }
    _exit(0);
}

int main(int argc, char **argv) {
    unsigned long long seed = argc > 1 ? strtoull(argv[1], NULL, 0) : 1;
    int children = argc > 2 ? atoi(argv[2]) : 50;
    int calls = argc > 3 ? atoi(argv[3]) : 200;
    setvbuf(stdout, NULL, _IONBF, 0);
    int died = 0, killed = 0, exited = 0;
    for (int c = 0; c < children; c++) {
        pid_t p = fork();
        if (p < 0) {
            printf("FAIL fork: %s\n", strerror(errno));
            return 1;
        }
        if (p == 0) {
            setpgid(0, 0);
            child(seed + (unsigned long long)c, calls);
        }
        int st = 0;
        struct timespec tick = {0, 10 * 1000 * 1000};
        int waited = 0;
        pid_t r;
        while ((r = waitpid(p, &st, WNOHANG | __WALL)) == 0 && waited < 300) {
            nanosleep(&tick, NULL);
            waited++;
        }
        if (r == 0) {
            kill(p, SIGKILL); /* blocked in a call (read, pause, futex): ended from outside */
            waitpid(p, &st, __WALL);
            killed++;
        } else if (WIFSIGNALED(st)) {
            died++;
        } else {
            exited++;
        }
        while (waitpid(-1, &st, WNOHANG | __WALL) > 0) {
            /* reap anything re-parented to us */
        }
    }
    printf("sysfuzz seed %llu: %d children, %d calls each: %d exited, %d died of a signal, %d killed after blocking\n",
           seed, children, calls, exited, died, killed);
    printf("SYSFUZZ DONE\n");
    return 0;
}
