package dev.friscy.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** RV64I and M computation, checked against hand-worked values and BigInteger. */
class CpuIntegerTest {
    private static final int T0 = 5, T1 = 6, T2 = 7;

    private static long rop(int f3, int f7, long a, long b) {
        return Machine.exec(Asm.r(0x33, f3, f7, T2, T0, T1), a, b);
    }

    private static long rop32(int f3, int f7, long a, long b) {
        return Machine.exec(Asm.r(0x3b, f3, f7, T2, T0, T1), a, b);
    }

    private static long iop(int f3, int imm, long a) {
        return Machine.exec(Asm.i(0x13, f3, T2, T0, imm), a, 0);
    }

    private static long iop32(int f3, int imm, long a) {
        return Machine.exec(Asm.i(0x1b, f3, T2, T0, imm), a, 0);
    }

    @Test
    void registerRegister() {
        assertEquals(5, rop(0, 0, 2, 3));
        assertEquals(Long.MIN_VALUE, rop(0, 0, Long.MAX_VALUE, 1)); // add wraps
        assertEquals(-1, rop(0, 0x20, 2, 3)); // sub
        assertEquals(0x100000000L, rop(1, 0, 1, 32)); // sll
        assertEquals(Long.MIN_VALUE, rop(1, 0, 1, 63 + 64)); // sll uses the low 6 bits
        assertEquals(1, rop(2, 0, -1, 0)); // slt
        assertEquals(0, rop(2, 0, 0, -1));
        assertEquals(0, rop(3, 0, -1, 0)); // sltu
        assertEquals(1, rop(3, 0, 0, -1));
        assertEquals(0xf0L, rop(4, 0, 0xff, 0x0f)); // xor
        assertEquals(0x7fffffffffffffffL, rop(5, 0, -1, 1)); // srl
        assertEquals(-1, rop(5, 0x20, -2, 1)); // sra
        assertEquals(0xffL, rop(6, 0, 0xf0, 0x0f)); // or
        assertEquals(0x0L, rop(7, 0, 0xf0, 0x0f)); // and
    }

    @Test
    void registerImmediate() {
        assertEquals(-5, iop(0, -7, 2)); // addi
        assertEquals(1, iop(2, -1, -2)); // slti
        assertEquals(1, iop(3, -1, 5)); // sltiu: -1 is the largest unsigned
        assertEquals(0, iop(3, 1, 5));
        assertEquals(~0x123L, iop(4, -1, 0x123)); // xori -1 = not
        assertEquals(0xfffffffffffff800L | 0x12, iop(6, -2048, 0x12)); // ori
        assertEquals(0x234, iop(7, 0x7f4, 0x1234)); // andi
        assertEquals(0x8000000000000000L, iop(1, 63, 1)); // slli 63
        assertEquals(1, iop(5, 63, Long.MIN_VALUE)); // srli 63
        assertEquals(-1, iop(5, 0x400 | 63, Long.MIN_VALUE)); // srai 63
    }

    @Test
    void wordOps() {
        assertEquals(Integer.MIN_VALUE, iop32(0, 1, 0x7fffffff)); // addiw wraps and sign-extends
        assertEquals(0xffffffff80000000L, iop32(1, 31, 1)); // slliw
        assertEquals(0x7fffffffL, iop32(5, 1, 0xffffffffL)); // srliw
        assertEquals(-1L, iop32(5, 0, 0x1ffffffffL)); // srliw 0 sign-extends bit 31
        assertEquals(-1L, iop32(5, 0x400 | 31, 0x80000000L)); // sraiw
        assertEquals(3, rop32(0, 0, 0x100000001L, 0x200000002L)); // addw ignores high halves
        assertEquals(-1, rop32(0, 0x20, 0, 1)); // subw
        assertEquals(0xffffffff80000000L, rop32(1, 0, 1, 31 + 32)); // sllw uses 5 bits
        assertEquals(1, rop32(5, 0, 0x80000000L, 31)); // srlw
        assertEquals(-1, rop32(5, 0x20, 0x80000000L, 31)); // sraw
    }

    @Test
    void luiAuipcJumps() {
        Machine m = new Machine();
        Asm a = new Asm()
                .lui(5, 0x80000)        // 0: sign-extended
                .auipc(6, 1)            // 4: pc + 0x1000
                .jal(7, 8)              // 8 -> 16, x7 = 12
                .addi(28, 0, 99)        // 12: skipped
                .addi(29, 0, 0)         // 16: placeholder
                .auipc(30, 0)           // 20
                .jalr(30, 30, 12)       // 24: jump to 20+12=32, rd == rs1
                .addi(28, 0, 77)        // 28: skipped
                .ecall();               // 32
        m.load(a).runToEcall();
        assertEquals(0xffffffff80000000L, m.x(5));
        assertEquals(Machine.CODE + 4 + 0x1000, m.x(6));
        assertEquals(Machine.CODE + 12, m.x(7));
        assertEquals(0, m.x(28));
        assertEquals(Machine.CODE + 28, m.x(30));
        assertEquals(Machine.CODE + 32, m.h.pc);
        assertEquals(7, m.h.instret);
    }

    @Test
    void jalrClearsBitZero() {
        Machine m = new Machine();
        m.h.x[5] = Machine.CODE + 13; // odd target: bit 0 is dropped
        m.load(new Asm().jalr(1, 5, 0).addi(6, 0, 1).ecall().addi(6, 0, 2).ecall()).runToEcall();
        assertEquals(2, m.x(6));
    }

