package dev.friscy.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;


import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** BusyBox sh in the terminal page: one booted page shared by the tests of this class. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShellTest {
    private TerminalPage t;

    @BeforeAll
    void boot() {
        t = TerminalPage.boot("busybox");
    }

    @AfterAll
    void close() {
        if (t != null) {
            t.close();
        }
    }

    @Test
    void promptAppearsAndKeyboardInputReachesTheShell() {
        long t0 = System.nanoTime();
        try (TerminalPage fresh = new TerminalPage("?image=busybox")) {
            fresh.waitForPrompt(0, 60_000);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            Benchmarks.report("page load to first prompt, busybox (ms)", Long.toString(ms));
            Benchmarks.report("total transfer to first prompt, busybox (bytes)", Long.toString(fresh.transferred.get()));
            Benchmarks.report("busybox boot steps in the worker", String.valueOf(
                    fresh.page.evaluate("() => JSON.stringify(window.__friscy.session.bootTimings)")));

            // Real key presses into xterm.js, not the session API.
            int mark = fresh.outputLength();
            fresh.page.locator(".xterm-helper-textarea").focus();
            fresh.page.keyboard().type("echo typed-$((6*7))");
            fresh.page.keyboard().press("Enter");
            fresh.waitForOutput(mark, "typed-42\\r?\\n[\\s\\S]*" + TerminalPage.PROMPT, 30_000);
        }
    }

    @Test
    void pipeBetweenTwoProcesses() {
        assertEquals("hi\n", t.run("printf hi | cat; echo", 30_000));
    }

    @Test
    void childShellWritesAFileTheParentReads() {
        assertEquals("x\n", t.run("/bin/sh -c 'echo x > /tmp/a'; cat /tmp/a", 30_000));
    }

    @Test
    void shellPidAndChildPpidAgree() {
        String out = t.run("echo pid=$$; /bin/sh -c 'echo ppid=$PPID'", 30_000);
        String pid = TerminalPage.firstGroup("pid=(\\d+)", out);
        String ppid = TerminalPage.firstGroup("ppid=(\\d+)", out);
        assertNotNull(pid, out);
        assertEquals(pid, ppid, out);
    }

    @Test
    @SuppressWarnings("unchecked")
    void processEventsOfACommandAreConsistent() {
        int shell = Integer.parseInt(t.run("echo $$", 30_000).trim());
        int before = ((Number) t.page.evaluate("() => window.__friscyProcessEvents.length")).intValue();
        t.run("/bin/sh -c 'exit 3'", 30_000);
        t.page.waitForFunction("([n]) => window.__friscyProcessEvents.slice(n).some(e => e.type === 'reap')",
                List.of(before));
        List<Map<String, Object>> events = (List<Map<String, Object>>) t.page.evaluate(
                "n => window.__friscyProcessEvents.slice(n)", before);

        Map<String, Object> spawn = find(events, "spawn", "ppid", shell);
        int child = num(spawn, "pid");
        assertTrue(child != shell, events.toString());
        Map<String, Object> exec = find(events, "exec", "pid", child);
        assertTrue(String.valueOf(exec.get("path")).endsWith("sh"), exec.toString());
        Map<String, Object> exit = find(events, "exit", "pid", child);
        assertEquals(3 << 8, num(exit, "status"), exit.toString());
        assertEquals(shell, num(exit, "ppid"), exit.toString());
        Map<String, Object> wake = find(events, "wait_wakeup", "child", child);
        assertEquals(shell, num(wake, "pid"), wake.toString());
        assertEquals(3 << 8, num(wake, "status"), wake.toString());
        Map<String, Object> reap = find(events, "reap", "pid", child);
        assertEquals(shell, num(reap, "by"), reap.toString());

        List<Map<String, Object>> order = List.of(spawn, exec, exit, wake, reap);
        for (int i = 1; i < order.size(); i++) {
            assertTrue(num(order.get(i - 1), "seq") < num(order.get(i), "seq"), "in order: " + order);
        }
        long lastSeq = -1;
        for (Map<String, Object> e : events) {
            assertTrue(num(e, "seq") > lastSeq, "seq increases: " + events);
            lastSeq = num(e, "seq");
        }
        // The process panel showed the shell and drops the reaped child.
        assertTrue(t.page.locator("#process-rows tr[data-pid='" + shell + "']").count() == 1);
        assertEquals(0, t.page.locator("#process-rows tr[data-pid='" + child + "']").count());
    }

    @Test
    void controlCInterruptsSleepAndThePromptReturns() {
        int shell = Integer.parseInt(t.run("echo $$", 30_000).trim());
        int before = ((Number) t.page.evaluate("() => window.__friscyProcessEvents.length")).intValue();
        int mark = t.outputLength();
        t.write("sleep 100\n");
        try {
            // busybox runs the applet in a forked child (it may re-exec itself via /proc/self/exe).
            t.page.waitForFunction("([n, sh]) => window.__friscyProcessEvents.slice(n).some(e => e.type === 'spawn' && e.ppid === sh)",
                    List.of(before, shell), new com.microsoft.playwright.Page.WaitForFunctionOptions().setTimeout(30_000));
            t.page.waitForTimeout(300); // let it reach its nanosleep
        } finally {
            t.write("\u0003");
        }
        long t0 = System.nanoTime();
        t.waitForPrompt(mark + "sleep 100".length(), 10_000);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < 10_000, "interrupted quickly: " + ms + " ms");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> events = (List<Map<String, Object>>) t.page.evaluate(
                "n => window.__friscyProcessEvents.slice(n)", before);
        Map<String, Object> spawn = find(events, "spawn", "ppid", shell);
        Map<String, Object> exit = find(events, "exit", "pid", num(spawn, "pid"));
        assertEquals(2, num(exit, "status") & 0x7f, "sleep died of SIGINT: " + exit);
        assertEquals("still here\n", t.run("echo still here", 30_000));
    }

    @Test
    void terminalResizeReachesStty() {
        try {
            t.page.setViewportSize(700, 420);
            t.page.waitForFunction("() => window.__friscy.session.cols < 80");
            settledSize();
            int cols = ((Number) t.page.evaluate("() => window.__friscy.session.cols")).intValue();
            int rows = ((Number) t.page.evaluate("() => window.__friscy.session.rows")).intValue();
            assertEquals(rows + " " + cols + "\n", t.run("stty size", 30_000));
            t.page.setViewportSize(1100, 700);
            t.page.waitForFunction("([c]) => window.__friscy.session.cols !== c", List.of(cols));
            settledSize();
            int cols2 = ((Number) t.page.evaluate("() => window.__friscy.session.cols")).intValue();
            int rows2 = ((Number) t.page.evaluate("() => window.__friscy.session.rows")).intValue();
            assertTrue(cols2 > cols && rows2 > rows, cols2 + "x" + rows2);
            assertEquals(rows2 + " " + cols2 + "\n", t.run("stty size", 30_000));
        } finally {
            t.page.setViewportSize(1100, 700);
        }
    }

    /**
     * Waits until the terminal's size has stayed the same for half a second: a viewport change
     * lays the page out more than once (the toolbar wraps, the panel reflows), and each layout
     * fits the terminal again.
     */
    private void settledSize() {
        String last = "";
        int same = 0;
        for (int i = 0; i < 100 && same < 5; i++) {
            String now = String.valueOf(t.page.evaluate("() => window.__friscy.session.cols + 'x' + window.__friscy.session.rows"));
            same = now.equals(last) ? same + 1 : 0;
            last = now;
            t.page.waitForTimeout(100);
        }
    }

    @Test
    void terminalResizeSendsSigwinchToTheForegroundGroup() {
        int mark = t.outputLength();
        t.write("sh -c 'trap \"echo got-winch; exit 0\" WINCH; echo armed; while :; do sleep 0.2; done'\n");
        try {
            t.waitForOutput(mark, "armed\\r?\\n", 30_000);
            t.page.setViewportSize(900, 500);
            t.waitForOutput(mark, "got-winch\\r?\\n[\\s\\S]*" + TerminalPage.PROMPT, 30_000);
        } finally {
            t.page.setViewportSize(1100, 700);
        }
    }

    @Test
    void benchmarkShellWhileLoop() {
        long t0 = System.nanoTime();
        String out = t.run("i=0; while [ $i -lt 100000 ]; do i=$((i+1)); done; echo done=$i", 180_000);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals("done=100000\n", out);
        Benchmarks.report("busybox sh while-loop, 100000 iterations (ms)", Long.toString(ms));
    }

    private static int num(Map<String, Object> e, String key) {
        Object v = e.get(key);
        assertNotNull(v, "field " + key + " in " + e);
        return ((Number) v).intValue();
    }

    private static Map<String, Object> find(List<Map<String, Object>> events, String type, String key, int value) {
        List<Map<String, Object>> hits = new ArrayList<>();
        for (Map<String, Object> e : events) {
            if (type.equals(e.get("type")) && e.get(key) instanceof Number n && n.intValue() == value) {
                hits.add(e);
            }
        }
        assertEquals(1, hits.size(), "exactly one " + type + " with " + key + "=" + value + " in " + events);
        return hits.get(0);
    }
}
