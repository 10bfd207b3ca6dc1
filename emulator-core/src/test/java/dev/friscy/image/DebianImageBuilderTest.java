package dev.friscy.image;

import dev.friscy.cli.ImageCommand;
import dev.friscy.testing.Archives;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** End to end through a Debian archive built here and served from 127.0.0.1 or file:. */
class DebianImageBuilderTest {
    @TempDir
    Path tmp;

    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    /** Writes a tiny archive: hello depends on "libx | liby" and a virtual "sh-provider". */
    private Path makeMirror(boolean tamperLibx) throws IOException {
        Path mirror = tmp.resolve("mirror");
        byte[] hello = Archives.deb(new Archives.Tar()
                .dir("./usr/bin/", 0755)
                .file("./usr/bin/hello", 0755, "hello binary")
                .bytes());
        byte[] libx = Archives.deb(new Archives.Tar()
                .dir("./usr/lib/riscv64-linux-gnu/", 0755)
                .file("./usr/lib/riscv64-linux-gnu/libx.so.1", 0644, "libx")
                .symlink("./usr/lib/ld-linux-riscv64-lp64d.so.1", "riscv64-linux-gnu/libx.so.1")
                .bytes());
        byte[] shell = Archives.deb(new Archives.Tar()
                .dir("./bin/", 0755) // a pre-usrmerge path
                .file("./bin/tinysh", 0755, "shell")
                .symlink("./bin/sh", "tinysh")
                .bytes());
        String packages = stanza("hello", "1.0", "Depends: libx (>= 1) | liby, sh-provider", "pool/main/h/hello_1.0_riscv64.deb", hello)
                + stanza("libx", "1.2", "", "pool/main/l/libx_1.2_riscv64.deb", libx)
                + stanza("tinysh", "2", "Provides: sh-provider", "pool/main/t/tinysh_2_all.deb", shell);
        write(mirror.resolve("pool/main/h/hello_1.0_riscv64.deb"), hello);
        byte[] servedLibx = libx.clone();
        if (tamperLibx) {
            servedLibx[servedLibx.length - 1] ^= 1;
        }
        write(mirror.resolve("pool/main/l/libx_1.2_riscv64.deb"), servedLibx);
        write(mirror.resolve("pool/main/t/tinysh_2_all.deb"), shell);
        byte[] packagesXz = Archives.xz(packages.getBytes(StandardCharsets.UTF_8));
        write(mirror.resolve("dists/trixie/main/binary-riscv64/Packages.xz"), packagesXz);
        String release = "Origin: Test\nCodename: trixie\nArchitectures: amd64 riscv64\n"
                + "No-Support-for-Architecture-all: Packages\nSHA256:\n"
                + " " + Fetcher.sha256Of(packagesXz) + " " + packagesXz.length + " main/binary-riscv64/Packages.xz\n";
        write(mirror.resolve("dists/trixie/Release"), release.getBytes(StandardCharsets.UTF_8));
        return mirror;
    }

    private static String stanza(String name, String version, String extra, String filename, byte[] deb) {
        return "Package: " + name + "\nVersion: " + version + "\nArchitecture: "
                + (filename.endsWith("_all.deb") ? "all" : "riscv64") + "\n"
                + (extra.isEmpty() ? "" : extra + "\n")
                + "Filename: " + filename + "\nSize: " + deb.length + "\nSHA256: " + Fetcher.sha256Of(deb) + "\n\n";
    }

    private static void write(Path p, byte[] data) throws IOException {
        Files.createDirectories(p.getParent());
        Files.write(p, data);
    }

