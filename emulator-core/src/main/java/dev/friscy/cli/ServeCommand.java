package dev.friscy.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code friscy serve [--port N] [--dir DIR]}: serves the assembled web site (default
 * {@code $FRISCY_SITE}, else {@code web/target/site}) on 127.0.0.1. It builds nothing; the launcher assembles the site first.
 * The e2e tests use {@link #start} to serve the site the same way on a random port.
 */
public final class ServeCommand {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    public static final Path DEFAULT_SITE = Path.of("web", "target", "site");

    private static final String USAGE_TEXT = String.join("\n",
            "usage: friscy serve [--port N] [--dir DIR]",
            "",
            "Serves the assembled friscy site (default $FRISCY_SITE, else " + DEFAULT_SITE + ")",
            "on http://127.0.0.1:N/ (default port 8080; 0 picks a free one). Stop it with Ctrl-C.");

    static Path defaultSite() {
        String env = System.getenv("FRISCY_SITE");
        return env != null && !env.isBlank() ? Path.of(env) : DEFAULT_SITE;
    }

    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("json", "application/json"),
            Map.entry("map", "application/json"),
            Map.entry("wasm", "application/wasm"),
            Map.entry("tar", "application/x-tar"),
            Map.entry("gz", "application/gzip"),
            Map.entry("tgz", "application/gzip"),
            Map.entry("txt", "text/plain; charset=utf-8"),
            Map.entry("md", "text/plain; charset=utf-8"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"),
            Map.entry("ico", "image/x-icon"));

    private ServeCommand() {
    }

    public static int main(String[] args) {
        return run(args, System.out, System.err);
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        int port = 8080;
        Path dir = defaultSite();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "-h", "--help" -> {
                    out.println(USAGE_TEXT);
                    return OK;
                }
                case "--port", "--dir" -> {
                    if (i + 1 >= args.length) {
                        err.println("friscy serve: " + a + " needs a value\n" + USAGE_TEXT);
                        return USAGE;
                    }
                    String v = args[++i];
                    if (a.equals("--dir")) {
                        dir = Path.of(v);
                    } else {
                        try {
                            port = Integer.parseInt(v);
                        } catch (NumberFormatException e) {
                            port = -1;
                        }
                        if (port < 0 || port > 65535) {
                            err.println("friscy serve: --port must be a number from 0 to 65535, not '" + v + "'");
                            return USAGE;
                        }
                    }
                }
                default -> {
                    err.println("friscy serve: unknown argument '" + a + "'\n" + USAGE_TEXT);
                    return USAGE;
                }
            }
        }
        if (!Files.isRegularFile(dir.resolve("index.html"))) {
            err.println("friscy serve: " + dir + " holds no assembled site (index.html missing);"
                    + " build it with: mvn -q package -DskipTests");
            return FAILED;
        }
        HttpServer server;
        try {
            server = start(dir, port);
        } catch (IOException e) {
            err.println("friscy serve: cannot listen on 127.0.0.1:" + port + ": " + e.getMessage());
            return FAILED;
        }
        out.println("friscy: serving " + dir.toAbsolutePath().normalize() + " at http://127.0.0.1:"
                + server.getAddress().getPort() + "/  (Ctrl-C stops)");
        out.flush();
        try {
            Thread.currentThread().join(); // until the JVM is interrupted (Ctrl-C)
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.stop(0);
        return OK;
    }

    /** Starts serving {@code root} on 127.0.0.1:{@code port} (0: any free port) in the background. */
    public static HttpServer start(Path root, int port) throws IOException {
        Path base = root.toAbsolutePath().normalize();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "friscy-serve");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.createContext("/", ex -> {
            try {
                handle(base, ex);
            } catch (IOException | RuntimeException e) {
                // The client went away mid-response, or the file vanished: nothing more to send.
            } finally {
                ex.close();
            }
        });
        server.start();
        return server;
    }

    private static void handle(Path base, HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        boolean head = method.equals("HEAD");
        if (!head && !method.equals("GET")) {
            ex.getResponseHeaders().set("Allow", "GET, HEAD");
            sendText(ex, 405, "method not allowed");
            return;
        }
        Path file = resolve(base, ex.getRequestURI());
        if (file != null && Files.isDirectory(file)) {
            file = file.resolve("index.html");
        }
        if (file == null || !Files.isRegularFile(file)) {
            sendText(ex, 404, "not found");
            return;
        }
        long size = Files.size(file);
        ex.getResponseHeaders().set("Content-Type", contentType(file));
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        // lets the page tell whether the image it cached (Cache API) is still the served one
        ex.getResponseHeaders().set("Last-Modified", java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME
                .format(Files.getLastModifiedTime(file).toInstant().atZone(java.time.ZoneOffset.UTC)));
        if (head) {
            ex.getResponseHeaders().set("Content-Length", Long.toString(size));
            ex.sendResponseHeaders(200, -1);
            return;
        }
        ex.sendResponseHeaders(200, size == 0 ? -1 : size);
        try (InputStream in = Files.newInputStream(file); OutputStream out = ex.getResponseBody()) {
            in.transferTo(out);
        }
    }

    /** The file a request path names inside base, or null if it escapes base or is malformed. */
    static Path resolve(Path base, URI uri) {
        String path = uri.getPath();
        if (path == null || !path.startsWith("/") || path.indexOf('\0') >= 0) {
            return null;
        }
        Path p = base.resolve(path.substring(1)).normalize();
        return p.startsWith(base) ? p : null;
    }

    static String contentType(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        return TYPES.getOrDefault(ext, "application/octet-stream");
    }

    private static void sendText(HttpExchange ex, int code, String text) throws IOException {
        byte[] body = (text + "\n").getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        ex.sendResponseHeaders(code, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }
}
