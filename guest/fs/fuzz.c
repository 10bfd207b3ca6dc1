/* A seeded random sequence of file-system operations over a small set of names, printing
 * every result: any difference from Linux in lookup, creation, removal, renaming, links,
 * sizes, modes or directory contents shows up as a differing line. Usage: fuzz [seed [ops]] */
#include "common.h"
#include <dirent.h>
#include <grp.h>
#include <signal.h>

static unsigned long long rng;

static unsigned rnd(unsigned n)
{
    rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)(rng >> 33) % n;
}

static const char *names[] = {"a", "b", "d1", "d2", "l1", "l2", "d1/x", "d1/y", "d2/x", "d1/d3", "d1/d3/z",
                              "l1/x", "d1/../b", "./a", "d2/../d1/x", "nodir/q", "a/x", "d1/l3"};
#define NNAMES (sizeof names / sizeof names[0])

static char pathbuf[2][64];

static const char *pick(int which)
{
    const char *n = names[rnd(NNAMES)];
    if (rnd(8) == 0) {
        snprintf(pathbuf[which], sizeof pathbuf[which], "%s/", n);
        return pathbuf[which];
    }
    return n;
}

static int fds[8];

static void list(const char *path)
{
    DIR *d = opendir(path);
    if (!d) {
        printf(" opendir %s", ename(errno));
        return;
    }
    char all[1024] = "";
    const char *seen[64];
    int n = 0;
    struct dirent *e;
    char store[64][64];
    while ((e = readdir(d)) && n < 64) {
        snprintf(store[n], 64, "%.60s", e->d_name);
        seen[n] = store[n];
        n++;
    }
    closedir(d);
    /* sort (insertion) so that the order of the listing does not matter */
    for (int i = 1; i < n; i++) {
        for (int j = i; j > 0 && strcmp(seen[j - 1], seen[j]) > 0; j--) {
            const char *t = seen[j];
            seen[j] = seen[j - 1];
            seen[j - 1] = t;
        }
    }
    for (int i = 0; i < n; i++) {
        strcat(all, " ");
        strcat(all, seen[i]);
    }
    printf("%s", all);
}

