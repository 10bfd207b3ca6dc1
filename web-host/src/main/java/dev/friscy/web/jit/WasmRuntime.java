package dev.friscy.web.jit;

import dev.friscy.cpu.Cpu;
import dev.friscy.cpu.Fpu;
import dev.friscy.cpu.Hart;
import dev.friscy.cpu.Helpers;
import dev.friscy.cpu.Op;
import dev.friscy.jit.Code;
import dev.friscy.jit.Jit;
import dev.friscy.jit.PageCode;
import dev.friscy.mem.AddressSpace;
import dev.friscy.mem.Page;
import org.teavm.interop.Address;
import org.teavm.interop.Export;
import org.teavm.interop.Import;

/**
 * The Worker side of translated code: the hart block and link cells in linear memory, the calls
 * from Java into generated code (through a one-function Wasm trampoline over the shared table,
 * so no JavaScript is on the path), the region-to-region dispatch, and the helpers generated code
 * imports from TeaVM's module for guest memory, FP and atomics.
 *
 * Link cells: an exit to a known address has a cell; once Java has seen where it leads, the cell
 * names the successor's table slot and block and the exit tail-calls it without coming back.
 * Cells are only valid while nothing changed code or mappings: every entry from the interpreter
 * compares a stamp (address space, its mapping generation, the code epoch, dropped decodes) and
 * clears all cells if it moved, and a helper that wrote a code page clears them at once.
 */
public final class WasmRuntime {
    static final int CELLS = 1 << 16;

    static HartLayout layout;
    /** What generated code reads guest memory through. */
    private static TranslatedTlb tlb;
    private static int hart;
    private static int links;
    private static int pcCache;
    /** The pc cache entries filled since it was last cleared (node's JIT unlinks often: clear only these). */
    private static final int[] pcFilled = new int[256];
    private static int nPcFilled;
    private static int nextCell;
    private static int[] linked = new int[1024];
    private static int nLinked;

    // the stamp links were made under
    private static AddressSpace stampAs;
    private static int stampGeneration;
    private static int stampEpoch;
    private static int stampDrops;

    /** The hart running translated code (the helpers act on it). */
    private static Hart cur;

    private WasmRuntime() {
    }

    /**
     * Starts compiling the module at [ptr, ptr+len) (the bytes are copied at once) without waiting:
     * when it is ready the Worker instantiates it, binds it to the TLB copy (its {@code bind}
     * export) and puts its functions f0.. in the table, then calls {@link #installed} with
     * {@code batch} and the first slot (or -1). The interpreter runs the regions meanwhile.
     */
    @Import(module = "jit", name = "compile")
    private static native void compile(int ptr, int len, int batch, RawI64 rTag, RawPages rPages, RawI64 wTag,
            RawPages wPages);

    /** Compiles the module at [ptr, ptr+len) in the background (see the import). */
    static void compile(int ptr, int len, int batch) {
        compile(ptr, len, batch, RawArrays.of(tlb.rTag), tlb.rPages, RawArrays.of(tlb.wTag), tlb.wPages);
    }

    /** The Worker: batch {@code batch} is in the table from slot {@code first} on (-1: it failed). */
    @Export(name = "jit_installed")
    public static void installed(int batch, int first) {
        WasmTranslator.installed(batch, first);
    }

    /** The Wasm trampoline: call_indirect(slot) with the block to enter. */
    @Import(module = "jit", name = "call")
    private static native int call(int slot, int block);

    /** Sets up linear memory; once, before the first translation. */
    static void init() {
        if (layout != null) {
            return;
        }
        hart = org.teavm.runtime.heap.Heap.alloc(HartLayout.SIZE).toInt();
        links = org.teavm.runtime.heap.Heap.alloc(CELLS * HartLayout.CELL_BYTES).toInt();
        for (int i = 0; i < CELLS * HartLayout.CELL_BYTES; i += 4) {
            Address.fromInt(links + i).putInt(0);
        }
        pcCache = org.teavm.runtime.heap.Heap.alloc(HartLayout.PC_ENTRIES * HartLayout.PC_ENTRY_BYTES).toInt();
        clearPcCache();
        tlb = new TranslatedTlb();
        layout = new HartLayout(hart, links, CELLS, pcCache, true);
    }

