/* open/read/write/seek, create flags, umask, truncation, positioned and vector I/O. */
#include "common.h"
#include <sys/uio.h>
#include <sys/ioctl.h>
#include <sys/sendfile.h>

int main(void)
{
    char buf[64];
    enter_scratch("files.d");
    umask(022);
    int fd = open("a", O_CREAT | O_EXCL | O_RDWR, 0666);
    SHOW("create", fd >= 0 ? 0 : -1);
    showstat("mode 0666&~022", "a", 0);
    SHOWFD("excl again", open("a", O_CREAT | O_EXCL | O_RDWR, 0666));
    SHOW("write", write(fd, "hello world", 11));
    SHOW("lseek set", lseek(fd, 6, SEEK_SET));
    memset(buf, 0, sizeof buf);
    SHOW("read", read(fd, buf, sizeof buf));
    printf("data: %s\n", buf);
    SHOW("lseek end+5", lseek(fd, 5, SEEK_END));
    SHOW("write past end", write(fd, "!", 1));
    showstat("after gap", "a", 0);
    SHOW("lseek negative", lseek(fd, -100, SEEK_CUR));
    SHOW("lseek bad whence", lseek(fd, 0, 77));
    SHOW("pread", pread(fd, buf, 5, 0));
    printf("pdata: %.5s\n", buf);
    SHOW("pwrite", pwrite(fd, "HE", 2, 0));
    SHOW("pos unchanged", lseek(fd, 0, SEEK_CUR));
    SHOW("pread neg", pread(fd, buf, 1, -1));

    struct iovec iov[3] = {{"ab", 2}, {"", 0}, {"cde", 3}};
    int v = open("v", O_CREAT | O_RDWR | O_TRUNC, 0600);
    SHOW("writev", writev(v, iov, 3));
    SHOW("pwritev", pwritev(v, iov, 1, 10));
    char x1[3] = {0}, x2[10] = {0};
    struct iovec rv[2] = {{x1, 2}, {x2, 9}};
    SHOW("preadv", preadv(v, rv, 2, 0));
    printf("preadv data: %.2s|%c%c%c\n", x1, x2[0], x2[1], x2[2]);

    int ap = open("a", O_WRONLY | O_APPEND);
    lseek(ap, 0, SEEK_SET);
    SHOW("append write", write(ap, "END", 3));
    SHOW("append pos", lseek(ap, 0, SEEK_CUR));
    SHOW("append pwrite", pwrite(ap, "P", 1, 0));
    showstat("after append", "a", 0);
    int rd = open("a", O_RDONLY);
    SHOW("write on rdonly", write(rd, "x", 1));
    SHOW("read on wronly", read(ap, buf, 1));
    SHOW("ftruncate rdonly", ftruncate(rd, 0));
    SHOW("ftruncate", ftruncate(fd, 4));
    showstat("after ftruncate", "a", 0);
    SHOW("truncate grow", truncate("a", 8192));
    showstat("after truncate", "a", 0);
    SHOW("truncate neg", truncate("a", -1));
    SHOWFD("O_TRUNC", open("a", O_RDONLY | O_TRUNC));
    showstat("after O_TRUNC", "a", 0);

    /* sendfile and copy_file_range */
    int s = open("src", O_CREAT | O_RDWR | O_TRUNC, 0644);
    write(s, "0123456789", 10);
    int d = open("dst", O_CREAT | O_RDWR | O_TRUNC, 0644);
    off_t off = 3;
    SHOW("sendfile", sendfile(d, s, &off, 4));
    printf("sendfile off: %lld\n", (long long)off);
    SHOW("src pos", lseek(s, 0, SEEK_CUR));
    lseek(s, 1, SEEK_SET);
    SHOW("sendfile nooff", sendfile(d, s, NULL, 2));
    SHOW("src pos after", lseek(s, 0, SEEK_CUR));
    loff_t in = 8;
    SHOW("copy_file_range", syscall(SYS_copy_file_range, s, &in, d, NULL, 100, 0));
    SHOW("copy_file_range flags", syscall(SYS_copy_file_range, s, NULL, d, NULL, 1, 1));
    lseek(d, 0, SEEK_SET);
    memset(buf, 0, sizeof buf);
    read(d, buf, sizeof buf);
    printf("dst: %s\n", buf);

    /* O_DIRECTORY, O_NOFOLLOW, EISDIR, O_PATH */
    mkdir("dir", 0755);
    SHOWFD("open dir rdwr", open("dir", O_RDWR));
    SHOWFD("open dir creat", open("dir", O_CREAT | O_WRONLY, 0644));
    SHOWFD("open file O_DIRECTORY", open("a", O_RDONLY | O_DIRECTORY));
    SHOWFD("open file/", open("a/", O_RDONLY));
    SHOWFD("creat dir/new/", open("dir/new/", O_CREAT | O_WRONLY, 0644));
    symlink("a", "lnk");
    SHOWFD("O_NOFOLLOW", open("lnk", O_RDONLY | O_NOFOLLOW));
    int p = open("lnk", O_PATH | O_NOFOLLOW);
    SHOW("O_PATH open", p >= 0 ? 0 : -1);
    SHOW("O_PATH read", read(p, buf, 1));
    struct stat st;
    SHOW("O_PATH fstatat empty", fstatat(p, "", &st, AT_EMPTY_PATH));
    printf("O_PATH type: %s\n", ftype(st.st_mode));
    SHOW("O_PATH readlinkat", readlinkat(p, "", buf, sizeof buf));
    symlink("dir/created", "dangling");
    SHOWFD("creat through dangling", open("dangling", O_CREAT | O_WRONLY, 0600));
    showstat("dangling target", "dir/created", 0);
    SHOW("fcntl getfl", fcntl(ap, F_GETFL) & (O_ACCMODE | O_APPEND));
    SHOW("fcntl setfl nonblock", fcntl(ap, F_SETFL, O_NONBLOCK));
    SHOW("fcntl getfl2", fcntl(ap, F_GETFL) & (O_ACCMODE | O_APPEND | O_NONBLOCK));
    int fl = 0;
    SHOW("FIONREAD", ioctl(s, 0x541B, &fl));
    printf("FIONREAD value: %d\n", fl);
    SHOW("ioctl TCGETS on file", ioctl(s, 0x5401, buf));
    SHOW("fsync", fsync(s));
    SHOW("fdatasync", fdatasync(s));
    SHOW("close", close(s));
    SHOW("close again", close(s));
    SHOW("dev/full write", write(open("/dev/full", O_WRONLY), "x", 1));
    SHOW("dev/zero read", read(open("/dev/zero", O_RDONLY), buf, 8));
    SHOW("dev/null read", read(open("/dev/null", O_RDONLY), buf, 8));
    SHOW("dev/null lseek", lseek(open("/dev/null", O_RDONLY), 100, SEEK_SET));
    return 0;
}
