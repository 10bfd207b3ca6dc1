package dev.friscy.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Zba and Zbb. Encodings from riscv64-linux-gnu-as -march=rv64gc_zba_zbb (rd=t2, rs1=t0, rs2=t1). */
class CpuBitmanipTest {
    /** {encoding, rs1 value, rs2 value, expected rd}. */
    private static final long[][] CASES = {
        {0x2062a3b3L, 3, 10, 16}, // sh1add
        {0x2062c3b3L, 3, 10, 22}, // sh2add
        {0x2062e3b3L, 3, 10, 34}, // sh3add
        {0x2062a3bbL, 0xffffffff00000003L, 10, 16}, // sh1add.uw
        {0x2062c3bbL, 0xffffffff00000003L, 10, 22}, // sh2add.uw
        {0x2062e3bbL, 0xffffffff00000003L, 10, 34}, // sh3add.uw
        {0x086283bbL, 0xffffffff80000000L, 1, 0x80000001L}, // add.uw
        {0x0a42939bL, 0xffffffff00000001L, 0, 0x1000000000L}, // slli.uw 36
        {0x4062f3b3L, 0xff, 0x0f, 0xf0}, // andn
        {0x4062e3b3L, 0, 0xfffffffffffffff0L, 0xf}, // orn
        {0x4062c3b3L, 0xff, 0x0f, 0xffffffffffffff0fL}, // xnor
        {0x60029393L, 1, 0, 63}, // clz
        {0x60029393L, 0, 0, 64},
        {0x60129393L, 0x100, 0, 8}, // ctz
        {0x60129393L, 0, 0, 64},
        {0x60229393L, 0xff00ffL, 0, 16}, // cpop
        {0x6002939bL, 0xffffffff00000001L, 0, 31}, // clzw
        {0x6002939bL, 0, 0, 32},
        {0x6012939bL, 0x100000000L, 0, 32}, // ctzw
        {0x6022939bL, 0xffffffff0000000fL, 0, 4}, // cpopw
        {0x0a62e3b3L, -1, 1, 1}, // max
        {0x0a62f3b3L, -1, 1, -1}, // maxu
        {0x0a62c3b3L, -1, 1, -1}, // min
        {0x0a62d3b3L, -1, 1, 1}, // minu
        {0x60429393L, 0x80, 0, -128}, // sext.b
        {0x60529393L, 0x8000, 0, -32768}, // sext.h
        {0x0802c3bbL, 0xffffffffffff8001L, 0, 0x8001}, // zext.h
        {0x606293b3L, 0x8000000000000001L, 1, 3}, // rol
        {0x6062d3b3L, 3, 1, 0x8000000000000001L}, // ror
        {0x63c2d393L, 1, 0, 0x10}, // rori 60
        {0x606293bbL, 0x80000001L, 1, 3}, // rolw
        {0x6062d3bbL, 3, 1, 0xffffffff80000001L}, // rorw
        {0x61c2d39bL, 1, 0, 0x10}, // roriw 28
        {0x2872d393L, 0x00010000ff000020L, 0, 0x00ff0000ff0000ffL}, // orc.b
        {0x6b82d393L, 0x0102030405060708L, 0, 0x0807060504030201L}, // rev8
    };

    @Test
    void allOps() {
        for (long[] c : CASES) {
            assertEquals(c[3], Machine.exec((int) c[0], c[1], c[2]), Long.toHexString(c[0]));
        }
    }
}
