package dev.friscy.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.friscy.host.DnsForward;
import dev.friscy.host.NetMap;
import dev.friscy.relay.RelayPolicy;
import dev.friscy.relay.RelayServer;

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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code friscy serve [--port N] [--dir DIR] [--relay ...]}: serves the assembled web site (default
 * {@code $FRISCY_SITE}, else {@code web/target/site}) on 127.0.0.1. It builds nothing; the launcher assembles the site first.
 * The e2e tests use {@link #start} to serve the site the same way on a random port.
 * With {@code --relay} it also runs the WebSocket relay (dev.friscy.relay) through which guests
 * in the page reach the network, and tells the pages it serves its URL (a meta tag).
 */
public final class ServeCommand {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    public static final Path DEFAULT_SITE = Path.of("web", "target", "site");

    static final int DEFAULT_RELAY_MAX = 64;

    private static final String USAGE_TEXT = String.join("\n",
            "usage: friscy serve [--port N] [--dir DIR] [--relay [RELAY OPTIONS]]",
            "",
            "Serves the assembled friscy site (default $FRISCY_SITE, else " + DEFAULT_SITE + ")",
            "on http://127.0.0.1:N/ (default port 8080; 0 picks a free one). Stop it with Ctrl-C.",
            "",
            "  --relay              also run the network relay: guests in the page reach TCP",
            "                       destinations through it (off by default; pages are told its URL)",
            "  --relay-port N       its port on 127.0.0.1 (default 0: a free one)",
            "  --relay-allow LIST   only these destinations: *, IP, IP/LEN or a host name, each with an",
            "                       optional :PORT, comma-separated ([v6]:PORT); default: any public one",
            "  --relay-private      also loopback, private, link-local addresses and this host's own",
            "                       (refused by default)",
            "  --relay-max N        connections at once (default " + DEFAULT_RELAY_MAX + "; more get ENOBUFS)",
            "  --relay-map G=H      send guest destination G (IP:PORT) to H (IP:PORT) whatever the rules",
            "  --relay-dns LIST     where guests' DNS (to " + RelayPolicy.DNS + ":53) goes: IP[:PORT],... or none",
            "                       (default: the name servers of this host's /etc/resolv.conf)",
            "  --relay-origin O     pages of origin O may use it too (default: only this server's; * any)");

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
        boolean relay = false;
        int relayPort = 0;
        int relayMax = DEFAULT_RELAY_MAX;
        boolean relayPrivate = false;
        List<String> allow = new ArrayList<>();
        Map<String, InetSocketAddress> relayMap = new HashMap<>();
        Set<String> origins = new HashSet<>();
        boolean anyOrigin = false;
        List<InetSocketAddress> dns = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "-h", "--help" -> {
                    out.println(USAGE_TEXT);
                    return OK;
                }
                case "--relay" -> relay = true;
                case "--relay-private" -> relayPrivate = true;
                case "--port", "--dir", "--relay-port", "--relay-max", "--relay-allow", "--relay-map", "--relay-origin",
                        "--relay-dns" -> {
                    if (i + 1 >= args.length) {
                        err.println("friscy serve: " + a + " needs a value\n" + USAGE_TEXT);
                        return USAGE;
                    }
                    String v = args[++i];
                    switch (a) {
                        case "--dir" -> dir = Path.of(v);
                        case "--port", "--relay-port" -> {
                            int p = number(v);
                            if (p < 0 || p > 65535) {
                                err.println("friscy serve: " + a + " must be a number from 0 to 65535, not '" + v + "'");
                                return USAGE;
                            }
                            if (a.equals("--port")) {
                                port = p;
                            } else {
                                relayPort = p;
                            }
                        }
                        case "--relay-max" -> {
                            relayMax = number(v);
                            if (relayMax < 1) {
                                err.println("friscy serve: --relay-max must be a positive number, not '" + v + "'");
                                return USAGE;
                            }
                        }
                        case "--relay-allow" -> {
                            for (String e : v.split(",")) {
                                if (!e.isBlank()) {
                                    allow.add(e.trim());
                                }
                            }
                        }
                        case "--relay-dns" -> {
                            try {
                                dns = DnsForward.parse("--relay-dns", v, dns);
                            } catch (IllegalArgumentException e) {
                                err.println("friscy serve: " + e.getMessage());
                                return USAGE;
                            }
                        }
                        case "--relay-origin" -> {
                            if (v.equals("*")) {
                                anyOrigin = true;
                            } else {
                                origins.add(v);
                            }
                        }
                        default -> { // --relay-map
                            try {
                                NetMap.parse("--relay-map", v, relayMap);
                            } catch (IllegalArgumentException e) {
                                err.println("friscy serve: " + e.getMessage());
                                return USAGE;
                            }
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
        RelayServer relayServer = null;
        RelayPolicy policy = null;
        if (relay) {
            try {
                policy = new RelayPolicy(relayMap, allow, relayPrivate, dns != null ? dns : DnsForward.hostResolvers());
            } catch (IllegalArgumentException e) {
                err.println("friscy serve: " + e.getMessage());
                return USAGE;
            }
        }
        HttpServer server;
        String relayUrl = null;
        try {
            // the relay is started first so that the pages can name it; it learns the site's
            // origin (the site's port may be a free one) before it accepts anybody
            if (relay) {
                OriginList allowed = new OriginList(anyOrigin ? null : origins);
                relayServer = RelayServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), relayPort),
                        new RelayServer.Config(policy, relayMax, allowed.set, 30_000));
                relayUrl = "ws://127.0.0.1:" + relayServer.getPort() + "/";
                server = start(dir, port, relayUrl);
                allowed.add("http://127.0.0.1:" + server.getAddress().getPort());
                allowed.add("http://localhost:" + server.getAddress().getPort());
            } else {
                server = start(dir, port);
            }
        } catch (IOException e) {
            err.println("friscy serve: cannot listen on 127.0.0.1:" + (relayServer == null && relay ? relayPort : port)
                    + ": " + e.getMessage());
            if (relayServer != null) {
                relayServer.close();
            }
            return FAILED;
        }
        out.println("friscy: serving " + dir.toAbsolutePath().normalize() + " at http://127.0.0.1:"
                + server.getAddress().getPort() + "/  (Ctrl-C stops)");
        if (relayUrl != null) {
            out.println("friscy: network relay at " + relayUrl + " ("
                    + (allow.isEmpty() ? "any public destination" : "destinations " + String.join(",", allow))
                    + (relayPrivate ? ", private and loopback ones too" : "") + ", at most " + relayMax
                    + " connections; DNS to " + RelayPolicy.DNS + " goes to "
                    + (policy.resolvers().isEmpty() ? "nobody" : policy.resolvers().toString()) + ")");
        }
        out.flush();
        try {
            Thread.currentThread().join(); // until the JVM is interrupted (Ctrl-C)
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.stop(0);
        if (relayServer != null) {
            relayServer.close();
        }
        return OK;
    }

    private static int number(String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The origins allowed to use the relay; null set: any. Filled in once the site's port is known. */
    private static final class OriginList {
        final Set<String> set;

        OriginList(Set<String> given) {
            set = given == null ? null : java.util.concurrent.ConcurrentHashMap.newKeySet();
            if (given != null) {
                set.addAll(given);
            }
        }

        void add(String origin) {
            if (set != null) {
                set.add(origin);
            }
        }
    }

    /** Starts serving {@code root} on 127.0.0.1:{@code port} (0: any free port) in the background. */
    public static HttpServer start(Path root, int port) throws IOException {
        return start(root, port, null);
    }

    /**
     * As {@link #start(Path, int)}, and HTML pages name {@code relayUrl} (if not null) in a
     * {@code <meta name="friscy-relay">} tag, where friscy.js finds it.
     */
    public static HttpServer start(Path root, int port, String relayUrl) throws IOException {
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
                handle(base, ex, relayUrl);
            } catch (IOException | RuntimeException e) {
                // The client went away mid-response, or the file vanished: nothing more to send.
            } finally {
                ex.close();
            }
        });
        server.start();
        return server;
    }

    private static void handle(Path base, HttpExchange ex, String relayUrl) throws IOException {
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
        byte[] page = relayUrl != null && file.getFileName().toString().endsWith(".html")
                ? withRelay(Files.readAllBytes(file), relayUrl) : null;
        Path twin = page == null ? ZstdTwin.choose(file, ex.getRequestHeaders().getFirst("Accept-Encoding")) : null;
        if (twin != null) {
            // the same image, zstd-encoded: the browser hands the page the tar itself
            String name = file.getFileName().toString();
            ex.getResponseHeaders().set("Content-Type", contentType(Path.of(name.substring(0, name.length() - 3))));
            ex.getResponseHeaders().set("Content-Encoding", "zstd");
            long decoded = ZstdTwin.gzipLength(file);
            if (decoded >= 0) {
                ex.getResponseHeaders().set("X-Decoded-Content-Length", Long.toString(decoded));
            }
            file = twin;
        } else {
            ex.getResponseHeaders().set("Content-Type", contentType(file));
        }
        if (page == null && file.getFileName().toString().matches(".*\\.(gz|zst)")) {
            ex.getResponseHeaders().set("Vary", "Accept-Encoding");
        }
        long size = page != null ? page.length : Files.size(file);
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
        if (page != null) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(page);
            }
            return;
        }
        try (InputStream in = Files.newInputStream(file); OutputStream out = ex.getResponseBody()) {
            in.transferTo(out);
        }
    }

    /** An HTML page with the relay's meta tag at the start of its head (or of the page, if it has none). */
    static byte[] withRelay(byte[] html, String relayUrl) {
        String s = new String(html, StandardCharsets.UTF_8);
        String tag = "<meta name=\"friscy-relay\" content=\"" + relayUrl.replace("&", "&amp;").replace("\"", "&quot;") + "\">";
        int head = s.toLowerCase(Locale.ROOT).indexOf("<head>");
        s = head < 0 ? tag + s : s.substring(0, head + 6) + tag + s.substring(head + 6);
        return s.getBytes(StandardCharsets.UTF_8);
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
