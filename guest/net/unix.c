/* AF_UNIX sockets beyond socketpair: names in the file system and abstract ones, listen/accept/connect,
 * datagrams to names, seqpacket, credentials (SO_PEERCRED, SCM_CREDENTIALS, SO_PASSCRED). */
#include "../io/check.h"
#include <fcntl.h>
#include <stddef.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

static char dir[64];

static socklen_t path_addr(struct sockaddr_un *a, const char *name) {
    memset(a, 0, sizeof *a);
    a->sun_family = AF_UNIX;
    snprintf(a->sun_path, sizeof a->sun_path, "%s/%s", dir, name);
    return offsetof(struct sockaddr_un, sun_path) + strlen(a->sun_path) + 1;
}

static socklen_t abstract_addr(struct sockaddr_un *a, const char *name) {
    memset(a, 0, sizeof *a);
    a->sun_family = AF_UNIX;
    size_t n = strlen(name);
    memcpy(a->sun_path + 1, name, n);
    return offsetof(struct sockaddr_un, sun_path) + 1 + n;
}

static int listener(int type, struct sockaddr_un *a, socklen_t len, int backlog) {
    int s = socket(AF_UNIX, type, 0);
    if (bind(s, (struct sockaddr *)a, len) != 0 || listen(s, backlog) != 0) {
        return -1;
    }
    return s;
}

