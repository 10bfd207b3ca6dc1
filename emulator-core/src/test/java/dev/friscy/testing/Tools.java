package dev.friscy.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.File;

/**
 * What a test needs from the machine (cross gcc, qemu-riscv64-static, root). Missing, it skips
 * the test on a developer's machine but fails it under CI (env CI set): a CI run never passes
 * by skipping.
 */
public final class Tools {
    public static final String GCC = "riscv64-linux-gnu-gcc";
    public static final String QEMU = "qemu-riscv64-static";

    private Tools() {
    }

    /** True if {@code tool} is an executable on PATH. */
    public static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (new File(dir, tool).canExecute()) {
                return true;
            }
        }
        return false;
    }

    /** Ends the test unless {@code present}: a failure under CI, a skip elsewhere. */
    public static void require(boolean present, String missing) {
        if (present) {
            return;
        }
        String ci = System.getenv("CI");
        if (ci != null && !ci.isEmpty() && !"false".equalsIgnoreCase(ci)) {
            throw new AssertionError("CI is set but " + missing);
        }
        Assumptions.assumeTrue(false, missing);
    }

    /** Requires every tool on PATH. */
    public static void requireOnPath(String... tools) {
        for (String t : tools) {
            require(onPath(t), t + " is not installed");
        }
    }
}
