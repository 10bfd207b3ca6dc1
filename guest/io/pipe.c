/* Pipe contracts: EOF, EPIPE/SIGPIPE, O_NONBLOCK, atomic writes, blocking when full,
 * a long blocking write cut short by a signal, pipe size fcntls, a large transfer, and the
 * pipe's inode (owned by its creator; fchmod and fchown through either end). */
#include "check.h"
#include <fcntl.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

static volatile sig_atomic_t got_sigpipe, got_alarm;
static void on_sigpipe(int s) { (void)s; got_sigpipe = 1; }
static void on_alarm(int s) { (void)s; got_alarm = 1; }

static void basics(void) {
    int p[2];
    CHECK("pipe2", pipe2(p, O_CLOEXEC) == 0, "pipe2 failed");
    CHECK("pipe2 cloexec", fcntl(p[0], F_GETFD) == FD_CLOEXEC && fcntl(p[1], F_GETFD) == FD_CLOEXEC, "F_GETFD");
    CHECK("pipe access modes", (fcntl(p[0], F_GETFL) & O_ACCMODE) == O_RDONLY
          && (fcntl(p[1], F_GETFL) & O_ACCMODE) == O_WRONLY, "F_GETFL");
    CHECK("write", write(p[1], "hello", 5) == 5, "write");
    int avail = -1;
    CHECK("FIONREAD", ioctl(p[0], FIONREAD, &avail) == 0 && avail == 5, "avail %d", avail);
    char buf[16];
    CHECK("read returns what is there", read(p[0], buf, sizeof buf) == 5 && memcmp(buf, "hello", 5) == 0, "read");
    CHECK("write on read end EBADF", write(p[0], "x", 1) == -1 && errno == EBADF, "write on read end");
    CHECK("zero-length read", read(p[0], buf, 0) == 0, "read 0");
    close(p[1]);
    CHECK("EOF once writers gone", read(p[0], buf, sizeof buf) == 0, "not EOF");
    close(p[0]);
}

static void epipe(void) {
    int p[2];
    pipe(p);
    close(p[0]);
    signal(SIGPIPE, on_sigpipe);
    errno = 0;
    ssize_t r = write(p[1], "x", 1);
    CHECK("EPIPE without reader", r == -1 && errno == EPIPE, "r=%zd", r);
    CHECK("SIGPIPE raised", got_sigpipe == 1, "no SIGPIPE");
    CHECK("zero-length write without reader", write(p[1], "x", 0) == 0, "write 0");
    signal(SIGPIPE, SIG_DFL);
    close(p[1]);

    /* default action kills the writer */
    pipe(p);
    close(p[0]); /* before the fork, so no reader exists anywhere when the child writes */
    pid_t c = fork();
    if (c == 0) {
        write(p[1], "x", 1);
        _exit(0);
    }
    close(p[1]);
    int status = 0;
    waitpid(c, &status, 0);
    CHECK("SIGPIPE default kills", WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE, "status %x", status);
}

static void nonblocking(void) {
    int p[2];
    pipe2(p, O_NONBLOCK);
    char buf[8192];
    errno = 0;
    CHECK("nonblock empty read EAGAIN", read(p[0], buf, 1) == -1 && errno == EAGAIN, "read");
    int size = fcntl(p[1], F_GETPIPE_SZ);
    CHECK("default pipe size 64k", size == 65536, "size %d", size);
    memset(buf, 'a', sizeof buf);
    long total = 0;
    for (;;) {
        ssize_t n = write(p[1], buf, 1000);
        if (n < 0) {
            break;
        }
        total += n;
    }
    CHECK("fill nonblocking then EAGAIN", errno == EAGAIN && total > 60000 && total <= 65536, "total %ld", total);
    /* an atomic write that does not fit fails whole; a large one goes in partly */
    char b1[4096];
    read(p[0], b1, 3000);
    ssize_t n = write(p[1], buf, 4096);
    CHECK("atomic write all or nothing", n == 4096 || (n == -1 && errno == EAGAIN), "n %zd", n);
    close(p[0]);
    close(p[1]);

    pipe2(p, O_NONBLOCK);
    n = write(p[1], buf, 8192);
    char big[100000];
    memset(big, 'b', sizeof big);
    ssize_t m = write(p[1], big, sizeof big);
    CHECK("nonblock large write partial", n == 8192 && m > 0 && m < (ssize_t)sizeof big && m + n <= 65536,
          "n %zd m %zd", n, m);
    CHECK("F_SETPIPE_SZ below contents EBUSY", fcntl(p[1], F_SETPIPE_SZ, 4096) == -1 && errno == EBUSY, "setsz");
    close(p[0]);
    close(p[1]);

    pipe(p);
    CHECK("F_SETPIPE_SZ rounds up", fcntl(p[0], F_SETPIPE_SZ, 100000) == 131072
          && fcntl(p[1], F_GETPIPE_SZ) == 131072, "size %d", fcntl(p[1], F_GETPIPE_SZ));
    int e = eventfd(0, 0);
    errno = 0;
    CHECK("F_GETPIPE_SZ on non-pipe EBADF", fcntl(e, F_GETPIPE_SZ) == -1 && errno == EBADF, "x");
    close(e);
    close(p[0]);
    close(p[1]);
}

