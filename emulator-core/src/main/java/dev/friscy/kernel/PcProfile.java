package dev.friscy.kernel;

import dev.friscy.mem.Page;
import dev.friscy.mem.Vma;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A sampling profile of where guest code runs (`run --profile`): which code pages, of which
 * files, the guest's instructions are spent in. It costs the interpreter and translated code
 * nothing: while it is on, the kernel runs each time slice in chunks of random length, and the
 * pc where a chunk's budget ran out is the sample. The budget runs out wherever it happens to,
 * so every instruction run, interpreted or translated, is as likely as any other to be sampled;
 * system calls end chunks early without a sample (their time is the kernel's). A profiled run is
 * somewhat slower: translated code needs a region's worth of budget to start, so the last few
 * hundred instructions of each chunk run in the interpreter (which also makes where a chunk ended,
 * interpreter or translated code, no measure of how much ran translated).
 *
 * Why: what to make faster next depends on where a real program's instructions go, and that is
 * rarely where one guesses (node -e spends 13% of its 520 M instructions in the dynamic
 * linker's symbol lookup, before its main).
 */
public final class PcProfile {
    /** Set by the command line before the kernel runs; read once per time slice. */
    public static boolean on;
    /** Mean chunk length, in instructions: ~50,000 samples for 0.5 G instructions. */
    static final int MEAN_CHUNK = 10_000;

    private static final Map<String, long[]> pages = new HashMap<>();
    private static long samples;
    private static long seed = 0x9e3779b97f4a7c15L;

    private PcProfile() {
    }

    /** The next chunk's budget: uniform in [1, 2 * MEAN_CHUNK), at most {@code left}. */
    static long chunk(long left) {
        seed ^= seed << 13;
        seed ^= seed >>> 7;
        seed ^= seed << 17;
        long n = 1 + Long.remainderUnsigned(seed, 2L * MEAN_CHUNK - 1);
        return Math.min(n, left);
    }

    /** A chunk of task {@code t} ran out of budget with the next instruction at {@code pc}. */
    static void sample(Task t, long pc) {
        samples++;
        Vma v = t.mm == null ? null : t.mm.findVma(pc);
        long page = pc & ~Page.MASK;
        String where;
        if (v == null) {
            where = String.format(Locale.ROOT, "0x%x (unmapped)", page);
        } else if (v.file != null) {
            where = String.format(Locale.ROOT, "%s+0x%x", v.file.mapName(), v.fileOffset + (page - v.start));
        } else {
            where = String.format(Locale.ROOT, "0x%x %s", page, v.name == null ? "(anonymous)" : v.name);
        }
        long[] c = pages.get(where);
        if (c == null) {
            pages.put(where, c = new long[1]);
        }
        c[0]++;
    }

    /** Prints the {@code top} busiest pages and the share of each file, then forgets the samples. */
    public static void report(PrintStream out, int top) {
        out.printf(Locale.ROOT, "friscy: profile: %d samples (one per ~%d instructions run)%n", samples, MEAN_CHUNK);
        if (samples == 0) {
            return;
        }
        List<Map.Entry<String, long[]>> byPage = new ArrayList<>(pages.entrySet());
        byPage.sort((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]));
        Map<String, long[]> byFile = new HashMap<>();
        for (Map.Entry<String, long[]> e : byPage) {
            String k = e.getKey();
            int plus = k.lastIndexOf("+0x");
            String file = plus > 0 ? k.substring(0, plus) : k.contains(" ") ? k.substring(k.indexOf(' ') + 1) : k;
            byFile.computeIfAbsent(file, f -> new long[1])[0] += e.getValue()[0];
        }
        List<Map.Entry<String, long[]>> files = new ArrayList<>(byFile.entrySet());
        files.sort((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]));
        out.println("friscy: profile by file:");
        for (int i = 0; i < Math.min(top, files.size()); i++) {
            out.printf(Locale.ROOT, "  %5.1f%%  %s%n", 100.0 * files.get(i).getValue()[0] / samples, files.get(i).getKey());
        }
        out.printf(Locale.ROOT, "friscy: profile by code page (%d pages sampled):%n", byPage.size());
        long cum = 0;
        for (int i = 0; i < Math.min(top, byPage.size()); i++) {
            cum += byPage.get(i).getValue()[0];
            out.printf(Locale.ROOT, "  %5.1f%%  %5.1f%% cumulative  %s%n", 100.0 * byPage.get(i).getValue()[0] / samples,
                    100.0 * cum / samples, byPage.get(i).getKey());
        }
        pages.clear();
        samples = 0;
    }
}
