/* Pty helpers shared by the guest/tty checks: a pair of their own, and reads that allow for
 * Linux handing pty data over a moment later (its line discipline runs in a work item). */
#pragma once
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static void nap(int ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Reads from fd until want bytes came or ms passed. */
static int read_for(int fd, char *buf, int want, int ms) {
    int got = 0;
    for (int waited = 0; got < want && waited <= ms; waited += 5) {
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, 5) == 1 && (p.revents & POLLIN)) {
            int n = read(fd, buf + got, want - got);
            if (n <= 0) break;
            got += n;
        }
    }
    return got;
}

/* A new unlocked pair: the master, or -1; the slave opened with flags (not at all if flags < 0)
 * into *slave; its path into name (64 bytes). */
static int open_pair(int *slave, int flags, char *name) {
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    if (m < 0) return -1;
    grantpt(m);
    unlockpt(m);
    ptsname_r(m, name, 64);
    *slave = flags < 0 ? -1 : open(name, flags);
    return m;
}
