package dev.friscy.web.jit;

import static dev.friscy.web.jit.Wasm.*;

import dev.friscy.cpu.Op;
import dev.friscy.jit.Region;
import dev.friscy.mem.AddressSpace;

/**
 * Turns one {@link Region} into the body of a Wasm function {@code (param $block i32) (result i32)}.
 *
 * The x registers stay in the hart block in linear memory ({@link HartLayout}): every use is a
 * load and every write a store there ({@link WasmTranslator#xInMemory}). Kept in Wasm locals
 * instead, loaded by the prologue and written back at the exits, they cost more than they saved:
 * a region is entered for ~22 guest instructions in busybox sh, so each entry loaded and wrote
 * back about as many registers as it used, and TurboFan spent its compile time (which on 2 cores
 * competes with the Worker) and a quarter of a hot region's machine code on the locals' phis,
 * spills and reloads. The f registers stay there too ({@link WasmTranslator#fInMemory}; FP loops
 * such as cpubench's ran 0.84x so). Every exit writes back the pc and the budget (and, with
 * registers in locals, those its way may have changed), then either tail-calls the
 * next region through its link cell ({@code return_call_indirect}) or returns an exit kind to
 * Java: an exit at a block's end does so in place ({@link #exitHere}), faults and budget exits
 * through one shared epilogue. The conditions that are almost never true carry branch hints
 * ({@link WasmBuf#hint}), so that V8 keeps their paths, and the spills they need, out of the
 * way. The region's blocks sit in one {@code loop} with a {@code br_table} at its head, so jumps
 * between them (loops included) stay inside the function (forward jumps branch to the block
 * directly, a block that loops to itself is a Wasm loop). Guest memory is reached through a copy
 * of the TLB over the core's own {@code long[]} pages ({@link TranslatedTlb}), TeaVM's exported
 * helpers on a miss; F and D are {@link FpEmitter}'s. The pc comes from the hart block at entry, so one translation serves every
 * mapping of the page.
 */
final class RegionEmitter {
    // imported helper functions (see ModuleWriter for their types)
    static final int F_LD = 0;
    static final int F_ST = 1;
    static final int F_CALL = 2;
    static final int F_ALU = 3;
    static final int F_FP = 4;
    /** Copies the hart's f registers into the hart block (see HartLayout.FLOADED). */
    static final int F_FLOAD = 5;
    static final int IMPORTED_FUNCS = 6;
    /** The module's own fused multiply-add (FmaFunction), before its regions. */
    static final int F_FMA = IMPORTED_FUNCS;

    // load kinds of the ld helper
    static final int LB = 0;
    static final int LH = 1;
    static final int LW = 2;
    static final int LD = 3;
    static final int LBU = 4;
    static final int LHU = 5;
    static final int LWU = 6;

    /** The call helper's kind for AMO (its only use now: FP has its own helper). */
    static final int CALL_AMO = 2;

    // locals: param 0 is the block to enter
    private static final int BLK = 0;
    private static final int LEFT = 34;
    private static final int A = 35;
    private static final int PCX = 36;
    private static final int BASE = 37;
    private static final int V = 38;
    private static final int CELL = 39;
    private static final int CODE = 40;
    private static final int T = 41;
    private static final int ST = 42;
    private static final int TI = 43;
    /** A fault's page offset + 1 (0: the exit is no fault) and the budget it refunds. */
    private static final int FOFF = 44;
    private static final int FREF = 45;
    // with the inline TLB: shift of a narrow access, the TLB copy, a page's longs
    private static final int SH = 46;
    private static final int RTAG = 47;
    private static final int RPAGES = 48;
    private static final int WTAG = 49;
    private static final int WPAGES = 50;
    private static final int PG = 51;
    /** f0..f31 as raw bits (i64), then an i64 and an f64 scratch for FP results. */
    static final int FREG = 52;
    static final int FB = 84;
    static final int FX = 85;
    /**
     * With the inline TLB: the last page read and the last page written through it (tag and
     * payload). Accesses to the page just used skip the TLB arrays; any helper call forgets both
     * (only Java changes the TLB copy). KEY is an access's tag.
     */
    private static final int RV = 86;
    private static final int WV = 87;
    private static final int KEY = 88;
    private static final int RP = 89;
    private static final int WP = 90;
    /** The page of the access group being run, or null if its accesses go one by one (see {@link #group}). */
    private static final int G = 91;
    /** The most accesses one group takes. */
    private static final int GROUP_MAX = 16;

    /** Hands out link cells; -1 when there are none left (the exit then always returns). */
    interface Cells {
        int next();
    }

    private final Region r;
    final HartLayout lay;
    private final Cells cells;
    final WasmBuf f = new WasmBuf(1024);
    private final boolean[] used = new boolean[33];
    private final boolean[] written = new boolean[33];
    /** f registers the region reads or writes, and writes. */
    final boolean[] fused = new boolean[32];
    final boolean[] fwritten = new boolean[32];
    private final FpEmitter fp = new FpEmitter(this);
    /** Open control constructs; the exit block is level 1, the loop level 2. */
    int depth;
    /** True if the region's dispatch is a loop (see {@link #jumpsBack}). */
    private boolean topLoops;
    /** The level of the current block's own loop, or -1 (see {@link #blockCode}). */
    private int selfLoop = -1;
    private int block;
    /** Loads and stores go through the helpers, without the inline TLB (see {@link #group}). */
    private boolean helpersOnly;

    /** The x registers live in locals (see {@link WasmTranslator#xInMemory}). */
    private final boolean xLocals = WasmTranslator.xInMemory == 0;
    /** The f registers live in locals (see {@link WasmTranslator#fInMemory}). */
    private final boolean fLocals = WasmTranslator.fInMemory == 0;
    /**
     * The hart block field each local stands for (a guest register kept there), or -1 for a
     * plain local; built once, so that get and set stay small.
     */
    private final int[] hartSlots = new int[FREG + 32];

    private RegionEmitter(Region r, HartLayout lay, Cells cells) {
        this.r = r;
        this.lay = lay;
        this.cells = cells;
        hartSlots();
    }

    /** The function body (locals and code) for region {@code r}. */
    static WasmBuf emit(Region r, HartLayout lay, Cells cells) {
        RegionEmitter e = new RegionEmitter(r, lay, cells);
        e.scan();
        e.body();
        return e.f;
    }

    static int reg(int r) {
        return 1 + r;
    }

    /** The 32-bit twin of a compressed op: same meaning, the length is in the decoded word. */
    static int base(int op) {
        switch (op) {
            case Op.C_LI: return Op.LI;
            case Op.C_ADDI: return Op.ADDI;
            case Op.C_ADDIW: return Op.ADDIW;
            case Op.C_SLLI: return Op.SLLI;
            case Op.C_SRLI: return Op.SRLI;
            case Op.C_SRAI: return Op.SRAI;
            case Op.C_ANDI: return Op.ANDI;
            case Op.C_ADD: return Op.ADD;
            case Op.C_SUB: return Op.SUB;
            case Op.C_XOR: return Op.XOR;
            case Op.C_OR: return Op.OR;
            case Op.C_AND: return Op.AND;
            case Op.C_ADDW: return Op.ADDW;
            case Op.C_SUBW: return Op.SUBW;
            case Op.C_LW: return Op.LW;
            case Op.C_LD: return Op.LD;
            case Op.C_SW: return Op.SW;
            case Op.C_SD: return Op.SD;
            case Op.C_JAL: return Op.JAL;
            case Op.C_JALR: return Op.JALR;
            case Op.C_BEQ: return Op.BEQ;
            case Op.C_BNE: return Op.BNE;
            default: return op;
        }
    }

