package dev.friscy.cpu;

import dev.friscy.mem.AddressSpace;
import dev.friscy.mem.Prot;

/**
 * Interpreter speed check: a tight loop of integer ops, loads, stores and a branch, the mix
 * of compiled C inner loops. Prints millions of guest instructions per second.
 * Run: {@code java -cp emulator-core/target/classes dev.friscy.cpu.CpuBench [seconds]}, or with the
 * path of a freestanding static RISC-V ELF (write and exit only) to time that instead.
 */
public final class CpuBench {
    static final long CODE = 0x10000;
    static final long DATA = 0x100000;

    private CpuBench() {
    }

    private static int i(int opc, int f3, int rd, int rs1, int imm) {
        return imm << 20 | rs1 << 15 | f3 << 12 | rd << 7 | opc;
    }

    private static int r(int opc, int f3, int f7, int rd, int rs1, int rs2) {
        return f7 << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | rd << 7 | opc;
    }

    private static int s(int f3, int rs1, int rs2, int imm) {
        return (imm >> 5) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | (imm & 31) << 7 | 0x23;
    }

    private static int b(int f3, int rs1, int rs2, int off) {
        return ((off >> 12) & 1) << 31 | ((off >> 5) & 63) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12
                | ((off >> 1) & 15) << 8 | ((off >> 11) & 1) << 7 | 0x63;
    }

    /** The loop; a1 (x11) holds the iteration count, a0 (x10) the data base. 10 instructions per round. */
    static int[] loop() {
        return new int[] {
            i(0x13, 7, 5, 11, 511),        // andi t0, a1, 511
            i(0x13, 1, 5, 5, 3),           // slli t0, t0, 3
            r(0x33, 0, 0, 5, 5, 10),       // add t0, t0, a0
            i(0x03, 3, 6, 5, 0),           // ld t1, 0(t0)
            r(0x33, 0, 0, 6, 6, 11),       // add t1, t1, a1
            s(3, 5, 6, 0),                 // sd t1, 0(t0)
            i(0x03, 2, 28, 5, 4),          // lw t3, 4(t0)
            r(0x33, 4, 0, 7, 7, 28),       // xor t2, t2, t3
            i(0x13, 0, 11, 11, -1),        // addi a1, a1, -1
            b(1, 11, 0, -36),              // bnez a1, loop
            0x00000073,                    // ecall
        };
    }

    static Hart setup(long rounds) {
        AddressSpace as = new AddressSpace();
        as.map(CODE, 0x1000, Prot.READ | Prot.EXEC, false, null, 0, "code");
        as.map(DATA, 0x1000, Prot.READ | Prot.WRITE, false, null, 0, "data");
        int[] code = loop();
        byte[] bytes = new byte[code.length * 4];
        for (int k = 0; k < bytes.length; k++) {
            bytes[k] = (byte) (code[k >> 2] >>> (8 * (k & 3)));
        }
        as.poke(CODE, bytes, 0, bytes.length);
        Hart h = new Hart();
        h.as = as;
        h.pc = CODE;
        h.x[10] = DATA;
        h.x[11] = rounds;
        return h;
    }

    /**
     * Runs {@code rounds} loop iterations in slices like the kernel does; returns MIPS per second
     * of this thread's CPU time (the machine may be shared, wall time would measure the others).
     */
    static double measure(long rounds) {
        Hart h = setup(rounds);
        java.lang.management.ThreadMXBean tm = java.lang.management.ManagementFactory.getThreadMXBean();
        long t0 = tm.getCurrentThreadCpuTime();
        int exit;
        do {
            exit = Cpu.run(h, 1_000_000);
        } while (exit == Cpu.EXIT_BUDGET);
        long ns = tm.getCurrentThreadCpuTime() - t0;
        if (exit != Cpu.EXIT_ECALL || h.x[11] != 0) {
            throw new IllegalStateException("benchmark loop ended with exit " + exit);
        }
        return h.instret * 1000.0 / ns;
    }

