import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes the Worker's interpreter, {@code dev.friscy.cpu.WorkerInterpreter}, from the core's
 * {@code Cpu.interpret}: the same statements, with every read of the decode array {@code ops}
 * and every read and write of the registers {@code x} and {@code f} made through the Wasm arrays
 * themselves ({@code RawArrays}), held in locals beside the Java arrays. Run by web-host's build
 * ({@code java WorkerInterpreterSource.java CPU_JAVA OUT_JAVA}) before it compiles; the JVM keeps
 * {@code Cpu.interpret} as written.
 *
 * Why generated and not written twice: the two must be the same interpreter, and every change to
 * {@code Cpu.interpret} is one to this copy. The build fails here when the method no longer has
 * the shape these rules expect, rather than produce a copy that differs in meaning.
 */
public final class WorkerInterpreterSource {
    static final String SIGNATURE = "    private static int interpret(Hart h, long budget, int plain) {";

    /** {@code x[i]} or {@code f[i]} (not a field's, not a longer name's), innermost index first. */
    private static final Pattern REG = Pattern.compile("(?<![\\w.\\]])([xf])\\[([^\\[\\]]*)\\]");
    /** A whole statement storing to a register: {@code x[i] = v;}. */
    private static final Pattern REG_STORE = Pattern.compile("^(\\s*)([xf])\\[([^\\[\\]]*)\\] = (.*);$");
    /** {@code ops[i]} not followed by an assignment, {@code ++} or {@code --}: a read. */
    private static final Pattern OPS_READ = Pattern.compile(
            "(?<![\\w.])ops\\[([^\\[\\]]*)\\](?!\\s*(?:[-+*/&|^]?=(?!=)|\\+\\+|--))");
    private static final Pattern OPS_DECLARE = Pattern.compile("^(\\s*)int\\[\\] ops = .*;$");
    private static final Pattern OPS_ASSIGN = Pattern.compile("^(\\s*)ops = .*;$");

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: WorkerInterpreterSource CPU_JAVA OUT_JAVA");
        }
        String cpu = Files.readString(Path.of(args[0]), StandardCharsets.UTF_8);
        String out = generate(cpu);
        Path target = Path.of(args[1]);
        Files.createDirectories(target.getParent());
        // leave an unchanged file alone, so the compiler's staleness check sees nothing new
        if (!Files.exists(target) || !Files.readString(target, StandardCharsets.UTF_8).equals(out)) {
            Files.writeString(target, out, StandardCharsets.UTF_8);
        }
    }

    static String generate(String cpu) {
        List<String> lines = List.of(cpu.split("\n", -1));
        List<String> imports = new ArrayList<>();
        for (String l : lines) {
            if (l.startsWith("import ")) {
                imports.add(l);
            }
        }
        int start = lines.indexOf(SIGNATURE);
        if (start < 0) {
            throw new IllegalStateException("Cpu.java has no line '" + SIGNATURE.trim() + "'");
        }
        int end = lines.subList(start, lines.size()).indexOf("    }");
        if (end < 0) {
            throw new IllegalStateException("interpret() has no end at four spaces' indent");
        }
        end += start;

        StringBuilder body = new StringBuilder();
        int[] count = new int[4]; // ops reads, ops (re)assignments, register reads, register stores
        boolean sawX = false;
        boolean sawF = false;
        for (int i = start + 1; i < end; i++) {
            String l = lines.get(i);
            String t = l.trim();
            if (t.equals("final long[] x = h.x;")) {
                sawX = true;
                body.append(l).append('\n').append(indent(l)).append("final RawI64 xr = RawArrays.of(x);\n");
                continue;
            }
            if (t.equals("final long[] f = h.f;")) {
                sawF = true;
                body.append(l).append('\n').append(indent(l)).append("final RawI64 fr = RawArrays.of(f);\n");
                continue;
            }
            String rewritten = rewrite(l, count);
            body.append(rewritten).append('\n');
            if (OPS_DECLARE.matcher(l).matches()) {
                body.append(indent(l)).append("RawI32 ro = RawArrays.ints(ops);\n");
                count[1]++;
            } else if (OPS_ASSIGN.matcher(l).matches()) {
                body.append(indent(l)).append("ro = RawArrays.ints(ops);\n");
                count[1]++;
            }
        }
        if (!sawX || !sawF || count[0] == 0 || count[1] == 0 || count[2] == 0 || count[3] == 0) {
            throw new IllegalStateException("interpret() no longer has the shape this generator rewrites"
                    + " (x " + sawX + ", f " + sawF + ", ops reads " + count[0] + ", ops assignments "
                    + count[1] + ", register reads " + count[2] + ", register stores " + count[3] + ")");
        }
        String rest = body.toString();
        Matcher left = Pattern.compile("(?<![\\w.\\]])(?:[xf]|ops)\\[[^\\]]*\\]\\s*(?:[-+*/&|^]=|\\+\\+|--)").matcher(rest);
        while (left.find()) {
            if (!left.group().startsWith("ops")) {
                throw new IllegalStateException("a register update this generator does not rewrite: " + left.group());
            }
        }
        Matcher reg = Pattern.compile("(?<![\\w.\\]])[xf]\\[").matcher(rest);
        if (reg.find()) {
            throw new IllegalStateException("a register access left unrewritten near: "
                    + rest.substring(reg.start(), Math.min(rest.length(), reg.start() + 60)));
        }

        StringBuilder s = new StringBuilder();
        s.append("// Generated by web-host/src/build/java/WorkerInterpreterSource.java from emulator-core's\n");
        s.append("// Cpu.java at build time; edit Cpu.interpret, not this file.\n");
        s.append("package dev.friscy.cpu;\n\n");
        for (String imp : imports) {
            s.append(imp).append('\n');
        }
        s.append("import dev.friscy.web.jit.RawArrays;\n");
        s.append("import dev.friscy.web.jit.RawI32;\n");
        s.append("import dev.friscy.web.jit.RawI64;\n\n");
        s.append("import static dev.friscy.cpu.Cpu.*;\n\n");
        s.append("/** Cpu.interpret for the Worker (see Cpu.Interpreter). */\n");
        s.append("public final class WorkerInterpreter implements Cpu.Interpreter {\n");
        s.append("    @Override\n");
        s.append("    public int interpret(Hart h, long budget, int plain) {\n");
        s.append(rest);
        s.append("    }\n}\n");
        return s.toString();
    }

    private static String rewrite(String l, int[] count) {
        Matcher st = REG_STORE.matcher(l);
        if (st.matches()) {
            count[3]++;
            String value = reads(st.group(4), count);
            return st.group(1) + "RawArrays.set(" + st.group(2) + "r, " + reads(st.group(3), count) + ", " + value + ");";
        }
        return reads(l, count);
    }

    /** Rewrites reads innermost first, until none is left. */
    private static String reads(String l, int[] count) {
        while (true) {
            Matcher m = REG.matcher(l);
            if (m.find()) {
                count[2]++;
                l = l.substring(0, m.start()) + "RawArrays.get(" + m.group(1) + "r, " + m.group(2) + ")" + l.substring(m.end());
                continue;
            }
            m = OPS_READ.matcher(l);
            if (m.find()) {
                count[0]++;
                l = l.substring(0, m.start()) + "RawArrays.get(ro, " + m.group(1) + ")" + l.substring(m.end());
                continue;
            }
            return l;
        }
    }

    private static String indent(String l) {
        int n = 0;
        while (n < l.length() && l.charAt(n) == ' ') {
            n++;
        }
        return l.substring(0, n);
    }
}
