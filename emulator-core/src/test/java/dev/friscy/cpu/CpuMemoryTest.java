package dev.friscy.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.friscy.mem.AddressSpace;
import org.junit.jupiter.api.Test;

/** Loads and stores: widths, extension, misalignment, page crossings and faults. */
class CpuMemoryTest {
    private static final long D = Machine.DATA;

    @Test
    void loadWidthsAndExtension() {
        Machine m = new Machine();
        m.poke64(D, 0x8182838485868788L);
        m.h.x[10] = D;
        Asm a = new Asm()
                .lb(5, 10, 0).lbu(6, 10, 0).lh(7, 10, 0).lhu(8, 10, 0)
                .lw(9, 10, 4).lwu(11, 10, 4).ld(12, 10, 0)
                .lb(13, 10, 7).lh(14, 10, 6).lw(15, 10, 0)
                .ecall();
        m.load(a).runToEcall();
        assertEquals((long) (byte) 0x88, m.x(5));
        assertEquals(0x88L, m.x(6));
        assertEquals((long) (short) 0x8788, m.x(7));
        assertEquals(0x8788L, m.x(8));
        assertEquals((long) 0x81828384, m.x(9));
        assertEquals(0x81828384L, m.x(11));
        assertEquals(0x8182838485868788L, m.x(12));
        assertEquals((long) (byte) 0x81, m.x(13));
        assertEquals((long) (short) 0x8182, m.x(14));
        assertEquals((long) 0x85868788, m.x(15));
    }

    @Test
    void storeWidths() {
        Machine m = new Machine();
        m.h.x[10] = D;
        m.h.x[5] = 0x1122334455667788L;
        Asm a = new Asm()
                .sd(5, 10, 0)
                .sb(0, 10, 1)       // clear byte 1
                .sh(0, 10, 4)       // clear bytes 4..5
                .sw(5, 10, 8)       // low word at 8
                .sb(5, 10, 15)      // byte at 15
                .ecall();
        m.load(a).runToEcall();
        assertEquals(0x1122000055660088L, m.peek(D, 8));
        assertEquals(0x8800000055667788L, m.peek(D + 8, 8));
    }

    @Test
    void misalignedAccessesWork() {
        Machine m = new Machine();
        m.h.x[10] = D + 3;
        m.h.x[5] = 0x0102030405060708L;
        Asm a = new Asm()
                .sd(5, 10, 0)      // D+3..D+10
                .ld(6, 10, 0)
                .lw(7, 10, 1)      // D+4: bytes 07 06 05 04 -> 0x04050607
                .lhu(8, 10, 0)     // D+3 -> 0x0708
                .sw(5, 10, 10)     // D+13, misaligned word
                .lwu(9, 10, 10)
                .sh(5, 10, 20)     // D+23
                .lh(11, 10, 20)
                .ecall();
        m.load(a).runToEcall();
        assertEquals(0x0102030405060708L, m.x(6));
        assertEquals(0x04050607L, m.x(7));
        assertEquals(0x0708L, m.x(8));
        assertEquals(0x05060708L, m.x(9));
        assertEquals(0x0708L, m.x(11));
        assertEquals(0x08L, m.peek(D + 3, 1));
        assertEquals(0x01L, m.peek(D + 10, 1));
    }

    @Test
    void accessAcrossPageBoundary() {
        Machine m = new Machine();
        m.h.x[10] = D + 0xffd;
        m.h.x[5] = 0xa1a2a3a4a5a6a7a8L;
        Asm a = new Asm().sd(5, 10, 0).ld(6, 10, 0).lw(7, 10, 2).ecall();
        m.load(a).runToEcall();
        assertEquals(0xa1a2a3a4a5a6a7a8L, m.x(6));
        assertEquals((long) 0xa3a4a5a6, m.x(7));
        assertEquals(0xa8L, m.peek(D + 0xffd, 1));
        assertEquals(0xa1L, m.peek(D + 0x1004, 1));
    }