static void stream_paths(void) {
    struct sockaddr_un a, b;
    socklen_t len = path_addr(&a, "srv");
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK("listen before bind EINVAL", listen(s, 5) == -1 && errno == EINVAL, "x");
    CHECK("bind to a path", bind(s, (struct sockaddr *)&a, len) == 0, "x");
    struct stat st;
    CHECK("the path is a socket inode", stat(a.sun_path, &st) == 0 && S_ISSOCK(st.st_mode), "mode %o", st.st_mode);
    CHECK("bind again to the same name EADDRINUSE", bind(s, (struct sockaddr *)&a, len) == -1 && errno == EADDRINUSE, "x");
    struct sockaddr_un other;
    socklen_t olen = path_addr(&other, "other");
    CHECK("bind twice EINVAL", bind(s, (struct sockaddr *)&other, olen) == -1 && errno == EINVAL, "x");
    CHECK("a refused second bind leaves no file", access(other.sun_path, F_OK) == -1 && errno == ENOENT, "x");
    int s2 = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK("bind to an existing name EADDRINUSE", bind(s2, (struct sockaddr *)&a, len) == -1 && errno == EADDRINUSE, "x");
    CHECK("open() on a socket ENXIO", open(a.sun_path, O_RDWR) == -1 && errno == ENXIO, "x");
    CHECK("connect to a bound, not listening socket ECONNREFUSED",
          connect(s2, (struct sockaddr *)&a, len) == -1 && errno == ECONNREFUSED, "x");
    CHECK("listen", listen(s, 5) == 0, "x");
    int acc = 0;
    socklen_t al = sizeof acc;
    CHECK("SO_ACCEPTCONN", getsockopt(s, SOL_SOCKET, SO_ACCEPTCONN, &acc, &al) == 0 && acc == 1, "acc %d", acc);

    struct pollfd pf = {s, POLLIN, 0};
    CHECK("listener not readable without connections", poll(&pf, 1, 0) == 0, "rev %x", pf.revents);
    CHECK("connect", connect(s2, (struct sockaddr *)&a, len) == 0, "x");
    CHECK("connect again EISCONN", connect(s2, (struct sockaddr *)&a, len) == -1 && errno == EISCONN, "x");
    pf.revents = 0;
    CHECK("listener readable with a connection waiting", poll(&pf, 1, 0) == 1 && (pf.revents & POLLIN), "rev %x",
          pf.revents);
    CHECK("data before accept", write(s2, "early", 5) == 5, "x");
    socklen_t bl = sizeof b;
    memset(&b, 0x55, sizeof b);
    int c = accept4(s, (struct sockaddr *)&b, &bl, SOCK_CLOEXEC);
    CHECK("accept4", c >= 0 && fcntl(c, F_GETFD) == FD_CLOEXEC, "c %d", c);
    CHECK("accept reports an unnamed peer", bl == sizeof(sa_family_t) && b.sun_family == AF_UNIX, "bl %d", bl);
    char buf[64];
    CHECK("data sent before accept arrives", read(c, buf, sizeof buf) == 5 && memcmp(buf, "early", 5) == 0, "x");
    bl = sizeof b;
    CHECK("getsockname of the accepted socket is the listener's path",
          getsockname(c, (struct sockaddr *)&b, &bl) == 0 && bl == len && strcmp(b.sun_path, a.sun_path) == 0,
          "bl %d", bl);
    bl = sizeof b;
    CHECK("getpeername of the client is the path",
          getpeername(s2, (struct sockaddr *)&b, &bl) == 0 && bl == len && strcmp(b.sun_path, a.sun_path) == 0,
          "bl %d", bl);
    bl = sizeof b;
    CHECK("getpeername of the unnamed client", getpeername(c, (struct sockaddr *)&b, &bl) == 0
          && bl == sizeof(sa_family_t), "bl %d", bl);
    bl = 4;
    memset(&b, 0, sizeof b);
    CHECK("getsockname truncates and reports the full length",
          getsockname(s, (struct sockaddr *)&b, &bl) == 0 && bl == len && b.sun_path[0] == a.sun_path[0]
          && b.sun_path[1] == a.sun_path[1] && b.sun_path[2] == 0, "bl %d", bl);
    struct ucred cr;
    socklen_t cl = sizeof cr;
    CHECK("SO_PEERCRED of an accepted connection", getsockopt(c, SOL_SOCKET, SO_PEERCRED, &cr, &cl) == 0
          && cr.pid == getpid() && cr.uid == geteuid() && cr.gid == getegid(), "pid %d", cr.pid);
    int fl = fcntl(s, F_GETFL);
    fcntl(s, F_SETFL, fl | O_NONBLOCK);
    CHECK("non-blocking accept with nothing waiting EAGAIN", accept(s, NULL, NULL) == -1 && errno == EAGAIN, "x");
    fcntl(s, F_SETFL, fl);

    /* several clients in children, one accept loop */
    enum { N = 4 };
    for (int i = 0; i < N; i++) {
        if (fork() == 0) {
            int k = socket(AF_UNIX, SOCK_STREAM, 0);
            if (connect(k, (struct sockaddr *)&a, len) != 0) {
                _exit(1);
            }
            char m = 'A' + i;
            write(k, &m, 1);
            char r;
            _exit(read(k, &r, 1) == 1 && r == m + 32 ? 0 : 2);
        }
    }
    int seen = 0;
    for (int i = 0; i < N; i++) {
        int k = accept(s, NULL, NULL);
        char m;
        if (k >= 0 && read(k, &m, 1) == 1 && m >= 'A' && m < 'A' + N) {
            seen |= 1 << (m - 'A');
            m += 32;
            write(k, &m, 1);
        }
        close(k);
    }
    int ok = 1;
    for (int i = 0; i < N; i++) {
        int status;
        wait(&status);
        ok &= WIFEXITED(status) && WEXITSTATUS(status) == 0;
    }
    CHECK("accept serves several clients", seen == (1 << N) - 1 && ok, "seen %x", seen);

    close(c);
    close(s2);
    close(s);
    s2 = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK("after close the name stays but leads nowhere: ECONNREFUSED",
          connect(s2, (struct sockaddr *)&a, len) == -1 && errno == ECONNREFUSED && stat(a.sun_path, &st) == 0, "x");
    unlink(a.sun_path);
    CHECK("connect to a missing path ENOENT", connect(s2, (struct sockaddr *)&a, len) == -1 && errno == ENOENT, "x");
    int f = open(a.sun_path, O_CREAT | O_WRONLY, 0600);
    close(f);
    CHECK("connect to a regular file ECONNREFUSED",
          connect(s2, (struct sockaddr *)&a, len) == -1 && errno == ECONNREFUSED, "x");
    unlink(a.sun_path);
    close(s2);

    /* backlog: listen(1) holds two, a third waits (EAGAIN when non-blocking) */
    len = path_addr(&a, "small");
    s = listener(SOCK_STREAM, &a, len, 1);
    int k[3];
    int got = 0;
    for (int i = 0; i < 3; i++) {
        k[i] = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
        got += connect(k[i], (struct sockaddr *)&a, len) == 0;
    }
    CHECK("a full backlog refuses a non-blocking connect with EAGAIN", got == 2 && errno == EAGAIN, "got %d", got);
    int t = socket(AF_UNIX, SOCK_STREAM, 0);
    pid_t ch = fork();
    if (ch == 0) {
        usleep(100000);
        close(accept(s, NULL, NULL));
        _exit(0);
    }
    CHECK("a blocking connect waits for room in the backlog", connect(t, (struct sockaddr *)&a, len) == 0, "x");
    waitpid(ch, NULL, 0);
    for (int i = 0; i < 3; i++) {
        close(k[i]);
    }
    close(t);
    close(s);
    unlink(a.sun_path);
    CHECK("EPROTOTYPE connecting a stream to a datagram socket", ({
              struct sockaddr_un d;
              socklen_t dl = path_addr(&d, "dg");
              int g = socket(AF_UNIX, SOCK_DGRAM, 0);
              bind(g, (struct sockaddr *)&d, dl);
              int h = socket(AF_UNIX, SOCK_STREAM, 0);
              int r = connect(h, (struct sockaddr *)&d, dl) == -1 && errno == EPROTOTYPE;
              close(g);
              close(h);
              unlink(d.sun_path);
              r;
          }),
          "x");
}

