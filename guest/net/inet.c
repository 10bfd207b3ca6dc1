/* Loopback TCP and UDP (IPv4 and IPv6): the calls' contracts, readiness, errors, and 64 MiB through
 * one connection with a checksum at both ends. */
#include "../io/check.h"
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>

static struct sockaddr_in v4(const char *ip, int port) {
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    inet_pton(AF_INET, ip, &a.sin_addr);
    return a;
}

static int port_of(int s) {
    struct sockaddr_storage ss;
    socklen_t l = sizeof ss;
    if (getsockname(s, (struct sockaddr *)&ss, &l) != 0) {
        return -1;
    }
    return ntohs(ss.ss_family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
                                          : ((struct sockaddr_in6 *)&ss)->sin6_port);
}

/* A listening IPv4 socket on 127.0.0.1 and an ephemeral port. */
static int tcp_listener(struct sockaddr_in *a) {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    *a = v4("127.0.0.1", 0);
    socklen_t l = sizeof *a;
    if (bind(s, (struct sockaddr *)a, sizeof *a) != 0 || listen(s, 16) != 0
        || getsockname(s, (struct sockaddr *)a, &l) != 0) {
        return -1;
    }
    return s;
}

static volatile int sigpipes;
static void on_sigpipe(int sig) {
    sigpipes++;
}

