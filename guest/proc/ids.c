/* User and group ids: setuid, setreuid, setresuid, setfsuid, their group twins, and
 * getresuid/getresgid, as root and after giving root up. Each case runs in a child of its own:
 * giving up root cannot be undone. Needs to start as root (the reference runs as the host's). */
#define _GNU_SOURCE
#include "check.h"
#include <stdlib.h>
#include <sys/fsuid.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int uids_are(uid_t r, uid_t e, uid_t s) {
    uid_t a = 9, b = 9, c = 9;
    return getresuid(&a, &b, &c) == 0 && a == r && b == e && c == s;
}

static int gids_are(gid_t r, gid_t e, gid_t s) {
    gid_t a = 9, b = 9, c = 9;
    return getresgid(&a, &b, &c) == 0 && a == r && b == e && c == s;
}

/* Runs f in a child; the child's failures count here. */
static void in_child(void (*f)(void)) {
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) {
        f();
        fflush(stdout);
        _exit(failures);
    }
    int st;
    waitpid(c, &st, 0);
    failures += WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}

static void resuid(void) {
    CHECK(setresuid(1000, 1001, 1002) == 0 && uids_are(1000, 1001, 1002), "root: setresuid sets all three");
    CHECK(setfsuid(-1) == 1001, "the fs uid follows the effective one");
    CHECK(setresuid(1002, -1, -1) == 0 && uids_are(1002, 1001, 1002), "setresuid: -1 keeps, the saved uid may become the real");
    errno = 0;
    CHECK(setresuid(-1, 5, -1) == -1 && errno == EPERM && uids_are(1002, 1001, 1002),
          "setresuid to an id none of the three has: EPERM, nothing changed");
    errno = 0;
    CHECK(setuid(1000) == -1 && errno == EPERM, "setuid to a foreign id: EPERM");
    CHECK(setuid(1002) == 0 && uids_are(1002, 1002, 1002), "setuid unprivileged changes the effective uid only");
}

static void setuid_as_root(void) {
    CHECK(setuid(1000) == 0 && uids_are(1000, 1000, 1000) && setfsuid(-1) == 1000, "root: setuid sets all four");
    errno = 0;
    CHECK(setuid(0) == -1 && errno == EPERM, "root once given up is gone");
}

/* (uid_t)-1 is no id: "keep" to setre*id and setres*id, an error to set*id, ignored by setfs*id */
static void minus_one(void) {
    errno = 0;
    CHECK(setuid(-1) == -1 && errno == EINVAL && uids_are(0, 0, 0), "setuid(-1): EINVAL");
    errno = 0;
    CHECK(setgid(-1) == -1 && errno == EINVAL && gids_are(0, 0, 0), "setgid(-1): EINVAL");
    CHECK(setfsuid(-1) == 0 && setfsuid(-1) == 0, "root: setfsuid(-1) only reads the fs uid");
    CHECK(setfsgid(-1) == 0 && setfsgid(-1) == 0, "root: setfsgid(-1) only reads the fs gid");
    CHECK(setresuid(-1, -1, -1) == 0 && uids_are(0, 0, 0), "setresuid(-1, -1, -1) keeps all");
    CHECK(setreuid(-1, -1) == 0 && uids_are(0, 0, 0), "setreuid(-1, -1) keeps all");
}

static void reuid(void) {
    CHECK(setreuid(1000, 1001) == 0 && uids_are(1000, 1001, 1001), "setreuid with a real uid: the saved one follows the effective");
    CHECK(setreuid(-1, 1000) == 0 && uids_are(1000, 1000, 1001),
          "setreuid of the effective uid back to the real one keeps the saved one");
    errno = 0;
    CHECK(setreuid(1001, -1) == -1 && errno == EPERM, "setreuid: the real uid only from the real or effective one");
    CHECK(setreuid(-1, 1001) == 0 && uids_are(1000, 1001, 1001), "setreuid: the effective uid may be the saved one");
}

static void fsuid(void) {
    setresuid(1000, 1001, 1002);
    CHECK(setfsuid(1002) == 1001 && setfsuid(-1) == 1002, "setfsuid returns the old fs uid and takes an allowed one");
    CHECK(setfsuid(7) == 1002 && setfsuid(-1) == 1002, "setfsuid of a foreign id changes nothing");
    CHECK(setresuid(-1, 1000, -1) == 0 && setfsuid(-1) == 1000, "changing the effective uid resets the fs uid");
}

static void gids(void) {
    CHECK(setresgid(100, 101, 102) == 0 && gids_are(100, 101, 102), "root: setresgid sets all three");
    CHECK(setfsgid(-1) == 101, "the fs gid follows the effective one");
    setresuid(1000, 1000, 1000); /* no longer privileged for groups either */
    CHECK(setresgid(102, -1, -1) == 0 && gids_are(102, 101, 102), "setresgid: the saved gid may become the real");
    errno = 0;
    CHECK(setresgid(-1, 5, -1) == -1 && errno == EPERM && gids_are(102, 101, 102), "setresgid to a foreign gid: EPERM");
    errno = 0;
    CHECK(setgid(100) == -1 && errno == EPERM, "setgid to a foreign gid: EPERM");
    CHECK(setregid(-1, 102) == 0 && gids_are(102, 102, 102), "setregid of the effective gid to the real one");
    CHECK(setfsgid(7) == 102 && setfsgid(-1) == 102, "setfsgid of a foreign gid changes nothing");
    CHECK(setgid(102) == 0 && gids_are(102, 102, 102), "setgid unprivileged to the real gid");
}

static void gid_as_root(void) {
    CHECK(setgid(300) == 0 && gids_are(300, 300, 300) && setfsgid(-1) == 300, "root: setgid sets all four");
    CHECK(setregid(301, 302) == 0 && gids_are(301, 302, 302), "root: setregid with a real gid: the saved one follows");
    CHECK(setgid(0) == 0 && gids_are(0, 0, 0), "root keeps the right to any gid");
}

int main(int argc, char **argv) {
    check_init(argc, argv);
    if (geteuid() != 0) {
        SKIP("set*id", "needs to start as root");
        printf("ALL PASSED\n");
        return 0;
    }
    in_child(resuid);
    in_child(setuid_as_root);
    in_child(minus_one);
    in_child(reuid);
    in_child(fsuid);
    in_child(gids);
    in_child(gid_as_root);
    errno = 0;
    CHECK(syscall(SYS_getresuid, 1L, 1L, 1L) == -1 && errno == EFAULT, "getresuid into a bad address: EFAULT");
    errno = 0;
    CHECK(syscall(SYS_getresgid, 1L, 1L, 1L) == -1 && errno == EFAULT, "getresgid into a bad address: EFAULT");
    printf("%s\n", failures ? "SOME CHECKS FAILED" : "ALL PASSED");
    return failures ? 1 : 0;
}
