/* Names and metadata: mkdir/rmdir/unlink/rename(2)/link/symlink/readlink, getdents, stat,
 * statx, chmod, utimensat, access, getcwd/chdir, and path-walk errors. */
#include "common.h"
#include <dirent.h>
#include <limits.h>

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void listdir(const char *label, const char *path)
{
    DIR *d = opendir(path);
    if (!d) {
        printf("%s: opendir -1 %s\n", label, ename(errno));
        return;
    }
    char *names[512];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < 512) {
        char t = e->d_type == DT_DIR ? 'd' : e->d_type == DT_REG ? 'f' : e->d_type == DT_LNK ? 'l' : '?';
        char *s = malloc(strlen(e->d_name) + 3);
        sprintf(s, "%s:%c", e->d_name, t);
        names[n++] = s;
    }
    closedir(d);
    qsort(names, n, sizeof names[0], cmp);
    printf("%s:", label);
    for (int i = 0; i < n; i++) {
        printf(" %s", names[i]);
        free(names[i]);
    }
    printf("\n");
}

int main(void)
{
    char buf[PATH_MAX];
    struct stat st, st2;
    enter_scratch("names.d");
    umask(022);
    SHOW("mkdir", mkdir("d", 0777));
    showstat("d", "d", 0);
    SHOW("mkdir again", mkdir("d", 0777));
    SHOW("mkdir d/", mkdir("e/", 0700));
    SHOW("mkdir missing parent", mkdir("nope/x", 0777));
    SHOW("mkdir sticky", mkdir("sticky", 01777));
    showstat("sticky", "sticky", 0);
    close(open("d/f", O_CREAT | O_WRONLY, 0644));
    showstat("d after file", "d", 0);
    SHOW("link", link("d/f", "d/g"));
    showstat("f nlink", "d/f", 0);
    stat("d/f", &st);
    stat("d/g", &st2);
    printf("same inode: %d\n", st.st_ino == st2.st_ino);
    SHOW("link dir", link("d", "d2"));
    SHOW("link exists", link("d/f", "d/g"));
    SHOW("symlink", symlink("d/f", "s"));
    SHOW("symlink exists", symlink("x", "s"));
    showstat("stat s", "s", 0);
    showstat("lstat s", "s", AT_SYMLINK_NOFOLLOW);
    memset(buf, 0, sizeof buf);
    SHOW("readlink", readlink("s", buf, sizeof buf));
    printf("target: %s\n", buf);
    SHOW("readlink short", readlink("s", buf, 2));
    SHOW("readlink notlink", readlink("d/f", buf, sizeof buf));
    SHOW("readlink missing", readlink("zz", buf, sizeof buf));
    symlink("loop2", "loop1");
    symlink("loop1", "loop2");
    SHOW("stat loop", stat("loop1", &st));
    SHOW("lstat loop", lstat("loop1", &st));
    SHOW("stat through file", stat("d/f/x", &st));
    char longname[300];
    memset(longname, 'n', 299);
    longname[299] = 0;
    SHOWFD("long name", open(longname, O_RDONLY));
    SHOWFD("empty path", open("", O_RDONLY));
    SHOW("dotdot at root", stat("/../../..", &st));
    printf("root is dir: %d\n", S_ISDIR(st.st_mode));

    listdir("list d", "d");
    for (int i = 0; i < 100; i++) {
        char n[32];
        sprintf(n, "d/many%03d", i);
        close(open(n, O_CREAT | O_WRONLY, 0600));
    }
    DIR *dir = opendir("d");
    int count = 0;
    while (readdir(dir)) {
        count++;
    }
    rewinddir(dir);
    int again = 0;
    while (readdir(dir)) {
        again++;
    }
    closedir(dir);
    printf("entries %d again %d\n", count, again);

    /* rename */
    close(open("r1", O_CREAT | O_WRONLY, 0644));
    close(open("r2", O_CREAT | O_WRONLY, 0644));
    SHOW("rename", rename("r1", "r3"));
    SHOW("rename missing", rename("r1", "r4"));
    SHOW("rename noreplace", syscall(SYS_renameat2, AT_FDCWD, "r2", AT_FDCWD, "r3", 1));
    SHOW("rename over file", rename("r2", "r3"));
    SHOW("rename file over dir", rename("r3", "e"));
    SHOW("rename dir over file", rename("e", "r3"));
    SHOW("rename dir into itself", rename("d", "d/sub"));
    mkdir("full", 0755);
    close(open("full/x", O_CREAT | O_WRONLY, 0644));
    SHOW("rename dir over nonempty", rename("e", "full"));
    SHOW("rename dir over empty", rename("e", "sticky"));
    SHOW("exchange", syscall(SYS_renameat2, AT_FDCWD, "r3", AT_FDCWD, "full", 2));
    showstat("r3 now", "r3", 0);
    showstat("full now", "full", 0);
    SHOW("exchange missing", syscall(SYS_renameat2, AT_FDCWD, "r3", AT_FDCWD, "nope", 2));
    SHOW("rename flags bad", syscall(SYS_renameat2, AT_FDCWD, "r3", AT_FDCWD, "x", 3));
    SHOW("rename same", rename("d/f", "d/g"));
    showstat("hardlinks kept", "d/f", 0);

    /* unlink and rmdir */
    SHOW("unlink dir", unlink("d"));
    SHOW("rmdir file", rmdir("d/f"));
    SHOW("rmdir nonempty", rmdir("d"));
    SHOW("rmdir dot", rmdir("d/."));
    SHOW("rmdir dotdot", rmdir("d/.."));
    SHOW("unlink", unlink("d/g"));
    showstat("f after unlink g", "d/f", 0);
    SHOW("unlink missing", unlink("d/g"));
    SHOW("unlinkat removedir", unlinkat(AT_FDCWD, "sticky", AT_REMOVEDIR));
    SHOW("unlinkat bad flag", unlinkat(AT_FDCWD, "r3", 0x4));

    /* metadata */
    SHOW("chmod", chmod("d/f", 04755));
    showstat("after chmod", "d/f", 0);
    SHOW("chmod symlink target", chmod("s", 0600));
    showstat("via symlink", "d/f", 0);
    struct timespec ts[2] = {{1000000000, 5}, {1234567890, 123456789}};
    SHOW("utimensat", utimensat(AT_FDCWD, "d/f", ts, 0));
    stat("d/f", &st);
    printf("times: %lld.%ld %lld.%ld\n", (long long)st.st_atim.tv_sec, st.st_atim.tv_nsec,
           (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
    struct timespec omit[2] = {{0, UTIME_OMIT}, {7, 0}};
    SHOW("utimensat omit", utimensat(AT_FDCWD, "d/f", omit, 0));
    stat("d/f", &st);
    printf("times: %lld %lld\n", (long long)st.st_atim.tv_sec, (long long)st.st_mtim.tv_sec);
    struct timespec bad[2] = {{0, 1000000000}, {0, 0}};
    SHOW("utimensat bad nsec", utimensat(AT_FDCWD, "d/f", bad, 0));
    SHOW("utimensat nofollow", utimensat(AT_FDCWD, "s", ts, AT_SYMLINK_NOFOLLOW));
    lstat("s", &st);
    printf("symlink mtime: %lld\n", (long long)st.st_mtim.tv_sec);
    SHOW("access r", access("d/f", R_OK));
    SHOW("access x", access("d/f", X_OK));
    SHOW("access bad", access("d/f", 8));
    SHOW("access missing", access("d/zz", F_OK));
    SHOW("faccessat2 nofollow", syscall(SYS_faccessat2, AT_FDCWD, "loop1", F_OK, AT_SYMLINK_NOFOLLOW));

    struct statx sx;
    SHOW("statx", statx(AT_FDCWD, "d/f", 0, STATX_BASIC_STATS, &sx));
    printf("statx: mask_basic=%d nlink=%u size=%llu mode=%o\n", (sx.stx_mask & STATX_BASIC_STATS) == STATX_BASIC_STATS,
           sx.stx_nlink, (unsigned long long)sx.stx_size, sx.stx_mode);
    SHOW("statx bad flags", statx(AT_FDCWD, "d/f", 0x80000000, STATX_BASIC_STATS, &sx));

    /* cwd */
    SHOW("chdir", chdir("d"));
    getcwd(buf, sizeof buf);
    printf("cwd tail: %s\n", strrchr(buf, '/'));
    SHOW("getcwd small", getcwd(buf, 2) ? 0 : -1);
    int dfd = open("..", O_RDONLY | O_DIRECTORY);
    SHOW("fstatat via dirfd", fstatat(dfd, "d/f", &st, 0));
    SHOW("fchdir", fchdir(dfd));
    getcwd(buf, sizeof buf);
    printf("cwd tail: %s\n", strrchr(buf, '/'));
    SHOW("chdir file", chdir("r3"));
    SHOW("fstatat fd notdir", fstatat(open("r3", O_RDONLY), "x", &st, 0));
    SHOW("fstatat empty no flag", fstatat(dfd, "", &st, 0));
    mkdir("gone", 0755);
    chdir("gone");
    rmdir("../gone");
    SHOW("getcwd removed", getcwd(buf, sizeof buf) ? 0 : -1);
    SHOWFD("create in removed", open("x", O_CREAT | O_WRONLY, 0644));
    SHOW("chdir ..", chdir(".."));
    /* trailing slashes on symlinks: removal calls never follow them */
    mkdir("tdir", 0755);
    symlink("tdir", "tlink");
    symlink("nowhere", "tdangle");
    SHOW("rmdir link/", rmdir("tlink/"));
    SHOW("unlink link/", unlink("tlink/"));
    SHOW("rename link/", rename("tlink/", "tother"));
    SHOW("mkdir link/", mkdir("tlink/", 0755));
    SHOW("mkdir dangling/", mkdir("tdangle/", 0755));
    SHOW("stat nowhere", stat("nowhere", &st));
    SHOW("lstat link/", lstat("tlink/", &st));
    printf("lstat link/ type: %s\n", ftype(st.st_mode));
    SHOW("mkdir file/", mkdir("r3/", 0755));
    SHOW("rmdir tdir", rmdir("tdir"));
    SHOW("mknod fifo", mknod("fifo", S_IFIFO | 0644, 0));
    showstat("fifo", "fifo", 0);
    SHOW("mknod dir", mknod("mdir", S_IFDIR | 0644, 0));
    SHOW("mkfifo exists", mkfifo("fifo", 0644));
    return 0;
}