/* A writer blocks on a full pipe and is released as the reader drains it. */
static void blocking(void) {
    int p[2];
    pipe(p);
    pid_t c = fork();
    if (c == 0) {
        close(p[1]);
        usleep(100000);
        char buf[4096];
        long total = 0;
        ssize_t n;
        while ((n = read(p[0], buf, sizeof buf)) > 0) {
            total += n;
        }
        _exit(total == 300000 ? 0 : 1);
    }
    close(p[0]);
    static char big[300000];
    memset(big, 'z', sizeof big);
    long long t0 = now_ns();
    ssize_t n = write(p[1], big, sizeof big);
    long long dt = now_ns() - t0;
    CHECK("blocking write completes whole", n == (ssize_t)sizeof big, "n %zd", n);
    CHECK("blocking write waited for reader", dt >= 50000000LL, "dt %lld", dt);
    close(p[1]);
    int status;
    waitpid(c, &status, 0);
    CHECK("reader got every byte", WIFEXITED(status) && WEXITSTATUS(status) == 0, "status %x", status);
}

/* A blocking write of more than the pipe holds, cut short by a handled signal, returns what it moved. */
static void interrupted_write(void) {
    int p[2];
    pipe(p);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    static char big[200000];
    got_alarm = 0;
    ualarm(100000, 0);
    ssize_t n = write(p[1], big, sizeof big);
    CHECK("interrupted long write returns partial count", got_alarm && n == 65536, "n %zd alarm %d", n, got_alarm);
    /* nothing moved yet: EINTR */
    got_alarm = 0;
    ualarm(100000, 0);
    errno = 0;
    n = write(p[1], big, 10);
    CHECK("interrupted write with nothing moved is EINTR", got_alarm && n == -1 && errno == EINTR, "n %zd", n);
    /* a read on an empty pipe, interrupted */
    char c;
    got_alarm = 0;
    int q[2];
    pipe(q);
    ualarm(50000, 0);
    errno = 0;
    n = read(q[0], &c, 1);
    CHECK("interrupted read EINTR", got_alarm && n == -1 && errno == EINTR, "n %zd", n);
    /* with SA_RESTART the read resumes and gets data a child writes later */
    sa.sa_flags = SA_RESTART;
    sigaction(SIGALRM, &sa, NULL);
    pid_t ch = fork();
    if (ch == 0) {
        usleep(200000);
        write(q[1], "r", 1);
        _exit(0);
    }
    got_alarm = 0;
    ualarm(50000, 0);
    n = read(q[0], &c, 1);
    CHECK("SA_RESTART read restarts", got_alarm && n == 1 && c == 'r', "n %zd", n);
    waitpid(ch, NULL, 0);
    signal(SIGALRM, SIG_DFL);
    close(p[0]);
    close(p[1]);
    close(q[0]);
    close(q[1]);
}

/* Atomic writes from several writers never interleave. */
static void atomicity(void) {
    int p[2];
    pipe(p);
    for (int w = 0; w < 4; w++) {
        if (fork() == 0) {
            char rec[4096];
            memset(rec, 'A' + w, sizeof rec);
            for (int i = 0; i < 40; i++) {
                write(p[1], rec, sizeof rec);
            }
            _exit(0);
        }
    }
    close(p[1]);
    static char all[4 * 40 * 4096];
    long total = 0;
    ssize_t n;
    while ((n = read(p[0], all + total, sizeof all - total)) > 0) {
        total += n;
    }
    int ok = total == (long)sizeof all;
    for (long r = 0; ok && r < total; r += 4096) {
        for (int i = 1; i < 4096; i++) {
            if (all[r + i] != all[r]) {
                ok = 0;
                break;
            }
        }
    }
    CHECK("PIPE_BUF writes are atomic", ok, "total %ld", total);
    close(p[0]);
    while (wait(NULL) > 0) {
    }
}

