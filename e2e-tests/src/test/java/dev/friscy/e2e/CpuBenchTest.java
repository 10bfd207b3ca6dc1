package dev.friscy.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Wasm build computes what real hardware computes: guest/bench/cpubench (integer, memory and
 * double-precision work, ending in a checksum) runs as init in the browser, and its checksum must
 * equal qemu-riscv64's. Its run time is reported.
 */
class CpuBenchTest {
    private static final String ROUNDS = "3";

    @TempDir
    Path tmp;

    /** With the translator (the default) and with the interpreter only: both must match qemu. */
    @ParameterizedTest(name = "jit {0}")
    @ValueSource(booleans = {true, false})
    @SuppressWarnings("unchecked")
    void cpubenchInTheBrowserMatchesQemu(boolean jit) throws Exception {
        Path bench = tmp.resolve("cpubench");
        Path source = Path.of("..", "guest", "bench", "cpubench.c");
        exec(List.of("riscv64-linux-gnu-gcc", "-static", "-O2", "-o", bench.toString(), source.toString()));
        String expected = exec(List.of("qemu-riscv64-static", bench.toString(), ROUNDS));
        assertTrue(expected.startsWith("checksum "), expected);

        byte[] tar = singleFileTar("cpubench", Files.readAllBytes(bench));
        try (BrowserContext ctx = Browser.chromium().newContext()) {
            Page page = ctx.newPage();
            page.route("**/cpubench.tar", (Route r) -> r.fulfill(new Route.FulfillOptions()
                    .setStatus(200).setContentType("application/x-tar").setBodyBytes(tar)));
            page.navigate(Browser.baseUrl() + "embed.html"); // any page that loads friscy.js
            Map<String, Object> result = (Map<String, Object>) page.evaluate("""
                    async ([rounds, jit]) => {
                      let out = '';
                      const s = await Friscy.boot({image: 'cpubench.tar', argv: ['/cpubench', rounds], cwd: '/', jit});
                      const t0 = performance.now();
                      s.onOutput((b) => { out += new TextDecoder().decode(b); });
                      const status = await s.exited;
                      return {ms: performance.now() - t0, status, out};
                    }""", List.of(ROUNDS, jit));
            assertEquals(0, ((Number) result.get("status")).intValue(), result.toString());
            assertEquals(expected.trim(), ((String) result.get("out")).replace("\r", "").trim());
            Benchmarks.report("cpubench " + ROUNDS + " rounds in the browser, translator " + (jit ? "on" : "off") + " (ms)",
                    Long.toString(((Number) result.get("ms")).longValue()));
        }
    }

    /** Runs {@code cmd}, expects exit status 0 within 120 s, and returns its output (stdout and stderr). */
    static String exec(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timed out: " + cmd);
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), cmd + ": " + text);
        return text;
    }

    /** A ustar archive holding one executable file at the root. */
    static byte[] singleFileTar(String name, byte[] data) {
        byte[] h = new byte[512];
        put(h, 0, name);
        put(h, 100, "0000755");
        put(h, 108, "0000000");
        put(h, 116, "0000000");
        put(h, 124, String.format("%011o", data.length));
        put(h, 136, "00000000000");
        h[156] = '0';
        put(h, 257, "ustar");
        put(h, 263, "00");
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        int sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, String.format("%06o", sum));
        h[154] = 0;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(h);
        out.writeBytes(data);
        out.writeBytes(new byte[(512 - data.length % 512) % 512]);
        out.writeBytes(new byte[1024]);
        return out.toByteArray();
    }

    private static void put(byte[] h, int at, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, at, b.length);
    }
}
