package dev.friscy.cpu;

/**
 * Turns instruction bits into the decoded form of {@link Op}. A result is a {@code long}:
 * the decoded word in the low 32 bits and the immediate in the high 32 bits, so decoding
 * allocates nothing. Compressed instructions are first expanded to their 32-bit
 * equivalent and decoded like it, with length 2. Anything not implemented or reserved
 * decodes to {@link Op#ILLEGAL} carrying the original bits.
 */
final class Decoder {
    private Decoder() {
    }

    static long result(int d, int imm) {
        return ((long) imm << 32) | (d & 0xffffffffL);
    }

    static long illegal(int bits, int len) {
        return result(Op.ILLEGAL | len << 29, bits);
    }

    /** Decodes one instruction given its first parcel and (if 32-bit) the full word. */
    static long decode(int inst) {
        if ((inst & 3) != 3) {
            int c = inst & 0xffff;
            int e = expand(c);
            if (e == 0) {
                return illegal(c, 2);
            }
            long r = decode32(e, 2, c);
            int d = (int) r;
            int twin = Op.compressedTwin(d & 0xff);
            return result((d & ~0xff) | twin, (int) (r >>> 32));
        }
        return decode32(inst, 4, inst);
    }

    private static long r(int op, int inst, int len, int imm) {
        int rd = (inst >>> 7) & 31;
        int rs1 = (inst >>> 15) & 31;
        int rs2 = (inst >>> 20) & 31;
        return result(Op.pack(op, rd, rs1, rs2, 0, len), imm);
    }

    /** Decodes a 32-bit instruction; {@code orig} is what an illegal-instruction report shows. */
    static long decode32(int inst, int len, int orig) {
        int f3 = (inst >>> 12) & 7;
        int f7 = inst >>> 25;
        int rs2 = (inst >>> 20) & 31;
        int immI = inst >> 20;
        switch (inst & 0x7f) {
            case 0x37: // LUI
                return lui(inst, len);
            case 0x17:
                return result(Op.pack(Op.AUIPC, (inst >>> 7) & 31, 0, 0, 0, len), inst & 0xfffff000);
            case 0x6f:
                return result(Op.pack(Op.JAL, (inst >>> 7) & 31, 0, 0, 0, len), immJ(inst));
            case 0x67:
                if (f3 != 0) {
                    break;
                }
                return r(Op.JALR, inst, len, immI);
            case 0x63: {
                int op;
                switch (f3) {
                    case 0: op = Op.BEQ; break;
                    case 1: op = Op.BNE; break;
                    case 4: op = Op.BLT; break;
                    case 5: op = Op.BGE; break;
                    case 6: op = Op.BLTU; break;
                    case 7: op = Op.BGEU; break;
                    default: return illegal(orig, len);
                }
                return result(Op.pack(op, 0, (inst >>> 15) & 31, rs2, 0, len), immB(inst)) & ~(63L << 8);
            }
            case 0x03: {
                int op;
                switch (f3) {
                    case 0: op = Op.LB; break;
                    case 1: op = Op.LH; break;
                    case 2: op = Op.LW; break;
                    case 3: op = Op.LD; break;
                    case 4: op = Op.LBU; break;
                    case 5: op = Op.LHU; break;
                    case 6: op = Op.LWU; break;
                    default: return illegal(orig, len);
                }
                return r(op, inst, len, immI);
            }
            case 0x23: {
                int op;
                switch (f3) {
                    case 0: op = Op.SB; break;
                    case 1: op = Op.SH; break;
                    case 2: op = Op.SW; break;
                    case 3: op = Op.SD; break;
                    default: return illegal(orig, len);
                }
                return store(op, inst, len);
            }
            case 0x13:
                return opImm(inst, len, orig, f3, immI);
            case 0x1b:
                return opImm32(inst, len, orig, f3, immI);
            case 0x33:
                return op(inst, len, orig, f3, f7, rs2);
            case 0x3b:
                return op32(inst, len, orig, f3, f7, rs2);
            case 0x0f:
                if (f3 == 0) {
                    return result(Op.FENCE | len << 29, 0);
                }
                if (f3 == 1) {
                    return result(Op.FENCE_I | len << 29, 0);
                }
                break;
            case 0x73:
                if (inst == 0x00000073) {
                    return result(Op.ECALL | len << 29, 0);
                }
                if (inst == 0x00100073) {
                    return result(Op.EBREAK | len << 29, 0);
                }
                if (f3 != 0 && f3 != 4) {
                    return result(Op.CSR | len << 29, inst);
                }
                break;
            case 0x2f:
                return amo(inst, len, orig, f3);
            case 0x07:
                if (f3 == 2) {
                    return r(Op.FLW, inst, len, immI) & ~(63L << 8) | ((long) ((inst >>> 7) & 31) << 8);
                }
                if (f3 == 3) {
                    return r(Op.FLD, inst, len, immI) & ~(63L << 8) | ((long) ((inst >>> 7) & 31) << 8);
                }
                break;
            case 0x27:
                if (f3 == 2) {
                    return store(Op.FSW, inst, len);
                }
                if (f3 == 3) {
                    return store(Op.FSD, inst, len);
                }
                break;
            case 0x53:
                return FpExec.valid(inst) ? result(Op.FP | len << 29, inst) : illegal(orig, len);
            case 0x43:
            case 0x47:
            case 0x4b:
            case 0x4f:
                return FpExec.validFma(inst) ? result(Op.FMA | len << 29, inst) : illegal(orig, len);
            default:
                break;
        }
        return illegal(orig, len);
    }

