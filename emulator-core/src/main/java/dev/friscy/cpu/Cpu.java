package dev.friscy.cpu;

import dev.friscy.jit.Jit;
import dev.friscy.jit.PageCode;
import dev.friscy.mem.AddressSpace;
import dev.friscy.mem.Page;

/**
 * The interpreter. {@link #run} executes instructions of one hart until the budget is spent
 * or something needs the kernel, and says why it stopped.
 *
 * Instructions are decoded lazily into per-page arrays (see {@link Op}) and executed by one
 * switch. The loop keeps pc, the current page's decode arrays and the registers in locals;
 * aligned loads and stores that hit the software TLB are done inline, everything else goes
 * through {@link AddressSpace#load}/{@link AddressSpace#store}. Rare instructions (CSR, A, F/D
 * arithmetic) live in their own classes so that this method stays small enough to be JIT-compiled.
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

    /**
     * Decodes made under an older epoch are stale. fence.i bumps it: it has no address range,
     * and code can be written through an alias mapping the store path cannot see.
     */
    static int codeEpoch = 1;

    // package-private, as everything interpret() uses: the Worker's copy of it (see Interpreter) uses them too
    static final long PAGE_MASK = Page.MASK;
    static final int PAGE_OFF = Page.SIZE - 1;
    static final int TLB_MASK = AddressSpace.TLB_MASK;

    private Cpu() {
    }

    /** Only there to load PageCode (see the static initializer). */
    @SuppressWarnings("unused")
    private static Class<?> pageCodeClass;

    static {
        // The interpreter calls these only for some instructions (CSR, AMO, FP, bit manipulation).
        // A class not yet loaded when C2 compiles interpret() becomes an 'unloaded' trap there: the
        // first such instruction threw the compiled interpreter away, and C2 spent seconds
        // compiling it again (OSR and standard). Loading them up front costs nothing.
        Csr.load();
        Amo.load();
        FpExec.load();
        Alu.load();
        // The same for the type of Page.jit, which interpret() reads at a JIT pseudo-op: before
        // the first hot page nothing loads PageCode, and C2 compiles a read of a field whose type
        // is not loaded as "always null", a trap no -XX flag turns off. The first translated
        // region entered then threw both compiled interpreters (standard and OSR) away and C2
        // compiled them again (node -e: 0.3-0.9 s of C2 time, while the interpreter ran in C1).
        pageCodeClass = PageCode.class;
    }

    /**
     * Drops the decoded instructions of [start, end) in {@code as}, for the riscv_flush_icache
     * system call. Pages that are not resident have nothing to drop.
     */
    public static void flushIcache(AddressSpace as, long start, long end) {
        // start and end are the guest's: compare unsigned, so that no pair of values can make
        // the loop below walk more than 64 MiB of pages (Linux flushes the whole cache anyway)
        if (Long.compareUnsigned(end, start) <= 0 || Long.compareUnsigned(end - start, 64L << 20) > 0) {
            codeEpoch++;
            return;
        }
        for (long a = start & ~PAGE_MASK; a < end; a += Page.SIZE) {
            Page p = as.residentPage(a);
            if (p != null) {
                p.invalidateDecode();
            }
        }
    }

    /** Drops every decoded instruction everywhere (what fence.i does). */
    public static void flushAllDecodes() {
        codeEpoch++;
    }

    /**
     * {@link #interpret} stopped at the entry of translated code ({@code h.pc}): the driver runs it.
     * Never seen outside this class.
     */
    static final int EXIT_JIT = 5;

    /** How {@link #interpret} treats translated code's entries (see there). */
    static final int PLAIN_NONE = 0;
    static final int PLAIN_FIRST = 1;
    static final int PLAIN_ALL = 2;

    /**
     * Another build of {@link #interpret}'s loop. The Worker installs one that web-host's build
     * generates from this file's {@code interpret} ({@code dev.friscy.cpu.WorkerInterpreter}):
     * the same statements, with the decode array, the registers, the TLB's tags and the guest pages
     * (through {@link AddressSpace#mirror}) read as the Wasm arrays themselves, which TeaVM would
     * otherwise reach through their array objects at every access. The JVM never installs one.
     */
    public interface Interpreter {
        /** What {@link #interpret} does, with the same arguments and result. */
        int interpret(Hart h, long budget, int plain);
    }

    private static Interpreter interpreter;

    /** From now on, {@code i} interprets (null: this class's own loop). */
    public static void useInterpreter(Interpreter i) {
        interpreter = i;
    }

    private static int step(Hart h, long budget, int plain) {
        Interpreter i = interpreter;
        return i == null ? interpret(h, budget, plain) : i.interpret(h, budget, plain);
    }

    /** Runs up to {@code budget} instructions; adds the count executed to {@code h.instret}. */
    public static int run(Hart h, long budget) {
        long before = h.instret;
        int exit = runBudget(h, budget);
        instructionsRun += h.instret - before;
        return exit;
    }

    /**
     * Instructions all harts have run: the clock of the translator's policies that count events
     * per stretch of guest execution (see {@code Jit.arrivedInBursts}).
     */
    public static long instructionsRun;

    /**
     * The driver between the interpreter and translated code. Keeping every call into translated
     * code (a call site that sees a new class with every region) and the bookkeeping around it
     * out of {@link #interpret} matters on HotSpot: each first-time branch or new receiver class
     * there deoptimized the whole interpreter and made C2 recompile its 7 KB of bytecode, again
     * and again, which cost more than the translated code saved. Here it costs a recompile of
     * this small method at most.
     */
    private static int runBudget(Hart h, long budget) {
        if (!Jit.enabled()) {
            return step(h, budget, PLAIN_NONE);
        }
        long left = budget;
        boolean plain = false;
        while (true) {
            long before = h.instret;
            int exit;
            if (plain) {
                // from the original decodes: the entry where nothing ran (too little budget for
                // its region, or a first access its code leaves to the interpreter) must not stop
                // the interpreter again. One instruction, then entries count; or, with less budget
                // left than a region may need, the whole rest of it, in whatever pages it goes
                // through: else every block entry on the way would try its region again and get
                // nothing, each a round trip through translated code (in the Worker 40 per time
                // slice in cpubench 10; the sh loop's tails, which call across pages, made 172 k
                // in its 29 k slices while only the first page was plain)
                exit = left < Jit.plainTail ? step(h, left, PLAIN_ALL) : step(h, 1, PLAIN_FIRST);
                plain = false;
                left -= h.instret - before;
                if (exit == EXIT_BUDGET && left > 0) {
                    continue;
                }
            } else {
                exit = step(h, left, PLAIN_NONE);
                left -= h.instret - before;
            }
            if (exit != EXIT_JIT) {
                return exit;
            }
            if (left < Jit.plainTail) {
                plain = true; // too little left for a region: the rest of the budget, plainly
                continue;
            }
            long l = Dispatch.run(h, left);
            if (h.jitExit != Jit.EXIT_CONTINUE) {
                // Linux breaks the reservation on every trap into the kernel
                h.reservation = -1;
                return h.jitExit;
            }
            // nothing ran (less budget than the region's first check, or its first access left
            // to the interpreter), or too little is left for a region: interpret the original
            // instruction (or the rest of the budget) rather than stopping at the entry again
            plain = l == left || l < Jit.plainTail;
            left = l;
            if (left <= 0) {
                return EXIT_BUDGET;
            }
        }
    }

    /**
     * The interpreter: runs up to {@code budget} instructions, adds the count executed to
     * {@code h.instret}. Stops with {@link #EXIT_JIT} at the entry of translated code, except
     * where {@code plain} says to run the page's original decodes: {@link #PLAIN_FIRST} for the
     * first page visit, {@link #PLAIN_ALL} for every one.
     * <p>
     * The decoded word's fields are taken apart here with the shifts and masks of {@link Op}'s
     * accessors ({@code rd}, {@code rs1}, {@code rs2}, {@code rs3}, {@code frd}, {@code len})
     * written out, not by calling them: this method is so large that C2 stops inlining once
     * its inlined bytecode reaches DesiredMethodLimit (8000 bytes), and left ~150 of those
     * calls as real calls, each spilling the loop's registers (node -e spent 6% of its time in
     * them). Change the layout in {@link Op} and here together.
     */
    private static int interpret(Hart h, long budget, int plain) {
        final AddressSpace as = h.as;
        as.clearFault();
        if (h.reservation != -1) {
            as.dropWriteTlb(h.reservation >>> Page.SHIFT);
        }
        final long[] x = h.x;
        final long[] f = h.f;
        final long[] rTag = as.rTag;
        final long[][] rData = as.rData;
        final long[] wTag = as.wTag;
        final long[][] wData = as.wData;
        final long[] xTag = as.xTag;
        final Page[] xPage = as.xPage;
        final int loopCost = Jit.loopCost;
        long pc = h.pc;
        long left = budget;
        int exit = EXIT_BUDGET;
        if ((pc & 1) != 0) {
            // only the kernel can put an odd pc here (jumps clear bit 0); the decode arrays need it even
            as.faultSignal = AddressSpace.SIGBUS;
            as.faultCode = Amo.BUS_ADRALN;
            as.faultAddr = pc;
            return EXIT_FAULT;
        }

        outer:
        while (left > 0) {
            long vpn = pc >>> Page.SHIFT;
            int xi = (int) vpn & TLB_MASK;
            Page pg;
            if (xTag[xi] == vpn) {
                pg = xPage[xi];
            } else {
                pg = as.pageForExec(pc);
                if (pg == null) {
                    exit = EXIT_FAULT;
                    break;
                }
            }
            int[] ops = pg.decodedOps;
            if (ops == null || pg.decodeEpoch != codeEpoch) {
                ops = attachDecodes(as, pg, vpn);
            }
            long base = pc & ~PAGE_MASK;
            // byte offset of pc in the page; also the index of its decoded word (the immediate follows it)
            int pos = (int) (pc - base);
            // backward branches (and at threshold 0 page entries) count towards translating the page
            ops[Jit.ENTRIES]++;
            if ((ops[Jit.HOT] -= Jit.entryCost) <= 0) {
                Jit.hot(h, pg, ops, pos, vpn);
            }
            if (plain != PLAIN_NONE) {
                if (plain == PLAIN_FIRST) {
                    plain = PLAIN_NONE;
                }
                PageCode jc = pg.jit;
                if (jc != null && jc.ops == ops) {
                    ops = jc.plain;
                }
            }

            while (true) {
                if (--left < 0) {
                    left = 0;
                    pc = base + pos;
                    break outer;
                }
                int d = ops[pos];
                // a compressed twin (C_*) shares its 32-bit op's body: Op.len gives 2 or 4
                switch (Op.op(d)) {
                    case Op.UNDECODED:
                        left++;
                        decodeSlot(pg, ops, pos);
                        break;
                    case Op.RELOAD:
                        left++;
                        pc = base + pos;
                        continue outer;
                    case Op.CROSS: {
                        left++;
                        pc = base + pos;
                        if (!decodeCrossing(h, pc)) {
                            exit = EXIT_FAULT;
                            break outer;
                        }
                        // run it from the hart's one-instruction scratch page, based at pc
                        ops = h.crossOps;
                        base = pc;
                        pos = 0;
                        break;
                    }
                    case Op.JIT: {
                        // translated code starts here: the driver runs it
                        left++;
                        PageCode jc = pg.jit;
                        pc = base + pos;
                        if (jc == null || jc.ops != ops) {
                            pg.invalidateDecode(); // cannot happen; start the page afresh rather than loop
                            continue outer;
                        }
                        exit = EXIT_JIT;
                        break outer;
                    }
                    case Op.ILLEGAL:
                        left++;
                        h.badInstruction = ops[pos + 1];
                        exit = EXIT_ILLEGAL;
                        pc = base + pos;
                        break outer;
                    case Op.LI: case Op.C_LI:
                        x[(d >>> 8) & 63] = ops[pos + 1];
                        pos += (d >>> 29);
                        break;
                    case Op.AUIPC:
                        x[(d >>> 8) & 63] = base + pos + ops[pos + 1];
                        pos += 4;
                        break;
                    // Backward jumps inside the page count down the page's hotness counter by
                    // Jit.loopCost (((t - pos) & ~t) >> 31 is -1 for them, 0 otherwise), without a branch: the
                    // counter is checked at page entry only. A branch here that is first taken
                    // when the counter runs out (only with the translator on) would be one C2
                    // never saw taken, compiled as a trap that throws the whole interpreter back
                    // to bytecode. A loop that never leaves its page is still seen at the end of
                    // its time slice.
                    case Op.JAL: case Op.C_JAL: {
                        x[(d >>> 8) & 63] = base + pos + (d >>> 29);
                        int t = pos + ops[pos + 1];
                        ops[Jit.HOT] -= (((t - pos) & ~t) >> 31) & loopCost;
                        if ((t & ~PAGE_OFF) != 0) {
                            pc = base + t;
                            continue outer;
                        }
                        pos = t;
                        break;
                    }
                    case Op.JALR: case Op.C_JALR: {
                        long t = (x[(d >>> 14) & 31] + ops[pos + 1]) & ~1L;
                        x[(d >>> 8) & 63] = base + pos + (d >>> 29);
                        if (((t - base) >>> Page.SHIFT) != 0) {
                            pc = t;
                            continue outer;
                        }
                        pos = (int) (t - base);
                        break;
                    }
                    case Op.BEQ: case Op.C_BEQ:
                        if (x[(d >>> 14) & 31] == x[(d >>> 19) & 31]) {
                            int t = pos + ops[pos + 1];
                            ops[Jit.HOT] -= (((t - pos) & ~t) >> 31) & loopCost;
                            if ((t & ~PAGE_OFF) != 0) {
                                pc = base + t;
                                continue outer;
                            }
                            pos = t;
                        } else {
                            pos += (d >>> 29);
                        }
                        break;
                    case Op.BNE: case Op.C_BNE:
                        if (x[(d >>> 14) & 31] != x[(d >>> 19) & 31]) {
                            int t = pos + ops[pos + 1];
                            ops[Jit.HOT] -= (((t - pos) & ~t) >> 31) & loopCost;
                            if ((t & ~PAGE_OFF) != 0) {
                                pc = base + t;
                                continue outer;
                            }
                            pos = t;
                        } else {
                            pos += (d >>> 29);
                        }
                        break;
                    case Op.BLT:
                        if (x[(d >>> 14) & 31] < x[(d >>> 19) & 31]) {
                            int t = pos + ops[pos + 1];
                            ops[Jit.HOT] -= (((t - pos) & ~t) >> 31) & loopCost;
                            if ((t & ~PAGE_OFF) != 0) {
                                pc = base + t;
                                continue outer;
                            }
                            pos = t;
                        } else {
                            pos += 4;
                        }
                        break;
                    case Op.BGE:
                        if (x[(d >>> 14) & 31] >= x[(d >>> 19) & 31]) {
                            int t = pos + ops[pos + 1];
                            ops[Jit.HOT] -= (((t - pos) & ~t) >> 31) & loopCost;
                            if ((t & ~PAGE_OFF) != 0) {
                                pc = base + t;
                                continue outer;
                            }
                            pos = t;
                        } else {
                            pos += 4;
                        }
                        break;
                    case Op.BLTU:
                        if (x[(d >>> 14) & 31] + Long.MIN_VALUE < x[(d >>> 19) & 31] + Long.MIN_VALUE) {
                            int t = pos + ops[pos + 1];
                            ops[Jit.HOT] -= (((t - pos) & ~t) >> 31) & loopCost;
                            if ((t & ~PAGE_OFF) != 0) {
                                pc = base + t;
                                continue outer;
                            }
                            pos = t;
                        } else {
                            pos += 4;
                        }
                        break;
                    case Op.BGEU:
                        if (x[(d >>> 14) & 31] + Long.MIN_VALUE >= x[(d >>> 19) & 31] + Long.MIN_VALUE) {
                            int t = pos + ops[pos + 1];
                            ops[Jit.HOT] -= (((t - pos) & ~t) >> 31) & loopCost;
                            if ((t & ~PAGE_OFF) != 0) {
                                pc = base + t;
                                continue outer;
                            }
                            pos = t;
                        } else {
                            pos += 4;
                        }
                        break;

                    // ---- loads: the TLB tag compare also checks alignment (misaligned addresses set high bits)
                    case Op.LD: case Op.C_LD: {
                        long a = x[(d >>> 14) & 31] + ops[pos + 1];
                        int ti = (int) (a >>> Page.SHIFT) & TLB_MASK;
                        long v;
                        if (rTag[ti] == ((a >>> Page.SHIFT) | (a << 61))) {
                            v = rData[ti][(int) (a >>> 3) & 511];
                        } else {
                            v = as.load(a, 8);
                            if (as.faultSignal != 0) {
                                left++;
                                exit = EXIT_FAULT;
                                pc = base + pos;
                                break outer;
                            }
                        }
                        x[(d >>> 8) & 63] = v;
                        pos += (d >>> 29);
                        break;
                    }
                    case Op.LW: case Op.C_LW: {
                        long a = x[(d >>> 14) & 31] + ops[pos + 1];
                        int ti = (int) (a >>> Page.SHIFT) & TLB_MASK;
                        long v;
                        if (rTag[ti] == ((a >>> Page.SHIFT) | (a << 62))) {
                            v = rData[ti][(int) (a >>> 3) & 511] >>> ((a & 4) << 3);
                        } else {
                            v = as.load(a, 4);
                            if (as.faultSignal != 0) {
                                left++;
                                exit = EXIT_FAULT;
                                pc = base + pos;
                                break outer;
                            }
                        }
                        x[(d >>> 8) & 63] = (long) (int) v;
                        pos += (d >>> 29);
                        break;
                    }
                    case Op.LWU: {
                        long a = x[(d >>> 14) & 31] + ops[pos + 1];
                        int ti = (int) (a >>> Page.SHIFT) & TLB_MASK;
                        long v;
                        if (rTag[ti] == ((a >>> Page.SHIFT) | (a << 62))) {
                            v = rData[ti][(int) (a >>> 3) & 511] >>> ((a & 4) << 3);
                        } else {
                            v = as.load(a, 4);
                            if (as.faultSignal != 0) {
                                left++;
                                exit = EXIT_FAULT;
                                pc = base + pos;
                                break outer;
                            }
                        }
                        x[(d >>> 8) & 63] = v & 0xffffffffL;
                        pos += 4;
                        break;
                    }
                    case Op.LH: {
                        long a = x[(d >>> 14) & 31] + ops[pos + 1];
                        int ti = (int) (a >>> Page.SHIFT) & TLB_MASK;
                        long v;
                        if (rTag[ti] == ((a >>> Page.SHIFT) | (a << 63))) {
                            v = rData[ti][(int) (a >>> 3) & 511] >>> ((a & 6) << 3);
                        } else {
                            v = as.load(a, 2);
                            if (as.faultSignal != 0) {
                                left++;
                                exit = EXIT_FAULT;
                                pc = base + pos;
                                break outer;
                            }
                        }
                        x[(d >>> 8) & 63] = (long) (short) v;
                        pos += 4;
                        break;
                    }
                    case Op.LHU: {
                        long a = x[(d >>> 14) & 31] + ops[pos + 1];
                        int ti = (int) (a >>> Page.SHIFT) & TLB_MASK;
                        long v;
                        if (rTag[ti] == ((a >>> Page.SHIFT) | (a << 63))) {
                            v = rData[ti][(int) (a >>> 3) & 511] >>> ((a & 6) << 3);
                        } else {
                            v = as.load(a, 2);
                            if (as.faultSignal != 0) {
                                left++;
                                exit = EXIT_FAULT;
                                pc = base + pos;
                                break outer;
                            }
                        }
                        x[(d >>> 8) & 63] = v & 0xffffL;
                        pos += 4;
                        break;
                    }
                    case Op.LB: {
                        long a = x[(d >>> 14) & 31] + ops[pos + 1];
                        int ti = (int) (a >>> Page.SHIFT) & TLB_MASK;
                        long v;
                        if (rTag[ti] == (a >>> Page.SHIFT)) {
                            v = rData[ti][(int) (a >>> 3) & 511] >>> ((a & 7) << 3);
                        } else {
                            v = as.load(a, 1);
                            if (as.faultSignal != 0) {
                                left++;
                                exit = EXIT_FAULT;
                                pc = base + pos;
                                break outer;
                            }
                        }
                        x[(d >>> 8) & 63] = (long) (byte) v;
                        pos += 4;
                        break;
                    }
                    case Op.LBU: {
                        long a = x[(d >>> 14) & 31] + ops[pos + 1];
                        int ti = (int) (a >>> Page.SHIFT) & TLB_MASK;
                        long v;
                        if (rTag[ti] == (a >>> Page.SHIFT)) {
                            v = rData[ti][(int) (a >>> 3) & 511] >>> ((a & 7) << 3);
                        } else {
                            v = as.load(a, 1);
                            if (as.faultSignal != 0) {
                                left++;
                                exit = EXIT_FAULT;
                                pc = base + pos;
                                break outer;
                            }
                        }
                        x[(d >>> 8) & 63] = v & 0xffL;
                        pos += 4;
                        break;
                    }
                    case Op.FLD: {
                        long a = x[(d >>> 14) & 31] + ops[pos + 1];
                        int ti = (int) (a >>> Page.SHIFT) & TLB_MASK;
                        long v;
                        if (rTag[ti] == ((a >>> Page.SHIFT) | (a << 61))) {
                            v = rData[ti][(int) (a >>> 3) & 511];
                        } else {
                            v = as.load(a, 8);
                            if (as.faultSignal != 0) {
                                left++;
                                exit = EXIT_FAULT;
                                pc = base + pos;
                                break outer;
                            }
                        }
                        f[(d >>> 8) & 31] = v;
                        pos += (d >>> 29);
                        break;
                    }
                    case Op.FLW: {
                        long a = x[(d >>> 14) & 31] + ops[pos + 1];
                        int ti = (int) (a >>> Page.SHIFT) & TLB_MASK;
                        long v;
                        if (rTag[ti] == ((a >>> Page.SHIFT) | (a << 62))) {
                            v = rData[ti][(int) (a >>> 3) & 511] >>> ((a & 4) << 3);
                        } else {
                            v = as.load(a, 4);
                            if (as.faultSignal != 0) {
                                left++;
                                exit = EXIT_FAULT;
                                pc = base + pos;
                                break outer;
                            }
                        }
                        f[(d >>> 8) & 31] = v | FpExec.BOX;
                        pos += 4;
                        break;
                    }

                    // ---- stores
                    case Op.SD: case Op.C_SD: {
                        long a = x[(d >>> 14) & 31] + ops[pos + 1];
                        long v = x[(d >>> 19) & 31];
                        int ti = (int) (a >>> Page.SHIFT) & TLB_MASK;
                        if (wTag[ti] == ((a >>> Page.SHIFT) | (a << 61))) {
                            wData[ti][(int) (a >>> 3) & 511] = v;
                        } else {
                            if (!storeSlow(h, a, 8, v)) {
                                left++;
                                exit = EXIT_FAULT;
                                pc = base + pos;
                                break outer;
                            }
                            if (pg.decodedOps != ops) {
                                pc = base + pos + (d >>> 29);
                                continue outer;
                            }
                        }
                        pos += (d >>> 29);
                        break;
                    }
                    case Op.SW: case Op.C_SW: {
                        long a = x[(d >>> 14) & 31] + ops[pos + 1];
                        long v = x[(d >>> 19) & 31];
                        int ti = (int) (a >>> Page.SHIFT) & TLB_MASK;
                        if (wTag[ti] == ((a >>> Page.SHIFT) | (a << 62))) {
                            long[] pd = wData[ti];
                            int i = (int) (a >>> 3) & 511;
                            int sh = (int) (a & 4) << 3;
                            pd[i] = (pd[i] & ~(0xffffffffL << sh)) | ((v & 0xffffffffL) << sh);
                        } else {
                            if (!storeSlow(h, a, 4, v)) {
                                left++;
                                exit = EXIT_FAULT;
                                pc = base + pos;
                                break outer;
                            }
                            if (pg.decodedOps != ops) {
                                pc = base + pos + (d >>> 29);
                                continue outer;
                            }
                        }
                        pos += (d >>> 29);
                        break;
                    }
                    case Op.SH: {
                        long a = x[(d >>> 14) & 31] + ops[pos + 1];
                        long v = x[(d >>> 19) & 31];
                        int ti = (int) (a >>> Page.SHIFT) & TLB_MASK;
                        if (wTag[ti] == ((a >>> Page.SHIFT) | (a << 63))) {
                            long[] pd = wData[ti];
                            int i = (int) (a >>> 3) & 511;
                            int sh = (int) (a & 6) << 3;
                            pd[i] = (pd[i] & ~(0xffffL << sh)) | ((v & 0xffffL) << sh);
                        } else {
                            if (!storeSlow(h, a, 2, v)) {
                                left++;
                                exit = EXIT_FAULT;
                                pc = base + pos;
                                break outer;
                            }
                            if (pg.decodedOps != ops) {
                                pc = base + pos + (4);
                                continue outer;
                            }
                        }
                        pos += 4;
                        break;
                    }
                    case Op.SB: {
                        long a = x[(d >>> 14) & 31] + ops[pos + 1];
                        long v = x[(d >>> 19) & 31];
                        int ti = (int) (a >>> Page.SHIFT) & TLB_MASK;
                        if (wTag[ti] == (a >>> Page.SHIFT)) {
                            long[] pd = wData[ti];
                            int i = (int) (a >>> 3) & 511;
                            int sh = (int) (a & 7) << 3;
                            pd[i] = (pd[i] & ~(0xffL << sh)) | ((v & 0xffL) << sh);
                        } else {
                            if (!storeSlow(h, a, 1, v)) {
                                left++;
                                exit = EXIT_FAULT;
                                pc = base + pos;
                                break outer;
                            }
                            if (pg.decodedOps != ops) {
                                pc = base + pos + (4);
                                continue outer;
                            }
                        }
                        pos += 4;
                        break;
                    }
                    case Op.FSD: {
                        long a = x[(d >>> 14) & 31] + ops[pos + 1];
                        long v = f[(d >>> 19) & 31];
                        int ti = (int) (a >>> Page.SHIFT) & TLB_MASK;
                        if (wTag[ti] == ((a >>> Page.SHIFT) | (a << 61))) {
                            wData[ti][(int) (a >>> 3) & 511] = v;
                        } else {
                            if (!storeSlow(h, a, 8, v)) {
                                left++;
                                exit = EXIT_FAULT;
                                pc = base + pos;
                                break outer;
                            }
                            if (pg.decodedOps != ops) {
                                pc = base + pos + (d >>> 29);
                                continue outer;
                            }
                        }
                        pos += (d >>> 29);
                        break;
                    }
                    case Op.FSW: {
                        long a = x[(d >>> 14) & 31] + ops[pos + 1];
                        long v = f[(d >>> 19) & 31];
                        int ti = (int) (a >>> Page.SHIFT) & TLB_MASK;
                        if (wTag[ti] == ((a >>> Page.SHIFT) | (a << 62))) {
                            long[] pd = wData[ti];
                            int i = (int) (a >>> 3) & 511;
                            int sh = (int) (a & 4) << 3;
                            pd[i] = (pd[i] & ~(0xffffffffL << sh)) | ((v & 0xffffffffL) << sh);
                        } else {
                            if (!storeSlow(h, a, 4, v)) {
                                left++;
                                exit = EXIT_FAULT;
                                pc = base + pos;
                                break outer;
                            }
                            if (pg.decodedOps != ops) {
                                pc = base + pos + (4);
                                continue outer;
                            }
                        }
                        pos += 4;
                        break;
                    }

                    // ---- integer computation
                    case Op.ADDI: case Op.C_ADDI:
                        x[(d >>> 8) & 63] = x[(d >>> 14) & 31] + ops[pos + 1];
                        pos += (d >>> 29);
                        break;
                    case Op.SLTI:
                        x[(d >>> 8) & 63] = x[(d >>> 14) & 31] < ops[pos + 1] ? 1 : 0;
                        pos += 4;
                        break;
                    case Op.SLTIU:
                        x[(d >>> 8) & 63] = x[(d >>> 14) & 31] + Long.MIN_VALUE < (long) ops[pos + 1] + Long.MIN_VALUE ? 1 : 0;
                        pos += 4;
                        break;
                    case Op.XORI:
                        x[(d >>> 8) & 63] = x[(d >>> 14) & 31] ^ ops[pos + 1];
                        pos += 4;
                        break;
                    case Op.ORI:
                        x[(d >>> 8) & 63] = x[(d >>> 14) & 31] | ops[pos + 1];
                        pos += 4;
                        break;
                    case Op.ANDI: case Op.C_ANDI:
                        x[(d >>> 8) & 63] = x[(d >>> 14) & 31] & ops[pos + 1];
                        pos += (d >>> 29);
                        break;
                    case Op.SLLI: case Op.C_SLLI:
                        x[(d >>> 8) & 63] = x[(d >>> 14) & 31] << ops[pos + 1];
                        pos += (d >>> 29);
                        break;
                    case Op.SRLI: case Op.C_SRLI:
                        x[(d >>> 8) & 63] = x[(d >>> 14) & 31] >>> ops[pos + 1];
                        pos += (d >>> 29);
                        break;
                    case Op.SRAI: case Op.C_SRAI:
                        x[(d >>> 8) & 63] = x[(d >>> 14) & 31] >> ops[pos + 1];
                        pos += (d >>> 29);
                        break;
                    case Op.ADD: case Op.C_ADD:
                        x[(d >>> 8) & 63] = x[(d >>> 14) & 31] + x[(d >>> 19) & 31];
                        pos += (d >>> 29);
                        break;
                    case Op.SUB: case Op.C_SUB:
                        x[(d >>> 8) & 63] = x[(d >>> 14) & 31] - x[(d >>> 19) & 31];
                        pos += (d >>> 29);
                        break;
                    case Op.SLL:
                        x[(d >>> 8) & 63] = x[(d >>> 14) & 31] << x[(d >>> 19) & 31];
                        pos += 4;
                        break;
                    case Op.SLT:
                        x[(d >>> 8) & 63] = x[(d >>> 14) & 31] < x[(d >>> 19) & 31] ? 1 : 0;
                        pos += 4;
                        break;
                    case Op.SLTU:
                        x[(d >>> 8) & 63] = x[(d >>> 14) & 31] + Long.MIN_VALUE < x[(d >>> 19) & 31] + Long.MIN_VALUE ? 1 : 0;
                        pos += 4;
                        break;
                    case Op.XOR: case Op.C_XOR:
                        x[(d >>> 8) & 63] = x[(d >>> 14) & 31] ^ x[(d >>> 19) & 31];
                        pos += (d >>> 29);
                        break;
                    case Op.SRL:
                        x[(d >>> 8) & 63] = x[(d >>> 14) & 31] >>> x[(d >>> 19) & 31];
                        pos += 4;
                        break;
                    case Op.SRA:
                        x[(d >>> 8) & 63] = x[(d >>> 14) & 31] >> x[(d >>> 19) & 31];
                        pos += 4;
                        break;
                    case Op.OR: case Op.C_OR:
                        x[(d >>> 8) & 63] = x[(d >>> 14) & 31] | x[(d >>> 19) & 31];
                        pos += (d >>> 29);
                        break;
                    case Op.AND: case Op.C_AND:
                        x[(d >>> 8) & 63] = x[(d >>> 14) & 31] & x[(d >>> 19) & 31];
                        pos += (d >>> 29);
                        break;
                    case Op.ADDIW: case Op.C_ADDIW:
                        x[(d >>> 8) & 63] = (int) (x[(d >>> 14) & 31] + ops[pos + 1]);
                        pos += (d >>> 29);
                        break;
                    case Op.SLLIW:
                        x[(d >>> 8) & 63] = (int) x[(d >>> 14) & 31] << ops[pos + 1];
                        pos += 4;
                        break;
                    case Op.SRLIW:
                        x[(d >>> 8) & 63] = (int) x[(d >>> 14) & 31] >>> ops[pos + 1];
                        pos += 4;
                        break;
                    case Op.SRAIW:
                        x[(d >>> 8) & 63] = (int) x[(d >>> 14) & 31] >> ops[pos + 1];
                        pos += 4;
                        break;
                    case Op.ADDW: case Op.C_ADDW:
                        x[(d >>> 8) & 63] = (int) x[(d >>> 14) & 31] + (int) x[(d >>> 19) & 31];
                        pos += (d >>> 29);
                        break;
                    case Op.SUBW: case Op.C_SUBW:
                        x[(d >>> 8) & 63] = (int) x[(d >>> 14) & 31] - (int) x[(d >>> 19) & 31];
                        pos += (d >>> 29);
                        break;
                    case Op.SLLW:
                        x[(d >>> 8) & 63] = (int) x[(d >>> 14) & 31] << (int) x[(d >>> 19) & 31];
                        pos += 4;
                        break;
                    case Op.SRLW:
                        x[(d >>> 8) & 63] = (int) x[(d >>> 14) & 31] >>> (int) x[(d >>> 19) & 31];
                        pos += 4;
                        break;
                    case Op.SRAW:
                        x[(d >>> 8) & 63] = (int) x[(d >>> 14) & 31] >> (int) x[(d >>> 19) & 31];
                        pos += 4;
                        break;
                    case Op.MUL:
                        x[(d >>> 8) & 63] = x[(d >>> 14) & 31] * x[(d >>> 19) & 31];
                        pos += 4;
                        break;
                    case Op.MULW:
                        x[(d >>> 8) & 63] = (int) x[(d >>> 14) & 31] * (int) x[(d >>> 19) & 31];
                        pos += 4;
                        break;
                    case Op.MULH:
                    case Op.MULHSU:
                    case Op.MULHU:
                    case Op.DIV:
                    case Op.DIVU:
                    case Op.REM:
                    case Op.REMU:
                    case Op.DIVW:
                    case Op.DIVUW:
                    case Op.REMW:
                    case Op.REMUW:
                        x[(d >>> 8) & 63] = muldiv(d & 0xff, x[(d >>> 14) & 31], x[(d >>> 19) & 31]);
                        pos += 4;
                        break;

                    // ---- system
                    case Op.FENCE:
                        pos += 4;
                        break;
                    case Op.FENCE_I:
                        codeEpoch++;
                        pc = base + pos + 4;
                        continue outer;
                    case Op.ECALL:
                        exit = EXIT_ECALL;
                        pc = base + pos;
                        break outer;
                    case Op.EBREAK:
                        left++;
                        exit = EXIT_EBREAK;
                        pc = base + pos;
                        break outer;
                    case Op.CSR:
                        if (!Csr.exec(h, ops[pos + 1], h.instret + (budget - left - 1))) {
                            left++;
                            h.badInstruction = ops[pos + 1];
                            exit = EXIT_ILLEGAL;
                            pc = base + pos;
                            break outer;
                        }
                        pos += 4;
                        break;
                    case Op.AMO:
                        if (!Amo.exec(h, ops[pos + 1])) {
                            left++;
                            exit = EXIT_FAULT;
                            pc = base + pos;
                            break outer;
                        }
                        pos += 4;
                        if (pg.decodedOps != ops) {
                            pc = base + pos;
                            continue outer;
                        }
                        break;
                    case Op.FP:
                        if (!FpExec.op(h, ops[pos + 1])) {
                            left++;
                            h.badInstruction = ops[pos + 1];
                            exit = EXIT_ILLEGAL;
                            pc = base + pos;
                            break outer;
                        }
                        pos += 4;
                        break;
                    case Op.FMA:
                        if (!FpExec.fma(h, ops[pos + 1])) {
                            left++;
                            h.badInstruction = ops[pos + 1];
                            exit = EXIT_ILLEGAL;
                            pc = base + pos;
                            break outer;
                        }
                        pos += 4;
                        break;
                    default:
                        // Zba / Zbb
                        x[(d >>> 8) & 63] = Alu.bitmanip(d & 0xff, x[(d >>> 14) & 31], x[(d >>> 19) & 31], ops[pos + 1]);
                        pos += 4;
                        break;
                }
            }
        }
        h.pc = pc;
        h.instret += budget - left;
        if (exit != EXIT_BUDGET && exit != EXIT_JIT) {
            // Linux breaks the reservation on every trap into the kernel
            h.reservation = -1;
        }
        return exit;
    }

    static long muldiv(int op, long a, long b) {
        switch (op) {
            case Op.MULH: return Alu.mulh(a, b);
            case Op.MULHSU: return Alu.mulhsu(a, b);
            case Op.MULHU: return Alu.mulhu(a, b);
            case Op.DIV: return Alu.div(a, b);
            case Op.DIVU: return Alu.divu(a, b);
            case Op.REM: return Alu.rem(a, b);
            case Op.REMU: return Alu.remu(a, b);
            case Op.DIVW: return Alu.divw(a, b);
            case Op.DIVUW: return Alu.divuw(a, b);
            case Op.REMW: return Alu.remw(a, b);
            default: return Alu.remuw(a, b);
        }
    }

    /**
     * A store outside the inline fast path (misaligned, TLB miss, page with decodes or with the
     * reservation). Breaks the LR reservation if the store touches its granule. False on a fault.
     */
    static boolean storeSlow(Hart h, long a, int size, long v) {
        AddressSpace as = h.as;
        if (!as.store(a, size, v)) {
            return false;
        }
        long r = h.reservation;
        if (r != -1) {
            long g = r & ~7L;
            if ((a & ~7L) == g || ((a + size - 1) & ~7L) == g) {
                h.reservation = -1;
            } else if (((a ^ r) >>> Page.SHIFT) == 0 || (((a + size - 1) ^ r) >>> Page.SHIFT) == 0) {
                as.dropWriteTlb(r >>> Page.SHIFT); // keep the reserved page on the slow path
            }
        }
        return true;
    }

    /**
     * Gives a page a fresh decode array: for the parcel at byte offset {@code pos}, the decoded
     * word is at {@code [pos]} and its immediate at {@code [pos + 1]}. One spare slot at the end
     * holds the RELOAD sentinel, reached by running off the end of the page.
     */
    static int[] newDecodeArray() {
        int[] ops = new int[Jit.OPS_LENGTH];
        ops[Page.SIZE] = Op.RELOAD;
        ops[Jit.HOT] = Jit.ARM;
        return ops;
    }

    static int[] attachDecodes(AddressSpace as, Page pg, long vpn) {
        int[] ops = newDecodeArray();
        pg.decodedOps = ops;
        pg.decodedImm = null;
        pg.jit = null;
        pg.decodeEpoch = codeEpoch;
        // stores to this page must take the slow path, which drops the decodes
        as.dropWriteTlb(vpn);
        return ops;
    }

    static int parcel(long[] data, int idx) {
        return (int) (data[idx >>> 2] >>> ((idx & 3) << 4)) & 0xffff;
    }

    static void decodeSlot(Page pg, int[] ops, int pos) {
        long[] data = pg.data;
        int idx = pos >>> 1;
        int lo = parcel(data, idx);
        long r;
        if ((lo & 3) != 3) {
            r = Decoder.decode(lo);
        } else if (idx == Page.SLOTS - 1) {
            r = Decoder.result(Op.CROSS | 4 << 29, 0);
        } else {
            r = Decoder.decode(lo | parcel(data, idx + 1) << 16);
        }
        ops[pos + 1] = (int) (r >>> 32);
        ops[pos] = (int) r;
    }

    /** Decodes the page-crossing instruction at pc into the hart's scratch slot 0. */
    static boolean decodeCrossing(Hart h, long pc) {
        AddressSpace as = h.as;
        Page lo = as.pageForExec(pc);
        if (lo == null) {
            return false;
        }
        Page hi = as.pageForExec(pc + 2);
        if (hi == null) {
            return false;
        }
        int inst = parcel(lo.data, Page.SLOTS - 1) | parcel(hi.data, 0) << 16;
        long r = Decoder.decode(inst);
        h.crossOps[0] = (int) r;
        h.crossOps[1] = (int) (r >>> 32);
        return true;
    }
}
