package dev.friscy.image;

import dev.friscy.testing.Archives;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DebArchiveTest {
    private static byte[] sampleData() throws Exception {
        return new Archives.Tar()
                .dir("./", 0755)
                .dir("./usr/", 0755)
                .dir("./usr/bin/", 0755)
                .file("./usr/bin/hello", 04755, "#!/bin/sh\necho hi\n")
                .hardlink("./usr/bin/hello-again", "./usr/bin/hello")
                .symlink("./usr/bin/hi", "hello")
                .dir("./bin/", 0755)                       // an old-style path: must land in usr/bin
                .file("./bin/legacy", 0755, "legacy")
                .dir("./var/lib/thing/", 02775)
                .file("./var/lib/thing/state", 0640, 0, 42, "state")
                .bytes();
    }

    private static RootTree unpack(byte[] deb) throws ImageException {
        RootTree tree = new RootTree();
        RootfsLayout.mergeUsr(tree);
        DebArchive.unpackInto(tree, deb, "sample.deb");
        return tree;
    }

    @Test
    void unpacksDataIntoMergedUsrTree() throws Exception {
        RootTree tree = unpack(Archives.deb(sampleData()));
        Inode hello = tree.get("usr/bin/hello", false);
        assertNotNull(hello);
        assertEquals(04755, hello.mode);
        assertEquals("#!/bin/sh\necho hi\n", new String(hello.data, StandardCharsets.UTF_8));
        assertSame(hello, tree.get("usr/bin/hello-again", false), "hard link shares the file");
        assertEquals("hello", tree.get("usr/bin/hi", false).linkTarget);
        // /bin stayed a link and the package's ./bin/legacy went through it.
        Inode bin = tree.get("bin", false);
        assertEquals(Inode.Kind.SYMLINK, bin.kind);
        assertEquals("usr/bin", bin.linkTarget);
        assertEquals("legacy", new String(tree.get("usr/bin/legacy", false).data, StandardCharsets.UTF_8));
        assertSame(hello, tree.get("bin/hello", true));
        Inode state = tree.get("var/lib/thing/state", false);
        assertEquals(0640, state.mode);
        assertEquals(42, state.gid);
        assertEquals(02775, tree.get("var/lib/thing", false).mode);
    }

    @Test
    void gzipDataMemberWorks() throws Exception {
        RootTree tree = unpack(Archives.debWith("data.tar.gz", Archives.gzip(sampleData())));
        assertNotNull(tree.get("usr/bin/legacy", false));
    }

    @Test
    void truncatedDebIsAClearError() throws Exception {
        byte[] deb = Archives.deb(sampleData());
        byte[] cut = Arrays.copyOf(deb, deb.length - 100);
        ImageException e = assertThrows(ImageException.class, () -> unpack(cut));
        assertTrue(e.getMessage().contains("sample.deb is truncated"), e.getMessage());
    }

    @Test
    void corruptCompressedDataIsAClearError() throws Exception {
        byte[] xz = Archives.xz(sampleData());
        for (int i = 40; i < xz.length - 40; i += 7) {
            xz[i] ^= 0x5a;
        }
        ImageException e = assertThrows(ImageException.class, () -> unpack(Archives.debWith("data.tar.xz", xz)));
        assertTrue(e.getMessage().contains("sample.deb data.tar.xz"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"));
    }

    @Test
    void corruptTarIsAClearError() throws Exception {
        byte[] tar = sampleData();
        Arrays.fill(tar, 100, 400, (byte) 'Z'); // wrecks the first header's fields and checksum
        ImageException e = assertThrows(ImageException.class, () -> unpack(Archives.deb(tar)));
        assertTrue(e.getMessage().startsWith("corrupt or truncated tar in sample.deb"), e.getMessage());
    }

    @Test
    void notADebianPackage() {
        ImageException e = assertThrows(ImageException.class,
                () -> unpack("hello world, not an ar file".getBytes(StandardCharsets.US_ASCII)));
        assertTrue(e.getMessage().contains("not a Debian package"), e.getMessage());
    }

    @Test
    void zstdIsNamedWhenUnsupported() throws Exception {
        byte[] fakeZstd = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 0, 0, 0, 0};
        ImageException e = assertThrows(ImageException.class, () -> unpack(Archives.debWith("data.tar.zst", fakeZstd)));
        assertTrue(e.getMessage().contains("zstd"), e.getMessage());
    }

    @Test
    void debAppliedTwiceGivesSameTar() throws Exception {
        // Unpacking the same input in another order must give the same bytes: the tar is sorted.
        byte[] a = Archives.deb(sampleData());
        byte[] b = Archives.deb(new Archives.Tar().file("./etc/extra.conf", 0644, "x=1\n").bytes());
        RootTree t1 = new RootTree();
        RootfsLayout.mergeUsr(t1);
        DebArchive.unpackInto(t1, a, "a");
        DebArchive.unpackInto(t1, b, "b");
        RootfsLayout.addBaseFiles(t1);
        RootTree t2 = new RootTree();
        RootfsLayout.mergeUsr(t2);
        DebArchive.unpackInto(t2, b, "b");
        DebArchive.unpackInto(t2, a, "a");
        RootfsLayout.addBaseFiles(t2);
        ByteArrayOutputStream o1 = new ByteArrayOutputStream();
        ByteArrayOutputStream o2 = new ByteArrayOutputStream();
        ReproducibleTar.write(t1, o1);
        Thread.sleep(1100); // a clock-dependent field would now differ
        ReproducibleTar.write(t2, o2);
        assertArrayEquals(o1.toByteArray(), o2.toByteArray());

        Map<String, Archives.Entry> entries = Archives.read(new ByteArrayInputStream(o1.toByteArray()));
        for (Archives.Entry e : entries.values()) {
            assertEquals(ReproducibleTar.FIXED_MTIME, e.mtime(), e.name());
        }
        // The raw ustar mode field of the first entry ("bin", a symlink) is permission bits only.
        byte[] raw = o1.toByteArray();
        assertEquals("bin", new String(raw, 0, 3, StandardCharsets.US_ASCII));
        assertEquals("0000777", new String(raw, 100, 7, StandardCharsets.US_ASCII));
        assertEquals('2', entries.get("bin").type());
        assertEquals("usr/bin", entries.get("bin").link());
        assertEquals(01777, entries.get("tmp/").mode());
        assertEquals(0700, entries.get("root/").mode());
        assertEquals('5', entries.get("dev/").type());
        assertEquals('5', entries.get("proc/").type());
        assertEquals("friscy\n", entries.get("etc/hostname").text());
        assertTrue(entries.get("etc/passwd").text().startsWith("root:x:0:0:"));
        assertTrue(entries.get("etc/passwd").text().contains("\nnobody:x:65534:"));
        assertTrue(entries.get("etc/group").text().startsWith("root:x:0:"));
        assertEquals('0', entries.get("usr/bin/hello").type());
        assertEquals(04755, entries.get("usr/bin/hello").mode());
        assertEquals('1', entries.get("usr/bin/hello-again").type());
        assertEquals("usr/bin/hello", entries.get("usr/bin/hello-again").link());
        assertEquals(42, entries.get("var/lib/thing/state").gid());
        // parents come before their children
        int i = 0;
        java.util.List<String> names = new java.util.ArrayList<>(entries.keySet());
        for (String n : names) {
            String parent = n.endsWith("/") ? n.substring(0, n.length() - 1) : n;
            int slash = parent.lastIndexOf('/');
            if (slash > 0) {
                assertTrue(names.indexOf(parent.substring(0, slash + 1)) < i, n);
            }
            i++;
        }
    }
}
