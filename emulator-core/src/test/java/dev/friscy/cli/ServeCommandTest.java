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
