package dev.friscy.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Worker and its Wasm module, without booting an image. */
class WorkerProtocolTest {
    @Test
    void wasmIsServedAsWasmAndLoadsInTheWorker() {
        try (BrowserContext ctx = Browser.chromium().newContext()) {
            APIResponse r = ctx.request().get(Browser.baseUrl() + "classes.wasm");
            assertEquals(200, r.status());
            assertEquals("application/wasm", r.headers().get("content-type"));
            Benchmarks.report("classes.wasm size (bytes)", Integer.toString(r.body().length));

            Page page = ctx.newPage();
            page.navigate(Browser.baseUrl() + "iframe-demo.html"); // any page of the site: same origin
            Object first = page.evaluate("""
                    () => new Promise((resolve) => {
                      const w = new Worker('worker.js');
                      w.onmessage = (e) => resolve(e.data.type + (e.data.message ? ': ' + e.data.message : ''));
                      w.onerror = (e) => resolve('worker error: ' + e.message);
                      setTimeout(() => resolve('no reply from the worker'), 20000);
                    })""");
            assertEquals("ready", first);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void garbageMessagesGetAnErrorReplyAndTheWorkerLivesOn() {
        try (BrowserContext ctx = Browser.chromium().newContext()) {
            Page page = ctx.newPage();
            page.navigate(Browser.baseUrl() + "iframe-demo.html");
            Map<String, Object> result = (Map<String, Object>) page.evaluate("""
                    async () => {
                      const w = new Worker('worker.js');
                      const replies = [];
                      const waiters = [];
                      const pump = () => {
                        for (let i = 0; i < waiters.length; i++) {
                          const j = replies.findIndex((m) => waiters[i].types.includes(m.type));
                          if (j >= 0) {
                            waiters.splice(i--, 1)[0].resolve(replies.splice(j, 1)[0]);
                          }
                        }
                      };
                      w.onmessage = (e) => { replies.push(e.data); pump(); };
                      const next = (...types) => new Promise((resolve, reject) => {
                        waiters.push({types, resolve});
                        setTimeout(() => reject(new Error('no ' + types + ' reply; got ' + JSON.stringify(replies))), 20000);
                        pump();
                      });
                      await next('ready');
                      const errors = [];
                      for (const m of [42, 'boot', null, {type: 'nonsense'}, {type: 'stdin', data: 7},
                                       {type: 'resize', cols: -1, rows: 'x'},
                                       {type: 'boot', image: 'not bytes', argv: ['/bin/sh']},
                                       {type: 'boot', image: new Uint8Array(10), argv: [1, 2]}]) {
                        w.postMessage(m);
                        errors.push((await next('error')).message);
                      }
                      // Still alive: a well-formed boot with a broken image still gets a reasoned answer.
                      w.postMessage({type: 'boot', image: new Uint8Array(1024).fill(65), argv: ['/bin/sh'], env: [], cwd: '/', cols: 80, rows: 24});
                      const last = await next('error', 'booted');
                      return {errors, last: last.type + ': ' + (last.message || '')};
                    }""");
        List<String> errors = (List<String>) result.get("errors");
            assertEquals(8, errors.size());
            for (String e : errors) {
                assertTrue(!e.isBlank(), "every garbage message gets a message: " + errors);
            }
            assertTrue(((String) result.get("last")).startsWith("error: "), "a junk image is refused: " + result);
        }
    }
}
