package dev.friscy.e2e;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Runs one guest program in the page, from a single-file image (CpuBenchTest.singleFileTar), in a
 * fresh browser context: translator on or off, at a threshold or the page's default.
 */
final class PageProgram {
    private PageProgram() {
    }

    /** A C program built for the guest, as a single-file image, and its output under qemu-riscv64 (the reference). */
    record Built(String name, byte[] tar, String expected) {
    }

    /** Builds {@code source} (static, -O2) into {@code dir} and runs it under qemu-riscv64-static. */
    static Built build(Path source, Path dir) throws Exception {
        String name = source.getFileName().toString().replaceFirst("\\.c$", "");
        Path prog = dir.resolve(name);
        CpuBenchTest.exec(List.of("riscv64-linux-gnu-gcc", "-static", "-O2", "-o", prog.toString(), source.toString()));
        String expected = CpuBenchTest.exec(List.of("qemu-riscv64-static", prog.toString()));
        return new Built(name, CpuBenchTest.singleFileTar(name, Files.readAllBytes(prog)), expected);
    }

    /** {@link #run(String, byte[], boolean, int)} for a program {@link #build} made. */
    static Result run(Built program, boolean jit, int threshold) {
        return run(program.name(), program.tar(), jit, threshold);
    }

    /**
     * How the run ended: the exit status (null if the guest did not exit within 120 s or the
     * emulator stopped), its output and the page's error reports (the emulator stopping among them).
     */
    record Result(Integer status, String out, String errors) {
    }

    /**
     * Boots {@code /name} from {@code tar} (threshold -1: the page's default) and waits for its
     * exit, at most 120 s: a translator bug may loop forever, and the test must fail, not hang. An
     * emulator that stops (a trap in the Worker) ends the wait at once with its message. The
     * terminal's carriage returns are taken out of the output.
     */
    @SuppressWarnings("unchecked")
    static Result run(String name, byte[] tar, boolean jit, int threshold) {
        try (BrowserContext ctx = Browser.chromium().newContext()) {
            Page page = ctx.newPage();
            page.route("**/" + name + ".tar", (Route r) -> r.fulfill(new Route.FulfillOptions()
                    .setStatus(200).setContentType("application/x-tar").setBodyBytes(tar)));
            page.navigate(Browser.baseUrl() + "embed.html"); // any page that loads friscy.js
            Map<String, Object> result = (Map<String, Object>) page.evaluate("""
                    async ([name, jit, threshold]) => {
                      let out = '';
                      let errors = '';
                      let stopped;
                      const stop = new Promise((done) => { stopped = done; });
                      const options = {image: name + '.tar', argv: ['/' + name], cwd: '/', jit};
                      if (threshold >= 0) options.jitThreshold = threshold;
                      const s = await Friscy.boot(options);
                      s.onOutput((b) => { out += new TextDecoder().decode(b); });
                      s.onError((e) => {
                        errors += (e && e.message ? e.message : String(e)) + '\\n';
                        if (/emulator (crashed|stopped)/.test(errors)) stopped(null);
                      });
                      const limit = new Promise((done) => setTimeout(() => done(null), 120000));
                      const status = await Promise.race([s.exited, limit, stop]);
                      return {status, out, errors};
                    }""", List.of(name, jit, threshold));
            Object status = result.get("status");
            return new Result(status instanceof Number n ? n.intValue() : null,
                    ((String) result.get("out")).replace("\r", ""), (String) result.get("errors"));
        }
    }
}
