package dev.friscy.web.jit;

/**
 * Where translated code finds the hart in linear memory (the WebAssembly.Memory that TeaVM's
 * module and every generated module share). Java copies the registers in before it calls
 * translated code and out after it returns; in between, generated code keeps them in Wasm locals
 * and passes them from region to region through this block.
 */
final class HartLayout {
    /** x0..x31, 8 bytes each. */
    static final int X = 0;
    /** The pc: the entered block's address on entry, the next instruction on exit. */
    static final int PC = 256;
    /** Instruction budget left. */
    static final int LEFT = 264;
    /** Status of the last helper call (see {@link #OK} ...). */
    static final int STATUS = 272;
    /** The link cell of the exit taken, or -1. */
    static final int CELL = 276;
    /**
     * Whether generated code may take the host's IEEE result of an FP operation as it is: bit 0
     * set if fflags already holds NX (so an inexact result adds no flag), bit 1 if frm is RNE (an
     * instruction with the dynamic rounding mode rounds as the host does). Kept by Java on entry
     * and after every FP helper call; see {@code RegionEmitter}'s FP rules.
     */
    static final int FPOK = 280;
    /** Set by generated code when it wrote f registers back (Java copies them to the hart then). */
    static final int FDIRTY = 284;
    /** f0..f31 as raw bits, 8 bytes each. */
    static final int F = 288;
    /**
     * Set once the f registers are in the hart block: Java leaves them out on entry, and the first
     * region that uses them calls the helper that copies them in.
     */
    static final int FLOADED = 544;
    static final int SIZE = 552;

    // helper status codes
    static final int OK = 0;
    static final int FAULT = 1;
    static final int ILLEGAL = 2;
    /** The access went through, but it wrote a page that holds decoded code: leave after it. */
    static final int CODE_CHANGED = 3;

    // what a region function returns
    static final int EXIT_CONTINUE = 0;
    static final int EXIT_FAULT = 1;
    static final int EXIT_ILLEGAL = 2;

    /** Bytes per link cell: table slot + 1 (0 = not linked), then the block index to enter. */
    static final int CELL_BYTES = 8;

    /** {@link #CELL} after an exit through {@code jalr}: the successor is looked up by its pc. */
    static final int CELL_BY_PC = -2;
    /**
     * Entries of the pc cache: where {@code jalr} (returns, calls through pointers) lands, by the
     * guest pc: {@link #PC_ENTRY_BYTES} each, the pc (-1: empty; no pc is odd), table slot + 1,
     * block. Filled by Java as it sees such exits, valid while the link cells are.
     */
    static final int PC_ENTRIES = 4096;
    static final int PC_ENTRY_BYTES = 16;

    /** Absolute addresses: the hart block and the link cells. */
    final int hart;
    final int links;
    final int cells;
    /**
     * True if generated code reads and writes guest pages itself, through the TLB copy the Worker
     * keeps as Wasm GC arrays ({@link TranslatedTlb}), and calls the helpers only on a miss; false
     * if every access is a helper call (the unit test's runtime, whose V8 predates Wasm GC).
     */
    final boolean inlineTlb;
    /** Address of the pc cache, or 0 for none (every jalr returns to Java). */
    final int pcCache;

    HartLayout(int hart, int links, int cells, int pcCache, boolean inlineTlb) {
        this.hart = hart;
        this.links = links;
        this.cells = cells;
        this.pcCache = pcCache;
        this.inlineTlb = inlineTlb;
    }
}
