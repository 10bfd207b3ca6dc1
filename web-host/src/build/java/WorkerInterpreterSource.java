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

    /**
     * {@code x[i]}, {@code f[i]}, {@code pd[i]} (a page's longs, in the narrow stores) or a TLB
     * tag, not a field's, not a longer name's; innermost index first.
     */
    private static final Pattern REG = Pattern.compile("(?<![\\w.\\]])(x|f|pd|rTag|wTag|xTag)\\[([^\\[\\]]*)\\]");
    /** A whole statement storing to one of those: {@code x[i] = v;}. */
    private static final Pattern REG_STORE = Pattern.compile("^(\\s*)(x|f|pd)\\[([^\\[\\]]*)\\] = (.*);$");
    /** A read through the TLB: {@code rData[ti][i]} or {@code wData[ti][i]}. */
    private static final Pattern TLB = Pattern.compile("(?<![\\w.])([rw])Data\\[([^\\[\\]]*)\\]\\[([^\\[\\]]*)\\]");
    /** A whole statement storing through the write TLB: {@code wData[ti][i] = v;}. */
    private static final Pattern TLB_STORE = Pattern.compile("^(\\s*)wData\\[([^\\[\\]]*)\\]\\[([^\\[\\]]*)\\] = (.*);$");
    /** A page of the write TLB taken for a narrow store: {@code long[] pd = wData[ti];}. */
    private static final Pattern TLB_PAGE = Pattern.compile("^(\\s*)long\\[\\] pd = wData\\[([^\\[\\]]*)\\];$");
    /** {@code ops[i]} not followed by an assignment, {@code ++} or {@code --}: a read. */
    private static final Pattern OPS_READ = Pattern.compile(
            "(?<![\\w.])ops\\[([^\\[\\]]*)\\](?!\\s*(?:[-+*/&|^]?=(?!=)|\\+\\+|--))");
    /**
     * A page's counters in its decode array, updated by whole statements: {@code ops[Jit.HOT] -= v;}
     * at every taken branch, {@code ops[Jit.ENTRIES]++;} at every page entry.
     */
    private static final Pattern OPS_SUB = Pattern.compile("^(\\s*)ops\\[(Jit\\.[A-Z_]+)\\] -= (.*);$");
    private static final Pattern OPS_INC = Pattern.compile("^(\\s*)ops\\[(Jit\\.[A-Z_]+)\\]\\+\\+;$");
    /** The TLB's tags: {@code final long[] rTag = as.rTag;} (and wTag, xTag). */
    private static final Pattern TAGS = Pattern.compile("^(\\s*)final long\\[\\] ([rwx]Tag) = as\\.\\2;$");
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
        // ops reads, ops (re)assignments, register reads, register stores, TLB tables, TLB pages,
        // TLB accesses, counter updates, TLB tag tables
        int[] count = new int[9];
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
            Matcher tag = TAGS.matcher(l);
            if (tag.matches()) {
                body.append(l).append('\n').append(tag.group(1)).append("final RawI64 ").append(tag.group(2))
                        .append("s = RawArrays.of(").append(tag.group(2)).append(");\n");
                count[8]++;
                continue;
            }
            if (t.equals("final long[][] rData = as.rData;") || t.equals("final long[][] wData = as.wData;")) {
                char k = t.charAt(15); // r or w
                body.append(l).append('\n').append(indent(l)).append("final RawPages ").append(k)
                        .append("Raw = ((RawTlb) as.mirror).").append(k).append(";\n");
                count[4]++;
                continue;
            }
            Matcher page = TLB_PAGE.matcher(l);
            if (page.matches()) {
                body.append(page.group(1)).append("RawI64 pd = RawArrays.page(wRaw, ").append(page.group(2)).append(");\n");
                count[5]++;
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
        if (!sawX || !sawF || count[0] == 0 || count[1] == 0 || count[2] == 0 || count[3] == 0 || count[4] != 2
                || count[5] == 0 || count[6] == 0 || count[7] == 0 || count[8] != 3) {
            throw new IllegalStateException("interpret() no longer has the shape this generator rewrites"
                    + " (x " + sawX + ", f " + sawF + ", ops reads " + count[0] + ", ops assignments "
                    + count[1] + ", register reads " + count[2] + ", register stores " + count[3]
                    + ", TLB tables " + count[4] + ", TLB pages " + count[5] + ", TLB accesses " + count[6]
                    + ", counter updates " + count[7] + ", tag tables " + count[8] + ")");
        }
        String rest = body.toString();
        Matcher left = Pattern.compile("(?<![\\w.\\]])(?:x|f|pd|ops)\\[[^\\]]*\\]\\s*(?:[-+*/&|^]=|\\+\\+|--)").matcher(rest);
        while (left.find()) {
            if (!left.group().startsWith("ops")) {
                throw new IllegalStateException("a register update this generator does not rewrite: " + left.group());
            }
        }
        Matcher reg = Pattern.compile("(?<![\\w.\\]])(?:x|f|pd|rData|wData|rTag|wTag|xTag)\\[").matcher(rest);
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
        s.append("import dev.friscy.web.jit.RawI64;\n");
        s.append("import dev.friscy.web.jit.RawPages;\n");
        s.append("import dev.friscy.web.jit.RawTlb;\n\n");
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
        Matcher st = OPS_SUB.matcher(l);
        if (st.matches()) {
            count[7]++;
            return st.group(1) + "RawArrays.set(ro, " + st.group(2) + ", RawArrays.get(ro, " + st.group(2) + ") - ("
                    + reads(st.group(3), count) + "));";
        }
        st = OPS_INC.matcher(l);
        if (st.matches()) {
            count[7]++;
            return st.group(1) + "RawArrays.set(ro, " + st.group(2) + ", RawArrays.get(ro, " + st.group(2) + ") + 1);";
        }
        st = TLB_STORE.matcher(l);
        if (st.matches()) {
            count[6]++;
            return st.group(1) + "RawArrays.set(RawArrays.page(wRaw, " + reads(st.group(2), count) + "), "
                    + reads(st.group(3), count) + ", " + reads(st.group(4), count) + ");";
        }
        st = REG_STORE.matcher(l);
        if (st.matches()) {
            count[3]++;
            String value = reads(st.group(4), count);
            return st.group(1) + "RawArrays.set(" + raw(st.group(2)) + ", " + reads(st.group(3), count) + ", " + value + ");";
        }
        return reads(l, count);
    }

    /** The local holding the Wasm array of {@code x}, {@code f}, {@code pd} or a tag table. */
    private static String raw(String name) {
        return name.equals("pd") ? "pd" : name.endsWith("Tag") ? name + "s" : name + "r";
    }

    /** Rewrites reads innermost first, until none is left. */
    private static String reads(String l, int[] count) {
        while (true) {
            Matcher m = TLB.matcher(l);
            if (m.find()) {
                count[6]++;
                l = l.substring(0, m.start()) + "RawArrays.get(RawArrays.page(" + m.group(1) + "Raw, " + m.group(2) + "), "
                        + m.group(3) + ")" + l.substring(m.end());
                continue;
            }
            m = REG.matcher(l);
            if (m.find()) {
                count[2]++;
                l = l.substring(0, m.start()) + "RawArrays.get(" + raw(m.group(1)) + ", " + m.group(2) + ")" + l.substring(m.end());
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
