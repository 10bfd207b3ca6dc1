package dev.friscy.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** RV64C: every compressed form against the 32-bit instruction GNU as gives for it. */
class CpuCompressedTest {
    /**
     * {16-bit encoding, 32-bit equivalent}: both columns assembled by riscv64-linux-gnu-as
     * (-march=rv64gc for the first, rv64g for the second) from the source in the comment.
     */
    private static final int[][] PAIRS = {
            {0x0040, 0x00410413}, // c.addi4spn s0, sp, 4
            {0x1ffc, 0x3fc10793}, // c.addi4spn a5, sp, 1020
            {0x2588, 0x0085b507}, // c.fld fa0, 8(a1)
            {0x3c64, 0x0f843487}, // c.fld fs1, 248(s0)
            {0x41c8, 0x0045a503}, // c.lw a0, 4(a1)
            {0x5cfc, 0x07c4a783}, // c.lw a5, 124(s1)
            {0x6690, 0x0086b603}, // c.ld a2, 8(a3)
            {0x7fe4, 0x0f87b483}, // c.ld s1, 248(a5)
            {0xab14, 0x00d73827}, // c.fsd fa3, 16(a4)
            {0xbc7c, 0x0ef43c27}, // c.fsd fa5, 248(s0)
            {0xc1a8, 0x04a5a023}, // c.sw a0, 64(a1)
            {0xdfe4, 0x0697ae23}, // c.sw s1, 124(a5)
            {0xe398, 0x00e7b023}, // c.sd a4, 0(a5)
            {0xfd60, 0x0e853c23}, // c.sd s0, 248(a0)
            {0x0001, 0x00000013}, // c.nop
            {0x1501, 0xfe050513}, // c.addi a0, -32
            {0x0ffd, 0x01ff8f93}, // c.addi t6, 31
            {0x35fd, 0xfff5859b}, // c.addiw a1, -1
            {0x2dc5, 0x011d8d9b}, // c.addiw s11, 17
            {0x5501, 0xfe000513}, // c.li a0, -32
            {0x40fd, 0x01f00093}, // c.li ra, 31
            {0x7101, 0xe0010113}, // c.addi16sp sp, -512
            {0x617d, 0x1f010113}, // c.addi16sp sp, 496
            {0x6141, 0x01010113}, // c.addi16sp sp, 16
            {0x6505, 0x00001537}, // c.lui a0, 1
            {0x7281, 0xfffe02b7}, // c.lui t0, 0xfffe0
            {0x697d, 0x0001f937}, // c.lui s2, 0x1f
            {0x8105, 0x00155513}, // c.srli a0, 1
            {0x90fd, 0x03f4d493}, // c.srli s1, 63
            {0x9781, 0x4207d793}, // c.srai a5, 32
            {0x841d, 0x40745413}, // c.srai s0, 7
            {0x9901, 0xfe057513}, // c.andi a0, -32
            {0x8bfd, 0x01f7f793}, // c.andi a5, 31
            {0x8c1d, 0x40f40433}, // c.sub s0, a5
            {0x8d2d, 0x00b54533}, // c.xor a0, a1
            {0x8cd1, 0x00c4e4b3}, // c.or s1, a2
            {0x8ef9, 0x00e6f6b3}, // c.and a3, a4
            {0x9d05, 0x4095053b}, // c.subw a0, s1
            {0x9fb9, 0x00e787bb}, // c.addw a5, a4
            {0xaffd, 0x7fe0006f}, // c.j .+2046
            {0xb001, 0x801ff06f}, // c.j .-2048
            {0xa029, 0x00a0006f}, // c.j .+10
            {0xcd7d, 0x0e050f63}, // c.beqz a0, .+254
            {0xd081, 0xf00480e3}, // c.beqz s1, .-256
            {0xeb89, 0x00079963}, // c.bnez a5, .+18
            {0x157e, 0x03f51513}, // c.slli a0, 63
            {0x0086, 0x00109093}, // c.slli ra, 1
            {0x2502, 0x00013507}, // c.fldsp fa0, 0(sp)
            {0x3ffe, 0x1f813f87}, // c.fldsp ft11, 504(sp)
            {0x557e, 0x0fc12503}, // c.lwsp a0, 252(sp)
            {0x4292, 0x00412283}, // c.lwsp t0, 4(sp)
            {0x70fe, 0x1f813083}, // c.ldsp ra, 504(sp)
            {0x6da2, 0x00813d83}, // c.ldsp s11, 8(sp)
            {0x8082, 0x00008067}, // c.jr ra
            {0x8f82, 0x000f8067}, // c.jr t6
            {0x852e, 0x00b00533}, // c.mv a0, a1
            {0x8fa2, 0x00800fb3}, // c.mv t6, s0
            {0x9002, 0x00100073}, // c.ebreak
            {0x9782, 0x000780e7}, // c.jalr a5
            {0x952e, 0x00b50533}, // c.add a0, a1
            {0x9ffe, 0x01ff8fb3}, // c.add t6, t6
            {0xbfa2, 0x1e813c27}, // c.fsdsp fs0, 504(sp)
            {0xa406, 0x00113427}, // c.fsdsp ft1, 8(sp)
            {0xdfaa, 0x0ea12e23}, // c.swsp a0, 252(sp)
            {0xc07e, 0x01f12023}, // c.swsp t6, 0(sp)
            {0xff86, 0x1e113c23}, // c.sdsp ra, 504(sp)
            {0xe86e, 0x01b13823}, // c.sdsp s11, 16(sp)
    };

