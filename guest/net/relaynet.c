/* Guest TCP through the browser's relay (friscy serve --relay), run in the page by the e2e
 * RelayTest. The relay maps 192.0.2.1:7 to an echo server of the test on 127.0.0.1 (it answers
 * "echo:" and what it got once the guest shuts down writing) and 192.0.2.1:8 to a closed port;
 * 10.0.0.1 is refused by the relay's rules without any connection; UDP to 192.0.2.1:9 goes to
 * a datagram echo server of the test.
 *   relaynet           the checks above
 *   relaynet norelay   the page has no relay: ENETUNREACH at once, blocking or not
 *   relaynet garbage   the "relay" is the test's own server answering nonsense for 192.0.2.1:7..11:
 *                      the guest sees an error, the Worker goes on */
#include "../io/check.h"
#include "client.h"
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

static int no_relay(void) {
    struct sockaddr_in a = dest("192.0.2.1", 7);
    int s = socket(AF_INET, SOCK_STREAM, 0);
    long long t0 = now_ns();
    int r = connect(s, (struct sockaddr *)&a, sizeof a);
    long long ms = (now_ns() - t0) / 1000000;
    CHECK("no relay: blocking connect ENETUNREACH", r == -1 && errno == ENETUNREACH, "r %d", r);
    CHECK("no relay: at once", ms < 1000, "%lld ms", ms);
    close(s);
    s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    r = connect(s, (struct sockaddr *)&a, sizeof a);
    CHECK("no relay: non-blocking connect ENETUNREACH too", r == -1 && errno == ENETUNREACH, "r %d", r);
    close(s);
    return finish_tests();
}

/* A connection the relay breaks with bad frames: the guest sees EPROTO at connect or at read.
 * idle: read nothing until the error is there (POLLERR), so the guest returns no credit. */
static void broken_by(int port, const char *name, int idle) {
    struct sockaddr_in a = dest("192.0.2.1", port);
    int s = socket(AF_INET, SOCK_STREAM, 0);
    int r = connect(s, (struct sockaddr *)&a, sizeof a);
    if (r == 0 && idle) {
        struct pollfd pf = {s, 0, 0};
        CHECK("the overrun shows as POLLERR", poll(&pf, 1, 20000) == 1 && (pf.revents & POLLERR), "rev %x", pf.revents);
    }
    if (r == 0) {
        static char buf[1 << 20];
        long got = 0;
        ssize_t n;
        while ((n = read(s, buf, sizeof buf)) > 0) {
            got += n;
        }
        CHECK(name, n == -1 && errno == EPROTO, "n %zd after %ld bytes", n, got);
    } else {
        CHECK(name, errno == EPROTO, "connect %d", r);
    }
    close(s);
}

static int garbage(void) {
    broken_by(7, "an unknown frame type: EPROTO", 0);
    broken_by(8, "a text frame: EPROTO", 0);
    broken_by(10, "more DATA than the window and the credit: EPROTO", 1);
    struct sockaddr_in a = dest("192.0.2.1", 9);
    int s = socket(AF_INET, SOCK_STREAM, 0);
    CHECK("a RESULT with EAGAIN is a refusal, not a wait",
          connect(s, (struct sockaddr *)&a, sizeof a) == -1 && errno == ECONNREFUSED, "x");
    close(s);
    a = dest("192.0.2.1", 11);
    s = socket(AF_INET, SOCK_STREAM, 0);
    CHECK("a relay that closes before answering: ENETUNREACH",
          connect(s, (struct sockaddr *)&a, sizeof a) == -1 && errno == ENETUNREACH, "x");
    close(s);
    return finish_tests();
}

