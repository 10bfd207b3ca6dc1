package dev.friscy.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.WaitForSelectorState;
import dev.friscy.fs.Inode;
import dev.friscy.fs.TarImport;
import dev.friscy.fs.Vfs;

import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The page as a daily tool: the file system kept across reloads and reset, files dropped in and
 * downloaded out, the process panel acting on a process, shareable links, the cached image.
 */
class PageToolsTest {
    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private static void waitFor(TerminalPage t, String js, double ms) {
        try {
            t.page.waitForFunction(js, null, new Page.WaitForFunctionOptions().setTimeout(ms).setPollingInterval(50));
        } catch (com.microsoft.playwright.TimeoutError e) {
            throw new AssertionError("not within " + ms + " ms: " + js + "\npage error: "
                    + t.page.evaluate("() => document.getElementById('error').hidden ? null : document.getElementById('error').textContent")
                    + "\nstorage: " + t.page.evaluate("() => JSON.stringify(window.__friscy.persistLog)")
                    + "\nconsole errors: " + t.consoleErrors + "\noutput:\n" + TerminalPage.tail(t.outputFrom(0)), e);
        }
    }

    /** Waits until the Worker has written one more save than {@code savesBefore}. */
    private static void waitForSave(TerminalPage t, int savesBefore) {
        waitFor(t, "() => window.__friscy.persistLog.filter(m => m.state === 'saved').length > " + savesBefore, 30_000);
    }

    /** Saves through the page API: resolves once every change made so far is stored. */
    private static void saveNow(TerminalPage t) {
        t.page.evaluate("() => window.__friscy.session.saveNow()");
    }

