/* Named pipes: the open rendezvous between a reader and a writer, O_NONBLOCK rules, data flow. */
#include "common.h"
#include <signal.h>
#include <sys/wait.h>

int main(void)
{
    char buf[64];
    enter_scratch("fifo.d");
    unlink("p");
    SHOW("mkfifo", mkfifo("p", 0600));
    showstat("fifo", "p", 0);
    SHOWFD("nonblock writer without reader", open("p", O_WRONLY | O_NONBLOCK));
    int r = open("p", O_RDONLY | O_NONBLOCK);
    SHOWFD("nonblock reader", r);
    SHOW("read with no writer", read(r, buf, sizeof buf));
    int w0 = open("p", O_WRONLY | O_NONBLOCK);
    SHOWFD("nonblock writer with reader", w0);
    SHOW("nonblock write", write(w0, "x", 1));
    SHOW("nonblock read", read(r, buf, sizeof buf));
    close(w0);
    SHOW("read after writer left", read(r, buf, sizeof buf));
    close(r);
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) {
        int w = open("p", O_WRONLY); /* blocks until the parent opens for reading */
        write(w, "through the fifo", 16);
        close(w);
        _exit(0);
    }
    int rd = open("p", O_RDONLY); /* blocks until the child opens for writing */
    SHOWFD("blocking reader", rd);
    int n = 0, k;
    while ((k = read(rd, buf + n, sizeof buf - 1 - n)) > 0) {
        n += k;
    }
    buf[n] = 0;
    printf("got: %s\n", buf);
    int st;
    waitpid(c, &st, 0);
    printf("child status: %d\n", WEXITSTATUS(st));
    struct stat s;
    fstat(rd, &s);
    printf("fd type: %s\n", ftype(s.st_mode));
    close(rd);
    /* O_RDWR never waits and serves as both ends */
    int rw = open("p", O_RDWR);
    SHOWFD("rdwr open", rw);
    SHOW("rdwr write", write(rw, "loop", 4));
    memset(buf, 0, sizeof buf);
    SHOW("rdwr read", read(rw, buf, sizeof buf));
    printf("rdwr got: %s\n", buf);
    int ro = open("p", O_RDONLY);
    SHOWFD("reader with rdwr writer present", ro);
    close(rw);
    SHOW("read after rdwr closed", read(ro, buf, sizeof buf));
    close(ro);

    /* a reader killed while it waits in open leaves no reader behind */
    fflush(stdout);
    pid_t victim = fork();
    if (victim == 0) {
        open("p", O_RDONLY);
        _exit(0);
    }
    usleep(200000);
    kill(victim, SIGKILL);
    waitpid(victim, &st, 0);
    printf("killed reader: signal %d\n", WTERMSIG(st));
    SHOWFD("nonblock writer after the reader died", open("p", O_WRONLY | O_NONBLOCK));
    return 0;
}