static void abstract_names(void) {
    struct sockaddr_un a, b;
    socklen_t len = abstract_addr(&a, "friscy-test-abstract");
    int s = listener(SOCK_STREAM, &a, len, 5);
    CHECK("bind and listen on an abstract name", s >= 0, "x");
    int s2 = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK("abstract name in use EADDRINUSE", bind(s2, (struct sockaddr *)&a, len) == -1 && errno == EADDRINUSE, "x");
    socklen_t bl = sizeof b;
    CHECK("getsockname reports the abstract name", getsockname(s, (struct sockaddr *)&b, &bl) == 0 && bl == len
          && b.sun_path[0] == 0 && memcmp(b.sun_path + 1, "friscy-test-abstract", 20) == 0, "bl %d", bl);
    CHECK("connect to an abstract name", connect(s2, (struct sockaddr *)&a, len) == 0, "x");
    int c = accept(s, NULL, NULL);
    CHECK("exchange over it", write(s2, "hi", 2) == 2 && read(c, b.sun_path, 2) == 2, "x");
    close(c);
    close(s2);
    close(s);
    s2 = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK("a closed abstract name is gone: ECONNREFUSED",
          connect(s2, (struct sockaddr *)&a, len) == -1 && errno == ECONNREFUSED, "x");
    close(s2);
    s = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK("...and can be bound again", bind(s, (struct sockaddr *)&a, len) == 0, "x");
    close(s);

    /* autobind: bind with only the family gives a 5-hex-digit abstract name */
    s = socket(AF_UNIX, SOCK_DGRAM, 0);
    struct sockaddr_un u = {.sun_family = AF_UNIX};
    CHECK("autobind", bind(s, (struct sockaddr *)&u, sizeof(sa_family_t)) == 0, "x");
    bl = sizeof b;
    getsockname(s, (struct sockaddr *)&b, &bl);
    int hex = 1;
    for (int i = 1; i <= 5; i++) {
        hex &= (b.sun_path[i] >= '0' && b.sun_path[i] <= '9') || (b.sun_path[i] >= 'a' && b.sun_path[i] <= 'f');
    }
    CHECK("autobind name: NUL and five hex digits", bl == offsetof(struct sockaddr_un, sun_path) + 6
          && b.sun_path[0] == 0 && hex, "bl %d", bl);
    close(s);
}