    private static long lui(int inst, int len) {
        return result(Op.pack(Op.LI, (inst >>> 7) & 31, 0, 0, 0, len), inst & 0xfffff000);
    }

    private static long store(int op, int inst, int len) {
        int imm = ((inst >> 25) << 5) | ((inst >>> 7) & 31);
        return result(op | ((inst >>> 15) & 31) << 14 | ((inst >>> 20) & 31) << 19 | len << 29, imm);
    }

    private static long opImm(int inst, int len, int orig, int f3, int immI) {
        int sh = immI & 63;
        int hi6 = (inst >>> 26) & 63;
        switch (f3) {
            case 0: return r(Op.ADDI, inst, len, immI);
            case 2: return r(Op.SLTI, inst, len, immI);
            case 3: return r(Op.SLTIU, inst, len, immI);
            case 4: return r(Op.XORI, inst, len, immI);
            case 6: return r(Op.ORI, inst, len, immI);
            case 7: return r(Op.ANDI, inst, len, immI);
            case 1:
                if (hi6 == 0) {
                    return r(Op.SLLI, inst, len, sh);
                }
                switch (immI & 0xfff) {
                    case 0x600: return r(Op.CLZ, inst, len, 0);
                    case 0x601: return r(Op.CTZ, inst, len, 0);
                    case 0x602: return r(Op.CPOP, inst, len, 0);
                    case 0x604: return r(Op.SEXT_B, inst, len, 0);
                    case 0x605: return r(Op.SEXT_H, inst, len, 0);
                    default: return illegal(orig, len);
                }
            case 5:
                if (hi6 == 0) {
                    return r(Op.SRLI, inst, len, sh);
                }
                if (hi6 == 0x10) {
                    return r(Op.SRAI, inst, len, sh);
                }
                if (hi6 == 0x18) {
                    return r(Op.RORI, inst, len, sh);
                }
                if ((immI & 0xfff) == 0x287) {
                    return r(Op.ORC_B, inst, len, 0);
                }
                if ((immI & 0xfff) == 0x6b8) {
                    return r(Op.REV8, inst, len, 0);
                }
                return illegal(orig, len);
            default:
                return illegal(orig, len);
        }
    }

    private static long opImm32(int inst, int len, int orig, int f3, int immI) {
        int f7 = inst >>> 25;
        int sh = immI & 31;
        switch (f3) {
            case 0: return r(Op.ADDIW, inst, len, immI);
            case 1:
                if (f7 == 0) {
                    return r(Op.SLLIW, inst, len, sh);
                }
                if ((inst >>> 26) == 0x02) {
                    return r(Op.SLLI_UW, inst, len, immI & 63);
                }
                switch (immI & 0xfff) {
                    case 0x600: return r(Op.CLZW, inst, len, 0);
                    case 0x601: return r(Op.CTZW, inst, len, 0);
                    case 0x602: return r(Op.CPOPW, inst, len, 0);
                    default: return illegal(orig, len);
                }
            case 5:
                if (f7 == 0) {
                    return r(Op.SRLIW, inst, len, sh);
                }
                if (f7 == 0x20) {
                    return r(Op.SRAIW, inst, len, sh);
                }
                if (f7 == 0x30) {
                    return r(Op.RORIW, inst, len, sh);
                }
                return illegal(orig, len);
            default:
                return illegal(orig, len);
        }
    }

