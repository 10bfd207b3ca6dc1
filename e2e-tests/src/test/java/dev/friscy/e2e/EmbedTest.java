package dev.friscy.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Frame;
import com.microsoft.playwright.Page;

import java.util.List;
import org.junit.jupiter.api.Test;

/** embed.html inside iframe-demo.html: the postMessage API and its origin allow-list. */
class EmbedTest {
    @Test
    void theDemoRunsACommandAndGetsOutputAndEvents() {
        try (BrowserContext ctx = Browser.chromium().newContext()) {
            Page page = ctx.newPage();
            page.navigate(Browser.baseUrl() + "iframe-demo.html");
            page.waitForFunction("() => window.__demo.ready", null, new Page.WaitForFunctionOptions().setTimeout(60_000));
            page.evaluate("() => window.__demoRun('echo from-parent-$((40+2)); /bin/sh -c true')");
            page.waitForFunction("() => /from-parent-42/.test(window.__demo.output)", null,
                    new Page.WaitForFunctionOptions().setTimeout(30_000));
            page.waitForFunction("() => window.__demo.events.some(e => e.type === 'reap')", null,
                    new Page.WaitForFunctionOptions().setTimeout(30_000));
            assertTrue(page.locator("#output").textContent().contains("from-parent-42"));
            assertTrue(page.locator("#events").textContent().contains("\"type\":\"exec\""));
        }
    }

    @Test
    void messagesFromAForeignOriginAreIgnored() {
        try (BrowserContext ctx = Browser.chromium().newContext()) {
            Page page = ctx.newPage();
            // The parent is http://localhost:PORT; the embed only allows http://127.0.0.1:PORT.
            String allowed = "http://127.0.0.1:" + Browser.port();
            page.navigate("http://localhost:" + Browser.port() + "/iframe-demo.html?allow=" + allowed);
            Frame embed = page.locator("#friscy").elementHandle().contentFrame();
            embed.waitForFunction("() => window.__friscyEmbed && window.__friscyEmbed.session !== null", null,
                    new Frame.WaitForFunctionOptions().setTimeout(60_000));
            embed.waitForFunction("re => new RegExp(re).test(window.__friscyEmbed.output)", TerminalPage.PROMPT,
                    new Frame.WaitForFunctionOptions().setTimeout(60_000));
            page.evaluate("() => window.__demoRun('echo should-not-run')");
            embed.waitForFunction("() => window.__friscyIgnored.length > 0", null,
                    new Frame.WaitForFunctionOptions().setTimeout(10_000));
            assertEquals("http://localhost:" + Browser.port(), embed.evaluate("() => window.__friscyIgnored[0].origin"));
            page.waitForTimeout(1500);
            assertTrue(!((String) embed.evaluate("() => window.__friscyEmbed.output")).contains("should-not-run"));
            // Nor does the embed talk to a parent it does not trust.
            assertEquals(false, page.evaluate("() => window.__demo.ready"));
            assertEquals("", page.evaluate("() => window.__demo.output"));
            assertEquals(List.of(), page.evaluate("() => window.__demo.events"));
        }
    }
}
