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
            // a guest's web server: the parent is told its port and preview URL, and can fetch it
            page.evaluate("() => window.__demoRun('mkdir -p /w && echo served-in-embed > /w/index.html && httpd -p 8000 -h /w')");
            page.waitForFunction("() => window.__demo.ports.some(p => p.port === 8000 && /\\/preview\\/8000\\/$/.test(p.url))",
                    null, new Page.WaitForFunctionOptions().setTimeout(30_000));
            page.waitForFunction("() => navigator.serviceWorker.controller !== null", null,
                    new Page.WaitForFunctionOptions().setTimeout(30_000));
            assertEquals("served-in-embed\n", page.evaluate(
                    "async () => (await fetch(window.__demo.ports.find(p => p.port === 8000).url)).text()"));
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

    /** The embed takes the page's link parameters: ?cmd= types the command, ?persist=1 keeps files. */
    @Test
    void theEmbedRunsCmdAndKeepsFilesWhenAskedTo() {
        try (BrowserContext ctx = Browser.chromium().newContext()) {
            Page page = ctx.newPage();
            String cmd = java.net.URLEncoder.encode("echo embed-$((40+2)) > /root/e; sync; cat /root/e",
                    java.nio.charset.StandardCharsets.UTF_8);
            page.navigate(Browser.baseUrl() + "embed.html?image=busybox&persist=1&cmd=" + cmd);
            page.waitForFunction("() => window.__friscyEmbed && /embed-42\\r?\\n/.test(window.__friscyEmbed.output)", null,
                    new Page.WaitForFunctionOptions().setTimeout(60_000));
            page.waitForFunction("() => window.__friscyEmbed.persist && window.__friscyEmbed.persist.state === 'saved'",
                    null, new Page.WaitForFunctionOptions().setTimeout(30_000));
            page.navigate(Browser.baseUrl() + "embed.html?image=busybox&persist=1&cmd=cat%20/root/e");
            page.waitForFunction("() => window.__friscyEmbed && /cat \\/root\\/e\\r?\\nembed-42\\r?\\n/.test(window.__friscyEmbed.output)",
                    null, new Page.WaitForFunctionOptions().setTimeout(60_000));
            // without persist=1 the embed starts from the image
            page.navigate(Browser.baseUrl() + "embed.html?image=busybox&cmd=cat%20/root/e");
            page.waitForFunction("() => window.__friscyEmbed && /No such file/.test(window.__friscyEmbed.output)",
                    null, new Page.WaitForFunctionOptions().setTimeout(60_000));
        }
    }
}
