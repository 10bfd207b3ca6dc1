package dev.friscy.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.options.FilePayload;
import com.microsoft.playwright.options.WaitForSelectorState;
import com.microsoft.playwright.Locator;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Image choice: a corrupt local file, and the Debian dash + coreutils image. */
class ImageTest {
    @Test
    void aCorruptImageShowsAClearErrorAndThePageStaysUsable() {
        try (TerminalPage t = new TerminalPage("?image=busybox")) {
            t.waitForPrompt(0, 60_000);
            byte[] junk = "this is not a tar archive, just some words\n".repeat(40).getBytes(StandardCharsets.US_ASCII);
            t.page.locator("#image-file").setInputFiles(new FilePayload("broken.tar", "application/x-tar", junk));
            Locator error = t.page.locator("#error");
            error.waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.VISIBLE).setTimeout(30_000));
            String text = error.textContent();
            assertTrue(text.contains("broken.tar"), "names the file: " + text);
            assertTrue(text.length() < 400 && !text.contains("\tat ") && !text.contains("Exception"),
                    "a sentence, not a stack trace: " + text);
            // Still usable: pick the default image again and run a command.
            // (choosing it starts the boot at once: the output is emptied, the error cleared)
            t.page.locator("#image-select").selectOption("busybox");
            t.waitForPrompt(0, 60_000);
            assertEquals("ok\n", t.run("echo ok", 30_000));
        }
    }

    @Test
    void theDebianDashImageBootsAndRunsCoreutils() throws java.io.IOException {
        long t0 = System.nanoTime();
        try (TerminalPage t = TerminalPage.boot("debian-shell")) {
            Benchmarks.report("page load to first prompt, debian-shell (ms)", Long.toString((System.nanoTime() - t0) / 1_000_000));
            Benchmarks.report("debian-shell boot steps in the worker", String.valueOf(
                    t.page.evaluate("() => JSON.stringify(window.__friscy.session.bootTimings)")));
            Benchmarks.report("total transfer to first prompt, debian-shell (bytes)", Long.toString(t.transferred.get()));
            // The download progress reached the image's full size: the tar's, since the server
            // sent the zstd twin
            long size = dev.friscy.cli.ZstdTwin.gzipLength(Browser.site().resolve("images/debian-shell.tar.gz"));
            assertTrue(size > 0, "the gzip image says its length");
            assertEquals(size, ((Number) t.page.evaluate("() => window.__friscy.progress.loaded")).longValue());
            assertEquals(size, ((Number) t.page.evaluate("() => window.__friscy.progress.total")).longValue());
            String out = t.run("ls -l /usr/bin | head -n 5", 120_000);
            String[] lines = out.split("\n");
            assertEquals(5, lines.length, out);
            assertTrue(lines[0].startsWith("total "), "coreutils ls -l prints a total first: " + out);
            for (int i = 1; i < lines.length; i++) {
                assertTrue(lines[i].matches("[-lr][-rwxsStT]{9}\\.?\\s+\\d+ \\S+\\s+\\S+.*"), "an ls -l line: " + lines[i]);
            }
            // /bin/sh is dash here, not busybox.
            assertEquals("/usr/bin/dash\n", t.run("readlink -f /bin/sh", 30_000));
        }
    }
}
