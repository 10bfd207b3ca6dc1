/* Terminal ioctls and signals beyond the line discipline: TIOCSTI (a byte as if typed),
 * TIOCEXCL/TIOCNXCL/TIOCGEXCL (exclusive mode: other opens EBUSY but root's), and O_ASYNC with
 * F_SETOWN/F_SETSIG (SIGIO when input comes). Starts as root (the host's run too). */
#define _GNU_SOURCE
#include "../proc/check.h"
#include "pair.h"
#include <signal.h>
#include <sys/stat.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>

static void raw(int fd) {
    struct termios t;
    tcgetattr(fd, &t);
    cfmakeraw(&t);
    tcsetattr(fd, TCSANOW, &t);
}

static void sti(void) {
    char name[64], b[8];
    int s, m = open_pair(&s, O_RDWR | O_NOCTTY, name);
    raw(s);
    char c = 'q';
    CHECK(ioctl(s, TIOCSTI, &c) == 0, "TIOCSTI as root on a terminal not one's own");
    CHECK(read_for(s, b, 1, 1000) == 1 && b[0] == 'q', "the slave reads the byte as if typed");
    CHECK(read_for(m, b, 1, 100) == 0, "raw mode: no echo to the master");
    c = 'z';
    CHECK(ioctl(m, TIOCSTI, &c) == 0 && read_for(m, b, 1, 1000) == 1 && b[0] == 'z',
          "TIOCSTI on the master: the master's own next read has it");
    errno = 0;
    CHECK(ioctl(s, TIOCSTI, (char *)1) == -1 && errno == EFAULT, "TIOCSTI from a bad address: EFAULT");
    fflush(stdout);
    pid_t k = fork();
    if (k == 0) {
        setresuid(1000, 1000, 1000);
        errno = 0;
        c = 'x';
        int r = ioctl(s, TIOCSTI, &c);
        _exit(r == -1 && errno == EPERM ? 0 : 1);
    }
    int st;
    waitpid(k, &st, 0);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "TIOCSTI by a user on a terminal not theirs: EPERM");
    close(s);
    close(m);
}

static void excl(void) {
    char name[64];
    int s, m = open_pair(&s, O_RDWR | O_NOCTTY, name);
    int on = -1;
    CHECK(ioctl(s, TIOCGEXCL, &on) == 0 && on == 0, "TIOCGEXCL: not exclusive at first");
    CHECK(ioctl(s, TIOCEXCL) == 0 && ioctl(s, TIOCGEXCL, &on) == 0 && on == 1, "TIOCEXCL sets it");
    chmod(name, 0666); /* so that a user could open it but for the mode */
    int again = open(name, O_RDWR | O_NOCTTY);
    CHECK(again >= 0, "root may still open it");
    if (again >= 0) close(again);
    fflush(stdout);
    pid_t k = fork();
    if (k == 0) {
        setresuid(1000, 1000, 1000);
        errno = 0;
        int fd = open(name, O_RDWR | O_NOCTTY);
        _exit(fd == -1 && errno == EBUSY ? 0 : 1);
    }
    int st;
    waitpid(k, &st, 0);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "an exclusive terminal: other users' opens EBUSY");
    CHECK(ioctl(s, TIOCNXCL) == 0 && ioctl(s, TIOCGEXCL, &on) == 0 && on == 0, "TIOCNXCL clears it");
    fflush(stdout);
    k = fork();
    if (k == 0) {
        setresuid(1000, 1000, 1000);
        int fd = open(name, O_RDWR | O_NOCTTY);
        _exit(fd >= 0 ? 0 : 1);
    }
    waitpid(k, &st, 0);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "then the user's open works");
    CHECK(ioctl(m, TIOCEXCL) == 0 && ioctl(m, TIOCGEXCL, &on) == 0 && on == 1
          && ioctl(s, TIOCGEXCL, &on) == 0 && on == 0, "the master's own mode is apart from the slave's");
    close(s);
    close(m);
}

static volatile sig_atomic_t got, code, band_fd;

static void on_sig(int sig, siginfo_t *si, void *uc) {
    (void)uc;
    got = sig;
    code = si->si_code;
    band_fd = si->si_fd;
}

static void async_io(void) {
    char name[64], b[8];
    int s, m = open_pair(&s, O_RDWR | O_NOCTTY, name);
    raw(s);
    struct sigaction sa = {0};
    sa.sa_sigaction = on_sig;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGIO, &sa, NULL);
    sigaction(SIGRTMIN + 1, &sa, NULL);
    write(m, "a", 1);
    nap(100);
    CHECK(got == 0, "no SIGIO without O_ASYNC");
    read_for(s, b, 1, 1000);
    CHECK(fcntl(s, F_SETOWN, getpid()) == 0 && fcntl(s, F_SETFL, fcntl(s, F_GETFL) | O_ASYNC) == 0,
          "F_SETOWN and O_ASYNC on the slave");
    write(m, "b", 1);
    for (int i = 0; i < 200 && !got; i++) nap(5);
    CHECK(got == SIGIO && code == SI_KERNEL, "input to an O_ASYNC terminal: SIGIO to its owner");
    read_for(s, b, 1, 1000);
    got = 0;
    CHECK(fcntl(s, F_SETSIG, SIGRTMIN + 1) == 0, "F_SETSIG");
    write(m, "c", 1);
    for (int i = 0; i < 200 && !got; i++) nap(5);
    CHECK(got == SIGRTMIN + 1 && code == POLL_IN && band_fd == s, "F_SETSIG: that signal, POLL_IN and the fd");
    read_for(s, b, 1, 1000);
    got = 0;
    int off = 0;
    CHECK(ioctl(s, FIOASYNC, &off) == 0, "FIOASYNC off");
    write(m, "d", 1);
    nap(100);
    CHECK(got == 0, "no signal once O_ASYNC is off");
    close(s);
    close(m);
}

int main(int argc, char **argv) {
    check_init(argc, argv);
    if (geteuid() != 0) {
        SKIP("terminal ioctls", "needs to start as root");
        printf("ALL PASSED\n");
        return 0;
    }
    sti();
    excl();
    async_io();
    printf("%s\n", failures ? "SOME CHECKS FAILED" : "ALL PASSED");
    return failures ? 1 : 0;
}
