package dev.friscy.cpu;

import dev.friscy.testing.Tools;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Differential test: a freestanding C program (isa_torture.c) compiled by the RISC-V cross gcc
 * runs on our interpreter and on qemu-riscv64; their outputs must match. Skipped where the
 * cross toolchain or qemu is missing (CI installs both).
 */
class GuestProgramTest {
    private static final String GCC = Tools.GCC;
    private static final String QEMU = Tools.QEMU;

    @TempDir
    Path tmp;

    private static byte[] exec(Path dir, String... cmd) throws IOException, InterruptedException {
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
    @ValueSource(strings = {"rv64gc", "rv64g", "rv64gc_zba_zbb"})
    void matchesQemu(String march) throws Exception {
        Tools.requireOnPath(GCC, QEMU);
        Path src = tmp.resolve("isa_torture.c");
        try (InputStream in = getClass().getResourceAsStream("isa_torture.c")) {
            Files.write(src, in.readAllBytes());
        }
        exec(tmp, GCC, "-static", "-O2", "-nostdlib", "-ffreestanding", "-fno-math-errno", "-march=" + march,
                "-o", "prog", "isa_torture.c", "-lgcc");
        String expected = new String(exec(tmp, QEMU, "./prog"), StandardCharsets.UTF_8);
        String got = runOnInterpreter(Files.readAllBytes(tmp.resolve("prog")));
        assertTrue(expected.contains("fp="), expected);
        assertEquals(expected, got);
    }

    private static String runOnInterpreter(byte[] elf) throws IOException {
        Hart h = CpuBench.loadFreestanding(elf);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, CpuBench.runFreestanding(h, out, 500_000_000L), "exit status");
        return out.toString(StandardCharsets.UTF_8);
    }
}
