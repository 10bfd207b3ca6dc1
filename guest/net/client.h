// Client helpers shared by the guest network checks that talk to servers outside the guest
// (hostnet through the JVM's host network, relaynet through the page's relay).
#pragma once
#include <arpa/inet.h>
#include <netinet/in.h>
#include <unistd.h>

static struct sockaddr_in dest(const char *ip, int port) {
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    inet_pton(AF_INET, ip, &a.sin_addr);
    return a;
}

/* Reads until cap bytes or end of stream: the number of bytes read. */
static long read_all(int s, char *buf, long cap) {
    long got = 0;
    ssize_t n;
    while (got < cap && (n = read(s, buf + got, cap - got)) > 0) {
        got += n;
    }
    return got;
}
