package dev.friscy.fs;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Import from a lazy {@link TarSource}: only headers are read at import, a file's data when it
 * is first used, and the result is indistinguishable from the eager import (contents, stat,
 * the memory it is charged, writes, truncation, a source that fails and recovers).
 */
class LazyTarTest {
    /** A lazy source over an array that counts what is read and can be made to fail. */
    static final class Counting implements TarSource {
        final byte[] tar;
        long bytesRead;
        boolean failing;

        Counting(byte[] tar) {
            this.tar = tar;
        }

        @Override
        public long length() {
            return tar.length;
        }

        @Override
        public void read(long pos, byte[] dst, int off, int len) throws IOException {
            if (failing) {
                throw new IOException("disk went away");
            }
            bytesRead += len;
            System.arraycopy(tar, (int) pos, dst, off, len);
        }

        @Override
        public boolean lazy() {
            return true;
        }
    }

    private static final String[] FILES = {"/bin/big", "/bin/small", "/etc/empty", "/etc/page", "/usr/lib/odd"};
    private static final int[] SIZES = {3 << 20, 100, 0, 4096, 12345};

    private static byte[] image() {
        Vfs v = new Vfs();
        Random r = new Random(13);
        for (int k = 0; k < FILES.length; k++) {
            String p = FILES[k];
            Inode dir = v.mkdirs(p.substring(0, p.lastIndexOf('/')), 0755);
            Inode f = v.newInode(Inode.S_IFREG | 0755);
            byte[] b = new byte[SIZES[k]];
            r.nextBytes(b);
            f.write(0, b, 0, b.length);
            v.link(dir, p.substring(p.lastIndexOf('/') + 1), f);
        }
        Inode bin = v.mkdirs("/bin", 0755);
        v.link(bin, "hard", bin.lookup("big"));
        Inode l = v.newInode(Inode.S_IFLNK | 0777);
        l.target = "big";
        v.link(bin, "sym", l);
        return TarExport.export(v);
    }

    private static Inode at(Vfs vfs, String path) {
        return vfs.resolve(new FsContext(vfs.root, vfs.root), vfs.root, path, true);
    }

    private static Stat stat(Inode i) {
        Stat st = new Stat();
        i.stat(st);
        return st;
    }

    @Test
    void readsOnlyHeadersUntilAFileIsUsed() throws Exception {
        byte[] tar = image();
        Counting src = new Counting(tar);
        Vfs vfs = new Vfs();
        assertEquals(List.of(), TarImport.importInto(vfs, src));
        assertTrue(src.bytesRead < 64 * 512, "the import read " + src.bytesRead + " bytes of a " + tar.length + "-byte tar");
        Inode big = at(vfs, "/bin/big");
        assertEquals(3 << 20, stat(big).size);
        long before = src.bytesRead;
        byte[] b = new byte[10];
        int window = FilePages.WINDOW * 4096;
        assertEquals(10, big.read(5, b, 0, 10));
        assertEquals(window, src.bytesRead - before, "first use reads the window around it, not the whole file");
        big.read(100, b, 0, 10);
        assertEquals(window, src.bytesRead - before, "a window is read once");
        big.read(1 << 20, b, 0, 10);
        assertEquals(2 * window, src.bytesRead - before);
        big.readAll();
        assertEquals(3 << 20, src.bytesRead - before, "every byte is read once");
    }

    @Test
    void aPartlyReadFileKeepsItsWritesAndCharges() throws Exception {
        byte[] tar = image();
        Vfs eager = new Vfs();
        Vfs lazy = new Vfs();
        TarImport.importInto(eager, tar);
        TarImport.importInto(lazy, new Counting(tar));
        for (Vfs v : List.of(eager, lazy)) {
            Inode big = at(v, "/bin/big");
            big.read(1 << 20, new byte[10], 0, 10);
            // across a page boundary, in a window not read yet, then one read before
            big.write((2 << 20) + 4090, "written".getBytes(), 0, 7);
            big.write((1 << 20) + 3, "again".getBytes(), 0, 5);
            big.write((3 << 20) + 100, "tail".getBytes(), 0, 4); // grows the file past the archive's data
        }
        Inode e = at(eager, "/bin/big");
        Inode l = at(lazy, "/bin/big");
        assertEquals(stat(e).blocks, stat(l).blocks);
        assertEquals(eager.memory.usedPages(), lazy.memory.usedPages());
        assertEquals(e.nextHole(0), l.nextHole(0));
        assertArrayEquals(e.readAll(), l.readAll());
        assertEquals(eager.memory.usedPages(), lazy.memory.usedPages());
        assertEquals(stat(e).blocks, stat(l).blocks);
    }

