package dev.friscy.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Debian's python3 from the site's own image, in the page, with the translator on and off: a
 * script through the standard library's process, thread, pipe, signal, socket and compression
 * code (subprocess spawns through glibc's clone3 path, multiprocessing forks workers), its output
 * compared with the same image's python3 under qemu-riscv64-static.
 */
class PythonTest {
    /** The script (shared with scripts/browser-bench's "pylib" case). */
    static final Path SCRIPT_FILE = Path.of("../guest/bench/pystdlib.py");

    private static String script;

    /** The script's output from the image's python3 under qemu: the reference for both modes. */
    private static String expected;

    @BeforeAll
    static void runUnderQemu(@TempDir Path dir) throws Exception {
        script = Files.readString(SCRIPT_FILE);
        Path root = dir.resolve("root");
        Files.createDirectories(root);
        CpuBenchTest.exec(List.of("tar", "-xzf", Browser.site().resolve("images/python.tar.gz").toString(),
                "-C", root.toString()));
        expected = CpuBenchTest.exec(List.of("qemu-riscv64-static", "-L", root.toString(),
                root.resolve("usr/bin/python3").toString(), "-c", script));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    @SuppressWarnings("unchecked")
    void standardLibraryScriptMatchesQemu(boolean jit) {

        try (BrowserContext ctx = Browser.chromium().newContext()) {
            Page page = ctx.newPage();
            page.navigate(Browser.baseUrl() + "embed.html"); // any page that loads friscy.js
            long t0 = System.nanoTime();
            Map<String, Object> r = (Map<String, Object>) page.evaluate("""
                    async ([script, jit]) => {
                      let out = '';
                      const s = await Friscy.boot({image: 'python', cwd: '/', jit,
                          argv: ['/usr/bin/python3', '-c', script]});
                      s.onOutput((b) => { out += new TextDecoder().decode(b); });
                      const status = await Promise.race([s.exited,
                          new Promise((resolve) => setTimeout(() => resolve('timeout'), 240000))]);
                      return {status, out};
                    }""", List.of(script, jit));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(0, r.get("status") instanceof Number n ? n.intValue() : -1, r.toString());
            assertEquals(expected, ((String) r.get("out")).replace("\r", ""));
            Benchmarks.report("python3 standard-library script in the browser, boot to exit, translator "
                    + (jit ? "on" : "off") + " (ms)", Long.toString(ms));
        }
    }
}
