/* socketpair(AF_UNIX): stream, datagram and seqpacket pairs, shutdown, send/recv flags, options,
 * and a socket's inode (sockfs: owned by its creator, fchmod/fchown/futimens through the fd). */
#include "check.h"
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

static void stream(void) {
    int sv[2];
    CHECK("socketpair stream", socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0, "x");
    CHECK("cloexec", fcntl(sv[0], F_GETFD) == FD_CLOEXEC, "x");
    CHECK("both directions", write(sv[0], "ab", 2) == 2 && write(sv[1], "xyz", 3) == 3, "x");
    char buf[64];
    CHECK("read from peer", read(sv[1], buf, sizeof buf) == 2 && memcmp(buf, "ab", 2) == 0, "x");
    CHECK("recv MSG_PEEK keeps data", recv(sv[0], buf, sizeof buf, MSG_PEEK) == 3
          && recv(sv[0], buf, sizeof buf, 0) == 3 && memcmp(buf, "xyz", 3) == 0, "x");
    CHECK("recv MSG_DONTWAIT EAGAIN", recv(sv[0], buf, sizeof buf, MSG_DONTWAIT) == -1 && errno == EAGAIN, "x");
    int type = 0;
    socklen_t len = sizeof type;
    CHECK("SO_TYPE", getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &type, &len) == 0 && type == SOCK_STREAM, "t %d", type);
    struct ucred cr;
    len = sizeof cr;
    CHECK("SO_PEERCRED", getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &cr, &len) == 0 && cr.pid == getpid(), "pid %d",
          cr.pid);
    struct sockaddr_un sa;
    len = sizeof sa;
    CHECK("getsockname unnamed", getsockname(sv[0], (struct sockaddr *)&sa, &len) == 0 && sa.sun_family == AF_UNIX
          && len == sizeof(sa_family_t), "len %d", len);

    /* iovecs through sendmsg/recvmsg */
    struct iovec iov[2] = {{"hel", 3}, {"lo!", 3}};
    struct msghdr mh = {0};
    mh.msg_iov = iov;
    mh.msg_iovlen = 2;
    CHECK("sendmsg", sendmsg(sv[0], &mh, 0) == 6, "x");
    char a[2], b[10];
    struct iovec riov[2] = {{a, 2}, {b, 10}};
    struct msghdr rh = {0};
    rh.msg_iov = riov;
    rh.msg_iovlen = 2;
    ssize_t n = recvmsg(sv[1], &rh, 0);
    CHECK("recvmsg scatters", n == 6 && memcmp(a, "he", 2) == 0 && memcmp(b, "llo!", 4) == 0, "n %zd", n);

    /* MSG_WAITALL collects pieces written at different times */
    pid_t c = fork();
    if (c == 0) {
        write(sv[1], "12", 2);
        usleep(100000);
        write(sv[1], "345", 3);
        _exit(0);
    }
    n = recv(sv[0], buf, 5, MSG_WAITALL);
    CHECK("MSG_WAITALL", n == 5 && memcmp(buf, "12345", 5) == 0, "n %zd", n);
    waitpid(c, NULL, 0);

    /* shutdown: reads drain then see EOF, writes fail */
    write(sv[0], "q", 1);
    shutdown(sv[0], SHUT_WR);
    CHECK("data before shutdown still read", read(sv[1], buf, sizeof buf) == 1, "x");
    CHECK("EOF after peer SHUT_WR", read(sv[1], buf, sizeof buf) == 0, "x");
    struct pollfd pf = {sv[1], POLLIN | POLLRDHUP, 0};
    poll(&pf, 1, 0);
    CHECK("POLLRDHUP after peer SHUT_WR", (pf.revents & POLLRDHUP) && (pf.revents & POLLIN), "rev %x", pf.revents);
    signal(SIGPIPE, SIG_IGN);
    CHECK("write after SHUT_WR EPIPE", write(sv[0], "x", 1) == -1 && errno == EPIPE, "x");
    CHECK("the other direction still works", write(sv[1], "k", 1) == 1 && read(sv[0], buf, 1) == 1, "x");
    close(sv[1]);
    CHECK("send to closed peer EPIPE (MSG_NOSIGNAL)", send(sv[0], "x", 1, MSG_NOSIGNAL) == -1 && errno == EPIPE, "x");
    pf.fd = sv[0];
    pf.events = POLLIN;
    poll(&pf, 1, 0);
    CHECK("POLLHUP after peer close", (pf.revents & POLLHUP) != 0, "rev %x", pf.revents);
    signal(SIGPIPE, SIG_DFL);
    close(sv[0]);

    CHECK("socketpair AF_INET not supported", socketpair(AF_INET, SOCK_STREAM, 0, sv) == -1
          && (errno == EOPNOTSUPP || errno == EAFNOSUPPORT), "x");
    CHECK("socketpair SOCK_RDM unsupported", socketpair(AF_UNIX, SOCK_RDM, 0, sv) == -1 && errno == ESOCKTNOSUPPORT, "x");
    CHECK("socketpair unknown type flags EINVAL", socketpair(AF_UNIX, 77, 0, sv) == -1 && errno == EINVAL, "x");
    CHECK("send on a pipe ENOTSOCK", pipe(sv) == 0 && send(sv[1], "x", 1, 0) == -1 && errno == ENOTSOCK, "x");
    close(sv[0]);
    close(sv[1]);
}