    /** A fresh link cell, or -1 when all are taken. */
    static int newCell() {
        return nextCell < CELLS ? nextCell++ : -1;
    }

    private static void clearLinks() {
        for (int i = 0; i < nLinked; i++) {
            Address.fromInt(links + linked[i] * HartLayout.CELL_BYTES).putInt(0);
        }
        nLinked = 0;
        if (nPcFilled > pcFilled.length) {
            clearPcCache();
        } else {
            for (int i = 0; i < nPcFilled; i++) {
                Address.fromInt(pcFilled[i]).putLong(-1);
            }
            nPcFilled = 0;
        }
    }

    private static void clearPcCache() {
        for (int i = 0; i < HartLayout.PC_ENTRIES; i++) {
            Address.fromInt(pcCache + i * HartLayout.PC_ENTRY_BYTES).putLong(-1);
        }
        nPcFilled = 0;
    }

    /** Something outside generated code may have changed what links lead to. */
    private static void checkStamp(AddressSpace as, int epoch) {
        int drops = Page.decodeDrops;
        if (as != stampAs || as.generation != stampGeneration || epoch != stampEpoch || drops != stampDrops) {
            clearLinks();
            stampAs = as;
            stampGeneration = as.generation;
            stampEpoch = epoch;
            stampDrops = drops;
        }
    }