    /** Which registers the region reads and writes, and which each exit at a block's end may have changed. */
    private void scan() {
        int nb = r.starts.length;
        long[] wx = new long[nb];
        long[] wf = new long[nb];
        for (int b = 0; b < nb; b++) {
            boolean[] u = new boolean[33];
            boolean[] w = new boolean[33];
            boolean[] fu = new boolean[32];
            boolean[] fw = new boolean[32];
            scanBlock(b, u, w, fu, fw);
            wx[b] = mask(w, 1);
            wf[b] = mask(fw, 0);
            for (int i = 0; i < 33; i++) {
                used[i] |= u[i];
                written[i] |= w[i];
            }
            for (int i = 0; i < 32; i++) {
                fused[i] |= fu[i];
                fwritten[i] |= fw[i];
            }
        }
        used[0] = false;
        written[0] = false;
        used[32] = false;
        written[32] = false;
        // a block entered from outside has changed nothing yet; from a block of the region, what
        // that block may have: iterate to the fixed point (loops)
        outX = new long[nb];
        outF = new long[nb];
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int b = 0; b < nb; b++) {
                long x = outX[b] | wx[b];
                long fl = outF[b] | wf[b];
                if (x != outX[b] || fl != outF[b]) {
                    outX[b] = x;
                    outF[b] = fl;
                    changed = true;
                }
                for (int k = 0; k < 2; k++) {
                    int t = k == 0 ? jumpTarget(b) : fallsTo(b);
                    if (t >= 0 && ((outX[t] | x) != outX[t] || (outF[t] | fl) != outF[t])) {
                        outX[t] |= x;
                        outF[t] |= fl;
                        changed = true;
                    }
                }
            }
        }
    }

    /** Registers each block's exits may have changed since the region was entered (see {@link #scan}). */
    private long[] outX;
    private long[] outF;

    /** The block control falls into after block {@code b} if its last instruction lets it, or -1. */
    private int fallsTo(int b) {
        int op = base(Op.op(r.ops[r.last(b)]));
        if (op == Op.JAL || op == Op.JALR) {
            return -1;
        }
        int end = r.ends[b];
        return end < Region.PAGE_SIZE ? r.blockAt(end) : -1;
    }

    private void scanBlock(int b, boolean[] used, boolean[] written, boolean[] fused, boolean[] fwritten) {
        int[] ops = r.ops;
        {
            for (int p = r.starts[b]; p < r.ends[b]; p += Op.len(ops[p])) {
                int w = ops[p];
                int op = base(Op.op(w));
                if (op == Op.AMO) {
                    int inst = ops[p + 1];
                    used[(inst >>> 15) & 31] = true;
                    used[(inst >>> 20) & 31] = true;
                    used[(inst >>> 7) & 31] = true;
                    written[(inst >>> 7) & 31] = true;
                    continue;
                }
                if (op == Op.FP || op == Op.FMA) {
                    FpEmitter.scan(ops[p + 1], op == Op.FMA, used, written, fused, fwritten);
                    continue;
                }
                if (op == Op.FLW || op == Op.FLD) {
                    used[Op.rs1(w)] = true;
                    fused[Op.rd(w) & 31] = true;
                    fwritten[Op.rd(w) & 31] = true;
                    continue;
                }
                if (op == Op.FSW || op == Op.FSD) {
                    used[Op.rs1(w)] = true;
                    fused[Op.rs2(w)] = true;
                    continue;
                }
                used[Op.rs1(w)] = true;
                used[Op.rs2(w)] = true;
                if (writesRd(op)) {
                    used[Op.rd(w)] = true;
                    written[Op.rd(w)] = true;
                }
            }
        }
    }

    private static boolean writesRd(int op) {
        switch (op) {
            case Op.SB: case Op.SH: case Op.SW: case Op.SD: case Op.FSW: case Op.FSD: case Op.FLW: case Op.FLD:
            case Op.BEQ: case Op.BNE: case Op.BLT: case Op.BGE: case Op.BLTU: case Op.BGEU: case Op.FENCE:
                return false;
            default:
                return true;
        }
    }

    // ------------------------------------------------------------------ structure

    private void body() {
        if (lay.inlineTlb) {
            f.u32(12);
            f.u32(38).u8(T_I64); // locals 1..38
            f.u32(7).u8(T_I32);  // locals 39..45
            f.u32(1).u8(T_I64);  // 46
            f.u32(1).u8(T_REF_NULL).u32(ModuleWriter.T_I64S);
            f.u32(1).u8(T_REF_NULL).u32(ModuleWriter.T_PAGES);
            f.u32(1).u8(T_REF_NULL).u32(ModuleWriter.T_I64S);
            f.u32(1).u8(T_REF_NULL).u32(ModuleWriter.T_PAGES);
            f.u32(1).u8(T_REF_NULL).u32(ModuleWriter.T_I64S);
            f.u32(33).u8(T_I64); // FREG.., FB
            f.u32(1).u8(T_F64);  // FX
            f.u32(3).u8(T_I64);  // RV, WV, KEY
            f.u32(3).u8(T_REF_NULL).u32(ModuleWriter.T_I64S); // RP, WP, G
            f.u8(GLOBAL_GET).u32(ModuleWriter.G_RTAG).u8(LOCAL_SET).u32(RTAG);
            f.u8(GLOBAL_GET).u32(ModuleWriter.G_RPAGES).u8(LOCAL_SET).u32(RPAGES);
            f.u8(GLOBAL_GET).u32(ModuleWriter.G_WTAG).u8(LOCAL_SET).u32(WTAG);
            f.u8(GLOBAL_GET).u32(ModuleWriter.G_WPAGES).u8(LOCAL_SET).u32(WPAGES);
            forgetPages();
        } else {
            f.u32(4);
            f.u32(38).u8(T_I64); // locals 1..38
            f.u32(7).u8(T_I32);  // locals 39..45
            f.u32(6 + 33).u8(T_I64); // 46..51 unused here, FREG.., FB
            f.u32(1).u8(T_F64);  // FX
        }
        for (int i = 1; i < 32; i++) {
            if (used[i] && xLocals) {
                hartLoad(HartLayout.X + 8 * i);
                set(reg(i));
            }
        }
        boolean anyF = false;
        for (int i = 0; i < 32; i++) {
            anyF |= fused[i];
        }
        if (anyF) {
            // Java copies the f registers in only when code that uses them asks (most does not)
            i32c(0);
            f.u8(I32_LOAD).u32(2).u32(lay.hart + HartLayout.FLOADED);
            f.u8(I32_EQZ);
            f.hint(false);
            f.u8(IF).u8(T_EMPTY);
            f.u8(CALL).u32(F_FLOAD);
            f.u8(END);
        }
        for (int i = 0; i < 32; i++) {
            if (fused[i] && fLocals) {
                hartLoad(HartLayout.F + 8 * i);
                set(FREG + i);
            }
        }
        if (!fLocals && mask(fwritten, 0) != 0) {
            fDirty(); // written in place from here on: Java copies them back after any exit
        }
        hartLoad(HartLayout.LEFT);
        set(LEFT);
        hartLoad(HartLayout.PC);
        i64c(~4095L);
        f.u8(I64_AND);
        set(BASE);

        int nb = r.starts.length;
        open(BLOCK); // $exit
        // checked here and on back-edges only: with a whole region's worth of budget, no path
        // between two checks can overdraw it (each block is charged on entry)
        get(LEFT);
        i64c(r.instructions);
        f.u8(I64_LT_S);
        f.hint(false);
        open(IF);
        hartLoad(HartLayout.PC);
        set(PCX);
        exitPcSet(-1, HartLayout.EXIT_CONTINUE, 0);
        close();
        // a loop only if some block jumps back to an earlier one: TurboFan builds a phi for every
        // local at a loop's head and checks for interrupts there, for nothing in a region without
        // one (a block that loops to itself has a loop of its own, see blockCode)
        topLoops = jumpsBack();
        open(topLoops ? LOOP : BLOCK);  // $top
        for (int k = 0; k < nb; k++) {
            open(BLOCK);
        }
        get(BLK);
        f.u8(BR_TABLE).u32(nb);
        for (int k = 0; k < nb; k++) {
            f.u32(k);
        }
        f.u32(0);
        for (block = 0; block < nb; block++) {
            close();
            blockCode();
        }
        close(); // loop: every block ends in a branch
        f.u8(UNREACHABLE);
        close(); // $exit
        epilogue();
        f.u8(END);
    }

    void open(int kind) {
        f.u8(kind).u8(T_EMPTY);
        depth++;
    }

    /** An {@code if} whose arms leave an i64. */
    void openIfI64() {
        f.u8(IF).u8(T_I64);
        depth++;
    }

    void close() {
        f.u8(END);
        depth--;
    }

    private void blockCode() {
        int[] ops = r.ops;
        int n = r.counts[block];
        int start = r.starts[block];
        // a block that loops to itself is a Wasm loop: its back-edge needs no dispatch
        selfLoop = -1;
        if (loopsToItself(block)) {
            open(LOOP);
            selfLoop = depth;
        }
        get(LEFT);
        i64c(n);
        f.u8(I64_SUB);
        set(LEFT);
        int i = 0;
        int p = start;
        boolean transferred = false;
        while (p < r.ends[block]) {
            int w = ops[p];
            int len = Op.len(w);
            int q = lay.inlineTlb ? groupEnd(p, r.ends[block]) : -1;
            if (q > 0) {
                i += group(p, q, n - i);
                p = q;
                continue;
            }
            transferred = insn(p, w, ops[p + 1], len, n - i);
            p += len;
            i++;
        }
        if (!transferred) {
            jumpTo(r.ends[block], true);
        }
        if (selfLoop >= 0) {
            close();
            selfLoop = -1;
        }
    }

    // ------------------------------------------------------------------ access groups

    /** Of the access group {@link #groupEnd} found: its lowest and highest offsets, its access size. */
    private int groupLo;
    private int groupHi;
    private int groupSize;

    /** A load's size in bytes, a store's negated; 0 for any other op. */
    private static int accessSize(int op) {
        switch (op) {
            case Op.LD: case Op.FLD: return 8;
            case Op.LW: case Op.LWU: case Op.FLW: return 4;
            case Op.LH: case Op.LHU: return 2;
            case Op.LB: case Op.LBU: return 1;
            case Op.SD: case Op.FSD: return -8;
            case Op.SW: case Op.FSW: return -4;
            case Op.SH: return -2;
            case Op.SB: return -1;
            default: return 0;
        }
    }

    /** True for an op {@link #insn} does in line on registers only: no memory, no helper, no exit. */
    private static boolean pure(int op) {
        switch (op) {
            case Op.LI: case Op.AUIPC: case Op.FENCE:
            case Op.ADDI: case Op.SLTI: case Op.SLTIU: case Op.XORI: case Op.ORI: case Op.ANDI:
            case Op.SLLI: case Op.SRLI: case Op.SRAI:
            case Op.ADD: case Op.SUB: case Op.SLL: case Op.SLT: case Op.SLTU: case Op.XOR:
            case Op.SRL: case Op.SRA: case Op.OR: case Op.AND: case Op.MUL:
            case Op.ADDIW: case Op.SLLIW: case Op.SRLIW: case Op.SRAIW:
            case Op.ADDW: case Op.SUBW: case Op.SLLW: case Op.SRLW: case Op.SRAW: case Op.MULW:
            case Op.SH1ADD: case Op.SH2ADD: case Op.SH3ADD: case Op.ADD_UW:
            case Op.SH1ADD_UW: case Op.SH2ADD_UW: case Op.SH3ADD_UW:
            case Op.ANDN: case Op.ORN: case Op.XNOR: case Op.CLZ: case Op.CTZ: case Op.CPOP:
            case Op.SEXT_B: case Op.SEXT_H: case Op.ZEXT_H: case Op.ROL: case Op.ROR: case Op.RORI:
            case Op.MAX: case Op.MIN: case Op.MAXU: case Op.MINU:
                return true;
            default:
                return false;
        }
    }

    /**
     * If the instruction at {@code p} starts an access group, the position after its last access,
     * else -1. A group is at least two loads, or stores, of one size through the same base
     * register, at offsets equal modulo that size and less than a page apart, with nothing
     * between them but register arithmetic that leaves the base alone: a function's register
     * saves and restores (a third of busybox sh's instructions), a structure's fields. A load
     * into the base register ends the group.
     */
    private int groupEnd(int p, int end) {
        int[] ops = r.ops;
        int kind = accessSize(base(Op.op(ops[p])));
        int rs1 = Op.rs1(ops[p]);
        if (kind == 0 || rs1 == 0) {
            return -1;
        }
        int size = Math.abs(kind);
        int first = ops[p + 1];
        int lo = first;
        int hi = first;
        int members = 0;
        int last = -1;
        int q = p;
        while (q < end && members < GROUP_MAX) {
            int w = ops[q];
            int op = base(Op.op(w));
            int a = accessSize(op);
            if (a == 0) {
                if (!pure(op) || Op.rd(w) == rs1) {
                    break;
                }
                q += Op.len(w);
                continue;
            }
            int off = ops[q + 1];
            if (a != kind || Op.rs1(w) != rs1 || ((off - first) & (size - 1)) != 0
                    || Math.max(hi, off) - Math.min(lo, off) > Region.PAGE_SIZE - size) {
                break;
            }
            lo = Math.min(lo, off);
            hi = Math.max(hi, off);
            members++;
            q += Op.len(w);
            last = q;
            if (a > 0 && op != Op.FLD && op != Op.FLW && Op.rd(w) == rs1) {
                break;
            }
        }
        groupLo = lo;
        groupHi = hi;
        groupSize = size;
        return members >= 2 ? last : -1;
    }

    /**
     * Emits the access group [p, q) ({@code left}: the block's instructions left at p); returns
     * its length in instructions. One check finds the page that holds all of the group's bytes,
     * aligned, in the TLB copy (as the first access would, through the one-entry cache); then
     * each access is an array access without a check of its own. If there is none (the group
     * crosses a page, is misaligned, or misses the TLB copy), the instructions run as anywhere
     * else, with their exact faults. Nothing in a group can change the page's mapping (a store
     * group's page is writable already, a load group holds no store).
     */
    private int group(int p, int q, int left) {
        int[] ops = r.ops;
        int rs1 = Op.rs1(ops[p]);
        boolean store = accessSize(base(Op.op(ops[p]))) < 0;
        f.u8(REF_NULL).u32(ModuleWriter.T_I64S);
        set(G);
        open(BLOCK); // $none
        address(rs1, groupLo);
        set(A);
        if (store) {
            page(WTAG, WPAGES, WV, WP, groupSize);
        } else {
            page(RTAG, RPAGES, RV, RP, groupSize);
        }
        // an aligned access never crosses a page: the highest one's start is in the page or not
        get(reg(rs1));
        i64c(groupHi);
        f.u8(I64_ADD);
        get(A);
        f.u8(I64_XOR);
        i64c(Region.PAGE_SIZE);
        f.u8(I64_GE_U);
        f.hint(false);
        f.u8(BR_IF).u32(0);
        get(store ? WP : RP);
        set(G);
        close();
        get(G);
        f.u8(REF_IS_NULL);
        f.hint(false);
        open(IF);
        int k = 0;
        // rare (a page crossed, a misaligned base, a TLB-copy miss): each access through the
        // helper, a few bytes instead of a whole inline lookup, for V8 to compile
        helpersOnly = WasmTranslator.groupHelpers != 0;
        for (int at = p; at < q; at += Op.len(ops[at])) {
            insn(at, ops[at], ops[at + 1], Op.len(ops[at]), left - k);
            k++;
        }
        if (helpersOnly) {
            helpersOnly = false;
            forgetPages(); // the helpers may have changed the TLB copy
        }
        f.u8(ELSE);
        k = 0;
        for (int at = p; at < q; at += Op.len(ops[at])) {
            int w = ops[at];
            int op = base(Op.op(w));
            int size = accessSize(op);
            if (size == 0) {
                insn(at, w, ops[at + 1], Op.len(w), left - k);
            } else {
                address(rs1, ops[at + 1]);
                set(A);
                if (size < 0) {
                    storeValue(G, -size, op == Op.FSD || op == Op.FSW ? FREG + Op.rs2(w) : reg(Op.rs2(w)));
                } else {
                    boolean fp = op == Op.FLD || op == Op.FLW;
                    loadValue(G, loadKind(op));
                    if (op == Op.FLW) {
                        i64c(0xffffffff00000000L); // NaN-boxed, as an f register holds a single
                        f.u8(I64_OR);
                    }
                    set(fp ? FREG + (Op.rd(w) & 31) : reg(Op.rd(w)));
                }
            }
            k++;
        }
        close();
        return k;
    }

    /** The load kind (LB..LWU) of a load op (FLD's is LD, FLW's LWU). */
    private static int loadKind(int op) {
        switch (op) {
            case Op.LB: return LB;
            case Op.LH: return LH;
            case Op.LW: return LW;
            case Op.LBU: return LBU;
            case Op.LHU: return LHU;
            case Op.LWU: case Op.FLW: return LWU;
            default: return LD;
        }
    }

    /** Continue at page offset {@code t}: a block of this region, or an exit that may be linked. */
    private void jumpTo(int t, boolean mayFall) {
        int b = t >= 0 && t < Region.PAGE_SIZE ? r.blockAt(t) : -1;
        if (b < 0) {
            int cell = cells.next();
            if (WasmTranslator.inlineExits != 0 && cell >= 0) {
                pcAt(t);
                exitHere(cell);
                return;
            }
            exitAt(t, cell, HartLayout.EXIT_CONTINUE, 0);
            return;
        }
        int nb = r.starts.length;
        if (mayFall && b == block + 1 && depth == nb + 1 - block + (selfLoop >= 0 ? 1 : 0)) {
            return; // falls into the next block's code
        }
        if (b > block) {
            // forward: the construct that ends right before block b's code is still open
            f.u8(BR).u32(depth - (3 + nb - 1 - b));
            return;
        }
        if (b <= block) {
            // a back-edge: round again only with a whole region's worth of budget left
            get(LEFT);
            i64c(r.instructions);
            f.u8(I64_LT_S);
            f.hint(false);
            open(IF);
            exitAt(t, -1, HartLayout.EXIT_CONTINUE, 0);
            close();
        }
        if (b == block && selfLoop >= 0) {
            f.u8(BR).u32(depth - selfLoop);
            return;
        }
        if (!topLoops) {
            throw new IllegalStateException("a jump back at offset " + t + " in a region found without one");
        }
        i32c(b);
        set(BLK);
        f.u8(BR).u32(depth - 2);
    }

    /** True if some block jumps to an earlier block (not only to its own start). */
    private boolean jumpsBack() {
        for (int k = 0; k < r.starts.length; k++) {
            int b = jumpTarget(k);
            if (b >= 0 && b < k) {
                return true;
            }
        }
        return false;
    }

    /** True if the block's last instruction branches or jumps back to its own start. */
    private boolean loopsToItself(int b) {
        return jumpTarget(b) == b;
    }

    /** The block that block {@code k}'s last instruction branches or jumps to, or -1. */
    private int jumpTarget(int k) {
        int[] ops = r.ops;
        int last = r.last(k);
        int op = base(Op.op(ops[last]));
        return Region.isBranch(op) || op == Op.JAL ? r.blockAt(last + ops[last + 1]) : -1;
    }

    /** Leaves the region with pc = page base + {@code off}. */
    private void exitAt(long off, int cell, int code, int refund) {
        pcAt(off);
        exitPcSet(cell, code, refund);
    }

    /** PCX = page base + {@code off}. */
    private void pcAt(long off) {
        get(BASE);
        i64c(off);
        f.u8(I64_ADD);
        set(PCX);
    }

    /**
     * Leaves at the instruction at page offset {@code off} with exit kind {@code code} (a fault or
     * an illegal instruction), giving back {@code refund} of the block's budget: the epilogue
     * finishes it, so each of the many sites that may fault costs a few bytes.
     */
    void faultAt(int off, int code, int refund) {
        i32c(off + 1);
        set(FOFF);
        if (refund != 0) {
            i32c(refund);
            set(FREF);
        }
        i32c(code);
        set(CODE);
        f.u8(BR).u32(depth - 1);
    }

    /** Leaves with the pc already in PCX. */
    private void exitPcSet(int cell, int code, int refund) {
        if (refund != 0) {
            get(LEFT);
            i64c(refund);
            f.u8(I64_ADD);
            set(LEFT);
        }
        i32c(cell);
        set(CELL);
        i32c(code);
        set(CODE);
        f.u8(BR).u32(depth - 1);
    }

    /** Write back, then chain through the link cell or return the exit kind. */
    private void epilogue() {
        // a fault or illegal instruction: its pc and refund (see faultAt)
        get(FOFF);
        f.u8(IF).u8(T_EMPTY);
        get(BASE);
        get(FOFF);
        i32c(1);
        f.u8(I32_SUB);
        f.u8(I64_EXTEND_I32_U);
        f.u8(I64_ADD);
        set(PCX);
        get(LEFT);
        get(FREF);
        f.u8(I64_EXTEND_I32_U);
        f.u8(I64_ADD);
        set(LEFT);
        i32c(-1);
        set(CELL);
        f.u8(END);
        writeBack(mask(written, 1), mask(fwritten, 0));
        i32c(0);
        get(CELL);
        f.u8(I32_STORE).u32(2).u32(lay.hart + HartLayout.CELL);
        // linked successor and budget left: tail-call it (CODE is CONTINUE whenever CELL >= 0)
        get(CELL);
        i32c(0);
        f.u8(I32_GE_S);
        f.u8(IF).u8(T_EMPTY);
        byCell(-1);
        f.u8(END);
        if (lay.pcCache != 0) {
            // after a jalr: the pc cache may know the code at the target
            get(CELL);
            i32c(HartLayout.CELL_BY_PC);
            f.u8(I32_EQ);
            f.u8(IF).u8(T_EMPTY);
            byPc();
            f.u8(END);
        }
        get(CODE);
    }

    private static long mask(boolean[] regs, int from) {
        long m = 0;
        for (int i = from; i < 32; i++) {
            m |= regs[i] ? 1L << i : 0;
        }
        return m;
    }

    /** Stores the given registers (bit masks), the pc (PCX) and the budget into the hart block. */
    private void writeBack(long xs, long fs) {
        if (!xLocals) {
            xs = 0;
        }
        if (!fLocals) {
            fs = 0;
        }
        for (int i = 1; i < 32; i++) {
            if ((xs & 1L << i) != 0) {
                i32c(0);
                get(reg(i));
                f.u8(I64_STORE).u32(3).u32(lay.hart + HartLayout.X + 8 * i);
            }
        }
        boolean anyF = false;
        for (int i = 0; i < 32; i++) {
            if ((fs & 1L << i) != 0) {
                i32c(0);
                get(FREG + i);
                f.u8(I64_STORE).u32(3).u32(lay.hart + HartLayout.F + 8 * i);
                anyF = true;
            }
        }
        if (anyF) {
            fDirty();
        }
        i32c(0);
        get(PCX);
        f.u8(I64_STORE).u32(3).u32(lay.hart + HartLayout.PC);
        i32c(0);
        get(LEFT);
        f.u8(I64_STORE).u32(3).u32(lay.hart + HartLayout.LEFT);
    }

    /** Tells Java that the hart block's f registers changed (HartLayout.FDIRTY). */
    private void fDirty() {
        i32c(0);
        i32c(1);
        f.u8(I32_STORE).u32(2).u32(lay.hart + HartLayout.FDIRTY);
    }

    /**
     * With budget left, tail-calls the code link cell {@code cell} holds, if any; else goes on.
     * A cell of -1 is the one in local CELL (the shared epilogue's, unhinted: it also serves
     * exits that are not chained); a fixed cell is an exit at a block's end, hinted as linked.
     */
    private void byCell(int cell) {
        boolean fixed = cell >= 0;
        get(LEFT);
        i64c(0);
        f.u8(I64_GT_S);
        if (fixed) {
            f.hint(true);
        }
        f.u8(IF).u8(T_EMPTY);
        cellAddress(cell);
        f.u8(I32_LOAD).u32(2).u32(lay.links);
        f.u8(LOCAL_TEE).u32(T);
        if (fixed) {
            f.hint(true);
        }
        f.u8(IF).u8(T_EMPTY);
        cellAddress(cell);
        f.u8(I32_LOAD).u32(2).u32(lay.links + 4);
        get(T);
        i32c(1);
        f.u8(I32_SUB);
        f.u8(RETURN_CALL_INDIRECT).u32(0).u32(0);
        f.u8(END);
        f.u8(END);
    }

    /** Pushes link cell {@code cell}'s offset in the cells (-1: the cell in local CELL). */
    private void cellAddress(int cell) {
        if (cell >= 0) {
            i32c(cell << 3);
        } else {
            get(CELL);
            i32c(3);
            f.u8(I32_SHL);
        }
    }

    /** With budget left, tail-calls the code the pc cache holds for PCX, if any; else goes on. */
    private void byPc() {
        get(LEFT);
        i64c(0);
        f.u8(I64_GT_S);
        f.hint(true);
        f.u8(IF).u8(T_EMPTY);
        get(PCX);
        i64c(1);
        f.u8(I64_SHR_U);
        f.u8(I32_WRAP_I64);
        i32c(HartLayout.PC_ENTRIES - 1);
        f.u8(I32_AND);
        i32c(4);
        f.u8(I32_SHL);
        f.u8(LOCAL_TEE).u32(T);
        f.u8(I64_LOAD).u32(3).u32(lay.pcCache);
        get(PCX);
        f.u8(I64_EQ);
        f.hint(true);
        f.u8(IF).u8(T_EMPTY);
        get(T);
        f.u8(I32_LOAD).u32(2).u32(lay.pcCache + 12);
        get(T);
        f.u8(I32_LOAD).u32(2).u32(lay.pcCache + 8);
        i32c(1);
        f.u8(I32_SUB);
        f.u8(RETURN_CALL_INDIRECT).u32(0).u32(0);
        f.u8(END);
        f.u8(END);
    }

    /**
     * Leaves for pc PCX right here instead of through the shared epilogue: writes back what the
     * way here may have changed (not every register the region writes), then tail-calls through
     * link cell {@code cell} (or, for {@link HartLayout#CELL_BY_PC}, the pc cache) or returns
     * CONTINUE. The exits that end blocks are the hot ones (~22 guest instructions per region
     * entry in busybox sh); through one shared epilogue each stored every register the region
     * writes, and every register local had a phi there fed from each exit. Faults and budget
     * exits, many and cold, keep the shared epilogue.
     */
    private void exitHere(int cell) {
        writeBack(outX[block], outF[block]);
        i32c(0);
        i32c(cell);
        f.u8(I32_STORE).u32(2).u32(lay.hart + HartLayout.CELL);
        if (cell == HartLayout.CELL_BY_PC) {
            byPc();
        } else {
            byCell(cell);
        }
        i32c(HartLayout.EXIT_CONTINUE);
        f.u8(RETURN);
    }

    // ------------------------------------------------------------------ instructions

    /** Emits one instruction; true if it ended the block with a transfer of control. */
    private boolean insn(int p, int w, int imm, int len, int left) {
        int op = base(Op.op(w));
        int rd = Op.rd(w);
        int rs1 = Op.rs1(w);
        int rs2 = Op.rs2(w);
        switch (op) {
            case Op.LI:
                i64c(imm);
                set(reg(rd));
                return false;
            case Op.AUIPC:
                get(BASE);
                i64c((long) p + imm);
                f.u8(I64_ADD);
                set(reg(rd));
                return false;
            case Op.JAL:
                link(rd, p + len);
                jumpTo(p + imm, false);
                return true;
            case Op.JALR:
                get(reg(rs1));
                i64c(imm);
                f.u8(I64_ADD);
                i64c(~1L);
                f.u8(I64_AND);
                set(PCX);
                link(rd, p + len);
                if (WasmTranslator.inlineExits != 0 && lay.pcCache != 0) {
                    exitHere(HartLayout.CELL_BY_PC);
                    return true;
                }
                exitPcSet(lay.pcCache != 0 ? HartLayout.CELL_BY_PC : -1, HartLayout.EXIT_CONTINUE, 0);
                return true;
            case Op.BEQ: branch(p, len, imm, rs1, rs2, I64_EQ); return true;
            case Op.BNE: branch(p, len, imm, rs1, rs2, I64_NE); return true;
            case Op.BLT: branch(p, len, imm, rs1, rs2, I64_LT_S); return true;
            case Op.BGE: branch(p, len, imm, rs1, rs2, I64_GE_S); return true;
            case Op.BLTU: branch(p, len, imm, rs1, rs2, I64_LT_U); return true;
            case Op.BGEU: branch(p, len, imm, rs1, rs2, I64_GE_U); return true;
            case Op.LB: case Op.LH: case Op.LW: case Op.LD: case Op.LBU: case Op.LHU: case Op.LWU:
                load(p, left, reg(rd), rs1, imm, loadKind(op));
                return false;
            case Op.SB: store(p, len, left, rs1, reg(rs2), imm, 1); return false;
            case Op.SH: store(p, len, left, rs1, reg(rs2), imm, 2); return false;
            case Op.SW: store(p, len, left, rs1, reg(rs2), imm, 4); return false;
            case Op.SD: store(p, len, left, rs1, reg(rs2), imm, 8); return false;
            case Op.FLW:
                load(p, left, FREG + (rd & 31), rs1, imm, LWU);
                // NaN-boxed, as an f register holds a single
                get(FREG + (rd & 31));
                i64c(0xffffffff00000000L);
                f.u8(I64_OR);
                set(FREG + (rd & 31));
                return false;
            case Op.FLD: load(p, left, FREG + (rd & 31), rs1, imm, LD); return false;
            case Op.FSW: store(p, len, left, rs1, FREG + rs2, imm, 4); return false;
            case Op.FSD: store(p, len, left, rs1, FREG + rs2, imm, 8); return false;
            case Op.FP: fp.op(p, left, imm); return false;
            case Op.FMA: fp.fma(p, left, imm); return false;
            case Op.AMO: call(p, len, left, imm, CALL_AMO); return false;
            case Op.FENCE:
                return false;
            case Op.ADDI: immOp(rd, rs1, imm, I64_ADD); return false;
            case Op.SLTI: immCmp(rd, rs1, imm, I64_LT_S); return false;
            case Op.SLTIU: immCmp(rd, rs1, imm, I64_LT_U); return false;
            case Op.XORI: immOp(rd, rs1, imm, I64_XOR); return false;
            case Op.ORI: immOp(rd, rs1, imm, I64_OR); return false;
            case Op.ANDI: immOp(rd, rs1, imm, I64_AND); return false;
            case Op.SLLI: immOp(rd, rs1, imm, I64_SHL); return false;
            case Op.SRLI: immOp(rd, rs1, imm, I64_SHR_U); return false;
            case Op.SRAI: immOp(rd, rs1, imm, I64_SHR_S); return false;
            case Op.ADD: bin(rd, rs1, rs2, I64_ADD); return false;
            case Op.SUB: bin(rd, rs1, rs2, I64_SUB); return false;
            case Op.SLL: bin(rd, rs1, rs2, I64_SHL); return false;
            case Op.SLT: cmp(rd, rs1, rs2, I64_LT_S); return false;
            case Op.SLTU: cmp(rd, rs1, rs2, I64_LT_U); return false;
            case Op.XOR: bin(rd, rs1, rs2, I64_XOR); return false;
            case Op.SRL: bin(rd, rs1, rs2, I64_SHR_U); return false;
            case Op.SRA: bin(rd, rs1, rs2, I64_SHR_S); return false;
            case Op.OR: bin(rd, rs1, rs2, I64_OR); return false;
            case Op.AND: bin(rd, rs1, rs2, I64_AND); return false;
            case Op.MUL: bin(rd, rs1, rs2, I64_MUL); return false;
            case Op.ADDIW: get(reg(rs1)); f.u8(I32_WRAP_I64); i32c(imm); word(rd, I32_ADD); return false;
            case Op.SLLIW: get(reg(rs1)); f.u8(I32_WRAP_I64); i32c(imm); word(rd, I32_SHL); return false;
            case Op.SRLIW: get(reg(rs1)); f.u8(I32_WRAP_I64); i32c(imm); word(rd, I32_SHR_U); return false;
            case Op.SRAIW: get(reg(rs1)); f.u8(I32_WRAP_I64); i32c(imm); word(rd, I32_SHR_S); return false;
            case Op.ADDW: words(rs1, rs2); word(rd, I32_ADD); return false;
            case Op.SUBW: words(rs1, rs2); word(rd, I32_SUB); return false;
            case Op.SLLW: words(rs1, rs2); word(rd, I32_SHL); return false;
            case Op.SRLW: words(rs1, rs2); word(rd, I32_SHR_U); return false;
            case Op.SRAW: words(rs1, rs2); word(rd, I32_SHR_S); return false;
            case Op.MULW: words(rs1, rs2); word(rd, I32_MUL); return false;
            case Op.DIV: div(rd, rs1, rs2, true, false); return false;
            case Op.REM: div(rd, rs1, rs2, true, true); return false;
            case Op.DIVU: div(rd, rs1, rs2, false, false); return false;
            case Op.REMU: div(rd, rs1, rs2, false, true); return false;
            case Op.DIVW: divw(rd, rs1, rs2, true, false); return false;
            case Op.REMW: divw(rd, rs1, rs2, true, true); return false;
            case Op.DIVUW: divw(rd, rs1, rs2, false, false); return false;
            case Op.REMUW: divw(rd, rs1, rs2, false, true); return false;
            case Op.SH1ADD: shadd(rd, rs1, rs2, 1, false); return false;
            case Op.SH2ADD: shadd(rd, rs1, rs2, 2, false); return false;
            case Op.SH3ADD: shadd(rd, rs1, rs2, 3, false); return false;
            case Op.ADD_UW: shadd(rd, rs1, rs2, 0, true); return false;
            case Op.SH1ADD_UW: shadd(rd, rs1, rs2, 1, true); return false;
            case Op.SH2ADD_UW: shadd(rd, rs1, rs2, 2, true); return false;
            case Op.SH3ADD_UW: shadd(rd, rs1, rs2, 3, true); return false;
            case Op.ANDN: get(reg(rs1)); get(reg(rs2)); i64c(-1); f.u8(I64_XOR); f.u8(I64_AND); set(reg(rd)); return false;
            case Op.ORN: get(reg(rs1)); get(reg(rs2)); i64c(-1); f.u8(I64_XOR); f.u8(I64_OR); set(reg(rd)); return false;
            case Op.XNOR: get(reg(rs1)); get(reg(rs2)); f.u8(I64_XOR); i64c(-1); f.u8(I64_XOR); set(reg(rd)); return false;
            case Op.CLZ: get(reg(rs1)); f.u8(I64_CLZ); set(reg(rd)); return false;
            case Op.CTZ: get(reg(rs1)); f.u8(I64_CTZ); set(reg(rd)); return false;
            case Op.CPOP: get(reg(rs1)); f.u8(I64_POPCNT); set(reg(rd)); return false;
            case Op.SEXT_B: get(reg(rs1)); f.u8(I64_EXTEND8_S); set(reg(rd)); return false;
            case Op.SEXT_H: get(reg(rs1)); f.u8(I64_EXTEND16_S); set(reg(rd)); return false;
            case Op.ZEXT_H: immOp(rd, rs1, 0xffff, I64_AND); return false;
            case Op.ROL: bin(rd, rs1, rs2, I64_ROTL); return false;
            case Op.ROR: bin(rd, rs1, rs2, I64_ROTR); return false;
            case Op.RORI: immOp(rd, rs1, imm, I64_ROTR); return false;
            case Op.MAX: minmax(rd, rs1, rs2, I64_GT_S); return false;
            case Op.MIN: minmax(rd, rs1, rs2, I64_LT_S); return false;
            case Op.MAXU: minmax(rd, rs1, rs2, I64_GT_U); return false;
            case Op.MINU: minmax(rd, rs1, rs2, I64_LT_U); return false;
            default:
                if (op == Op.MULH || op == Op.MULHSU || op == Op.MULHU || (op >= Op.SH1ADD && op <= Op.REV8)) {
                    i32c(op);
                    get(reg(rs1));
                    get(reg(rs2));
                    i32c(imm);
                    f.u8(CALL).u32(F_ALU);
                    set(reg(rd));
                    return false;
                }
                // the front end puts nothing else in a block
                throw new IllegalStateException("untranslatable op " + op + " at offset " + p);
        }
    }

    /** rd = the address of the next instruction (jal/jalr). */
    private void link(int rd, int next) {
        if (rd == 32) {
            return;
        }
        get(BASE);
        i64c(next);
        f.u8(I64_ADD);
        set(reg(rd));
    }

    private void branch(int p, int len, int imm, int rs1, int rs2, int cmp) {
        get(reg(rs1));
        get(reg(rs2));
        f.u8(cmp);
        open(IF);
        jumpTo(p + imm, false);
        close();
        jumpTo(p + len, true);
    }

    private void address(int rs1, int imm) {
        get(reg(rs1));
        if (imm != 0) {
            i64c(imm);
            f.u8(I64_ADD);
        }
    }

    private static final int[] LOAD_SIZE = {1, 2, 4, 8, 1, 2, 4};

    /** A guest load of {@code kind} at rs1 + imm into local {@code dst}. */
    private void load(int p, int left, int dst, int rs1, int imm, int kind) {
        if (!lay.inlineTlb || helpersOnly) {
            address(rs1, imm);
            i32c(kind);
            f.u8(CALL).u32(F_LD);
            set(V);
            statusNonZero();
            f.hint(false);
            open(IF);
            faultAt(p, HartLayout.EXIT_FAULT, left);
            close();
            get(V);
            set(dst);
            return;
        }
        int size = LOAD_SIZE[kind];
        address(rs1, imm);
        set(A);
        f.u8(BLOCK).u8(T_I64); // $done
        depth++;
        open(BLOCK);           // $slow
        page(RTAG, RPAGES, RV, RP, size);
        loadValue(RP, kind);
        f.u8(BR).u32(1);
        close();
        // a miss: the helper does it (and copies the entry, so the next access hits)
        get(A);
        i32c(kind);
        f.u8(CALL).u32(F_LD);
        set(V);
        forgetPages();
        statusNonZero();
        f.hint(false);
        open(IF);
        faultAt(p, HartLayout.EXIT_FAULT, left);
        close();
        get(V);
        close();
        set(dst);
    }

    /** Pushes the value of a {@code kind} load at A from the page payload in local {@code page}. */
    private void loadValue(int page, int kind) {
        int size = LOAD_SIZE[kind];
        get(page);
        longIndex();
        gc(ARRAY_GET, ModuleWriter.T_I64S);
        if (size < 8) {
            get(A);
            i64c(7);
            f.u8(I64_AND);
            i64c(3);
            f.u8(I64_SHL);
            f.u8(I64_SHR_U);
        }
        switch (kind) {
            case LB: f.u8(I64_EXTEND8_S); break;
            case LH: f.u8(I64_EXTEND16_S); break;
            case LW: f.u8(I64_EXTEND32_S); break;
            case LBU: i64c(0xff); f.u8(I64_AND); break;
            case LHU: i64c(0xffff); f.u8(I64_AND); break;
            case LWU: i64c(0xffffffffL); f.u8(I64_AND); break;
            default: break;
        }
    }

    /** Stores {@code size} bytes of local {@code val} at A into the page payload in local {@code page}. */
    private void storeValue(int page, int size, int val) {
        get(page);
        longIndex();
        if (size == 8) {
            get(val);
        } else {
            long mask = size == 4 ? 0xffffffffL : size == 2 ? 0xffffL : 0xffL;
            get(A);
            i64c(7);
            f.u8(I64_AND);
            i64c(3);
            f.u8(I64_SHL);
            set(SH);
            // (old & ~(mask << sh)) | ((v & mask) << sh)
            get(page);
            longIndex();
            gc(ARRAY_GET, ModuleWriter.T_I64S);
            i64c(mask);
            get(SH);
            f.u8(I64_SHL);
            i64c(-1);
            f.u8(I64_XOR);
            f.u8(I64_AND);
            get(val);
            i64c(mask);
            f.u8(I64_AND);
            get(SH);
            f.u8(I64_SHL);
            f.u8(I64_OR);
        }
        gc(ARRAY_SET, ModuleWriter.T_I64S);
    }

    /**
     * Makes {@code page} the payload of A's page for an access of {@code size} bytes, through the
     * one-entry cache ({@code tag}, {@code page}) or else the TLB copy ({@code tags},
     * {@code pages}); branches to the enclosing block (the slow path) if neither maps it. The tag
     * folds the alignment check in as the interpreter's does: a misaligned address sets high
     * bits that no page number has.
     */
    private void page(int tags, int pages, int tag, int page, int size) {
        get(A);
        i64c(12);
        f.u8(I64_SHR_U);
        if (size > 1) {
            get(A);
            i64c(size == 8 ? 61 : size == 4 ? 62 : 63);
            f.u8(I64_SHL);
            f.u8(I64_OR);
        }
        f.u8(LOCAL_TEE).u32(KEY);
        get(tag);
        f.u8(I64_NE);
        f.u8(IF).u8(T_EMPTY);
        get(A);
        i64c(12);
        f.u8(I64_SHR_U);
        f.u8(I32_WRAP_I64);
        i32c(AddressSpace.TLB_MASK);
        f.u8(I32_AND);
        set(TI);
        get(tags);
        get(TI);
        gc(ARRAY_GET, ModuleWriter.T_I64S);
        get(KEY);
        f.u8(I64_NE);
        f.hint(false);
        f.u8(BR_IF).u32(1);
        get(pages);
        get(TI);
        gc(ARRAY_GET, ModuleWriter.T_PAGES);
        set(page);
        get(KEY);
        set(tag);
        f.u8(END);
    }

    /** After a helper that may have changed the TLB copy. */
    private void forgetPages() {
        if (lay.inlineTlb) {
            i64c(-1);
            set(RV);
            i64c(-1);
            set(WV);
        }
    }

    /** The index of A's long in its page. */
    private void longIndex() {
        get(A);
        i64c(3);
        f.u8(I64_SHR_U);
        f.u8(I32_WRAP_I64);
        i32c(511);
        f.u8(I32_AND);
    }

    private void gc(int op, int type) {
        f.u8(GC_PREFIX).u32(op).u32(type);
    }

    /** A guest store of {@code size} bytes of local {@code val} at rs1 + imm. */
    private void store(int p, int len, int left, int rs1, int val, int imm, int size) {
        if (!lay.inlineTlb || helpersOnly) {
            address(rs1, imm);
            get(val);
            i32c(size);
            f.u8(CALL).u32(F_ST);
            storeStatus(p, len, left);
            return;
        }
        address(rs1, imm);
        set(A);
        open(BLOCK); // $done
        open(BLOCK); // $slow
        page(WTAG, WPAGES, WV, WP, size);
        storeValue(WP, size, val);
        f.u8(BR).u32(1);
        close();
        get(A);
        get(val);
        i32c(size);
        f.u8(CALL).u32(F_ST);
        forgetPages();
        storeStatus(p, len, left);
        close();
    }

    /** After a helper that returned a status: a fault leaves at the instruction, a code change after it. */
    private void storeStatus(int p, int len, int left) {
        f.u8(LOCAL_TEE).u32(ST);
        f.hint(false);
        open(IF);
        get(ST);
        i32c(HartLayout.CODE_CHANGED);
        f.u8(I32_EQ);
        open(IF);
        exitAt(p + len, -1, HartLayout.EXIT_CONTINUE, left - 1);
        close();
        faultAt(p, HartLayout.EXIT_FAULT, left);
        close();
    }

    /** AMO through the interpreter's helper, with the instruction's x registers passed. */
    private void call(int p, int len, int left, int inst, int kind) {
        int ird = (inst >>> 7) & 31;
        i32c(inst);
        i32c(kind);
        get(reg((inst >>> 15) & 31));
        get(reg((inst >>> 20) & 31));
        get(reg(ird));
        f.u8(CALL).u32(F_CALL);
        forgetPages();
        if (ird != 0) {
            set(reg(ird));
        } else {
            f.u8(DROP);
        }
        statusNonZero();
        f.u8(LOCAL_TEE).u32(ST);
        f.hint(false);
        open(IF);
        get(ST);
        i32c(HartLayout.CODE_CHANGED);
        f.u8(I32_EQ);
        open(IF);
        exitAt(p + len, -1, HartLayout.EXIT_CONTINUE, left - 1);
        close();
        get(ST);
        i32c(HartLayout.ILLEGAL);
        f.u8(I32_EQ);
        open(IF);
        faultAt(p, HartLayout.EXIT_ILLEGAL, left);
        close();
        faultAt(p, HartLayout.EXIT_FAULT, left);
        close();
    }

    void statusNonZero() {
        i32c(0);
        f.u8(I32_LOAD).u32(2).u32(lay.hart + HartLayout.STATUS);
    }

    private void immOp(int rd, int rs1, long imm, int opc) {
        get(reg(rs1));
        i64c(imm);
        f.u8(opc);
        set(reg(rd));
    }

    private void immCmp(int rd, int rs1, long imm, int cmp) {
        get(reg(rs1));
        i64c(imm);
        f.u8(cmp);
        f.u8(I64_EXTEND_I32_U);
        set(reg(rd));
    }

    private void bin(int rd, int rs1, int rs2, int opc) {
        get(reg(rs1));
        get(reg(rs2));
        f.u8(opc);
        set(reg(rd));
    }

    private void cmp(int rd, int rs1, int rs2, int cmp) {
        get(reg(rs1));
        get(reg(rs2));
        f.u8(cmp);
        f.u8(I64_EXTEND_I32_U);
        set(reg(rd));
    }

    private void words(int rs1, int rs2) {
        get(reg(rs1));
        f.u8(I32_WRAP_I64);
        get(reg(rs2));
        f.u8(I32_WRAP_I64);
    }

    /** The i32 operation {@code opc} on the two values on the stack, sign-extended into rd. */
    private void word(int rd, int opc) {
        f.u8(opc);
        f.u8(I64_EXTEND_I32_S);
        set(reg(rd));
    }

    private void shadd(int rd, int rs1, int rs2, int sh, boolean uw) {
        get(reg(rs1));
        if (uw) {
            i64c(0xffffffffL);
            f.u8(I64_AND);
        }
        if (sh != 0) {
            i64c(sh);
            f.u8(I64_SHL);
        }
        get(reg(rs2));
        f.u8(I64_ADD);
        set(reg(rd));
    }

    private void minmax(int rd, int rs1, int rs2, int cmp) {
        get(reg(rs1));
        get(reg(rs2));
        get(reg(rs1));
        get(reg(rs2));
        f.u8(cmp);
        f.u8(SELECT);
        set(reg(rd));
    }

    /** RISC-V division: no traps; x/0 = -1, x%0 = x, MIN/-1 = MIN, MIN%-1 = 0. */
    private void div(int rd, int rs1, int rs2, boolean signed, boolean rem) {
        get(reg(rs2));
        f.u8(I64_EQZ);
        f.hint(false);
        f.u8(IF).u8(T_I64);
        if (rem) {
            get(reg(rs1));
        } else {
            i64c(-1);
        }
        f.u8(ELSE);
        if (signed && !rem) {
            // MIN / -1 overflows (a Wasm trap): the answer is MIN, which is rs1
            get(reg(rs2));
            i64c(-1);
            f.u8(I64_EQ);
            f.hint(false);
            f.u8(IF).u8(T_I64);
            i64c(0);
            get(reg(rs1));
            f.u8(I64_SUB);
            f.u8(ELSE);
            get(reg(rs1));
            get(reg(rs2));
            f.u8(I64_DIV_S);
            f.u8(END);
        } else {
            get(reg(rs1));
            get(reg(rs2));
            f.u8(signed ? (rem ? I64_REM_S : I64_DIV_S) : (rem ? I64_REM_U : I64_DIV_U));
        }
        f.u8(END);
        set(reg(rd));
    }

    private void divw(int rd, int rs1, int rs2, boolean signed, boolean rem) {
        get(reg(rs2));
        f.u8(I32_WRAP_I64);
        f.u8(LOCAL_TEE).u32(T);
        f.u8(I32_EQZ);
        f.hint(false);
        f.u8(IF).u8(T_I64);
        if (rem) {
            get(reg(rs1));
            f.u8(I32_WRAP_I64);
            f.u8(I64_EXTEND_I32_S);
        } else {
            i64c(-1);
        }
        f.u8(ELSE);
        if (signed && !rem) {
            get(T);
            i32c(-1);
            f.u8(I32_EQ);
            f.hint(false);
            f.u8(IF).u8(T_I32);
            i32c(0);
            get(reg(rs1));
            f.u8(I32_WRAP_I64);
            f.u8(I32_SUB);
            f.u8(ELSE);
            get(reg(rs1));
            f.u8(I32_WRAP_I64);
            get(T);
            f.u8(I32_DIV_S);
            f.u8(END);
        } else {
            get(reg(rs1));
            f.u8(I32_WRAP_I64);
            get(T);
            f.u8(signed ? (rem ? I32_REM_S : I32_DIV_S) : (rem ? I32_REM_U : I32_DIV_U));
        }
        f.u8(I64_EXTEND_I32_S);
        f.u8(END);
        set(reg(rd));
    }

    // ------------------------------------------------------------------ encoding helpers

    void hartLoad(int field) {
        i32c(0);
        f.u8(I64_LOAD).u32(3).u32(lay.hart + field);
    }

    private void hartSlots() {
        for (int i = 0; i < hartSlots.length; i++) {
            hartSlots[i] = !xLocals && i >= reg(1) && i <= reg(31) ? HartLayout.X + 8 * (i - reg(0))
                    : !fLocals && i >= FREG ? HartLayout.F + 8 * (i - FREG) : -1;
        }
    }

    /** Pushes local {@code local}, or the guest register it stands for from the hart block. */
    void get(int local) {
        int slot = local < hartSlots.length ? hartSlots[local] : -1;
        if (slot >= 0) {
            i32c(0);
            f.u8(I64_LOAD).u32(3).u32(lay.hart + slot);
            return;
        }
        f.u8(LOCAL_GET).u32(local);
    }

    /** Pops into local {@code local}, or into the guest register it stands for in the hart block. */
    void set(int local) {
        int slot = local < hartSlots.length ? hartSlots[local] : -1;
        if (slot >= 0) {
            // the store's address goes below the value: through the sink register's local (x0 as
            // a destination), which is otherwise only written
            f.u8(LOCAL_SET).u32(reg(32));
            i32c(0);
            f.u8(LOCAL_GET).u32(reg(32));
            f.u8(I64_STORE).u32(3).u32(lay.hart + slot);
            return;
        }
        f.u8(LOCAL_SET).u32(local);
    }

    void i32c(int v) {
        f.u8(I32_CONST).s64(v);
    }

    void i64c(long v) {
        f.u8(I64_CONST).s64(v);
    }
}
