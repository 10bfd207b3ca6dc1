package dev.friscy.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RootfsLayoutTest {
    private static Inode file(String text) {
        return Inode.regular(0644, 0, 0, text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void dropDocsKeepsCopyrightFiles() throws ImageException {
        RootTree t = new RootTree();
        t.put("usr/share/doc/pkg/copyright", file("GPL"));
        t.put("usr/share/doc/pkg/changelog.gz", file("..."));
        t.put("usr/share/man/man1/x.1.gz", file("man"));
        t.put("usr/share/locale/de/LC_MESSAGES/x.mo", file("mo"));
        t.put("usr/share/nodejs/acorn/index.js", file("js"));
        RootfsLayout.dropDocs(t);
        assertNotNull(t.get("usr/share/doc/pkg/copyright", false));
        assertNull(t.get("usr/share/doc/pkg/changelog.gz", false));
        assertNull(t.get("usr/share/man/man1", false));
        assertNull(t.get("usr/share/locale/de", false));
        assertNotNull(t.get("usr/share/nodejs/acorn/index.js", false));
    }

    @Test
    void busyboxLinksNeverReplaceOtherPackagesFiles() throws ImageException {
        RootTree t = new RootTree();
        RootfsLayout.mergeUsr(t);
        t.put("usr/bin/busybox", Inode.regular(0755, 0, 0, new byte[] {1}));
        t.put("usr/bin/dash", Inode.regular(0755, 0, 0, new byte[] {2}));
        t.put("usr/bin/sh", Inode.symlink("dash", 0, 0));
        t.put("usr/bin/ls", file("coreutils ls"));
        int added = BusyboxLinks.add(t);
        assertEquals(BusyboxLinks.APPLETS.length - 2, added);
        assertEquals("dash", t.get("bin/sh", false).linkTarget);
        assertEquals(Inode.Kind.REGULAR, t.get("bin/ls", false).kind);
        assertEquals("busybox", t.get("bin/cat", false).linkTarget);
        assertEquals(Inode.Kind.REGULAR, t.get("bin/cat", true).kind); // resolves to the binary
    }

    @Test
    void busyboxLinksNeedBusybox() {
        assertThrows(ImageException.class, () -> BusyboxLinks.add(new RootTree()));
    }

    @Test
    void pathsCannotEscapeTheRoot() throws ImageException {
        RootTree t = new RootTree();
        t.put("../../etc/x", file("x"));
        assertNotNull(t.get("etc/x", false));
        t.put("usr/lib/up", Inode.symlink("../../../..", 0, 0));
        t.put("usr/lib/up/etc/y", file("y"));
        assertNotNull(t.get("etc/y", false));
        t.put("loop", Inode.symlink("loop", 0, 0));
        assertThrows(ImageException.class, () -> t.put("loop/z", file("z")));
    }
}
