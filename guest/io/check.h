/* Shared by the guest/io tests: PASS/FAIL lines on stdout, a failure count for the exit status. */
#ifndef IO_CHECK_H
#define IO_CHECK_H
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int failures;

#define CHECK(name, cond, ...)                                   \
    do {                                                         \
        if (cond) {                                              \
            printf("PASS %s\n", name);                           \
        } else {                                                 \
            printf("FAIL %s: ", name);                           \
            printf(__VA_ARGS__);                                 \
            printf(" (errno %d %s)\n", errno, strerror(errno));  \
            failures++;                                          \
        }                                                        \
    } while (0)

/* The system under test lacks a call (the reference may be older than what friscy provides). */
#define NOT_PROVIDED(what) printf("NOT-PROVIDED %s\n", what)

static inline long long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static inline void start_tests(void) {
    setvbuf(stdout, NULL, _IONBF, 0); /* no buffered output duplicated by fork */
}

static inline int finish_tests(void) {
    printf("%s: %d failure(s)\n", failures ? "FAILED" : "OK", failures);
    return failures ? 1 : 0;
}
#endif
