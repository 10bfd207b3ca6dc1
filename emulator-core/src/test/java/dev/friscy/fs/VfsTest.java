package dev.friscy.fs;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.kernel.Credentials;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VfsTest {
    private final Vfs vfs = new Vfs();
    private final FsContext ctx = new FsContext(vfs.root, vfs.root);

    private Inode file(String dir, String name, String content) {
        Inode d = vfs.mkdirs(dir, 0755);
        Inode f = vfs.newInode(Inode.S_IFREG | 0644);
        byte[] b = content.getBytes();
        f.write(0, b, 0, b.length);
        vfs.link(d, name, f);
        return f;
    }

    private Inode symlink(String dir, String name, String target) {
        Inode d = vfs.mkdirs(dir, 0755);
        Inode l = vfs.newInode(Inode.S_IFLNK | 0777);
        l.target = target;
        vfs.link(d, name, l);
        return l;
    }

    private int errno(Runnable r) {
        SyscallError e = assertThrows(SyscallError.class, r::run);
        return e.errno;
    }

    @Test
    void walksDotsSlashesAndSymlinks() {
        Inode f = file("/usr/lib", "libc.so", "x");
        symlink("/", "lib", "usr/lib");
        symlink("/usr", "abs", "/usr/lib/libc.so");
        assertSame(f, vfs.resolve(ctx, vfs.root, "/lib/libc.so", true));
        assertSame(f, vfs.resolve(ctx, vfs.root, "//usr/./lib/../lib//libc.so", true));
        assertSame(f, vfs.resolve(ctx, vfs.root, "/usr/abs", true));
        assertTrue(vfs.resolve(ctx, vfs.root, "/usr/abs", false).isSymlink());
        assertSame(vfs.root, vfs.resolve(ctx, vfs.root, "/../../..", true));
        assertSame(vfs.root, vfs.resolve(ctx, vfs.root, "/", true));
        assertEquals(Errno.ENOENT, errno(() -> vfs.resolve(ctx, vfs.root, "", true)));
        assertEquals(Errno.ENOTDIR, errno(() -> vfs.resolve(ctx, vfs.root, "/usr/lib/libc.so/", true)));
        assertEquals(Errno.ENOTDIR, errno(() -> vfs.resolve(ctx, vfs.root, "/usr/lib/libc.so/x", true)));
        // a trailing slash follows a symlink to a directory even without followLast
        assertSame(vfs.resolve(ctx, vfs.root, "/usr/lib", true), vfs.resolve(ctx, vfs.root, "/lib/", false));
    }

    @Test
    void symlinkLoopsAndLimits() {
        vfs.mkdirs("/d", 0755);
        symlink("/d", "a", "b");
        symlink("/d", "b", "a");
        assertEquals(Errno.ELOOP, errno(() -> vfs.resolve(ctx, vfs.root, "/d/a", true)));
        // a chain of 40 links resolves, 41 do not
        file("/c", "target", "t");
        symlink("/c", "l0", "target");
        for (int i = 1; i <= 40; i++) {
            symlink("/c", "l" + i, "l" + (i - 1));
        }
        assertTrue(vfs.resolve(ctx, vfs.root, "/c/l39", true).isRegular());
        assertEquals(Errno.ELOOP, errno(() -> vfs.resolve(ctx, vfs.root, "/c/l40", true)));
        String longName = "n".repeat(256);
        assertEquals(Errno.ENAMETOOLONG, errno(() -> vfs.resolve(ctx, vfs.root, "/" + longName, true)));
        assertEquals(Errno.ENAMETOOLONG, errno(() -> vfs.resolve(ctx, vfs.root, "/a".repeat(2048), true)));
    }

    @Test
    void danglingSymlinkLookupGivesTargetLocation() {
        Inode d = vfs.mkdirs("/x/y", 0755);
        symlink("/", "dangling", "/x/y/new");
        Lookup l = vfs.lookup(null, ctx, null, vfs.root, "/dangling", true);
        assertNull(l.inode);
        assertSame(d, l.dir);
        assertEquals("new", l.name);
    }

    @Test
    void searchPermissionAndRootBypass() {
        Inode secret = vfs.mkdirs("/secret", 0700);
        file("/secret", "f", "data");
        Credentials user = new Credentials();
        user.uid = user.euid = user.fsuid = 1000;
        user.gid = user.egid = user.fsgid = 1000;
        assertEquals(Errno.EACCES, errno(() -> vfs.resolve(null, ctx, user, vfs.root, "/secret/f", true)));
        Credentials root = new Credentials();
        assertTrue(vfs.resolve(null, ctx, root, vfs.root, "/secret/f", true).isRegular());
        Inode f = vfs.resolve(null, ctx, root, vfs.root, "/secret/f", true);
        f.mode = Inode.S_IFREG | 0644;
        assertFalse(Vfs.permitted(f, root, 1), "root cannot exec a file without any x bit");
        f.mode = Inode.S_IFREG | 0100;
        assertTrue(Vfs.permitted(f, root, 1));
        assertTrue(Vfs.permitted(secret, root, 7));
        secret.uid = 1000;
        assertTrue(Vfs.permitted(secret, user, 7));
    }

    @Test
    void linkCountsAndPaths() {
        Inode f = file("/a", "f", "x");
        assertEquals(1, f.nlink);
        Inode a = vfs.resolve(ctx, vfs.root, "/a", true);
        vfs.link(a, "g", f);
        assertEquals(2, f.nlink);
        Inode sub = vfs.mkdirs("/a/sub", 0755);
        assertEquals(3, a.nlink);
        assertEquals("/a/sub", sub.path());
        vfs.unlink(a, "f");
        assertEquals(1, f.nlink);
        Inode b = vfs.mkdirs("/b", 0755);
        vfs.move(a, "sub", b, "moved");
        assertEquals("/b/moved", sub.path());
        assertEquals(2, a.nlink);
        assertEquals(3, b.nlink);
        assertEquals("/moved", sub.pathFrom(b));
        assertNull(a.pathFrom(b));
    }

    @Test
    void holesDataAndTruncate() {
        Inode f = vfs.newInode(Inode.S_IFREG | 0644);
        byte[] b = {1, 2, 3};
        f.write(3 * 4096 + 10, b, 0, 3);
        assertEquals(3 * 4096 + 13, f.size);
        assertEquals(3 * 4096, f.nextData(0));
        assertEquals(0, f.nextHole(0));
        assertEquals(f.size, f.nextHole(3 * 4096), "end of file counts as a hole");
        Stat st = new Stat();
        f.stat(st);
        assertEquals(8, st.blocks);
        byte[] got = new byte[5];
        assertEquals(5, f.read(3 * 4096 + 8, got, 0, 5));
        assertArrayEquals(new byte[] {0, 0, 1, 2, 3}, got);
        f.truncate(3 * 4096 + 11);
        f.truncate(3 * 4096 + 13);
        f.read(3 * 4096 + 10, got, 0, 3);
        assertArrayEquals(new byte[] {1, 0, 0}, new byte[] {got[0], got[1], got[2]});
        f.truncate(0);
        f.stat(st);
        assertEquals(0, st.blocks);
        assertThrows(SyscallError.class, () -> f.nextData(0));
    }

    @Test
    void hugeSparseFilesCostOnlyWhatIsWritten() {
        Inode f = vfs.newInode(Inode.S_IFREG | 0644);
        f.truncate(1L << 39);
        byte[] b = {42};
        f.write((1L << 39) - 1, b, 0, 1);
        f.write(5, b, 0, 1);
        Stat st = new Stat();
        f.stat(st);
        assertEquals(16, st.blocks);
        assertEquals(0, f.nextData(0));
        assertEquals(4096, f.nextHole(0));
        assertEquals((1L << 39) - 4096, f.nextData(4096));
        byte[] got = new byte[2];
        assertEquals(1, f.read((1L << 39) - 1, got, 0, 2));
        assertEquals(42, got[0]);
        assertEquals(Errno.EFBIG, errno(() -> f.write(1L << 40, b, 0, 1)));
        assertEquals(Errno.EFBIG, errno(() -> f.truncate((1L << 40) + 1)));
        long[] page = new long[512];
        java.util.Arrays.fill(page, -1);
        f.readPage(1L << 20, page);
        assertEquals(0, page[7], "a hole maps as zeros");
    }
}
