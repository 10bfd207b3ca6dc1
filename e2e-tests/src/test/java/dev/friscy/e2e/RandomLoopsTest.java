package dev.friscy.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;
import dev.friscy.cpu.RandomPrograms;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Random programs that loop (RandomPrograms.loopProgram: nested loops of random integer,
 * memory, atomic and branchy code, calls to functions on another page) run in the page as on
 * qemu-riscv64: the Worker's translator gets back-edges, loops of several blocks, exits written in
 * place, access groups, chained calls and returns through the pc cache, all with registers live
 * across them. Each seed runs translated at first sight, with the default policy and interpreted
 * only; the printed buffer and registers must equal qemu's.
 */
class RandomLoopsTest {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "seed {0}, jit {1}, threshold {2}")
    @CsvSource({"31, true, 0", "31, true, -1", "31, false, -1", "32, true, 0", "32, true, -1", "33, true, 0"})
    @SuppressWarnings("unchecked")
    void loopsMatchQemu(long seed, boolean jit, int threshold) throws Exception {
        Path source = tmp.resolve("loops.S");
        Path prog = tmp.resolve("loops");
        Files.writeString(source, RandomPrograms.loopProgram(seed, 3000, 16));
        CpuBenchTest.exec(List.of("riscv64-linux-gnu-gcc", "-static", "-nostdlib", "-march=rv64gc_zba_zbb",
                "-o", prog.toString(), source.toString()));
        String expected = CpuBenchTest.exec(List.of("qemu-riscv64-static", prog.toString()));
        assertEquals(2 * (8192 + 256) + 1, expected.length());

        byte[] tar = CpuBenchTest.singleFileTar("loops", Files.readAllBytes(prog));
        try (BrowserContext ctx = Browser.chromium().newContext()) {
            Page page = ctx.newPage();
            page.route("**/loops.tar", (Route r) -> r.fulfill(new Route.FulfillOptions()
                    .setStatus(200).setContentType("application/x-tar").setBodyBytes(tar)));
            page.navigate(Browser.baseUrl() + "embed.html"); // any page that loads friscy.js
            Map<String, Object> result = (Map<String, Object>) page.evaluate("""
                    async ([jit, threshold]) => {
                      let out = '';
                      const options = {image: 'loops.tar', argv: ['/loops'], cwd: '/', jit};
                      if (threshold >= 0) options.jitThreshold = threshold;
                      const s = await Friscy.boot(options);
                      s.onOutput((b) => { out += new TextDecoder().decode(b); });
                      // a translator bug may loop forever: fail, do not hang
                      const limit = new Promise((done) => setTimeout(() => done('no exit within 120 s'), 120000));
                      const status = await Promise.race([s.exited, limit]);
                      return {status, out};
                    }""", List.of(jit, threshold));
            assertEquals(0, result.get("status") instanceof Number n ? n.intValue() : -1,
                    "seed " + seed + ": " + result.get("status"));
            String got = ((String) result.get("out")).replace("\r", "");
            assertEquals(expected.length(), got.length(), "seed " + seed + ": output length");
            for (int i = 1; i < 32; i++) {
                int at = 2 * (8192 + i * 8);
                assertEquals(expected.substring(at, at + 16), got.substring(at, at + 16),
                        "x" + i + " (little-endian hex, seed " + seed + ")");
            }
            RandomPrograms.assertSameHex(expected, got, "scratch buffer (seed " + seed + ")");
        }
    }
}
