package dev.friscy.preview;

import dev.friscy.image.TestImages;
import dev.friscy.kernel.Kernel;
import dev.friscy.testing.TerminalSession;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The preview against a real server in the guest (Debian's busybox httpd) on the JVM, driven
 * as the page's Worker drives it: pump between runs of the kernel.
 */
class PreviewGuestTest {
    /** Runs request {@code id} to its end; returns "error STATUS", or the head's status line and the body. */
    static String fetch(TerminalSession s, Previews p, int id) throws InterruptedException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        String head = null;
        long end = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < end) {
            String news = p.pump(id, System.currentTimeMillis());
            if (news.contains("\"error\"")) {
                p.close(id);
                return "error " + news;
            }
            if (news.contains("\"head\"")) {
                head = news.substring(news.indexOf("\"status\":") + 9, news.indexOf(",\"reason\""));
            }
            body.writeBytes(p.body(id, 1 << 20));
            if (news.contains("\"end\":true")) {
                p.close(id);
                return head + " " + body.toString(StandardCharsets.ISO_8859_1);
            }
            if (news.contains("\"abort\"")) {
                p.close(id);
                return "abort " + news;
            }
            if (s.kernel.run(1_000_000) == Kernel.RUN_IDLE && !news.contains("\"moved\"")) {
                Thread.sleep(2);
            }
        }
        throw new AssertionError("request " + id + " did not finish; screen:\n" + s.all());
    }

    @Test
    void busyboxHttpdThroughThePreview() throws Exception {
        TerminalSession s = new TerminalSession(TestImages.busybox(), 64, "/bin/sh", "-i");
        s.waitForPrompt(60_000);
        s.type("mkdir -p /www && echo hello from the guest > /www/index.html && httpd -p 3000 -h /www && echo 'httpd'' up'\n");
        s.waitFor("httpd up", 60_000);
        String events = s.kernel.drainProcessEvents();
        assertTrue(events.matches("(?s).*\"type\":\"listen\".*\"port\":3000.*"), events);

        Previews p = new Previews(s.kernel.net);
        assertEquals("200 hello from the guest\n", fetch(s, p, p.open(3000, "GET", "/index.html", "Accept: */*\n", null,
                System.currentTimeMillis(), 0)));
        String missing = fetch(s, p, p.open(3000, "GET", "/nothing-here", "", null, System.currentTimeMillis(), 0));
        assertTrue(missing.startsWith("404 "), missing);
        assertTrue(fetch(s, p, p.open(3001, "GET", "/", "", null, System.currentTimeMillis(), 0))
                .contains("nothing listens on port 3001"));
        // several at once, as a page loading its parts asks
        int[] ids = new int[4];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = p.open(3000, "GET", "/index.html", "", null, System.currentTimeMillis(), 0);
        }
        for (int id : ids) {
            assertEquals("200 hello from the guest\n", fetch(s, p, id));
        }
        assertEquals(0, p.size());
    }
}