    /** Runs translated code from {@code code}'s block {@code block} on {@code h} (see Code.run). */
    static long enter(Hart h, WasmCode code, int block, long left) {
        AddressSpace as = h.as;
        // the interpreter has just found the entry through the execute TLB
        long entryVpn = h.pc >>> Page.SHIFT;
        int ei = (int) entryVpn & AddressSpace.TLB_MASK;
        Page entryPage = as.xTag[ei] == entryVpn ? as.xPage[ei] : as.residentPage(h.pc);
        int epoch = entryPage == null ? 0 : entryPage.decodeEpoch;
        checkStamp(as, epoch);
        tlb.use(as);
        long[] x = h.x;
        int hx = hart + HartLayout.X;
        for (int i = 1; i < 32; i++) {
            Address.fromInt(hx + 8 * i).putLong(x[i]);
        }
        Address.fromInt(hart + HartLayout.PC).putLong(h.pc);
        Address.fromInt(hart + HartLayout.LEFT).putLong(left);
        Address.fromInt(hart + HartLayout.STATUS).putInt(0);
        // the f registers: on demand (fload)
        long[] fr = h.f;
        int hf = hart + HartLayout.F;
        Address.fromInt(hart + HartLayout.FLOADED).putInt(0);
        Address.fromInt(hart + HartLayout.FDIRTY).putInt(0);
        fpOk(h);
        cur = h;
        int slot = code.slot;
        int exit;
        int entries = 0;
        long before = left;
        while (true) {
            entries++;
            exit = call(slot, block);
            if (exit != HartLayout.EXIT_CONTINUE) {
                break;
            }
            long l = Address.fromInt(hart + HartLayout.LEFT).getLong();
            if (l <= 0 || l == before || l < Jit.plainTail) {
                // spent, or too little left for the block it stopped at or for the next region
                // (which would most likely not start): the interpreter goes on
                exitBudget++;
                if (l > 0 && l == before) {
                    exitNoRun++;
                }
                break;
            }
            before = l;
            // where it left to: if that is translated too, go on without the interpreter
            long pc = Address.fromInt(hart + HartLayout.PC).getLong();
            if ((pc & 1) != 0) {
                break;
            }
            long vpn = pc >>> Page.SHIFT;
            int xi = (int) vpn & AddressSpace.TLB_MASK;
            if (as.xTag[xi] != vpn) {
                break;
            }
            Page pg = as.xPage[xi];
            int[] ops = pg.decodedOps;
            PageCode jc = pg.jit;
            if (ops == null || jc == null || jc.ops != ops || pg.decodeEpoch != epoch) {
                if (ops != null && pg.decodeEpoch == epoch) {
                    Jit.arrivedInBursts(pg, ops, (int) pc & Page.SIZE - 1, steady() ? WasmTranslator.followSteady : WasmTranslator.followUntranslated,
                            WasmTranslator.followUntranslatedBurst, Cpu.instructionsRun, WasmTranslator.burstWindowShift);
                }
                break;
            }
            int pos = (int) pc & Page.SIZE - 1;
            if ((ops[pos] & 0xff) != Op.JIT) {
                exitUntranslated++;
                Jit.arrived(pg, ops, pos, steady() ? WasmTranslator.followTranslated : WasmTranslator.followTranslatedUnsteady);
                break;
            }
            int e = ops[pos + 1];
            Code c = jc.codes[e & 0xffff];
            if (!(c instanceof WasmCode) || ((WasmCode) c).slot < 0) {
                break;
            }
            slot = ((WasmCode) c).slot;
            block = e >>> 16;
            int cell = Address.fromInt(hart + HartLayout.CELL).getInt();
            if (cell == HartLayout.CELL_BY_PC && Page.decodeDrops == stampDrops) {
                int at = pcCache + ((int) (pc >>> 1) & (HartLayout.PC_ENTRIES - 1)) * HartLayout.PC_ENTRY_BYTES;
                Address.fromInt(at).putLong(pc);
                Address.fromInt(at + 8).putInt(slot + 1);
                Address.fromInt(at + 12).putInt(block);
                if (nPcFilled < pcFilled.length) {
                    pcFilled[nPcFilled] = at;
                }
                if (nPcFilled <= pcFilled.length) {
                    nPcFilled++; // past the list's length: clear the whole cache next time
                }
            } else if (cell >= 0 && Page.decodeDrops == stampDrops) {
                int at = links + cell * HartLayout.CELL_BYTES;
                if (Address.fromInt(at).getInt() == 0) {
                    Address.fromInt(at).putInt(slot + 1);
                    Address.fromInt(at + 4).putInt(block);
                    if (nLinked == linked.length) {
                        int[] n = new int[nLinked * 2];
                        System.arraycopy(linked, 0, n, 0, nLinked);
                        linked = n;
                    }
                    linked[nLinked++] = cell;
                }
            }
        }
        cur = null;
        for (int i = 1; i < 32; i++) {
            x[i] = Address.fromInt(hx + 8 * i).getLong();
        }
        if (Address.fromInt(hart + HartLayout.FDIRTY).getInt() != 0) {
            for (int i = 0; i < 32; i++) {
                fr[i] = Address.fromInt(hf + 8 * i).getLong();
            }
        }
        h.pc = Address.fromInt(hart + HartLayout.PC).getLong();
        h.jitExit = exit == HartLayout.EXIT_FAULT ? Cpu.EXIT_FAULT
                : exit == HartLayout.EXIT_ILLEGAL ? Cpu.EXIT_ILLEGAL : Jit.EXIT_CONTINUE;
        if (entries > 1) {
            Jit.entries += entries - 1;
        }
        return Address.fromInt(hart + HartLayout.LEFT).getLong();
    }

    /** Generated code about to use f registers: the hart's go into the hart block (see HartLayout.FLOADED). */
    @Export(name = "jit_fl")
    public static void fload() {
        long[] fr = cur.f;
        int hf = hart + HartLayout.F;
        for (int i = 0; i < 32; i++) {
            Address.fromInt(hf + 8 * i).putLong(fr[i]);
        }
        Address.fromInt(hart + HartLayout.FLOADED).putInt(1);
    }

    /** What generated FP code may assume about fcsr (see HartLayout.FPOK). */
    private static void fpOk(Hart h) {
        Address.fromInt(hart + HartLayout.FPOK).putInt((h.fflags & Fpu.NX) | (h.frm == 0 ? 2 : 0));
    }

    private static void status(int s) {
        Address.fromInt(hart + HartLayout.STATUS).putInt(s);
    }

    /** True if the page holding {@code a} has decoded code (a store there invalidates it). */
    private static boolean hasCode(AddressSpace as, long a) {
        Page p = as.residentPage(a);
        return p != null && p.decodedOps != null;
    }

    // ------------------------------------------------------------------ helpers generated code imports