static void tcp_basics(void) {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a;
    socklen_t l = sizeof a;
    CHECK("getsockname of a fresh socket: 0.0.0.0:0", getsockname(s, (struct sockaddr *)&a, &l) == 0
          && l == sizeof a && a.sin_family == AF_INET && a.sin_port == 0 && a.sin_addr.s_addr == 0, "l %d", l);
    CHECK("getpeername unconnected ENOTCONN", getpeername(s, (struct sockaddr *)&a, &l) == -1 && errno == ENOTCONN, "x");
    char buf[64];
    CHECK("recv unconnected ENOTCONN", recv(s, buf, 1, MSG_DONTWAIT) == -1 && errno == ENOTCONN, "x");
    CHECK("send unconnected EPIPE", send(s, "x", 1, MSG_NOSIGNAL) == -1 && errno == EPIPE, "x");
    CHECK("shutdown unconnected ENOTCONN", shutdown(s, SHUT_RDWR) == -1 && errno == ENOTCONN, "x");
    CHECK("accept on a non-listening socket EINVAL", accept(s, NULL, NULL) == -1 && errno == EINVAL, "x");
    struct sockaddr_in far = v4("10.1.2.3", 0);
    CHECK("bind to an address not on this machine EADDRNOTAVAIL",
          bind(s, (struct sockaddr *)&far, sizeof far) == -1 && errno == EADDRNOTAVAIL, "x");
    struct sockaddr_in shortaddr = v4("127.0.0.1", 0);
    CHECK("bind with a short address EINVAL", bind(s, (struct sockaddr *)&shortaddr, 8) == -1 && errno == EINVAL, "x");
    struct sockaddr_in6 six = {.sin6_family = AF_INET6};
    CHECK("bind an AF_INET socket to an AF_INET6 address EAFNOSUPPORT",
          bind(s, (struct sockaddr *)&six, sizeof six) == -1 && errno == EAFNOSUPPORT, "x");
    CHECK("listen on an unbound socket picks a port", listen(s, 4) == 0 && port_of(s) > 0, "port %d", port_of(s));
    close(s);

    struct sockaddr_in la;
    s = tcp_listener(&la);
    CHECK("bind 127.0.0.1:0 gets an ephemeral port", s >= 0 && ntohs(la.sin_port) >= 1024, "port %d",
          ntohs(la.sin_port));
    /* ss and netstat read /proc/net/tcp: the listener is there, 127.0.0.1 in host order, state 0A */
    FILE *pt = fopen("/proc/net/tcp", "r");
    char line[512], want[32];
    snprintf(want, sizeof want, "0100007F:%04X", ntohs(la.sin_port));
    int listed = 0;
    while (pt && fgets(line, sizeof line, pt)) {
        char *at = strstr(line, want);
        listed |= at && at - line < 20 && strstr(line, " 0A ") != NULL;
    }
    if (pt) {
        fclose(pt);
    }
    CHECK("/proc/net/tcp lists the listener", listed, "want %s", want);
    int d = socket(AF_INET, SOCK_STREAM, 0);
    CHECK("the same port again EADDRINUSE", bind(d, (struct sockaddr *)&la, sizeof la) == -1 && errno == EADDRINUSE,
          "x");
    int on = 1;
    setsockopt(d, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    struct sockaddr_in any = v4("0.0.0.0", ntohs(la.sin_port));
    CHECK("SO_REUSEADDR does not share a listening port", bind(d, (struct sockaddr *)&any, sizeof any) == -1
          && errno == EADDRINUSE, "x");
    close(d);

    int c = socket(AF_INET, SOCK_STREAM, 0);
    CHECK("connect to the listener", connect(c, (struct sockaddr *)&la, sizeof la) == 0, "x");
    struct sockaddr_in pa, ca, sa;
    socklen_t pl = sizeof pa;
    int k = accept(s, (struct sockaddr *)&pa, &pl);
    l = sizeof ca;
    getsockname(c, (struct sockaddr *)&ca, &l);
    CHECK("accept reports the client's address", k >= 0 && pl == sizeof pa && pa.sin_family == AF_INET
          && pa.sin_port == ca.sin_port && pa.sin_addr.s_addr == htonl(INADDR_LOOPBACK), "pl %d", pl);
    CHECK("the client got an ephemeral port on 127.0.0.1", ntohs(ca.sin_port) >= 1024
          && ca.sin_addr.s_addr == htonl(INADDR_LOOPBACK) && ca.sin_port != la.sin_port, "port %d", ntohs(ca.sin_port));
    l = sizeof sa;
    CHECK("getpeername of the client is the listener", getpeername(c, (struct sockaddr *)&sa, &l) == 0
          && sa.sin_port == la.sin_port && sa.sin_addr.s_addr == la.sin_addr.s_addr, "x");
    l = sizeof sa;
    CHECK("getsockname of the accepted socket", getsockname(k, (struct sockaddr *)&sa, &l) == 0
          && sa.sin_port == la.sin_port, "x");
    CHECK("connect again EISCONN", connect(c, (struct sockaddr *)&la, sizeof la) == -1 && errno == EISCONN, "x");

    CHECK("both directions", write(c, "ping", 4) == 4 && read(k, buf, sizeof buf) == 4 && write(k, "pong!", 5) == 5
          && read(c, buf, sizeof buf) == 5 && memcmp(buf, "pong!", 5) == 0, "x");
    write(c, "peek", 4);
    int avail = 0;
    usleep(10000);
    CHECK("FIONREAD", ioctl(k, FIONREAD, &avail) == 0 && avail == 4, "avail %d", avail);
    CHECK("MSG_PEEK then read", recv(k, buf, sizeof buf, MSG_PEEK) == 4 && read(k, buf, sizeof buf) == 4, "x");
    CHECK("MSG_DONTWAIT on empty EAGAIN", recv(k, buf, sizeof buf, MSG_DONTWAIT) == -1 && errno == EAGAIN, "x");
    /* a stream has no boundaries: two sends are read as one */
    send(c, "ab", 2, 0);
    send(c, "cd", 2, 0);
    usleep(10000);
    CHECK("stream bytes run together", recv(k, buf, sizeof buf, 0) == 4 && memcmp(buf, "abcd", 4) == 0, "x");

    /* half-close: the client stops writing, can still read */
    CHECK("shutdown SHUT_WR", shutdown(c, SHUT_WR) == 0, "x");
    CHECK("the server reads end of stream", read(k, buf, sizeof buf) == 0, "x");
    struct pollfd pf = {k, POLLIN | POLLRDHUP, 0};
    poll(&pf, 1, 0);
    CHECK("POLLRDHUP at the server", (pf.revents & POLLRDHUP) && !(pf.revents & POLLHUP), "rev %x", pf.revents);
    CHECK("the server still writes, the client still reads", write(k, "late", 4) == 4
          && read(c, buf, sizeof buf) == 4 && memcmp(buf, "late", 4) == 0, "x");
    signal(SIGPIPE, SIG_IGN);
    CHECK("the client may not write EPIPE", write(c, "x", 1) == -1 && errno == EPIPE, "x");
    signal(SIGPIPE, SIG_DFL);
    close(k);
    CHECK("end of stream at the client after the server closes", read(c, buf, sizeof buf) == 0, "x");
    pf.fd = c;
    pf.events = POLLIN;
    poll(&pf, 1, 0);
    CHECK("POLLHUP once both directions are shut", (pf.revents & POLLHUP) != 0, "rev %x", pf.revents);
    close(c);

    /* writing to a closed peer: EPIPE and SIGPIPE (Linux may take one write for the reset to come back) */
    c = socket(AF_INET, SOCK_STREAM, 0);
    connect(c, (struct sockaddr *)&la, sizeof la);
    k = accept(s, NULL, NULL);
    close(k);
    signal(SIGPIPE, on_sigpipe);
    int r = 0;
    for (int i = 0; i < 3 && r >= 0; i++) {
        r = write(c, "x", 1);
        usleep(10000);
    }
    CHECK("writing to a closed peer fails EPIPE with SIGPIPE", r == -1 && errno == EPIPE && sigpipes == 1,
          "r %d sigpipes %d", r, sigpipes);
    r = send(c, "x", 1, MSG_NOSIGNAL);
    CHECK("MSG_NOSIGNAL: EPIPE without a signal", r == -1 && errno == EPIPE && sigpipes == 1, "x");
    signal(SIGPIPE, SIG_DFL);
    close(c);

    /* closing with unread data resets the connection */
    c = socket(AF_INET, SOCK_STREAM, 0);
    connect(c, (struct sockaddr *)&la, sizeof la);
    k = accept(s, NULL, NULL);
    write(c, "unread", 6);
    usleep(10000);
    close(k);
    usleep(10000);
    CHECK("close with unread data: the peer gets ECONNRESET", read(c, buf, sizeof buf) == -1 && errno == ECONNRESET,
          "x");
    CHECK("after the reset: end of stream", read(c, buf, sizeof buf) == 0, "x");
    close(c);

    /* SO_LINGER with a zero timeout: close aborts with a reset */
    c = socket(AF_INET, SOCK_STREAM, 0);
    connect(c, (struct sockaddr *)&la, sizeof la);
    k = accept(s, NULL, NULL);
    struct linger lg = {1, 0};
    CHECK("SO_LINGER set", setsockopt(k, SOL_SOCKET, SO_LINGER, &lg, sizeof lg) == 0, "x");
    close(k);
    usleep(10000);
    CHECK("SO_LINGER 0: the peer gets ECONNRESET", read(c, buf, sizeof buf) == -1 && errno == ECONNRESET, "x");
    close(c);
    close(s);

    c = socket(AF_INET, SOCK_STREAM, 0);
    CHECK("connect to the closed port ECONNREFUSED", connect(c, (struct sockaddr *)&la, sizeof la) == -1
          && errno == ECONNREFUSED, "x");
    close(c);
}

static void nonblocking_connect(void) {
    struct sockaddr_in la;
    int s = tcp_listener(&la);
    int c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int r = connect(c, (struct sockaddr *)&la, sizeof la);
    CHECK("non-blocking connect EINPROGRESS", r == -1 && errno == EINPROGRESS, "r %d", r);
    struct pollfd pf = {c, POLLOUT, 0};
    CHECK("it becomes writable", poll(&pf, 1, 1000) == 1 && (pf.revents & POLLOUT) && !(pf.revents & POLLERR),
          "rev %x", pf.revents);
    int err = -1;
    socklen_t el = sizeof err;
    CHECK("SO_ERROR 0 after success", getsockopt(c, SOL_SOCKET, SO_ERROR, &err, &el) == 0 && err == 0, "err %d", err);
    r = connect(c, (struct sockaddr *)&la, sizeof la);
    CHECK("connect again after it completed: EISCONN or 0", r == 0 || errno == EISCONN, "r %d", r);
    CHECK("a third connect EISCONN", connect(c, (struct sockaddr *)&la, sizeof la) == -1 && errno == EISCONN, "x");
    int k = accept(s, NULL, NULL);
    CHECK("data flows", write(c, "nb", 2) == 2 && read(k, (char[4]){0}, 4) == 2, "x");
    close(k);
    close(c);
    close(s);

    c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    r = connect(c, (struct sockaddr *)&la, sizeof la);
    CHECK("non-blocking connect to a closed port: EINPROGRESS or ECONNREFUSED",
          r == -1 && (errno == EINPROGRESS || errno == ECONNREFUSED), "r %d", r);
    if (errno == EINPROGRESS) {
        pf.fd = c;
        pf.events = POLLOUT | POLLIN;
        poll(&pf, 1, 1000);
        CHECK("refused: POLLERR|POLLHUP", (pf.revents & POLLERR) && (pf.revents & POLLHUP), "rev %x", pf.revents);
        el = sizeof err;
        CHECK("SO_ERROR ECONNREFUSED", getsockopt(c, SOL_SOCKET, SO_ERROR, &err, &el) == 0 && err == ECONNREFUSED,
              "err %d", err);
        CHECK("SO_ERROR is cleared by reading it", getsockopt(c, SOL_SOCKET, SO_ERROR, &err, &el) == 0 && err == 0,
              "err %d", err);
    }
    close(c);
}

/* A listener's backlog is full: Linux drops the SYN and sends it again (1 s, 2 s, 4 s, ...), so a
 * non-blocking connect is in progress, not refused and not EAGAIN (that is AF_UNIX's answer), and
 * completes once accept makes room; if the listener closes first, the next SYN is refused. */
static void full_backlog(void) {
    struct sockaddr_in la = v4("127.0.0.1", 0);
    socklen_t l = sizeof la;
    int s = socket(AF_INET, SOCK_STREAM, 0);
    bind(s, (struct sockaddr *)&la, sizeof la);
    listen(s, 0); /* room for one connection (Linux lets backlog + 1 wait) */
    getsockname(s, (struct sockaddr *)&la, &l);
    int first = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int r = connect(first, (struct sockaddr *)&la, sizeof la);
    struct pollfd pf = {first, POLLOUT, 0};
    CHECK("backlog: the first connect completes", (r == 0 || errno == EINPROGRESS) && poll(&pf, 1, 2000) == 1
          && (pf.revents & POLLOUT), "r %d rev %x", r, pf.revents);
    int k = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    r = connect(k, (struct sockaddr *)&la, sizeof la);
    CHECK("full backlog: non-blocking TCP connect EINPROGRESS", r == -1 && errno == EINPROGRESS, "r %d", r);
    pf.fd = k;
    pf.events = POLLOUT | POLLIN;
    CHECK("full backlog: not writable while in progress", poll(&pf, 1, 0) == 0, "rev %x", pf.revents);
    int err = -1;
    socklen_t el = sizeof err;
    CHECK("full backlog: SO_ERROR 0 while in progress", getsockopt(k, SOL_SOCKET, SO_ERROR, &err, &el) == 0 && err == 0,
          "err %d", err);
    CHECK("full backlog: connect again EALREADY", connect(k, (struct sockaddr *)&la, sizeof la) == -1 && errno == EALREADY,
          "x");
    CHECK("full backlog: write EAGAIN while in progress", write(k, "x", 1) == -1 && errno == EAGAIN, "x");
    int a = accept(s, NULL, NULL);
    pf.events = POLLOUT;
    CHECK("full backlog: completes after accept makes room", poll(&pf, 1, 5000) == 1 && (pf.revents & POLLOUT)
          && !(pf.revents & POLLERR), "rev %x", pf.revents);
    r = connect(k, (struct sockaddr *)&la, sizeof la);
    CHECK("full backlog: connect again after completion: 0 or EISCONN", r == 0 || errno == EISCONN, "r %d", r);
    struct pollfd lp = {s, POLLIN, 0};
    int b = poll(&lp, 1, 5000) == 1 ? accept(s, NULL, NULL) : -1;
    char buf[4] = {0};
    CHECK("full backlog: the late connection carries data", b >= 0 && write(k, "late", 4) == 4 && read(b, buf, 4) == 4
          && memcmp(buf, "late", 4) == 0, "b %d", b);
    close(a);
    close(b);
    close(k);
    close(first);

    /* the listener closes while a connect waits for room: refused */
    first = socket(AF_INET, SOCK_STREAM, 0);
    connect(first, (struct sockaddr *)&la, sizeof la);
    k = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    r = connect(k, (struct sockaddr *)&la, sizeof la);
    CHECK("full backlog again: EINPROGRESS", r == -1 && errno == EINPROGRESS, "r %d", r);
    close(s);
    pf.fd = k;
    pf.events = POLLOUT | POLLIN;
    CHECK("listener closed: the connect in progress is refused", poll(&pf, 1, 5000) == 1 && (pf.revents & POLLERR)
          && (pf.revents & POLLHUP), "rev %x", pf.revents);
    el = sizeof err;
    CHECK("listener closed: SO_ERROR ECONNREFUSED", getsockopt(k, SOL_SOCKET, SO_ERROR, &err, &el) == 0
          && err == ECONNREFUSED, "err %d", err);
    close(k);
    close(first);

    /* AF_UNIX answers EAGAIN instead (connect(2)) */
    int u = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un ua = {.sun_family = AF_UNIX};
    snprintf(ua.sun_path + 1, sizeof ua.sun_path - 1, "friscy-backlog-%d", getpid());
    socklen_t ul = offsetof(struct sockaddr_un, sun_path) + 1 + strlen(ua.sun_path + 1);
    bind(u, (struct sockaddr *)&ua, ul);
    listen(u, 0);
    int u1 = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0), u2 = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
    connect(u1, (struct sockaddr *)&ua, ul);
    int u3 = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
    connect(u2, (struct sockaddr *)&ua, ul);
    r = connect(u3, (struct sockaddr *)&ua, ul);
    CHECK("AF_UNIX full backlog: non-blocking connect EAGAIN", r == -1 && errno == EAGAIN, "r %d", r);
    close(u3);
    close(u2);
    close(u1);
    close(u);
}