    @Test
    void sameAsTheEagerImport() throws Exception {
        byte[] tar = image();
        Vfs eager = new Vfs();
        Vfs lazy = new Vfs();
        assertEquals(TarImport.importInto(eager, tar), TarImport.importInto(lazy, new Counting(tar)));
        assertEquals(eager.memory.usedPages(), lazy.memory.usedPages(), "the data is charged at import, read or not");
        assertEquals(eager.memory.filePages(), lazy.memory.filePages());
        List<String> paths = new ArrayList<>(Arrays.asList(FILES));
        paths.add("/bin/hard");
        paths.add("/bin/sym");
        for (String p : paths) {
            Inode e = at(eager, p);
            Inode l = at(lazy, p);
            Stat se = stat(e);
            Stat sl = stat(l); // before the data is read: blocks as if it were
            assertEquals(se.size, sl.size, p);
            assertEquals(se.blocks, sl.blocks, p);
            assertEquals(se.mode, sl.mode, p);
            assertEquals(se.nlink, sl.nlink, p);
            assertEquals(se.mtimeNs, sl.mtimeNs, p);
            assertArrayEquals(e.readAll(), l.readAll(), p);
            assertEquals(se.blocks, stat(l).blocks, p);
        }
        assertEquals(eager.memory.usedPages(), lazy.memory.usedPages(), "reading charges nothing more");
        assertEquals(at(lazy, "/bin/big"), at(lazy, "/bin/hard"), "a hard link is the same inode");
    }

    @Test
    void writesTruncatesAndHolesOnAFileNotYetRead() throws Exception {
        byte[] tar = image();
        Vfs eager = new Vfs();
        Vfs lazy = new Vfs();
        TarImport.importInto(eager, tar);
        TarImport.importInto(lazy, new Counting(tar));
        for (Vfs v : List.of(eager, lazy)) {
            at(v, "/bin/small").truncate(50000); // grows: the tail is a hole
            at(v, "/usr/lib/odd").write(12000, "xyz".getBytes(), 0, 3);
            at(v, "/bin/big").truncate(5000);
            at(v, "/etc/page").punch(0, 4096, false);
        }
        for (String p : FILES) {
            assertArrayEquals(at(eager, p).readAll(), at(lazy, p).readAll(), p);
            assertEquals(stat(at(eager, p)).blocks, stat(at(lazy, p)).blocks, p);
        }
        assertEquals(at(eager, "/bin/small").nextHole(0), at(lazy, "/bin/small").nextHole(0));
    }

    @Test
    void aFailingSourceGivesEioAndLosesNothing() throws Exception {
        byte[] tar = image();
        Counting src = new Counting(tar);
        Vfs vfs = new Vfs();
        TarImport.importInto(vfs, src);
        Inode big = at(vfs, "/bin/big");
        long used = vfs.memory.usedPages();
        src.failing = true;
        SyscallError e = assertThrows(SyscallError.class, () -> big.read(0, new byte[8], 0, 8));
        assertEquals(Errno.EIO, e.errno);
        assertEquals(used, vfs.memory.usedPages());
        assertEquals(3 << 20, stat(big).size);
        src.failing = false;
        Vfs eager = new Vfs();
        TarImport.importInto(eager, tar);
        assertArrayEquals(at(eager, "/bin/big").readAll(), big.readAll(), "read again once the source works");
        assertEquals(used, vfs.memory.usedPages());
    }

    @Test
    void aFileLargerThanMemoryIsSkippedAndChargesNothing() throws Exception {
        byte[] tar = image();
        Vfs lazy = new Vfs();
        lazy.memory.setLimitPages(100);
        List<String> w = TarImport.importInto(lazy, new Counting(tar));
        assertEquals(List.of("skipped 'bin/big': ENOSPC", "skipped hard link 'bin/hard': target 'bin/big' not found"), w);
        assertEquals(1 + 1 + 4, lazy.memory.usedPages(), "small, page and odd are charged, big is not");
        assertEquals(100, at(lazy, "/bin/small").readAll().length);
        assertFalse(lazy.memory.usedPages() > 100);
    }
}