    @Test
    void expansionMatchesAssembler() {
        for (int[] p : PAIRS) {
            long c = Decoder.decode(p[0]);
            long full = Decoder.decode32(p[1], 2, p[1]);
            int fd = (int) full;
            full = Decoder.result((fd & ~0xff) | Op.compressedTwin(fd & 0xff), (int) (full >>> 32));
            assertEquals(Long.toHexString(full), Long.toHexString(c), "c=" + Integer.toHexString(p[0]));
            assertEquals(2, Op.len((int) c));
        }
    }

    @Test
    void reservedEncodingsAreIllegal() {
        int[] bad = {
            0x0000, // all zeros: defined illegal
            0x0004, // c.addi4spn with nzuimm = 0
            0x8000, // Q0 funct3 100: reserved
            0x2001, // c.addiw x0
            0x6101, // c.addi16sp with 0
            0x6501 & ~0x1000 & ~0x7c, // c.lui a0, 0
            0x9c41, // c.subw... funct 10 with bit12 = 1 -> reserved in RV64C
            0x4002, // c.lwsp x0
            0x6002, // c.ldsp x0
            0x8002, // c.jr x0
        };
        for (int c : bad) {
            long r = Decoder.decode(c);
            assertEquals(Op.ILLEGAL, Op.op((int) r), "c=" + Integer.toHexString(c));
            assertEquals(c, (int) (r >>> 32));
        }
        Machine m = new Machine();
        m.load(new Asm().w16(0x0001).w16(0x0000));
        assertEquals(Cpu.EXIT_ILLEGAL, m.run());
        assertEquals(Machine.CODE + 2, m.h.pc);
        assertEquals(0, m.h.badInstruction);
    }

    @Test
    void compressedProgramRuns() {
        // sum of 1..10 with a compressed loop, then a compressed call/return and stack traffic
        Machine m = new Machine();
        m.h.x[2] = Machine.DATA + 0x800; // sp
        Asm a = new Asm()
                .w16(0x4501)  // c.li a0, 0
                .w16(0x45a9)  // c.li a1, 10
                .w16(0x952e)  // c.add a0, a1        <- loop (offset 4)
                .w16(0x15fd)  // c.addi a1, -1
                .w16(0xfdf5)  // c.bnez a1, -4
                .w16(0xe02a)  // c.sdsp a0, 0(sp)
                .w16(0x6602)  // c.ldsp a2, 0(sp)
                .w16(0x0001)  // c.nop
                .jal(1, 8)    // call +8 (4-byte)
                .ecall()
                .w16(0x0605)  // c.addi a2, 1         <- function
                .w16(0x8082); // c.jr ra
        m.load(a).runToEcall();
        assertEquals(55, m.x(10));
        assertEquals(56, m.x(12));
        assertEquals(55, m.peek(Machine.DATA + 0x800, 8));
    }

    @Test
    void compressedLinkAddressIsPcPlusTwo() {
        Machine m = new Machine();
        m.h.x[15] = Machine.CODE + 6;
        Asm a = new Asm().w16(0x9782) /* c.jalr a5 */ .w16(0x0001).w16(0x0001).ecall();
        m.load(a).runToEcall();
        assertEquals(Machine.CODE + 2, m.x(1));
        assertEquals(Machine.CODE + 6, m.h.pc);
    }

    @Test
    void compressedEbreak() {
        Machine m = new Machine();
        m.load(new Asm().w16(0x0001).w16(0x9002));
        assertEquals(Cpu.EXIT_EBREAK, m.run());
        assertEquals(Machine.CODE + 2, m.h.pc);
        assertEquals(1, m.h.instret);
    }
}