static volatile int sigurgs;
static void on_sigurg(int sig) {
    sigurgs++;
}

static int at_mark(int fd) {
    int m = -1;
    return ioctl(fd, SIOCATMARK, &m) == 0 ? m : -1;
}

/* TCP urgent data (MSG_OOB) as Linux keeps it: one mark on the last byte of the latest urgent
 * send; reads stop at it; the marked byte is out of line (recv(MSG_OOB)) unless SO_OOBINLINE. */
static void urgent_data(void) {
    struct sockaddr_in la;
    int s = tcp_listener(&la);
    int c = socket(AF_INET, SOCK_STREAM, 0);
    connect(c, (struct sockaddr *)&la, sizeof la);
    int k = accept(s, NULL, NULL);
    signal(SIGURG, on_sigurg);
    fcntl(k, F_SETOWN, getpid());
    char b[64];
    CHECK("MSG_OOB: nothing urgent EINVAL", recv(k, b, sizeof b, MSG_OOB | MSG_DONTWAIT) == -1 && errno == EINVAL, "x");
    int r1 = send(c, "abc", 3, 0), r2 = send(c, "XYZ", 3, MSG_OOB), r3 = send(c, "def", 3, 0);
    CHECK("MSG_OOB: send urgent data", r1 == 3 && r2 == 3 && r3 == 3, "%d %d %d", r1, r2, r3);
    struct pollfd pf = {k, POLLIN | POLLPRI, 0};
    CHECK("MSG_OOB: POLLPRI and POLLIN", poll(&pf, 1, 2000) == 1 && (pf.revents & (POLLPRI | POLLIN)) == (POLLPRI | POLLIN),
          "rev %x", pf.revents);
    CHECK("MSG_OOB: SIGURG to the owner", sigurgs == 1, "sigurgs %d", sigurgs);
    CHECK("MSG_OOB: not at the mark yet", at_mark(k) == 0, "x");
    int n = recv(k, b, sizeof b, MSG_DONTWAIT);
    CHECK("MSG_OOB: a read stops at the mark", n == 5 && memcmp(b, "abcXY", 5) == 0, "n %d", n);
    CHECK("MSG_OOB: SIOCATMARK at the mark", at_mark(k) == 1, "x");
    char ob = 0;
    struct iovec iov = {&ob, 1};
    struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
    n = recvmsg(k, &mh, MSG_OOB | MSG_DONTWAIT);
    CHECK("MSG_OOB: recvmsg takes the urgent byte", n == 1 && ob == 'Z' && (mh.msg_flags & MSG_OOB), "n %d flags %x", n,
          mh.msg_flags);
    pf.revents = 0;
    poll(&pf, 1, 0);
    CHECK("MSG_OOB: no POLLPRI once taken", !(pf.revents & POLLPRI) && (pf.revents & POLLIN), "rev %x", pf.revents);
    CHECK("MSG_OOB: taken once, then EINVAL", recv(k, b, sizeof b, MSG_OOB | MSG_DONTWAIT) == -1 && errno == EINVAL, "x");
    n = recv(k, b, sizeof b, MSG_DONTWAIT);
    CHECK("MSG_OOB: the urgent byte is out of line", n == 3 && memcmp(b, "def", 3) == 0, "n %d", n);
    CHECK("MSG_OOB: past the mark", at_mark(k) == 0, "x");

    send(c, "12", 2, MSG_OOB);
    send(c, "34", 2, 0);
    poll(&pf, 1, 2000);
    n = recv(k, b, sizeof b, MSG_DONTWAIT);
    CHECK("MSG_OOB: read up to the mark", n == 1 && b[0] == '1', "n %d", n);
    n = recv(k, b, sizeof b, MSG_DONTWAIT);
    CHECK("MSG_OOB: a read at the mark leaves the byte out", n == 2 && memcmp(b, "34", 2) == 0, "n %d", n);
    CHECK("MSG_OOB: passed unread, the byte is gone", recv(k, b, sizeof b, MSG_OOB | MSG_DONTWAIT) == -1 && errno == EINVAL,
          "x");

    send(c, "A", 1, MSG_OOB);
    send(c, "B", 1, MSG_OOB);
    poll(&pf, 1, 2000);
    usleep(20000);
    n = recv(k, b, sizeof b, MSG_OOB | MSG_PEEK | MSG_DONTWAIT);
    CHECK("MSG_OOB|MSG_PEEK: the latest mark", n == 1 && b[0] == 'B', "n %d", n);
    n = recv(k, b, sizeof b, MSG_OOB | MSG_DONTWAIT);
    CHECK("MSG_OOB: a peek did not take it", n == 1 && b[0] == 'B', "n %d", n);
    CHECK("MSG_OOB: the older urgent byte the reader stood at was dropped",
          recv(k, b, sizeof b, MSG_DONTWAIT) == -1 && errno == EAGAIN, "x");

    int one = 1;
    setsockopt(k, SOL_SOCKET, SO_OOBINLINE, &one, sizeof one);
    send(c, "uv", 2, MSG_OOB);
    send(c, "w", 1, 0);
    pf.revents = 0;
    poll(&pf, 1, 2000);
    usleep(20000);
    CHECK("SO_OOBINLINE: POLLPRI still", pf.revents & POLLPRI, "rev %x", pf.revents);
    CHECK("SO_OOBINLINE: MSG_OOB EINVAL", recv(k, b, sizeof b, MSG_OOB | MSG_DONTWAIT) == -1 && errno == EINVAL, "x");
    n = recv(k, b, sizeof b, MSG_DONTWAIT);
    CHECK("SO_OOBINLINE: a read stops before the mark", n == 1 && b[0] == 'u', "n %d", n);
    CHECK("SO_OOBINLINE: at the mark", at_mark(k) == 1, "x");
    n = recv(k, b, sizeof b, MSG_DONTWAIT);
    CHECK("SO_OOBINLINE: the urgent byte in line", n == 2 && memcmp(b, "vw", 2) == 0, "n %d", n);
    CHECK("MSG_OOB: an empty urgent send", send(c, "", 0, MSG_OOB) == 0, "x");
    signal(SIGURG, SIG_DFL);
    close(k);
    close(c);
    close(s);

    int u = socket(AF_INET, SOCK_DGRAM, 0);
    CHECK("MSG_OOB: UDP EOPNOTSUPP", sendto(u, "x", 1, MSG_OOB, (struct sockaddr *)&la, sizeof la) == -1
          && errno == EOPNOTSUPP, "x");
    struct sockaddr_in ua = v4("127.0.0.1", 0);
    socklen_t ul = sizeof ua;
    bind(u, (struct sockaddr *)&ua, sizeof ua);
    getsockname(u, (struct sockaddr *)&ua, &ul);
    sendto(u, "hi", 2, 0, (struct sockaddr *)&ua, sizeof ua);
    usleep(20000);
    n = recv(u, b, sizeof b, MSG_OOB | MSG_DONTWAIT);
    CHECK("MSG_OOB: UDP receives as without it", n == 2 && memcmp(b, "hi", 2) == 0, "n %d", n);
    close(u);
}

