/* Pseudo-terminals: /dev/ptmx and /dev/pts, the slave's line discipline seen from the master,
 * packet mode, window size, controlling terminal and job-control signals, hang-up. Every pair
 * is the test's own, so a reference run under qemu (the host's ptys) leaves nothing behind. */
#define _GNU_SOURCE
#include "../proc/check.h"
#include "pair.h"
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static void naming(void) {
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    CHECK(m >= 0, "posix_openpt opens /dev/ptmx");
    if (m < 0) return;
    struct stat st;
    CHECK(fstat(m, &st) == 0 && S_ISCHR(st.st_mode) && major(st.st_rdev) == 5 && minor(st.st_rdev) == 2,
          "the master is character device 5:2");
    CHECK(isatty(m), "the master is a terminal");
    int n = -1, lock = -1;
    CHECK(ioctl(m, TIOCGPTN, &n) == 0 && n >= 0, "TIOCGPTN gives the pair's number");
    char path[64], name[64];
    snprintf(path, sizeof path, "/dev/pts/%d", n);
    CHECK(ptsname_r(m, name, sizeof name) == 0 && strcmp(name, path) == 0, "ptsname is /dev/pts/N");
    CHECK(stat(path, &st) == 0 && S_ISCHR(st.st_mode) && major(st.st_rdev) == 136 && minor(st.st_rdev) == (unsigned)n
          && st.st_uid == geteuid() && (st.st_mode & 0600) == 0600, "/dev/pts/N: device 136:N, the opener's, rw for it");
    int inlist = 0;
    if (1) {
        char num[16];
        snprintf(num, sizeof num, "%d", n);
        DIR *d = opendir("/dev/pts");
        struct dirent *e;
        while (d && (e = readdir(d)) != NULL)
            if (strcmp(e->d_name, num) == 0) inlist = 1;
        if (d) closedir(d);
    }
    CHECK(inlist, "/dev/pts lists it");
    CHECK((ioctl(m, TIOCGPTLCK, &lock) == 0 && lock == 1) || reference, "a new pair is locked (TIOCGPTLCK)");
    CHECK(open(path, O_RDWR | O_NOCTTY) == -1 && errno == EIO, "opening a locked slave: EIO");
    CHECK(grantpt(m) == 0 && unlockpt(m) == 0, "grantpt, unlockpt");
    CHECK((ioctl(m, TIOCGPTLCK, &lock) == 0 && lock == 0) || reference, "unlocked (TIOCGPTLCK 0)");
    fcntl(m, F_SETFL, O_NONBLOCK);
    char b[16];
    CHECK(read(m, b, sizeof b) == -1 && errno == EAGAIN, "the master waits before any slave was opened");
    int s = open(path, O_RDWR | O_NOCTTY);
    CHECK(s >= 0 && isatty(s), "the slave opens once unlocked");
    struct stat ss;
    CHECK(fstat(s, &ss) == 0 && stat(path, &st) == 0 && ss.st_rdev == st.st_rdev && ss.st_ino == st.st_ino
          && ss.st_dev == st.st_dev, "fstat of the slave is its /dev/pts node");
    char *tn = ttyname(s);
    CHECK(tn && strcmp(tn, path) == 0, "ttyname of the slave");
    CHECK(fchmod(s, 0600) == 0 && stat(path, &st) == 0 && (st.st_mode & 07777) == 0600,
          "fchmod through the slave's fd changes its /dev/pts node (mesg n)");
    CHECK(fchmod(s, 0620) == 0 && stat(path, &st) == 0 && (st.st_mode & 07777) == 0620, "and back");
    CHECK(fchown(s, getuid(), getgid()) == 0, "fchown through the slave's fd");
    int peer = ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY);
    CHECK(peer >= 0 && fstat(peer, &ss) == 0 && ss.st_rdev == st.st_rdev, "TIOCGPTPEER opens the same slave");
    int peer2 = ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
    CHECK(peer2 >= 0 && (fcntl(peer2, F_GETFD) & FD_CLOEXEC), "TIOCGPTPEER with O_CLOEXEC");
    CHECK(ioctl(s, TIOCGPTN, &n) == -1 && errno == ENOTTY, "TIOCGPTN on a slave: ENOTTY");
    struct termios t;
    CHECK(tcgetattr(s, &t) == 0 && t.c_iflag == (ICRNL | IXON) && t.c_oflag == (OPOST | ONLCR)
          && t.c_cflag == (B38400 | CS8 | CREAD) && t.c_lflag == (ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN),
          "a new slave has Linux's standard termios");
    struct winsize ws;
    CHECK(ioctl(s, TIOCGWINSZ, &ws) == 0 && ws.ws_row == 0 && ws.ws_col == 0, "and a 0x0 window");

    /* the last slave closing makes master reads fail with EIO (poll: HUP); writes still go in */
    close(s);
    close(peer);
    close(peer2);
    CHECK(read(m, b, sizeof b) == -1 && errno == EIO, "master read after the last slave closed: EIO");
    struct pollfd p = {m, POLLIN | POLLOUT, 0};
    CHECK(poll(&p, 1, 0) == 1 && (p.revents & POLLHUP) && (p.revents & POLLOUT), "poll on that master: POLLHUP, POLLOUT");
    s = open(path, O_RDWR | O_NOCTTY);
    CHECK(s >= 0 && read(m, b, sizeof b) == -1 && errno == EAGAIN, "reopening the slave: the master waits again");
    close(s);
    close(m);
    CHECK(stat(path, &st) == -1 && errno == ENOENT, "closing the master removes /dev/pts/N");
}

