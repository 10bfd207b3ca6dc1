package dev.friscy.cpu;

/**
 * Integer operations that take more than one JVM instruction: the high multiplies,
 * RISC-V division (defined results for division by zero and overflow, no traps) and the
 * Zba/Zbb bit-manipulation group. Written without Math.multiplyHigh and friends so that
 * the Wasm build has them too.
 */
final class Alu {
    /** Loads and initializes this class (see Cpu's static initializer). */
    static void load() {
    }

    private Alu() {
    }

    static long mulhu(long a, long b) {
        long aLo = a & 0xffffffffL;
        long aHi = a >>> 32;
        long bLo = b & 0xffffffffL;
        long bHi = b >>> 32;
        long ll = aLo * bLo;
        long lh = aLo * bHi;
        long hl = aHi * bLo;
        long mid = (ll >>> 32) + (lh & 0xffffffffL) + (hl & 0xffffffffL);
        return aHi * bHi + (lh >>> 32) + (hl >>> 32) + (mid >>> 32);
    }

    static long mulh(long a, long b) {
        return mulhu(a, b) - (a < 0 ? b : 0) - (b < 0 ? a : 0);
    }

    static long mulhsu(long a, long b) {
        return mulhu(a, b) - (a < 0 ? b : 0);
    }

    // Division by -1 is spelled out as negation (and its remainder as 0): Java defines
    // MIN_VALUE / -1 as MIN_VALUE, as RISC-V does, but TeaVM's Wasm build divides with Wasm's
    // div_s, which traps on that overflow and took the whole emulator down in the page.

    static long div(long a, long b) {
        return b == 0 ? -1 : b == -1 ? -a : a / b;
    }

    static long divu(long a, long b) {
        return b == 0 ? -1 : Long.divideUnsigned(a, b);
    }

    static long rem(long a, long b) {
        return b == 0 ? a : b == -1 ? 0 : a % b;
    }

    static long remu(long a, long b) {
        return b == 0 ? a : Long.remainderUnsigned(a, b);
    }

    static long divw(long a, long b) {
        int y = (int) b;
        return y == 0 ? -1 : y == -1 ? (long) -(int) a : (long) ((int) a / y);
    }

    static long divuw(long a, long b) {
        long y = b & 0xffffffffL;
        return y == 0 ? -1 : (long) (int) ((a & 0xffffffffL) / y);
    }

    static long remw(long a, long b) {
        int y = (int) b;
        return y == 0 ? (long) (int) a : y == -1 ? 0 : (long) ((int) a % y);
    }

    static long remuw(long a, long b) {
        long y = b & 0xffffffffL;
        return y == 0 ? (long) (int) a : (long) (int) ((a & 0xffffffffL) % y);
    }

    /** Zba/Zbb ops: {@code a} = rs1 value, {@code b} = rs2 value, {@code imm} = shift amount. */
    static long bitmanip(int op, long a, long b, int imm) {
        switch (op) {
            case Op.SH1ADD: return b + (a << 1);
            case Op.SH2ADD: return b + (a << 2);
            case Op.SH3ADD: return b + (a << 3);
            case Op.SH1ADD_UW: return b + ((a & 0xffffffffL) << 1);
            case Op.SH2ADD_UW: return b + ((a & 0xffffffffL) << 2);
            case Op.SH3ADD_UW: return b + ((a & 0xffffffffL) << 3);
            case Op.ADD_UW: return b + (a & 0xffffffffL);
            case Op.SLLI_UW: return (a & 0xffffffffL) << imm;
            case Op.ANDN: return a & ~b;
            case Op.ORN: return a | ~b;
            case Op.XNOR: return ~(a ^ b);
            case Op.CLZ: return Long.numberOfLeadingZeros(a);
            case Op.CTZ: return Long.numberOfTrailingZeros(a);
            case Op.CPOP: return Long.bitCount(a);
            case Op.CLZW: return Integer.numberOfLeadingZeros((int) a);
            case Op.CTZW: return Integer.numberOfTrailingZeros((int) a);
            case Op.CPOPW: return Integer.bitCount((int) a);
            case Op.MAX: return a > b ? a : b;
            case Op.MAXU: return Long.compareUnsigned(a, b) > 0 ? a : b;
            case Op.MIN: return a < b ? a : b;
            case Op.MINU: return Long.compareUnsigned(a, b) < 0 ? a : b;
            case Op.SEXT_B: return (byte) a;
            case Op.SEXT_H: return (short) a;
            case Op.ZEXT_H: return a & 0xffff;
            case Op.ROL: return Long.rotateLeft(a, (int) b);
            case Op.ROR: return Long.rotateRight(a, (int) b);
            case Op.RORI: return Long.rotateRight(a, imm);
            case Op.ROLW: return Integer.rotateLeft((int) a, (int) b);
            case Op.RORW: return Integer.rotateRight((int) a, (int) b);
            case Op.RORIW: return Integer.rotateRight((int) a, imm);
            case Op.ORC_B: {
                long m = 0x7f7f7f7f7f7f7f7fL;
                long hi = (((a & m) + m) | a) & ~m; // top bit of each non-zero byte
                return (hi >>> 7) * 0xff;
            }
            case Op.REV8: return Long.reverseBytes(a);
            default: throw new IllegalStateException("not a bitmanip op: " + op);
        }
    }
}