static void blocking_stream(void) {
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    pid_t c = fork();
    if (c == 0) {
        close(sv[0]);
        static char big[1 << 20];
        long total = 0;
        ssize_t n;
        while ((n = read(sv[1], big, sizeof big)) > 0) {
            total += n;
        }
        write(sv[1], &total, sizeof total);
        _exit(0);
    }
    close(sv[1]);
    static char big[4 << 20];
    memset(big, 7, sizeof big);
    ssize_t n = write(sv[0], big, sizeof big);
    shutdown(sv[0], SHUT_WR);
    long total = 0;
    read(sv[0], &total, sizeof total);
    waitpid(c, NULL, 0);
    CHECK("4 MiB blocking stream write arrives whole", n == (ssize_t)sizeof big && total == (long)sizeof big,
          "n %zd total %ld", n, total);
    close(sv[0]);
}

static void datagrams(void) {
    int sv[2];
    CHECK("socketpair dgram", socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) == 0, "x");
    send(sv[0], "one", 3, 0);
    send(sv[0], "second", 6, 0);
    send(sv[0], "", 0, 0);
    char buf[64];
    CHECK("datagram boundaries", recv(sv[1], buf, sizeof buf, 0) == 3 && recv(sv[1], buf, sizeof buf, 0) == 6, "x");
    CHECK("empty datagram", recv(sv[1], buf, sizeof buf, 0) == 0, "x");
    send(sv[0], "truncate me", 11, 0);
    struct iovec iov = {buf, 4};
    struct msghdr mh = {0};
    mh.msg_iov = &iov;
    mh.msg_iovlen = 1;
    ssize_t n = recvmsg(sv[1], &mh, 0);
    CHECK("datagram cut to the buffer, MSG_TRUNC set", n == 4 && (mh.msg_flags & MSG_TRUNC), "n %zd", n);
    CHECK("rest of a cut datagram is gone", recv(sv[1], buf, sizeof buf, MSG_DONTWAIT) == -1 && errno == EAGAIN, "x");
    send(sv[0], "truncate me", 11, 0);
    n = recv(sv[1], buf, 4, MSG_TRUNC);
    CHECK("recv MSG_TRUNC returns the real length", n == 11, "n %zd", n);
    close(sv[1]);
    CHECK("send to closed dgram peer ECONNREFUSED", send(sv[0], "x", 1, 0) == -1 && errno == ECONNREFUSED, "x");
    close(sv[0]);

    CHECK("socketpair seqpacket", socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) == 0, "x");
    send(sv[0], "abc", 3, 0);
    send(sv[0], "de", 2, 0);
    CHECK("seqpacket boundaries", recv(sv[1], buf, sizeof buf, 0) == 3 && recv(sv[1], buf, sizeof buf, 0) == 2, "x");
    close(sv[0]);
    CHECK("seqpacket EOF after peer close", recv(sv[1], buf, sizeof buf, 0) == 0, "x");
    close(sv[1]);
}

static int send_fd(int sock, const char *data, int len, int fd) {
    struct iovec iov = {(void *)data, len};
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } u;
    memset(&u, 0, sizeof u);
    struct msghdr mh = {0};
    mh.msg_iov = &iov;
    mh.msg_iovlen = 1;
    mh.msg_control = u.buf;
    mh.msg_controllen = sizeof u.buf;
    struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &fd, sizeof fd);
    return sendmsg(sock, &mh, 0);
}

/* Returns bytes read; *fd gets a passed descriptor or -1; *flags the msg_flags. */
static int recv_fd(int sock, char *data, int len, int *fd, size_t controllen, int *flags) {
    struct iovec iov = {data, len};
    union {
        char buf[CMSG_SPACE(sizeof(int) * 4)];
        struct cmsghdr align;
    } u;
    struct msghdr mh = {0};
    mh.msg_iov = &iov;
    mh.msg_iovlen = 1;
    mh.msg_control = u.buf;
    mh.msg_controllen = controllen;
    int n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
    *fd = -1;
    *flags = mh.msg_flags;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
            memcpy(fd, CMSG_DATA(c), sizeof(int));
        }
    }
    return n;
}