static void line_discipline(void) {
    char name[64], b[256];
    int s, m = open_pair(&s, O_RDWR | O_NOCTTY, name);
    fcntl(m, F_SETFL, O_NONBLOCK);
    CHECK(write(m, "ab\x7f" "c\n", 5) == 5, "master writes the slave's input");
    int n = read_for(m, b, 8, 500);
    CHECK(n == 8 && memcmp(b, "ab\b \bc\r\n", 8) == 0, "the master reads the echo: erase as BS SP BS, ONLCR");
    n = read(s, b, sizeof b);
    CHECK(n == 3 && memcmp(b, "ac\n", 3) == 0, "the slave reads the edited line");
    write(m, "xyz", 3);
    read_for(m, b, 3, 200);
    fcntl(s, F_SETFL, O_NONBLOCK);
    CHECK(read(s, b, sizeof b) == -1 && errno == EAGAIN, "canonical: no line yet, the slave waits");
    write(m, "\n", 1);
    nap(20);
    CHECK(read(s, b, sizeof b) == 4 && memcmp(b, "xyz\n", 4) == 0, "the newline completes the line");
    read_for(m, b, 2, 200);
    int avail = -1;
    write(s, "one\ntwo", 7);
    nap(20);
    CHECK(ioctl(m, FIONREAD, &avail) == 0 && avail == 8, "FIONREAD on the master: slave output after ONLCR");
    n = read_for(m, b, 8, 500);
    CHECK(n == 8 && memcmp(b, "one\r\ntwo", 8) == 0, "slave writes reach the master through output processing");

    struct termios t;
    tcgetattr(m, &t);
    cfmakeraw(&t);
    CHECK(tcsetattr(m, TCSANOW, &t) == 0, "tcsetattr on the master");
    tcgetattr(s, &t);
    CHECK((t.c_lflag & (ICANON | ECHO)) == 0, "changes the slave's termios");
    write(m, "q\r", 2);
    nap(20);
    CHECK(read(s, b, sizeof b) == 2 && memcmp(b, "q\r", 2) == 0, "raw: bytes pass at once, no CR translation");
    CHECK(read(m, b, sizeof b) == -1 && errno == EAGAIN, "raw: no echo");
    write(s, "a\n", 2);
    CHECK(read_for(m, b, 2, 500) == 2 && memcmp(b, "a\n", 2) == 0, "raw: no ONLCR");

    /* a large transfer in both directions: writers wait for readers, nothing is lost */
    fcntl(s, F_SETFL, 0);
    pid_t c = fork();
    if (c == 0) {
        static char big[200000];
        memset(big, 'z', sizeof big);
        big[sizeof big - 1] = '!';
        _exit(write(s, big, sizeof big) == (ssize_t)sizeof big ? 0 : 1);
    }
    long total = 0;
    int last = 0;
    while (total < 200000) {
        struct pollfd p = {m, POLLIN, 0};
        if (poll(&p, 1, 5000) != 1) break;
        n = read(m, b, sizeof b);
        if (n <= 0) break;
        total += n;
        last = b[n - 1];
    }
    int st;
    waitpid(c, &st, 0);
    CHECK(total == 200000 && last == '!' && WIFEXITED(st) && WEXITSTATUS(st) == 0,
          "200000 bytes from slave to master, the writer waiting for room");
    c = fork();
    if (c == 0) {
        long got = 0;
        char rb[4096];
        while (got < 150000) {
            int k = read(s, rb, sizeof rb);
            if (k <= 0) _exit(1);
            got += k;
        }
        _exit(got == 150000 ? 0 : 2);
    }
    static char big2[150000];
    memset(big2, 'y', sizeof big2);
    fcntl(m, F_SETFL, 0);
    CHECK(write(m, big2, sizeof big2) == (ssize_t)sizeof big2, "150000 bytes from master to slave");
    waitpid(c, &st, 0);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "all read by the slave");
    close(s);
    close(m);
}