static void several_clients(void) {
    struct sockaddr_in la;
    int s = tcp_listener(&la);
    enum { N = 5 };
    for (int i = 0; i < N; i++) {
        if (fork() == 0) {
            int c = socket(AF_INET, SOCK_STREAM, 0);
            if (connect(c, (struct sockaddr *)&la, sizeof la) != 0) {
                _exit(1);
            }
            char m = '0' + i, r = 0;
            write(c, &m, 1);
            _exit(read(c, &r, 1) == 1 && r == m + 1 ? 0 : 2);
        }
    }
    /* accept through epoll, as event loops do */
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = s};
    epoll_ctl(ep, EPOLL_CTL_ADD, s, &ev);
    int seen = 0, served = 0;
    while (served < N) {
        struct epoll_event got[8];
        int n = epoll_wait(ep, got, 8, 5000);
        if (n <= 0) {
            break;
        }
        for (int i = 0; i < n; i++) {
            if (got[i].data.fd == s) {
                int k = accept4(s, NULL, NULL, SOCK_NONBLOCK);
                struct epoll_event e2 = {.events = EPOLLIN, .data.fd = k};
                epoll_ctl(ep, EPOLL_CTL_ADD, k, &e2);
            } else {
                char m;
                int k = got[i].data.fd;
                if (read(k, &m, 1) == 1) {
                    seen |= 1 << (m - '0');
                    m++;
                    write(k, &m, 1);
                }
                epoll_ctl(ep, EPOLL_CTL_DEL, k, NULL);
                close(k);
                served++;
            }
        }
    }
    int ok = 1;
    for (int i = 0; i < N; i++) {
        int st;
        wait(&st);
        ok &= WIFEXITED(st) && WEXITSTATUS(st) == 0;
    }
    CHECK("an epoll loop serves several clients", seen == (1 << N) - 1 && ok, "seen %x", seen);
    close(ep);

    /* select on a listener */
    int c = socket(AF_INET, SOCK_STREAM, 0);
    fd_set rd;
    FD_ZERO(&rd);
    FD_SET(s, &rd);
    struct timeval tv = {0, 0};
    CHECK("select: listener not ready", select(s + 1, &rd, NULL, NULL, &tv) == 0, "x");
    connect(c, (struct sockaddr *)&la, sizeof la);
    FD_SET(s, &rd);
    tv.tv_sec = 1;
    CHECK("select: listener ready with a connection", select(s + 1, &rd, NULL, NULL, &tv) == 1 && FD_ISSET(s, &rd),
          "x");
    close(c);
    close(s);
}

