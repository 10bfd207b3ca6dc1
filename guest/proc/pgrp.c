/* Process groups and sessions: setpgid/getpgid/setsid/getsid and their errors. */
#include "check.h"
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
    check_init(argc, argv);
    int fds[2];
    pipe(fds);
    pid_t me = getpid();
    pid_t c = fork();
    if (c == 0) {
        char b;
        read(fds[0], &b, 1);
        _exit(0);
    }
    CHECK(getpgid(c) == getpgid(0), "child starts in parent's group");
    CHECK(setpgid(c, c) == 0 && getpgid(c) == c, "parent moves child into its own group");
    CHECK(getsid(c) == getsid(0), "child is in parent's session");
    CHECK(setpgid(-1, 0) == -1 && (errno == ESRCH || errno == EINVAL), "setpgid of bad pid fails");
    CHECK(setpgid(0, -1) == -1 && errno == EINVAL, "negative pgid gives EINVAL");
    CHECK(getpgid(999999) == -1 && errno == ESRCH, "getpgid of missing pid gives ESRCH");
    write(fds[1], "x", 1);
    waitpid(c, NULL, 0);

    /* a group leader cannot setsid; a fresh child can, and becomes leader of both */
    if (getpgid(0) == me) {
        CHECK(setsid() == -1 && errno == EPERM, "setsid by a group leader gives EPERM");
    }
    int rep[2];
    pipe(rep);
    c = fork();
    if (c == 0) {
        pid_t s = setsid();
        int ok = s == getpid() && getsid(0) == getpid() && getpgid(0) == getpid();
        int bad = setpgid(0, me) == -1 && errno == EPERM; /* group in another session */
        char r[2] = {ok ? 'y' : 'n', bad ? 'y' : 'n'};
        write(rep[1], r, 2);
        _exit(0);
    }
    char r[2] = {0, 0};
    read(rep[0], r, 2);
    waitpid(c, NULL, 0);
    CHECK(r[0] == 'y', "setsid makes a new session and group");
    CHECK(r[1] == 'y', "setpgid into another session's group gives EPERM");

    /* setpgid on a child in another session: EPERM */
    int ready[2];
    pipe(fds);
    pipe(ready);
    c = fork();
    if (c == 0) {
        setsid();
        write(ready[1], "r", 1);
        char b;
        read(fds[0], &b, 1);
        _exit(0);
    }
    char rb;
    read(ready[0], &rb, 1);
    errno = 0;
    int sr = setpgid(c, getpgid(0));
    CHECK(sr == -1 && errno == EPERM, "setpgid on a session leader child gives EPERM");
    write(fds[1], "x", 1);
    waitpid(c, NULL, 0);

    /* kill(-pgid) reaches every member of the group */
    c = fork();
    if (c == 0) { setpgid(0, 0); pause(); _exit(0); }
    setpgid(c, c);
    pid_t c2 = fork();
    if (c2 == 0) { setpgid(0, c); pause(); _exit(0); }
    setpgid(c2, c);
    for (volatile long i = 0; i < 3000000; i++) { }
    CHECK(kill(-c, SIGTERM) == 0, "kill(-pgid) succeeds");
    int st1, st2;
    waitpid(c, &st1, 0);
    waitpid(c2, &st2, 0);
    CHECK(WIFSIGNALED(st1) && WTERMSIG(st1) == SIGTERM && WIFSIGNALED(st2) && WTERMSIG(st2) == SIGTERM,
          "both group members got SIGTERM");

    printf("%s\n", failures ? "SOME CHECKS FAILED" : "ALL PASSED");
    return failures ? 1 : 0;
}