int main(int argc, char **argv)
{
    rng = argc > 1 ? strtoull(argv[1], NULL, 10) : 1;
    signal(SIGPIPE, SIG_IGN); /* writes to a FIFO without readers: EPIPE, not death */
    int ops = argc > 2 ? atoi(argv[2]) : 1500;
    char name[32];
    snprintf(name, sizeof name, "fuzz%llu.d", rng);
    enter_scratch(name);
    umask(022);
    if (argc > 3 && strcmp(argv[3], "user") == 0) {
        /* the same run as an ordinary user: chmod'ed directories now deny access */
        if (chown(".", 1000, 1000) != 0 || setgid(1000) != 0 || setuid(1000) != 0) {
            printf("cannot become uid 1000: %s\n", ename(errno));
            return 1;
        }
        umask(0);
    }
    for (int i = 0; i < 8; i++) {
        fds[i] = -1;
    }
    char buf[256];
    struct stat st;
    for (int i = 0; i < ops; i++) {
        int op = rnd(28);
        const char *p = pick(0);
        const char *q = pick(1);
        int slot = rnd(8);
        int fd = fds[slot];
        long r;
        errno = 0;
        printf("%d ", i);
        switch (op) {
        case 0: {
            static const int fl[] = {O_RDONLY, O_WRONLY | O_CREAT, O_RDWR | O_CREAT | O_EXCL, O_WRONLY | O_TRUNC,
                                     O_RDWR | O_APPEND | O_CREAT, O_RDONLY | O_DIRECTORY, O_RDONLY | O_NOFOLLOW,
                                     O_WRONLY | O_CREAT | O_NOFOLLOW};
            int f = fl[rnd(8)] | O_NONBLOCK; /* a FIFO must not block the run */
            r = open(p, f, 0640);
            printf("open %s %o", p, f);
            if (r >= 0) {
                if (fds[slot] >= 0) {
                    close(fds[slot]);
                }
                fds[slot] = r;
                r = 0;
            }
            break;
        }
        case 1:
            r = fd < 0 ? -2 : write(fd, "0123456789abcdef", 1 + rnd(16));
            printf("write %d", slot);
            break;
        case 2:
            r = fd < 0 ? -2 : read(fd, buf, 1 + rnd(40));
            printf("read %d", slot);
            if (r > 0) {
                printf(" [%.*s]", (int)r, buf);
            }
            break;
        case 3: {
            int whence = rnd(3);
            long to = rnd(30) - 5;
            /* directory offsets are file-system cookies (ext4 and tmpfs differ): files only */
            r = fd < 0 ? -2 : fstat(fd, &st) == 0 && S_ISDIR(st.st_mode) ? 0 : lseek(fd, to, whence);
            printf("lseek %d", slot);
            break;
        }
        case 4:
            r = fd < 0 ? -2 : close(fd);
            fds[slot] = -1;
            printf("close %d", slot);
            break;
        case 5:
            r = mkdir(p, 0755);
            printf("mkdir %s", p);
            break;
        case 6:
            r = rmdir(p);
            printf("rmdir %s", p);
            break;
        case 7:
            r = unlink(p);
            printf("unlink %s", p);
            break;
        case 8:
            r = rename(p, q);
            printf("rename %s %s", p, q);
            break;
        case 9: {
            int fl = rnd(3);
            r = syscall(SYS_renameat2, AT_FDCWD, p, AT_FDCWD, q, fl);
            printf("renameat2 %s %s %d", p, q, fl);
            break;
        }
        case 10:
            r = link(p, q);
            printf("link %s %s", p, q);
            break;
        case 11: {
            /* relative targets without "..": whatever links to what, paths stay inside the scratch
             * directory (this runs on the host under qemu) */
            static const char *targets[] = {"a", "d1", "x", "nowhere", "l1", "d1/x", "d2"};
            const char *t = targets[rnd(7)];
            r = symlink(t, q);
            printf("symlink %s %s", t, q);
            break;
        }
        case 12:
            memset(buf, 0, sizeof buf);
            r = readlink(p, buf, sizeof buf - 1);
            printf("readlink %s", p);
            if (r > 0) {
                printf(" [%s]", buf);
            }
            break;
        case 13:
        case 14: {
            int nofollow = op == 14;
            r = (nofollow ? lstat : stat)(p, &st);
            printf("%s %s", nofollow ? "lstat" : "stat", p);
            if (r == 0) {
                printf(" %s %o n%lu s%lld", ftype(st.st_mode), st.st_mode & 07777, (unsigned long)st.st_nlink,
                       S_ISDIR(st.st_mode) ? 0LL : (long long)st.st_size);
            }
            break;
        }
        case 15:
            r = truncate(p, rnd(40));
            printf("truncate %s", p);
            break;
        case 16:
            r = chmod(p, rnd(2) ? 0600 + rnd(0200) : rnd(01000));
            printf("chmod %s", p);
            break;
        case 17:
            printf("list %s:", p);
            list(p);
            r = 0;
            break;
        case 18:
            r = access(p, rnd(8));
            printf("access %s", p);
            break;
        case 19:
            r = fd < 0 ? -2 : ftruncate(fd, rnd(20));
            printf("ftruncate %d", slot);
            break;
        case 20:
            r = fd < 0 ? -2 : fstat(fd, &st);
            printf("fstat %d", slot);
            if (r == 0) {
                printf(" %s n%lu s%lld", ftype(st.st_mode), (unsigned long)st.st_nlink,
                       S_ISDIR(st.st_mode) ? 0LL : (long long)st.st_size);
            }
            break;
        case 22: {
            int here = open(".", O_RDONLY | O_DIRECTORY);
            r = chdir(p);
            printf("chdir %s", p);
            if (r == 0) {
                r = stat("a", &st) == 0 ? 1 : 0; /* something only visible from the new directory */
                fchdir(here);
            }
            close(here);
            break;
        }
        case 23: {
            int f = fd < 0 ? -2 : openat(fd, q, O_RDONLY | O_NONBLOCK | (rnd(2) ? O_NOFOLLOW : 0));
            printf("openat %d %s", slot, q);
            r = f;
            if (f >= 0) {
                close(f);
                r = 0;
            }
            break;
        }
        case 24: {
            struct timespec ts[2] = {{100, 0}, {200 + i, 5}};
            int fl = rnd(2) ? AT_SYMLINK_NOFOLLOW : 0;
            r = utimensat(AT_FDCWD, p, ts, fl);
            printf("utimensat %s %d", p, fl);
            if (r == 0 && fstatat(AT_FDCWD, p, &st, fl) == 0) {
                printf(" m%lld.%ld", (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
            }
            break;
        }
        case 25:
            r = mkfifo(p, 0644);
            printf("mkfifo %s", p);
            break;
        case 26:
            r = fd < 0 ? -2 : fchmod(fd, 0600 + rnd(0200));
            printf("fchmod %d", slot);
            break;
        case 27: {
            int fl = rnd(2) ? AT_SYMLINK_NOFOLLOW : 0;
            r = fd < 0 ? -2 : fstatat(fd, q, &st, fl);
            printf("fstatat %d %s %d", slot, q, fl);
            if (r == 0) {
                printf(" %s n%lu", ftype(st.st_mode), (unsigned long)st.st_nlink);
            }
            break;
        }
        default:
            r = fd < 0 ? -2 : pwrite(fd, "XY", 2, rnd(20));
            printf("pwrite %d", slot);
            break;
        }
        if (r == -2) {
            printf(" (no fd)\n");
        } else if (r < 0) {
            printf(" = %s\n", ename(errno));
        } else {
            printf(" = %ld\n", r);
        }
    }
    printf("final:");
    list(".");
    printf("\n");
    return 0;
}
