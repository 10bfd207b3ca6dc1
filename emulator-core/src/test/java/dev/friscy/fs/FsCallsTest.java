package dev.friscy.fs;

import dev.friscy.errno.Errno;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static dev.friscy.fs.OpenFlags.O_APPEND;
import static dev.friscy.fs.OpenFlags.O_CREAT;
import static dev.friscy.fs.OpenFlags.O_DIRECTORY;
import static dev.friscy.fs.OpenFlags.O_EXCL;
import static dev.friscy.fs.OpenFlags.O_NOFOLLOW;
import static dev.friscy.fs.OpenFlags.O_PATH;
import static dev.friscy.fs.OpenFlags.O_RDONLY;
import static dev.friscy.fs.OpenFlags.O_RDWR;
import static dev.friscy.fs.OpenFlags.O_TMPFILE;
import static dev.friscy.fs.OpenFlags.O_TRUNC;
import static dev.friscy.fs.OpenFlags.O_WRONLY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The file-system system calls, called by number for a fixture process. */
class FsCallsTest {
    static final int OPENAT = 56, CLOSE = 57, READ = 63, WRITE = 64, LSEEK = 62, PREAD = 67, PWRITE = 68,
            GETDENTS = 61, FSTATAT = 79, FSTAT = 80, STATX = 291, MKDIRAT = 34, UNLINKAT = 35, SYMLINKAT = 36,
            LINKAT = 37, RENAMEAT2 = 276, READLINKAT = 78, GETCWD = 17, CHDIR = 49, FCHDIR = 50, FCHMODAT = 53,
            FACCESSAT = 48, UTIMENSAT = 88, FTRUNCATE = 46, FALLOCATE = 47, FCNTL = 25, FLOCK = 32, SENDFILE = 71,
            COPY_FILE_RANGE = 285, UMASK = 166, MKNODAT = 33, STATFS = 43, CLOSE_RANGE = 436, DUP = 23;
    static final int AT = Guest.AT_FDCWD;

    private final Guest g = new Guest();

    private static long err(int errno) {
        return -errno;
    }

    @Test
    void createWriteReadSeekAppendTruncate() {
        assertEquals(022, g.call(UMASK, 027));
        long fd = g.open("/tmp/f", O_CREAT | O_EXCL | O_RDWR, 0666);
        assertTrue(fd >= 0, "fd " + fd);
        assertEquals(Inode.S_IFREG | 0640, g.mode("/tmp/f"), "mode & ~umask");
        assertEquals(err(Errno.EEXIST), g.open("/tmp/f", O_CREAT | O_EXCL | O_RDWR, 0666));
        assertEquals(5, g.write(fd, "hello"));
        assertEquals(2, g.call(LSEEK, fd, 2, 0));
        assertEquals("llo", g.readAll(fd));
        assertEquals(10, g.call(LSEEK, fd, 5, 1));
        assertEquals(1, g.write(fd, "!"));
        assertEquals("hello\0\0\0\0\0!", g.cat("/tmp/f"));
        assertEquals(err(Errno.EINVAL), g.call(LSEEK, fd, -100, 1));
        long ap = g.open("/tmp/f", O_WRONLY | O_APPEND);
        g.call(LSEEK, ap, 0, 0);
        g.write(ap, "END");
        assertEquals("hello\0\0\0\0\0!END", g.cat("/tmp/f"));
        long buf = g.alloc(16);
        assertEquals(3, g.call(PREAD, fd, buf, 3, 1));
        assertEquals("ell", new String(g.read(buf, 3)));
        assertEquals(2, g.call(PWRITE, fd, g.str("HE"), 2, 0));
        assertEquals("HEllo", g.cat("/tmp/f").substring(0, 5));
        long tr = g.open("/tmp/f", O_RDWR | O_TRUNC);
        assertEquals("", g.cat("/tmp/f"));
        assertEquals(err(Errno.EBADF), g.call(WRITE, g.open("/tmp/f", O_RDONLY), g.str("x"), 1));
        assertEquals(0, g.call(CLOSE, tr));
        assertEquals(err(Errno.EBADF), g.call(CLOSE, tr));
    }

