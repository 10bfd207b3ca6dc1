package dev.friscy.image;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Fuzz targets for the image tool's readers: container layers (tar through Commons Compress,
 * whiteouts), the JSON reader, and `image oci` on an archive whose index, manifest and config
 * are fuzzed. Each input must succeed or fail with one ImageException; nothing else escapes.
 */
class ArchiveFuzzTest {
    @FuzzTest(maxDuration = "10m")
    void layerTar(byte[] tar) {
        try {
            TarImport.apply(new RootTree(), new ByteArrayInputStream(tar), TarImport.Mode.LAYER, "fuzz layer");
        } catch (ImageException expected) {
            oneLine(expected);
        }
    }

    @FuzzTest(maxDuration = "10m")
    void json(byte[] text) {
        try {
            Json.parse(new String(text, StandardCharsets.UTF_8), "fuzz.json");
        } catch (ImageException expected) {
            oneLine(expected);
        }
    }

    @FuzzTest(maxDuration = "10m")
    void ociManifests(FuzzedDataProvider data) throws IOException, NoSuchAlgorithmException {
        String config = data.consumeString(400);
        String layerName = data.consumeString(40);
        byte[] layer = data.consumeBytes(2000);
        String manifestTemplate = data.consumeString(600);
        String index = data.consumeRemainingAsString();
        String configDigest = digest(config.getBytes(StandardCharsets.UTF_8));
        String layerDigest = digest(layer);
        // the fuzzer's template may name the real blobs, so deeper code is reached too
        String manifest = manifestTemplate.replace("CONFIG", configDigest).replace("LAYER", layerDigest);
        String manifestDigest = digest(manifest.getBytes(StandardCharsets.UTF_8));
        index = index.replace("MANIFEST", manifestDigest);
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(tar)) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            put(out, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
            put(out, "index.json", index.getBytes(StandardCharsets.UTF_8));
            put(out, "blobs/sha256/" + manifestDigest.substring(7), manifest.getBytes(StandardCharsets.UTF_8));
            put(out, "blobs/sha256/" + configDigest.substring(7), config.getBytes(StandardCharsets.UTF_8));
            put(out, "blobs/sha256/" + layerDigest.substring(7), layer);
            if (!layerName.isEmpty() && layerName.indexOf(0) < 0 && !layerName.endsWith("/")) {
                put(out, layerName, layer);
            }
        }
        Path dir = Files.createTempDirectory("friscy-oci-fuzz");
        Path archive = dir.resolve("image.tar");
        Path result = dir.resolve("rootfs.tar");
        try {
            Files.write(archive, tar.toByteArray());
            OciImageBuilder.build(archive, result);
        } catch (ImageException expected) {
            oneLine(expected);
        } finally {
            Files.deleteIfExists(archive);
            Files.deleteIfExists(result);
            try (var s = Files.list(dir)) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    private static void put(TarArchiveOutputStream out, String name, byte[] b) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(b.length);
        out.putArchiveEntry(e);
        out.write(b);
        out.closeArchiveEntry();
    }

    private static String digest(byte[] b) throws NoSuchAlgorithmException {
        StringBuilder sb = new StringBuilder("sha256:");
        for (byte x : MessageDigest.getInstance("SHA-256").digest(b)) {
            sb.append(String.format("%02x", x & 0xff));
        }
        return sb.toString();
    }

    private static void oneLine(ImageException e) {
        if (e.getMessage() == null || e.getMessage().contains("\n")) {
            throw new AssertionError("an image error must be one line: " + e.getMessage());
        }
    }
}
