/* Output flow control (IXON) through a pty pair: the STOP character typed at the master stops
 * the slave's output (writers wait, O_NONBLOCK ones get EAGAIN, poll shows no POLLOUT, echo is
 * held) until START; neither is input; IXANY restarts on any character; IXON off restarts; a
 * master in packet mode reads TIOCPKT_STOP and TIOCPKT_START; tcflow (TCXONC) does the same from
 * the program's side. */
#define _GNU_SOURCE
#include "../proc/check.h"
#include "pair.h"
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

/* A new pair, the master non-blocking; the slave's echo off unless echo. */
static int new_pair(int *slave, int echo) {
    char name[64];
    int m = open_pair(slave, O_RDWR | O_NOCTTY, name);
    fcntl(m, F_SETFL, O_NONBLOCK);
    struct termios t;
    tcgetattr(*slave, &t);
    if (!echo) t.c_lflag &= ~ECHO;
    tcsetattr(*slave, TCSANOW, &t);
    return m;
}

static void type(int m, const char *s) {
    write(m, s, strlen(s));
    nap(100); /* Linux's line discipline takes the master's bytes in a work item */
}

static int writable(int fd) {
    struct pollfd p = {fd, POLLOUT, 0};
    return poll(&p, 1, 0) == 1 && (p.revents & POLLOUT);
}

static void stop_start(void) {
    int s, m = new_pair(&s, 0);
    char b[16];
    CHECK(writable(s), "the slave is writable");
    type(m, "\023");
    CHECK(!writable(s), "after ^S the slave does not poll writable");
    fcntl(s, F_SETFL, O_RDWR | O_NONBLOCK);
    CHECK(write(s, "a", 1) == -1 && errno == EAGAIN, "after ^S a non-blocking slave write gets EAGAIN");
    fcntl(s, F_SETFL, O_RDWR);
    pid_t c = fork();
    if (c == 0) _exit(write(s, "b", 1) == 1 ? 0 : 1);
    nap(200);
    int st;
    CHECK(waitpid(c, &st, WNOHANG) == 0, "a blocking slave write waits while output is stopped");
    CHECK(read_for(m, b, 1, 100) == 0, "and the master reads nothing");
    type(m, "\021");
    CHECK(read_for(m, b, 1, 1000) == 1 && b[0] == 'b', "^Q: the waiting write goes through");
    waitpid(c, &st, 0);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the writer finished");
    int n = -1;
    CHECK(ioctl(s, FIONREAD, &n) == 0 && n == 0, "^S and ^Q are not input");
    close(s);
    close(m);
}

static void echo_held(void) {
    int s, m = new_pair(&s, 1);
    char b[16];
    type(m, "\023e");
    CHECK(read_for(m, b, 1, 100) == 0, "echo is held while output is stopped");
    type(m, "\021");
    CHECK(read_for(m, b, 1, 1000) == 1 && b[0] == 'e', "^Q shows the held echo");
    close(s);
    close(m);
}

static void ixany_and_ixon_off(void) {
    int s, m = new_pair(&s, 0);
    char b[16];
    struct termios t;
    tcgetattr(s, &t);
    t.c_iflag |= IXANY;
    tcsetattr(s, TCSANOW, &t);
    type(m, "\023x");
    CHECK(writable(s), "IXANY: any character restarts output");
    write(s, "c", 1);
    CHECK(read_for(m, b, 1, 1000) == 1 && b[0] == 'c', "IXANY: the slave writes again");
    type(m, "\n");
    CHECK(read_for(s, b, 2, 1000) == 2 && b[0] == 'x', "IXANY: the restarting character is input");
    t.c_iflag &= ~IXANY;
    tcsetattr(s, TCSANOW, &t);
    type(m, "\023y");
    CHECK(!writable(s), "without IXANY another character does not restart output");
    t.c_iflag &= ~IXON;
    tcsetattr(s, TCSANOW, &t);
    CHECK(writable(s), "turning IXON off restarts output");
    type(m, "\023");
    CHECK(writable(s), "without IXON ^S does not stop output");
    close(s);
    close(m);
}

static void packet(void) {
    int s, m = new_pair(&s, 0);
    char b[16];
    int one = 1;
    ioctl(m, TIOCPKT, &one);
    type(m, "\023");
    CHECK(read_for(m, b, 1, 1000) == 1 && b[0] == TIOCPKT_STOP, "packet mode: ^S reads TIOCPKT_STOP");
    type(m, "\021");
    CHECK(read_for(m, b, 1, 1000) == 1 && b[0] == TIOCPKT_START, "packet mode: ^Q reads TIOCPKT_START");
    type(m, "\023\021");
    CHECK(read_for(m, b, 1, 1000) == 1 && b[0] == TIOCPKT_START, "packet mode: ^S^Q before a read: START only");
    close(s);
    close(m);
}

static void tcflow_calls(void) {
    int s, m = new_pair(&s, 0);
    char b[16];
    CHECK(tcflow(s, TCOOFF) == 0 && !writable(s), "tcflow(TCOOFF) stops output");
    type(m, "\021");
    CHECK(!writable(s), "^Q does not restart what TCOOFF stopped");
    CHECK(tcflow(s, TCOON) == 0 && writable(s), "tcflow(TCOON) restarts it");
    CHECK(tcflow(s, TCIOFF) == 0 && read_for(m, b, 1, 1000) == 1 && b[0] == '\023',
          "tcflow(TCIOFF) sends the STOP character to the master");
    CHECK(tcflow(s, TCION) == 0 && read_for(m, b, 1, 1000) == 1 && b[0] == '\021',
          "tcflow(TCION) sends the START character");
    CHECK(tcflow(s, 9) == -1 && errno == EINVAL, "tcflow of an unknown action: EINVAL");
    close(s);
    close(m);
}

int main(int argc, char **argv) {
    check_init(argc, argv);
    setvbuf(stdout, NULL, _IOLBF, 0);
    stop_start();
    echo_held();
    ixany_and_ixon_off();
    packet();
    tcflow_calls();
    if (failures == 0) printf("ALL PASSED\n");
    return failures;
}