    @Test
    void openErrors() {
        g.call(MKDIRAT, AT, g.str("/d"), 0755);
        assertEquals(err(Errno.EISDIR), g.open("/d", O_WRONLY));
        assertEquals(err(Errno.EISDIR), g.open("/d", O_CREAT | O_WRONLY, 0644));
        assertEquals(err(Errno.EISDIR), g.open("/d/new/", O_CREAT | O_WRONLY, 0644));
        assertEquals(err(Errno.EINVAL), g.open("/d/new", O_CREAT | O_DIRECTORY | O_RDONLY, 0755));
        assertEquals(err(Errno.ENOENT), g.open("/nope/x", O_CREAT | O_WRONLY, 0644));
        g.open("/d/f", O_CREAT | O_WRONLY, 0644);
        assertEquals(err(Errno.ENOTDIR), g.open("/d/f", O_RDONLY | O_DIRECTORY));
        assertEquals(err(Errno.ENOTDIR), g.open("/d/f/", O_RDONLY));
        g.call(SYMLINKAT, g.str("f"), AT, g.str("/d/link"));
        assertEquals(err(Errno.ELOOP), g.open("/d/link", O_RDONLY | O_NOFOLLOW));
        long p = g.open("/d/link", O_PATH | O_NOFOLLOW);
        assertTrue(p >= 0);
        assertEquals(err(Errno.EBADF), g.call(READ, p, g.alloc(4), 4));
        long buf = g.alloc(64);
        assertEquals(1, g.call(READLINKAT, p, g.str(""), buf, 64));
        // a dangling symlink with O_CREAT creates its target
        g.call(SYMLINKAT, g.str("/d/created"), AT, g.str("/d/dangling"));
        assertTrue(g.open("/d/dangling", O_CREAT | O_WRONLY, 0600) >= 0);
        assertEquals(Inode.S_IFREG | 0600, g.mode("/d/created"));
        assertEquals(err(Errno.EEXIST), g.open("/d/dangling", O_CREAT | O_EXCL | O_WRONLY, 0600));
    }

    private List<String> listDir(long fd, int bufSize) {
        List<String> names = new ArrayList<>();
        long buf = g.alloc(bufSize);
        while (true) {
            long n = g.call(GETDENTS, fd, buf, bufSize);
            assertTrue(n >= 0, "getdents " + n);
            if (n == 0) {
                return names;
            }
            for (int off = 0; off < n; ) {
                int reclen = g.u16(buf + off + 16);
                int type = g.read(buf + off + 18, 1)[0];
                byte[] nb = g.read(buf + off + 19, reclen - 19);
                int len = 0;
                while (nb[len] != 0) {
                    len++;
                }
                names.add(new String(nb, 0, len, StandardCharsets.ISO_8859_1) + ":" + type);
                assertEquals(0, reclen % 8);
                off += reclen;
            }
        }
    }

    @Test
    void getdentsListsStablyAndRewinds() {
        g.call(MKDIRAT, AT, g.str("/d"), 0755);
        for (int i = 0; i < 50; i++) {
            g.call(CLOSE, g.open("/d/file" + i, O_CREAT | O_WRONLY, 0644));
        }
        g.call(MKDIRAT, AT, g.str("/d/sub"), 0755);
        g.call(SYMLINKAT, g.str("x"), AT, g.str("/d/ln"));
        long fd = g.open("/d", O_RDONLY | O_DIRECTORY);
        List<String> all = listDir(fd, 200);
        assertEquals(54, all.size());
        assertTrue(all.contains(".:4") && all.contains("..:4") && all.contains("sub:4") && all.contains("ln:10")
                && all.contains("file7:8"), all.toString());
        assertEquals(0, g.call(LSEEK, fd, 0, 0));
        // delete entries while listing: removed names are not reported, nothing repeats
        long buf = g.alloc(64);
        assertTrue(g.call(GETDENTS, fd, buf, 64) > 0);
        for (int i = 0; i < 50; i += 2) {
            g.call(UNLINKAT, AT, g.str("/d/file" + i), 0);
        }
        List<String> rest = listDir(fd, 4096);
        assertTrue(rest.size() < 54 && !rest.contains("file10:8") && rest.contains("file11:8"), rest.toString());
        assertEquals(err(Errno.EINVAL), g.call(GETDENTS, g.open("/d", O_RDONLY), g.alloc(8), 8));
        assertEquals(err(Errno.ENOTDIR), g.call(GETDENTS, g.open("/d/file1", O_RDONLY), buf, 64));
    }