static uint64_t mix(uint64_t h, const unsigned char *p, size_t n) {
    for (size_t i = 0; i < n; i++) {
        h = (h ^ p[i]) * 0x100000001b3ULL;
    }
    return h;
}

static void bulk(void) {
    struct sockaddr_in la;
    int s = tcp_listener(&la);
    const long total = 64L << 20;
    int pfd[2];
    pipe(pfd);
    pid_t ch = fork();
    if (ch == 0) {
        int c = socket(AF_INET, SOCK_STREAM, 0);
        connect(c, (struct sockaddr *)&la, sizeof la);
        static unsigned char buf[1 << 16];
        uint64_t h = 0xcbf29ce484222325ULL, x = 12345;
        for (long sent = 0; sent < total;) {
            for (size_t i = 0; i < sizeof buf; i++) {
                x = x * 6364136223846793005ULL + 1442695040888963407ULL;
                buf[i] = x >> 56;
            }
            size_t n = sizeof buf;
            h = mix(h, buf, n);
            for (size_t off = 0; off < n;) {
                ssize_t w = write(c, buf + off, n - off);
                if (w <= 0) {
                    _exit(1);
                }
                off += w;
            }
            sent += n;
        }
        write(pfd[1], &h, sizeof h);
        close(c);
        _exit(0);
    }
    close(pfd[1]);
    int k = accept(s, NULL, NULL);
    static unsigned char buf[1 << 16];
    uint64_t h = 0xcbf29ce484222325ULL;
    long got = 0;
    long long t0 = now_ns();
    ssize_t n;
    while ((n = read(k, buf, sizeof buf)) > 0) {
        h = mix(h, buf, n);
        got += n;
    }
    long long t1 = now_ns();
    uint64_t sent_h = 0;
    read(pfd[0], &sent_h, sizeof sent_h);
    int st;
    waitpid(ch, &st, 0);
    CHECK("64 MiB through loopback TCP, checksums equal", got == total && h == sent_h && WIFEXITED(st)
          && WEXITSTATUS(st) == 0, "got %ld", got);
    printf("INFO 64 MiB (with checksums at both ends) in %.0f ms\n", (t1 - t0) / 1e6);
    close(k);
    close(s);
    close(pfd[0]);
}

