package dev.friscy.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Call-heavy code translated in the Worker computes what the interpreter computes: a busybox
 * shell loop (arithmetic, {@code case}, a function, string building: the shell's evaluator, its
 * allocator and string functions, a few dozen instructions per call) runs once with the
 * translator off and once with it translating early, also where translated code leaves for
 * untranslated code ({@code Jit.arrived}), and both print the same.
 */
class TranslatorTest {
    private static final String SCRIPT = """
            f() { r=$(( $1 * 3 + 1 )); }
            i=0; s=0; str=
            while [ $i -lt 4000 ]; do
              i=$((i + 1))
              case $((i % 3)) in
                0) s=$((s + i));;
                1) s=$((s ^ i));;
                *) f $s; s=$((r % 100003));;
              esac
              [ $((i % 500)) -eq 0 ] && str="$str${i}:${#str},"
            done
            echo "$i $s $str"
            """;

    @Test
    @SuppressWarnings("unchecked")
    void shellLoopTranslatedWhereTranslatedCodeLeavesMatchesTheInterpreter() {
        try (BrowserContext ctx = Browser.chromium().newContext()) {
            Page page = ctx.newPage();
            List<String> stats = new ArrayList<>();
            page.onConsoleMessage(m -> {
                if (m.text().startsWith("friscy: regions")) {
                    stats.add(m.text());
                }
            });
            page.navigate(Browser.baseUrl() + "embed.html"); // any page that loads friscy.js
            String run = """
                    async ([script, jit]) => {
                      let out = '';
                      const s = await Friscy.boot({image: 'busybox', argv: ['/bin/sh', '-c', script], cwd: '/',
                          jit, jitThreshold: 2000, jitTune: 'followTranslated=4,followTranslatedUnsteady=4,followUntranslated=16'});
                      s.onOutput((b) => { out += new TextDecoder().decode(b); });
                      const status = await s.exited;
                      return {status, out};
                    }""";
            Map<String, Object> interpreted = (Map<String, Object>) page.evaluate(run, List.of(SCRIPT, false));
            Map<String, Object> translated = (Map<String, Object>) page.evaluate(run, List.of(SCRIPT, true));
            assertEquals(0, ((Number) interpreted.get("status")).intValue(), interpreted.toString());
            assertEquals(0, ((Number) translated.get("status")).intValue(), translated.toString());
            String expected = ((String) interpreted.get("out")).replace("\r", "");
            assertTrue(expected.startsWith("4000 "), expected);
            assertEquals(expected, ((String) translated.get("out")).replace("\r", ""));
            // the translated run did translate there (the Worker logs its statistics at exit)
            page.waitForCondition(() -> stats.stream().anyMatch(l -> !l.contains("translator off")),
                    new Page.WaitForConditionOptions().setTimeout(10_000));
            String line = stats.stream().filter(l -> !l.contains("translator off")).findFirst().orElseThrow();
            Matcher m = Pattern.compile("(\\d+) regions translated there").matcher(line);
            assertTrue(m.find(), line);
            assertTrue(Integer.parseInt(m.group(1)) > 0, line);
        }
    }
}