    @Test
    void statNlinkInodeAndStatx() {
        long fd = g.open("/a", O_CREAT | O_WRONLY, 0644);
        g.write(fd, "x".repeat(5000));
        long st = g.stat("/a", 0);
        long ino = g.u64(st + 8);
        assertEquals(1, g.u32(st + 20));
        assertEquals(5000, g.u64(st + 48));
        assertEquals(16, g.u64(st + 64), "two pages = 16 512-byte blocks");
        assertEquals(0, g.call(LINKAT, AT, g.str("/a"), AT, g.str("/b"), 0));
        assertEquals(2, g.u32(g.stat("/b", 0) + 20));
        assertEquals(ino, g.u64(g.stat("/b", 0) + 8));
        assertNotEquals(ino, g.u64(g.stat("/tmp", 0) + 8));
        g.call(SYMLINKAT, g.str("/a"), AT, g.str("/s"));
        assertEquals(Inode.S_IFLNK | 0777, g.u32(g.stat("/s", 0x100) + 16));
        assertEquals(2, g.u64(g.stat("/s", 0x100) + 48), "a symlink's size is its target length");
        long fst = g.alloc(128);
        assertEquals(0, g.call(FSTAT, fd, fst));
        assertEquals(ino, g.u64(fst + 8));
        long sx = g.alloc(256);
        assertEquals(0, g.call(STATX, AT, g.str("/b"), 0, 0xfff, sx));
        assertEquals(2, g.u32(sx + 16));
        assertEquals(Inode.S_IFREG | 0644, g.u16(sx + 28));
        assertEquals(ino, g.u64(sx + 32));
        assertEquals(5000, g.u64(sx + 40));
        assertEquals(g.host.now / 1_000_000_000L, g.u64(sx + 112), "mtime");
        // AT_EMPTY_PATH on an fd
        assertEquals(0, g.call(FSTATAT, fd, g.str(""), fst, 0x1000));
        assertEquals(err(Errno.ENOENT), g.call(FSTATAT, fd, g.str(""), fst, 0));
        assertEquals(err(Errno.ENOTDIR), g.call(FSTATAT, fd, g.str("x"), fst, 0));
        long sfs = g.alloc(120);
        assertEquals(0, g.call(STATFS, g.str("/"), sfs));
        assertEquals(0x01021994L, g.u64(sfs));
        assertEquals(0, g.call(STATFS, g.str("/proc"), sfs));
        assertEquals(0x9fa0L, g.u64(sfs));
    }

    @Test
    void timestampsFollowLinux() {
        long fd = g.open("/t", O_CREAT | O_RDWR, 0644);
        long t0 = g.host.now;
        g.host.now += 5_000_000_000L;
        g.write(fd, "abc");
        long st = g.stat("/t", 0);
        assertEquals(t0 / 1_000_000_000L + 5, g.u64(st + 88), "write moves mtime");
        assertEquals(t0 / 1_000_000_000L + 5, g.u64(st + 104), "and ctime");
        long times = g.alloc(32);
        g.put64(times, 100);
        g.put64(times + 8, (1L << 30) - 2); // UTIME_OMIT for atime
        g.put64(times + 16, 200);
        g.put64(times + 24, 7);
        long atimeBefore = g.u64(g.stat("/t", 0) + 72);
        assertEquals(0, g.call(UTIMENSAT, AT, g.str("/t"), times, 0));
        st = g.stat("/t", 0);
        assertEquals(atimeBefore, g.u64(st + 72));
        assertEquals(200, g.u64(st + 88));
        assertEquals(7, g.u64(st + 96));
        g.host.now += 1_000_000_000L;
        assertEquals(0, g.call(MKDIRAT, AT, g.str("/dir"), 0755));
        long dirM = g.u64(g.stat("/dir", 0) + 88);
        g.host.now += 1_000_000_000L;
        g.call(CLOSE, g.open("/dir/x", O_CREAT | O_WRONLY, 0644));
        assertEquals(dirM + 1, g.u64(g.stat("/dir", 0) + 88), "creating an entry moves the directory's mtime");
    }

