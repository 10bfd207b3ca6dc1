package dev.friscy.cpu;

/**
 * The interpreter. {@link #run} executes instructions of one hart until the budget is spent
 * or something needs the kernel, and says why it stopped.
 */
public final class Cpu {
    /** The instruction budget ran out; {@code h.pc} is the next instruction. */
    public static final int EXIT_BUDGET = 0;
    /** An {@code ecall}; {@code h.pc} points at it (the kernel advances it by 4). */
    public static final int EXIT_ECALL = 1;
    /** An {@code ebreak} (or {@code c.ebreak}); {@code h.pc} points at it. */
    public static final int EXIT_EBREAK = 2;
    /** A memory fault; {@code h.as.faultSignal/faultCode/faultAddr} say which, {@code h.pc} is the instruction. */
    public static final int EXIT_FAULT = 3;
    /** An illegal or unimplemented instruction; {@code h.badInstruction} holds its bits, {@code h.pc} its address. */
    public static final int EXIT_ILLEGAL = 4;

    private Cpu() {
    }

    /** Runs up to {@code budget} instructions; adds the count executed to {@code h.instret}. */
    public static int run(Hart h, long budget) {
        throw new UnsupportedOperationException("interpreter not written yet");
    }
}
