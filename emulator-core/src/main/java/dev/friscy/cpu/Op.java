package dev.friscy.cpu;

/**
 * Decoded-instruction format shared by {@link Decoder} and {@link Cpu}.
 *
 * A decoded slot is one {@code int}: op id in bits 0..7, rd in 8..13 (0..32; the decoder
 * turns x0 into the sink register 32), rs1 in 14..18, rs2 in 19..23, rs3 in 24..28 and
 * the instruction length in bytes (2 or 4) in 29..31. A page's decode array holds, for the
 * parcel at byte offset {@code pos}, the word at {@code [pos]} and its immediate at
 * {@code [pos + 1]}, so the interpreter indexes it by pc's page offset. Ops handled outside
 * the hot loop (CSR, AMO, FP, FMA, ILLEGAL) keep the raw instruction bits as their
 * immediate and decode the rest themselves.
 *
 * Op ids are dense so the interpreter's switch compiles to a jump table.
 */
final class Op {
    private Op() {
    }

    // pseudo-ops of the decode cache
    static final int UNDECODED = 0;
    /** Leave the current page's decodes and look the page up again (end-of-page sentinel). */
    static final int RELOAD = 1;
    /** A 32-bit instruction whose upper half is on the next page. */
    static final int CROSS = 2;
    static final int ILLEGAL = 3;

    static final int LI = 4;
    static final int AUIPC = 5;
    static final int JAL = 6;
    static final int JALR = 7;
    static final int BEQ = 8;
    static final int BNE = 9;
    static final int BLT = 10;
    static final int BGE = 11;
    static final int BLTU = 12;
    static final int BGEU = 13;
    static final int LB = 14;
    static final int LH = 15;
    static final int LW = 16;
    static final int LD = 17;
    static final int LBU = 18;
    static final int LHU = 19;
    static final int LWU = 20;
    static final int SB = 21;
    static final int SH = 22;
    static final int SW = 23;
    static final int SD = 24;
    static final int ADDI = 25;
    static final int SLTI = 26;
    static final int SLTIU = 27;
    static final int XORI = 28;
    static final int ORI = 29;
    static final int ANDI = 30;
    static final int SLLI = 31;
    static final int SRLI = 32;
    static final int SRAI = 33;
    static final int ADD = 34;
    static final int SUB = 35;
    static final int SLL = 36;
    static final int SLT = 37;
    static final int SLTU = 38;
    static final int XOR = 39;
    static final int SRL = 40;
    static final int SRA = 41;
    static final int OR = 42;
    static final int AND = 43;
    static final int ADDIW = 44;
    static final int SLLIW = 45;
    static final int SRLIW = 46;
    static final int SRAIW = 47;
    static final int ADDW = 48;
    static final int SUBW = 49;
    static final int SLLW = 50;
    static final int SRLW = 51;
    static final int SRAW = 52;
    static final int FENCE = 53;
    static final int FENCE_I = 54;
    static final int ECALL = 55;
    static final int EBREAK = 56;
    static final int CSR = 57;
    static final int MUL = 58;
    static final int MULH = 59;
    static final int MULHSU = 60;
    static final int MULHU = 61;
    static final int DIV = 62;
    static final int DIVU = 63;
    static final int REM = 64;
    static final int REMU = 65;
    static final int MULW = 66;
    static final int DIVW = 67;
    static final int DIVUW = 68;
    static final int REMW = 69;
    static final int REMUW = 70;
    static final int AMO = 71;
    static final int FLW = 72;
    static final int FLD = 73;
    static final int FSW = 74;
    static final int FSD = 75;
    static final int FP = 76;
    static final int FMA = 77;
    // Zba / Zbb: evaluated by Alu.bitmanip (pure function of op, rs1, rs2, imm)
    static final int SH1ADD = 78;
    static final int SH2ADD = 79;
    static final int SH3ADD = 80;
    static final int SH1ADD_UW = 81;
    static final int SH2ADD_UW = 82;
    static final int SH3ADD_UW = 83;
    static final int ADD_UW = 84;
    static final int SLLI_UW = 85;
    static final int ANDN = 86;
    static final int ORN = 87;
    static final int XNOR = 88;
    static final int CLZ = 89;
    static final int CTZ = 90;
    static final int CPOP = 91;
    static final int CLZW = 92;
    static final int CTZW = 93;
    static final int CPOPW = 94;
    static final int MAX = 95;
    static final int MAXU = 96;
    static final int MIN = 97;
    static final int MINU = 98;
    static final int SEXT_B = 99;
    static final int SEXT_H = 100;
    static final int ZEXT_H = 101;
    static final int ROL = 102;
    static final int ROR = 103;
    static final int RORI = 104;
    static final int ROLW = 105;
    static final int RORW = 106;
    static final int RORIW = 107;
    static final int ORC_B = 108;
    static final int REV8 = 109;

    // Compressed twins: same semantics as the op without C_, but 2 bytes long. Giving them their
    // own ids lets every case advance pc by a constant, which keeps the next decode fetch off the
    // critical path of the current one.
    static final int C_LI = 110;
    static final int C_ADDI = 111;
    static final int C_ADDIW = 112;
    static final int C_SLLI = 113;
    static final int C_SRLI = 114;
    static final int C_SRAI = 115;
    static final int C_ANDI = 116;
    static final int C_ADD = 117;
    static final int C_SUB = 118;
    static final int C_XOR = 119;
    static final int C_OR = 120;
    static final int C_AND = 121;
    static final int C_ADDW = 122;
    static final int C_SUBW = 123;
    static final int C_LW = 124;
    static final int C_LD = 125;
    static final int C_SW = 126;
    static final int C_SD = 127;
    static final int C_JAL = 128;
    static final int C_JALR = 129;
    static final int C_BEQ = 130;
    static final int C_BNE = 131;

    static final int COUNT = 132;

    /** The compressed twin of a 32-bit op, or the op itself if it has none. */
    static int compressedTwin(int op) {
        switch (op) {
            case LI: return C_LI;
            case ADDI: return C_ADDI;
            case ADDIW: return C_ADDIW;
            case SLLI: return C_SLLI;
            case SRLI: return C_SRLI;
            case SRAI: return C_SRAI;
            case ANDI: return C_ANDI;
            case ADD: return C_ADD;
            case SUB: return C_SUB;
            case XOR: return C_XOR;
            case OR: return C_OR;
            case AND: return C_AND;
            case ADDW: return C_ADDW;
            case SUBW: return C_SUBW;
            case LW: return C_LW;
            case LD: return C_LD;
            case SW: return C_SW;
            case SD: return C_SD;
            case JAL: return C_JAL;
            case JALR: return C_JALR;
            case BEQ: return C_BEQ;
            case BNE: return C_BNE;
            default: return op;
        }
    }

    static int pack(int op, int rd, int rs1, int rs2, int rs3, int len) {
        return op | (rd == 0 ? 32 : rd) << 8 | rs1 << 14 | rs2 << 19 | rs3 << 24 | len << 29;
    }

    static int op(int d) {
        return d & 0xff;
    }

    static int rd(int d) {
        return (d >>> 8) & 63;
    }

    static int rs1(int d) {
        return (d >>> 14) & 31;
    }

    static int rs2(int d) {
        return (d >>> 19) & 31;
    }

    static int len(int d) {
        return d >>> 29;
    }
}