    @Test
    void unlinkRmdirRename() {
        g.call(MKDIRAT, AT, g.str("/d"), 0755);
        g.call(MKDIRAT, AT, g.str("/d/sub"), 0755);
        g.call(CLOSE, g.open("/d/f", O_CREAT | O_WRONLY, 0644));
        g.call(CLOSE, g.open("/g", O_CREAT | O_WRONLY, 0644));
        assertEquals(err(Errno.EISDIR), g.call(UNLINKAT, AT, g.str("/d/sub"), 0));
        assertEquals(err(Errno.ENOTDIR), g.call(UNLINKAT, AT, g.str("/d/f"), 0x200));
        assertEquals(err(Errno.ENOTEMPTY), g.call(UNLINKAT, AT, g.str("/d"), 0x200));
        assertEquals(err(Errno.EINVAL), g.call(UNLINKAT, AT, g.str("/d/sub/."), 0x200));
        assertEquals(err(Errno.EINVAL), g.call(RENAMEAT2, AT, g.str("/d"), AT, g.str("/d/sub/in"), 0));
        assertEquals(err(Errno.EEXIST), g.call(RENAMEAT2, AT, g.str("/g"), AT, g.str("/d/f"), 1));
        assertEquals(err(Errno.EISDIR), g.call(RENAMEAT2, AT, g.str("/g"), AT, g.str("/d/sub"), 0));
        assertEquals(err(Errno.ENOTDIR), g.call(RENAMEAT2, AT, g.str("/d/sub"), AT, g.str("/g"), 0));
        long ino = g.u64(g.stat("/g", 0) + 8);
        assertEquals(0, g.call(RENAMEAT2, AT, g.str("/g"), AT, g.str("/d/f"), 0));
        assertEquals(ino, g.u64(g.stat("/d/f", 0) + 8));
        assertEquals(err(Errno.ENOENT), g.call(FSTATAT, AT, g.str("/g"), g.alloc(128), 0));
        // exchange a file and a directory
        assertEquals(0, g.call(RENAMEAT2, AT, g.str("/d/f"), AT, g.str("/d/sub"), 2));
        assertEquals(Inode.S_IFREG | 0644, g.mode("/d/sub"));
        assertEquals(Inode.S_IFDIR, g.mode("/d/f") & Inode.S_IFMT);
        assertEquals(3, g.u32(g.stat("/d", 0) + 20));
        // move a directory: link counts of both parents follow
        g.call(MKDIRAT, AT, g.str("/e"), 0755);
        assertEquals(0, g.call(RENAMEAT2, AT, g.str("/d/f"), AT, g.str("/e/moved"), 0));
        assertEquals(2, g.u32(g.stat("/d", 0) + 20));
        assertEquals(3, g.u32(g.stat("/e", 0) + 20));
        assertEquals(0, g.call(UNLINKAT, AT, g.str("/e/moved"), 0x200));
        assertEquals(0, g.call(UNLINKAT, AT, g.str("/d/sub"), 0));
        assertEquals(0, g.call(UNLINKAT, AT, g.str("/d"), 0x200));
    }

    @Test
    void unlinkedFileStaysReadable() {
        long fd = g.open("/tmp/gone", O_CREAT | O_RDWR, 0644);
        g.write(fd, "still here");
        g.call(UNLINKAT, AT, g.str("/tmp/gone"), 0);
        long st = g.alloc(128);
        g.call(FSTAT, fd, st);
        assertEquals(0, g.u32(st + 20));
        g.call(LSEEK, fd, 0, 0);
        assertEquals("still here", g.readAll(fd));
        long buf = g.alloc(256);
        long n = g.call(READLINKAT, AT, g.str("/proc/self/fd/" + fd), buf, 256);
        assertEquals("/tmp/gone (deleted)", new String(g.read(buf, (int) n)));
        // and reachable through /proc/self/fd
        assertEquals("still here", g.cat("/proc/self/fd/" + fd));
    }

    @Test
    void cwdCalls() {
        g.call(MKDIRAT, AT, g.str("/a"), 0755);
        g.call(MKDIRAT, AT, g.str("/a/b"), 0755);
        assertEquals(0, g.call(CHDIR, g.str("/a/b")));
        long buf = g.alloc(64);
        assertEquals(5, g.call(GETCWD, buf, 64));
        assertEquals("/a/b\0", new String(g.read(buf, 5)));
        assertEquals(err(Errno.ERANGE), g.call(GETCWD, buf, 4));
        g.call(CLOSE, g.open("rel", O_CREAT | O_WRONLY, 0644));
        assertEquals(Inode.S_IFREG, g.mode("/a/b/rel") & Inode.S_IFMT);
        long dfd = g.open("/a", O_RDONLY | O_DIRECTORY);
        assertEquals(0, g.call(FCHDIR, dfd));
        assertEquals(3, g.call(GETCWD, buf, 64));
        assertEquals(0, g.call(FSTATAT, dfd, g.str("b/rel"), g.alloc(128), 0), "dirfd-relative");
        assertEquals(0, g.call(CHDIR, g.str("b")));
        g.call(UNLINKAT, AT, g.str("/a/b/rel"), 0);
        g.call(UNLINKAT, AT, g.str("/a/b"), 0x200);
        assertEquals(err(Errno.ENOENT), g.call(GETCWD, buf, 64));
        assertEquals(err(Errno.ENOTDIR), g.call(CHDIR, g.str("/dev/null")));
    }