    private static final int[] SIZE = {1, 2, 4, 8, 1, 2, 4};
    private static final int[] TAG_SHIFT = {64, 63, 62, 61, 64, 63, 62};

    /** Statistics: helper calls for loads and stores (misses of the TLB copy, FP, atomics). */
    public static long loadCalls;
    public static long storeCalls;

    /** Returns to Java that ended a run of translated code: budget spent, untranslated code next. */
    public static long exitBudget;
    public static long exitUntranslated;
    /** Of those for budget: a region that would not start with what was left (see Jit#plainTail). */
    public static long exitNoRun;

    /** What the TLB copy and the helpers did, for the stats line. */
    /** The window (guest instructions >>> burstWindowShift) {@link #steady} last looked at, and where it began. */
    private static long steadyWindow = -1;
    private static long windowRun;
    private static long windowTranslated;
    private static boolean steadyNow;
    /** Statistics: windows found steady. */
    static int steadyWindows;

    /**
     * True if at least {@link WasmTranslator#steadyShare}/16 of the guest instructions of the
     * last whole window ran translated (see {@link WasmTranslator#followSteady}).
     */
    static boolean steady() {
        if (WasmTranslator.followSteady <= 0) {
            return false;
        }
        long run = Cpu.instructionsRun;
        long w = run >>> WasmTranslator.burstWindowShift;
        if (w != steadyWindow) {
            long all = run - windowRun;
            long translated = Jit.executed - windowTranslated;
            // a window that was skipped over (a long slice) still counts as one
            steadyNow = steadyWindow >= 0 && all > 0 && translated * 16 >= all * WasmTranslator.steadyShare;
            if (steadyNow) {
                steadyWindows++;
            }
            steadyWindow = w;
            windowRun = run;
            windowTranslated = Jit.executed;
        }
        return steadyNow;
    }

    public static String stats() {
        return "back to Java: " + exitBudget + " for budget (" + exitNoRun + " where too little was left to start), " + exitUntranslated + " at untranslated code, " + Jit.linkedRegions + " regions translated there; helper loads " + loadCalls + ", stores " + storeCalls + ", FP " + fpCalls + ", TLB copy forgotten " + TranslatedTlb.forgets
                + " times, " + TranslatedTlb.refills + " entries copied; " + steadyWindows + " steady windows";
    }

    /** A guest load of kind RegionEmitter.LB..LWU; on a fault, status FAULT (as.fault* set). */
    @Export(name = "jit_ld")
    public static long load(long a, int kind) {
        loadCalls++;
        AddressSpace as = cur.as;
        int ti = (int) (a >>> Page.SHIFT) & AddressSpace.TLB_MASK;
        int sh = TAG_SHIFT[kind];
        long v;
        if (as.rTag[ti] == ((a >>> Page.SHIFT) | (sh == 64 ? 0 : a << sh))) {
            v = as.rData[ti][(int) (a >>> 3) & 511] >>> ((a & 7) << 3);
        } else {
            v = as.load(a, SIZE[kind]);
            if (as.faultSignal != 0) {
                tlb.check();
                status(HartLayout.FAULT);
                return 0;
            }
        }
        // the next access to these pages stays in generated code
        tlb.refill(a);
        tlb.refill(a + SIZE[kind] - 1);
        status(HartLayout.OK);
        switch (kind) {
            case RegionEmitter.LB: return (byte) v;
            case RegionEmitter.LH: return (short) v;
            case RegionEmitter.LW: return (int) v;
            case RegionEmitter.LD: return v;
            case RegionEmitter.LBU: return v & 0xff;
            case RegionEmitter.LHU: return v & 0xffff;
            default: return v & 0xffffffffL;
        }
    }

