package dev.friscy.cpu;

import dev.friscy.mem.AddressSpace;

/**
 * The architectural state of one RISC-V hart (one guest thread): integer and FP registers,
 * pc, the FP control/status register and the LR/SC reservation.
 */
public final class Hart {
    /** x0..x31, plus slot 32: the decoder redirects writes to x0 there so x[0] stays zero. */
    public final long[] x = new long[33];
    /** f0..f31 as raw bits; single-precision values are NaN-boxed (upper 32 bits all ones). */
    public final long[] f = new long[32];
    public long pc;
    /** Accrued exception flags (NV DZ OF UF NX = bits 4..0). */
    public int fflags;
    /** Dynamic rounding mode (0 RNE, 1 RTZ, 2 RDN, 3 RUP, 4 RMM). */
    public int frm;
    /** Address reserved by LR, or -1. */
    public long reservation = -1;
    /** Instructions retired. */
    public long instret;
    public AddressSpace as;

    /** Why {@link Cpu#run} stopped, for EXIT_ILLEGAL: the instruction bits. */
    public int badInstruction;

    /** How translated code left its region (dev.friscy.jit.Jit.EXIT_CONTINUE or a Cpu exit). */
    public int jitExit;

    /**
     * Where a translated inner loop compiled as its own method (JVM back end) left for: the
     * block of its region to go on at, or -1 when it left the region (then {@link #pc} and
     * {@link #jitExit} say how).
     */
    public int jitNext;

    /**
     * Translated code calling out to other translated code (see Dispatch#link): how many such
     * calls are active on this hart's stack, and the code page each caller waits to get back to.
     */
    int linkDepth;
    final long[] linkVpn = new long[Dispatch.MAX_LINK_DEPTH];

    /**
     * A one-instruction decode page for an instruction that straddles two pages: slot 0 holds
     * it, every other slot sends the interpreter back to the page lookup.
     */
    final int[] crossOps = new int[dev.friscy.jit.Jit.OPS_LENGTH];

    public Hart() {
        for (int i = 0; i < crossOps.length; i += 2) {
            crossOps[i] = Op.RELOAD;
        }
    }

    public void copyFrom(Hart o) {
        System.arraycopy(o.x, 0, x, 0, x.length);
        System.arraycopy(o.f, 0, f, 0, f.length);
        pc = o.pc;
        fflags = o.fflags;
        frm = o.frm;
        reservation = -1;
    }
}
