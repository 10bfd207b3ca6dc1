package dev.friscy.e2e;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The terminal page (index.html) with one booted image, driven through window.__friscy. */
final class TerminalPage implements AutoCloseable {
    /**
     * A shell prompt at the very end of the output (busybox ash and dash end theirs in "# " or
     * "$ "), possibly followed by terminal queries such as ash's cursor-position request ESC[6n.
     * A JavaScript regular expression.
     */
    static final String PROMPT = "[#$] (?:\\x1b\\[[0-9;?]*[A-Za-z])*$";

    final BrowserContext context;
    final Page page;
    final List<String> consoleErrors = new ArrayList<>();
    /** Bytes of all responses (by Content-Length) since the page was opened. */
    final AtomicLong transferred = new AtomicLong();

    TerminalPage(String query) {
        context = Browser.chromium().newContext(new com.microsoft.playwright.Browser.NewContextOptions()
                .setViewportSize(1100, 700));
        page = context.newPage();
        page.onConsoleMessage(m -> {
            if (m.type().equals("error")) {
                consoleErrors.add(m.text());
            }
        });
        page.onPageError(e -> consoleErrors.add("page error: " + e));
        page.onResponse(r -> {
            String len = r.headers().get("content-length");
            if (len != null) {
                transferred.addAndGet(Long.parseLong(len));
            }
        });
        page.navigate(Browser.baseUrl() + "index.html" + query);
    }

    static TerminalPage boot(String image) {
        TerminalPage t = new TerminalPage("?image=" + image);
        t.waitForPrompt(0, 60_000);
        return t;
    }

    String output() {
        return (String) page.evaluate("() => window.__friscy.output");
    }

    int outputLength() {
        return ((Number) page.evaluate("() => window.__friscy.outputDropped + window.__friscy.output.length")).intValue();
    }

    /**
     * Output from offset {@code from} on, without CRs (the tty turns \n into \r\n) and without
     * CSI escape sequences (line editing and terminal queries).
     */
    String outputFrom(int from) {
        String s = (String) page.evaluate("f => window.__friscy.output.slice(Math.max(0, f - window.__friscy.outputDropped))", from);
        return s.replace("\r", "").replaceAll("\u001b\\[[0-9;?]*[A-Za-z]", "");
    }

    /** Sends bytes to the guest as the terminal would (stdin). */
    void write(String text) {
        page.evaluate("t => window.__friscy.session.write(t)", text);
    }

    /**
     * The prompt that follows a command line: after the newline that ends the line's echo. A
     * shell redraws its prompt while the line is still being typed (ash does on SIGWINCH, which
     * a late layout change of the page sends), so a prompt alone may come before the command ran.
     */
    static final String PROMPT_AFTER_LINE = "\\n[^\\n]*" + PROMPT;

    /** Runs a shell command line and returns its output up to the next prompt. */
    String run(String command, double timeoutMs) {
        int mark = outputLength();
        write(command + "\n");
        waitForOutput(mark, PROMPT_AFTER_LINE, timeoutMs);
        String out = outputFrom(mark);
        out = out.substring(endOfEcho(out, command));
        // Drop the trailing prompt line.
        int lastNl = out.lastIndexOf('\n');
        return lastNl < 0 ? "" : out.substring(0, lastNl + 1);
    }

    /**
     * Where the echo of {@code command} (and its newline) ends in {@code out}. Line editing may
     * wrap a long echo onto several lines, so newlines inside the echo are skipped.
     */
    static int endOfEcho(String out, String command) {
        int i = 0;
        int j = 0;
        while (i < out.length() && j < command.length()) {
            char c = out.charAt(i);
            if (c == command.charAt(j)) {
                j++;
            } else if (c != '\n') {
                int nl = out.indexOf('\n'); // not a plain echo: fall back to dropping one line
                return nl < 0 ? out.length() : nl + 1;
            }
            i++;
        }
        while (i < out.length() && out.charAt(i) != '\n') {
            i++;
        }
        return Math.min(out.length(), i + 1);
    }

    /** Waits until the output after {@code from} ends in a prompt. */
    void waitForPrompt(int from, double timeoutMs) {
        waitForOutput(from, PROMPT, timeoutMs);
    }

    /** Waits until the output after {@code from} matches the JS regular expression {@code regex}. */
    void waitForOutput(int from, String regex, double timeoutMs) {
        try {
            page.waitForFunction(
                    "([f, re]) => window.__friscy && (window.__friscy.error !== null || new RegExp(re).test(window.__friscy.output.slice(Math.max(0, f - window.__friscy.outputDropped))))",
                    List.of(from, regex), new Page.WaitForFunctionOptions().setTimeout(timeoutMs).setPollingInterval(50));
        } catch (com.microsoft.playwright.TimeoutError e) {
            throw new AssertionError("no output matching /" + regex + "/ within " + timeoutMs + " ms; output was:\n"
                    + tail(outputFrom(from)) + "\nstatus: " + page.evaluate("() => window.__friscy.status")
                    + "\nconsole errors: " + consoleErrors, e);
        }
        Object err = page.evaluate("() => window.__friscy.error");
        if (err != null) {
            throw new AssertionError("the page reports an error: " + err + "\noutput:\n" + tail(outputFrom(from)));
        }
    }

    static String tail(String s) {
        return s.length() > 2000 ? "…" + s.substring(s.length() - 2000) : s;
    }

    static String firstGroup(String regex, String text) {
        Matcher m = Pattern.compile(regex).matcher(text);
        return m.find() ? m.group(1) : null;
    }

    @Override
    public void close() {
        context.close();
    }
}
