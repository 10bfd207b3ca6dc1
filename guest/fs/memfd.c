/* memfd_create and file seals. */
#include "common.h"
#include <sys/mman.h>

int main(void)
{
    char buf[128];
    int fd = memfd_create("scratch", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    SHOWFD("memfd_create", fd);
    struct stat st;
    fstat(fd, &st);
    printf("type %s mode %o size %lld\n", ftype(st.st_mode), st.st_mode & 0777, (long long)st.st_size);
    SHOW("cloexec", fcntl(fd, F_GETFD));
    SHOW("write", write(fd, "hello memfd", 11));
    SHOW("pread", pread(fd, buf, 5, 6));
    printf("data: %.5s\n", buf);
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    memset(buf, 0, sizeof buf);
    SHOW("readlink", readlink(path, buf, sizeof buf));
    printf("link: %s\n", buf);
    int again = open(path, O_RDONLY);
    SHOWFD("reopen through /proc", again);
    memset(buf, 0, sizeof buf);
    SHOW("read reopened", read(again, buf, sizeof buf));
    printf("reopened: %s\n", buf);
    SHOW("get seals", fcntl(fd, F_GET_SEALS));
    SHOW("seal shrink+grow", fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW));
    SHOW("get seals", fcntl(fd, F_GET_SEALS));
    SHOW("shrink", ftruncate(fd, 3));
    SHOW("grow", ftruncate(fd, 100));
    SHOW("same size", ftruncate(fd, 11));
    SHOW("overwrite inside", pwrite(fd, "J", 1, 0));
    SHOW("append past end", pwrite(fd, "!", 1, 11));
    SHOW("seal write", fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE));
    SHOW("write sealed", pwrite(fd, "x", 1, 0));
    SHOW("seal seal", fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL));
    SHOW("more seals", fcntl(fd, F_ADD_SEALS, F_SEAL_GROW));
    SHOW("bad seal", fcntl(fd, F_ADD_SEALS, 0x1000));
    int plain = memfd_create("plain", 0);
    SHOW("unsealable get", fcntl(plain, F_GET_SEALS));
    SHOW("unsealable add", fcntl(plain, F_ADD_SEALS, F_SEAL_GROW));
    SHOW("bad flags", memfd_create("x", 0x100));
    char longname[300];
    memset(longname, 'n', 299);
    longname[299] = 0;
    SHOW("long name", memfd_create(longname, 0));
    /* (seals on ordinary files depend on the file system: tmpfs has them, ext4 does not) */
    enter_scratch("memfd.d");
    return 0;
}
