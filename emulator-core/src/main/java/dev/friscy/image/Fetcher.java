package dev.friscy.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Downloads files from a Debian archive given as an http(s) or file: URL, keeping verified copies
 * in a cache directory. A file whose SHA-256 differs from the expected one is deleted and never
 * used; cache entries are written atomically so concurrent builds can share a cache.
 */
final class Fetcher {
    private final String mirror;
    private final Path cacheDir;
    private final PrintStream log;
    private HttpClient http;

    Fetcher(String mirror, Path cacheDir, PrintStream log) {
        this.mirror = DebianMirror.stripSlash(mirror);
        this.cacheDir = cacheDir;
        this.log = log;
    }

    String mirror() {
        return mirror;
    }

    /** The bytes of {@code relPath} under the mirror, not cached (small metadata files). */
    byte[] fetch(String relPath) throws ImageException {
        try (InputStream in = open(relPath)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new ImageException("download of " + url(relPath) + " failed: " + TarImport.oneLine(e));
        }
    }

    /**
     * The cached, verified copy of {@code relPath}, stored as {@code cacheName}; downloaded when
     * absent or when the cached copy does not match {@code sha256}.
     */
    Path fetchVerified(String relPath, String sha256, long size, String cacheName) throws ImageException {
        if (sha256 == null || sha256.isBlank()) {
            throw new ImageException("the index gives no SHA256 for " + relPath);
        }
        String expected = sha256.trim().toLowerCase();
        Path target = cacheDir.resolve(cacheName);
        if (Files.isRegularFile(target)) {
            try {
                if (sha256Of(target).equals(expected)) {
                    return target;
                }
                if (log != null) log.println("friscy image: cached " + target + " is damaged; downloading again");
                Files.deleteIfExists(target);
            } catch (IOException e) {
                // unreadable cache entry: download again
            }
        }
        if (log != null) {
            log.println("fetching " + relPath + (size >= 0 ? " (" + size + " bytes)" : ""));
        }
        MessageDigest digest = sha256();
        String[] actual = new String[1];
        AtomicFile.write(target, out -> {
            try (InputStream in = open(relPath)) {
                copy(in, out, digest);
            } catch (IOException e) {
                throw new ImageException("download of " + url(relPath) + " failed: " + TarImport.oneLine(e));
            }
            actual[0] = HexFormat.of().formatHex(digest.digest());
            if (!actual[0].equals(expected)) {
                // Throwing here makes AtomicFile drop the temporary file: nothing is cached or used.
                throw new ImageException("checksum mismatch for " + relPath + ": expected SHA256 " + expected
                        + ", got " + actual[0] + " (file discarded)");
            }
            return null;
        });
        return target;
    }

    private InputStream open(String relPath) throws IOException, ImageException {
        String url = url(relPath);
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new ImageException("bad mirror URL: " + url);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
        if (scheme.equals("file")) {
            try {
                return Files.newInputStream(Path.of(uri));
            } catch (NoSuchFileException e) {
                throw new ImageException("not found on the mirror: " + url);
            }
        }
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new ImageException("unsupported mirror URL scheme '" + scheme + "' in " + url + " (use http, https or file)");
        }
        if (http == null) {
            HttpClient.Builder b = HttpClient.newBuilder()
                    .followRedirects(HttpClient.Redirect.NORMAL)
                    .connectTimeout(Duration.ofSeconds(30));
            ProxySelector proxy = proxyFromEnvironment(scheme, uri.getHost());
            if (proxy != null) {
                b.proxy(proxy);
            }
            http = b.build();
        }
        HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(10)).GET().build();
        HttpResponse<InputStream> resp;
        try {
            resp = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageException("interrupted while downloading " + url);
        }
        if (resp.statusCode() != 200) {
            resp.body().close();
            throw new ImageException("HTTP " + resp.statusCode() + " for " + url);
        }
        return resp.body();
    }

    /** Honours http_proxy / https_proxy as curl and apt users expect (the JDK ignores them). */
    private static ProxySelector proxyFromEnvironment(String scheme, String host) {
        if (host == null || host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]")
                || host.equals("::1") || noProxy(host)) {
            return null;
        }
        String value = System.getenv(scheme + "_proxy");
        if (value == null || value.isBlank()) {
            value = System.getenv(scheme.toUpperCase() + "_PROXY");
        }
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            URI p = URI.create(value.contains("://") ? value.trim() : "http://" + value.trim());
            if (p.getHost() == null) {
                return null;
            }
            return ProxySelector.of(new InetSocketAddress(p.getHost(), p.getPort() > 0 ? p.getPort() : 80));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean noProxy(String host) {
        String list = System.getenv("no_proxy");
        if (list == null) {
            list = System.getenv("NO_PROXY");
        }
        if (list == null) {
            return false;
        }
        for (String raw : list.split(",")) {
            String d = raw.trim();
            if (d.equals("*")) {
                return true;
            }
            if (d.startsWith(".")) {
                d = d.substring(1);
            }
            if (!d.isEmpty() && (host.equals(d) || host.endsWith("." + d))) {
                return true;
            }
        }
        return false;
    }

    String url(String relPath) {
        return mirror + "/" + relPath;
    }

    private static void copy(InputStream in, OutputStream out, MessageDigest digest) throws IOException {
        byte[] buf = new byte[1 << 16];
        int n;
        while ((n = in.read(buf)) > 0) {
            digest.update(buf, 0, n);
            out.write(buf, 0, n);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    static String sha256Of(Path file) throws IOException {
        MessageDigest d = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                d.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(d.digest());
    }

    static String sha256Of(byte[] data) {
        return HexFormat.of().formatHex(sha256().digest(data));
    }
}