    /** A guest store: OK, FAULT (nothing written) or CODE_CHANGED (written, but it hit decoded code). */
    @Export(name = "jit_st")
    public static int store(long a, long v, int size) {
        storeCalls++;
        Hart h = cur;
        AddressSpace as = h.as;
        int ti = (int) (a >>> Page.SHIFT) & AddressSpace.TLB_MASK;
        int sh = size == 8 ? 61 : size == 4 ? 62 : size == 2 ? 63 : 64;
        if (as.wTag[ti] == ((a >>> Page.SHIFT) | (sh == 64 ? 0 : a << sh))) {
            long[] d = as.wData[ti];
            int i = (int) (a >>> 3) & 511;
            if (size == 8) {
                d[i] = v;
            } else {
                int s = (int) (a & 7) << 3;
                long m = (size == 4 ? 0xffffffffL : size == 2 ? 0xffffL : 0xffL) << s;
                d[i] = (d[i] & ~m) | ((v << s) & m);
            }
            tlb.refill(a);
            return HartLayout.OK;
        }
        boolean code = hasCode(as, a) || hasCode(as, a + size - 1);
        boolean ok = Helpers.store(h, a, size, v);
        tlb.check();
        if (!ok) {
            return HartLayout.FAULT;
        }
        tlb.refill(a);
        tlb.refill(a + size - 1);
        if (code) {
            clearLinks();
            return HartLayout.CODE_CHANGED;
        }
        return HartLayout.OK;
    }

    /**
     * AMO instruction {@code inst} through the interpreter's helper. Generated code keeps the x
     * registers in locals, so it passes the three the instruction may name (rs1, rs2, rd) and
     * takes back rd.
     */
    @Export(name = "jit_call")
    public static long helper(int inst, int kind, long x1, long x2, long xd) {
        Hart h = cur;
        long[] x = h.x;
        int rs1 = (inst >>> 15) & 31;
        int rs2 = (inst >>> 20) & 31;
        int rd = (inst >>> 7) & 31;
        x[rs1] = x1;
        x[rs2] = x2;
        x[rd] = xd;
        x[0] = 0;
        int s = HartLayout.OK;
        if (kind == RegionEmitter.CALL_AMO) {
            boolean code = hasCode(h.as, x1);
            if (!Helpers.amo(h, inst)) {
                s = HartLayout.FAULT;
            } else if (code && !hasCode(h.as, x1)) {
                clearLinks();
                s = HartLayout.CODE_CHANGED;
            }
        }
        x[0] = 0;
        tlb.check();
        status(s);
        return x[rd];
    }

    /** Statistics: FP instructions that took the exact path. */
    public static long fpCalls;

    /**
     * An F or D instruction {@code inst} the exact way (FpExec, as the interpreter runs it), for
     * generated code that keeps the registers in locals: {@code a}, {@code b}, {@code c} are its
     * rs1 (an x or f register, as the instruction reads it), rs2 and rs3; returns what it writes
     * to rd (x or f). Status ILLEGAL for a reserved dynamic rounding mode.
     */
    @Export(name = "jit_fp")
    public static long fp(int inst, long a, long b, long c) {
        fpCalls++;
        Hart h = cur;
        long[] f = h.f;
        int rd = (inst >>> 7) & 31;
        int rs1 = (inst >>> 15) & 31;
        int rs2 = (inst >>> 20) & 31;
        boolean ok;
        boolean xResult = false;
        if ((inst & 0x7f) != 0x53) {
            // FMA: operands are stored in order, so a register named twice gets its one value
            f[rs1] = a;
            f[rs2] = b;
            f[inst >>> 27] = c;
            ok = Helpers.fma(h, inst);
        } else {
            int f7 = inst >>> 25;
            if (FpEmitter.xSource(f7)) {
                if (rs1 != 0) {
                    h.x[rs1] = a;
                }
            } else {
                f[rs1] = a;
            }
            if (FpEmitter.twoSources(f7)) {
                f[rs2] = b;
            }
            xResult = FpEmitter.xResult(f7);
            ok = Helpers.fp(h, inst);
        }
        fpOk(h);
        if (!ok) {
            h.badInstruction = inst;
            status(HartLayout.ILLEGAL);
            return 0;
        }
        status(HartLayout.OK);
        return xResult ? h.x[rd == 0 ? 32 : rd] : f[rd];
    }

    /** MULH* and the bit-manipulation ops generated code does not inline. */
    @Export(name = "jit_alu")
    public static long alu(int op, long a, long b, int imm) {
        if (op == Op.MULH || op == Op.MULHSU || op == Op.MULHU) {
            return Helpers.muldiv(op, a, b);
        }
        return Helpers.bitmanip(op, a, b, imm);
    }
}