/* Many megabytes through a pipe between two processes, checked, and timed. */
static void throughput(void) {
    int p[2];
    pipe(p);
    const long total = 32L << 20;
    pid_t c = fork();
    if (c == 0) {
        close(p[0]);
        static unsigned char buf[65536];
        unsigned char x = 0;
        for (long sent = 0; sent < total;) {
            for (int i = 0; i < (int)sizeof buf; i++) {
                buf[i] = x++;
            }
            ssize_t n = write(p[1], buf, sizeof buf);
            if (n != (ssize_t)sizeof buf) {
                _exit(2);
            }
            sent += n;
        }
        _exit(0);
    }
    close(p[1]);
    static unsigned char buf[65536];
    long got = 0;
    unsigned char x = 0;
    int ok = 1;
    long long t0 = now_ns();
    ssize_t n;
    while ((n = read(p[0], buf, sizeof buf)) > 0) {
        for (ssize_t i = 0; i < n; i++) {
            if (buf[i] != x++) {
                ok = 0;
            }
        }
        got += n;
    }
    long long dt = now_ns() - t0;
    int status;
    waitpid(c, &status, 0);
    CHECK("32 MiB through a pipe intact", ok && got == total && WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "got %ld ok %d status %x", got, ok, status);
    printf("INFO pipe throughput %.1f MB/s (including the guest's own byte generation and checking)\n",
           got / (dt / 1e9) / 1e6);
    close(p[0]);
}

/* Bytes through a pipe with no per-byte work on either side: the pipe's own speed. */
static void raw_throughput(void) {
    int p[2];
    pipe(p);
    const long total = 256L << 20;
    pid_t c = fork();
    if (c == 0) {
        close(p[0]);
        static char buf[65536];
        for (long sent = 0; sent < total;) {
            ssize_t n = write(p[1], buf, sizeof buf);
            if (n <= 0) {
                _exit(2);
            }
            sent += n;
        }
        _exit(0);
    }
    close(p[1]);
    static char buf[65536];
    long got = 0;
    long long t0 = now_ns();
    ssize_t n;
    while ((n = read(p[0], buf, sizeof buf)) > 0) {
        got += n;
    }
    long long dt = now_ns() - t0;
    int status;
    waitpid(c, &status, 0);
    CHECK("256 MiB raw transfer", got == total && WIFEXITED(status) && WEXITSTATUS(status) == 0, "got %ld", got);
    printf("INFO raw pipe throughput %.1f MB/s\n", got / (dt / 1e9) / 1e6);
    close(p[0]);
}

/* Linux's pipefs inode: a FIFO of mode 0600 owned by the creator's fsuid/fsgid, whose mode
 * fchmod changes through either end (ls -l /proc/self/fd, and programs that fchmod whatever
 * fd they are given, see it). Run in a child that gives up root first. */
static void ownership(void) {
    if (geteuid() != 0) {
        printf("INFO pipe ownership needs root, not checked\n");
        return;
    }
    pid_t pid = fork();
    if (pid == 0) {
        if (setresgid(1234, 1234, 1234) != 0 || setresuid(4321, 4321, 4321) != 0) _exit(2);
        int p[2];
        struct stat st;
        if (pipe(p) != 0) _exit(3);
        if (fstat(p[0], &st) != 0 || !S_ISFIFO(st.st_mode) || (st.st_mode & 07777) != 0600) _exit(4);
        if (st.st_uid != 4321 || st.st_gid != 1234) _exit(5);
        if (fchmod(p[1], 0640) != 0) _exit(6);
        if (fstat(p[0], &st) != 0 || (st.st_mode & 07777) != 0640 || !S_ISFIFO(st.st_mode)) _exit(7);
        if (fchown(p[0], 0, (gid_t)-1) != -1 || errno != EPERM) _exit(8);
        if (fchown(p[0], (uid_t)-1, (gid_t)-1) != 0) _exit(9);
        _exit(0);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK("pipe owned by its creator, fchmod through either end", WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "status %x", status);
}

int main(void) {
    start_tests();
    basics();
    epipe();
    nonblocking();
    blocking();
    interrupted_write();
    atomicity();
    throughput();
    raw_throughput();
    ownership();
    return finish_tests();
}
