package dev.friscy.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeCommandTest {
    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newHttpClient();

    private HttpResponse<byte[]> get(HttpServer s, String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + s.getAddress().getPort() + path);
        return client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<byte[]> get(HttpServer s, String path, String method, String acceptEncoding) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + s.getAddress().getPort() + path);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody());
        if (acceptEncoding != null) {
            b.header("Accept-Encoding", acceptEncoding);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void aGzipImageGoesAsItsZstdTwinToBrowsersThatAcceptZstd() throws Exception {
        Files.createDirectories(dir.resolve("images"));
        // a gzip file's last 4 bytes are the length of what it decompresses to (here 1,234,567)
        byte[] gz = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6, 7, 8, (byte) 0x87, (byte) 0xd6, 0x12, 0};
        byte[] zst = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 9, 9, 9};
        Files.write(dir.resolve("images/x.tar.gz"), gz);
        Files.write(dir.resolve("images/x.tar.zst"), zst);
        Files.write(dir.resolve("images/y.tar.gz"), gz); // no twin
        HttpServer s = ServeCommand.start(dir, 0);
        try {
            for (String accept : new String[] {"gzip, deflate, br, zstd", "zstd;q=0.5", "*", "gzip, *;q=0.1"}) {
                HttpResponse<byte[]> r = get(s, "/images/x.tar.gz", "GET", accept);
                assertEquals(200, r.statusCode(), accept);
                assertArrayEquals(zst, r.body(), accept);
                assertEquals("zstd", r.headers().firstValue("Content-Encoding").orElse(""), accept);
                assertEquals("application/x-tar", r.headers().firstValue("Content-Type").orElse(""), accept);
                assertEquals("1234567", r.headers().firstValue("X-Decoded-Content-Length").orElse(""), accept);
                assertEquals("Accept-Encoding", r.headers().firstValue("Vary").orElse(""), accept);
                // HEAD says the same, so the page's cache check compares like with like
                HttpResponse<byte[]> h = get(s, "/images/x.tar.gz", "HEAD", accept);
                assertEquals(Integer.toString(zst.length), h.headers().firstValue("Content-Length").orElse(""), accept);
                assertEquals("zstd", h.headers().firstValue("Content-Encoding").orElse(""), accept);
            }
            for (String accept : new String[] {null, "gzip, deflate, br", "gzip, zstd;q=0", "*;q=0", "zstd;q=0, *"}) {
                HttpResponse<byte[]> r = get(s, "/images/x.tar.gz", "GET", accept);
                assertArrayEquals(gz, r.body(), String.valueOf(accept));
                assertTrue(r.headers().firstValue("Content-Encoding").isEmpty(), String.valueOf(accept));
                assertEquals("application/gzip", r.headers().firstValue("Content-Type").orElse(""), String.valueOf(accept));
                assertEquals("Accept-Encoding", r.headers().firstValue("Vary").orElse(""), String.valueOf(accept));
            }
            assertArrayEquals(gz, get(s, "/images/y.tar.gz", "GET", "zstd").body(), "no twin: the gzip file");
            // a twin older than the gzip file may be of an older image: not sent
            Files.setLastModifiedTime(dir.resolve("images/x.tar.zst"), java.nio.file.attribute.FileTime.fromMillis(0));
            assertArrayEquals(gz, get(s, "/images/x.tar.gz", "GET", "zstd").body(), "a stale twin is not sent");
        } finally {
            s.stop(0);
        }
    }

    @Test
    void servesFilesWithTheirContentTypes() throws Exception {
        Files.writeString(dir.resolve("index.html"), "<p>hi</p>");
        byte[] wasm = {0, 'a', 's', 'm', 1, 0, 0, 0};
        Files.write(dir.resolve("classes.wasm"), wasm);
        Files.writeString(dir.resolve("worker.js"), "1;");
        Files.createDirectories(dir.resolve("images"));
        Files.write(dir.resolve("images/busybox.tar.gz"), new byte[] {0x1f, (byte) 0x8b});
        HttpServer s = ServeCommand.start(dir, 0);
        try {
            HttpResponse<byte[]> r = get(s, "/classes.wasm");
            assertEquals(200, r.statusCode());
            assertEquals("application/wasm", r.headers().firstValue("Content-Type").orElse(""));
            assertArrayEquals(wasm, r.body());
            assertEquals("8", r.headers().firstValue("Content-Length").orElse(""));

            r = get(s, "/");
            assertEquals(200, r.statusCode());
            assertEquals("<p>hi</p>", new String(r.body(), StandardCharsets.UTF_8));
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));

            assertTrue(get(s, "/worker.js").headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"));
            assertEquals("application/gzip", get(s, "/images/busybox.tar.gz").headers().firstValue("Content-Type").orElse(""));
            assertEquals(404, get(s, "/missing.js").statusCode());
        } finally {
            s.stop(0);
        }
    }

    @Test
    void pagesNameTheRelayWhenThereIsOne() throws Exception {
        Files.writeString(dir.resolve("index.html"), "<!doctype html><html><head><title>t</title></head><body></body></html>");
        Files.writeString(dir.resolve("app.js"), "<head>");
        HttpServer s = ServeCommand.start(dir, 0, "ws://127.0.0.1:9/");
        try {
            HttpResponse<byte[]> r = get(s, "/index.html");
            String page = new String(r.body(), StandardCharsets.UTF_8);
            assertEquals("<!doctype html><html><head><meta name=\"friscy-relay\" content=\"ws://127.0.0.1:9/\">"
                    + "<title>t</title></head><body></body></html>", page);
            assertEquals(Integer.toString(r.body().length), r.headers().firstValue("Content-Length").orElse(""));
            assertEquals("<head>", new String(get(s, "/app.js").body(), StandardCharsets.UTF_8));
        } finally {
            s.stop(0);
        }
    }

    @Test
    void refusesPathsOutsideTheSite() throws Exception {
        Path site = Files.createDirectories(dir.resolve("site"));
        Files.writeString(site.resolve("index.html"), "ok");
        Files.writeString(dir.resolve("secret.txt"), "secret");
        HttpServer s = ServeCommand.start(site, 0);
        try (Socket sock = new Socket("127.0.0.1", s.getAddress().getPort())) {
            // A raw request, since HTTP clients normalise ".." away before sending.
            sock.getOutputStream().write("GET /../secret.txt HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String reply = new String(sock.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(reply.startsWith("HTTP/1.1 404"), reply);
            assertTrue(!reply.contains("secret\n") && !reply.endsWith("secret"), reply);
        } finally {
            s.stop(0);
        }
    }

    @Test
    void badArgumentsAreOneLineErrors() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        PrintStream o = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertEquals(ServeCommand.USAGE, ServeCommand.run(new String[] {"--port", "http"}, o, e));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--port must be a number"));
        err.reset();
        assertEquals(ServeCommand.FAILED, ServeCommand.run(new String[] {"--dir", dir.resolve("none").toString()}, o, e));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("no assembled site"));
        err.reset();
        assertEquals(ServeCommand.USAGE, ServeCommand.run(new String[] {"--relay", "--relay-max", "0"}, o, e));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--relay-max must be a positive number"));
        err.reset();
        assertEquals(ServeCommand.USAGE, ServeCommand.run(new String[] {"--relay-map", "1.2.3.4=5"}, o, e));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--relay-map"), err.toString(StandardCharsets.UTF_8));
    }
}
