package dev.friscy.cpu;

import java.io.ByteArrayOutputStream;

/** A tiny RISC-V assembler for tests: encodes from the ISA manual's formats, little-endian. */
final class Asm {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    int size() {
        return out.size();
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    Asm w32(int inst) {
        for (int k = 0; k < 4; k++) {
            out.write(inst >>> (8 * k));
        }
        return this;
    }

    Asm w16(int c) {
        out.write(c);
        out.write(c >>> 8);
        return this;
    }

    // ---- formats
    static int r(int opc, int f3, int f7, int rd, int rs1, int rs2) {
        return f7 << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | rd << 7 | opc;
    }

    static int i(int opc, int f3, int rd, int rs1, int imm) {
        return imm << 20 | rs1 << 15 | f3 << 12 | rd << 7 | opc;
    }

    static int s(int opc, int f3, int rs1, int rs2, int imm) {
        return (imm >> 5) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | (imm & 31) << 7 | opc;
    }

    static int b(int f3, int rs1, int rs2, int off) {
        return ((off >> 12) & 1) << 31 | ((off >> 5) & 63) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12
                | ((off >> 1) & 15) << 8 | ((off >> 11) & 1) << 7 | 0x63;
    }

    static int u(int opc, int rd, int imm20) {
        return imm20 << 12 | rd << 7 | opc;
    }

    static int j(int rd, int off) {
        return ((off >> 20) & 1) << 31 | ((off >> 1) & 0x3ff) << 21 | ((off >> 11) & 1) << 20
                | ((off >> 12) & 0xff) << 12 | rd << 7 | 0x6f;
    }

