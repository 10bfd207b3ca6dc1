package dev.friscy.userland;

import dev.friscy.image.TestImages;
import dev.friscy.testing.GuestRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `friscy run` given bad input: broken image tars, ELF files with bad program headers, programs
 * for another machine, an unwritable --save target. Each must end with one line on stderr that
 * says what is wrong, a non-zero exit status, and no Java stack trace.
 */
class BadInputTest {
    @TempDir
    Path tmp;

    static GuestRunner.Result run(String... args) {
        return GuestRunner.friscyArgs(List.of(args), "");
    }

    /** One line on stderr, starting "friscy", mentioning {@code expect}; non-zero status; no Java exception. */
    static void assertOneLineError(GuestRunner.Result r, String expect, String what) {
        String err = r.stderr.strip();
        assertNotEquals(0, r.status, what + ": exit status\n" + r);
        assertFalse(err.isEmpty(), what + ": no message\n" + r);
        assertEquals(1, err.lines().count(), what + ": one line expected\n" + r);
        assertTrue(err.startsWith("friscy"), what + "\n" + r);
        assertFalse(err.contains("Exception") || err.contains("\tat ") || err.contains("java."), what + "\n" + r);
        assertTrue(err.contains(expect), what + ": message should mention '" + expect + "'\n" + r);
        assertEquals("", r.stdout, what + ": nothing may run\n" + r);
    }

    // ------------------------------------------------------------------ images

