package dev.friscy.image;

import dev.friscy.cli.ImageCommand;
import dev.friscy.testing.Archives;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OciImageBuilderTest {
    @TempDir
    Path tmp;

    /** Files of an archive being built, by path. */
    private final Map<String, byte[]> files = new LinkedHashMap<>();

    private static byte[] layer1() throws IOException {
        return new Archives.Tar()
                .dir("usr/", 0755)
                .dir("usr/bin/", 0755)
                .file("usr/bin/tool", 0755, "tool v1")
                .hardlink("usr/bin/tool-alias", "usr/bin/tool")
                .symlink("bin", "usr/bin")
                .dir("a/", 0755)
                .file("a/keep", 0644, "keep")
                .file("a/gone", 0644, "gone")
                .dir("d/", 0700)
                .file("d/old1", 0644, "old1")
                .dir("d/sub/", 0755)
                .file("d/sub/old2", 0644, "old2")
                .file("etc/motd", 0644, 1000, 1000, "hi")
                .bytes();
    }

    private static byte[] layer2() throws IOException {
        return new Archives.Tar()
                .file("a/.wh.gone", 0644, "")
                .dir("d/", 0750)
                .file("d/.wh..wh..opq", 0644, "")
                .file("d/new", 0600, "new")
                .file("usr/bin/tool", 0755, "tool v2")
                .file("a/added", 0644, "added")
                .bytes();
    }

    private String blob(byte[] data) {
        String hex = Fetcher.sha256Of(data);
        files.put("blobs/sha256/" + hex, data);
        return "sha256:" + hex;
    }

    private String blob(String json) {
        return blob(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String desc(String mediaType, String digest, String extra) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":1" + extra + "}";
    }

    /** An image manifest blob for one platform with the given layer blobs. */
    private String manifest(String arch, byte[]... layers) {
        String config = blob("{\"architecture\":\"" + arch + "\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\"}}");
        StringBuilder ls = new StringBuilder();
        for (byte[] l : layers) {
            boolean gz = (l[0] & 0xff) == 0x1f;
            ls.append(ls.length() == 0 ? "" : ",").append(desc(
                    "application/vnd.oci.image.layer.v1.tar" + (gz ? "+gzip" : ""), blob(l), ""));
        }
        return blob("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":"
                + desc("application/vnd.oci.image.config.v1+json", config, "") + ",\"layers\":[" + ls + "]}");
    }

    private static String platform(String arch) {
        return ",\"platform\":{\"architecture\":\"" + arch + "\",\"os\":\"linux\"}";
    }

    /** index.json -> nested index (amd64, riscv64): the layout a multi-arch pull produces. */
    private void ociLayout(boolean withRiscv) throws IOException {
        String amd = manifest("amd64", new Archives.Tar().file("amd64-only", 0644, "x").bytes());
        StringBuilder m = new StringBuilder(desc("application/vnd.oci.image.manifest.v1+json", amd, platform("amd64")));
        if (withRiscv) {
            String riscv = manifest("riscv64", layer1(), Archives.gzip(layer2()));
            m.append(",").append(desc("application/vnd.oci.image.manifest.v1+json", riscv, platform("riscv64")));
        }
        String nested = blob("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
                + "\"manifests\":[" + m + "]}");
        files.put("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
        files.put("index.json", ("{\"schemaVersion\":2,\"manifests\":["
                + desc("application/vnd.oci.image.index.v1+json", nested, "") + "]}").getBytes(StandardCharsets.UTF_8));
    }

    private Path writeRawTar(String name) throws IOException {
        Path p = tmp.resolve(name);
        Archives.Tar tar = new Archives.Tar();
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            tar.file(f.getKey(), f.getValue());
        }
        Files.write(p, tar.bytes());
        return p;
    }

    private Path asDirectory(String name) throws IOException {
        Path dir = tmp.resolve(name);
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Path p = dir.resolve(f.getKey());
            Files.createDirectories(p.getParent());
            Files.write(p, f.getValue());
        }
        return dir;
    }

    private static Map<String, Archives.Entry> read(Path tar) throws IOException {
        try (InputStream in = Files.newInputStream(tar)) {
            return Archives.read(in);
        }
    }

    private static void checkMerged(Map<String, Archives.Entry> e) {
        assertEquals("tool v2", e.get("usr/bin/tool").text());
        // the alias still names the layer-1 file, which layer 2 replaced at usr/bin/tool
        assertEquals("tool v1", e.get("usr/bin/tool-alias").text());
        assertEquals("usr/bin", e.get("bin").link());
        assertEquals("keep", e.get("a/keep").text());
        assertEquals("added", e.get("a/added").text());
        assertFalse(e.containsKey("a/gone"), "whiteout removed a/gone");
        assertFalse(e.containsKey("d/old1"), "opaque directory hid d/old1");
        assertFalse(e.containsKey("d/sub/") || e.containsKey("d/sub/old2"), "opaque directory hid d/sub");
        assertEquals("new", e.get("d/new").text());
        assertEquals(0750, e.get("d/").mode());
        assertEquals(1000, e.get("etc/motd").uid());
        assertFalse(e.containsKey("amd64-only"));
        for (String name : e.keySet()) {
            assertFalse(name.contains(".wh."), name);
        }
    }

    @Test
    void ociLayoutTarPicksRiscv64FromNestedIndex() throws Exception {
        ociLayout(true);
        Path out = tmp.resolve("img.tar");
        OciImageBuilder.Result r = OciImageBuilder.build(writeRawTar("layout.tar"), out);
        assertEquals("linux/riscv64", r.platform());
        assertEquals(2, r.layers());
        checkMerged(read(out));
    }

    @Test
    void ociLayoutDirectoryAndGzippedTarGiveSameBytes() throws Exception {
        ociLayout(true);
        Path fromDir = tmp.resolve("a.tar");
        Path fromGz = tmp.resolve("b.tar");
        OciImageBuilder.build(asDirectory("layout"), fromDir);
        Path tar = writeRawTar("layout.tar");
        Path gz = tmp.resolve("layout.tar.gz");
        Files.write(gz, Archives.gzip(Files.readAllBytes(tar)));
        OciImageBuilder.build(gz, fromGz);
        checkMerged(read(fromDir));
        assertArrayEquals(Files.readAllBytes(fromDir), Files.readAllBytes(fromGz));
    }

    @Test
    void dockerSaveArchive() throws Exception {
        files.put("cfg-amd.json", "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8));
        files.put("cfg.json", "{\"architecture\":\"riscv64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8));
        files.put("l1/layer.tar", layer1());
        files.put("l2/layer.tar", Archives.gzip(layer2()));
        files.put("manifest.json", ("[{\"Config\":\"cfg-amd.json\",\"RepoTags\":[\"x:amd\"],\"Layers\":[\"l1/layer.tar\"]},"
                + "{\"Config\":\"cfg.json\",\"RepoTags\":[\"x:latest\"],\"Layers\":[\"l1/layer.tar\",\"l2/layer.tar\"]}]")
                .getBytes(StandardCharsets.UTF_8));
        Path out = tmp.resolve("img.tar");
        OciImageBuilder.Result r = OciImageBuilder.build(writeRawTar("saved.tar"), out);
        assertEquals("linux/riscv64", r.platform());
        checkMerged(read(out));
    }

    @Test
    void truncatedDockerSaveLayerIsAnError() throws Exception {
        files.put("cfg.json", "{\"architecture\":\"riscv64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8));
        files.put("manifest.json", "[{\"Config\":\"cfg.json\",\"Layers\":[\"l1/layer.tar\"]}]"
                .getBytes(StandardCharsets.UTF_8));
        files.put("l1/layer.tar", layer1()); // last member: cutting the archive cuts this layer
        byte[] whole = Files.readAllBytes(writeRawTar("saved.tar"));
        int at = new String(whole, StandardCharsets.ISO_8859_1).indexOf("old2");
        Path cut = tmp.resolve("cut.tar");
        Files.write(cut, Arrays.copyOf(whole, at));
        ImageException e = assertThrows(ImageException.class, () -> OciImageBuilder.build(cut, tmp.resolve("o.tar")));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("o.tar")));
    }

    @Test
    void amd64OnlyIsRefusedNamingWhatWasFound() throws Exception {
        ociLayout(false);
        Path archive = writeRawTar("amd.tar");
        Path out = tmp.resolve("img.tar");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ImageCommand.run(new String[] {"oci", archive.toString(), "-o", out.toString()},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true));
        assertEquals(1, status);
        String msg = err.toString(StandardCharsets.UTF_8).strip();
        assertFalse(msg.contains("\n"), msg);
        assertTrue(msg.startsWith("friscy image: no linux/riscv64 image in "), msg);
        assertTrue(msg.contains("found: linux/amd64"), msg);
        assertFalse(Files.exists(out));
    }

    @Test
    void tamperedLayerIsDetected() throws Exception {
        ociLayout(true);
        // Flip a byte of the uncompressed riscv64 layer blob (the one holding "tool v1").
        String target = "blobs/sha256/" + Fetcher.sha256Of(layer1());
        byte[] b = files.get(target).clone();
        int i = new String(b, StandardCharsets.ISO_8859_1).indexOf("tool v1");
        b[i + 5] = '9';
        files.put(target, b);
        ImageException e = assertThrows(ImageException.class,
                () -> OciImageBuilder.build(writeRawTar("bad.tar"), tmp.resolve("img.tar")));
        assertTrue(e.getMessage().contains("digest mismatch"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("img.tar")));
    }

    @Test
    void truncatedAndForeignArchives() throws Exception {
        ociLayout(true);
        byte[] whole = Files.readAllBytes(writeRawTar("whole.tar"));
        Path cut = tmp.resolve("cut.tar");
        Files.write(cut, Arrays.copyOf(whole, whole.length / 2 + 100));
        ImageException e1 = assertThrows(ImageException.class, () -> OciImageBuilder.build(cut, tmp.resolve("o.tar")));
        assertFalse(e1.getMessage().contains("\n"));
        Path junk = tmp.resolve("junk.tar");
        Files.writeString(junk, "this is not an image archive at all ".repeat(40));
        ImageException e2 = assertThrows(ImageException.class, () -> OciImageBuilder.build(junk, tmp.resolve("o.tar")));
        assertFalse(e2.getMessage().contains("\n"));
        ImageException e3 = assertThrows(ImageException.class,
                () -> OciImageBuilder.build(tmp.resolve("missing.tar"), tmp.resolve("o.tar")));
        assertTrue(e3.getMessage().contains("no such image archive"), e3.getMessage());
        assertFalse(Files.exists(tmp.resolve("o.tar")));
    }
}
