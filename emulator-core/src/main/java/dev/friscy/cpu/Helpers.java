package dev.friscy.cpu;

import dev.friscy.mem.Page;

/**
 * The interpreter's out-of-line pieces, public for translated code (and the translator's front
 * end), which must behave exactly as the interpreter does.
 */
public final class Helpers {
    private Helpers() {
    }

    /** Decodes the slot at byte offset {@code pos} of {@code pg} into decode array {@code ops}. */
    public static void decode(Page pg, int[] ops, int pos) {
        Cpu.decodeSlot(pg, ops, pos);
    }

    /** A store outside the TLB fast path; false on a fault (reported in {@code h.as}). */
    public static boolean store(Hart h, long a, int size, long v) {
        return Cpu.storeSlow(h, a, size, v);
    }

    /** Op.FP: false if the instruction is illegal. */
    public static boolean fp(Hart h, int inst) {
        return FpExec.op(h, inst);
    }

    /** Op.FMA: false if the instruction is illegal. */
    public static boolean fma(Hart h, int inst) {
        return FpExec.fma(h, inst);
    }

    /** Op.AMO: false on a fault. */
    public static boolean amo(Hart h, int inst) {
        return Amo.exec(h, inst);
    }

    /** MULH .. REMUW by op id. */
    public static long muldiv(int op, long a, long b) {
        return Cpu.muldiv(op, a, b);
    }

    /** Zba / Zbb by op id. */
    public static long bitmanip(int op, long a, long b, int imm) {
        return Alu.bitmanip(op, a, b, imm);
    }
}
