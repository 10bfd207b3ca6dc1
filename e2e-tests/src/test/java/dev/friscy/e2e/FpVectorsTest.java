package dev.friscy.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * F and D in the Worker's translated code: guest/fpu/fpvectors' quick set (every F/D instruction,
 * every rounding mode, results and fflags; 95k vectors) runs in the browser with everything
 * translated at first sight ({@code jitThreshold: 0}), and must print what qemu-riscv64 prints.
 * The vectors clear fflags before each instruction, so this checks the exact path and the inline
 * moves, compares and conversions; cpubench ({@link CpuBenchTest}) checks the host-result paths.
 */
class FpVectorsTest {
    @TempDir
    Path tmp;

    @Test
    @SuppressWarnings("unchecked")
    void translatedFpMatchesQemu() throws Exception {
        Path prog = tmp.resolve("fpvectors");
        exec(List.of("riscv64-linux-gnu-gcc", "-static", "-O2", "-o", prog.toString(),
                Path.of("..", "guest", "fpu", "fpvectors.c").toString()));
        String expected = exec(List.of("qemu-riscv64-static", prog.toString(), "quick"));
        assertTrue(expected.length() > 1_000_000, "qemu printed the vectors");

        byte[] tar = CpuBenchTest.singleFileTar("fpvectors", Files.readAllBytes(prog));
        try (BrowserContext ctx = Browser.chromium().newContext()) {
            Page page = ctx.newPage();
            page.route("**/fpvectors.tar", (Route r) -> r.fulfill(new Route.FulfillOptions()
                    .setStatus(200).setContentType("application/x-tar").setBodyBytes(tar)));
            page.navigate(Browser.baseUrl() + "embed.html"); // any page that loads friscy.js
            Map<String, Object> result = (Map<String, Object>) page.evaluate("""
                    async () => {
                      const parts = [];
                      const s = await Friscy.boot({image: 'fpvectors.tar', argv: ['/fpvectors', 'quick'], cwd: '/',
                        jit: true, jitThreshold: 0});
                      s.onOutput((b) => { parts.push(new TextDecoder().decode(b)); });
                      const status = await s.exited;
                      return {status, out: parts.join('')};
                    }""");
            assertEquals(0, ((Number) result.get("status")).intValue());
            // the count fpvectors writes to stderr lands anywhere in qemu's merged output
            String count = "fpvectors: \\d+ lines\n";
            String got = ((String) result.get("out")).replace("\r", "").replaceAll(count, "");
            String[] want = expected.replaceAll(count, "").split("\n");
            String[] have = got.split("\n");
            for (int i = 0; i < Math.min(want.length, have.length); i++) {
                assertEquals(want[i], have[i], "vector " + i);
            }
            assertEquals(want.length, have.length, "vectors printed");
        }
    }

    /**
     * guest/fpu/fploop: F and D in long straight runs inside loops, fflags left to accumulate (so
     * the host-result paths run) and then cleared, over zeros, subnormals, huge values,
     * infinities and NaNs (so the exact path runs inside the same regions).
     */
    @Test
    @SuppressWarnings("unchecked")
    void translatedFpLoopMatchesQemu() throws Exception {
        Path prog = tmp.resolve("fploop");
        exec(List.of("riscv64-linux-gnu-gcc", "-static", "-O2", "-o", prog.toString(),
                Path.of("..", "guest", "fpu", "fploop.c").toString(), "-lm"));
        String expected = exec(List.of("qemu-riscv64-static", prog.toString()));
        assertTrue(expected.startsWith("pass 0 hash "), expected);

        byte[] tar = CpuBenchTest.singleFileTar("fploop", Files.readAllBytes(prog));
        try (BrowserContext ctx = Browser.chromium().newContext()) {
            Page page = ctx.newPage();
            page.route("**/fploop.tar", (Route r) -> r.fulfill(new Route.FulfillOptions()
                    .setStatus(200).setContentType("application/x-tar").setBodyBytes(tar)));
            page.navigate(Browser.baseUrl() + "embed.html");
            Map<String, Object> result = (Map<String, Object>) page.evaluate("""
                    async () => {
                      let out = '';
                      const s = await Friscy.boot({image: 'fploop.tar', argv: ['/fploop'], cwd: '/',
                        jit: true, jitThreshold: 0});
                      s.onOutput((b) => { out += new TextDecoder().decode(b); });
                      const status = await s.exited;
                      return {status, out};
                    }""");
            assertEquals(0, ((Number) result.get("status")).intValue());
            assertEquals(expected.trim(), ((String) result.get("out")).replace("\r", "").trim());
        }
    }

    private static String exec(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = p.getInputStream()) {
            in.transferTo(out);
        }
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "timed out: " + cmd);
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), cmd + ": " + text.substring(0, Math.min(text.length(), 2000)));
        return text;
    }
}
