package dev.friscy.fs;

import dev.friscy.testing.TestHost;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Deltas of a file system replayed onto the image give the same tree; unchanged files stay out. */
class FsChangesTest {
    private final TestHost host = new TestHost();

    private byte[] imageTar;

    /** A fresh file system from the same image tar (as every boot of the page makes it). */
    private Vfs image() throws TarException {
        if (imageTar == null) {
            Vfs v = new Vfs();
            v.clock = () -> host.now;
            put(v, "/etc/passwd", "root:x:0:0::/root:/bin/sh\n");
            put(v, "/etc/motd", "hello\n");
            put(v, "/bin/busybox", "x".repeat(100_000));
            v.mkdirs("/root", 0700);
            v.mkdirs("/old/deep/er", 0755);
            put(v, "/old/deep/er/f", "f");
            imageTar = TarExport.export(v);
        }
        Vfs v = new Vfs();
        v.clock = () -> host.now;
        TarImport.importInto(v, imageTar);
        return v;
    }

    private static void removeTree(Vfs v, String path) throws TarException {
        FsChanges.apply(v, List.of(path), TarExport.exportPaths(v, List.of()));
    }

    private static Inode put(Vfs v, String path, String content) {
        int slash = path.lastIndexOf('/');
        Inode dir = slash == 0 ? v.root : v.mkdirs(path.substring(0, slash), 0755);
        Inode old = dir.lookup(path.substring(slash + 1));
        Inode i = old != null ? old : v.newInode(Inode.S_IFREG | 0644);
        if (old == null) {
            v.link(dir, path.substring(slash + 1), i);
        }
        byte[] b = content.getBytes(StandardCharsets.ISO_8859_1);
        i.truncate(0);
        i.write(0, b, 0, b.length);
        i.mtimeNs = v.now();
        i.ctimeNs = v.now();
        return i;
    }

    private void tick() {
        host.now += 1_000_000_000L; // a second later: beyond the racy window and a tar mtime apart
    }

    private static void replay(Vfs v, List<FsChanges.Delta> deltas) throws TarException {
        for (FsChanges.Delta d : deltas) {
            FsChanges.apply(v, d.deleted, d.tar);
        }
    }

    @Test
    void deltasReplayedOnTheImageGiveTheSameTree() throws Exception {
        Vfs live = image();
        tick();
        FsChanges ch = new FsChanges(live);
        List<FsChanges.Delta> stored = new ArrayList<>();

        tick();
        put(live, "/root/notes.txt", "first\n");
        put(live, "/etc/motd", "changed\n");
        FsChanges.Delta d1 = ch.delta(false);
        assertTrue(d1.changed <= 4, "only the changed files and their directories: " + d1.changed);
        assertTrue(d1.tar.length < 10_000, "busybox is not in the delta: " + d1.tar.length);
        ch.commit(d1);
        stored.add(d1);

        tick();
        removeTree(live, "/old");
        assertNull(live.root.lookup("old"));
        put(live, "/root/notes.txt", "second\n");
        live.move(live.mkdirs("/etc", 0755), "passwd", live.mkdirs("/root", 0700), "passwd.bak");
        tick();
        FsChanges.Delta d2 = ch.delta(false);
        assertTrue(d2.deleted.contains("/old") && d2.deleted.contains("/etc/passwd"), d2.deleted.toString());
        assertTrue(!d2.deleted.contains("/old/deep"), "children of a removed directory are not listed: " + d2.deleted);
        ch.commit(d2);
        stored.add(d2);

        assertTrue(ch.delta(false).isEmpty(), "nothing changed since the last commit");

        Vfs restored = image();
        replay(restored, stored);
        assertArrayEquals(TarExport.export(live), TarExport.export(restored));

        // one delta since the image (compaction) gives the same tree too
        Vfs compacted = image();
        replay(compacted, List.of(ch.delta(true)));
        assertArrayEquals(TarExport.export(live), TarExport.export(compacted));
    }

    @Test
    void aDeltaThatWasNotCommittedIsRepeatedNextTime() throws Exception {
        Vfs live = image();
        tick();
        FsChanges ch = new FsChanges(live);
        tick();
        put(live, "/root/a", "a");
        FsChanges.Delta lost = ch.delta(false); // say the storage quota refused it
        assertEquals(2, lost.changed, "/root and /root/a");
        tick();
        put(live, "/root/b", "b");
        FsChanges.Delta next = ch.delta(false);
        assertEquals(3, next.changed, "/root, a and b");
    }

    @Test
    void aChangeInTheSameClockTickAsASaveIsNotMissed() throws Exception {
        Vfs live = image();
        tick();
        FsChanges ch = new FsChanges(live);
        tick();
        put(live, "/root/a", "aaaa");
        FsChanges.Delta d = ch.delta(false); // same instant as the write
        ch.commit(d);
        put(live, "/root/a", "bbbb"); // same size, same clock reading: nothing in the fingerprint moved
        FsChanges.Delta again = ch.delta(false);
        assertTrue(again.changed >= 1, "the racy entry is looked at again");
        tick();
        ch.commit(again);
        tick();
        assertTrue(ch.delta(false).changed >= 1, "still racy when committed in its tick");
    }

    @Test
    void replacingAFileByADirectoryReplaysInOrder() throws Exception {
        Vfs live = image();
        tick();
        FsChanges ch = new FsChanges(live);
        tick();
        live.unlink(live.mkdirs("/etc", 0755), "motd");
        put(live, "/etc/motd/inside", "now a directory");
        FsChanges.Delta d = ch.delta(false);
        assertTrue(d.deleted.contains("/etc/motd"), d.deleted.toString());
        Vfs restored = image();
        replay(restored, List.of(d));
        assertArrayEquals(TarExport.export(live), TarExport.export(restored));
    }
}