    /**
     * Loads a static, freestanding RISC-V ELF (one that only calls write and exit) into a fresh
     * address space: one rwx region covers its PT_LOAD segments, plus a 1 MiB stack.
     */
    static Hart loadFreestanding(byte[] elf) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(elf).order(java.nio.ByteOrder.LITTLE_ENDIAN);
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
                lo = Math.min(lo, va & ~0xfffL);
                hi = Math.max(hi, (va + b.getLong(ph + 40) + 0xfff) & ~0xfffL);
            }
        }
        as.map(lo, hi - lo, Prot.READ | Prot.WRITE | Prot.EXEC, false, null, 0, "image");
        for (int i = 0; i < phnum; i++) {
            int ph = (int) phoff + i * phentsize;
            if (b.getInt(ph) == 1) {
                as.poke(b.getLong(ph + 16), elf, (int) b.getLong(ph + 8), (int) b.getLong(ph + 32));
            }
        }
        long stackTop = 0x7fff0000L;
        as.map(stackTop - 0x100000, 0x100000, Prot.READ | Prot.WRITE, false, null, 0, "[stack]");
        Hart h = new Hart();
        h.as = as;
        h.pc = b.getLong(24);
        h.x[2] = stackTop - 64;
        return h;
    }

    /**
     * Runs a hart loaded by {@link #loadFreestanding} to its exit(2), serving write(2) into
     * {@code out}. Returns the exit status; throws on anything else the guest does, or once it
     * has run {@code limit} instructions.
     */
    static int runFreestanding(Hart h, java.io.OutputStream out, long limit) throws java.io.IOException {
        while (true) {
            int why = Cpu.run(h, 1_000_000);
            if (why == Cpu.EXIT_BUDGET) {
                if (h.instret >= limit) {
                    throw new IllegalStateException("guest still running after " + h.instret + " instructions");
                }
                continue;
            }
            if (why != Cpu.EXIT_ECALL) {
                throw new IllegalStateException("guest stopped: exit " + why + " at pc 0x" + Long.toHexString(h.pc)
                        + " insn 0x" + Integer.toHexString(h.badInstruction) + " signal " + h.as.faultSignal
                        + " @0x" + Long.toHexString(h.as.faultAddr));
            }
            long nr = h.x[17];
            if (nr == 93) {
                return (int) h.x[10];
            }
            if (nr != 64) {
                throw new IllegalStateException("unexpected system call " + nr);
            }
            byte[] data = new byte[(int) h.x[12]];
            if (!h.as.read(h.x[11], data, 0, data.length)) {
                throw new IllegalStateException("write from bad address");
            }
            out.write(data);
            h.x[10] = data.length;
            h.pc += 4;
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && new java.io.File(args[0]).isFile()) {
            byte[] elf = java.nio.file.Files.readAllBytes(java.nio.file.Paths.get(args[0]));
            java.lang.management.ThreadMXBean tm = java.lang.management.ManagementFactory.getThreadMXBean();
            for (int round = 0; round < 3; round++) {
                Hart h = loadFreestanding(elf);
                long t0 = tm.getCurrentThreadCpuTime();
                int status = runFreestanding(h, round == 0 ? System.out : java.io.OutputStream.nullOutputStream(),
                        Long.MAX_VALUE);
                long ns = tm.getCurrentThreadCpuTime() - t0;
                System.out.println("exit " + status + ", " + h.instret + " instructions, "
                        + Math.round(h.instret * 1000.0 / ns) + " MIPS");
            }
            return;
        }
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 10;
        long rounds = 5_000_000;
        long end = System.nanoTime() + (long) (seconds * 1e9);
        double best = 0;
        while (System.nanoTime() < end) {
            double mips = measure(rounds);
            best = Math.max(best, mips);
            System.out.println("MIPS: " + Math.round(mips));
            rounds = 20_000_000;
        }
        System.out.println("best MIPS: " + Math.round(best));
    }
}
