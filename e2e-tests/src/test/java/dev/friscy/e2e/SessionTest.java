package dev.friscy.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Page;

import org.junit.jupiter.api.Test;

/** Whole-session behaviour: init exiting, a dropped local image, a guest that floods the terminal. */
class SessionTest {
    @Test
    void initExitingIsReportedWithItsStatus() {
        try (TerminalPage t = TerminalPage.boot("busybox")) {
            t.write("exit 7\n");
            t.page.waitForFunction("() => /exited with status 7/.test(window.__friscy.status)", null,
                    new Page.WaitForFunctionOptions().setTimeout(30_000));
            // xterm.js draws what it is given a frame or more later
            t.page.waitForFunction("() => document.querySelector('.xterm-rows').textContent.includes('init exited with status 7')",
                    null, new Page.WaitForFunctionOptions().setTimeout(30_000));
            // Restart boots a fresh system: the click starts it (the status no longer says exited,
            // the output is emptied) and the new shell's prompt is the boot's end.
            t.page.locator("#restart").click();
            t.page.waitForFunction("() => !/exited/.test(window.__friscy.status)");
            t.waitForPrompt(0, 60_000);
            assertEquals("1\n", t.run("echo $$", 30_000));
        }
    }

    @Test
    void aDroppedLocalImageBoots() {
        try (TerminalPage t = TerminalPage.boot("busybox")) {
            t.page.evaluate("""
                    async () => {
                      const bytes = await (await fetch('images/busybox.tar.gz')).arrayBuffer();
                      const dt = new DataTransfer();
                      dt.items.add(new File([bytes], 'my-root.tar.gz'));
                      document.dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));
                    }""");
            // the drop starts the boot at once (the output is emptied); its prompt is the boot's end
            t.page.waitForFunction("() => window.__friscy.status.includes('my-root.tar.gz')");
            t.waitForPrompt(0, 60_000);
            assertEquals("my-root.tar.gz", t.page.evaluate("() => window.__friscy.status"));
            assertEquals("dropped\n", t.run("echo dropped", 30_000));
        }
    }

    @Test
    void controlCStopsAGuestThatFloodsTheTerminal() {
        try (TerminalPage t = TerminalPage.boot("busybox")) {
            int mark = t.outputLength();
            t.write("yes flood\n");
            t.waitForOutput(mark, "(flood\\r?\\n){1000}", 30_000);
            t.page.waitForTimeout(1000);
            long t0 = System.nanoTime();
            t.write("\u0003");
            t.page.waitForFunction("() => /\\^C\\r?\\n[\\s\\S]*[#$] (?:\\x1b\\[[0-9;?]*[A-Za-z])*$/.test(window.__friscy.output.slice(-400))",
                    null, new Page.WaitForFunctionOptions().setTimeout(20_000).setPollingInterval(100));
            Benchmarks.report("^C to prompt while the guest floods the terminal (ms)",
                    Long.toString((System.nanoTime() - t0) / 1_000_000));
            assertEquals("calm\n", t.run("echo calm", 30_000));
        }
    }

    @Test
    void aForkBombIsContainedAndThePageStaysUsable() {
        try (TerminalPage t = TerminalPage.boot("busybox")) {
            int mark = t.outputLength();
            t.write("b(){ b | b & }; b\n");
            // The process table fills up (256 by default) and fork starts failing with EAGAIN.
            t.waitForOutput(mark, "can't fork: Resource temporarily unavailable", 60_000);
            int rows = t.page.locator("#process-rows tr").count();
            assertTrue(rows <= 256, "the panel shows at most the table's capacity: " + rows);
            t.write("kill -9 -1\n");
            t.page.waitForFunction("() => document.querySelectorAll('#process-rows tr').length === 1", null,
                    new Page.WaitForFunctionOptions().setTimeout(60_000));
            // The shell may still report the finished job ("[1]+ Done") around the next command.
            String out = t.run("echo alive", 30_000);
            assertTrue(out.startsWith("alive\n"), out);
        }
    }
}
