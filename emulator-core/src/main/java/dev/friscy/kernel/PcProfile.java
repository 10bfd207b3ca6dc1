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

    /** Samples by code page ("file+0xoffset", or an address and the mapping's label) and by file. */
    private static final Map<String, long[]> pages = new HashMap<>();
    private static final Map<String, long[]> files = new HashMap<>();
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
        String file;
        String where;
        if (v == null) {
            file = "(unmapped)";
            where = String.format(Locale.ROOT, "0x%x %s", page, file);
        } else if (v.file != null) {
            file = v.file.mapName();
            where = String.format(Locale.ROOT, "%s+0x%x", file, v.fileOffset + (page - v.start));
        } else {
            file = v.name == null ? "(anonymous)" : v.name;
            where = String.format(Locale.ROOT, "0x%x %s", page, file);
        }
        pages.computeIfAbsent(where, k -> new long[1])[0]++;
        files.computeIfAbsent(file, k -> new long[1])[0]++;
    }

    /** Prints the {@code top} busiest files and pages with their shares, then forgets the samples. */
    public static void report(PrintStream out, int top) {
        out.printf(Locale.ROOT, "friscy: profile: %d samples (one per ~%d instructions run)%n", samples, MEAN_CHUNK);
        if (samples == 0) {
            return;
        }
        List<Map.Entry<String, long[]>> byFile = busiest(files, top);
        out.println("friscy: profile by file:");
        for (Map.Entry<String, long[]> e : byFile) {
            out.printf(Locale.ROOT, "  %5.1f%%  %s%n", 100.0 * e.getValue()[0] / samples, e.getKey());
        }
        out.printf(Locale.ROOT, "friscy: profile by code page (%d pages sampled):%n", pages.size());
        long cum = 0;
        for (Map.Entry<String, long[]> e : busiest(pages, top)) {
            cum += e.getValue()[0];
            out.printf(Locale.ROOT, "  %5.1f%%  %5.1f%% cumulative  %s%n", 100.0 * e.getValue()[0] / samples,
                    100.0 * cum / samples, e.getKey());
        }
        pages.clear();
        files.clear();
        samples = 0;
    }

    /** The {@code top} entries of {@code counts} with the most samples, most first. */
    private static List<Map.Entry<String, long[]>> busiest(Map<String, long[]> counts, int top) {
        List<Map.Entry<String, long[]>> l = new ArrayList<>(counts.entrySet());
        l.sort((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]));
        return l.subList(0, Math.min(top, l.size()));
    }
}