static void passing(void) {
    int sv[2], p[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    pipe(p);
    CHECK("sendmsg SCM_RIGHTS", send_fd(sv[0], "ab", 2, p[1]) == 2, "x");
    close(p[1]);
    write(sv[0], "cd", 2);
    char buf[16];
    int fd, flags;
    int n = recv_fd(sv[1], buf, sizeof buf, &fd, CMSG_SPACE(sizeof(int) * 4), &flags);
    CHECK("recvmsg gets the data up to the passed fd", n == 2 && memcmp(buf, "ab", 2) == 0, "n %d", n);
    CHECK("passed fd arrives, close-on-exec as asked", fd >= 0 && fcntl(fd, F_GETFD) == FD_CLOEXEC, "fd %d", fd);
    CHECK("passed fd is the same pipe", write(fd, "via", 3) == 3 && read(p[0], buf, sizeof buf) == 3
          && memcmp(buf, "via", 3) == 0, "x");
    close(fd);
    CHECK("the pipe sees EOF once the passed fd is closed too", read(p[0], buf, sizeof buf) == 0, "x");
    n = recv_fd(sv[1], buf, sizeof buf, &fd, CMSG_SPACE(sizeof(int) * 4), &flags);
    CHECK("following data without fds", n == 2 && fd == -1 && memcmp(buf, "cd", 2) == 0, "n %d", n);
    close(p[0]);

    pipe(p);
    send_fd(sv[0], "x", 1, p[0]);
    n = recv_fd(sv[1], buf, sizeof buf, &fd, 0, &flags);
    CHECK("no room for the fd: MSG_CTRUNC", n == 1 && fd == -1 && (flags & MSG_CTRUNC), "flags %x", flags);
    close(p[0]);
    send_fd(sv[0], "y", 1, p[1]);
    close(p[1]);
    n = read(sv[1], buf, sizeof buf);
    CHECK("plain read drops passed fds", n == 1, "n %d", n);
    /* both ends of the pipe are now gone everywhere: nothing to check but no leak of the reader */
    close(sv[0]);
    close(sv[1]);

    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    pipe(p);
    send_fd(sv[0], "m", 1, p[1]);
    close(p[1]);
    n = recv_fd(sv[1], buf, sizeof buf, &fd, CMSG_SPACE(sizeof(int) * 4), &flags);
    CHECK("datagram carries an fd", n == 1 && fd >= 0 && write(fd, "q", 1) == 1 && read(p[0], buf, 1) == 1, "fd %d", fd);
    close(fd);
    close(p[0]);
    close(sv[0]);
    close(sv[1]);

    /* across fork */
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    pid_t c = fork();
    if (c == 0) {
        int q[2];
        pipe(q);
        write(q[1], "from child", 10);
        close(q[1]);
        send_fd(sv[1], "z", 1, q[0]);
        _exit(0);
    }
    n = recv_fd(sv[0], buf, sizeof buf, &fd, CMSG_SPACE(sizeof(int) * 4), &flags);
    char msg[16] = {0};
    int m = fd >= 0 ? (int)read(fd, msg, sizeof msg) : -1;
    CHECK("a child passes its pipe to the parent", n == 1 && m == 10 && memcmp(msg, "from child", 10) == 0, "m %d", m);
    waitpid(c, NULL, 0);
    close(fd);
    close(sv[0]);
    close(sv[1]);
}

/* Linux's sockfs inode: S_IFSOCK | 0777, owned by the creator's fsuid/fsgid, and changed through
 * the fd by fchmod, fchown and futimens. Checked in a child that gives up root first. */
static void inode(void) {
    if (geteuid() != 0) {
        printf("INFO socket inode ownership needs root, not checked\n");
        return;
    }
    pid_t pid = fork();
    if (pid == 0) {
        if (setresgid(1234, 1234, 1234) != 0 || setresuid(4321, 4321, 4321) != 0) _exit(2);
        int sv[2];
        struct stat st;
        if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) _exit(3);
        if (fstat(sv[0], &st) != 0 || !S_ISSOCK(st.st_mode) || (st.st_mode & 07777) != 0777) _exit(4);
        if (st.st_uid != 4321 || st.st_gid != 1234) _exit(5);
        if (fchmod(sv[0], 0600) != 0) _exit(6);
        if (fstat(sv[0], &st) != 0 || (st.st_mode & 07777) != 0600 || !S_ISSOCK(st.st_mode)) _exit(7);
        if (fstat(sv[1], &st) != 0 || (st.st_mode & 07777) != 0777) _exit(8); /* the other end: its own inode */
        if (fchown(sv[0], 0, (gid_t)-1) != -1 || errno != EPERM) _exit(9);
        if (futimens(sv[0], NULL) != 0) _exit(10);
        _exit(0);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK("socket inode owned by its creator, fchmod/fchown/futimens", WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "status %x", status);
}

int main(void) {
    start_tests();
    stream();
    blocking_stream();
    datagrams();
    passing();
    inode();
    return finish_tests();
}
