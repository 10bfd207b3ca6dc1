package dev.friscy.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The page's watchdog over the Worker. No system call is known to hang the kernel any more, so
 * the stall is made by a test Worker: the real worker.js, loaded by a wrapper (served only in
 * this test) that blocks its thread for 8 s when it sees the stdin bytes "\u0001STALL" — what
 * a kernel stuck in one slice looks like from the page. The session must report the stall
 * (onStall) and then the recovery; a Restart must give a working shell again; the embed must
 * tell its parent (friscy:stalled).
 */
class WatchdogTest {
    static final String STALL_WORKER = """
            importScripts('worker.js');
            const realOnMessage = self.onmessage;
            self.onmessage = (ev) => {
              const m = ev.data;
              if (m && m.type === 'stdin' && m.data && m.data.length === 6 && m.data[0] === 1 && m.data[1] === 83) {
                const end = Date.now() + 8000;
                while (Date.now() < end) { /* a stuck slice */ }
                return;
              }
              realOnMessage(ev);
            };
            """;

    private static void serveStallWorker(BrowserContext ctx) {
        ctx.route("**/stall-worker.js", (Route r) -> r.fulfill(new Route.FulfillOptions()
                .setStatus(200).setContentType("text/javascript")
                .setBodyBytes(STALL_WORKER.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aStuckWorkerIsReportedAndRestartWorks() {
        try (BrowserContext ctx = Browser.chromium().newContext()) {
            serveStallWorker(ctx);
            Page page = ctx.newPage();
            page.navigate(Browser.baseUrl() + "iframe-demo.html");
            page.addScriptTag(new Page.AddScriptTagOptions().setUrl(Browser.baseUrl() + "friscy.js"));
            Map<String, Object> r = (Map<String, Object>) page.evaluate("""
                    async () => {
                      const log = [];
                      const s = await Friscy.boot({image: 'busybox', argv: ['/bin/sh'], cwd: '/',
                                                   workerUrl: 'stall-worker.js', stallMs: 2500});
                      const stall = new Promise((res) => s.onStall((i) => { log.push('stall ' + i.ms); res(); }));
                      const recover = new Promise((res) => s.onRecover(() => { log.push('recover'); res(); }));
                      let out = '';
                      s.onOutput((b) => { out += new TextDecoder().decode(b); });
                      s.write(new Uint8Array([1, 83, 84, 65, 76, 76]));
                      await stall;
                      const stalledFlag = s.stalled;
                      await recover;
                      s.terminate();
                      // a restart: a new session on the same page works
                      const s2 = await Friscy.boot({image: 'busybox', argv: ['/bin/sh', '-c', 'echo restarted-ok'], cwd: '/'});
                      let out2 = '';
                      s2.onOutput((b) => { out2 += new TextDecoder().decode(b); });
                      const status = await s2.exited;
                      return {log: log.join(','), stalledFlag, out2, status};
                    }""");
            String log = (String) r.get("log");
            assertTrue(log.startsWith("stall ") && log.endsWith(",recover"), log);
            assertEquals(Boolean.TRUE, r.get("stalledFlag"));
            assertTrue(((String) r.get("out2")).contains("restarted-ok"), r.toString());
            assertEquals(0, ((Number) r.get("status")).intValue());
        }
    }
}
