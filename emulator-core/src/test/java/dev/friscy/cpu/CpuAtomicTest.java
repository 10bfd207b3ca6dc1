package dev.friscy.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.friscy.mem.AddressSpace;
import org.junit.jupiter.api.Test;

/** The A extension: LR/SC reservation rules and every AMO. */
class CpuAtomicTest {
    private static final long D = Machine.DATA;
    private static final int LR = 0x02, SC = 0x03, SWAP = 0x01, ADD = 0x00, XOR = 0x04, AND = 0x0c, OR = 0x08,
            MIN = 0x10, MAX = 0x14, MINU = 0x18, MAXU = 0x1c;

    @Test
    void lrScSucceedsOnceThenFails() {
        Machine m = new Machine();
        m.poke64(D, 41);
        m.h.x[10] = D;
        Asm a = new Asm()
                .amo(LR, 8, 5, 10, 0)
                .addi(5, 5, 1)
                .amo(SC, 8, 6, 10, 5)  // succeeds: x6 = 0
                .amo(SC, 8, 7, 10, 5)  // no reservation any more: x7 = 1
                .ecall();
        m.load(a).runToEcall();
        assertEquals(0, m.x(6));
        assertEquals(1, m.x(7));
        assertEquals(42, m.peek(D, 8));
        assertEquals(-1, m.h.reservation);
    }

    @Test
    void storeToReservedGranuleBreaksReservation() {
        Machine m = new Machine();
        m.h.x[10] = D + 16;
        m.h.x[11] = D + 20;
        m.h.x[12] = D + 64; // same page, other granule
        m.h.x[5] = 9;
        Asm a = new Asm()
                .amo(LR, 8, 6, 10, 0)
                .sd(5, 12, 0)           // other granule: reservation survives
                .amo(SC, 8, 7, 10, 5)   // x7 = 0
                .amo(LR, 8, 6, 10, 0)
                .sb(5, 11, 0)           // a byte inside the granule
                .amo(SC, 8, 28, 10, 5)  // x28 = 1
                .amo(LR, 4, 6, 10, 0)
                .sw(5, 10, 0)           // a plain store to the same word (fast path otherwise)
                .amo(SC, 4, 29, 10, 5)  // x29 = 1
                .ecall();
        m.load(a).runToEcall();
        assertEquals(0, m.x(7));
        assertEquals(1, m.x(28));
        assertEquals(1, m.x(29));
        assertEquals(9, m.peek(D + 64, 8));
    }

    @Test
    void storeAfterTlbWarmupStillBreaksReservation() {
        // the page is already in the write TLB before the LR: the reservation must still see the store
        Machine m = new Machine();
        m.h.x[10] = D;
        m.h.x[5] = 3;
        Asm a = new Asm()
                .sd(5, 10, 8)           // warm the write TLB
                .amo(LR, 8, 6, 10, 0)
                .sd(5, 10, 0)
                .amo(SC, 8, 7, 10, 5)
                .ecall();
        m.load(a).runToEcall();
        assertEquals(1, m.x(7));
    }

    @Test
    void scToOtherAddressFailsAndEcallClearsReservation() {
        Machine m = new Machine();
        m.h.x[10] = D;
        m.h.x[11] = D + 8;
        m.load(new Asm().amo(LR, 8, 6, 10, 0).amo(SC, 8, 7, 11, 5).amo(LR, 8, 6, 10, 0).ecall()).runToEcall();
        assertEquals(1, m.x(7));
        assertEquals(-1, m.h.reservation); // a trap into the kernel breaks it, as on Linux
    }

    @Test
    void lrWordSignExtends() {
        Machine m = new Machine();
        m.poke64(D, 0x00000000_80000001L);
        m.h.x[10] = D;
        m.load(new Asm().amo(LR, 4, 5, 10, 0).ecall()).runToEcall();
        assertEquals(0xffffffff80000001L, m.x(5));
    }