static void datagrams(void) {
    struct sockaddr_un a, b, from;
    socklen_t la = path_addr(&a, "dga"), lb = path_addr(&b, "dgb");
    int x = socket(AF_UNIX, SOCK_DGRAM, 0), y = socket(AF_UNIX, SOCK_DGRAM, 0);
    CHECK("bind two datagram sockets", bind(x, (struct sockaddr *)&a, la) == 0
          && bind(y, (struct sockaddr *)&b, lb) == 0, "x");
    char buf[64];
    CHECK("send without a destination ENOTCONN", send(x, "z", 1, 0) == -1 && errno == ENOTCONN, "x");
    CHECK("sendto a name", sendto(x, "one", 3, 0, (struct sockaddr *)&b, lb) == 3
          && sendto(x, "second", 6, 0, (struct sockaddr *)&b, lb) == 6, "x");
    socklen_t fl = sizeof from;
    ssize_t n = recvfrom(y, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl);
    CHECK("recvfrom: boundaries and the sender's name", n == 3 && fl == la && strcmp(from.sun_path, a.sun_path) == 0,
          "n %zd fl %d", n, fl);
    CHECK("second datagram whole", recv(y, buf, sizeof buf, 0) == 6, "x");
    int u = socket(AF_UNIX, SOCK_DGRAM, 0);
    sendto(u, "anon", 4, 0, (struct sockaddr *)&b, lb);
    fl = sizeof from;
    n = recvfrom(y, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl);
    CHECK("an unnamed sender has no address", n == 4 && fl == 0, "n %zd fl %d", n, fl);
    CHECK("connect a datagram socket", connect(x, (struct sockaddr *)&b, lb) == 0 && send(x, "c", 1, 0) == 1
          && recv(y, buf, sizeof buf, 0) == 1, "x");
    struct sockaddr_un p;
    socklen_t pl = sizeof p;
    CHECK("getpeername of a connected datagram socket", getpeername(x, (struct sockaddr *)&p, &pl) == 0 && pl == lb,
          "pl %d", pl);
    CHECK("connect(y) to x, then others are refused EPERM", connect(y, (struct sockaddr *)&a, la) == 0
          && sendto(u, "no", 2, 0, (struct sockaddr *)&b, lb) == -1 && errno == EPERM, "x");
    struct sockaddr_un none;
    socklen_t nl = path_addr(&none, "nobody");
    CHECK("sendto a missing name ENOENT", sendto(u, "x", 1, 0, (struct sockaddr *)&none, nl) == -1 && errno == ENOENT,
          "x");
    struct sockaddr_un unspec = {.sun_family = AF_UNSPEC};
    CHECK("connect AF_UNSPEC dissolves", connect(x, (struct sockaddr *)&unspec, sizeof(sa_family_t)) == 0
          && send(x, "x", 1, 0) == -1 && errno == ENOTCONN, "errno %d", errno);
    close(u);
    close(x);
    close(y);
    unlink(a.sun_path);
    unlink(b.sun_path);
}

static void seqpacket(void) {
    struct sockaddr_un a;
    socklen_t len = path_addr(&a, "seq");
    int s = listener(SOCK_SEQPACKET, &a, len, 5);
    int c = socket(AF_UNIX, SOCK_SEQPACKET, 0);
    CHECK("seqpacket listen/connect", s >= 0 && connect(c, (struct sockaddr *)&a, len) == 0, "x");
    int k = accept(s, NULL, NULL);
    send(c, "abc", 3, 0);
    send(c, "de", 2, 0);
    char buf[16];
    CHECK("seqpacket keeps boundaries", recv(k, buf, sizeof buf, 0) == 3 && recv(k, buf, sizeof buf, 0) == 2, "x");
    send(c, "longer", 6, 0);
    struct iovec iov = {buf, 2};
    struct msghdr mh = {0};
    mh.msg_iov = &iov;
    mh.msg_iovlen = 1;
    CHECK("seqpacket cut short: MSG_TRUNC", recvmsg(k, &mh, 0) == 2 && (mh.msg_flags & MSG_TRUNC), "f %x",
          mh.msg_flags);
    close(c);
    CHECK("seqpacket EOF after the peer closes", recv(k, buf, sizeof buf, 0) == 0, "x");
    close(k);
    close(s);
    unlink(a.sun_path);
}