int main(int argc, char **argv) {
    start_tests();
    long long t0 = now_ns();
    if (argc > 1 && strcmp(argv[1], "norelay") == 0) {
        return no_relay();
    }
    if (argc > 1 && strcmp(argv[1], "garbage") == 0) {
        return garbage();
    }
    struct sockaddr_in a = dest("192.0.2.1", 7);
    int s = socket(AF_INET, SOCK_STREAM, 0);
    CHECK("blocking connect through the relay", connect(s, (struct sockaddr *)&a, sizeof a) == 0, "x");
    struct sockaddr_in p;
    socklen_t l = sizeof p;
    CHECK("getpeername is the guest's destination", getpeername(s, (struct sockaddr *)&p, &l) == 0
          && p.sin_port == htons(7) && p.sin_addr.s_addr == a.sin_addr.s_addr, "x");
    CHECK("send, then half-close", write(s, "ping", 4) == 4 && shutdown(s, SHUT_WR) == 0, "x");
    char buf[64] = {0};
    long n = read_all(s, buf, sizeof buf - 1);
    CHECK("the reply, then end of stream", n == 9 && strcmp(buf, "echo:ping") == 0, "n %ld '%s'", n, buf);
    close(s);
    printf("TIME small exchange %lld ms\n", (now_ns() - t0) / 1000000);

    /* non-blocking, 4 MiB each way: many times the relay's window */
    s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int r = connect(s, (struct sockaddr *)&a, sizeof a);
    CHECK("non-blocking connect EINPROGRESS", r == -1 && errno == EINPROGRESS, "r %d", r);
    struct pollfd pf = {s, POLLOUT, 0};
    CHECK("writable once connected", poll(&pf, 1, 10000) == 1 && (pf.revents & POLLOUT), "rev %x", pf.revents);
    int err = -1;
    socklen_t el = sizeof err;
    CHECK("SO_ERROR 0", getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &el) == 0 && err == 0, "err %d", err);
    fcntl(s, F_SETFL, 0);
    printf("TIME connected %lld ms\n", (now_ns() - t0) / 1000000);
    static char big[4 << 20], back[(4 << 20) + 16];
    for (int i = 0; i < (int)sizeof big; i++) {
        big[i] = (char)(i * 7 + (i >> 9));
    }
    printf("TIME filled %lld ms\n", (now_ns() - t0) / 1000000);
    long w = 0;
    while (w < (long)sizeof big) {
        ssize_t k = write(s, big + w, sizeof big - w);
        if (k <= 0) {
            break;
        }
        w += k;
    }
    shutdown(s, SHUT_WR);
    printf("TIME written %lld ms\n", (now_ns() - t0) / 1000000);
    n = read_all(s, back, sizeof back);
    printf("TIME read %lld ms\n", (now_ns() - t0) / 1000000);
    CHECK("4 MiB out and back intact", w == (long)sizeof big && n == 5 + (long)sizeof big
          && memcmp(back, "echo:", 5) == 0 && memcmp(back + 5, big, sizeof big) == 0, "w %ld n %ld", w, n);
    close(s);
    printf("TIME compared %lld ms\n", (now_ns() - t0) / 1000000);

    struct sockaddr_in closed = dest("192.0.2.1", 8);
    s = socket(AF_INET, SOCK_STREAM, 0);
    CHECK("a mapped destination nobody listens on: ECONNREFUSED",
          connect(s, (struct sockaddr *)&closed, sizeof closed) == -1 && errno == ECONNREFUSED, "x");
    close(s);

    struct sockaddr_in u9 = dest("192.0.2.1", 9), from;
    int u = socket(AF_INET, SOCK_DGRAM, 0);
    CHECK("UDP sendto through the relay", sendto(u, "query", 5, 0, (struct sockaddr *)&u9, sizeof u9) == 5, "x");
    pf.fd = u;
    pf.events = POLLIN;
    memset(buf, 0, sizeof buf);
    l = sizeof from;
    CHECK("the reply comes from the guest's destination", poll(&pf, 1, 10000) == 1
          && recvfrom(u, buf, sizeof buf, 0, (struct sockaddr *)&from, &l) == 10 && strcmp(buf, "echo:query") == 0
          && from.sin_port == htons(9) && from.sin_addr.s_addr == u9.sin_addr.s_addr, "'%s'", buf);
    CHECK("connected UDP through the relay", connect(u, (struct sockaddr *)&u9, sizeof u9) == 0
          && send(u, "again", 5, 0) == 5 && poll(&pf, 1, 10000) == 1 && recv(u, buf, sizeof buf, 0) == 10, "x");
    close(u);

    struct sockaddr_in refused = dest("10.0.0.1", 80);
    s = socket(AF_INET, SOCK_STREAM, 0);
    CHECK("a destination the relay refuses: EACCES",
          connect(s, (struct sockaddr *)&refused, sizeof refused) == -1 && errno == EACCES, "x");
    close(s);
    s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    r = connect(s, (struct sockaddr *)&refused, sizeof refused);
    CHECK("refused, non-blocking: EINPROGRESS first", r == -1 && errno == EINPROGRESS, "r %d", r);
    pf.fd = s;
    pf.events = POLLOUT;
    CHECK("then ready", poll(&pf, 1, 10000) == 1 && (pf.revents & (POLLOUT | POLLERR)), "rev %x", pf.revents);
    err = -1;
    CHECK("with SO_ERROR EACCES", getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &el) == 0 && err == EACCES, "err %d", err);
    close(s);
    return finish_tests();
}