    @Test
    void repeatedAccessesHitTheTlb() {
        // a loop that stores then reloads 512 words: exercises the inline TLB path for every width
        Machine m = new Machine();
        m.h.x[10] = D;
        Asm a = new Asm()
                .addi(5, 0, 0)          // i
                .addi(6, 0, 512)        // n
                .slli(7, 5, 3)          // 8: loop
                .add(7, 7, 10)
                .sd(5, 7, 0)
                .ld(8, 7, 0)
                .sw(8, 7, 4)
                .lwu(9, 7, 4)
                .sh(9, 7, 2)
                .lhu(11, 7, 2)
                .sb(11, 7, 1)
                .lbu(12, 7, 1)
                .add(13, 13, 12)
                .addi(5, 5, 1)
                .blt(5, 6, -48)
                .ecall();
        m.load(a).runToEcall();
        long sum = 0;
        for (int i = 0; i < 512; i++) {
            sum += i & 0xff;
        }
        assertEquals(sum, m.x(13));
        long i = 300;
        assertEquals(((i & 0xffffffffL) << 32) | ((i & 0xffff) << 16) | ((i & 0xff) << 8) | (i & 0xff),
                m.peek(D + 8 * i, 8));
    }

    @Test
    void loadFromUnmappedFaults() {
        Machine m = new Machine();
        m.h.x[10] = 0x900000;
        Asm a = new Asm().addi(5, 0, 1).ld(6, 10, 8).addi(5, 0, 2).ecall();
        m.load(a);
        assertEquals(Cpu.EXIT_FAULT, m.run());
        assertEquals(Machine.CODE + 4, m.h.pc);
        assertEquals(AddressSpace.SIGSEGV, m.as.faultSignal);
        assertEquals(AddressSpace.SEGV_MAPERR, m.as.faultCode);
        assertEquals(0x900008L, m.as.faultAddr);
        assertEquals(1, m.x(5));
        assertEquals(1, m.h.instret);
    }

    @Test
    void storeToReadOnlyFaults() {
        Machine m = new Machine();
        m.h.x[10] = Machine.RODATA;
        m.h.x[5] = 7;
        m.load(new Asm().sb(5, 10, 3).ecall());
        assertEquals(Cpu.EXIT_FAULT, m.run());
        assertEquals(Machine.CODE, m.h.pc);
        assertEquals(AddressSpace.SEGV_ACCERR, m.as.faultCode);
        assertEquals(Machine.RODATA + 3, m.as.faultAddr);
        assertEquals(0, m.peek(Machine.RODATA, 8));
    }

    @Test
    void misalignedStoreHalfOnUnmappedPageFaultsWithoutWriting() {
        Machine m = new Machine();
        long end = Machine.DATA + Machine.DATA_LEN; // unmapped beyond
        m.h.x[10] = end - 4;
        m.h.x[5] = -1;
        m.load(new Asm().sd(5, 10, 0).ecall());
        assertEquals(Cpu.EXIT_FAULT, m.run());
        assertEquals(0, m.peek(end - 4, 4));
    }

    @Test
    void fetchFromUnmappedFaults() {
        Machine m = new Machine();
        m.h.x[5] = 0x700000;
        m.load(new Asm().jalr(1, 5, 0));
        assertEquals(Cpu.EXIT_FAULT, m.run());
        assertEquals(0x700000L, m.h.pc);
        assertEquals(0x700000L, m.as.faultAddr);
        assertEquals(Machine.CODE + 4, m.x(1));
        assertEquals(1, m.h.instret);
    }

    @Test
    void fetchFromNonExecutableFaults() {
        Machine m = new Machine();
        m.h.pc = Machine.DATA;
        assertEquals(Cpu.EXIT_FAULT, m.run());
        assertEquals(AddressSpace.SEGV_ACCERR, m.as.faultCode);
        assertEquals(Machine.DATA, m.h.pc);
    }
}
