package dev.friscy.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.WaitForSelectorState;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The preview of guest web servers: the terminal page offers "open port N" while a guest
 * listens, and preview/N/... reaches that server through the service worker, the page and the
 * Worker, as a connection into the guest's loopback.
 */
class PreviewTest {
    /** fetch(url, init) in the page: {status, type, text | error, sha256 of the body}. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> fetch(Page page, String url, String method, String body) {
        return (Map<String, Object>) page.evaluate("""
                async ([url, method, body]) => {
                  const r = await fetch(url, {method, body: body === null ? undefined : body});
                  const out = {status: r.status, type: r.headers.get('content-type'), preview: r.headers.get('x-friscy-preview')};
                  try {
                    const bytes = new Uint8Array(await r.arrayBuffer());
                    out.length = bytes.length;
                    out.text = bytes.length < 4096 ? new TextDecoder().decode(bytes) : null;
                    out.sha256 = Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)))
                        .map((b) => b.toString(16).padStart(2, '0')).join('');
                  } catch (e) {
                    out.error = String(e);
                  }
                  return out;
                }""", java.util.Arrays.asList(url, method, body));
    }

    /** Median milliseconds of sequential fetches of url (status and body), after one to warm up. */
    static String median(Page page, String url) {
        Number ms = (Number) page.evaluate(JS_MEDIAN, url);
        return String.format("%.1f", ms.doubleValue());
    }

    private static final String JS_MEDIAN = "async (url) => { const times = [];"
            + " for (let i = 0; i < 12; i++) { const t0 = performance.now(); await (await fetch(url)).text();"
            + " if (i > 0) times.push(performance.now() - t0); }"
            + " times.sort((a, b) => a - b); return times[times.length >> 1]; }";

    @Test
    void busyboxHttpdIsOpenedThroughThePreview() {
        try (TerminalPage t = new TerminalPage("?image=busybox&preview-timeout=2000")) {
            t.waitForPrompt(0, 60_000);
            Locator link = t.page.locator("#ports a[data-port='3000']");
            assertEquals(0, link.count(), "no link before anything listens");
            String sum = t.run("mkdir -p /www/cgi-bin && echo hello from httpd > /www/index.html"
                    + " && head -c 3000000 /dev/urandom > /www/big.bin"
                    + " && printf '#!/bin/sh\\necho Content-Type: text/plain\\necho\\necho \"$REQUEST_METHOD $QUERY_STRING\"\\n"
                    + "head -c \"$CONTENT_LENGTH\"\\n' > /www/cgi-bin/echo"
                    + " && printf '#!/bin/sh\\nprintf \"HTTP/1.1 200 OK\\\\r\\\\nContent-Length: 100\\\\r\\\\n\\\\r\\\\nshort\"\\n' > /www/cgi-bin/short"
                    + " && chmod +x /www/cgi-bin/* && httpd -p 3000 -h /www && sha256sum /www/big.bin", 60_000);
            link.waitFor(new Locator.WaitForOptions().setTimeout(30_000));
            assertEquals("open port 3000", link.textContent());
            String url = (String) link.getAttribute("href");
            assertTrue(url.endsWith("/preview/3000/"), url);
            t.page.waitForFunction("() => navigator.serviceWorker.controller !== null", null,
                    new Page.WaitForFunctionOptions().setTimeout(30_000));

            Map<String, Object> index = fetch(t.page, "preview/3000/", "GET", null);
            assertEquals(200, ((Number) index.get("status")).intValue(), index.toString());
            assertEquals("hello from httpd\n", index.get("text"));
            assertEquals("text/html", index.get("type"));

            Map<String, Object> big = fetch(t.page, "preview/3000/big.bin", "GET", null);
            assertEquals(3_000_000, ((Number) big.get("length")).intValue(), big.toString());
            assertEquals(sum.substring(0, 64), big.get("sha256"), "the guest's bytes, through the flow control");

            Map<String, Object> echo = fetch(t.page, "preview/3000/cgi-bin/echo?a=1&b=2", "POST", "posted body");
            assertEquals(200, ((Number) echo.get("status")).intValue(), echo.toString());
            assertEquals("POST a=1&b=2\nposted body", echo.get("text"));

            Map<String, Object> cut = fetch(t.page, "preview/3000/cgi-bin/short", "GET", null);
            assertEquals(200, ((Number) cut.get("status")).intValue(), cut.toString());
            assertTrue(String.valueOf(cut.get("error")).contains("TypeError"), "a body cut short fails the read: " + cut);

            Map<String, Object> none = fetch(t.page, "preview/3001/anything", "GET", null);
            assertEquals(502, ((Number) none.get("status")).intValue(), none.toString());
            assertEquals("error", none.get("preview"));
            assertTrue(String.valueOf(none.get("text")).contains("nothing listens on port 3001"), none.toString());
            Map<String, Object> bad = fetch(t.page, "preview/99999/", "GET", null);
            assertEquals(400, ((Number) bad.get("status")).intValue(), bad.toString());

            Benchmarks.report("busybox httpd GET through the preview, median of 11 (ms)", median(t.page, "preview/3000/"));
            Benchmarks.report("preview 502 for a port nobody listens on, median of 11 (ms)", median(t.page, "preview/3001/"));

            // the link opens the server in a tab of its own (a navigation through the service worker)
            Page tab = t.context.newPage();
            tab.navigate(url);
            assertEquals("hello from httpd", tab.locator("body").textContent().trim());
            @SuppressWarnings("unchecked")
            Map<String, Object> rooted = (Map<String, Object>) tab.evaluate(
                    "async () => { const r = await fetch('/index.html'); return {url: r.url, text: await r.text()}; }");
            assertEquals("hello from httpd\n", rooted.get("text"), "a guest page's root path is its server's: " + rooted);
            assertTrue(((String) rooted.get("url")).endsWith("/preview/3000/index.html"), rooted.toString());
            tab.close();

            t.run("killall httpd", 30_000);
            link.waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.DETACHED).setTimeout(30_000));
            Map<String, Object> gone = fetch(t.page, "preview/3000/", "GET", null);
            assertEquals(502, ((Number) gone.get("status")).intValue(), gone.toString());