static void options(void) {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    int v = 1, got = -1;
    socklen_t l = sizeof got;
    CHECK("TCP_NODELAY set/get", setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &v, sizeof v) == 0
          && getsockopt(s, IPPROTO_TCP, TCP_NODELAY, &got, &l) == 0 && got == 1, "got %d", got);
    CHECK("SO_KEEPALIVE set/get", setsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &v, sizeof v) == 0
          && getsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &got, &l) == 0 && got == 1, "got %d", got);
    CHECK("SO_REUSEADDR default 0", getsockopt(s, SOL_SOCKET, SO_REUSEADDR, &got, &l) == 0 && got == 0, "x");
    v = 65536;
    CHECK("SO_RCVBUF is doubled", setsockopt(s, SOL_SOCKET, SO_RCVBUF, &v, sizeof v) == 0
          && getsockopt(s, SOL_SOCKET, SO_RCVBUF, &got, &l) == 0 && got == 131072, "got %d", got);
    v = 100000;
    CHECK("SO_SNDBUF is doubled", setsockopt(s, SOL_SOCKET, SO_SNDBUF, &v, sizeof v) == 0
          && getsockopt(s, SOL_SOCKET, SO_SNDBUF, &got, &l) == 0 && got == 200000, "got %d", got);
    CHECK("SO_TYPE/SO_PROTOCOL/SO_DOMAIN", getsockopt(s, SOL_SOCKET, SO_TYPE, &got, &l) == 0 && got == SOCK_STREAM
          && getsockopt(s, SOL_SOCKET, SO_PROTOCOL, &got, &l) == 0 && got == IPPROTO_TCP
          && getsockopt(s, SOL_SOCKET, SO_DOMAIN, &got, &l) == 0 && got == AF_INET, "x");
    v = 30;
    CHECK("TCP_KEEPIDLE", setsockopt(s, IPPROTO_TCP, TCP_KEEPIDLE, &v, sizeof v) == 0
          && getsockopt(s, IPPROTO_TCP, TCP_KEEPIDLE, &got, &l) == 0 && got == 30, "x");
    v = 0;
    CHECK("TCP_KEEPIDLE 0 EINVAL", setsockopt(s, IPPROTO_TCP, TCP_KEEPIDLE, &v, sizeof v) == -1 && errno == EINVAL, "x");
    CHECK("unknown SOL_SOCKET option ENOPROTOOPT", getsockopt(s, SOL_SOCKET, 9999, &got, &l) == -1
          && errno == ENOPROTOOPT, "x");
    CHECK("short option value EINVAL", setsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &v, 2) == -1 && errno == EINVAL, "x");
    v = 5;
    CHECK("TCP_CORK is a flag: 5 reads 1", setsockopt(s, IPPROTO_TCP, TCP_CORK, &v, sizeof v) == 0
          && getsockopt(s, IPPROTO_TCP, TCP_CORK, &got, &l) == 0 && got == 1, "got %d", got);
    CHECK("TCP_QUICKACK default 1, TCP_MAXSEG known", getsockopt(s, IPPROTO_TCP, TCP_QUICKACK, &got, &l) == 0 && got == 1
          && getsockopt(s, IPPROTO_TCP, TCP_MAXSEG, &got, &l) == 0 && got > 0, "got %d", got);
    v = 128;
    CHECK("TCP_KEEPCNT 128 EINVAL", setsockopt(s, IPPROTO_TCP, TCP_KEEPCNT, &v, sizeof v) == -1 && errno == EINVAL, "x");
    v = 7;
    if (geteuid() == 0)
        CHECK("SO_PRIORITY 7 as root (CAP_NET_ADMIN)", setsockopt(s, SOL_SOCKET, SO_PRIORITY, &v, sizeof v) == 0
              && getsockopt(s, SOL_SOCKET, SO_PRIORITY, &got, &l) == 0 && got == 7, "got %d", got);
    else
        CHECK("SO_PRIORITY 7 needs CAP_NET_ADMIN", setsockopt(s, SOL_SOCKET, SO_PRIORITY, &v, sizeof v) == -1
              && errno == EPERM, "x");
    v = 0;
    CHECK("SO_RCVLOWAT 0 reads 1", setsockopt(s, SOL_SOCKET, SO_RCVLOWAT, &v, sizeof v) == 0
          && getsockopt(s, SOL_SOCKET, SO_RCVLOWAT, &got, &l) == 0 && got == 1, "got %d", got);
    v = 9;
    CHECK("IP_TTL set/get", setsockopt(s, IPPROTO_IP, IP_TTL, &v, sizeof v) == 0
          && getsockopt(s, IPPROTO_IP, IP_TTL, &got, &l) == 0 && got == 9, "got %d", got);
    v = -1;
    CHECK("IP_TTL -1 is the default again", setsockopt(s, IPPROTO_IP, IP_TTL, &v, sizeof v) == 0
          && getsockopt(s, IPPROTO_IP, IP_TTL, &got, &l) == 0 && got == 64, "got %d", got);
    v = 0;
    CHECK("IP_TTL 0 EINVAL", setsockopt(s, IPPROTO_IP, IP_TTL, &v, sizeof v) == -1 && errno == EINVAL, "x");
    v = 256;
    CHECK("IP_TTL 256 EINVAL", setsockopt(s, IPPROTO_IP, IP_TTL, &v, sizeof v) == -1 && errno == EINVAL, "x");
    CHECK("reading an IPv6 option from an IPv4 socket EOPNOTSUPP", getsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &got, &l) == -1
          && errno == EOPNOTSUPP, "x");
    CHECK("setting one ENOPROTOOPT", setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &v, sizeof v) == -1
          && errno == ENOPROTOOPT, "x");
    struct timeval tv = {0, 200000};
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    struct timeval tg;
    socklen_t tl = sizeof tg;
    CHECK("SO_RCVTIMEO set/get", getsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tg, &tl) == 0 && tg.tv_usec == 200000, "x");
    close(s);
    int u = socket(AF_INET, SOCK_DGRAM, 0);
    v = 1;
    CHECK("TCP option on UDP ENOPROTOOPT", setsockopt(u, IPPROTO_TCP, TCP_NODELAY, &v, sizeof v) == -1
          && errno == ENOPROTOOPT, "x");
    CHECK("listen on UDP EOPNOTSUPP", listen(u, 1) == -1 && errno == EOPNOTSUPP, "x");
    CHECK("reading a TCP option on UDP EOPNOTSUPP", getsockopt(u, IPPROTO_TCP, TCP_NODELAY, &got, &l) == -1
          && errno == EOPNOTSUPP, "x");
    int u6 = socket(AF_INET6, SOCK_DGRAM, 0);
    CHECK("on IPv6 UDP ENOPROTOOPT", getsockopt(u6, IPPROTO_TCP, TCP_NODELAY, &got, &l) == -1
          && errno == ENOPROTOOPT, "x");
    close(u6);

    /* SO_RCVTIMEO makes a blocking recv give up with EAGAIN */
    struct sockaddr_in a = v4("127.0.0.1", 0);
    bind(u, (struct sockaddr *)&a, sizeof a);
    setsockopt(u, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    long long t0 = now_ns();
    char b;
    int r = recv(u, &b, 1, 0);
    long long ms = (now_ns() - t0) / 1000000;
    CHECK("SO_RCVTIMEO: recv times out with EAGAIN", r == -1 && errno == EAGAIN && ms >= 150 && ms < 2000, "ms %lld", ms);
    t0 = now_ns();
    r = read(u, &b, 1);
    ms = (now_ns() - t0) / 1000000;
    CHECK("SO_RCVTIMEO: read(2) too", r == -1 && errno == EAGAIN && ms >= 150 && ms < 2000, "ms %lld", ms);
    close(u);
}

