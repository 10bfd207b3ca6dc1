package dev.friscy.e2e;

import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import com.sun.net.httpserver.HttpServer;
import dev.friscy.cli.ServeCommand;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One Chromium and one server of the assembled site for the whole test run (both are slow to
 * start; every test opens its own fresh browser context).
 */
final class Browser {
    static final List<String> CHROMIUM_ARGS = List.of("--headless", "--no-sandbox", "--disable-gpu",
            "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync");

    private static Playwright playwright;
    private static com.microsoft.playwright.Browser browser;
    private static HttpServer server;

    private Browser() {
    }

    static Path site() {
        Path site = Path.of(System.getProperty("friscy.site", "../web/target/site"));
        if (!Files.isRegularFile(site.resolve("index.html"))) {
            throw new IllegalStateException("no assembled site at " + site.toAbsolutePath()
                    + "; build it with: mvn -q package -DskipTests -pl web -am");
        }
        return site;
    }

    /** http://127.0.0.1:PORT/ of the served site. */
    static synchronized String baseUrl() {
        if (server == null) {
            try {
                server = ServeCommand.start(site(), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(0)));
        }
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    static int port() {
        baseUrl();
        return server.getAddress().getPort();
    }

    static synchronized com.microsoft.playwright.Browser chromium() {
        if (browser == null) {
            java.util.Map<String, String> env = new java.util.HashMap<>(System.getenv());
            env.put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
            playwright = Playwright.create(new Playwright.CreateOptions().setEnv(env));
            BrowserType.LaunchOptions options = new BrowserType.LaunchOptions().setArgs(CHROMIUM_ARGS);
            String exe = System.getenv().getOrDefault("FRISCY_CHROMIUM", "/usr/bin/chromium");
            if (Files.isExecutable(Path.of(exe))) {
                options.setExecutablePath(Path.of(exe));
            } // else Playwright's own browser, where one is installed
            try {
                browser = playwright.chromium().launch(options);
            } catch (RuntimeException e) {
                throw new IllegalStateException("cannot start Chromium (" + exe + " is missing or broken; on Debian:"
                        + " apt-get install -y chromium, or set FRISCY_CHROMIUM): " + e.getMessage(), e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> playwright.close()));
        }
        return browser;
    }
}