            // a server that accepts and never answers: 504 once ?preview-timeout passes
            t.run("nc -l -p 3003 >/dev/null &", 30_000);
            t.page.locator("#ports a[data-port='3003']").waitFor(new Locator.WaitForOptions().setTimeout(30_000));
            Map<String, Object> silent = fetch(t.page, "preview/3003/", "GET", null);
            assertEquals(504, ((Number) silent.get("status")).intValue(), silent.toString());
            assertTrue(String.valueOf(silent.get("text")).contains("sent no response within 2 s"), silent.toString());

            // the emulator goes away in the middle of a request: the service worker still answers
            t.run("nc -l -p 3004 >/dev/null &", 30_000);
            t.page.locator("#ports a[data-port='3004']").waitFor(new Locator.WaitForOptions().setTimeout(30_000));
            @SuppressWarnings("unchecked")
            Map<String, Object> orphan = (Map<String, Object>) t.page.evaluate("""
                    async () => {
                      const pending = fetch('preview/3004/');
                      await new Promise((r) => setTimeout(r, 300));
                      window.__friscy.session.terminate();
                      const r = await pending;
                      return {status: r.status, text: await r.text()};
                    }""");
            assertEquals(504, ((Number) orphan.get("status")).intValue(), orphan.toString());
            assertTrue(String.valueOf(orphan.get("text")).contains("stopped answering"), orphan.toString());
            // Chromium logs each error status fetched; anything else logged is a fault
            t.consoleErrors.removeIf(e -> e.startsWith("Failed to load resource: the server responded with a status of "));
            assertTrue(t.consoleErrors.isEmpty(), t.consoleErrors.toString());
        }
    }

    /** Debian's node (the Node.js image), as a dev server would run: JSON, a chunked stream, a POST. */
    @Test
    void nodeHttpServerIsOpenedThroughThePreview() {
        String server = """
                const http = require('http');
                http.createServer((req, res) => {
                  let body = '';
                  req.on('data', (d) => { body += d; });
                  req.on('end', () => {
                    if (req.url === '/stream') {
                      res.writeHead(200, {'Content-Type': 'text/plain'}); // no length: chunked
                      let i = 0;
                      const t = setInterval(() => {
                        res.write('part ' + i + '\\n');
                        if (++i === 3) { clearInterval(t); res.end('done\\n'); }
                      }, 20);
                      return;
                    }
                    res.writeHead(201, {'Content-Type': 'application/json', 'X-Guest': 'node'});
                    res.end(JSON.stringify({method: req.method, url: req.url, host: req.headers.host, body,
                        peer: req.socket.remoteAddress}));
                  });
                }).listen(3000, () => console.log('listening on 3000'));
                """;
        try (TerminalPage t = TerminalPage.boot("nodejs")) {
            t.page.evaluate("s => window.__friscy.session.writeFile('/root/server.js', s)", server);
            int mark = t.outputLength();
            t.write("node /root/server.js &\n");
            t.waitForOutput(mark, "listening on 3000", 240_000);
            Locator link = t.page.locator("#ports a[data-port='3000']");
            link.waitFor(new Locator.WaitForOptions().setTimeout(30_000));
            t.page.waitForFunction("() => navigator.serviceWorker.controller !== null", null,
                    new Page.WaitForFunctionOptions().setTimeout(30_000));

            Map<String, Object> post = fetch(t.page, "preview/3000/api?x=1", "POST", "hello node");
            assertEquals(201, ((Number) post.get("status")).intValue(), post.toString());
            assertEquals("application/json", post.get("type"));
            assertEquals("{\"method\":\"POST\",\"url\":\"/api?x=1\",\"host\":\"localhost:3000\",\"body\":\"hello node\","
                    + "\"peer\":\"::ffff:127.0.0.1\"}", post.get("text"));
            Map<String, Object> stream = fetch(t.page, "preview/3000/stream", "GET", null);
            assertEquals("part 0\npart 1\npart 2\ndone\n", stream.get("text"), stream.toString());
            Benchmarks.report("node http GET through the preview, page fetch to body, median of 11 (ms)",
                    median(t.page, "preview/3000/ping"));
            t.consoleErrors.removeIf(e -> e.startsWith("Failed to load resource: the server responded with a status of "));
            assertTrue(t.consoleErrors.isEmpty(), t.consoleErrors.toString());
        }
    }
}
