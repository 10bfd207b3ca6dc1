package dev.friscy.userland;

import dev.friscy.image.TestImages;
import dev.friscy.testing.GuestRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `friscy run --save OUT.tar`: a run changes the file system, saves it, and a second run from the
 * saved image sees exactly what the first left: contents, modes, owners, mtimes, links, FIFOs,
 * long and odd names, and files deleted from the original image stay deleted.
 */
class SaveRoundTripTest {
    @TempDir
    Path tmp;

    /** Prints what the second run must see identically; run at the end of the first run too. */
    static final String DESCRIBE = "cd /root/proj && ls -la --full-time . sub 'with space' && "
            + "stat -c '%n %a %u %g %h %s %Y %F' * sub/* 'with space'/* && md5sum big bin sub/$LONG && "
            + "[ f -ef h ] && echo same-inode; readlink l dl; cat f; "
            + "test -e /etc/hostname || echo hostname-gone; cat /etc/motd; ls -d /tmp/keep; echo end";

    @Test
    void filesSurviveSaveAndReload() throws Exception {
        Path saved = tmp.resolve("saved.tar");
        String longName = "n".repeat(90) + "/" + "m".repeat(90);
        String create = "export LONG=" + longName + "; mkdir -p /root/proj/sub/$(dirname $LONG) /root/proj/empty /tmp/keep "
                + "'/root/proj/with space' && cd /root/proj && printf 'data\\n' > f && ln -s f l && ln -s ../gone dl && ln f h "
                + "&& chmod 640 f && chown 1000:100 f && chmod 4711 sub && mkfifo fifo && chmod 600 fifo "
                + "&& dd if=/dev/urandom of=big bs=1024 count=3000 2>/dev/null && printf '\\000\\001\\377' > bin "
                + "&& echo deep > sub/$LONG && printf 'sp\\n' > 'with space/é ü' && chmod 700 empty "
                + "&& rm /etc/hostname && echo hello-motd > /etc/motd "
                + "&& touch -d '2024-01-02 03:04:05' f sub/$LONG 'with space' && touch -h -d '2023-03-04 05:06:07' l && "
                + DESCRIBE;
        GuestRunner.Result first = GuestRunner.friscyArgs(List.of("--save", saved.toString(), "--image",
                TestImages.busybox().toString(), "--", "/bin/sh", "-c", create), "");
        assertEquals(0, first.status, first.toString());
        assertTrue(first.stdout.endsWith("end\n") && first.stdout.contains("same-inode") && first.stdout.contains("hostname-gone"),
                first.toString());
        assertTrue(Files.size(saved) > 3_000_000, "saved image holds the 3 MB file");

        GuestRunner.Result second = GuestRunner.friscyArgs(List.of("--image", saved.toString(), "--", "/bin/sh", "-c",
                "export LONG=" + longName + "; " + DESCRIBE + "; ls /proc/self/fd >/dev/null && echo proc-live; "
                        + "echo > /dev/null && echo dev-ok; test -p /root/proj/fifo && echo fifo"), "");
        assertEquals(0, second.status, second.toString());
        String expected = first.stdout + "proc-live\ndev-ok\nfifo\n";
        assertEquals(expected, second.stdout, "the reloaded image must look exactly as the first run left it\n" + second);
        assertTrue(second.stdout.contains("data\n") && second.stdout.contains("hello-motd"), second.stdout);
    }

    @Test
    void saveReplacesAnExistingFileWhole() throws Exception {
        Path saved = tmp.resolve("again.tar");
        Files.writeString(saved, "old contents that are not a tar");
        GuestRunner.Result r = GuestRunner.friscyArgs(List.of("--save", saved.toString(), "--image",
                TestImages.busybox().toString(), "--", "/bin/sh", "-c", "echo v2 > /root/version"), "");
        assertEquals(0, r.status, r.toString());
        GuestRunner.Result again = GuestRunner.friscyArgs(List.of("--image", saved.toString(), "--", "/bin/cat", "/root/version"), "");
        assertEquals("v2\n", again.stdout, again.toString());
        try (var s = Files.list(tmp)) {
            assertEquals(List.of("again.tar"), s.map(x -> x.getFileName().toString()).toList(), "no temporary files left");
        }
    }

    /**
     * The image is read lazily from its file during the run: saving onto that same file (a new
     * file renamed over it) must still find every untouched file's data in the old one.
     */
    @Test
    void saveOntoTheImageItRunsFrom() throws Exception {
        Path img = tmp.resolve("self.tar");
        Files.copy(TestImages.busybox(), img);
        GuestRunner.Result r = GuestRunner.friscyArgs(List.of("--save", img.toString(), "--image", img.toString(), "--",
                "/bin/sh", "-c", "echo kept > /root/note && md5sum /bin/busybox"), "");
        assertEquals(0, r.status, r.toString());
        GuestRunner.Result again = GuestRunner.friscyArgs(List.of("--image", img.toString(), "--", "/bin/sh", "-c",
                "cat /root/note && md5sum /bin/busybox"), "");
        assertEquals("kept\n" + r.stdout, again.stdout, again.toString());
    }
}
