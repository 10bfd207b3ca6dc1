package dev.friscy.fs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tar import and export, checked against GNU tar writing and reading the archives. */
class TarTest {
    private static final String LONG_DIR = "d".repeat(60) + "/" + "e".repeat(60);
    private static final String LONG_FILE = LONG_DIR + "/" + "f".repeat(90) + ".txt";

    @TempDir
    Path tmp;

    private static byte[] run(Path cwd, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(false).start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + err);
        return out;
    }

    /** A source tree with long names, links, modes and times. */
    private Path sourceTree() throws IOException {
        Path src = tmp.resolve("src");
        Files.createDirectories(src.resolve(LONG_DIR));
        Files.writeString(src.resolve(LONG_FILE), "long name content\n");
        Files.createDirectories(src.resolve("bin"));
        Path sh = src.resolve("bin/sh");
        Files.write(sh, new byte[70000]);
        Files.write(sh, "#!ELF".getBytes(), java.nio.file.StandardOpenOption.WRITE);
        Files.setPosixFilePermissions(sh, PosixFilePermissions.fromString("rwxr-x--x"));
        Files.createLink(src.resolve("bin/ash"), sh);
        Files.createSymbolicLink(src.resolve("bin/busybox"), Path.of("sh"));
        Files.createSymbolicLink(src.resolve("longlink"), Path.of("/" + LONG_FILE));
        Files.createDirectories(src.resolve("empty"));
        Files.setPosixFilePermissions(src.resolve("empty"), PosixFilePermissions.fromString("rwx-----T".replace('T', '-')));
        Files.setLastModifiedTime(src.resolve("bin/sh"), FileTime.fromMillis(1_500_000_000_000L));
        Files.setLastModifiedTime(src.resolve("empty"), FileTime.fromMillis(1_400_000_000_000L));
        return src;
    }

    private static Inode at(Vfs vfs, String path, boolean follow) {
        return vfs.resolve(new FsContext(vfs.root, vfs.root), vfs.root, path, follow);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gnu", "pax", "ustar"})
    void importsWhatGnuTarWrites(String format) throws Exception {
        Path src = sourceTree();
        if (format.equals("ustar")) {
            // ustar cannot hold the long names: only the short part of the tree
            byte[] tar = run(src, "tar", "--format=ustar", "-cf", "-", "bin", "empty");
            Vfs vfs = new Vfs();
            assertEquals(List.of(), TarImport.importInto(vfs, tar));
            assertEquals(2, at(vfs, "/bin/sh", false).nlink);
            return;
        }
        byte[] tar = run(src, "tar", "--format=" + format, "--owner=0", "--group=0", "-cf", "-", ".");
        Vfs vfs = new Vfs();
        List<String> warnings = TarImport.importInto(vfs, tar);
        assertEquals(List.of(), warnings);
        Inode f = at(vfs, "/" + LONG_FILE, true);
        assertEquals("long name content\n", new String(f.readAll(), StandardCharsets.ISO_8859_1));
        Inode sh = at(vfs, "/bin/sh", false);
        Inode ash = at(vfs, "/bin/ash", false);
        assertSame(sh, ash, "hard links share the inode");
        assertEquals(2, sh.nlink);
        assertEquals(70000, sh.size);
        assertEquals(Inode.S_IFREG | 0751, sh.mode);
        assertEquals(1_500_000_000L, sh.mtimeNs / 1_000_000_000L);
        byte[] head = Arrays.copyOf(sh.readAll(), 5);
        assertArrayEquals("#!ELF".getBytes(), head);
        assertEquals("sh", at(vfs, "/bin/busybox", false).target);
        assertSame(sh, at(vfs, "/bin/busybox", true));
        assertEquals("/" + LONG_FILE, at(vfs, "/longlink", false).target);
        Inode empty = at(vfs, "/empty", true);
        assertEquals(Inode.S_IFDIR | 0700, empty.mode);
        assertEquals(1_400_000_000L, empty.mtimeNs / 1_000_000_000L, "directory times are applied last");
    }

    @Test
    void confinesEntriesToTheRoot() throws Exception {
        Path work = tmp.resolve("work");
        Files.createDirectories(work.resolve("inner/sub"));
        Files.writeString(tmp.resolve("evil"), "escaped");
        Files.writeString(tmp.resolve("abs"), "absolute");
        Files.writeString(work.resolve("inner/ok"), "fine");
        // -P keeps the leading '/' and the '..' in member names
        byte[] tar = run(work.resolve("inner"), "tar", "-cPf", "-", "../../evil", tmp.resolve("abs").toString(),
                "sub/../ok", "../inner/ok");
        Vfs vfs = new Vfs();
        List<String> warnings = TarImport.importInto(vfs, tar);
        assertEquals(2, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("'../../evil': it climbs above the root"), warnings.get(0));
        assertTrue(warnings.get(1).contains("'../inner/ok': it climbs above the root"), warnings.get(1));
        // the absolute member lands inside the VFS with its leading slash stripped
        assertEquals("absolute", new String(at(vfs, tmp.resolve("abs").toString(), true).readAll()));
        // ".." that stays inside the tree is resolved
        assertEquals("fine", new String(at(vfs, "/ok", true).readAll()));
        assertEquals(List.of("ok", tmp.getName(0).toString()), vfs.root.childNames());
    }

    @Test
    void truncatedAndCorruptArchivesFailWithOneLine() throws Exception {
        Path src = sourceTree();
        byte[] tar = run(src, "tar", "--format=gnu", "-cf", "-", "bin");
        for (int cut : new int[] {100, 512 + 1000, 40000}) {
            byte[] part = Arrays.copyOf(tar, cut);
            TarException e = assertThrows(TarException.class, () -> TarImport.importInto(new Vfs(), part));
            assertTrue(e.getMessage().startsWith("truncated tar"), e.getMessage());
            assertTrue(!e.getMessage().contains("\n"));
        }
        byte[] bad = tar.clone();
        bad[10] ^= 0x55;
        TarException e = assertThrows(TarException.class, () -> TarImport.importInto(new Vfs(), bad));
        assertEquals("corrupt tar: bad header checksum at offset 0", e.getMessage());
        byte[] noise = new byte[4096];
        new java.util.Random(1).nextBytes(noise);
        assertThrows(TarException.class, () -> TarImport.importInto(new Vfs(), noise));
        assertEquals(List.of(), TarImport.importInto(new Vfs(), new byte[0]));
    }

    @Test
    void exportIsReadByGnuTarAndRoundTrips() throws Exception {
        Vfs vfs = new Vfs();
        Path src = sourceTree();
        TarImport.importInto(vfs, run(src, "tar", "--format=pax", "--owner=0", "--group=0", "-cf", "-", "."));
        Inode fifo = vfs.newInode(Inode.S_IFIFO | 0600);
        vfs.link(vfs.root, "fifo", fifo);
        Inode big = vfs.newInode(Inode.S_IFREG | 0600);
        big.uid = 3_000_000; // too large for the octal uid field: PAX carries it
        vfs.link(vfs.root, "bigid", big);
        byte[] out = TarExport.export(vfs);
        Files.write(tmp.resolve("out.tar"), out);
        String listing = new String(run(tmp, "tar", "--numeric-owner", "-tvf", "out.tar"), StandardCharsets.UTF_8);
        assertTrue(listing.contains(LONG_FILE), listing);
        assertTrue(listing.contains("bin/ash link to bin/sh") || listing.contains("bin/sh link to bin/ash"), listing);
        assertTrue(listing.contains("3000000/0"), listing);
        Path dst = tmp.resolve("dst");
        Files.createDirectories(dst);
        run(dst, "tar", "-xf", tmp.resolve("out.tar").toString());
        assertEquals("long name content\n", Files.readString(dst.resolve(LONG_FILE)));
        assertEquals(70000, Files.size(dst.resolve("bin/sh")));

        Vfs again = new Vfs();
        assertEquals(List.of(), TarImport.importInto(again, out));
        assertEquals(tree(vfs), tree(again));
    }

    /** A listing of every path with type, mode, size, link count and target, for comparing trees. */
    private static List<String> tree(Vfs vfs) {
        List<String> l = new ArrayList<>();
        walk(vfs.root, "", l);
        return l;
    }

    private static void walk(Inode d, String prefix, List<String> out) {
        for (String n : d.childNames()) {
            Inode i = d.lookup(n);
            out.add(prefix + n + " " + Integer.toOctalString(i.mode) + " " + i.size + " " + i.nlink + " " + i.uid
                    + " " + (i.target == null ? "" : i.target) + " " + i.mtimeNs / 1_000_000_000L);
            if (i.isDir()) {
                walk(i, prefix + n + "/", out);
            }
        }
    }

    @Test
    void hardLinkToMissingTargetIsAWarning() throws Exception {
        Path src = sourceTree();
        byte[] tar = run(src, "tar", "--format=gnu", "-cf", "-", "bin/sh", "bin/ash");
        // drop the first member (bin/sh, 70000 bytes): the hard link has nothing to point to
        int firstLen = 512 + ((70000 + 511) / 512) * 512;
        byte[] rest = Arrays.copyOfRange(tar, firstLen, tar.length);
        Vfs vfs = new Vfs();
        List<String> w = TarImport.importInto(vfs, rest);
        assertEquals(1, w.size());
        assertTrue(w.get(0).contains("bin/ash"), w.get(0));
        assertNull(at(vfs, "/bin", true).lookup("ash"));
    }

    private static final String MANGLE = "0123456789 =\n/.x";

    @Test
    void mangledArchivesNeverCrashTheImporter() throws Exception {
        Path src = sourceTree();
        byte[] tar = run(src, "tar", "--format=pax", "-cf", "-", ".");
        java.util.Random rnd = new java.util.Random(42);
        int failures = 0;
        for (int round = 0; round < 3000; round++) {
            byte[] t = tar.clone();
            int flips = 1 + rnd.nextInt(8);
            int header = 512 * rnd.nextInt(Math.min(40, t.length / 512));
            for (int i = 0; i < flips; i++) {
                int at = rnd.nextBoolean() ? header + rnd.nextInt(512) : rnd.nextInt(t.length);
                t[at] = (byte) (rnd.nextBoolean() ? rnd.nextInt(256) : MANGLE.charAt(rnd.nextInt(MANGLE.length())));
            }
            if (rnd.nextBoolean()) {
                fixChecksum(t, header);
            }
            try {
                TarImport.importInto(new Vfs(), t);
            } catch (TarException e) {
                failures++;
                assertTrue(!e.getMessage().isEmpty() && !e.getMessage().contains("\n"), e.getMessage());
            }
        }
        assertTrue(failures > 100, "mangling was noticed " + failures + " times");
    }

    private static void fixChecksum(byte[] t, int h) {
        for (int k = 148; k < 156; k++) {
            t[h + k] = ' ';
        }
        long sum = 0;
        for (int k = 0; k < 512; k++) {
            sum += t[h + k] & 0xff;
        }
        String oct = String.format("%06o", sum);
        for (int k = 0; k < 6; k++) {
            t[h + 148 + k] = (byte) oct.charAt(k);
        }
        t[h + 154] = 0;
    }
}