    @Test
    void permissionsForOrdinaryUsers() {
        long fd = g.open("/tmp/rootonly", O_CREAT | O_WRONLY, 0600);
        g.call(CLOSE, fd);
        Guest user = g.other(1000, 1000);
        assertEquals(err(Errno.EACCES), user.open("/tmp/rootonly", O_RDONLY));
        assertEquals(err(Errno.EACCES), user.call(FACCESSAT, AT, user.str("/tmp/rootonly"), 4));
        assertEquals(0, user.call(FACCESSAT, AT, user.str("/tmp/rootonly"), 0));
        assertEquals(err(Errno.EPERM), user.call(FCHMODAT, AT, user.str("/tmp/rootonly"), 0777));
        long mine = user.open("/tmp/mine", O_CREAT | O_WRONLY, 0644);
        assertTrue(mine >= 0);
        assertEquals(1000, user.u32(user.stat("/tmp/mine", 0) + 24));
        Guest other = g.other(1001, 1001);
        assertEquals(err(Errno.EPERM), other.call(UNLINKAT, AT, other.str("/tmp/mine"), 0), "sticky /tmp");
        assertEquals(0, g.call(UNLINKAT, AT, g.str("/tmp/mine"), 0), "root may");
        assertEquals(err(Errno.EACCES), user.call(MKDIRAT, AT, user.str("/etc"), 0755));
        g.call(MKDIRAT, AT, g.str("/private"), 0700);
        g.call(CLOSE, g.open("/private/f", O_CREAT | O_WRONLY, 0666));
        assertEquals(err(Errno.EACCES), user.open("/private/f", O_RDONLY), "no search permission");
        // explicit times need ownership; "now" needs write permission
        long times = user.alloc(32);
        user.put64(times, 1);
        user.put64(times + 8, 0);
        user.put64(times + 16, 1);
        user.put64(times + 24, 0);
        g.call(CLOSE, g.open("/tmp/shared", O_CREAT | O_WRONLY, 0666));
        assertEquals(0, g.call(FCHMODAT, AT, g.str("/tmp/shared"), 0666));
        assertEquals(err(Errno.EPERM), user.call(UTIMENSAT, AT, user.str("/tmp/shared"), times, 0));
        assertEquals(0, user.call(UTIMENSAT, AT, user.str("/tmp/shared"), 0, 0));
    }

    @Test
    void devices() {
        long buf = g.alloc(16);
        long z = g.open("/dev/zero", O_RDWR);
        g.task.mm.write(buf, new byte[] {9, 9, 9}, 0, 3);
        assertEquals(3, g.call(READ, z, buf, 3));
        assertEquals(0, g.read(buf, 3)[2]);
        long n = g.open("/dev/null", O_RDWR);
        assertEquals(0, g.call(READ, n, buf, 3));
        assertEquals(3, g.call(WRITE, n, buf, 3));
        long f = g.open("/dev/full", O_WRONLY);
        assertEquals(err(Errno.ENOSPC), g.call(WRITE, f, buf, 3));
        long r = g.open("/dev/urandom", O_RDONLY);
        assertEquals(4, g.call(READ, r, buf, 4));
        assertEquals(0x5b, g.read(buf, 4)[1]);
        long st = g.stat("/dev/null", 0);
        assertEquals(Inode.S_IFCHR | 0666, g.u32(st + 16));
        assertEquals(DevFs.makedev(1, 3), g.u64(st + 32));
        assertEquals(Inode.S_IFDIR | 01777, g.mode("/tmp"));
        assertEquals(Inode.S_IFDIR | 01777, g.mode("/dev/shm"));
        // mknod: fifos for anyone, devices for root only
        assertEquals(0, g.call(MKNODAT, AT, g.str("/tmp/fifo"), Inode.S_IFIFO | 0644, 0));
        assertEquals(Inode.S_IFIFO | 0644, g.mode("/tmp/fifo"));
        Guest user = g.other(1000, 1000);
        assertEquals(err(Errno.EPERM), user.call(MKNODAT, AT, user.str("/tmp/dev"), Inode.S_IFCHR | 0644, 0x103));
    }