static void packet_mode(void) {
    char name[64], b[64];
    int s, m = open_pair(&s, O_RDWR | O_NOCTTY, name);
    fcntl(m, F_SETFL, O_NONBLOCK);
    int one = 1, got = -1;
    CHECK(ioctl(m, TIOCPKT, &one) == 0 && ioctl(m, TIOCGPKT, &got) == 0 && got == 1, "TIOCPKT on, TIOCGPKT reads it");
    write(s, "z", 1);
    int n = read_for(m, b, 2, 500);
    CHECK(n == 2 && b[0] == TIOCPKT_DATA && b[1] == 'z', "data comes after a TIOCPKT_DATA byte");
    tcflush(s, TCIFLUSH);
    struct pollfd p = {m, POLLIN | POLLPRI, 0};
    CHECK(poll(&p, 1, 500) == 1 && (p.revents & POLLPRI), "a status change polls POLLPRI");
    CHECK(read(m, b, sizeof b) == 1 && b[0] == TIOCPKT_FLUSHREAD, "tcflush(TCIFLUSH) of the slave: TIOCPKT_FLUSHREAD");
    tcflush(s, TCIOFLUSH);
    CHECK(read_for(m, b, 1, 500) == 1 && b[0] == (TIOCPKT_FLUSHREAD | TIOCPKT_FLUSHWRITE), "TCIOFLUSH: both bits");
    struct termios t;
    tcgetattr(s, &t);
    t.c_iflag &= ~IXON;
    tcsetattr(s, TCSANOW, &t);
    CHECK(read_for(m, b, 1, 500) == 1 && b[0] == TIOCPKT_NOSTOP, "IXON off: TIOCPKT_NOSTOP");
    t.c_iflag |= IXON;
    tcsetattr(s, TCSANOW, &t);
    CHECK(read_for(m, b, 1, 500) == 1 && b[0] == TIOCPKT_DOSTOP, "IXON on: TIOCPKT_DOSTOP");
    int zero = 0;
    ioctl(m, TIOCPKT, &zero);
    write(s, "w", 1);
    CHECK(read_for(m, b, 1, 500) == 1 && b[0] == 'w', "packet mode off: plain data again");
    close(s);
    close(m);
}

static volatile sig_atomic_t got_int, got_winch, got_hup, got_cont;
static void on_sig(int sig) {
    if (sig == SIGINT) got_int++;
    if (sig == SIGWINCH) got_winch++;
    if (sig == SIGHUP) got_hup++;
    if (sig == SIGCONT) got_cont++;
}

/* The child side of the session test: a new session whose controlling terminal is the slave. */
static int session_child(const char *name, int report) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sig;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGWINCH, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sigaction(SIGCONT, &sa, NULL);
    int fails = 0;
#define C(cond) do { if (!(cond)) { fails |= 1 << __LINE__ % 31; dprintf(report, "child check at line %d failed (errno %d)\n", __LINE__, errno); } } while (0)
    setsid();
    C(open("/dev/tty", O_RDWR) == -1 && errno == ENXIO); /* a new session has no terminal */
    int s = open(name, O_RDWR); /* no O_NOCTTY: a session leader without one takes it */
    C(s >= 0);
    pid_t sid = -1;
    C(ioctl(s, TIOCGSID, &sid) == 0 && sid == getpid());
    C(tcgetpgrp(s) == getpid());
    int t = open("/dev/tty", O_RDWR);
    C(t >= 0);
    struct stat a, b;
    C(fstat(t, &a) == 0 && fstat(s, &b) == 0 && a.st_rdev == makedev(5, 0)); /* /dev/tty is its own node */
    C(ioctl(s, TIOCSCTTY, 0) == 0); /* already ours */
    char stat[512];
    int fd = open("/proc/self/stat", O_RDONLY);
    int n = read(fd, stat, sizeof stat - 1);
    stat[n > 0 ? n : 0] = 0;
    close(fd);
    int tty_nr = 0, tpgid = 0;
    char *q = strrchr(stat, ')');
    C(q && sscanf(q + 2, "%*c %*d %*d %*d %d %d", &tty_nr, &tpgid) == 2 && (unsigned)tty_nr == b.st_rdev && tpgid == getpid());
    dprintf(report, "ready\n");
    /* the parent now types ^C, resizes, then closes the master */
    for (int i = 0; i < 400 && !got_hup; i++) nap(10);
    C(got_int == 1);
    C(got_winch == 1);
    C(got_hup == 1);
    C(got_cont == 1);
    char buf[8];
    C(read(s, buf, sizeof buf) == 0); /* hung up: end of file */
    C(write(s, "x", 1) == -1 && errno == EIO);
    struct termios tio;
    C(tcgetattr(s, &tio) == -1 && errno == EIO);
    struct pollfd p = {s, POLLIN | POLLOUT, 0};
    C(poll(&p, 1, 0) == 1 && (p.revents & POLLHUP) && (p.revents & POLLERR));
    C(open("/dev/tty", O_RDWR) == -1 && errno == ENXIO); /* the session lost its terminal */
    return fails;
}

