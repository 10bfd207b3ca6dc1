/* Helpers for the file-system guest tests: print results in a form that does not depend on
 * the host (no inode numbers, no absolute paths, no current times). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

static const char *ename(int e)
{
    switch (e) {
    case 0: return "OK";
    case EPERM: return "EPERM";
    case ENOENT: return "ENOENT";
    case EBADF: return "EBADF";
    case EAGAIN: return "EAGAIN";
    case EACCES: return "EACCES";
    case EEXIST: return "EEXIST";
    case EXDEV: return "EXDEV";
    case ENOTDIR: return "ENOTDIR";
    case EISDIR: return "EISDIR";
    case EINVAL: return "EINVAL";
    case ENOSPC: return "ENOSPC";
    case ESPIPE: return "ESPIPE";
    case ENAMETOOLONG: return "ENAMETOOLONG";
    case ENOTEMPTY: return "ENOTEMPTY";
    case ELOOP: return "ELOOP";
    case ERANGE: return "ERANGE";
    case ENXIO: return "ENXIO";
    case EBUSY: return "EBUSY";
    case ENOTTY: return "ENOTTY";
    case EOPNOTSUPP: return "EOPNOTSUPP";
    case EFAULT: return "EFAULT";
    case EPIPE: return "EPIPE";
    case EMFILE: return "EMFILE";
    case EFBIG: return "EFBIG";
    default: return "E?";
    }
}

/* Prints "label: result" where result is the value or the errno name. */
#define SHOW(label, expr) do { errno = 0; long _r = (long)(expr); \
    if (_r < 0) printf("%s: -1 %s\n", label, ename(errno)); else printf("%s: %ld\n", label, _r); } while (0)

/* For calls returning a new fd: its number depends on the host (qemu keeps fds of its own). */
#define SHOWFD(label, expr) do { errno = 0; long _r = (long)(expr); \
    if (_r < 0) printf("%s: -1 %s\n", label, ename(errno)); else printf("%s: fd\n", label); } while (0)

static const char *ftype(mode_t m)
{
    if (S_ISREG(m)) return "reg";
    if (S_ISDIR(m)) return "dir";
    if (S_ISLNK(m)) return "lnk";
    if (S_ISCHR(m)) return "chr";
    if (S_ISFIFO(m)) return "fifo";
    if (S_ISSOCK(m)) return "sock";
    if (S_ISBLK(m)) return "blk";
    return "?";
}

__attribute__((unused)) static void showstat(const char *label, const char *path, int flags)
{
    struct stat st;
    if (fstatat(AT_FDCWD, path, &st, flags) != 0) {
        printf("%s: stat -1 %s\n", label, ename(errno));
        return;
    }
    /* directory sizes are file-system specific (ext4 4096, tmpfs 20 per entry) */
    printf("%s: %s mode=%o nlink=%lu size=%lld\n", label, ftype(st.st_mode), st.st_mode & 07777,
           (unsigned long)st.st_nlink, S_ISDIR(st.st_mode) ? 0LL : (long long)st.st_size);
}

/* Makes and enters a fresh scratch directory under the current one. */
static void enter_scratch(const char *name)
{
    char cmd[64];
    mkdir(name, 0755);
    if (chdir(name) != 0) {
        printf("cannot enter %s: %s\n", name, ename(errno));
        exit(1);
    }
    (void)cmd;
}