    private static int saves(TerminalPage t) {
        return ((Number) t.page.evaluate("() => window.__friscy.persistLog.filter(m => m.state === 'saved').length")).intValue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"opfs", "indexeddb"})
    void aFileSurvivesAReloadAndIsGoneAfterReset(String backend) {
        try (TerminalPage t = new TerminalPage("?image=busybox&storage=" + backend)) {
            t.waitForPrompt(0, 60_000);
            waitFor(t, "() => window.__friscy.persist && window.__friscy.persist.state === 'restored'", 30_000);
            assertEquals(backend, t.page.evaluate("() => window.__friscy.persist.backend"));
            String token = "kept-" + Long.toHexString(new Random().nextLong());
            t.run("mkdir -p /root/notes && echo " + token + " > /root/notes/a.txt && rm /etc/hostname", 30_000);
            saveNow(t);
            Benchmarks.report("stored file system after one small change, busybox, " + backend + " (bytes)",
                    String.valueOf(t.page.evaluate("() => window.__friscy.persist.bytes")));

            // a bigger change: how long the guest waits while the save is computed
            int before = saves(t);
            String bigSum = t.run("head -c 4000000 /dev/urandom > /root/big && sha256sum /root/big", 30_000)
                    .split("\\s+")[0];
            saveNow(t);
            Benchmarks.report("guest paused to compute the save of a 4 MB file, " + backend + " (ms)", String.valueOf(
                    t.page.evaluate("n => Math.round(Math.max(...window.__friscy.persistLog.filter(m => m.state === 'saved')"
                            + ".slice(n).map(m => m.pauseMs)))", before)));

            t.page.reload();
            t.waitForPrompt(0, 60_000);
            waitFor(t, "() => window.__friscy.persist && window.__friscy.persist.state === 'restored'", 30_000);
            assertEquals(token + "\n", t.run("cat /root/notes/a.txt", 30_000));
            assertEquals(bigSum, t.run("sha256sum /root/big", 30_000).split("\\s+")[0]);
            assertEquals("gone\n", t.run("test -e /etc/hostname || echo gone", 30_000), "a deletion is kept too");
            assertTrue(t.run("ls /bin/ | wc -l", 30_000).trim().matches("[1-9][0-9]+"), "the image is still whole");

            t.page.onceDialog(d -> d.accept());
            t.page.locator("#reset").click();
            waitFor(t, "() => window.__friscy.session !== null", 30_000);
            t.waitForPrompt(0, 60_000);
            assertEquals("absent\n", t.run("test -e /root/notes/a.txt || echo absent", 30_000));
            assertEquals("back\n", t.run("test -e /etc/hostname && echo back", 30_000));

            t.page.reload(); // the reset cleared the stored changes, not just this session
            t.waitForPrompt(0, 60_000);
            assertEquals("absent\n", t.run("test -e /root/notes/a.txt || echo absent", 30_000));
        }
    }

    @Test
    void aDroppedFileArrivesWithTheSameBytesInTheShellsDirectory() throws Exception {
        byte[] data = new byte[700_000];
        new Random(7).nextBytes(data);
        try (TerminalPage t = TerminalPage.boot("busybox")) {
            t.run("mkdir -p /tmp/work && cd /tmp/work", 30_000);
            t.page.evaluate("""
                    (b64) => {
                      const bin = atob(b64);
                      const bytes = new Uint8Array(bin.length);
                      for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
                      const dt = new DataTransfer();
                      dt.items.add(new File([bytes], 'drop me.bin'));
                      const target = document.querySelector('#terminal .xterm-screen') || document.getElementById('terminal');
                      target.dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));
                    }""", Base64.getEncoder().encodeToString(data));
            waitFor(t, "() => window.__friscy.copied !== null", 60_000);
            assertEquals("/tmp/work", t.page.evaluate("() => window.__friscy.copied.dest"));
            String out = t.run("sha256sum '/tmp/work/drop me.bin'", 30_000);
            assertEquals(sha256(data), out.split("\\s+")[0], out);
        }
    }

    @Test
    void aDownloadedFileAndDirectoryHaveTheGuestsBytes() throws Exception {
        try (TerminalPage t = TerminalPage.boot("busybox")) {
            String sum = t.run("mkdir -p /root/d/sub && head -c 300000 /dev/urandom > /root/d/sub/r.bin && "
                    + "sha256sum /root/d/sub/r.bin", 30_000).split("\\s+")[0];
            t.page.locator("#download-path").fill("/root/d/sub/r.bin");
            Download dl = t.page.waitForDownload(() -> t.page.locator("#download").click());
            assertEquals("r.bin", dl.suggestedFilename());
            byte[] got = Files.readAllBytes(dl.path());
            assertEquals(300_000, got.length);
            assertEquals(sum, sha256(got));

            // a directory comes as a tar under its own name
            t.page.locator("#download-path").fill("/root/d");
            Download tar = t.page.waitForDownload(() -> t.page.locator("#download").click());
            assertEquals("d.tar", tar.suggestedFilename());
            Vfs v = new Vfs();
            TarImport.importInto(v, Files.readAllBytes(tar.path()));
            Inode f = v.root.lookup("d").lookup("sub").lookup("r.bin");
            assertEquals(sum, sha256(f.readAll()));

            // the whole file system, as friscy run --save writes it
            Download all = t.page.waitForDownload(() -> t.page.locator("#export-fs").click());
            Vfs whole = new Vfs();
            TarImport.importInto(whole, Files.readAllBytes(all.path()));
            assertEquals(sum, sha256(whole.root.lookup("root").lookup("d").lookup("sub").lookup("r.bin").readAll()));
            assertTrue(whole.root.lookup("usr").lookup("bin").lookup("busybox").size > 100_000, "the image is in it");

            // bad requests get a Linux errno and the system carries on
            @SuppressWarnings("unchecked")
            List<String> errors = (List<String>) t.page.evaluate("""
                    async () => {
                      const s = window.__friscy.session;
                      const why = (p) => p.then(() => 'no error', (e) => e.message);
                      return [
                        await why(s.readFile('/root')),
                        await why(s.readFile('/no/such')),
                        await why(s.writeFile('relative', 'x')),
                        await why(s.writeFile('/root', 'x')),
                        await why(s.writeFile('/etc/passwd/x', 'x')),
                        await why(s.exportTar('/etc/passwd')),
                        await why(s.signal(99999, 'SIGKILL')),
                        await why(s.signal(1, 'SIGNOPE')),
                        await why(s.signal(-5, 9)),
                      ];
                    }""");
            assertTrue(errors.get(0).startsWith("EISDIR"), errors.toString());
            assertTrue(errors.get(1).startsWith("ENOENT"), errors.toString());
            assertTrue(errors.get(2).startsWith("EINVAL"), errors.toString());
            assertTrue(errors.get(3).startsWith("EISDIR"), errors.toString());
            assertTrue(errors.get(4).startsWith("ENOTDIR"), errors.toString());
            assertTrue(errors.get(5).startsWith("ENOTDIR"), errors.toString());
            assertTrue(errors.get(6).startsWith("ESRCH"), errors.toString());
            assertTrue(errors.get(7).startsWith("unknown signal"), errors.toString());
            assertTrue(errors.get(8).startsWith("EINVAL"), errors.toString());
            assertEquals("alive\n", t.run("echo alive", 30_000));
        }
    }

    private static Locator row(TerminalPage t, String commandText) {
        return t.page.locator("#process-rows tr").filter(new Locator.FilterOptions().setHasText(commandText));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theProcessPanelShowsSleepAndStopsAndKillsIt() {
        try (TerminalPage t = TerminalPage.boot("busybox")) {
            int mark = t.outputLength();
            t.write("sleep 30\n");
            Locator sleep = row(t, "sleep 30");
            sleep.waitFor(new Locator.WaitForOptions().setTimeout(30_000));
            waitFor(t, "() => { const r = [...document.querySelectorAll('#process-rows tr')]"
                    + ".find(r => r.textContent.includes('sleep 30')); return r && r.dataset.state === 'S'; }", 30_000);
            assertEquals("sleeping", sleep.locator("td.state").textContent());
            int pid = Integer.parseInt(sleep.getAttribute("data-pid"));
            List<Map<String, Object>> ps = (List<Map<String, Object>>) t.page.evaluate("() => window.__friscy.session.processes()");
            Map<String, Object> p = ps.stream().filter(x -> ((Number) x.get("pid")).intValue() == pid).findFirst().orElseThrow();
            assertEquals(List.of("sleep", "30"), p.get("argv"), p.toString());
            assertEquals("S", p.get("state"), p.toString());

            sleep.locator("button[data-signal=SIGSTOP]").click();
            t.waitForOutput(mark, "Stopped[^\\n]*sleep 30", 30_000);
            waitFor(t, "() => { const r = document.querySelector('#process-rows tr[data-pid=\"" + pid + "\"]');"
                    + " return r && r.dataset.state === 'T'; }", 30_000);
            t.waitForPrompt(mark, 30_000);

            t.page.locator("#process-rows tr[data-pid='" + pid + "'] button[data-signal=SIGKILL]").click();
            int m2 = t.outputLength();
            t.write("\n"); // at the next prompt the shell reports (and reaps) the killed job
            t.waitForOutput(m2, "Killed", 30_000);
            waitFor(t, "() => !document.querySelector('#process-rows tr[data-pid=\"" + pid + "\"]')", 30_000);
        }
    }

    @Test
    void aLinkWithCmdRunsTheCommand() {
        try (TerminalPage t = new TerminalPage("?image=busybox&cmd=" + java.net.URLEncoder.encode(
                "echo from-link-$((6*7))", java.nio.charset.StandardCharsets.UTF_8))) {
            t.waitForOutput(0, "from-link-42\\r?\\n", 60_000);
        }
    }

    @Test
    void aStorageQuotaErrorIsShownAndNothingIsLost() {
        // background saves far apart: here only the guest's sync saves
        try (TerminalPage t = new TerminalPage("?image=busybox&storage-quota=20000&save-every=600000")) {
            t.waitForPrompt(0, 60_000);
            waitFor(t, "() => window.__friscy.persist && window.__friscy.persist.state === 'restored'", 30_000);
            int before = saves(t);
            t.run("echo small > /root/small; sync", 30_000);
            waitForSave(t, before); // sync saved it, and it fits the budget
            t.run("head -c 100000 /dev/urandom > /root/big; sync", 30_000);
            Benchmarks.report("guest paused to compute a save, busybox, longest so far (ms)", String.valueOf(
                    t.page.evaluate("() => Math.max(...window.__friscy.persistLog.filter(m => m.pauseMs !== undefined).map(m => m.pauseMs))")));
            waitFor(t, "() => window.__friscy.persist && window.__friscy.persist.state === 'error'", 30_000);
            Locator error = t.page.locator("#error");
            error.waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.VISIBLE).setTimeout(10_000));
            assertTrue(error.textContent().contains("storage is full"), error.textContent());
            assertTrue(t.page.locator("#storage").textContent().contains("storage full"));
            // the running system lost nothing
            assertEquals("100000\n", t.run("wc -c < /root/big", 30_000));
            // and what was saved before the error is still there on the next visit
            t.page.reload();
            t.waitForPrompt(0, 60_000);
            assertEquals("small\n", t.run("cat /root/small", 30_000));
        }
    }

    @Test
    void theImageIsDownloadedOnceThenServedFromTheCache() {
        AtomicInteger imageGets = new AtomicInteger();
        try (TerminalPage t = new TerminalPage("?image=busybox&persist=0")) {
            t.page.onRequest(r -> {
                if (r.url().endsWith("images/busybox.tar.gz") && r.method().equals("GET")) {
                    imageGets.incrementAndGet();
                }
            });
            t.waitForPrompt(0, 60_000);
            // let the cache write finish, then visit again
            waitFor(t, "async () => !!(await (await caches.open('friscy-images-v1')).match(new URL('images/busybox.tar.gz', location.href).href))", 30_000);
            // one copy: the download bypassed the browser's HTTP cache, which keeps none beside it
            Object httpCached = t.page.evaluate("async () => { try { return (await fetch(new URL('images/busybox.tar.gz', location.href).href,"
                    + " { cache: 'only-if-cached', mode: 'same-origin' })).status; } catch (e) { return 'not cached'; } }");
            assertEquals("not cached", String.valueOf(httpCached), "the HTTP cache answered " + httpCached);
            imageGets.set(0);
            List<Long> times = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                long t0 = System.nanoTime();
                t.page.reload();
                t.waitForPrompt(0, 60_000);
                times.add((System.nanoTime() - t0) / 1_000_000);
            }
            assertEquals(0, imageGets.get(), "a second visit takes the image from the cache");
            times.sort(null);
            Benchmarks.report("page load to first prompt, busybox, image cached (median of 3, Playwright's view, ms)",
                    String.valueOf(times.get(1)));
            Benchmarks.report("page load to first output, busybox, image cached (the page's performance.now(), ms)",
                    String.valueOf(t.page.evaluate("() => Math.round(window.__friscy.firstOutputMs)")));
            assertEquals("ok\n", t.run("echo ok", 30_000));
        }
    }

    /** CPU time in the Worker: performance.now() around each task's run; `time` reads wait4's rusage. */
    @Test
    void timeShowsCpuTimeOfABusyLoopAndNoneOfASleep() {
        try (TerminalPage t = TerminalPage.boot("busybox")) {
            String out = t.run("time sleep 1; time sh -c 'i=0; while [ $i -lt 3000 ]; do i=$((i+1)); done'", 120_000);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                    "real\\s+(\\d+)m\\s*([\\d.]+)s\\s+user\\s+(\\d+)m\\s*([\\d.]+)s\\s+sys\\s+(\\d+)m\\s*([\\d.]+)s").matcher(out);
            assertTrue(m.find(), out);
            double real = Integer.parseInt(m.group(1)) * 60 + Double.parseDouble(m.group(2));
            double cpu = Double.parseDouble(m.group(4)) + Double.parseDouble(m.group(6));
            assertTrue(real >= 0.99 && cpu < 0.25, "time sleep 1: " + out);
            assertTrue(m.find(), out);
            real = Integer.parseInt(m.group(1)) * 60 + Double.parseDouble(m.group(2));
            cpu = Double.parseDouble(m.group(4)) + Double.parseDouble(m.group(6));
            assertTrue(real > 0.05 && cpu >= 0.5 * real && cpu <= real + 0.02, "busy loop: " + out);
        }
    }

    /** Two tabs of one image: the first keeps the file system, the second says it saves nothing. */
    @Test
    void aSecondTabOfTheSameImageSavesNothingAndSaysSo() {
        try (TerminalPage t = TerminalPage.boot("busybox")) {
            waitFor(t, "() => window.__friscy.persist && window.__friscy.persist.state === 'restored'", 30_000);
            t.run("echo first > /root/tab", 30_000);
            saveNow(t);
            Page second = t.context.newPage();
            second.navigate(Browser.baseUrl() + "index.html?image=busybox");
            second.waitForFunction("() => window.__friscy && window.__friscy.persist && window.__friscy.persist.readOnly", null,
                    new Page.WaitForFunctionOptions().setTimeout(60_000));
            assertTrue(second.locator("#error").textContent().contains("another tab"));
            assertTrue(second.locator("#storage").textContent().contains("another tab"));
            // it started from what the first tab stored
            second.waitForFunction("re => new RegExp(re).test(window.__friscy.output)", TerminalPage.PROMPT,
                    new Page.WaitForFunctionOptions().setTimeout(60_000));
            second.evaluate("() => window.__friscy.session.write('cat /root/tab\\n')");
            second.waitForFunction("() => /cat \\/root\\/tab\\r?\\nfirst\\r?\\n/.test(window.__friscy.output)", null,
                    new Page.WaitForFunctionOptions().setTimeout(30_000));
            // the first tab still saves
            int before = saves(t);
            t.run("echo more > /root/tab2", 30_000);
            saveNow(t);
            assertTrue(saves(t) > before);
            second.close();
        }
    }
}