static void sessions(void) {
    char name[64];
    int s, m = open_pair(&s, -1, name);
    int rep[2];
    pipe(rep);
    pid_t c = fork();
    if (c == 0) {
        close(m);
        close(rep[0]);
        _exit(session_child(name, rep[1]) ? 1 : 0);
    }
    close(rep[1]);
    char buf[256];
    int n = 0, r;
    while (n < (int)sizeof buf - 1 && (r = read(rep[0], buf + n, sizeof buf - 1 - n)) > 0) {
        n += r;
        buf[n] = 0;
        if (strstr(buf, "ready\n")) break;
    }
    buf[n] = 0;
    CHECK(strstr(buf, "ready\n") != NULL, "a new session leader opening the slave takes it as controlling terminal");
    if (strncmp(buf, "ready\n", 6) != 0) printf("child said: %s\n", buf);
    pid_t pg = 0;
    CHECK(ioctl(m, TIOCGPGRP, &pg) == 0 && pg == c, "TIOCGPGRP on the master: the slave's foreground group");
    pid_t sid = 0;
    CHECK(ioctl(m, TIOCGSID, &sid) == 0 && sid == c, "TIOCGSID on the master: the slave's session");
    int s2 = open(name, O_RDWR | O_NOCTTY);
    CHECK(ioctl(s2, TIOCSCTTY, 0) == -1 && errno == EPERM, "TIOCSCTTY by a non-leader: EPERM");
    CHECK(tcgetpgrp(s2) == -1 && errno == ENOTTY, "tcgetpgrp from outside its session: ENOTTY");
    close(s2);
    char *dummy = "";
    (void)dummy;
    write(m, "\x03", 1); /* ^C: SIGINT to the foreground group */
    nap(50);
    struct winsize ws = {30, 100, 0, 0};
    CHECK(ioctl(m, TIOCSWINSZ, &ws) == 0, "TIOCSWINSZ on the master");
    nap(50);
    CHECK(ioctl(m, TIOCSWINSZ, &ws) == 0, "the same size again (no second SIGWINCH)");
    nap(50);
    close(m); /* hang-up: SIGHUP and SIGCONT to the session leader */
    int st;
    waitpid(c, &st, 0);
    n = read(rep[0], buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    if (n > 0) printf("%s", buf);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) printf("child status %#x\n", st);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0,
          "in the session: /dev/tty, TIOCGSID, tty_nr; ^C gives SIGINT, a resize SIGWINCH; the master's close SIGHUP, SIGCONT, EOF, EIO");
    close(rep[0]);
}

/* A background group reading its controlling terminal gets SIGTTIN. */
static void job_control(void) {
    char name[64];
    int s, m = open_pair(&s, -1, name);
    int rep[2];
    pipe(rep);
    pid_t c = fork();
    if (c == 0) {
        close(m);
        setsid();
        int fd = open(name, O_RDWR);
        pid_t bg = fork();
        if (bg == 0) {
            setpgid(0, 0);
            char b;
            read(fd, &b, 1); /* stops with SIGTTIN */
            _exit(3);
        }
        setpgid(bg, bg);
        int st;
        waitpid(bg, &st, WUNTRACED);
        int stopped = WIFSTOPPED(st) && WSTOPSIG(st) == SIGTTIN;
        kill(bg, SIGKILL);
        waitpid(bg, &st, 0);
        /* the foreground group may be changed to the background one; then it reads */
        write(rep[1], stopped ? "y" : "n", 1);
        _exit(0);
    }
    close(rep[1]);
    char r = 0;
    read(rep[0], &r, 1);
    int st;
    waitpid(c, &st, 0);
    CHECK(r == 'y', "a background group reading the slave is stopped by SIGTTIN");
    close(rep[0]);
    close(m);
}

int main(int argc, char **argv) {
    check_init(argc, argv);
    setvbuf(stdout, NULL, _IOLBF, 0);
    naming();
    line_discipline();
    packet_mode();
    sessions();
    job_control();
    if (failures == 0) printf("ALL PASSED\n");
    return failures;
}
