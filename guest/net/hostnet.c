/* Guest TCP to a destination outside the machine, through the host's network. Run by
 * HostNetworkTest with --net-map 192.0.2.1:7=127.0.0.1:<echo server> and 192.0.2.1:8 mapped to a
 * closed port, under --net none (so nothing else is reachable). The server echoes what it got
 * once the guest shuts down writing. */
#include "../io/check.h"
#include "client.h"
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <sys/socket.h>

int main(void) {
    start_tests();
    struct sockaddr_in a = dest("192.0.2.1", 7);
    int s = socket(AF_INET, SOCK_STREAM, 0);
    CHECK("blocking connect through the host", connect(s, (struct sockaddr *)&a, sizeof a) == 0, "x");
    struct sockaddr_in p;
    socklen_t l = sizeof p;
    CHECK("getpeername is the guest's destination", getpeername(s, (struct sockaddr *)&p, &l) == 0
          && p.sin_port == htons(7) && p.sin_addr.s_addr == a.sin_addr.s_addr, "x");
    CHECK("send", write(s, "ping", 4) == 4 && shutdown(s, SHUT_WR) == 0, "x");
    char buf[64] = {0};
    long n = read_all(s, buf, sizeof buf - 1);
    CHECK("the reply, then end of stream", n == 9 && strcmp(buf, "echo:ping") == 0, "n %ld '%s'", n, buf);
    close(s);

    /* non-blocking, 1 MiB each way */
    s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int r = connect(s, (struct sockaddr *)&a, sizeof a);
    CHECK("non-blocking connect EINPROGRESS", r == -1 && errno == EINPROGRESS, "r %d", r);
    struct pollfd pf = {s, POLLOUT, 0};
    CHECK("writable once connected", poll(&pf, 1, 5000) == 1 && (pf.revents & POLLOUT), "rev %x", pf.revents);
    int err = -1;
    socklen_t el = sizeof err;
    CHECK("SO_ERROR 0", getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &el) == 0 && err == 0, "err %d", err);
    fcntl(s, F_SETFL, 0);
    static char big[1 << 20], back[(1 << 20) + 16];
    for (int i = 0; i < (int)sizeof big; i++) {
        big[i] = (char)(i * 7 + (i >> 9));
    }
    long w = 0;
    while (w < (long)sizeof big) {
        ssize_t k = write(s, big + w, sizeof big - w);
        if (k <= 0) {
            break;
        }
        w += k;
    }
    shutdown(s, SHUT_WR);
    n = read_all(s, back, sizeof back);
    CHECK("1 MiB out and back intact", w == (long)sizeof big && n == 5 + (long)sizeof big
          && memcmp(back, "echo:", 5) == 0 && memcmp(back + 5, big, sizeof big) == 0, "w %ld n %ld", w, n);
    close(s);

    struct sockaddr_in closed = dest("192.0.2.1", 8);
    s = socket(AF_INET, SOCK_STREAM, 0);
    CHECK("a mapped destination nobody listens on: ECONNREFUSED",
          connect(s, (struct sockaddr *)&closed, sizeof closed) == -1 && errno == ECONNREFUSED, "x");
    close(s);
    /* UDP: 192.0.2.1:53 is mapped to a datagram echo server on the host */
    struct sockaddr_in u53 = dest("192.0.2.1", 53), from;
    int u = socket(AF_INET, SOCK_DGRAM, 0);
    CHECK("UDP sendto the outside", sendto(u, "query", 5, 0, (struct sockaddr *)&u53, sizeof u53) == 5, "x");
    pf.fd = u;
    pf.events = POLLIN;
    l = sizeof from;
    memset(buf, 0, sizeof buf);
    CHECK("the reply arrives from the guest's destination", poll(&pf, 1, 5000) == 1
          && recvfrom(u, buf, sizeof buf, 0, (struct sockaddr *)&from, &l) == 10 && strcmp(buf, "echo:query") == 0
          && from.sin_port == htons(53) && from.sin_addr.s_addr == u53.sin_addr.s_addr, "'%s'", buf);
    CHECK("connected UDP to the outside", connect(u, (struct sockaddr *)&u53, sizeof u53) == 0
          && send(u, "again", 5, 0) == 5 && poll(&pf, 1, 5000) == 1 && recv(u, buf, sizeof buf, 0) == 10, "x");
    close(u);
    struct sockaddr_in other = dest("192.0.2.2", 7);
    s = socket(AF_INET, SOCK_STREAM, 0);
    CHECK("--net none: anything else ENETUNREACH", connect(s, (struct sockaddr *)&other, sizeof other) == -1
          && errno == ENETUNREACH, "x");
    close(s);
    u = socket(AF_INET, SOCK_DGRAM, 0);
    CHECK("--net none: UDP elsewhere ENETUNREACH", sendto(u, "x", 1, 0, (struct sockaddr *)&other, sizeof other) == -1
          && errno == ENETUNREACH, "x");
    close(u);
    return finish_tests();
}
