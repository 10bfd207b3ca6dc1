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
public final class Op {
    private Op() {
    }

    // pseudo-ops of the decode cache
    public static final int UNDECODED = 0;
    /** Leave the current page's decodes and look the page up again (end-of-page sentinel). */
    public static final int RELOAD = 1;
    /** A 32-bit instruction whose upper half is on the next page. */
    public static final int CROSS = 2;
    public static final int ILLEGAL = 3;

    public static final int LI = 4;
    public static final int AUIPC = 5;
    public static final int JAL = 6;
    public static final int JALR = 7;
    public static final int BEQ = 8;
    public static final int BNE = 9;
    public static final int BLT = 10;
    public static final int BGE = 11;
    public static final int BLTU = 12;
    public static final int BGEU = 13;
    public static final int LB = 14;
    public static final int LH = 15;
    public static final int LW = 16;
    public static final int LD = 17;
    public static final int LBU = 18;
    public static final int LHU = 19;
    public static final int LWU = 20;
    public static final int SB = 21;
    public static final int SH = 22;
    public static final int SW = 23;
    public static final int SD = 24;
    public static final int ADDI = 25;
    public static final int SLTI = 26;
    public static final int SLTIU = 27;
    public static final int XORI = 28;
    public static final int ORI = 29;
    public static final int ANDI = 30;
    public static final int SLLI = 31;
    public static final int SRLI = 32;
    public static final int SRAI = 33;
    public static final int ADD = 34;
    public static final int SUB = 35;
    public static final int SLL = 36;
    public static final int SLT = 37;
    public static final int SLTU = 38;
    public static final int XOR = 39;
    public static final int SRL = 40;
    public static final int SRA = 41;
    public static final int OR = 42;
    public static final int AND = 43;
    public static final int ADDIW = 44;
    public static final int SLLIW = 45;
    public static final int SRLIW = 46;
    public static final int SRAIW = 47;
    public static final int ADDW = 48;
    public static final int SUBW = 49;
    public static final int SLLW = 50;
    public static final int SRLW = 51;
    public static final int SRAW = 52;
    public static final int FENCE = 53;
    public static final int FENCE_I = 54;
    public static final int ECALL = 55;
    public static final int EBREAK = 56;
    public static final int CSR = 57;
    public static final int MUL = 58;
    public static final int MULH = 59;
    public static final int MULHSU = 60;
    public static final int MULHU = 61;
    public static final int DIV = 62;
    public static final int DIVU = 63;
    public static final int REM = 64;
    public static final int REMU = 65;
    public static final int MULW = 66;
    public static final int DIVW = 67;
    public static final int DIVUW = 68;
    public static final int REMW = 69;
    public static final int REMUW = 70;
    public static final int AMO = 71;
    public static final int FLW = 72;
    public static final int FLD = 73;
    public static final int FSW = 74;
    public static final int FSD = 75;
    public static final int FP = 76;
    public static final int FMA = 77;
    // Zba / Zbb: evaluated by Alu.bitmanip (pure function of op, rs1, rs2, imm)
    public static final int SH1ADD = 78;
    public static final int SH2ADD = 79;
    public static final int SH3ADD = 80;
    public static final int SH1ADD_UW = 81;
    public static final int SH2ADD_UW = 82;
    public static final int SH3ADD_UW = 83;
    public static final int ADD_UW = 84;
    public static final int SLLI_UW = 85;
    public static final int ANDN = 86;
    public static final int ORN = 87;
    public static final int XNOR = 88;
    public static final int CLZ = 89;
    public static final int CTZ = 90;
    public static final int CPOP = 91;
    public static final int CLZW = 92;
    public static final int CTZW = 93;
    public static final int CPOPW = 94;
    public static final int MAX = 95;
    public static final int MAXU = 96;
    public static final int MIN = 97;
    public static final int MINU = 98;
    public static final int SEXT_B = 99;
    public static final int SEXT_H = 100;
    public static final int ZEXT_H = 101;
    public static final int ROL = 102;
    public static final int ROR = 103;
    public static final int RORI = 104;
    public static final int ROLW = 105;
    public static final int RORW = 106;
    public static final int RORIW = 107;
    public static final int ORC_B = 108;
    public static final int REV8 = 109;

    // Compressed twins: same semantics as the op without C_, but 2 bytes long. Giving them their
    // own ids lets every case advance pc by a constant, which keeps the next decode fetch off the
    // critical path of the current one.
    public static final int C_LI = 110;
    public static final int C_ADDI = 111;
    public static final int C_ADDIW = 112;
    public static final int C_SLLI = 113;
    public static final int C_SRLI = 114;
    public static final int C_SRAI = 115;
    public static final int C_ANDI = 116;
    public static final int C_ADD = 117;
    public static final int C_SUB = 118;
    public static final int C_XOR = 119;
    public static final int C_OR = 120;
    public static final int C_AND = 121;
    public static final int C_ADDW = 122;
    public static final int C_SUBW = 123;
    public static final int C_LW = 124;
    public static final int C_LD = 125;
    public static final int C_SW = 126;
    public static final int C_SD = 127;
    public static final int C_JAL = 128;
    public static final int C_JALR = 129;
    public static final int C_BEQ = 130;
    public static final int C_BNE = 131;

    /**
     * Pseudo-op of the translator: the entry of translated code. Its immediate slot says which
     * (see dev.friscy.jit.PageCode); the instruction it replaces is kept in the page's plain copy.
     */
    public static final int JIT = 132;

    public static final int COUNT = 133;

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

    public static int op(int d) {
        return d & 0xff;
    }

    // Cpu.interpret writes the accessors below out as shifts and masks (see there): keep both in step.
    public static int rd(int d) {
        return (d >>> 8) & 63;
    }

    public static int rs1(int d) {
        return (d >>> 14) & 31;
    }

    public static int rs2(int d) {
        return (d >>> 19) & 31;
    }

    public static int rs3(int d) {
        return (d >>> 24) & 31;
    }

    /** The destination as a floating-point register (x0's marker 32 reads as f0). */
    public static int frd(int d) {
        return (d >>> 8) & 31;
    }

    /** The instruction's length in bytes: 4, or 2 for a compressed one. */
    public static int len(int d) {
        return d >>> 29;
    }
}
