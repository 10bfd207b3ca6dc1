package dev.friscy.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.friscy.mem.AddressSpace;
import dev.friscy.mem.Prot;

/** A hart with a small address space: code at {@link #CODE} (r-x), data at {@link #DATA} (rw-). */
final class Machine {
    static final long CODE = 0x10000;
    static final long CODE_LEN = 0x4000;
    static final long DATA = 0x40000;
    static final long DATA_LEN = 0x4000;
    static final long RODATA = 0x50000;

    final AddressSpace as = new AddressSpace();
    final Hart h = new Hart();

    Machine() {
        as.map(CODE, CODE_LEN, Prot.READ | Prot.EXEC, false, null, 0, "code");
        as.map(DATA, DATA_LEN, Prot.READ | Prot.WRITE, false, null, 0, "data");
        as.map(RODATA, 0x1000, Prot.READ, false, null, 0, "rodata");
        h.as = as;
        h.pc = CODE;
    }

    Machine load(Asm a) {
        return load(CODE, a);
    }

    Machine load(long at, Asm a) {
        as.poke(at, a.bytes(), 0, a.size());
        h.pc = at;
        return this;
    }

    int run() {
        return Cpu.run(h, 10_000_000);
    }

    /** Runs and expects to stop at an ecall. */
    Machine runToEcall() {
        assertEquals(Cpu.EXIT_ECALL, run(), "exit reason");
        return this;
    }

    long x(int r) {
        return h.x[r];
    }

    void poke64(long addr, long v) {
        byte[] b = new byte[8];
        for (int k = 0; k < 8; k++) {
            b[k] = (byte) (v >>> (8 * k));
        }
        as.poke(addr, b, 0, 8);
    }

    long peek(long addr, int size) {
        as.clearFault();
        long v = as.load(addr, size);
        assertEquals(0, as.faultSignal, "peek fault");
        return v;
    }

    /** Executes one 32-bit instruction with x5 = a, x6 = b; returns x7. */
    static long exec(int inst, long a, long b) {
        Machine m = new Machine();
        m.h.x[5] = a;
        m.h.x[6] = b;
        m.load(new Asm().w32(inst).ecall()).runToEcall();
        return m.x(7);
    }
}
