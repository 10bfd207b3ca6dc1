package dev.friscy.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.friscy.cli.RunCommand;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The F/D instructions end to end: guest/fpu/fpvectors ("quick" set: every instruction, static
 * and dynamic rounding modes, corner cases) runs on friscy itself — decoder, rounding-mode
 * resolution, NaN-boxing, fflags/frm CSRs and {@link Fpu} together — and must print exactly what
 * it prints under qemu-riscv64-static.
 */
class FpuGuestTest {
    private static final String QEMU = "qemu-riscv64-static";

    @Test
    void fpvectorsOnFriscyMatchesQemu() throws Exception {
        File exe = FpuDifferentialTest.vectorProgram();
        String want = qemu(exe, "quick");
        String got = friscy(exe, 600, "quick");
        String[] w = want.split("\n");
        String[] g = got.split("\n");
        assertTrue(w.length > 10_000, "too few lines from qemu: " + w.length);
        List<String> diffs = new ArrayList<>();
        int same = 0;
        for (int i = 0; i < Math.max(w.length, g.length); i++) {
            String wl = i < w.length ? w[i] : "(none)";
            String gl = i < g.length ? g[i] : "(none)";
            if (wl.equals(gl)) {
                same++;
            } else if (diffs.size() < 30) {
                diffs.add("line " + (i + 1) + ": qemu   " + wl + "\n" + "         friscy " + gl);
            }
        }
        System.out.println("FpuGuestTest: " + w.length + " lines compared, " + same + " identical");
        if (same != w.length || g.length != w.length) {
            fail((w.length - same) + " of " + w.length + " lines differ (friscy printed " + g.length
                    + ")\n" + String.join("\n", diffs));
        }
    }

    private static String qemu(File exe, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(QEMU, exe.getPath()));
        cmd.addAll(List.of(args));
        File err = File.createTempFile("fpvectors", ".err");
        err.deleteOnExit();
        Process p = FpuDifferentialTest.start(new ProcessBuilder(cmd).redirectError(err),
                QEMU + " not found: install qemu-user-static (CI: .ci/run installs it)");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "qemu did not finish");
        assertEquals(0, p.exitValue(), "fpvectors failed under qemu");
        return out;
    }

    /** Runs the program as init on friscy, as `friscy run` does, with a time limit. */
    private static String friscy(File exe, long timeoutSec, String... args) throws Exception {
        RunCommand.Options o = new RunCommand.Options();
        o.argv.add(exe.getCanonicalPath());
        o.argv.addAll(List.of(args));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int[] status = {-1};
        Throwable[] crash = {null};
        Thread th = new Thread(() -> {
            try (PrintStream ps = new PrintStream(err, true, "UTF-8")) {
                status[0] = RunCommand.execute(o, new ByteArrayInputStream(new byte[0]), out, ps, null);
            } catch (Throwable e) {
                crash[0] = e;
            }
        }, "friscy-fpvectors");
        th.setDaemon(true);
        th.start();
        th.join(timeoutSec * 1000);
        if (th.isAlive()) {
            th.interrupt();
            fail("fpvectors on friscy did not finish in " + timeoutSec + " s");
        }
        if (crash[0] != null) {
            throw new AssertionError("friscy crashed running fpvectors", crash[0]);
        }
        assertEquals(0, status[0], "fpvectors on friscy exited with " + status[0] + "\n"
                + err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.US_ASCII);
    }
}
