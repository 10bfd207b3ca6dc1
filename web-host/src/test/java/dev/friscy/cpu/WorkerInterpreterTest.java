package dev.friscy.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Worker's interpreter is the core's, access for access: undoing the generator's rewrites of
 * the generated {@code WorkerInterpreter} (each {@code RawArrays.get(r, i)} back to an array read,
 * each {@code RawArrays.set} to a store, the raw locals dropped) gives back {@code Cpu.interpret}
 * line for line. The generated class runs only in the Worker, where the page's suites run it.
 */
class WorkerInterpreterTest {
    private static final Path CPU = Path.of("../emulator-core/src/main/java/dev/friscy/cpu/Cpu.java");
    private static final Path GENERATED = Path.of("target/generated-sources/worker/dev/friscy/cpu/WorkerInterpreter.java");

    @Test
    void generatedInterpreterIsCpuInterpretLineForLine() throws IOException {
        List<String> core = method(Files.readString(CPU, StandardCharsets.UTF_8),
                "    private static int interpret(Hart h, long budget, int plain) {");
        List<String> worker = method(Files.readString(GENERATED, StandardCharsets.UTF_8),
                "    public int interpret(Hart h, long budget, int plain) {");
        List<String> undone = new ArrayList<>();
        int raw = 0;
        for (String l : worker) {
            String t = l.trim();
            if (t.equals("final RawI64 xr = RawArrays.of(x);") || t.equals("final RawI64 fr = RawArrays.of(f);")
                    || t.equals("RawI32 ro = RawArrays.ints(ops);") || t.equals("ro = RawArrays.ints(ops);")
                    || t.equals("final RawPages rRaw = ((RawTlb) as.mirror).r;")
                    || t.equals("final RawPages wRaw = ((RawTlb) as.mirror).w;")
                    || t.matches("final RawI64 ([rwx]Tag)s = RawArrays\\.of\\(\\1\\);")) {
                continue;
            }
            String u = undo(counter(l.replace("RawI64 pd = ", "long[] pd = ")));
            if (!u.equals(l)) {
                raw++;
            }
            undone.add(u);
        }
        assertTrue(raw > 50, "the generated interpreter rewrote only " + raw + " lines");
        assertEquals(core.size(), undone.size());
        for (int i = 0; i < core.size(); i++) {
            assertEquals(core.get(i), undone.get(i), "line " + (i + 1) + " of interpret()");
        }
    }

    /** The body of the method whose first line is {@code signature}. */
    private static List<String> method(String source, String signature) {
        List<String> lines = List.of(source.split("\n", -1));
        int start = lines.indexOf(signature);
        assertTrue(start >= 0, "no line " + signature.trim());
        int end = start + lines.subList(start, lines.size()).indexOf("    }");
        return lines.subList(start + 1, end);
    }

    private static final Pattern SUB = Pattern.compile(
            "^(\\s*)RawArrays\\.set\\(ro, (Jit\\.[A-Z_]+), RawArrays\\.get\\(ro, \\2\\) - \\((.*)\\)\\);$");
    private static final Pattern INC = Pattern.compile(
            "^(\\s*)RawArrays\\.set\\(ro, (Jit\\.[A-Z_]+), RawArrays\\.get\\(ro, \\2\\) \\+ 1\\);$");

    /** A counter's update back to {@code ops[C] -= v;} or {@code ops[C]++;}. */
    private static String counter(String l) {
        Matcher m = SUB.matcher(l);
        if (m.matches()) {
            return m.group(1) + "ops[" + m.group(2) + "] -= " + undo(m.group(3)) + ";";
        }
        m = INC.matcher(l);
        return m.matches() ? m.group(1) + "ops[" + m.group(2) + "]++;" : l;
    }

    /** Rewrites RawArrays.get/set back to array syntax, innermost calls first. */
    private static String undo(String l) {
        while (true) {
            int at = Math.max(Math.max(l.lastIndexOf("RawArrays.get("), l.lastIndexOf("RawArrays.set(")),
                    l.lastIndexOf("RawArrays.page("));
            if (at < 0) {
                return l;
            }
            boolean set = l.startsWith("RawArrays.set(", at);
            int open = l.indexOf('(', at);
            int close = closing(l, open);
            List<String> args = split(l.substring(open + 1, close));
            String array = switch (args.get(0)) {
                case "ro" -> "ops";
                case "xr" -> "x";
                case "fr" -> "f";
                case "rRaw" -> "rData";
                case "wRaw" -> "wData";
                case "rTags" -> "rTag";
                case "wTags" -> "wTag";
                case "xTags" -> "xTag";
                default -> args.get(0); // pd, or a TLB page already undone
            };
            String access = array + "[" + args.get(1) + "]";
            if (set) {
                assertEquals(3, args.size(), l);
                // a store is a whole statement: "RawArrays.set(xr, i, v);" back to "x[i] = v;"
                l = l.substring(0, at) + access + " = " + args.get(2) + l.substring(close + 1);
            } else {
                assertEquals(2, args.size(), l);
                l = l.substring(0, at) + access + l.substring(close + 1);
            }
        }
    }

    private static int closing(String s, int open) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i;
            }
        }
        throw new AssertionError("unbalanced: " + s);
    }

    private static List<String> split(String args) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int from = 0;
        for (int i = 0; i < args.length(); i++) {
            char c = args.charAt(i);
            if (c == '(' || c == '[') {
                depth++;
            } else if (c == ')' || c == ']') {
                depth--;
            } else if (c == ',' && depth == 0) {
                out.add(args.substring(from, i).trim());
                from = i + 1;
            }
        }
        out.add(args.substring(from).trim());
        return out;
    }
}