    private static final int[] OP_BASE = {Op.ADD, Op.SLL, Op.SLT, Op.SLTU, Op.XOR, Op.SRL, Op.OR, Op.AND};
    private static final int[] OP_MUL = {Op.MUL, Op.MULH, Op.MULHSU, Op.MULHU, Op.DIV, Op.DIVU, Op.REM, Op.REMU};

    private static long op(int inst, int len, int orig, int f3, int f7, int rs2) {
        int op = -1;
        switch (f7) {
            case 0x00: op = OP_BASE[f3]; break;
            case 0x01: op = OP_MUL[f3]; break;
            case 0x20:
                op = f3 == 0 ? Op.SUB : f3 == 5 ? Op.SRA : f3 == 7 ? Op.ANDN : f3 == 6 ? Op.ORN : f3 == 4 ? Op.XNOR : -1;
                break;
            case 0x10:
                op = f3 == 2 ? Op.SH1ADD : f3 == 4 ? Op.SH2ADD : f3 == 6 ? Op.SH3ADD : -1;
                break;
            case 0x05:
                op = f3 == 4 ? Op.MIN : f3 == 5 ? Op.MINU : f3 == 6 ? Op.MAX : f3 == 7 ? Op.MAXU : -1;
                break;
            case 0x30:
                op = f3 == 1 ? Op.ROL : f3 == 5 ? Op.ROR : -1;
                break;
            default:
                break;
        }
        return op < 0 ? illegal(orig, len) : r(op, inst, len, 0);
    }

    private static long op32(int inst, int len, int orig, int f3, int f7, int rs2) {
        int op = -1;
        switch (f7) {
            case 0x00:
                op = f3 == 0 ? Op.ADDW : f3 == 1 ? Op.SLLW : f3 == 5 ? Op.SRLW : -1;
                break;
            case 0x20:
                op = f3 == 0 ? Op.SUBW : f3 == 5 ? Op.SRAW : -1;
                break;
            case 0x01:
                op = f3 == 0 ? Op.MULW : f3 == 4 ? Op.DIVW : f3 == 5 ? Op.DIVUW : f3 == 6 ? Op.REMW
                        : f3 == 7 ? Op.REMUW : -1;
                break;
            case 0x04:
                op = f3 == 0 ? Op.ADD_UW : (f3 == 4 && rs2 == 0) ? Op.ZEXT_H : -1;
                break;
            case 0x10:
                op = f3 == 2 ? Op.SH1ADD_UW : f3 == 4 ? Op.SH2ADD_UW : f3 == 6 ? Op.SH3ADD_UW : -1;
                break;
            case 0x30:
                op = f3 == 1 ? Op.ROLW : f3 == 5 ? Op.RORW : -1;
                break;
            default:
                break;
        }
        return op < 0 ? illegal(orig, len) : r(op, inst, len, 0);
    }

    private static long amo(int inst, int len, int orig, int f3) {
        if (f3 != 2 && f3 != 3) {
            return illegal(orig, len);
        }
        int f5 = inst >>> 27;
        switch (f5) {
            case 0x02: // LR
                if (((inst >>> 20) & 31) != 0) {
                    return illegal(orig, len);
                }
                return result(Op.AMO | len << 29, inst);
            case 0x03: case 0x01: case 0x00: case 0x04: case 0x0c: case 0x08:
            case 0x10: case 0x14: case 0x18: case 0x1c:
                return result(Op.AMO | len << 29, inst);
            default:
                return illegal(orig, len);
        }
    }

    static int immB(int inst) {
        return ((inst >> 31) << 12) | (((inst >>> 7) & 1) << 11) | (((inst >>> 25) & 0x3f) << 5)
                | (((inst >>> 8) & 0xf) << 1);
    }

