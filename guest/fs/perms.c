/* Permission checks as an ordinary user (uid/gid 1000 after fork): read/write/search bits,
 * the sticky bit, ownership rules of chmod/chown/utimensat, access(2), and root's exec rule. */
#include "common.h"
#include <dirent.h>
#include <grp.h>
#include <sys/wait.h>

static void mkfile(const char *path, mode_t mode)
{
    int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0600);
    write(fd, "data", 4);
    close(fd);
    chmod(path, mode);
}

int main(void)
{
    enter_scratch("perms.d");
    umask(0);
    chmod(".", 01777);
    mkfile("secret", 0600);
    mkfile("public", 0644);
    mkfile("script", 0644);
    mkdir("closed", 0700);
    mkfile("closed/inner", 0644);
    mkdir("noexec", 0666);
    mkfile("noexec/inner", 0644);
    mkdir("ronly", 0555);
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) {
        struct timespec ts[2] = {{1, 0}, {1, 0}};
        setgroups(0, NULL);
        SHOW("setgid", setgid(1000));
        SHOW("setuid", setuid(1000));
        SHOWFD("read secret", open("secret", O_RDONLY));
        SHOWFD("read public", open("public", O_RDONLY));
        SHOWFD("write public", open("public", O_WRONLY));
        SHOWFD("trunc public", open("public", O_RDONLY | O_TRUNC));
        SHOW("truncate public", truncate("public", 0));
        struct stat st;
        SHOW("stat through closed", stat("closed/inner", &st));
        SHOW("access through closed", access("closed/inner", F_OK));
        SHOW("stat closed itself", stat("closed", &st));
        SHOW("stat through noexec", stat("noexec/inner", &st));
        DIR *d = opendir("noexec");
        int n = 0;
        while (d && readdir(d)) {
            n++;
        }
        printf("list noexec: %d entries\n", n);
        if (d) {
            closedir(d);
        }
        SHOW("mkdir in ronly", mkdir("ronly/x", 0755));
        SHOWFD("create in ronly", open("ronly/x", O_CREAT | O_WRONLY, 0644));
        SHOWFD("create own", open("mine", O_CREAT | O_WRONLY, 0644));
        showstat("mine", "mine", 0);
        SHOW("chmod own", chmod("mine", 0700));
        SHOW("chmod public", chmod("public", 0777));
        SHOW("chown own to root", chown("mine", 0, -1));
        SHOW("chown own same uid", chown("mine", 1000, -1));
        SHOW("chgrp own to 0", chown("mine", -1, 0));
        SHOW("chgrp own to 1000", chown("mine", -1, 1000));
        SHOW("utimens public now", utimensat(AT_FDCWD, "public", NULL, 0));
        SHOW("utimens public explicit", utimensat(AT_FDCWD, "public", ts, 0));
        SHOW("utimens own explicit", utimensat(AT_FDCWD, "mine", ts, 0));
        SHOW("unlink root file in sticky dir", unlink("public"));
        SHOW("rename root file in sticky dir", rename("public", "moved"));
        SHOW("rename own", rename("mine", "mine2"));
        SHOW("access own x", access("mine2", X_OK));
        SHOW("access own w", access("mine2", W_OK));
        SHOW("access public w", access("public", W_OK));
        SHOW("access public r", access("public", R_OK));
        SHOW("mkdir own", mkdir("mydir", 0700));
        mkfile("mydir/f", 0644);
        SHOW("chmod own dir no x", chmod("mydir", 0600));
        SHOWFD("open in dir without x", open("mydir/f", O_RDONLY));
        SHOW("chdir without x", chdir("mydir"));
        SHOW("chmod own dir back", chmod("mydir", 0700));
        SHOWFD("open in dir with x", open("mydir/f", O_RDONLY));
        SHOW("chmod setgid, group not mine", (chown("mine2", -1, 1000), chmod("mine2", 02755)));
        showstat("mine2", "mine2", 0);
        int sw = open("mine2", O_WRONLY);
        SHOW("user write to own setuid file", write(sw, "x", 1));
        showstat("mine2 after write", "mine2", 0);
        close(sw);
        SHOWFD("O_NOATIME on another's file", open("public", O_RDONLY | O_NOATIME));
        SHOW("unlink own", unlink("mine2"));
        fflush(stdout);
        _exit(0);
    }
    int status;
    waitpid(c, &status, 0);
    printf("child exit: %d\n", WEXITSTATUS(status));
    /* root: reads and writes anything, but executes only what has some x bit */
    SHOW("root access secret rw", access("secret", R_OK | W_OK));
    SHOW("root access script x", access("script", X_OK));
    chmod("script", 0010);
    SHOW("root access script x after g+x", access("script", X_OK));
    SHOW("root access closed dir x", access("closed", X_OK));
    SHOW("root stat noexec/inner", stat("noexec/inner", &(struct stat){0}));
    chmod("script", 04755);
    int rw = open("script", O_WRONLY | O_APPEND);
    SHOW("root write to setuid file", write(rw, "x", 1));
    showstat("script after root write", "script", 0);
    return 0;
}
