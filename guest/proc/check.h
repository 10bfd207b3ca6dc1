/* Tiny self-checking harness for guest tests: PASS/FAIL lines, exit status = failures. */
#ifndef CHECK_H
#define CHECK_H
#include <stdio.h>
#include <string.h>
#include <errno.h>

static int failures;
static int reference; /* running under qemu-user: no binfmt for exec, a real host around */

#define CHECK(cond, name) do { \
    if (cond) { printf("PASS %s\n", name); } \
    else { printf("FAIL %s (line %d, errno %d %s)\n", name, __LINE__, errno, strerror(errno)); failures++; } \
    fflush(stdout); } while (0)
#define SKIP(name, why) do { printf("SKIP %s (%s)\n", name, why); fflush(stdout); } while (0)

static void check_init(int argc, char **argv) {
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--reference") == 0) reference = 1;
}
#endif