    static int immJ(int inst) {
        return ((inst >> 31) << 20) | (((inst >>> 12) & 0xff) << 12) | (((inst >>> 20) & 1) << 11)
                | (((inst >>> 21) & 0x3ff) << 1);
    }

    // ------------------------------------------------------------------ RV64C expansion

    private static int encI(int opc, int rd, int f3, int rs1, int imm) {
        return (imm << 20) | rs1 << 15 | f3 << 12 | rd << 7 | opc;
    }

    private static int encS(int opc, int f3, int rs1, int rs2, int imm) {
        return ((imm >> 5) << 25) | rs2 << 20 | rs1 << 15 | f3 << 12 | (imm & 31) << 7 | opc;
    }

    private static int encR(int opc, int rd, int f3, int rs1, int rs2, int f7) {
        return f7 << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | rd << 7 | opc;
    }

    private static int encB(int f3, int rs1, int rs2, int imm) {
        return ((imm >> 12) & 1) << 31 | ((imm >> 5) & 0x3f) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12
                | ((imm >> 1) & 0xf) << 8 | ((imm >> 11) & 1) << 7 | 0x63;
    }

    private static int encJ(int rd, int imm) {
        return ((imm >> 20) & 1) << 31 | ((imm >> 1) & 0x3ff) << 21 | ((imm >> 11) & 1) << 20
                | ((imm >> 12) & 0xff) << 12 | rd << 7 | 0x6f;
    }

    private static int bit(int c, int from, int to) {
        return ((c >>> from) & 1) << to;
    }

