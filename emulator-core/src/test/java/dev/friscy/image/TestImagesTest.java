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

    @Test
    void pythonImageHasTheByteCompiledModulesPythonWouldUse() throws Exception {
        Map<String, Archives.Entry> e;
        try (InputStream in = Files.newInputStream(TestImages.python())) {
            e = Archives.read(in);
        }
        String lib = e.keySet().stream().filter(k -> k.matches("usr/lib/python3\\.\\d+/os\\.py")).findFirst()
                .orElseThrow(() -> new AssertionError("no os.py in the python image"));
        String dir = lib.substring(0, lib.length() - "os.py".length());
        String tag = "cpython-3" + dir.substring("usr/lib/python3.".length(), dir.length() - 1);
        // from the start-up (encodings; os, codecs, site and the like are frozen into the
        // interpreter and need none) and from the warm-up's list (re and json are packages)
        for (String source : new String[] {"encodings/__init__.py", "subprocess.py", "threading.py", "re/__init__.py",
                "json/__init__.py"}) {
            // where Python keeps a module's compiled form: __pycache__ beside it, named for the interpreter
            int slash = source.lastIndexOf('/') + 1;
            String compiled = source.substring(0, slash) + "__pycache__/"
                    + source.substring(slash, source.length() - ".py".length()) + "." + tag + ".pyc";
            Archives.Entry src = e.get(dir + source);
            Archives.Entry pyc = e.get(dir + compiled);
            assertTrue(src != null && pyc != null, "missing " + dir + compiled);
            // Python uses a .pyc only if its header names the source's modification time and
            // size (PEP 552, the default); a tar that changed either would make it compile again
            java.nio.ByteBuffer h = java.nio.ByteBuffer.wrap(pyc.data()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            assertEquals(0, h.getInt(4), compiled + ": flags (a timestamp-based .pyc)");
            assertEquals(src.mtime(), h.getInt(8) & 0xffffffffL, compiled + ": the source's mtime");
            assertEquals(src.data().length, h.getInt(12), compiled + ": the source's size");
        }
    }
}