    @Test
    void branchesLoop() {
        // sum 1..100 with every branch kind used once per iteration
        Machine m = new Machine();
        Asm a = new Asm()
                .addi(5, 0, 0)      // sum
                .addi(6, 0, 1)      // i
                .addi(7, 0, 101)    // limit
                .add(5, 5, 6)       // 12: loop
                .addi(6, 6, 1)
                .blt(6, 7, -8)
                .bge(6, 7, 8)       // taken
                .ecall()
                .bltu(7, 6, -4)     // not taken (101 < 101 false)
                .bgeu(0, 7, -8)     // not taken
                .beq(6, 7, 8)       // taken
                .ecall()
                .bne(6, 7, -8)      // not taken
                .ecall();
        m.load(a).runToEcall();
        assertEquals(5050, m.x(5));
        assertEquals(Machine.CODE + a.size() - 4, m.h.pc);
    }

    @Test
    void signedUnsignedBranches() {
        Machine m = new Machine();
        m.h.x[5] = -1;
        m.h.x[6] = 1;
        Asm a = new Asm()
                .bltu(5, 6, 12)   // -1 is huge unsigned: not taken
                .blt(5, 6, 8)     // taken
                .ecall()
                .addi(7, 0, 1)
                .ecall();
        m.load(a).runToEcall();
        assertEquals(1, m.x(7));
    }

    @Test
    void x0StaysZero() {
        Machine m = new Machine();
        Asm a = new Asm()
                .addi(0, 0, 5)
                .lui(0, 0x12345)
                .auipc(0, 1)
                .jal(0, 4)
                .ld(0, 2, 0)
                .add(5, 0, 0)
                .w16(0x4015) // c.li x0, 5 (hint)
                .w16(0x0001) // c.nop
                .ecall();
        m.h.x[2] = Machine.DATA;
        m.poke64(Machine.DATA, 0x1122334455667788L);
        m.h.x[5] = 42;
        m.load(a).runToEcall();
        assertEquals(0, m.x(0));
        assertEquals(0, m.x(5));
    }

    @Test
    void mulDivEdgeCases() {
        assertEquals(-6, rop(0, 1, 2, -3)); // mul
        assertEquals(0, rop(1, 1, -1, -1)); // mulh
        assertEquals(-2, rop(3, 1, -1, -1)); // mulhu: (2^64-1)^2 >> 64 = 2^64 - 2
        assertEquals(-1, rop(2, 1, -1, -1)); // mulhsu: -1 * (2^64-1) = -(2^64) + 1, high = -1
        assertEquals(-1, rop(4, 1, 7, 0)); // div by zero
        assertEquals(Long.MIN_VALUE, rop(4, 1, Long.MIN_VALUE, -1)); // div overflow
        assertEquals(-3, rop(4, 1, -7, 2)); // truncating
        assertEquals(-1, rop(5, 1, 7, 0)); // divu by zero
        assertEquals(Long.MAX_VALUE, rop(5, 1, -1, 2)); // divu
        assertEquals(7, rop(6, 1, 7, 0)); // rem by zero
        assertEquals(0, rop(6, 1, Long.MIN_VALUE, -1)); // rem overflow
        assertEquals(-1, rop(6, 1, -7, 2));
        assertEquals(-7, rop(7, 1, -7, 0)); // remu by zero
        assertEquals(1, rop(7, 1, -1, 2)); // remu
        assertEquals(0xffffffff80000000L, rop32(0, 1, 0x10000L, 0x8000L)); // mulw
        assertEquals(0xffffffff80000000L, rop32(4, 1, 0x80000000L, -1)); // divw overflow
        assertEquals(-1, rop32(4, 1, 5, 0x100000000L)); // divw by (32-bit) zero
        assertEquals(-1, rop32(5, 1, 5, 0)); // divuw by zero
        assertEquals(0x7fffffffL, rop32(5, 1, 0xfffffffeL, 2)); // divuw
        assertEquals(0xffffffff80000000L, rop32(7, 1, 0x80000000L, 0)); // remuw by zero: sign-extended a
        assertEquals(0, rop32(6, 1, 0x80000000L, -1)); // remw overflow
        assertEquals(5, rop32(6, 1, 5, 0)); // remw by zero
    }

    @Test
    void mulHighRandomAgainstBigInteger() {
        Random r = new Random(1);
        BigInteger two64 = BigInteger.ONE.shiftLeft(64);
        for (int k = 0; k < 40; k++) {
            long a = r.nextLong();
            long b = k % 3 == 0 ? r.nextInt() : r.nextLong();
            BigInteger sa = BigInteger.valueOf(a);
            BigInteger sb = BigInteger.valueOf(b);
            BigInteger ua = sa.signum() < 0 ? sa.add(two64) : sa;
            BigInteger ub = sb.signum() < 0 ? sb.add(two64) : sb;
            assertEquals(sa.multiply(sb).shiftRight(64).longValue(), rop(1, 1, a, b), "mulh");
            assertEquals(ua.multiply(ub).shiftRight(64).longValue(), rop(3, 1, a, b), "mulhu");
            assertEquals(sa.multiply(ub).shiftRight(64).longValue(), rop(2, 1, a, b), "mulhsu");
            if (b != 0) {
                assertEquals(ua.divide(ub).longValue(), rop(5, 1, a, b), "divu");
                assertEquals(ua.mod(ub).longValue(), rop(7, 1, a, b), "remu");
            }
        }
    }
}