    /** The 32-bit equivalent of a 16-bit RV64C instruction, or 0 if it is reserved/illegal. */
    static int expand(int c) {
        int f3 = c >>> 13;
        int rdp = 8 + ((c >>> 2) & 7); // rd' / rs2'
        int rs1p = 8 + ((c >>> 7) & 7);
        int rd = (c >>> 7) & 31;
        int rs2 = (c >>> 2) & 31;
        int imm6 = (((c >>> 12) & 1) != 0 ? -32 : 0) | ((c >>> 2) & 31);
        switch (c & 3) {
            case 0:
                switch (f3) {
                    case 0: { // c.addi4spn
                        int u = bit(c, 6, 2) | bit(c, 5, 3) | ((c >>> 11) & 3) << 4 | ((c >>> 7) & 15) << 6;
                        return u == 0 ? 0 : encI(0x13, rdp, 0, 2, u);
                    }
                    case 1: // c.fld
                        return encI(0x07, rdp, 3, rs1p, ((c >>> 10) & 7) << 3 | ((c >>> 5) & 3) << 6);
                    case 2: // c.lw
                        return encI(0x03, rdp, 2, rs1p, ((c >>> 10) & 7) << 3 | bit(c, 6, 2) | bit(c, 5, 6));
                    case 3: // c.ld
                        return encI(0x03, rdp, 3, rs1p, ((c >>> 10) & 7) << 3 | ((c >>> 5) & 3) << 6);
                    case 5: // c.fsd
                        return encS(0x27, 3, rs1p, rdp, ((c >>> 10) & 7) << 3 | ((c >>> 5) & 3) << 6);
                    case 6: // c.sw
                        return encS(0x23, 2, rs1p, rdp, ((c >>> 10) & 7) << 3 | bit(c, 6, 2) | bit(c, 5, 6));
                    case 7: // c.sd
                        return encS(0x23, 3, rs1p, rdp, ((c >>> 10) & 7) << 3 | ((c >>> 5) & 3) << 6);
                    default:
                        return 0;
                }
            case 1:
                switch (f3) {
                    case 0: // c.addi / c.nop
                        return encI(0x13, rd, 0, rd, imm6);
                    case 1: // c.addiw
                        return rd == 0 ? 0 : encI(0x1b, rd, 0, rd, imm6);
                    case 2: // c.li
                        return encI(0x13, rd, 0, 0, imm6);
                    case 3:
                        if (rd == 2) { // c.addi16sp
                            int n = (((c >>> 12) & 1) != 0 ? -512 : 0) | bit(c, 6, 4) | bit(c, 5, 6) | ((c >>> 3) & 3) << 7
                                    | bit(c, 2, 5);
                            return n == 0 ? 0 : encI(0x13, 2, 0, 2, n);
                        }
                        if (imm6 == 0) {
                            return 0;
                        }
                        return (imm6 << 12) | rd << 7 | 0x37; // c.lui
                    case 4: {
                        int sh = bit(c, 12, 5) | ((c >>> 2) & 31);
                        switch ((c >>> 10) & 3) {
                            case 0: return encI(0x13, rs1p, 5, rs1p, sh);
                            case 1: return encI(0x13, rs1p, 5, rs1p, sh | 0x400);
                            case 2: return encI(0x13, rs1p, 7, rs1p, imm6);
                            default: {
                                int fn = (c >>> 5) & 3;
                                if ((c & 0x1000) == 0) {
                                    switch (fn) {
                                        case 0: return encR(0x33, rs1p, 0, rs1p, rdp, 0x20);
                                        case 1: return encR(0x33, rs1p, 4, rs1p, rdp, 0);
                                        case 2: return encR(0x33, rs1p, 6, rs1p, rdp, 0);
                                        default: return encR(0x33, rs1p, 7, rs1p, rdp, 0);
                                    }
                                }
                                if (fn == 0) {
                                    return encR(0x3b, rs1p, 0, rs1p, rdp, 0x20);
                                }
                                if (fn == 1) {
                                    return encR(0x3b, rs1p, 0, rs1p, rdp, 0);
                                }
                                return 0;
                            }
                        }
                    }
                    case 5: { // c.j
                        int j = (((c >>> 12) & 1) != 0 ? -2048 : 0) | bit(c, 11, 4) | ((c >>> 9) & 3) << 8
                                | bit(c, 8, 10) | bit(c, 7, 6) | bit(c, 6, 7) | ((c >>> 3) & 7) << 1 | bit(c, 2, 5);
                        return encJ(0, j);
                    }
                    default: { // c.beqz / c.bnez
                        int b = (((c >>> 12) & 1) != 0 ? -256 : 0) | ((c >>> 10) & 3) << 3 | ((c >>> 5) & 3) << 6
                                | ((c >>> 3) & 3) << 1 | bit(c, 2, 5);
                        return encB(f3 == 6 ? 0 : 1, rs1p, 0, b);
                    }
                }
            case 2:
                switch (f3) {
                    case 0: // c.slli
                        return encI(0x13, rd, 1, rd, bit(c, 12, 5) | ((c >>> 2) & 31));
                    case 1: // c.fldsp
                        return encI(0x07, rd, 3, 2, bit(c, 12, 5) | ((c >>> 5) & 3) << 3 | ((c >>> 2) & 7) << 6);
                    case 2: // c.lwsp
                        return rd == 0 ? 0
                                : encI(0x03, rd, 2, 2, bit(c, 12, 5) | ((c >>> 4) & 7) << 2 | ((c >>> 2) & 3) << 6);
                    case 3: // c.ldsp
                        return rd == 0 ? 0
                                : encI(0x03, rd, 3, 2, bit(c, 12, 5) | ((c >>> 5) & 3) << 3 | ((c >>> 2) & 7) << 6);
                    case 4:
                        if ((c & 0x1000) == 0) {
                            if (rs2 == 0) { // c.jr
                                return rd == 0 ? 0 : encI(0x67, 0, 0, rd, 0);
                            }
                            return encR(0x33, rd, 0, 0, rs2, 0); // c.mv
                        }
                        if (rs2 == 0) {
                            if (rd == 0) {
                                return 0x00100073; // c.ebreak
                            }
                            return encI(0x67, 1, 0, rd, 0); // c.jalr
                        }
                        return encR(0x33, rd, 0, rd, rs2, 0); // c.add
                    case 5: // c.fsdsp
                        return encS(0x27, 3, 2, rs2, ((c >>> 10) & 7) << 3 | ((c >>> 7) & 7) << 6);
                    case 6: // c.swsp
                        return encS(0x23, 2, 2, rs2, ((c >>> 9) & 15) << 2 | ((c >>> 7) & 3) << 6);
                    default: // c.sdsp
                        return encS(0x23, 3, 2, rs2, ((c >>> 10) & 7) << 3 | ((c >>> 7) & 7) << 6);
                }
            default:
                return 0;
        }
    }
}
