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
                                       {type: 'boot', image: new Uint8Array(10), argv: [1, 2]},
                                       {type: 'boot', image: [new Uint8Array(10), 'not a piece'], argv: ['/bin/sh']},
                                       {type: 'preview'}, {type: 'preview', port: 7, request: {}}]) {
                        w.postMessage(m);
                        errors.push((await next('error')).message);
                      }
                      // Still alive: a well-formed boot with a broken image still gets a reasoned answer.
                      w.postMessage({type: 'boot', image: new Uint8Array(1024).fill(65), argv: ['/bin/sh'], env: [], cwd: '/', cols: 80, rows: 24});
                      const last = await next('error', 'booted');
                      return {errors, last: last.type + ': ' + (last.message || '')};
                    }""");
        List<String> errors = (List<String>) result.get("errors");
            assertEquals(11, errors.size());
            for (String e : errors) {
                assertTrue(!e.isBlank(), "every garbage message gets a message: " + errors);
            }
            assertTrue(((String) result.get("last")).startsWith("error: "), "a junk image is refused: " + result);
        }
    }

    /**
     * An image larger than the memory it would boot in is refused with the reason, whether it is
     * a gzip stream that expands past it (a decompression bomb) or plain bytes, and the page can
     * boot another Worker afterwards.
     */
    @Test
    @SuppressWarnings("unchecked")
    void anImageLargerThanTheGuestMemoryIsRefusedWithTheReason() {
        try (BrowserContext ctx = Browser.chromium().newContext()) {
            Page page = ctx.newPage();
            page.navigate(Browser.baseUrl() + "iframe-demo.html");
            Map<String, Object> r = (Map<String, Object>) page.evaluate("""
                    async () => {
                      const bootOnce = (image, memory) => new Promise((resolve) => {
                        const w = new Worker('worker.js');
                        w.onmessage = (e) => {
                          if (e.data.type === 'error' || e.data.type === 'booted') {
                            w.terminate();
                            resolve(e.data.type + ': ' + (e.data.message || ''));
                          }
                        };
                        w.postMessage({type: 'boot', image, memory, argv: ['/bin/sh', '-c', 'exit 0'],
                                       env: [], cwd: '/', cols: 80, rows: 24});
                        setTimeout(() => { w.terminate(); resolve('no reply'); }, 60000);
                      });
                      // 64 MiB of zeros: about 64 KB of gzip
                      const zeros = new Blob([new Uint8Array(64 << 20)]).stream().pipeThrough(new CompressionStream('gzip'));
                      const bomb = new Uint8Array(await new Response(zeros).arrayBuffer());
                      const gz = await bootOnce(bomb, 16 << 20);
                      const plain = await bootOnce(new Uint8Array(20 << 20), 16 << 20);
                      // ./friscy serve sends its zstd twin to a browser that takes zstd: the tar itself
                      const busybox = new Uint8Array(await (await fetch('images/busybox.tar.gz')).arrayBuffer());
                      const servedAs = busybox[0] === 0x1f && busybox[1] === 0x8b ? 'gzip' : 'tar';
                      const ok = await bootOnce(busybox, 16 << 20);
                      // and the Worker gunzips an image given as gzip
                      const gzipped = new Uint8Array(await new Response(new Blob([busybox]).stream()
                          .pipeThrough(new CompressionStream('gzip'))).arrayBuffer());
                      const okGz = await bootOnce(gzipped, 16 << 20);
                      // the page hands a download over in the pieces it came in: gzip's magic
                      // bytes may straddle two of them
                      const okGzPieces = await bootOnce([gzipped.subarray(0, 1), gzipped.subarray(1, 999),
                                                         gzipped.subarray(999)], 16 << 20);
                      const tarPieces = [];
                      for (let at = 0; at < busybox.length; at += 65536) tarPieces.push(busybox.subarray(at, at + 65536));
                      const okPieces = await bootOnce(tarPieces, 16 << 20);
                      const bombPieces = await bootOnce([bomb.subarray(0, 1), bomb.subarray(1)], 16 << 20);
                      return {bombBytes: bomb.length, gz, plain, ok, servedAs, okGz, okGzPieces, okPieces, bombPieces};
                    }""");
            assertTrue(((Number) r.get("bombBytes")).intValue() < 1 << 20, r.toString());
            assertTrue(((String) r.get("gz")).startsWith("error: the image expands to more than 16 MiB"), r.toString());
            assertTrue(((String) r.get("plain")).startsWith("error: the image is larger than the guest's memory (16 MiB)"),
                    r.toString());
            assertEquals("booted: ", r.get("ok"), "a small image boots in 16 MiB: " + r);
            assertEquals("tar", r.get("servedAs"), "Chromium takes the zstd twin and decodes it: " + r);
            assertEquals("booted: ", r.get("okGz"), "a gzip image boots too: " + r);
            assertEquals("booted: ", r.get("okGzPieces"), "a gzip image in pieces boots: " + r);
            assertEquals("booted: ", r.get("okPieces"), "a tar in pieces boots: " + r);
            assertTrue(((String) r.get("bombPieces")).startsWith("error: the image expands to more than 16 MiB"), r.toString());
        }
    }

    /**
     * A preview request whose other side never speaks (a service worker stopped mid-request) is
     * closed by the Worker after its silence limit: the guest server sees its connection end.
     */
    @Test
    @SuppressWarnings("unchecked")
    void aPreviewRequestNobodyAnswersForIsClosed() {
        try (BrowserContext ctx = Browser.chromium().newContext()) {
            Page page = ctx.newPage();
            page.navigate(Browser.baseUrl() + "iframe-demo.html");
            Map<String, Object> r = (Map<String, Object>) page.evaluate("""
                    async () => {
                      const image = new Uint8Array(await (await fetch('images/busybox.tar.gz')).arrayBuffer());
                      const w = new Worker('worker.js');
                      let out = '';
                      let listening = null;
                      let exited = null;
                      const heard = [];
                      const done = new Promise((resolve) => {
                        w.onmessage = (e) => {
                          const m = e.data;
                          if (m.type === 'stdout') { out += new TextDecoder().decode(m.data); w.postMessage({type: 'ack', bytes: m.data.length}); }
                          if (m.type === 'process-events' && m.events.some((v) => v.type === 'listen' && v.port === 3005)) listening();
                          if (m.type === 'exit') { exited = performance.now(); resolve(); }
                          if (m.type === 'error') { out += '[error] ' + m.message; resolve(); }
                        };
                        setTimeout(resolve, 60000);
                      });
                      const listen = new Promise((resolve) => { listening = resolve; });
                      w.postMessage({type: 'boot', image, argv: ['/bin/sh', '-c', 'nc -l -p 3005 >/dev/null; echo nc-ended'],
                                     env: ['PATH=/usr/sbin:/usr/bin:/sbin:/bin'], cwd: '/', cols: 80, rows: 24});
                      await listen;
                      const ch = new MessageChannel();
                      ch.port1.onmessage = (e) => heard.push(e.data.type); // listens, never answers
                      const sent = performance.now();
                      w.postMessage({type: 'preview', port: ch.port2, request: {port: 3005, method: 'GET', target: '/',
                                     headers: [], body: null, timeoutMs: 60000}}, [ch.port2]);
                      await done;
                      w.terminate();
                      return {out, heard: heard.join(','), ms: exited === null ? -1 : exited - sent};
                    }""");
            assertEquals("nc-ended\n", ((String) r.get("out")).replace("\r", ""), r.toString());
            double ms = ((Number) r.get("ms")).doubleValue();
            assertTrue(ms >= 9_000 && ms < 30_000, "closed after the 10 s silence limit, not before: " + r);
            assertTrue(((String) r.get("heard")).startsWith("alive"), "the Worker said it was there meanwhile: " + r);
        }
    }
}
