package dev.friscy.jit;

import dev.friscy.cpu.Hart;

/**
 * Translated code for one {@link Region}. The interpreter makes exactly one call per region
 * entry: {@code run(h, block, left)}.
 */
public abstract class Code {
    /** Calls so far and instructions they ran (kept by the interpreter, read by {@link Jit#review}). */
    public int calls;
    public long ran;
    /** True if the code calls out to other translated code itself (see Dispatch#link). */
    public boolean linking;
    /** True if translated because translated code called it (Jit#linked): never reviewed. */
    public boolean called;
    /** Reviews passed over so far (see Jit#review). */
    public int reviews;
    /**
     * Accesses the code left to the interpreter since {@link #missMark} (an instruction count),
     * for a back end whose code does that instead of calling its slow path (see Jit#missed).
     */
    public int misses;
    public long missMark;

    /**
     * Runs the region from block {@code block} (an index into {@link Region#starts}); {@code h.pc}
     * is that block's address on entry. Returns the budget left (never more than {@code left},
     * never negative) and leaves {@code h.pc} at the next instruction and the exit kind in
     * {@code h.jitExit} ({@link Jit#EXIT_CONTINUE}, {@code Cpu.EXIT_FAULT} or
     * {@code Cpu.EXIT_ILLEGAL}). A {@link Jit#EXIT_CONTINUE} that returns {@code left} unchanged
     * means nothing ran (not enough budget to start).
     */
    public abstract long run(Hart h, int block, long left);

    /**
     * False while the code cannot run yet (the Worker's, until the browser has compiled its
     * module): its entries are patched in only when it can ({@link #ready}).
     */
    public boolean runnable() {
        return true;
    }

    /** The translations of the page this code's entries wait to be patched into, and its index there. */
    PageCode waitingIn;
    int waitingIndex;

    /** The back end: this code can run now; its entries go into its page's decodes (if still there). */
    public final void ready() {
        PageCode pc = waitingIn;
        if (pc != null) {
            waitingIn = null;
            pc.activate(waitingIndex);
        }
    }
}