    private static long[] amo(int f5, int size, long mem, long operand) {
        Machine m = new Machine();
        m.poke64(D, mem);
        m.h.x[10] = D;
        m.h.x[6] = operand;
        m.load(new Asm().amo(f5, size, 5, 10, 6).ecall()).runToEcall();
        return new long[] {m.x(5), m.peek(D, 8)};
    }

    @Test
    void amoDoubleword() {
        assertArrayEq(amo(SWAP, 8, 5, 7), 5, 7);
        assertArrayEq(amo(ADD, 8, 5, -7), 5, -2);
        assertArrayEq(amo(XOR, 8, 0xff, 0x0f), 0xff, 0xf0);
        assertArrayEq(amo(AND, 8, 0xff, 0x0f), 0xff, 0x0f);
        assertArrayEq(amo(OR, 8, 0xf0, 0x0f), 0xf0, 0xff);
        assertArrayEq(amo(MIN, 8, -1, 1), -1, -1);
        assertArrayEq(amo(MAX, 8, -1, 1), -1, 1);
        assertArrayEq(amo(MINU, 8, -1, 1), -1, 1);
        assertArrayEq(amo(MAXU, 8, -1, 1), -1, -1);
    }

    @Test
    void amoWordTouchesOnlyTheWordAndSignExtends() {
        long hi = 0x5555555500000000L;
        assertArrayEq(amo(ADD, 4, hi | 0x7fffffffL, 1), 0x7fffffffL, hi | 0x80000000L);
        assertArrayEq(amo(SWAP, 4, hi | 0xfffffffeL, 3), -2, hi | 3);
        assertArrayEq(amo(MIN, 4, hi | 0x80000000L, 1), 0xffffffff80000000L, hi | 0x80000000L);
        assertArrayEq(amo(MAX, 4, hi | 0x80000000L, 1), 0xffffffff80000000L, hi | 1);
        assertArrayEq(amo(MINU, 4, hi | 0x80000000L, 1), 0xffffffff80000000L, hi | 1);
        assertArrayEq(amo(MAXU, 4, hi | 0x80000000L, 0xffffffffL), 0xffffffff80000000L, hi | 0xffffffffL);
    }

    @Test
    void misalignedAmoIsSigbus() {
        Machine m = new Machine();
        m.h.x[10] = D + 4;
        m.load(new Asm().addi(7, 0, 1).amo(ADD, 8, 5, 10, 6).ecall());
        assertEquals(Cpu.EXIT_FAULT, m.run());
        assertEquals(AddressSpace.SIGBUS, m.as.faultSignal);
        assertEquals(1, m.as.faultCode);
        assertEquals(D + 4, m.as.faultAddr);
        assertEquals(Machine.CODE + 4, m.h.pc);
    }

    @Test
    void amoOnReadOnlyPageFaults() {
        Machine m = new Machine();
        m.h.x[10] = Machine.RODATA;
        m.load(new Asm().amo(SWAP, 8, 5, 10, 6).ecall());
        assertEquals(Cpu.EXIT_FAULT, m.run());
        assertEquals(AddressSpace.SIGSEGV, m.as.faultSignal);
        assertEquals(AddressSpace.SEGV_ACCERR, m.as.faultCode);
    }

    @Test
    void reservedAmoEncodingIsIllegal() {
        Machine m = new Machine();
        m.load(new Asm().amo(0x05, 8, 5, 10, 6));
        assertEquals(Cpu.EXIT_ILLEGAL, m.run());
        m = new Machine();
        m.load(new Asm().amo(LR, 8, 5, 10, 6)); // LR with rs2 != 0
        assertEquals(Cpu.EXIT_ILLEGAL, m.run());
    }

    private static void assertArrayEq(long[] got, long old, long mem) {
        assertEquals(old, got[0], "old value");
        assertEquals(mem, got[1], "memory");
    }
}
