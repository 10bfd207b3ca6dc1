package dev.friscy.image;

import dev.friscy.testing.Archives;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Builds (or reuses from ~/.cache/friscy/images) the busybox image from the real Debian archive
 * named by the host's apt configuration or FRISCY_DEBIAN_MIRROR. Needs the network on first run.
 */
class TestImagesTest {
    @Test
    void busyboxImageHasShellThroughLinks() throws Exception {
        Path image = TestImages.busybox();
        assertTrue(Files.size(image) > 1_000_000, "busybox is over a megabyte");
        Map<String, Archives.Entry> e;
        try (InputStream in = Files.newInputStream(image)) {
            e = Archives.read(in);
        }
        Archives.Entry busybox = e.get("usr/bin/busybox");
        assertEquals('0', busybox.type());
        assertEquals(0755, busybox.mode());
        // An ELF for RISC-V: magic, 64-bit, little endian, e_machine 243.
        byte[] d = busybox.data();
        assertTrue(d[0] == 0x7f && d[1] == 'E' && d[2] == 'L' && d[3] == 'F' && d[4] == 2 && d[5] == 1);
        assertEquals(243, (d[18] & 0xff) | (d[19] & 0xff) << 8);
        assertEquals("busybox", e.get("usr/bin/sh").link());
        assertEquals("busybox", e.get("usr/bin/ls").link());
        assertEquals("usr/bin", e.get("bin").link());
        assertEquals(01777, e.get("tmp/").mode());
        assertTrue(TestImages.busybox().equals(image), "second call reuses the cached image");
    }
}
