package dev.friscy.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** F/D loads, stores, moves and sign injection: the parts that need no arithmetic. */
class CpuFpMoveTest {
    private static final long D = Machine.DATA;
    private static final long BOX = 0xffffffff00000000L;

    @Test
    void loadsAndStores() {
        Machine m = new Machine();
        m.poke64(D, 0x400921fb54442d18L);
        m.poke64(D + 8, 0x1234567840490fdbL);
        m.h.x[10] = D;
        Asm a = new Asm()
                .fld(1, 10, 0)
                .flw(2, 10, 8)
                .flw(3, 10, 12)
                .fsd(1, 10, 16)
                .fsw(2, 10, 24)
                .fsw(1, 10, 28)  // fsw stores the low 32 bits, whatever the boxing
                .fld(4, 10, 3)   // misaligned
                .w16(0x2588)     // c.fld fa0, 8(a1) with a1 = D
                .w16(0xa590)     // c.fsd fa2, 8(a1): f12 was loaded below? no: stores f12 = 0
                .ecall();
        m.h.x[11] = D;
        m.load(a).runToEcall();
        assertEquals(0x400921fb54442d18L, m.h.f[1]);
        assertEquals(BOX | 0x40490fdbL, m.h.f[2]);
        assertEquals(BOX | 0x12345678L, m.h.f[3]);
        assertEquals(0x400921fb54442d18L, m.peek(D + 16, 8));
        assertEquals(0x54442d1840490fdbL, m.peek(D + 24, 8));
        assertEquals(0x490fdb400921fb54L, m.h.f[4]);
        assertEquals(0x1234567840490fdbL, m.h.f[10]);
        assertEquals(0, m.peek(D + 8, 8));
    }

    @Test
    void compressedStackFpAccess() {
        Machine m = new Machine();
        m.h.x[2] = D + 64;
        m.h.f[8] = 0x3ff0000000000000L;
        Asm a = new Asm()
                .w16(0xbfa2)   // c.fsdsp fs0, 504(sp)
                .w16(0x3ffe)   // c.fldsp ft11, 504(sp)
                .ecall();
        m.load(a).runToEcall();
        assertEquals(0x3ff0000000000000L, m.peek(D + 64 + 504, 8));
        assertEquals(0x3ff0000000000000L, m.h.f[31]);
    }

    private static Machine fp(int inst, long f1, long f2, long x5) {
        Machine m = new Machine();
        m.h.f[1] = f1;
        m.h.f[2] = f2;
        m.h.x[5] = x5;
        m.load(new Asm().w32(inst).ecall()).runToEcall();
        return m;
    }

    @Test
    void integerMoves() {
        // fmv.x.w x7, f1: low 32 bits sign-extended, no unboxing
        assertEquals(0xffffffff80000001L, fp(Asm.r(0x53, 0, 0x70, 7, 1, 0), 0x0000000080000001L, 0, 0).x(7));
        // fmv.x.d
        assertEquals(0x123456789abcdef0L, fp(Asm.r(0x53, 0, 0x71, 7, 1, 0), 0x123456789abcdef0L, 0, 0).x(7));
        // fmv.w.x f3, x5: NaN-boxes
        assertEquals(BOX | 0x87654321L, fp(Asm.r(0x53, 0, 0x78, 3, 5, 0), 0, 0, 0x1111111187654321L).h.f[3]);
        // fmv.d.x
        assertEquals(-5L, fp(Asm.r(0x53, 0, 0x79, 3, 5, 0), 0, 0, -5).h.f[3]);
        // fmv.x.w into x0 leaves x0 alone
        assertEquals(0, fp(Asm.r(0x53, 0, 0x70, 0, 1, 0), -1, 0, 0).x(0));
    }

    @Test
    void signInjection() {
        long one = 0x3ff0000000000000L;
        long negTwo = 0xc000000000000000L;
        assertEquals(one | Long.MIN_VALUE, fp(Asm.r(0x53, 0, 0x11, 3, 1, 2), one, negTwo, 0).h.f[3]); // fsgnj.d
        assertEquals(one, fp(Asm.r(0x53, 1, 0x11, 3, 1, 2), one, negTwo, 0).h.f[3]); // fsgnjn.d
        // fsgnjx.d f3, f2, f2: sign = 1 ^ 1 = 0
        assertEquals(negTwo & Long.MAX_VALUE, fp(Asm.r(0x53, 2, 0x11, 3, 2, 2), 0, negTwo, 0).h.f[3]);
        long oneS = BOX | 0x3f800000L;
        long negS = BOX | 0xc0000000L;
        assertEquals(BOX | 0xbf800000L, fp(Asm.r(0x53, 0, 0x10, 3, 1, 2), oneS, negS, 0).h.f[3]); // fsgnj.s
        assertEquals(BOX | 0xbf800000L, fp(Asm.r(0x53, 2, 0x10, 3, 1, 2), oneS, negS, 0).h.f[3]); // fsgnjx.s
        // an improperly boxed operand reads as the canonical NaN
        assertEquals(BOX | 0xffc00000L, fp(Asm.r(0x53, 0, 0x10, 3, 1, 2), 0x3f800000L, negS, 0).h.f[3]);
        assertEquals(BOX | 0x7fc00000L, fp(Asm.r(0x53, 1, 0x10, 3, 1, 2), 0x3f800000L, negS, 0).h.f[3]);
    }
}