    @Test
    void brokenImagesAreRefusedWithOneLine() throws IOException {
        byte[] good = Files.readAllBytes(TestImages.busybox());
        Map<String, byte[]> cases = new LinkedHashMap<>();
        cases.put("truncated in file data", Arrays.copyOf(good, good.length / 3));
        cases.put("truncated in a header", Arrays.copyOf(good, 512 + 100));
        byte[] badSum = good.clone();
        badSum[0] ^= 0x20; // first header's name changes, its checksum no longer matches
        cases.put("bad header checksum", badSum);
        byte[] noise = new byte[8192];
        new java.util.Random(7).nextBytes(noise);
        cases.put("random bytes", noise);
        java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(gz)) {
            z.write(good, 0, 64 * 1024);
        }
        cases.put("gzip-compressed", gz.toByteArray());
        for (Map.Entry<String, byte[]> c : cases.entrySet()) {
            Path img = tmp.resolve("image.tar");
            Files.write(img, c.getValue());
            GuestRunner.Result r = run("--image", img.toString(), "--", "/bin/sh", "-c", "echo ran");
            assertOneLineError(r, "image " + img, c.getKey());
        }
        assertOneLineError(run("--image", tmp.resolve("missing.tar").toString(), "--", "/bin/sh"), "missing.tar", "missing image");
        assertOneLineError(run("--image", tmp.toString(), "--", "/bin/sh"), "directory", "a directory as image");
    }

    @Test
    void gzipImageSaysSo() throws IOException {
        java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(gz)) {
            z.write(new byte[1024]);
        }
        Path img = tmp.resolve("image.tar.gz");
        Files.write(img, gz.toByteArray());
        assertOneLineError(run("--image", img.toString(), "--", "/bin/sh"), "gzip", "gzip image");
    }

    @Test
    void programMissingFromTheImage() {
        GuestRunner.Result r = run("--image", TestImages.busybox().toString(), "--", "/bin/no-such-program");
        assertOneLineError(r, "/bin/no-such-program", "missing program");
    }

    // ------------------------------------------------------------------ programs

    /** guest/build/basic/hello with its ELF header or program headers changed by {@code edit}. */
    Path corruptHello(String name, Consumer<ByteBuffer> edit) throws IOException {
        byte[] b = Files.readAllBytes(GuestRunner.program("basic/hello"));
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        edit.accept(bb);
        Path p = tmp.resolve(name);
        Files.write(p, b);
        p.toFile().setExecutable(true);
        return p;
    }

    /** Offset of the n-th PT_LOAD program header of hello. */
    static int load(ByteBuffer b, int n) {
        int phoff = (int) b.getLong(32);
        int phnum = b.getShort(56) & 0xffff;
        for (int i = 0; i < phnum; i++) {
            int o = phoff + i * 56;
            if (b.getInt(o) == 1 && n-- == 0) {
                return o;
            }
        }
        throw new AssertionError("hello has fewer PT_LOAD headers than expected");
    }

    @Test
    void badProgramHeadersAreRefusedWithOneLine() throws IOException {
        GuestRunner.Result ok = GuestRunner.friscy(GuestRunner.program("basic/hello"));
        assertEquals(0, ok.status, "the uncorrupted program must run: " + ok);

        List<Path> bad = new ArrayList<>();
        bad.add(corruptHello("phoff-outside", b -> b.putLong(32, 0x7fff_ffffL)));
        bad.add(corruptHello("phnum-huge", b -> b.putShort(56, (short) 0xffff)));
        bad.add(corruptHello("phnum-zero", b -> b.putShort(56, (short) 0)));
        bad.add(corruptHello("phentsize", b -> b.putShort(54, (short) 40)));
        bad.add(corruptHello("offset-outside", b -> b.putLong(load(b, 0) + 8, 0x1000_0000L)));
        bad.add(corruptHello("filesz-over-memsz", b -> b.putLong(load(b, 1) + 32, b.getLong(load(b, 1) + 40) + 0x1000)));
        bad.add(corruptHello("vaddr-impossible", b -> b.putLong(load(b, 0) + 16, 0xffff_ffff_fff0_0000L)));
        bad.add(corruptHello("vaddr-incongruent", b -> b.putLong(load(b, 1) + 16, b.getLong(load(b, 1) + 16) + 8)));
        bad.add(corruptHello("no-load", b -> {
            b.putInt(load(b, 1), 4);
            b.putInt(load(b, 0), 4);
        }));
        byte[] hello = Files.readAllBytes(GuestRunner.program("basic/hello"));
        Path truncated = tmp.resolve("truncated");
        Files.write(truncated, Arrays.copyOf(hello, 8192));
        bad.add(truncated);
        for (Path p : bad) {
            GuestRunner.Result r = GuestRunner.friscy(p);
            assertOneLineError(r, p.getFileName().toString(), p.getFileName().toString());
        }
    }

    @Test
    void missingInterpreterIsNamed() throws IOException {
        // turn the PT_NOTE header into a PT_INTERP naming a file that does not exist
        String interp = "/lib/ld-missing.so.1";
        Path p = corruptHello("needs-interp", b -> {
            int shoff = (int) b.getLong(40);
            byte[] s = (interp + "\0").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            for (int i = 0; i < s.length; i++) {
                b.put(shoff + i, s[i]);
            }
            int phoff = (int) b.getLong(32);
            for (int i = 0; i < (b.getShort(56) & 0xffff); i++) {
                int o = phoff + i * 56;
                if (b.getInt(o) == 4) {
                    b.putInt(o, 3);
                    b.putLong(o + 8, shoff);
                    b.putLong(o + 32, s.length);
                    return;
                }
            }
            throw new AssertionError("hello has no PT_NOTE");
        });
        assertOneLineError(GuestRunner.friscy(p), interp, "missing interpreter");
    }

    @Test
    void foreignAndNonElfProgramsAreRefusedWithOneLine() throws IOException {
        Path hostTrue = Path.of("/bin/true").toRealPath();
        assertOneLineError(GuestRunner.friscy(hostTrue), "RISC-V", "host x86 program");
        Path text = tmp.resolve("notes.txt");
        Files.writeString(text, "just text\n");
        text.toFile().setExecutable(true);
        assertOneLineError(GuestRunner.friscy(text), "notes.txt", "text file");
        Path empty = tmp.resolve("empty");
        Files.write(empty, new byte[0]);
        empty.toFile().setExecutable(true);
        assertOneLineError(GuestRunner.friscy(empty), "empty", "empty file");
        assertOneLineError(GuestRunner.friscy(tmp.resolve("nothing-here")), "nothing-here", "missing program");
    }

    // ------------------------------------------------------------------ --save

    @Test
    void saveToAnUnwritablePlaceFailsClearlyAndWritesNothing() throws IOException {
        String image = TestImages.busybox().toString();
        Path noDir = tmp.resolve("no-such-dir").resolve("out.tar");
        GuestRunner.Result r = run("--save", noDir.toString(), "--image", image, "--", "/bin/sh", "-c", "echo ran");
        assertOneLineError(r, noDir.toString(), "save into a missing directory");
        assertFalse(Files.exists(noDir.getParent()));

        Path file = tmp.resolve("plain-file");
        Files.writeString(file, "x");
        Path underFile = file.resolve("out.tar");
        r = run("--save", underFile.toString(), "--image", image, "--", "/bin/sh", "-c", "echo ran");
        assertOneLineError(r, underFile.toString(), "save below a regular file");
        assertEquals("x", Files.readString(file));

        r = run("--save", tmp.toString(), "--image", image, "--", "/bin/sh", "-c", "echo ran");
        assertOneLineError(r, "directory", "save onto a directory");

        // a directory the guest cannot... the host cannot write: read-only for everyone but root,
        // so as root (where permissions do not stop writes) use /proc, which nobody can write
        Path locked = Path.of("/proc/friscy-save-test.tar");
        r = run("--save", locked.toString(), "--image", image, "--", "/bin/sh", "-c", "echo ran");
        assertOneLineError(r, locked.toString(), "save into /proc");
        try (var s = Files.list(tmp)) {
            assertEquals(List.of("plain-file"), s.map(x -> x.getFileName().toString()).toList(), "no half-written files");
        }
    }
}