static void udp(void) {
    int x = socket(AF_INET, SOCK_DGRAM, 0), y = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a = v4("127.0.0.1", 0), b = v4("127.0.0.1", 0), from;
    socklen_t l = sizeof a;
    bind(x, (struct sockaddr *)&a, sizeof a);
    bind(y, (struct sockaddr *)&b, sizeof b);
    getsockname(x, (struct sockaddr *)&a, &l);
    l = sizeof b;
    getsockname(y, (struct sockaddr *)&b, &l);
    char buf[256];
    CHECK("send on unconnected UDP EDESTADDRREQ", send(x, "x", 1, 0) == -1 && errno == EDESTADDRREQ, "x");
    CHECK("sendto", sendto(x, "first", 5, 0, (struct sockaddr *)&b, sizeof b) == 5
          && sendto(x, "second!", 7, 0, (struct sockaddr *)&b, sizeof b) == 7
          && sendto(x, "", 0, 0, (struct sockaddr *)&b, sizeof b) == 0, "x");
    usleep(10000);
    l = sizeof from;
    ssize_t n = recvfrom(y, buf, sizeof buf, 0, (struct sockaddr *)&from, &l);
    CHECK("datagram boundaries and the sender's address", n == 5 && l == sizeof from && from.sin_port == a.sin_port
          && from.sin_addr.s_addr == htonl(INADDR_LOOPBACK), "n %zd", n);
    CHECK("second datagram whole", recv(y, buf, sizeof buf, 0) == 7, "x");
    CHECK("an empty datagram", recv(y, buf, sizeof buf, 0) == 0, "x");
    sendto(x, "0123456789", 10, 0, (struct sockaddr *)&b, sizeof b);
    usleep(10000);
    struct iovec iov = {buf, 4};
    struct msghdr mh = {0};
    mh.msg_iov = &iov;
    mh.msg_iovlen = 1;
    mh.msg_name = &from;
    mh.msg_namelen = sizeof from;
    n = recvmsg(y, &mh, 0);
    CHECK("a cut datagram: MSG_TRUNC, the rest is gone", n == 4 && (mh.msg_flags & MSG_TRUNC)
          && mh.msg_namelen == sizeof from && recv(y, buf, sizeof buf, MSG_DONTWAIT) == -1 && errno == EAGAIN,
          "n %zd", n);
    static char big[65507];
    CHECK("65507 bytes is the largest IPv4 datagram", sendto(x, big, sizeof big, 0, (struct sockaddr *)&b, sizeof b)
          == (ssize_t)sizeof big, "x");
    CHECK("one more EMSGSIZE", sendto(x, big, sizeof big + 1, 0, (struct sockaddr *)&b, sizeof b) == -1
          && errno == EMSGSIZE, "x");
    usleep(10000);
    CHECK("the large datagram arrives whole", recv(y, big, sizeof big, 0) == (ssize_t)sizeof big, "x");

    /* connected UDP: a datagram to a port nobody has is reported to the sender */
    int z = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in gone = v4("127.0.0.1", 0);
    bind(z, (struct sockaddr *)&gone, sizeof gone);
    l = sizeof gone;
    getsockname(z, (struct sockaddr *)&gone, &l);
    close(z);
    CHECK("connect UDP", connect(x, (struct sockaddr *)&gone, sizeof gone) == 0, "x");
    CHECK("send to a closed port succeeds", send(x, "lost", 4, 0) == 4, "x");
    usleep(20000);
    CHECK("...and the next call gets ECONNREFUSED", recv(x, buf, sizeof buf, MSG_DONTWAIT) == -1
          && errno == ECONNREFUSED, "x");
    /* a connected socket only takes datagrams from its peer */
    connect(x, (struct sockaddr *)&b, sizeof b);
    int w = socket(AF_INET, SOCK_DGRAM, 0);
    sendto(w, "stranger", 8, 0, (struct sockaddr *)&a, sizeof a);
    sendto(y, "peer", 4, 0, (struct sockaddr *)&a, sizeof a);
    usleep(10000);
    n = recv(x, buf, sizeof buf, 0);
    CHECK("a connected UDP socket ignores strangers", n == 4 && memcmp(buf, "peer", 4) == 0, "n %zd", n);
    struct pollfd pf = {y, POLLIN, 0};
    CHECK("UDP poll: nothing queued", poll(&pf, 1, 0) == 0, "x");
    send(x, "r", 1, 0);
    CHECK("UDP poll: POLLIN", poll(&pf, 1, 1000) == 1 && (pf.revents & POLLIN), "x");
    close(w);
    close(x);
    close(y);

    /* two UDP sockets with SO_REUSEADDR may share a port */
    int on = 1;
    int p = socket(AF_INET, SOCK_DGRAM, 0), q = socket(AF_INET, SOCK_DGRAM, 0);
    setsockopt(p, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    setsockopt(q, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    struct sockaddr_in s1 = v4("127.0.0.1", 0);
    bind(p, (struct sockaddr *)&s1, sizeof s1);
    l = sizeof s1;
    getsockname(p, (struct sockaddr *)&s1, &l);
    CHECK("UDP SO_REUSEADDR shares a port", bind(q, (struct sockaddr *)&s1, sizeof s1) == 0, "x");
    close(p);
    close(q);
}

static void ipv6(void) {
    int s = socket(AF_INET6, SOCK_STREAM, 0);
    struct sockaddr_in6 a = {.sin6_family = AF_INET6, .sin6_addr = IN6ADDR_ANY_INIT};
    socklen_t l = sizeof a;
    CHECK("bind [::]:0 and listen", bind(s, (struct sockaddr *)&a, sizeof a) == 0 && listen(s, 4) == 0
          && getsockname(s, (struct sockaddr *)&a, &l) == 0 && l == sizeof a, "x");
    struct sockaddr_in6 lo = a;
    lo.sin6_addr = in6addr_loopback;
    int c = socket(AF_INET6, SOCK_STREAM, 0);
    CHECK("connect to [::1]", connect(c, (struct sockaddr *)&lo, sizeof lo) == 0, "x");
    struct sockaddr_in6 p;
    l = sizeof p;
    int k = accept(s, (struct sockaddr *)&p, &l);
    CHECK("the peer is ::1", k >= 0 && l == sizeof p && IN6_IS_ADDR_LOOPBACK(&p.sin6_addr), "x");
    close(k);
    close(c);
    /* a dual-stack listener takes IPv4 connections; their addresses are v4-mapped */
    int c4 = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a4 = v4("127.0.0.1", ntohs(a.sin6_port));
    CHECK("IPv4 client to a dual-stack [::] listener", connect(c4, (struct sockaddr *)&a4, sizeof a4) == 0, "x");
    l = sizeof p;
    k = accept(s, (struct sockaddr *)&p, &l);
    CHECK("its address is v4-mapped", k >= 0 && p.sin6_family == AF_INET6 && IN6_IS_ADDR_V4MAPPED(&p.sin6_addr), "x");
    close(k);
    close(c4);
    close(s);

    s = socket(AF_INET6, SOCK_STREAM, 0);
    int on = 1;
    setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on);
    a.sin6_port = 0;
    bind(s, (struct sockaddr *)&a, sizeof a);
    listen(s, 4);
    c4 = socket(AF_INET, SOCK_STREAM, 0);
    a4 = v4("127.0.0.1", port_of(s));
    CHECK("IPV6_V6ONLY: no IPv4 connections", connect(c4, (struct sockaddr *)&a4, sizeof a4) == -1
          && errno == ECONNREFUSED, "x");
    int s4 = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in any4 = v4("0.0.0.0", port_of(s));
    CHECK("IPV6_V6ONLY: the IPv4 port is free", bind(s4, (struct sockaddr *)&any4, sizeof any4) == 0, "x");
    int off = 0;
    CHECK("IPV6_V6ONLY cannot change once bound", setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off) == -1
          && errno == EINVAL, "x");
    close(s4);
    close(c4);
    close(s);

    int u = socket(AF_INET6, SOCK_DGRAM, 0);
    struct sockaddr_in6 ua = {.sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT};
    bind(u, (struct sockaddr *)&ua, sizeof ua);
    l = sizeof ua;
    getsockname(u, (struct sockaddr *)&ua, &l);
    sendto(u, "six", 3, 0, (struct sockaddr *)&ua, sizeof ua);
    char buf[8];
    struct sockaddr_in6 from;
    l = sizeof from;
    usleep(10000);
    CHECK("UDP over ::1 to oneself", recvfrom(u, buf, sizeof buf, 0, (struct sockaddr *)&from, &l) == 3
          && l == sizeof from && from.sin6_port == ua.sin6_port, "x");
    close(u);
}

