/* Shared by the guest/ipc tests. Only IPC_PRIVATE objects or keys made from the pid, each
 * removed before the test ends, so a reference run under qemu (which uses the host's IPC)
 * leaves nothing behind. */
#ifndef IPC_H
#define IPC_H
#define _GNU_SOURCE
#include "../proc/check.h"
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The whole text of a (proc) file, or "" */
static char *slurp(const char *path) {
    static char buf[65536];
    int fd = open(path, O_RDONLY);
    buf[0] = 0;
    if (fd < 0) return buf;
    int n = 0, r;
    while (n < (int)sizeof buf - 1 && (r = read(fd, buf + n, sizeof buf - 1 - n)) > 0) n += r;
    buf[n] = 0;
    close(fd);
    return buf;
}

/* The line of a /proc/sysvipc listing whose second column is id, or NULL */
static inline char *ipc_line(const char *path, int id) {
    char *text = slurp(path);
    for (char *l = strchr(text, '\n'); l && l[1]; l = strchr(l + 1, '\n')) {
        long key, lid;
        if (sscanf(l + 1, "%ld %ld", &key, &lid) == 2 && lid == id) {
            char *e = strchr(l + 1, '\n');
            if (e) *e = 0;
            return l + 1;
        }
    }
    return NULL;
}

static inline long long ms_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static inline void nap(int ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static inline long proc_long(const char *path) {
    return strtol(slurp(path), NULL, 10);
}
#endif