    // ---- RV64I
    Asm lui(int rd, int imm20) { return w32(u(0x37, rd, imm20)); }
    Asm auipc(int rd, int imm20) { return w32(u(0x17, rd, imm20)); }
    Asm jal(int rd, int off) { return w32(j(rd, off)); }
    Asm jalr(int rd, int rs1, int imm) { return w32(i(0x67, 0, rd, rs1, imm)); }
    Asm beq(int a, int b2, int off) { return w32(b(0, a, b2, off)); }
    Asm bne(int a, int b2, int off) { return w32(b(1, a, b2, off)); }
    Asm blt(int a, int b2, int off) { return w32(b(4, a, b2, off)); }
    Asm bge(int a, int b2, int off) { return w32(b(5, a, b2, off)); }
    Asm bltu(int a, int b2, int off) { return w32(b(6, a, b2, off)); }
    Asm bgeu(int a, int b2, int off) { return w32(b(7, a, b2, off)); }
    Asm lb(int rd, int rs1, int imm) { return w32(i(0x03, 0, rd, rs1, imm)); }
    Asm lh(int rd, int rs1, int imm) { return w32(i(0x03, 1, rd, rs1, imm)); }
    Asm lw(int rd, int rs1, int imm) { return w32(i(0x03, 2, rd, rs1, imm)); }
    Asm ld(int rd, int rs1, int imm) { return w32(i(0x03, 3, rd, rs1, imm)); }
    Asm lbu(int rd, int rs1, int imm) { return w32(i(0x03, 4, rd, rs1, imm)); }
    Asm lhu(int rd, int rs1, int imm) { return w32(i(0x03, 5, rd, rs1, imm)); }
    Asm lwu(int rd, int rs1, int imm) { return w32(i(0x03, 6, rd, rs1, imm)); }
    Asm sb(int rs2, int rs1, int imm) { return w32(s(0x23, 0, rs1, rs2, imm)); }
    Asm sh(int rs2, int rs1, int imm) { return w32(s(0x23, 1, rs1, rs2, imm)); }
    Asm sw(int rs2, int rs1, int imm) { return w32(s(0x23, 2, rs1, rs2, imm)); }
    Asm sd(int rs2, int rs1, int imm) { return w32(s(0x23, 3, rs1, rs2, imm)); }
    Asm addi(int rd, int rs1, int imm) { return w32(i(0x13, 0, rd, rs1, imm)); }
    Asm slti(int rd, int rs1, int imm) { return w32(i(0x13, 2, rd, rs1, imm)); }
    Asm sltiu(int rd, int rs1, int imm) { return w32(i(0x13, 3, rd, rs1, imm)); }
    Asm xori(int rd, int rs1, int imm) { return w32(i(0x13, 4, rd, rs1, imm)); }
    Asm ori(int rd, int rs1, int imm) { return w32(i(0x13, 6, rd, rs1, imm)); }
    Asm andi(int rd, int rs1, int imm) { return w32(i(0x13, 7, rd, rs1, imm)); }
    Asm slli(int rd, int rs1, int sh) { return w32(i(0x13, 1, rd, rs1, sh)); }
    Asm srli(int rd, int rs1, int sh) { return w32(i(0x13, 5, rd, rs1, sh)); }
    Asm srai(int rd, int rs1, int sh) { return w32(i(0x13, 5, rd, rs1, 0x400 | sh)); }
    Asm addiw(int rd, int rs1, int imm) { return w32(i(0x1b, 0, rd, rs1, imm)); }
    Asm slliw(int rd, int rs1, int sh) { return w32(i(0x1b, 1, rd, rs1, sh)); }
    Asm srliw(int rd, int rs1, int sh) { return w32(i(0x1b, 5, rd, rs1, sh)); }
    Asm sraiw(int rd, int rs1, int sh) { return w32(i(0x1b, 5, rd, rs1, 0x400 | sh)); }
    Asm op(int f3, int f7, int rd, int rs1, int rs2) { return w32(r(0x33, f3, f7, rd, rs1, rs2)); }
    Asm op32(int f3, int f7, int rd, int rs1, int rs2) { return w32(r(0x3b, f3, f7, rd, rs1, rs2)); }
    Asm add(int rd, int a, int b2) { return op(0, 0, rd, a, b2); }
    Asm sub(int rd, int a, int b2) { return op(0, 0x20, rd, a, b2); }
    Asm ecall() { return w32(0x73); }
    Asm ebreak() { return w32(0x00100073); }
    Asm fence() { return w32(0x0ff0000f); }
    Asm fenceI() { return w32(0x0000100f); }
    Asm csr(int f3, int rd, int csr, int rs1) { return w32(i(0x73, f3, rd, rs1, csr)); }
    Asm amo(int f5, int wide, int rd, int rs1, int rs2) {
        return w32(r(0x2f, wide == 8 ? 3 : 2, f5 << 2, rd, rs1, rs2));
    }
    Asm flw(int rd, int rs1, int imm) { return w32(i(0x07, 2, rd, rs1, imm)); }
    Asm fld(int rd, int rs1, int imm) { return w32(i(0x07, 3, rd, rs1, imm)); }
    Asm fsw(int rs2, int rs1, int imm) { return w32(s(0x27, 2, rs1, rs2, imm)); }
    Asm fsd(int rs2, int rs1, int imm) { return w32(s(0x27, 3, rs1, rs2, imm)); }
    Asm opfp(int f7, int rm, int rd, int rs1, int rs2) { return w32(r(0x53, rm, f7, rd, rs1, rs2)); }

    /** Loads any 64-bit constant into rd (lui/addi/slli chain; clobbers nothing else). */
    Asm li(int rd, long v) {
        if (v == (int) v) {
            int lo = (int) v << 20 >> 20;
            int hi = (int) ((v - lo) >>> 12) & 0xfffff;
            if (hi != 0) {
                lui(rd, hi);
                if (lo != 0) {
                    addiw(rd, rd, lo);
                }
            } else {
                addi(rd, 0, lo);
            }
            return this;
        }
        int lo = (int) (v << 52 >> 52);
        li(rd, (v - lo) >> 12);
        slli(rd, rd, 12);
        if (lo != 0) {
            addi(rd, rd, lo);
        }
        return this;
    }
}
