package dev.friscy.image;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a container image into a root file system tar. Accepts an OCI image layout (directory
 * or tar with oci-layout, index.json and blobs/) or a {@code docker save} archive
 * (manifest.json with per-image config and layer paths). From an index (nested indexes too) the
 * linux/riscv64 manifest is chosen; any other architecture is refused. Layers are applied in
 * order with whiteouts, and every blob named by a sha256 digest is checked against it.
 */
public final class OciImageBuilder {
    static final String WANT_OS = "linux";
    static final String WANT_ARCH = "riscv64";

    /** What was built. */
    public record Result(String platform, int layers, int entries, long bytes) {
    }

    private record Image(String platform, List<String> layerPaths) {
    }

    private OciImageBuilder() {
    }

    public static Result build(Path archive, Path out) throws ImageException {
        RootTree tree = new RootTree();
        Image image;
        try (ArchiveFiles files = ArchiveFiles.open(archive)) {
            image = files.exists("index.json") ? fromOciLayout(files) : fromDockerSave(files);
            for (String layer : image.layerPaths()) {
                try (InputStream raw = openVerified(files, layer)) {
                    String what = "layer " + layer;
                    TarImport.apply(tree, Compression.open(raw, what), TarImport.Mode.LAYER, what);
                    raw.transferTo(OutputStreamSink.INSTANCE); // reach the end so the digest is checked
                } catch (IOException e) {
                    throw new ImageException("cannot read layer " + layer + ": " + TarImport.oneLine(e));
                }
            }
        } catch (IOException e) {
            throw new ImageException("cannot read " + archive + ": " + TarImport.oneLine(e));
        }
        int entries = ReproducibleTar.writeFile(tree, out);
        long bytes = out.toFile().length();
        return new Result(image.platform(), image.layerPaths().size(), entries, bytes);
    }

    // ---- OCI image layout ----

    private static Image fromOciLayout(ArchiveFiles files) throws ImageException {
        Map<String, Object> index = Json.parseObject(files.readText("index.json"), "index.json");
        Set<String> found = new LinkedHashSet<>();
        Image image = searchIndex(files, index, "index.json", found, 0);
        if (image == null) {
            throw refusal(files, found);
        }
        return image;
    }

    private static Image searchIndex(ArchiveFiles files, Map<String, Object> index, String what, Set<String> found,
                                     int depth) throws ImageException {
        if (depth > 8) {
            throw new ImageException("image indexes nested too deeply in " + files.describe());
        }
        for (Object o : list(index.get("manifests"), what + " manifests")) {
            Map<String, Object> desc = object(o, what + " manifest descriptor");
            Map<String, Object> platform = desc.get("platform") instanceof Map ? object(desc.get("platform"), "platform") : null;
            if (platform != null) {
                String p = platformName(platform);
                if (!p.startsWith("unknown/")) {
                    found.add(p);
                }
                if (!WANT_OS.equals(platform.get("os")) || !WANT_ARCH.equals(platform.get("architecture"))) {
                    continue;
                }
            }
            String digest = string(desc.get("digest"), what + " digest");
            String blobWhat = "blob " + digest;
            Map<String, Object> doc = Json.parseObject(readBlob(files, digest), blobWhat);
            if (doc.containsKey("manifests")) {
                Image nested = searchIndex(files, doc, blobWhat, found, depth + 1);
                if (nested != null) {
                    return nested;
                }
                continue;
            }
            Map<String, Object> configDesc = object(doc.get("config"), blobWhat + " config");
            String configDigest = string(configDesc.get("digest"), blobWhat + " config digest");
            Map<String, Object> config = Json.parseObject(readBlob(files, configDigest), "config " + configDigest);
            String p = platformName(config);
            if (!p.startsWith("unknown/") && !p.equals("/")) {
                found.add(p);
            }
            if (!WANT_OS.equals(config.get("os")) || !WANT_ARCH.equals(config.get("architecture"))) {
                continue;
            }
            List<String> layers = new ArrayList<>();
            for (Object l : list(doc.get("layers"), blobWhat + " layers")) {
                layers.add(blobPath(string(object(l, "layer descriptor").get("digest"), "layer digest")));
            }
            return new Image(p, layers);
        }
        return null;
    }

    // ---- docker save ----

