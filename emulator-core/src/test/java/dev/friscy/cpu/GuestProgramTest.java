package dev.friscy.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.friscy.mem.AddressSpace;
import dev.friscy.mem.Prot;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Differential test: a freestanding C program (isa_torture.c) compiled by the RISC-V cross gcc
 * runs on our interpreter and on qemu-riscv64; their outputs must match. Skipped where the
 * cross toolchain or qemu is missing (CI installs both).
 */
class GuestProgramTest {
    private static final String GCC = "riscv64-linux-gnu-gcc";
    private static final String QEMU = "qemu-riscv64-static";

    @TempDir
    Path tmp;

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (new File(dir, tool).canExecute()) {
                return true;
            }
        }
        return false;
    }

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
        assumeTrue(onPath(GCC) && onPath(QEMU), "RISC-V cross gcc or qemu-riscv64-static not installed");
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

    /** Loads a static ELF into a fresh address space and runs it with write(2) and exit(2) only. */
    private static String runOnInterpreter(byte[] elf) {
        ByteBuffer b = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
        long entry = b.getLong(24);
        long phoff = b.getLong(32);
        int phentsize = b.getShort(54) & 0xffff;
        int phnum = b.getShort(56) & 0xffff;
        AddressSpace as = new AddressSpace();
        long lo = Long.MAX_VALUE;
        long hi = 0;
        for (int i = 0; i < phnum; i++) {
            int ph = (int) phoff + i * phentsize;
            if (b.getInt(ph) == 1) { // PT_LOAD
                long va = b.getLong(ph + 16);
                long memsz = b.getLong(ph + 40);
                lo = Math.min(lo, va & ~0xfffL);
                hi = Math.max(hi, (va + memsz + 0xfff) & ~0xfffL);
            }
        }
        // one rwx region is enough for the CPU: the segments may share pages
        as.map(lo, hi - lo, Prot.READ | Prot.WRITE | Prot.EXEC, false, null, 0, "image");
        for (int i = 0; i < phnum; i++) {
            int ph = (int) phoff + i * phentsize;
            if (b.getInt(ph) == 1) {
                long off = b.getLong(ph + 8);
                long va = b.getLong(ph + 16);
                long filesz = b.getLong(ph + 32);
                as.poke(va, elf, (int) off, (int) filesz);
            }
        }
        long stackTop = 0x7fff0000L;
        as.map(stackTop - 0x100000, 0x100000, Prot.READ | Prot.WRITE, false, null, 0, "[stack]");
        Hart h = new Hart();
        h.as = as;
        h.pc = entry;
        h.x[2] = stackTop - 64;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            int why = Cpu.run(h, 1_000_000);
            if (why == Cpu.EXIT_BUDGET) {
                assertTrue(h.instret < 500_000_000L, "runaway guest");
                continue;
            }
            if (why != Cpu.EXIT_ECALL) {
                fail("guest stopped: exit " + why + " at pc " + Long.toHexString(h.pc) + " insn "
                        + Integer.toHexString(h.badInstruction) + " fault " + as.faultSignal + " @"
                        + Long.toHexString(as.faultAddr));
            }
            long nr = h.x[17];
            if (nr == 93) {
                assertEquals(0, h.x[10], "exit status");
                return out.toString(StandardCharsets.UTF_8);
            }
            assertEquals(64, nr, "only write and exit are expected");
            byte[] data = new byte[(int) h.x[12]];
            assertTrue(as.read(h.x[11], data, 0, data.length));
            out.write(data, 0, data.length);
            h.x[10] = data.length;
            h.pc += 4;
        }
    }
}
