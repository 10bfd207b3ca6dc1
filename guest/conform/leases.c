/* File leases: fcntl F_SETLEASE / F_GETLEASE, and their breaking by open(2) (EAGAIN for a
 * non-blocking opener, SIGIO or the F_SETSIG signal for the holder, a blocking opener waits). */
#define _GNU_SOURCE
#include "../proc/check.h"
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t got, code;
static void on_sig(int s, siginfo_t *i, void *u) { (void)u; got = s; code = i->si_code; }

int main(int argc, char **argv) {
    check_init(argc, argv);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_sig;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGIO, &sa, NULL);
    sigaction(SIGUSR1, &sa, NULL);
    char path[64];
    snprintf(path, sizeof path, "lease-%d.tmp", getpid());
    close(open(path, O_RDWR | O_CREAT | O_TRUNC, 0644));
    int r = open(path, O_RDONLY);
    CHECK(fcntl(r, F_GETLEASE) == F_UNLCK, "F_GETLEASE without a lease: F_UNLCK");
    CHECK(fcntl(r, F_SETLEASE, F_UNLCK) == -1 && errno == EAGAIN, "F_SETLEASE F_UNLCK without a lease: EAGAIN");
    CHECK(fcntl(r, F_SETLEASE, 5) == -1 && errno == EINVAL, "a bad lease type: EINVAL");
    CHECK(fcntl(r, F_SETLEASE, F_RDLCK) == 0 && fcntl(r, F_GETLEASE) == F_RDLCK, "a read lease");
    CHECK(fcntl(r, F_GETOWN) == getpid(), "taking a lease makes the caller the owner");
    int r2 = open(path, O_RDONLY | O_NONBLOCK);
    CHECK(r2 >= 0 && fcntl(r, F_GETLEASE) == F_RDLCK, "a read open does not break a read lease");
    CHECK(fcntl(r, F_SETLEASE, F_WRLCK) == -1 && errno == EAGAIN, "no write lease while another open exists: EAGAIN");
    close(r2);
    CHECK(fcntl(r, F_SETLEASE, F_WRLCK) == 0 && fcntl(r, F_GETLEASE) == F_WRLCK, "upgraded to a write lease once alone");
    got = 0;
    CHECK(open(path, O_RDONLY | O_NONBLOCK) == -1 && errno == EAGAIN, "a non-blocking read open of a write-leased file: EAGAIN");
    CHECK(got == SIGIO && code == SI_KERNEL, "the holder gets SIGIO (SI_KERNEL)");
    CHECK(fcntl(r, F_GETLEASE) == F_RDLCK, "F_GETLEASE while breaking: the target, F_RDLCK");
    CHECK(fcntl(r, F_SETLEASE, F_RDLCK) == 0 && fcntl(r, F_GETLEASE) == F_RDLCK, "the holder downgrades");
    int r3 = open(path, O_RDONLY | O_NONBLOCK);
    CHECK(r3 >= 0, "then read opens go through");
    close(r3);
    CHECK(fcntl(r, F_SETSIG, SIGUSR1) == 0, "F_SETSIG");
    got = 0;
    CHECK(open(path, O_WRONLY | O_NONBLOCK) == -1 && errno == EAGAIN, "a non-blocking write open of a read-leased file: EAGAIN");
    CHECK(got == SIGUSR1 && code == POLL_MSG, "the holder gets its F_SETSIG signal (POLL_MSG)");
    CHECK(fcntl(r, F_GETLEASE) == F_UNLCK, "F_GETLEASE while breaking for a writer: F_UNLCK");
    pid_t c = fork();
    if (c == 0) {
        struct timespec a, b;
        clock_gettime(CLOCK_MONOTONIC, &a);
        int w = open(path, O_WRONLY);
        clock_gettime(CLOCK_MONOTONIC, &b);
        long ms = (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
        _exit(w >= 0 && ms >= 150 ? 0 : 1);
    }
    struct timespec nap = {0, 250 * 1000 * 1000};
    nanosleep(&nap, NULL);
    CHECK(fcntl(r, F_SETLEASE, F_UNLCK) == 0, "the holder lets go");
    int st;
    waitpid(c, &st, 0);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "a blocking open waits for the holder, then opens");
    int w = open(path, O_RDWR);
    CHECK(fcntl(r, F_SETLEASE, F_RDLCK) == -1 && errno == EAGAIN, "no read lease while the file is open for writing: EAGAIN");
    close(w);
    CHECK(fcntl(w = open(path, O_RDWR), F_SETLEASE, F_RDLCK) == -1 && errno == EAGAIN, "nor on a descriptor open for writing");
    close(w);
    int p[2];
    pipe(p);
    CHECK(fcntl(p[0], F_SETLEASE, F_RDLCK) == -1 && errno == EINVAL, "a pipe cannot be leased: EINVAL");
    CHECK(fcntl(r, F_SETLEASE, F_RDLCK) == 0, "a read lease again");
    close(r);
    r = open(path, O_WRONLY | O_NONBLOCK);
    CHECK(r >= 0, "closing the holder's descriptor drops its lease");
    close(r);
    unlink(path);
    if (failures == 0) printf("ALL PASSED\n");
    return failures;
}