/* The interfaces as getifaddrs sees them (netlink): lo with 127.0.0.1 and ::1, up, loopback. */
static void interfaces(void) {
    struct ifaddrs *list = NULL;
    CHECK("getifaddrs", getifaddrs(&list) == 0 && list != NULL, "x");
    int lo4 = 0, lo6 = 0, lo_link = 0;
    for (struct ifaddrs *i = list; i; i = i->ifa_next) {
        if (strcmp(i->ifa_name, "lo") != 0 || !(i->ifa_flags & IFF_UP) || !(i->ifa_flags & IFF_LOOPBACK)) {
            continue;
        }
        if (!i->ifa_addr) {
            continue;
        }
        if (i->ifa_addr->sa_family == AF_INET) {
            struct sockaddr_in *a = (struct sockaddr_in *)i->ifa_addr, *m = (struct sockaddr_in *)i->ifa_netmask;
            lo4 = a->sin_addr.s_addr == htonl(INADDR_LOOPBACK) && m && m->sin_addr.s_addr == htonl(0xff000000);
        } else if (i->ifa_addr->sa_family == AF_INET6) {
            lo6 |= IN6_IS_ADDR_LOOPBACK(&((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr);
        } else {
            lo_link = 1; /* AF_PACKET: the link itself */
        }
    }
    CHECK("getifaddrs: lo has 127.0.0.1/8", lo4, "x");
    CHECK("getifaddrs: lo has ::1", lo6, "x");
    CHECK("getifaddrs: the lo link", lo_link, "x");
    freeifaddrs(list);

    /* the SIOCGIF ioctls (if_nametoindex, ifconfig) */
    CHECK("if_nametoindex(lo) is 1", if_nametoindex("lo") == 1, "x");
    char name[IF_NAMESIZE];
    CHECK("if_indextoname(1) is lo", if_indextoname(1, name) && strcmp(name, "lo") == 0, "x");
    CHECK("no such interface", if_nametoindex("nosuch0") == 0 && errno == ENODEV, "x");
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    struct ifreq r;
    memset(&r, 0, sizeof r);
    strcpy(r.ifr_name, "lo");
    CHECK("SIOCGIFFLAGS: up, loopback", ioctl(s, SIOCGIFFLAGS, &r) == 0 && (r.ifr_flags & IFF_UP)
          && (r.ifr_flags & IFF_LOOPBACK), "flags %x", r.ifr_flags);
    CHECK("SIOCGIFMTU 65536", ioctl(s, SIOCGIFMTU, &r) == 0 && r.ifr_mtu == 65536, "mtu %d", r.ifr_mtu);
    CHECK("SIOCGIFADDR 127.0.0.1", ioctl(s, SIOCGIFADDR, &r) == 0
          && ((struct sockaddr_in *)&r.ifr_addr)->sin_addr.s_addr == htonl(INADDR_LOOPBACK), "x");
    close(s);
}

int main(void) {
    start_tests();
    tcp_basics();
    nonblocking_connect();
    full_backlog();
    urgent_data();
    several_clients();
    options();
    udp();
    ipv6();
    interfaces();
    bulk();
    return finish_tests();
}