    private String serve(Path root) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            Path p = root.resolve(exchange.getRequestURI().getPath().substring(1)).normalize();
            if (!p.startsWith(root) || !Files.isRegularFile(p)) {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
                return;
            }
            byte[] body = Files.readAllBytes(p);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/debian-test";
    }

    private String serveUnderPrefix(Path mirror) throws IOException {
        // The URL path has a prefix like a real archive; map it onto the mirror directory.
        Path root = tmp.resolve("www");
        Files.createDirectories(root);
        Files.createSymbolicLink(root.resolve("debian-test"), mirror);
        return serve(root);
    }

    private record Run(int status, String out, String err) {
    }

    private static Run image(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ImageCommand.run(args, new PrintStream(out, true), new PrintStream(err, true));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String lastLine(String text) {
        String[] lines = text.strip().split("\n");
        return lines[lines.length - 1];
    }

    @Test
    void buildsFromHttpMirror() throws IOException {
        String url = serveUnderPrefix(makeMirror(false));
        Path out = tmp.resolve("out/image.tar");
        Path cache = tmp.resolve("cache");
        Run r = image("debian", "--mirror", url, "--cache", cache.toString(), "hello", "-o", out.toString());
        assertEquals(0, r.status(), r.err());
        Map<String, Archives.Entry> e;
        try (InputStream in = Files.newInputStream(out)) {
            e = Archives.read(in);
        }
        assertEquals("hello binary", e.get("usr/bin/hello").text());
        assertEquals("libx", e.get("usr/lib/riscv64-linux-gnu/libx.so.1").text());
        assertEquals("shell", e.get("usr/bin/tinysh").text());
        assertEquals("tinysh", e.get("usr/bin/sh").link());
        assertEquals("usr/bin", e.get("bin").link());
        assertEquals("usr/lib", e.get("lib").link());
        assertEquals("usr/sbin", e.get("sbin").link());
        assertEquals(01777, e.get("tmp/").mode());
        assertTrue(e.containsKey("etc/passwd") && e.containsKey("etc/group") && e.containsKey("etc/hostname"));
        assertTrue(Files.isRegularFile(cache.resolve("libx_1.2_riscv64.deb")));

        // Same request again, from the cache: identical bytes.
        Path again = tmp.resolve("out/again.tar");
        server.stop(0);
        server = null;
        Run r2 = image("debian", "--mirror", "file://" + tmp.resolve("mirror"), "--cache", cache.toString(), "hello",
                "-o", again.toString());
        assertEquals(0, r2.status(), r2.err());
        assertTrue(Arrays.equals(Files.readAllBytes(out), Files.readAllBytes(again)));
    }

    @Test
    void checksumMismatchFailsWithoutOutput() throws IOException {
        String url = serveUnderPrefix(makeMirror(true));
        Path out = tmp.resolve("image.tar");
        Files.writeString(out, "previous image");
        Path cache = tmp.resolve("cache");
        Run r = image("debian", "--mirror", url, "--cache", cache.toString(), "hello", "-o", out.toString());
        assertEquals(1, r.status());
        String last = lastLine(r.err());
        assertTrue(last.startsWith("friscy image: checksum mismatch for pool/main/l/libx_1.2_riscv64.deb"), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        assertEquals("previous image", Files.readString(out), "output untouched");
        assertFalse(Files.exists(cache.resolve("libx_1.2_riscv64.deb")), "bad file not kept");
        try (Stream<Path> s = Files.list(cache)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".part")), "no temp files left");
        }
    }

    @Test
    void missingPackageIsOneLineError() throws IOException {
        Path mirror = makeMirror(false);
        Path out = tmp.resolve("image.tar");
        Run r = image("debian", "--mirror", mirror.toUri().toString(), "--cache", tmp.resolve("c").toString(),
                "hello", "no-such-pkg", "-o", out.toString());
        assertEquals(1, r.status());
        assertEquals("friscy image: package not found in the riscv64 index: no-such-pkg", lastLine(r.err()));
        assertFalse(Files.exists(out));
    }

    @Test
    void unknownArchitectureAndUsageErrors() throws IOException {
        Path mirror = makeMirror(false);
        Run r = image("debian", "--mirror", mirror.toUri().toString(), "--arch", "mips", "--cache",
                tmp.resolve("c").toString(), "hello", "-o", tmp.resolve("x.tar").toString());
        assertEquals(1, r.status());
        assertTrue(lastLine(r.err()).contains("has no architecture mips"), r.err());
        assertEquals(2, image("debian", "hello").status());
        assertEquals(2, image("debian", "-o", "x.tar").status());
        assertEquals(2, image("frobnicate").status());
    }
}