    @Test
    void procSelf() {
        long buf = g.alloc(64);
        long n = g.call(READLINKAT, AT, g.str("/proc/self"), buf, 64);
        assertEquals(Integer.toString(g.task.pid()), new String(g.read(buf, (int) n)));
        String status = g.cat("/proc/self/status");
        assertTrue(status.contains("\nPid:\t" + g.task.pid() + "\n"), status);
        assertTrue(status.startsWith("Name:\ttest\n"), status);
        assertEquals("test\0arg\0", g.cat("/proc/self/cmdline"));
        String stat = g.cat("/proc/" + g.task.pid() + "/stat");
        assertTrue(stat.startsWith(g.task.pid() + " (test) R 0 " + g.task.pid()), stat);
        assertEquals(52, stat.trim().split(" ").length, stat);
        assertTrue(g.cat("/proc/self/maps").contains("[scratch]"));
        assertTrue(g.cat("/proc/cpuinfo").contains("isa\t\t: rv64imafdc"));
        assertEquals("0\n", g.cat("/sys/devices/system/cpu/online"), "one hart, as glibc's get_nprocs reads it");
        assertTrue(g.cat("/proc/meminfo").startsWith("MemTotal:"));
        assertTrue(g.cat("/proc/mounts").contains(" /proc proc "));
        assertEquals("Linux\n", g.cat("/proc/sys/kernel/ostype"));
        String uuid = g.cat("/proc/sys/kernel/random/uuid");
        assertTrue(uuid.matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\n"), uuid);
        assertEquals(g.cat("/proc/sys/kernel/random/boot_id"), g.cat("/proc/sys/kernel/random/boot_id"));
        g.call(MKDIRAT, AT, g.str("/w"), 0755);
        g.call(CHDIR, g.str("/w"));
        n = g.call(READLINKAT, AT, g.str("/proc/self/cwd"), buf, 64);
        assertEquals("/w", new String(g.read(buf, (int) n)));
        long fd = g.open("/proc/self/fd", O_RDONLY | O_DIRECTORY);
        List<String> fds = listDir(fd, 1024);
        assertTrue(fds.contains(fd + ":10"), fds.toString());
        String info = g.cat("/proc/self/fdinfo/" + fd);
        assertTrue(info.startsWith("pos:\t3\nflags:\t0200000\n"), "after listing ., .. and one fd: " + info);
        assertTrue(g.cat("/proc/self/limits").contains("Max open files            1024                 4096                 files"),
                g.cat("/proc/self/limits"));
        assertEquals(err(Errno.EACCES), g.open("/proc/meminfo", O_WRONLY));
        assertEquals(err(Errno.EACCES), g.open("/proc/newfile", O_CREAT | O_WRONLY, 0644));
        List<String> root = listDir(g.open("/proc", O_RDONLY), 4096);
        assertTrue(root.contains(g.task.pid() + ":4") && root.contains("self:10"), root.toString());
        // stdin of a process whose fd 0 is /dev/null
        g.call(CLOSE_RANGE, 0, 0xffffffffL, 0);
        long nul = g.open("/dev/null", O_RDONLY);
        assertEquals(0, nul);
        assertEquals("", g.cat("/dev/stdin"));
    }

    @Test
    void recordLocksBetweenProcesses() {
        long fd = g.open("/tmp/lock", O_CREAT | O_RDWR, 0666);
        Guest other = g.other(0, 0);
        long ofd = other.open("/tmp/lock", O_RDWR);
        long fl = g.alloc(32);
        // F_WRLCK on [10, 20)
        g.task.mm.store(fl, 2, 1);
        g.task.mm.store(fl + 2, 2, 0);
        g.put64(fl + 8, 10);
        g.put64(fl + 16, 10);
        assertEquals(0, g.call(FCNTL, fd, 6, fl));
        long ol = other.alloc(32);
        other.task.mm.store(ol, 2, 0); // F_RDLCK [15, 16)
        other.task.mm.store(ol + 2, 2, 0);
        other.put64(ol + 8, 15);
        other.put64(ol + 16, 1);
        assertEquals(err(Errno.EAGAIN), other.call(FCNTL, ofd, 6, ol));
        assertEquals(0, other.call(FCNTL, ofd, 5, ol), "F_GETLK");
        assertEquals(1, other.u16(ol), "conflicting F_WRLCK reported");
        assertEquals(10, other.u64(ol + 8));
        assertEquals(10, other.u64(ol + 16));
        assertEquals(g.task.pid(), other.u32(ol + 24));
        other.put64(ol + 8, 20); // [20, 21) is free
        other.task.mm.store(ol, 2, 0);
        assertEquals(0, other.call(FCNTL, ofd, 6, ol));
        // closing any fd of the file drops the process's locks
        long fd2 = g.open("/tmp/lock", O_RDONLY);
        g.call(CLOSE, fd2);
        other.put64(ol + 8, 15);
        assertEquals(0, other.call(FCNTL, ofd, 6, ol));
        // flock: exclusive between two descriptions
        long a = g.open("/tmp/lock", O_RDONLY);
        long b = g.open("/tmp/lock", O_RDONLY);
        assertEquals(0, g.call(FLOCK, a, 2 | 4));
        assertEquals(err(Errno.EAGAIN), g.call(FLOCK, b, 2 | 4));
        long dupA = g.call(DUP, a);
        g.call(CLOSE, a);
        assertEquals(err(Errno.EAGAIN), g.call(FLOCK, b, 1 | 4), "the dup still holds it");
        g.call(CLOSE, dupA);
        assertEquals(0, g.call(FLOCK, b, 1 | 4));
    }

    @Test
    void holesAllocateSendfileCopyRange() {
        long fd = g.open("/h", O_CREAT | O_RDWR, 0644);
        assertEquals(0, g.call(FTRUNCATE, fd, 3 * 4096));
        g.call(PWRITE, fd, g.str("data"), 4, 4096 + 5);
        assertEquals(4096, g.call(LSEEK, fd, 0, 3), "SEEK_DATA");
        assertEquals(2 * 4096, g.call(LSEEK, fd, 4096, 4), "SEEK_HOLE");
        assertEquals(err(Errno.ENXIO), g.call(LSEEK, fd, 3 * 4096, 3));
        assertEquals(0, g.call(FALLOCATE, fd, 0, 0, 4096));
        assertEquals(8, g.u64(g.stat("/h", 0) + 64) / 2);
        assertEquals(0, g.call(FALLOCATE, fd, 3, 4096, 4096), "punch hole");
        assertEquals(3 * 4096, g.u64(g.stat("/h", 0) + 48), "size kept");
        assertEquals(err(Errno.EOPNOTSUPP), g.call(FALLOCATE, fd, 2, 0, 10));
        long src = g.open("/src", O_CREAT | O_RDWR, 0644);
        g.write(src, "0123456789");
        long dst = g.open("/dst", O_CREAT | O_RDWR, 0644);
        long off = g.alloc(8);
        g.put64(off, 2);
        assertEquals(5, g.call(SENDFILE, dst, src, off, 5));
        assertEquals(7, g.u64(off));
        assertEquals("23456", g.cat("/dst"));
        assertEquals(10, g.call(LSEEK, src, 0, 1), "sendfile with an offset pointer leaves the file offset");
        long inOff = g.alloc(8);
        g.put64(inOff, 8);
        assertEquals(2, g.call(COPY_FILE_RANGE, src, inOff, dst, 0, 100, 0));
        assertEquals("2345689", g.cat("/dst"));
        assertEquals(err(Errno.EINVAL), g.call(COPY_FILE_RANGE, src, 0, dst, 0, 1, 1));
    }

    @Test
    void tmpfileLinkAndCloseRange() {
        g.call(MKDIRAT, AT, g.str("/t"), 0755);
        long fd = g.open("/t", O_TMPFILE | O_RDWR, 0600);
        assertTrue(fd >= 0, "O_TMPFILE " + fd);
        g.write(fd, "anon");
        assertEquals(2, listDir(g.open("/t", O_RDONLY), 1024).size(), "unnamed");
        assertEquals(0, g.call(LINKAT, fd, g.str(""), AT, g.str("/t/named"), 0x1000));
        assertEquals("anon", g.cat("/t/named"));
        long gone = g.open("/t/gone", O_CREAT | O_RDWR, 0600);
        g.call(UNLINKAT, AT, g.str("/t/gone"), 0);
        assertEquals(err(Errno.ENOENT), g.call(LINKAT, gone, g.str(""), AT, g.str("/t/back"), 0x1000),
                "a deleted file cannot get a name again");
        long hi = g.call(DUP, fd);
        assertTrue(hi > fd);
        assertEquals(0, g.call(CLOSE_RANGE, fd + 1, 0xffffffffL, 0));
        assertEquals(0, g.call(CLOSE, fd), "below the range: still open");
        assertEquals(err(Errno.EBADF), g.call(CLOSE, hi));
        assertEquals(err(Errno.EINVAL), g.call(CLOSE_RANGE, 5, 3, 0));
    }

    @Test
    void devStdinReachesAPipe() {
        for (int i = 0; i < 3; i++) {
            assertEquals(i, g.open("/dev/null", O_RDWR));
        }
        long fds = g.alloc(8);
        assertEquals(0, g.call(59, fds, 0), "pipe2");
        int r = g.u32(fds);
        int w = g.u32(fds + 4);
        assertEquals(0, g.call(24, r, 0, 0), "dup3 onto 0");
        g.write(w, "piped");
        g.call(CLOSE, w);
        g.call(CLOSE, r);
        assertEquals("piped", g.cat("/dev/stdin"));
        long st = g.alloc(128);
        assertEquals(0, g.call(FSTATAT, AT, g.str("/dev/stdin"), st, 0));
        assertEquals(Inode.S_IFIFO, g.u32(st + 16) & Inode.S_IFMT);
        assertEquals(err(Errno.EACCES), g.open("/proc/self/fd/0", O_WRONLY), "a read end cannot be reopened for writing");
    }

    @Test
    void unalignedTransfersAcrossPagesAndFaults() {
        byte[] pattern = new byte[10000];
        for (int i = 0; i < pattern.length; i++) {
            pattern[i] = (byte) (i * 7 + i / 251);
        }
        long src = g.alloc(pattern.length + 8) + 3;
        g.task.mm.write(src, pattern, 0, pattern.length);
        long fd = g.open("/u", O_CREAT | O_RDWR, 0644);
        assertEquals(4093, g.call(LSEEK, fd, 4093, 0));
        assertEquals(pattern.length, g.call(WRITE, fd, src, pattern.length));
        assertEquals(4093 + pattern.length, g.u64(g.stat("/u", 0) + 48));
        long dst = g.alloc(pattern.length + 8) + 5;
        g.call(LSEEK, fd, 4093, 0);
        assertEquals(pattern.length, g.call(READ, fd, dst, pattern.length + 100));
        assertEquals(java.util.Arrays.toString(pattern), java.util.Arrays.toString(g.read(dst, pattern.length)));
        g.call(LSEEK, fd, 0, 0);
        byte[] head = g.read(dst, 1);
        assertEquals(100, g.call(READ, fd, dst, 100));
        assertEquals(0, g.read(dst, 100)[99], "the gap before the data reads as zeros");
        assertEquals(err(Errno.EFAULT), g.call(READ, fd, 0x10, 4));
        assertEquals(err(Errno.EFAULT), g.call(WRITE, fd, 0x10, 4));
        assertEquals(100, g.call(LSEEK, fd, 0, 1), "a faulting call moves nothing");
        assertTrue(head.length == 1);
    }

    @Test
    void chrootConfinesPaths() {
        g.call(MKDIRAT, AT, g.str("/jail"), 0755);
        g.call(MKDIRAT, AT, g.str("/jail/etc"), 0755);
        g.call(CLOSE, g.open("/jail/etc/passwd", O_CREAT | O_WRONLY, 0644));
        g.call(CLOSE, g.open("/etc-outside", O_CREAT | O_WRONLY, 0644));
        g.call(SYMLINKAT, g.str("/etc/passwd"), AT, g.str("/jail/abs"));
        Guest user = g.other(1000, 1000);
        assertEquals(err(Errno.EPERM), user.call(51, user.str("/jail")), "chroot needs root");
        assertEquals(0, g.call(51, g.str("/jail")));
        long buf = g.alloc(64);
        // the cwd stayed outside the new root
        long n = g.call(GETCWD, buf, 64);
        assertEquals("(unreachable)/", new String(g.read(buf, (int) n - 1)));
        assertEquals(0, g.call(CHDIR, g.str("/")));
        assertEquals(2, g.call(GETCWD, buf, 64));
        assertEquals(Inode.S_IFREG, g.mode("/../../etc/passwd") & Inode.S_IFMT);
        assertEquals(Inode.S_IFREG, g.mode("/abs") & Inode.S_IFMT, "absolute symlinks resolve inside the root");
        assertEquals(err(Errno.ENOENT), g.call(FSTATAT, AT, g.str("/etc-outside"), g.alloc(128), 0));
        assertEquals(err(Errno.ENOENT), g.call(FSTATAT, AT, g.str("../etc-outside"), g.alloc(128), 0));
    }

    @Test
    void runningProgramsAreTextBusy() {
        g.call(CLOSE, g.open("/prog", O_CREAT | O_WRONLY, 0755));
        Guest other = g.other(0, 0);
        other.task.tg.exe = g.vfs.resolve(new FsContext(g.vfs.root, g.vfs.root), g.vfs.root, "/prog", true);
        assertEquals(err(Errno.ETXTBSY), g.open("/prog", O_WRONLY));
        assertEquals(err(Errno.ETXTBSY), g.open("/prog", O_RDONLY | O_TRUNC));
        assertEquals(err(Errno.ETXTBSY), g.call(45, g.str("/prog"), 0), "truncate");
        assertTrue(g.open("/prog", O_RDONLY) >= 0, "reading is fine");
        assertEquals(0, g.call(UNLINKAT, AT, g.str("/prog"), 0), "and so is replacing the name");
    }
}