    private static Image fromDockerSave(ArchiveFiles files) throws ImageException {
        if (!files.exists("manifest.json")) {
            throw new ImageException(files.describe() + " is neither an OCI image layout (no index.json)"
                    + " nor a docker save archive (no manifest.json)");
        }
        Object doc = Json.parse(files.readText("manifest.json"), "manifest.json");
        Set<String> found = new LinkedHashSet<>();
        for (Object o : list(doc, "manifest.json")) {
            Map<String, Object> entry = object(o, "manifest.json entry");
            String configPath = string(entry.get("Config"), "manifest.json Config");
            Map<String, Object> config = Json.parseObject(readMember(files, configPath), configPath);
            String p = platformName(config);
            found.add(p);
            if (!WANT_OS.equals(config.get("os")) || !WANT_ARCH.equals(config.get("architecture"))) {
                continue;
            }
            List<String> layers = new ArrayList<>();
            for (Object l : list(entry.get("Layers"), "manifest.json Layers")) {
                layers.add(ArchiveFiles.clean(string(l, "layer path")));
            }
            return new Image(p, layers);
        }
        throw refusal(files, found);
    }

    // ---- helpers ----

    private static ImageException refusal(ArchiveFiles files, Set<String> found) {
        String what = found.isEmpty() ? "no platform information" : String.join(", ", found);
        return new ImageException("no " + WANT_OS + "/" + WANT_ARCH + " image in " + files.describe()
                + "; found: " + what + " (friscy runs riscv64 programs only)");
    }

    private static String platformName(Map<String, Object> p) {
        String s = p.getOrDefault("os", "") + "/" + p.getOrDefault("architecture", "");
        Object variant = p.get("variant");
        return variant instanceof String && !((String) variant).isEmpty() ? s + "/" + variant : s;
    }

    static String blobPath(String digest) throws ImageException {
        int colon = digest.indexOf(':');
        if (colon <= 0 || !digest.substring(0, colon).matches("[a-z0-9+._-]+")
                || !digest.substring(colon + 1).matches("[a-zA-Z0-9=_-]+")) {
            throw new ImageException("bad digest: " + digest);
        }
        return "blobs/" + digest.substring(0, colon) + "/" + digest.substring(colon + 1);
    }

    private static String readBlob(ArchiveFiles files, String digest) throws ImageException {
        return readMember(files, blobPath(digest));
    }

    private static String readMember(ArchiveFiles files, String path) throws ImageException {
        try (InputStream in = openVerified(files, path)) {
            byte[] b = in.readAllBytes();
            return new String(b, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ImageException("cannot read " + path + " in " + files.describe() + ": " + TarImport.oneLine(e));
        }
    }

    /**
     * Opens a member; for blobs/sha256/HEX the content is hashed while read and a mismatch is
     * reported when the end is reached, before the caller's last read returns.
     */
    private static InputStream openVerified(ArchiveFiles files, String path) throws ImageException {
        InputStream in = files.open(path);
        String clean = ArchiveFiles.clean(path);
        if (!clean.matches("blobs/sha256/[0-9a-f]{64}")) {
            return in;
        }
        return new DigestCheckingStream(in, clean.substring("blobs/sha256/".length()), path);
    }

    private static final class DigestCheckingStream extends FilterInputStream {
        private final MessageDigest digest = Fetcher.sha256();
        private final String expected;
        private final String path;
        private boolean checked;

        DigestCheckingStream(InputStream in, String expected, String path) {
            super(in);
            this.expected = expected;
            this.path = path;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n <= 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                digest.update(b, off, n);
            } else if (n < 0 && !checked) {
                checked = true;
                String actual = HexFormat.of().formatHex(digest.digest());
                if (!actual.equals(expected)) {
                    throw new IOException("digest mismatch for " + path + ": content has sha256:" + actual);
                }
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] buf = new byte[(int) Math.min(n, 1 << 16)];
            int r = read(buf, 0, buf.length);
            return Math.max(r, 0);
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }

    /** Discards bytes (used to read a layer to its end). */
    private static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object o, String what) throws ImageException {
        if (!(o instanceof Map)) {
            throw new ImageException(what + " is missing or not a JSON object");
        }
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o, String what) throws ImageException {
        if (!(o instanceof List)) {
            throw new ImageException(what + " is missing or not a JSON array");
        }
        return (List<Object>) o;
    }

    private static String string(Object o, String what) throws ImageException {
        if (!(o instanceof String)) {
            throw new ImageException(what + " is missing or not a string");
        }
        return (String) o;
    }
}
