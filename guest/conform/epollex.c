/* EPOLLEXCLUSIVE: several processes, each with its own epoll instance watching one eventfd with
 * EPOLLEXCLUSIVE, are woken one per event (Linux promises "one or more", never the whole herd;
 * the ordinary case wakes all of them), no event is lost on the way, and the flag's EINVAL rules. */
#define _GNU_SOURCE
#include "../proc/check.h"
#include <stdint.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define WAITERS 4

static void pause_ms(int ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Starts WAITERS children parked in epoll_wait on efd, posts `events` events, and returns how
 * many children saw one. A child that sees one takes it 100 ms later: time for a herd woken
 * with it to see it too. (An event nobody takes is a poor test: Linux never reports it to the
 * exclusive waiters it did not wake, even when their epoll_wait times out, an artefact of its
 * ready list rather than a contract.) */
static int herd(int efd, uint32_t flags, int events) {
    int ready[2];
    pipe(ready);
    pid_t kids[WAITERS];
    for (int i = 0; i < WAITERS; i++) {
        kids[i] = fork();
        if (kids[i] == 0) {
            int ep = epoll_create1(0);
            struct epoll_event ev = {.events = EPOLLIN | flags, .data.u32 = 7};
            if (epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev) != 0) _exit(2);
            write(ready[1], "r", 1);
            int n = epoll_wait(ep, &ev, 1, 1500);
            if (n == 1) {
                uint64_t v;
                pause_ms(100);
                read(efd, &v, sizeof v);
            }
            _exit(n == 1 ? 1 : n == 0 ? 0 : 3);
        }
    }
    char c;
    for (int i = 0; i < WAITERS; i++) read(ready[0], &c, 1);
    close(ready[0]);
    close(ready[1]);
    for (int e = 0; e < events; e++) {
        pause_ms(250); /* all parked (or the previous one taken) before the event */
        uint64_t one = 1;
        write(efd, &one, sizeof one);
    }
    int woken = 0;
    for (int i = 0; i < WAITERS; i++) {
        int st;
        waitpid(kids[i], &st, 0);
        if (!WIFEXITED(st) || WEXITSTATUS(st) > 1) woken = -100;
        else woken += WEXITSTATUS(st);
    }
    printf("%d of %d waiters saw %d event(s) (flags %#x)\n", woken, WAITERS, events, flags);
    return woken;
}

static void wakeups(void) {
    int efd = eventfd(0, EFD_NONBLOCK);
    CHECK(herd(efd, 0, 1) == WAITERS, "without EPOLLEXCLUSIVE one event wakes every waiter");
    int w = herd(efd, EPOLLEXCLUSIVE, 1);
    CHECK(w >= 1 && w < WAITERS, "EPOLLEXCLUSIVE: one event wakes one waiter, not the herd");
    w = herd(efd, EPOLLEXCLUSIVE, 2);
    CHECK(w >= 2 && w < WAITERS, "EPOLLEXCLUSIVE: a second event (after the first was taken) wakes another");
    close(efd);
}

static void einval(void) {
    int efd = eventfd(0, 0);
    int ep = epoll_create1(0), inner = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN | EPOLLEXCLUSIVE};
    CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev) == 0, "EPOLLEXCLUSIVE add");
    CHECK(epoll_ctl(ep, EPOLL_CTL_MOD, efd, &ev) == -1 && errno == EINVAL, "EPOLLEXCLUSIVE with EPOLL_CTL_MOD: EINVAL");
    ev.events = EPOLLIN;
    CHECK(epoll_ctl(ep, EPOLL_CTL_MOD, efd, &ev) == -1 && errno == EINVAL,
          "EPOLL_CTL_MOD of an exclusive item: EINVAL");
    int efd2 = eventfd(0, 0);
    CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, efd2, &ev) == 0, "ordinary add");
    ev.events = EPOLLIN | EPOLLEXCLUSIVE;
    CHECK(epoll_ctl(ep, EPOLL_CTL_MOD, efd2, &ev) == -1 && errno == EINVAL,
          "EPOLL_CTL_MOD adding EPOLLEXCLUSIVE: EINVAL");
    int efd3 = eventfd(0, 0);
    ev.events = EPOLLIN | EPOLLEXCLUSIVE | EPOLLONESHOT;
    CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, efd3, &ev) == -1 && errno == EINVAL, "EPOLLEXCLUSIVE with EPOLLONESHOT: EINVAL");
    ev.events = EPOLLIN | EPOLLEXCLUSIVE;
    CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, inner, &ev) == -1 && errno == EINVAL,
          "EPOLLEXCLUSIVE on an epoll instance: EINVAL");
    close(efd3);
    close(efd2);
    close(inner);
    close(ep);
    close(efd);
}

int main(int argc, char **argv) {
    check_init(argc, argv);
    setvbuf(stdout, NULL, _IOLBF, 0);
    einval();
    wakeups();
    if (failures == 0) printf("ALL PASSED\n");
    return failures;
}