static void credentials(void) {
    int sv[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    int on = 1;
    CHECK("SO_PASSCRED", setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof on) == 0, "x");
    send(sv[0], "p", 1, 0);
    char buf[8];
    union {
        char b[CMSG_SPACE(sizeof(struct ucred))];
        struct cmsghdr align;
    } u;
    struct iovec iov = {buf, sizeof buf};
    struct msghdr mh = {0};
    mh.msg_iov = &iov;
    mh.msg_iovlen = 1;
    mh.msg_control = u.b;
    mh.msg_controllen = sizeof u.b;
    int n = recvmsg(sv[1], &mh, 0);
    struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
    struct ucred cr = {0};
    if (c && c->cmsg_type == SCM_CREDENTIALS) {
        memcpy(&cr, CMSG_DATA(c), sizeof cr);
    }
    CHECK("SO_PASSCRED delivers the sender's credentials", n == 1 && c && c->cmsg_level == SOL_SOCKET
          && c->cmsg_type == SCM_CREDENTIALS && cr.pid == getpid() && cr.uid == getuid(), "pid %d", cr.pid);

    /* explicit SCM_CREDENTIALS: one's own are accepted, a forged pid is not (unless root) */
    struct ucred mine = {getpid(), getuid(), getgid()};
    memset(&u, 0, sizeof u);
    mh.msg_control = u.b;
    mh.msg_controllen = sizeof u.b;
    c = CMSG_FIRSTHDR(&mh);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_CREDENTIALS;
    c->cmsg_len = CMSG_LEN(sizeof mine);
    memcpy(CMSG_DATA(c), &mine, sizeof mine);
    iov.iov_len = 1;
    CHECK("sendmsg SCM_CREDENTIALS with one's own", sendmsg(sv[0], &mh, 0) == 1, "x");
    if (geteuid() != 0) {
        mine.pid = 1;
        memcpy(CMSG_DATA(c), &mine, sizeof mine);
        CHECK("forged pid EPERM", sendmsg(sv[0], &mh, 0) == -1 && errno == EPERM, "x");
    }
    mh.msg_controllen = sizeof u.b;
    iov.iov_len = sizeof buf;
    n = recvmsg(sv[1], &mh, 0);
    c = CMSG_FIRSTHDR(&mh);
    CHECK("explicit credentials received", n == 1 && c && c->cmsg_type == SCM_CREDENTIALS, "n %d", n);
    close(sv[0]);
    close(sv[1]);

    /* SO_PEERCRED across fork: the client sees the listener's creator, the server the client */
    struct sockaddr_un a;
    socklen_t len = path_addr(&a, "cred");
    int s = listener(SOCK_STREAM, &a, len, 5);
    pid_t ch = fork();
    if (ch == 0) {
        int k = socket(AF_UNIX, SOCK_STREAM, 0);
        connect(k, (struct sockaddr *)&a, len);
        struct ucred pc;
        socklen_t pl = sizeof pc;
        getsockopt(k, SOL_SOCKET, SO_PEERCRED, &pc, &pl);
        write(k, &pc.pid, sizeof pc.pid);
        read(k, buf, 1);
        _exit(0);
    }
    int k = accept(s, NULL, NULL);
    struct ucred pc;
    socklen_t pl = sizeof pc;
    getsockopt(k, SOL_SOCKET, SO_PEERCRED, &pc, &pl);
    pid_t theirs = 0;
    read(k, &theirs, sizeof theirs);
    write(k, "x", 1);
    waitpid(ch, NULL, 0);
    CHECK("SO_PEERCRED: the server sees the client process", pc.pid == ch, "pid %d child %d", pc.pid, ch);
    CHECK("SO_PEERCRED: the client sees the listening process", theirs == getpid(), "pid %d", theirs);
    close(k);
    close(s);
    unlink(a.sun_path);
}

int main(void) {
    start_tests();
    mkdir("/tmp", 01777);
    snprintf(dir, sizeof dir, "/tmp/friscy-unix-XXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 2;
    }
    stream_paths();
    abstract_names();
    datagrams();
    seqpacket();
    credentials();
    rmdir(dir);
    return finish_tests();
}
