package dev.friscy.cpu;

import dev.friscy.testing.Tools;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random straight-line and forward-branching programs (integer, M, Zba, Zbb, loads and stores,
 * whatever GNU as compresses) are assembled by the cross toolchain and run on qemu-riscv64 and
 * on our interpreter; the final registers and the scratch buffer must match byte for byte.
 * Skipped where the toolchain or qemu is missing. The programs are {@link RandomPrograms}'.
 */
class RandomProgramTest {
    private static final String GCC = Tools.GCC;
    private static final String QEMU = Tools.QEMU;

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13, 14})
    void floatingPointMatchesQemu(long seed) throws Exception {
        Tools.requireOnPath(GCC, QEMU);
        Files.writeString(tmp.resolve("fp.S"), RandomPrograms.fpProgram(seed, 2000));
        exec(tmp, GCC, "-static", "-nostdlib", "-march=rv64gc", "-o", "fp", "fp.S");
        byte[] expected = exec(tmp, QEMU, "./fp");
        assertEquals(8192 + 512, expected.length);
        Hart h = CpuBench.loadFreestanding(Files.readAllBytes(tmp.resolve("fp")));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, CpuBench.runFreestanding(h, out, 10_000_000L));
        byte[] got = out.toByteArray();
        for (int i = 0; i < 64; i++) {
            long e = 0;
            long g = 0;
            for (int k = 7; k >= 0; k--) {
                e = (e << 8) | (expected[8192 + i * 8 + k] & 0xff);
                g = (g << 8) | (got[8192 + i * 8 + k] & 0xff);
            }
            String what = i == 0 ? "fcsr" : i < 32 ? "x" + i : "f" + (i - 32);
            assertEquals(Long.toHexString(e), Long.toHexString(g), what + " (seed " + seed + ")");
        }
        assertArrayEquals(expected, got, "scratch buffer (seed " + seed + ")");
    }

    private static byte[] exec(Path dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timeout: " + String.join(" ", cmd));
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ":\n" + new String(out, StandardCharsets.UTF_8));
        return out;
    }

    @ParameterizedTest
    @CsvSource({"21, false", "22, false", "23, false", "24, true", "25, true", "26, true"})
    void loopsMatchQemu(long seed, boolean fp) throws Exception {
        Tools.requireOnPath(GCC, QEMU);
        Files.writeString(tmp.resolve("loops.S"), RandomPrograms.loopProgram(seed, 3000, 16, fp));
        exec(tmp, GCC, "-static", "-nostdlib", "-march=rv64gc_zba_zbb", "-o", "loops", "loops.S");
        String expected = new String(exec(tmp, QEMU, "./loops"), StandardCharsets.US_ASCII);
        assertEquals(RandomPrograms.loopOutputLength(fp), expected.length());
        Hart h = CpuBench.loadFreestanding(Files.readAllBytes(tmp.resolve("loops")));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, CpuBench.runFreestanding(h, out, 500_000_000L));
        RandomPrograms.assertSameRegisters(expected, out.toString(StandardCharsets.US_ASCII), fp, "seed " + seed);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4})
    void matchesQemu(long seed) throws Exception {
        Tools.requireOnPath(GCC, QEMU);
        Files.writeString(tmp.resolve("fuzz.S"), RandomPrograms.program(seed, 3000));
        exec(tmp, GCC, "-static", "-nostdlib", "-march=rv64gc_zba_zbb", "-o", "fuzz", "fuzz.S");
        byte[] expected = exec(tmp, QEMU, "./fuzz");
        assertEquals(8192 + 256, expected.length);
        Hart h = CpuBench.loadFreestanding(Files.readAllBytes(tmp.resolve("fuzz")));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, CpuBench.runFreestanding(h, out, 10_000_000L));
        byte[] got = out.toByteArray();
        for (int i = 0; i < 32; i++) {
            long e = 0;
            long g = 0;
            for (int k = 7; k >= 0; k--) {
                e = (e << 8) | (expected[8192 + i * 8 + k] & 0xff);
                g = (g << 8) | (got[8192 + i * 8 + k] & 0xff);
            }
            assertEquals(Long.toHexString(e), Long.toHexString(g), "x" + i + " (seed " + seed + ")");
        }
        assertArrayEquals(expected, got, "scratch buffer (seed " + seed + ")");
    }
}
