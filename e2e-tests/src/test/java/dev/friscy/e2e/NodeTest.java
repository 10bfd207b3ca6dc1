package dev.friscy.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Debian's node (v20, riscv64, JIT included) in the browser, started by dash: its output, its
 * pid and ppid against the shell's, and the process events for it.
 */
class NodeTest {
    @Test
    @SuppressWarnings("unchecked")
    void nodeRunsUnderTheShellWithConsistentPidsAndEvents() {
        try (BrowserContext ctx = Browser.chromium().newContext()) {
            Page page = ctx.newPage();
            page.navigate(Browser.baseUrl() + "embed.html"); // any page that loads friscy.js
            long t0 = System.nanoTime();
            Map<String, Object> r = (Map<String, Object>) page.evaluate("""
                    async () => {
                      let out = '';
                      const events = [];
                      const s = await Friscy.boot({image: 'nodejs', cwd: '/', env: Friscy.defaultEnv.concat(['NODE_DISABLE_COLORS=1']), argv: ['/bin/sh', '-c',
                          'echo $$; node -e "console.log(6*7, process.version); console.log(process.pid, process.ppid)"; echo end']});
                      s.onOutput((b) => { out += new TextDecoder().decode(b); });
                      s.onProcessEvents((e) => events.push(...e));
                      const status = await Promise.race([s.exited,
                          new Promise((resolve) => setTimeout(() => resolve('timeout'), 240000))]);
                      return {status, out, events};
                    }""");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            String out = ((String) r.get("out")).replace("\r", "");
            assertEquals(0, ((Number) r.get("status")).intValue(), r.toString());
            String[] lines = out.split("\n");
            assertEquals(4, lines.length, out);
            int shell = Integer.parseInt(lines[0]);
            assertTrue(lines[1].matches("42 v20\\.\\d+\\.\\d+"), out);
            String[] ids = lines[2].split(" ");
            int pid = Integer.parseInt(ids[0]);
            assertNotEquals(shell, pid, out);
            assertEquals(shell, Integer.parseInt(ids[1]), "node's ppid is the shell: " + out);
            assertEquals("end", lines[3], out);

            List<Map<String, Object>> events = (List<Map<String, Object>>) r.get("events");
            assertTrue(has(events, "spawn", pid, "ppid", shell), events.toString());
            assertTrue(has(events, "exec", pid, "path", "/usr/bin/node"), events.toString());
            assertTrue(has(events, "exit", pid, "status", 0), events.toString());
            assertTrue(has(events, "reap", pid, "by", shell), events.toString());
            Benchmarks.report("node -e under dash in the browser, boot to exit (ms)", Long.toString(ms));
        }
    }

    private static boolean has(List<Map<String, Object>> events, String type, int pid, String key, Object value) {
        for (Map<String, Object> e : events) {
            if (type.equals(e.get("type")) && e.get("pid") instanceof Number n && n.intValue() == pid) {
                Object v = e.get(key);
                if (v instanceof Number num && value instanceof Integer i ? num.intValue() == i : value.equals(v)) {
                    return true;
                }
            }
        }
        return false;
    }
}
