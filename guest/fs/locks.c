/* File locks across fork: fcntl record locks, OFD locks and flock. */
#include "common.h"
#include <sys/file.h>
#include <sys/wait.h>

static int setlk(int fd, int cmd, short type, off_t start, off_t len)
{
    struct flock fl = {.l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len};
    return fcntl(fd, cmd, &fl);
}

static void getlk(const char *label, int fd, int cmd, short type, off_t start, off_t len, pid_t holder)
{
    struct flock fl = {.l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len};
    if (fcntl(fd, cmd, &fl) != 0) {
        printf("%s: -1 %s\n", label, ename(errno));
        return;
    }
    printf("%s: type=%d start=%lld len=%lld pid=%s\n", label, fl.l_type, (long long)fl.l_start, (long long)fl.l_len,
           fl.l_type == F_UNLCK ? "-" : fl.l_pid == holder ? "parent" : fl.l_pid == -1 ? "-1" : "other");
}

int main(void)
{
    enter_scratch("locks.d");
    int fd = open("lockfile", O_CREAT | O_RDWR | O_TRUNC, 0644);
    write(fd, "0123456789abcdefghij", 20);
    SHOW("wrlck 0-9", setlk(fd, F_SETLK, F_WRLCK, 0, 10));
    SHOW("rdlck 15-", setlk(fd, F_SETLK, F_RDLCK, 15, 0));
    SHOW("relock own", setlk(fd, F_SETLK, F_RDLCK, 5, 2));
    SHOW("bad type", setlk(fd, F_SETLK, 7, 0, 1));
    SHOW("negative start", setlk(fd, F_SETLK, F_WRLCK, -5, 1));
    getlk("own getlk", fd, F_GETLK, F_WRLCK, 0, 100, getpid());
    pid_t parent = getpid();
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) {
        int cfd = open("lockfile", O_RDWR);
        getlk("child sees 0-100", cfd, F_GETLK, F_WRLCK, 0, 100, parent);
        getlk("child sees 3", cfd, F_GETLK, F_RDLCK, 3, 1, parent);
        getlk("child sees 5", cfd, F_GETLK, F_RDLCK, 5, 1, parent);
        getlk("child sees 10-14", cfd, F_GETLK, F_WRLCK, 10, 5, parent);
        getlk("child rd at 16", cfd, F_GETLK, F_RDLCK, 16, 1, parent);
        getlk("child wr at 16", cfd, F_GETLK, F_WRLCK, 16, 1, parent);
        SHOW("child setlk conflict", setlk(cfd, F_SETLK, F_WRLCK, 0, 1));
        SHOW("child setlk free", setlk(cfd, F_SETLK, F_WRLCK, 10, 5));
        SHOW("child rd shared", setlk(cfd, F_SETLK, F_RDLCK, 16, 1));
        SHOW("child ofd conflict", setlk(cfd, F_OFD_SETLK, F_WRLCK, 0, 1));
        getlk("child ofd getlk", cfd, F_OFD_GETLK, F_WRLCK, 0, 1, parent);
        int f2 = open("lockfile", O_RDONLY);
        SHOW("child flock ex", flock(f2, LOCK_EX | LOCK_NB));
        fflush(stdout);
        _exit(0);
    }
    int st;
    waitpid(c, &st, 0);
    SHOW("parent flock blocked", flock(fd, LOCK_EX | LOCK_NB));
    SHOW("parent flock sh", flock(fd, LOCK_SH | LOCK_NB));
    SHOW("unlock", setlk(fd, F_SETLK, F_UNLCK, 0, 0));
    getlk("after unlock", fd, F_GETLK, F_WRLCK, 0, 0, parent);
    /* OFD locks conflict between two descriptions of the same process */
    int a = open("lockfile", O_RDWR);
    int b = open("lockfile", O_RDWR);
    SHOW("ofd a", setlk(a, F_OFD_SETLK, F_WRLCK, 0, 5));
    SHOW("ofd b conflict", setlk(b, F_OFD_SETLK, F_WRLCK, 4, 1));
    SHOW("ofd b ok", setlk(b, F_OFD_SETLK, F_WRLCK, 5, 1));
    SHOW("ofd pid nonzero", fcntl(a, F_OFD_SETLK, &(struct flock){.l_type = F_RDLCK, .l_pid = 1}));
    SHOW("posix vs ofd", setlk(fd, F_SETLK, F_WRLCK, 0, 1));
    close(a);
    SHOW("ofd released by close", setlk(b, F_OFD_SETLK, F_WRLCK, 0, 5));
    /* flock between descriptions */
    int x = open("lockfile", O_RDONLY);
    int y = open("lockfile", O_RDONLY);
    SHOW("flock x ex", flock(x, LOCK_EX | LOCK_NB));
    SHOW("flock y sh", flock(y, LOCK_SH | LOCK_NB));
    int xd = dup(x);
    close(x);
    SHOW("flock y after close of dup'ed", flock(y, LOCK_SH | LOCK_NB));
    close(xd);
    SHOW("flock y after last close", flock(y, LOCK_SH | LOCK_NB));
    SHOW("flock bad op", flock(y, 0));
    SHOW("flock unlock", flock(y, LOCK_UN));

    /* blocking waits: F_SETLKW and flock without LOCK_NB wake when the holder lets go */
    int sync[2];
    pipe(sync);
    close(b); /* drops its OFD lock */
    close(y);
    flock(fd, LOCK_UN);
    SHOW("parent wrlck again", setlk(fd, F_SETLK, F_WRLCK, 0, 1));
    SHOW("parent flock ex", flock(fd, LOCK_EX));
    fflush(stdout);
    c = fork();
    if (c == 0) {
        int cfd = open("lockfile", O_RDWR);
        write(sync[1], "r", 1);
        int r1 = setlk(cfd, F_SETLKW, F_WRLCK, 0, 1);
        printf("child got F_SETLKW: %d\n", r1);
        fflush(stdout);
        int r2 = flock(cfd, LOCK_EX);
        printf("child got flock: %d\n", r2);
        fflush(stdout);
        _exit(0);
    }
    char ch;
    read(sync[0], &ch, 1);
    usleep(200000);
    printf("parent releasing record lock\n");
    fflush(stdout);
    setlk(fd, F_SETLK, F_UNLCK, 0, 0);
    usleep(200000);
    printf("parent releasing flock\n");
    fflush(stdout);
    flock(fd, LOCK_UN);
    waitpid(c, &st, 0);
    printf("child status: %d\n", WEXITSTATUS(st));

    /* a holder that exits without unlocking releases its locks */
    fflush(stdout);
    pid_t holder = fork();
    if (holder == 0) {
        int hfd = open("lockfile", O_RDWR);
        setlk(hfd, F_SETLK, F_WRLCK, 0, 0);
        write(sync[1], "h", 1);
        usleep(200000);
        _exit(0);
    }
    read(sync[0], &ch, 1);
    printf("waiting for the holder to exit: %d\n", setlk(fd, F_SETLKW, F_WRLCK, 0, 0));
    waitpid(holder, &st, 0);
    return 0;
}
