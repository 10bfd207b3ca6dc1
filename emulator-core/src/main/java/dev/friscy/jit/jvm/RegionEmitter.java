package dev.friscy.jit.jvm;

import static org.objectweb.asm.Opcodes.*;

import dev.friscy.cpu.Cpu;
import dev.friscy.cpu.Op;
import dev.friscy.jit.Jit;
import dev.friscy.jit.Region;
import dev.friscy.mem.AddressSpace;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes the class file of one region: {@code long run(Hart h, int block, long left)}. Guest
 * registers live in JVM locals (loaded at entry, the written ones stored back at every exit); a
 * tableswitch picks the entry block; each block charges its instruction count at its head, and
 * the budget is checked on entry and on back-edges (see the package documentation of
 * dev.friscy.jit). Loads and stores go through {@link Rt}, which HotSpot inlines: the TLB test
 * the interpreter does, and the same slow paths. The binary64 arithmetic matrix code lives on
 * (add, sub, mul, div, sign injection, the fmas) calls the FPU's entries directly with operands
 * and rounding mode resolved here; other FP instructions go through the interpreter's helper.
 * An inner loop that makes no call gets a method of its own, {@code loop<head>}, which run calls
 * (see {@link #inMethod}).
 */
final class RegionEmitter {
    private static final String HART = "dev/friscy/cpu/Hart";
    private static final String AS = "dev/friscy/mem/AddressSpace";
    private static final String PAGE = "dev/friscy/mem/Page";
    private static final String HELPERS = "dev/friscy/cpu/Helpers";
    private static final String RT = "dev/friscy/jit/jvm/Rt";
    private static final String FPU = "dev/friscy/cpu/Fpu";
    private static final String FPUJVM = "dev/friscy/cpu/FpuJvm";
    private static final String SUPER = "dev/friscy/jit/jvm/JvmCode";
    private static final long BOX = 0xffff_ffff_0000_0000L;

    // locals
    private static final int THIS = 0, H = 1, BLOCK = 2, LEFT = 3, X = 5, MEM = 6, RTAG = 7, RDATA = 8,
            WTAG = 9, WDATA = 10, F = 11, BASE = 12, A = 14, V = 16, EXITPC = 19, CODE = 21,
            REFUND = 22, PACKED = 23, REG0 = 24, RM = REG0 + 2 * 33, SITE0 = RM + 1;
    /**
     * Memory access sites that keep the page they last reached in locals (its TLB key and its
     * {@code long[]}): a loop's load or store usually reaches the same page time after time, and
     * then skips the TLB arrays and their bounds checks. Any slow path, AMO or call out forgets
     * them all, since only those can change which array backs a page (a copy-on-write break, an
     * unmapping).
     */
    static final int SITES = 4;
    /** An access's TLB key, while its site is checked, and the page of a store without a site. */
    private static final int KEY = SITE0 + 3 * SITES, PG = KEY + 2;
    /**
     * Guest FP registers live in locals too (their raw bits, loaded at entry, the written ones
     * stored back at every exit): through {@code h.f} each FP instruction cost an array load or
     * store with its bounds check, and kept C2 from holding a loop's accumulator in a register.
     */
    private static final int FREG0 = PG + 1;
    /** The entry block still to be reached through the loop heads around it, -1 once there (see Loops). */
    private static final int TB = FREG0 + 64;

    private final Region r;
    /** The method being written: the region's {@code run}, or one of its loop methods. */
    private MethodVisitor mv;
    private Label[] heads;
    /** Each block's code, after the check of its head's way in (the same as heads[] for other blocks). */
    private Label[] code;
    /** The region's loops, when entries go through their heads (else null). */
    private final Loops loops;
    /** Where the method's entry and a resumed call out pick the way to an entry block. */
    private Label dispatch = new Label();
    private Label exit = new Label();
    private final boolean[] used = new boolean[33];
    private final boolean[] written = new boolean[33];
    private final boolean[] fUsed = new boolean[32];
    /**
     * The registers each block reads or writes, x1..x31 as 1..31 and f0..f31 as 33..64 (see
     * {@link #ctx}).
     */
    private final boolean[][] blockRegs;
    /**
     * Each block's register context: the head of the innermost loop it is in, if that loop holds
     * no other loop, else -1. Inside such a loop only the registers it uses live in locals; the
     * others are in {@code h.x}/{@code h.f}, stored on the way in and loaded on the way out. With
     * every register of the region live in locals everywhere (written back at the exit), C2
     * spilled an inner loop's own values to the stack (crc32's byte loop alone in a region:
     * 0.79 s; inside its region: 1.16 s).
     */
    private final int[] ctx;
    /** Whether a block's accesses may keep their pages in sites (see {@link #SITES}). */
    private final boolean[] siteOk;
    /**
     * For each context, whether its loop is compiled as a method of its own, {@code loop<head>}
     * (a loop that makes no call, in a region with other code). Why: C2 allocates registers over
     * the whole method, and in a region's method the values live around an inner loop (the TLB's
     * arrays, the sites of the outer code, this, the hart) crowded the loop's own: the sieve's
     * 4-instruction store loop kept its guest registers on the stack, 8 stack accesses per
     * iteration. In a method of its own only the loop's values are live. The region's method
     * calls it with the loop's registers in h.x and h.f (the others stay in its locals), and it
     * leaves the same way, saying in {@code h.jitNext} the block it left for (or -1 when it left
     * the region).
     */
    private final boolean[] inMethod;
    /** For each loop method, the blocks of the region outside it that it may leave for. */
    private final boolean[][] leavesFor;
    /** The context whose loop method is being written, -1 while writing {@code run}. */
    private int emitting = -1;

    /** True if block {@code b} ends in a call (a jump that writes a link register). */
    private boolean endsInCall(int b) {
        int w = r.ops[r.last(b)];
        int op = w & 0xff;
        return (op == Op.JAL || op == Op.C_JAL || op == Op.JALR || op == Op.C_JALR) && ((w >>> 8) & 63) != 32;
    }

    /** For each loop head that is a context, the registers its blocks use (as blockRegs). */
    private final boolean[][] ctxRegs;
    /** For each context, its exit: writes back the registers it holds, then the common exit. */
    private final Label[] ctxExit;
    private Label tail = new Label();
    private final boolean[] fWritten = new boolean[32];
    /** Whether an FP instruction rounds with the dynamic mode (frm, read once at entry). */
    private boolean dynamicRounding;
    private boolean memory;
    private boolean fpMemory;
    /** Each block's accesses that may have a site (see {@link #siteOk}). */
    private int[] blockSites;
    /** Access sites with a page cache in this region, and the next to hand out. */
    private int sites;
    private int site;
    /** The block being emitted, and the index of the current instruction in it. */
    private int block;
    private int k;

    /** Whether a normal exit out of the page calls out ({@code Dispatch.link}) or returns. */
    private final boolean linking;
    /**
     * Whether an access the TLB does not hold leaves the region for the interpreter, which makes
     * it (see Code#misses), instead of calling the slow path: a call inside a loop makes C2
     * keep the loop's values on the stack around it, and then everywhere in the loop (crc32's
     * byte loop: 35 stack accesses an iteration, 15 without the calls; 1.6 s against 1.2 s).
     */
    private final boolean missExits;

    private RegionEmitter(Region r, MethodVisitor mv, boolean linking, boolean missExits, boolean loopRegisters) {
        this.r = r;
        this.mv = mv;
        this.linking = linking;
        this.missExits = missExits;
        newBlockLabels();
        this.loops = JvmTranslator.throughHeads ? Loops.of(r) : null;
        int n = r.starts.length;
        this.blockRegs = new boolean[n][65];
        this.ctx = new int[n];
        this.ctxRegs = new boolean[n][];
        this.ctxExit = new Label[n];
        for (int b = 0; b < n; b++) {
            ctx[b] = loops == null || !loopRegisters ? -1 : loops.innermost(b);
        }
        // code that calls out, or is called, forgets its pages at every call: each access would
        // pay a miss on top of the TLB (qsort's merge loop and comparator: 1.2x slower). Inside
        // a loop without calls (a called memset's, a loop after a call) they still pay
        this.siteOk = new boolean[n];
        boolean[] calls = new boolean[n];
        for (int b = 0; b < n; b++) {
            if (ctx[b] >= 0 && endsInCall(b)) {
                calls[ctx[b]] = true;
            }
        }
        boolean anyCall = r.called || r.hasCall();
        for (int b = 0; b < n; b++) {
            siteOk[b] = ctx[b] >= 0 ? !calls[ctx[b]] : !anyCall;
        }
        this.inMethod = new boolean[n];
        this.leavesFor = new boolean[n][];
        for (int b = 0; b < n; b++) {
            int c = ctx[b];
            if (c >= 0 && c == b && JvmTranslator.loopMethods && !calls[c]) {
                boolean midEntry = false;
                for (int o = 0; o < n; o++) {
                    inMethod[c] |= ctx[o] != c;
                    midEntry |= ctx[o] == c && o != c && r.isEntry(o);
                }
                // a loop entered in its middle is one the guest keeps leaving and coming back
                // to (libgcc's frame walk in busybox's start-up: ~28 instructions per entry),
                // where a second method's call on every entry cost more than it saved
                // (fork+exec+wait 1.08-1.14x)
                inMethod[c] &= !midEntry;
                leavesFor[c] = new boolean[n];
            }
        }
    }

    /** The class file, or null if its method would exceed {@code maxCode} bytes. */
    static byte[] emit(Region r, int maxCode, boolean linking, boolean missExits, boolean loopRegisters) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS) {
            @Override
            protected String getCommonSuperClass(String a, String b) {
                return "java/lang/Object";
            }
        };
        cw.visit(V17, ACC_PUBLIC | ACC_FINAL | ACC_SUPER, "dev/friscy/jit/jvm/Translated", null, SUPER, null);
        MethodVisitor init = cw.visitMethod(ACC_PUBLIC, "<init>", "()V", null, null);
        init.visitCode();
        init.visitVarInsn(ALOAD, 0);
        init.visitMethodInsn(INVOKESPECIAL, SUPER, "<init>", "()V", false);
        init.visitInsn(RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();
        RegionEmitter e = new RegionEmitter(r, null, linking, missExits, loopRegisters);
        e.scan();
        // the loop methods first: run's calls go on at the blocks they leave for
        for (int c = 0; c < e.inMethod.length; c++) {
            if (e.inMethod[c]) {
                e.loopMethod(c, cw.visitMethod(ACC_PRIVATE | ACC_FINAL, loopName(c), LOOP_DESC, null, null));
                JvmTranslator.loopMethodsMade++;
            }
        }
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC | ACC_FINAL, "run", "(L" + HART + ";IJ)J", null, null);
        e.mv = mv;
        Label end = new Label();
        mv.visitCode();
        e.body();
        e.checkUnpacked();
        mv.visitLabel(end);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        if (end.getOffset() > maxCode) {
            return null;
        }
        cw.visitEnd();
        return cw.toByteArray();
    }

    /** A loop method: (h, entry block or -1 for its head, budget, the page's base) → budget left. */
    private static final String LOOP_DESC = "(L" + HART + ";IJJ)J";

    private static String loopName(int c) {
        return "loop" + c;
    }

    private static int reg(int r) {
        return REG0 + 2 * r;
    }

    private static int freg(int r) {
        return FREG0 + 2 * r;
    }

    // ------------------------------------------------------------------ analysis

    private void scan() {
        int[] ops = r.ops;
        blockSites = new int[r.starts.length];
        for (int b = 0; b < r.starts.length; b++) {
            scanning = blockRegs[b];
            for (int p = r.starts[b]; p < r.ends[b]; p += ops[p] >>> 29) {
                int w = ops[p];
                int op = w & 0xff;
                int rd = (w >>> 8) & 63;
                use((w >>> 14) & 31);
                use((w >>> 19) & 31);
                switch (op) {
                    case Op.SB: case Op.SH: case Op.SW: case Op.SD: case Op.C_SW: case Op.C_SD:
                        memory = true;
                        blockSites[b] += siteOk[b] ? 1 : 0;
                        break;
                    case Op.FSW: case Op.FSD:
                        memory = true;
                        fpMemory = true;
                        useF((w >>> 19) & 31, false);
                        blockSites[b] += siteOk[b] ? 1 : 0;
                        break;
                    case Op.FLW: case Op.FLD:
                        memory = true;
                        fpMemory = true;
                        useF(rd & 31, true);
                        blockSites[b] += siteOk[b] ? 1 : 0;
                        break;
                    case Op.BEQ: case Op.BNE: case Op.BLT: case Op.BGE: case Op.BLTU: case Op.BGEU:
                    case Op.C_BEQ: case Op.C_BNE: case Op.FENCE:
                        break;
                    case Op.FP: case Op.FMA: case Op.AMO: {
                        int inst = ops[p + 1];
                        if (op != Op.AMO) {
                            // which of these name FP registers depends on the instruction: all
                            // of them may, and cost no more than a load and a store if not
                            fpMemory = true;
                            useF((inst >>> 15) & 31, false);
                            useF((inst >>> 20) & 31, false);
                            useF(inst >>> 27, false);
                            useF((inst >>> 7) & 31, true);
                            dynamicRounding |= ((inst >>> 12) & 7) == 7;
                        }
                        use((inst >>> 15) & 31);
                        use((inst >>> 20) & 31);
                        int ird = (inst >>> 7) & 31;
                        use(ird);
                        if (ird != 0) {
                            written[ird] = true;
                            scanning[ird] = true;
                        }
                        break;
                    }
                    default:
                        if (isLoad(op)) {
                            memory = true;
                            blockSites[b] += siteOk[b] ? 1 : 0;
                        }
                        if (rd != 0) {
                            used[rd] = true;
                            written[rd] = true;
                            scanning[rd] = true;
                        }
                        break;
                }
            }
        }
        for (int b = 0; b < blockSites.length; b++) {
            sites += blockSites[b];
        }
        sites = Math.min(sites, SITES);
        used[0] = true;
        used[32] = true;
        written[0] = false;
        written[32] = false;
        for (int b = 0; b < ctx.length; b++) {
            blockRegs[b][0] = false;
            blockRegs[b][32] = false;
            int c = ctx[b];
            if (c >= 0) {
                if (ctxRegs[c] == null) {
                    ctxRegs[c] = new boolean[65];
                    ctxExit[c] = new Label();
                }
                for (int u = 0; u < 65; u++) {
                    ctxRegs[c][u] |= blockRegs[b][u];
                }
            }
        }
    }

    /** The block {@link #scan} is at: its registers. */
    private boolean[] scanning;

    private void useF(int reg, boolean write) {
        fUsed[reg] = true;
        fWritten[reg] |= write;
        scanning[33 + reg] = true;
    }

    private void use(int reg) {
        scanning[reg] = true;
        used[reg] = true;
    }

    private static boolean isLoad(int op) {
        switch (op) {
            case Op.LB: case Op.LBU: case Op.LH: case Op.LHU: case Op.LW: case Op.LWU: case Op.LD:
            case Op.C_LW: case Op.C_LD:
                return true;
            default:
                return false;
        }
    }

    // ------------------------------------------------------------------ structure

    private void body() {
        if (Jit.trace) {
            StringBuilder sb = new StringBuilder("jit loops:");
            for (int b = 0; b < ctx.length; b++) {
                sb.append(' ').append(Integer.toHexString(r.starts[b])).append(r.isEntry(b) ? "*" : "")
                        .append(ctx[b] >= 0 ? "@" + Integer.toHexString(r.starts[ctx[b]]) : "")
                        .append(ctx[b] >= 0 && inMethod[ctx[b]] ? "m" : "")
                        .append(loops == null ? "?" : "");
            }
            System.err.println(sb);
        }
        // the budget is checked on entry and on back-edges only: between two checks at most all
        // of the region's instructions run, so with that much left no block needs its own check
        Label enough = new Label();
        mv.visitVarInsn(LLOAD, LEFT);
        lconst(r.instructions);
        mv.visitInsn(LCMP);
        mv.visitJumpInsn(IFGE, enough);
        mv.visitVarInsn(ALOAD, H);
        iconst(Jit.EXIT_CONTINUE);
        mv.visitFieldInsn(PUTFIELD, HART, "jitExit", "I");
        mv.visitVarInsn(LLOAD, LEFT);
        mv.visitInsn(LRETURN);
        mv.visitLabel(enough);
        mv.visitVarInsn(ALOAD, H);
        mv.visitFieldInsn(GETFIELD, HART, "x", "[J");
        mv.visitVarInsn(ASTORE, X);
        mv.visitVarInsn(ALOAD, H);
        mv.visitFieldInsn(GETFIELD, HART, "pc", "J");
        mv.visitLdcInsn(~4095L);
        mv.visitInsn(LAND);
        mv.visitVarInsn(LSTORE, BASE);
        if (memory) {
            loadMemory();
        }
        if (fpMemory) {
            mv.visitVarInsn(ALOAD, H);
            mv.visitFieldInsn(GETFIELD, HART, "f", "[J");
            mv.visitVarInsn(ASTORE, F);
        }
        loadFp();
        initExitLocals();
        for (int i = 1; i < 32; i++) {
            if (used[i]) {
                mv.visitVarInsn(ALOAD, X);
                iconst(i);
                mv.visitInsn(LALOAD);
                mv.visitVarInsn(LSTORE, reg(i));
            }
        }
        mv.visitVarInsn(ILOAD, BLOCK);
        mv.visitVarInsn(ISTORE, TB);
        mv.visitLabel(dispatch);
        mv.visitVarInsn(ILOAD, TB);
        Label bad = new Label();
        Label[] targets = new Label[heads.length];
        for (int b = 0; b < heads.length; b++) {
            targets[b] = r.isEntry(b) ? new Label() : bad;
        }
        mv.visitTableSwitchInsn(0, heads.length - 1, bad, targets);
        for (int b = 0; b < heads.length; b++) {
            if (r.isEntry(b)) {
                mv.visitLabel(targets[b]);
                goToward(loops == null ? b : loops.first(b), b);
            }
        }
        mv.visitLabel(bad);
        // not a block of this region: leave at h.pc without running anything
        mv.visitVarInsn(ALOAD, H);
        mv.visitFieldInsn(GETFIELD, HART, "pc", "J");
        mv.visitVarInsn(LSTORE, EXITPC);
        iconst(Jit.EXIT_CONTINUE);
        mv.visitVarInsn(ISTORE, CODE);
        mv.visitJumpInsn(GOTO, exit);

        for (block = 0; block < heads.length; block++) {
            int c = ctx[block];
            if (c >= 0 && inMethod[c]) {
                if (c == block) {
                    callLoop(c);
                }
                continue;
            }
            emitBlock();
        }

        unpackExits(exit);
        for (int c = 0; c < ctxExit.length; c++) {
            if (ctxExit[c] != null && !inMethod[c]) {
                unpackExits(ctxExit[c]);
            }
        }
        // a context's exit writes back what it holds; the others are in h.x and h.f already
        for (int c = 0; c < ctxExit.length; c++) {
            if (ctxExit[c] != null && !inMethod[c]) {
                mv.visitLabel(ctxExit[c]);
                storeWritten(c);
                mv.visitJumpInsn(GOTO, tail);
            }
        }
                // the one exit: write back, report, return
        mv.visitLabel(exit);
        for (int i = 0; i < 32; i++) {
            if (fWritten[i]) {
                mv.visitVarInsn(ALOAD, F);
                iconst(i);
                mv.visitVarInsn(LLOAD, freg(i));
                mv.visitInsn(LASTORE);
            }
        }
        for (int i = 1; i < 32; i++) {
            if (written[i]) {
                mv.visitVarInsn(ALOAD, X);
                iconst(i);
                mv.visitVarInsn(LLOAD, reg(i));
                mv.visitInsn(LASTORE);
            }
        }
        mv.visitLabel(tail);
        mv.visitVarInsn(ALOAD, H);
        mv.visitVarInsn(LLOAD, EXITPC);
        mv.visitFieldInsn(PUTFIELD, HART, "pc", "J");
        mv.visitVarInsn(ALOAD, H);
        mv.visitVarInsn(ILOAD, CODE);
        mv.visitFieldInsn(PUTFIELD, HART, "jitExit", "I");
        mv.visitVarInsn(LLOAD, LEFT);
        mv.visitVarInsn(ILOAD, REFUND);
        mv.visitInsn(I2L);
        mv.visitInsn(LADD);
        if (!linking) {
            mv.visitInsn(LRETURN);
            return;
        }
        mv.visitVarInsn(LSTORE, LEFT);
        callOut();
    }

    /** Writes block {@link #block}: its way in from a loop head, its budget, its instructions. */
    private void emitBlock() {
        int[] ops = r.ops;
        int n = r.counts[block];
        mv.visitLabel(heads[block]);
        passOn();
        mv.visitLabel(code[block]);
        if (r.starts[block] >= Region.PAGE_SIZE) {
            // the next page's code: only while it is still what the region was built from
            Label same = new Label();
            mv.visitVarInsn(ALOAD, THIS);
            mv.visitVarInsn(ALOAD, H);
            mv.visitVarInsn(LLOAD, BASE);
            mv.visitMethodInsn(INVOKESTATIC, RT, "span", "(L" + SUPER + ";L" + HART + ";J)Z", false);
            mv.visitJumpInsn(IFNE, same);
            exitAt(r.starts[block], 0);
            mv.visitLabel(same);
        }
        mv.visitVarInsn(LLOAD, LEFT);
        mv.visitLdcInsn((long) n);
        mv.visitInsn(LSUB);
        mv.visitVarInsn(LSTORE, LEFT);
        k = 0;
        boolean transferred = false;
        for (int p = r.starts[block]; p < r.ends[block]; p += ops[p] >>> 29, k++) {
            transferred = insn(p, ops[p], ops[p + 1]);
        }
        if (!transferred) {
            jumpTo(r.ends[block]);
        }
    }

    /**
     * In {@code run}, at the head of context {@code c}'s loop (and its code: an entry at the head
     * comes here too), in the outermost context: stores the loop's registers, calls its method
     * with the entry block still to reach (TB), reloads those it may have written, then goes on
     * at the block it left for, or leaves the region. The other registers stay in their locals.
     */
    private void callLoop(int c) {
        mv.visitLabel(heads[c]);
        mv.visitLabel(code[c]);
        storeWritten(c);
        mv.visitVarInsn(ALOAD, THIS);
        mv.visitVarInsn(ALOAD, H);
        mv.visitVarInsn(ILOAD, TB);
        mv.visitVarInsn(LLOAD, LEFT);
        mv.visitVarInsn(LLOAD, BASE);
        mv.visitMethodInsn(INVOKESPECIAL, "dev/friscy/jit/jvm/Translated", loopName(c), LOOP_DESC, false);
        mv.visitVarInsn(LSTORE, LEFT);
        iconst(-1);
        mv.visitVarInsn(ISTORE, TB);
        // its stores may have broken a copy-on-write page a site of this method holds
        forgetSites();
        for (int u = 1; u < 65; u++) {
            if (ctxRegs[c][u] && isWritten(u)) {
                reload(u);
            }
        }
        int n = 0;
        for (int b = 0; b < heads.length; b++) {
            n += leavesFor[c][b] ? 1 : 0;
        }
        int[] keys = new int[n];
        Label[] targets = new Label[n];
        for (int b = 0, i = 0; b < heads.length; b++) {
            if (leavesFor[c][b]) {
                keys[i] = b;
                targets[i++] = new Label();
            }
        }
        Label left = new Label();
        mv.visitVarInsn(ALOAD, H);
        mv.visitFieldInsn(GETFIELD, HART, "jitNext", "I");
        mv.visitLookupSwitchInsn(left, keys, targets);
        for (int i = 0; i < n; i++) {
            mv.visitLabel(targets[i]);
            transition(-1, ctx[keys[i]]);
            mv.visitJumpInsn(GOTO, heads[keys[i]]);
        }
        // it left the region, h.pc and h.jitExit set: the outermost context's exit
        mv.visitLabel(left);
        mv.visitVarInsn(ALOAD, H);
        mv.visitFieldInsn(GETFIELD, HART, "pc", "J");
        mv.visitVarInsn(LSTORE, EXITPC);
        mv.visitVarInsn(ALOAD, H);
        mv.visitFieldInsn(GETFIELD, HART, "jitExit", "I");
        mv.visitVarInsn(ISTORE, CODE);
        iconst(0);
        mv.visitVarInsn(ISTORE, REFUND);
        mv.visitJumpInsn(GOTO, exit);
    }

    /**
     * Writes context {@code c}'s loop as method {@code loop<c>} (see {@link #inMethod}): its own
     * locals (the same numbering as run's), sites and labels; its registers loaded from h.x and
     * h.f at entry; every way out stores those it writes back.
     */
    private void loopMethod(int c, MethodVisitor m) {
        mv = m;
        emitting = c;
        newBlockLabels();
        ctxExit[c] = new Label();
        tail = new Label();
        int outerSites = sites;
        sites = 0;
        for (int b = 0; b < ctx.length; b++) {
            sites += ctx[b] == c ? blockSites[b] : 0;
        }
        sites = Math.min(sites, SITES);
        site = 0;

        mv.visitCode();
        // the page's base came as the last argument, in the slots of X and MEM
        mv.visitVarInsn(LLOAD, X);
        mv.visitVarInsn(LSTORE, BASE);
        mv.visitVarInsn(ALOAD, H);
        mv.visitFieldInsn(GETFIELD, HART, "x", "[J");
        mv.visitVarInsn(ASTORE, X);
        if (memory) {
            loadMemory();
        }
        if (fpMemory) {
            mv.visitVarInsn(ALOAD, H);
            mv.visitFieldInsn(GETFIELD, HART, "f", "[J");
            mv.visitVarInsn(ASTORE, F);
        }
        loadRoundingMode();
        initExitLocals();
        for (int u = 1; u < 65; u++) {
            if (ctxRegs[c][u]) {
                reload(u);
            }
        }
        mv.visitVarInsn(ILOAD, BLOCK);
        mv.visitVarInsn(ISTORE, TB);
        mv.visitJumpInsn(GOTO, heads[c]);
        for (block = 0; block < heads.length; block++) {
            if (ctx[block] == c) {
                emitBlock();
            }
        }
        unpackExits(ctxExit[c]);
        checkUnpacked();
        mv.visitLabel(ctxExit[c]);
        storeWritten(c);
        mv.visitVarInsn(ALOAD, H);
        mv.visitVarInsn(LLOAD, EXITPC);
        mv.visitFieldInsn(PUTFIELD, HART, "pc", "J");
        mv.visitVarInsn(ALOAD, H);
        mv.visitVarInsn(ILOAD, CODE);
        mv.visitFieldInsn(PUTFIELD, HART, "jitExit", "I");
        mv.visitVarInsn(ALOAD, H);
        iconst(-1);
        mv.visitFieldInsn(PUTFIELD, HART, "jitNext", "I");
        mv.visitVarInsn(LLOAD, LEFT);
        mv.visitVarInsn(ILOAD, REFUND);
        mv.visitInsn(I2L);
        mv.visitInsn(LADD);
        mv.visitInsn(LRETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();

        // back to run's labels
        emitting = -1;
        sites = outerSites;
        site = 0;
        newBlockLabels();
        tail = new Label();
    }

    /** Fresh labels for every block's head and code: each method has its own. */
    private void newBlockLabels() {
        heads = new Label[r.starts.length];
        code = new Label[r.starts.length];
        for (int i = 0; i < heads.length; i++) {
            heads[i] = new Label();
            code[i] = new Label();
        }
    }

    /** In a loop method, the way out to block {@code b} of the region, outside the loop. */
    private void leave(int b) {
        storeWritten(emitting);
        leavesFor[emitting][b] = true;
        mv.visitVarInsn(ALOAD, H);
        iconst(b);
        mv.visitFieldInsn(PUTFIELD, HART, "jitNext", "I");
        mv.visitVarInsn(LLOAD, LEFT);
        mv.visitInsn(LRETURN);
    }

    /**
     * After the common exit (registers written back, h.pc and h.jitExit set, LEFT the budget to
     * return): a region leaving its page normally calls the code it leaves for through
     * {@code Dispatch.link}, and when the guest comes back to a block of this region (a call
     * returning, a loop that crosses into the next page and back) goes on there with registers
     * reloaded, instead of returning to the dispatcher and being entered again.
     */
    private void callOut() {
        Label ret = new Label();
        iconst(Jit.EXIT_CONTINUE);
        mv.visitVarInsn(ILOAD, CODE);
        mv.visitJumpInsn(IF_ICMPNE, ret);
        // an exit inside the page (budget, an instruction left to the interpreter, another
        // region of this page) is the dispatcher's
        mv.visitVarInsn(LLOAD, EXITPC);
        mv.visitVarInsn(LLOAD, BASE);
        mv.visitInsn(LXOR);
        iconst(12);
        mv.visitInsn(LUSHR);
        mv.visitInsn(LCONST_0);
        mv.visitInsn(LCMP);
        mv.visitJumpInsn(IFEQ, ret);
        // a return to the code that called this region out goes straight back to it
        mv.visitVarInsn(ALOAD, H);
        mv.visitVarInsn(LLOAD, EXITPC);
        mv.visitMethodInsn(INVOKESTATIC, "dev/friscy/cpu/Dispatch", "returning", "(L" + HART + ";J)Z", false);
        mv.visitJumpInsn(IFNE, ret);
        mv.visitVarInsn(ALOAD, H);
        mv.visitVarInsn(LLOAD, LEFT);
        mv.visitVarInsn(LLOAD, BASE);
        iconst(12);
        mv.visitInsn(LUSHR);
        iconst(r.called ? 0 : 1);
        mv.visitMethodInsn(INVOKESTATIC, "dev/friscy/cpu/Dispatch", "link", "(L" + HART + ";JJZ)J", false);
        mv.visitInsn(DUP2);
        mv.visitVarInsn(LLOAD, LEFT);
        mv.visitInsn(LCMP);
        Label ran = new Label();
        mv.visitJumpInsn(IFNE, ran);
        mv.visitInsn(POP2);
        mv.visitJumpInsn(GOTO, ret); // nothing ran
        mv.visitLabel(ran);
        mv.visitVarInsn(LSTORE, LEFT);
        // go on only after a normal exit back into this page, still valid, with a whole
        // region's worth of budget (the same rule as a back-edge)
        mv.visitVarInsn(ALOAD, H);
        mv.visitFieldInsn(GETFIELD, HART, "jitExit", "I");
        iconst(Jit.EXIT_CONTINUE);
        mv.visitJumpInsn(IF_ICMPNE, ret);
        mv.visitVarInsn(ALOAD, H);
        mv.visitFieldInsn(GETFIELD, HART, "pc", "J");
        mv.visitVarInsn(LLOAD, BASE);
        mv.visitInsn(LXOR);
        iconst(12);
        mv.visitInsn(LUSHR);
        mv.visitInsn(LCONST_0);
        mv.visitInsn(LCMP);
        mv.visitJumpInsn(IFNE, ret);
        mv.visitVarInsn(LLOAD, LEFT);
        lconst(r.instructions);
        mv.visitInsn(LCMP);
        mv.visitJumpInsn(IFLT, ret);
        mv.visitVarInsn(ALOAD, THIS);
        mv.visitMethodInsn(INVOKESTATIC, RT, "resumable", "(L" + SUPER + ";)Z", false);
        mv.visitJumpInsn(IFEQ, ret);
        for (int i = 1; i < 32; i++) {
            if (used[i]) {
                mv.visitVarInsn(ALOAD, X);
                iconst(i);
                mv.visitInsn(LALOAD);
                mv.visitVarInsn(LSTORE, reg(i));
            }
        }
        forgetSites();
        loadFp();
        mv.visitVarInsn(ALOAD, H);
        mv.visitFieldInsn(GETFIELD, HART, "pc", "J");
        mv.visitInsn(L2I);
        iconst(Region.PAGE_SIZE - 1);
        mv.visitInsn(IAND);
        int n = 0;
        for (int b = 0; b < heads.length; b++) {
            n += r.isEntry(b) ? 1 : 0;
        }
        int[] keys = new int[n];
        Label[] targets = new Label[n];
        for (int b = 0, i = 0; b < heads.length; b++) {
            if (r.isEntry(b)) {
                keys[i] = r.starts[b];
                targets[i++] = new Label();
            }
        }
        mv.visitLookupSwitchInsn(ret, keys, targets);
        for (int b = 0, i = 0; b < heads.length; b++) {
            if (r.isEntry(b)) {
                mv.visitLabel(targets[i++]);
                iconst(b);
                mv.visitVarInsn(ISTORE, TB);
                mv.visitJumpInsn(GOTO, dispatch);
            }
        }
        mv.visitLabel(ret);
        mv.visitVarInsn(LLOAD, LEFT);
        mv.visitInsn(LRETURN);
    }

    /** The address space and its TLB's arrays into their locals, every site empty. */
    private void loadMemory() {
        mv.visitVarInsn(ALOAD, H);
        mv.visitFieldInsn(GETFIELD, HART, "as", "L" + AS + ";");
        mv.visitVarInsn(ASTORE, MEM);
        String[] names = {"rTag", "rData", "wTag", "wData"};
        String[] types = {"[J", "[[J", "[J", "[[J"};
        for (int i = 0; i < 4; i++) {
            mv.visitVarInsn(ALOAD, MEM);
            mv.visitFieldInsn(GETFIELD, AS, names[i], types[i]);
            mv.visitVarInsn(ASTORE, RTAG + i);
        }
        mv.visitInsn(LCONST_0);
        mv.visitVarInsn(LSTORE, A);
        mv.visitInsn(LCONST_0);
        mv.visitVarInsn(LSTORE, V);
        for (int i = 0; i < sites; i++) {
            mv.visitInsn(ACONST_NULL);
            mv.visitVarInsn(ASTORE, SITE0 + 3 * i + 2);
        }
        forgetSites();
    }

    /** The exit's locals, x0 and the scratch register given values on every path. */
    private void initExitLocals() {
        mv.visitInsn(LCONST_0);
        mv.visitVarInsn(LSTORE, EXITPC);
        mv.visitInsn(ICONST_0);
        mv.visitVarInsn(ISTORE, CODE);
        mv.visitInsn(ICONST_0);
        mv.visitVarInsn(ISTORE, REFUND);
        mv.visitInsn(ICONST_0);
        mv.visitVarInsn(ISTORE, PACKED);
        mv.visitInsn(LCONST_0);
        mv.visitVarInsn(LSTORE, reg(0));
        mv.visitInsn(LCONST_0);
        mv.visitVarInsn(LSTORE, reg(32));
    }

    /**
     * Loads the FP registers the region uses into their locals, and the dynamic rounding mode:
     * only an instruction the interpreter runs (a CSR write) changes it, and that leaves the
     * region.
     */
    private void loadFp() {
        for (int i = 0; i < 32; i++) {
            if (fUsed[i]) {
                mv.visitVarInsn(ALOAD, F);
                iconst(i);
                mv.visitInsn(LALOAD);
                mv.visitVarInsn(LSTORE, freg(i));
            }
        }
        loadRoundingMode();
    }

    private void loadRoundingMode() {
        if (dynamicRounding) {
            mv.visitVarInsn(ALOAD, H);
            mv.visitFieldInsn(GETFIELD, HART, "frm", "I");
            mv.visitVarInsn(ISTORE, RM);
        }
    }

    /**
     * On the way into entry block {@code e}, goes to block {@code step}: into its code if that is
     * {@code e} (the way is done), else to the head of the loop that passes it on.
     */
    private void goToward(int step, int e) {
        if (step == e) {
            iconst(-1);
            mv.visitVarInsn(ISTORE, TB);
            mv.visitJumpInsn(GOTO, code[e]);
        } else {
            mv.visitJumpInsn(GOTO, heads[step]);
        }
    }

    /**
     * At the head of a loop that holds entry blocks: while an entry is still to be reached
     * (TB), passes it on toward it. Every time round the loop pays this one test, the price of
     * the loop having no other way in.
     */
    private void passOn() {
        if (loops == null) {
            return;
        }
        int n = 0;
        for (int e = 0; e < heads.length; e++) {
            n += r.isEntry(e) && loops.holds(block, e) ? 1 : 0;
        }
        if (n == 0) {
            return;
        }
        int[] keys = new int[n];
        Label[] targets = new Label[n];
        for (int e = 0, i = 0; e < heads.length; e++) {
            if (r.isEntry(e) && loops.holds(block, e)) {
                keys[i] = e;
                targets[i++] = new Label();
            }
        }
        mv.visitVarInsn(ILOAD, TB);
        mv.visitJumpInsn(IFLT, code[block]);
        mv.visitVarInsn(ILOAD, TB);
        Label lost = new Label();
        mv.visitLookupSwitchInsn(lost, keys, targets);
        for (int i = 0; i < n; i++) {
            mv.visitLabel(targets[i]);
            goToward(loops.next(block, keys[i]), keys[i]);
        }
        mv.visitLabel(lost);
        mv.visitTypeInsn(NEW, "java/lang/IllegalStateException");
        mv.visitInsn(DUP);
        mv.visitLdcInsn("region entry not held by the loop it was passed to");
        mv.visitMethodInsn(INVOKESPECIAL, "java/lang/IllegalStateException", "<init>", "(Ljava/lang/String;)V", false);
        mv.visitInsn(ATHROW);
    }

    /** Continue at page offset {@code t}: a block of this region, or an exit to the interpreter. */
    private void jumpTo(int t) {
        int b = t >= 0 && t < r.limit() ? r.blockAt(t) : -1;
        if (b < 0) {
            exitAt(t, 0);
            return;
        }
        boolean out = emitting >= 0 && ctx[b] != emitting;
        if (b <= block) {
            // a back-edge: go round again only with a whole region's worth of budget left
            Label low = new Label();
            mv.visitVarInsn(LLOAD, LEFT);
            lconst(r.instructions);
            mv.visitInsn(LCMP);
            mv.visitJumpInsn(IFLT, low);
            if (out) {
                leave(b);
            } else {
                transition(ctx[block], ctx[b]);
                mv.visitJumpInsn(GOTO, heads[b]);
            }
            mv.visitLabel(low);
            exitAt(t, 0);
            return;
        }
        if (out) {
            leave(b);
            return;
        }
        transition(ctx[block], ctx[b]);
        mv.visitJumpInsn(GOTO, heads[b]);
    }

    /** Leave with pc = base + {@code off}, CONTINUE, refunding {@code refund} instructions. */
    private void exitAt(int off, int refund) {
        exitWith(off, refund, Jit.EXIT_CONTINUE);
    }

    private void exitWith(int off, int refund, int code) {
        exitWith(off, refund, code, false);
    }

    /**
     * An exit whose pc is in the page's reach, with a small refund and code, is one int constant
     * and a jump to its exit's unpacking (see {@link #unpackExits}): written out, each of the many
     * exits of a region (every access has one) cost 20-30 bytes of bytecode, which HotSpot's two
     * compilers then compile, and which bounded how much call-heavy code paid to translate.
     */
    private void exitWith(int off, int refund, int code, boolean miss) {
        if (off >= 0 && off <= PACK_OFF && refund >= 0 && refund <= PACK_REFUND
                && code + 1 >= 0 && code + 1 <= PACK_CODE) {
            iconst(off | refund << PACK_REFUND_SHIFT | (code + 1) << PACK_CODE_SHIFT | (miss ? PACK_MISS : 0));
            mv.visitVarInsn(ISTORE, PACKED);
            Label to = exitHere();
            Label unpack = unpackFor.get(to);
            if (unpack == null) {
                unpack = new Label();
                unpackFor.put(to, unpack);
            }
            mv.visitJumpInsn(GOTO, unpack);
            return;
        }
        if (miss) {
            countMiss();
        }
        mv.visitVarInsn(LLOAD, BASE);
        mv.visitLdcInsn((long) off);
        mv.visitInsn(LADD);
        mv.visitVarInsn(LSTORE, EXITPC);
        iconst(code);
        mv.visitVarInsn(ISTORE, CODE);
        iconst(refund);
        mv.visitVarInsn(ISTORE, REFUND);
        mv.visitJumpInsn(GOTO, exitHere());
    }

    /**
     * A packed exit (see {@link #exitWith}): the pc's offset from the page's base in bits 0-13,
     * the refund in 14-23, the exit code + 1 in 24-26, and whether it is a TLB miss in bit 27.
     */
    private static final int PACK_OFF = (1 << 14) - 1, PACK_REFUND_SHIFT = 14, PACK_REFUND = (1 << 10) - 1,
            PACK_CODE_SHIFT = 24, PACK_CODE = 7, PACK_MISS = 1 << 27;
    /** The unpacking of packed exits (see {@link #exitWith}) for each exit label used in the method being written. */
    private final Map<Label, Label> unpackFor = new LinkedHashMap<>();

    /** Pushes the packed exit's field at {@code shift}, {@code mask} wide (see {@link #exitWith}). */
    private void packedField(int shift, int mask) {
        mv.visitVarInsn(ILOAD, PACKED);
        iconst(shift);
        mv.visitInsn(IUSHR);
        iconst(mask);
        mv.visitInsn(IAND);
    }

    /** Every packed exit of the method just written must have had its unpacking written. */
    private void checkUnpacked() {
        if (!unpackFor.isEmpty()) {
            throw new IllegalStateException("packed exits left without their unpacking");
        }
    }

    /**
     * Writes the unpacking for the exits of the method being written whose label is one of
     * {@code labels}: sets the exit's pc, refund and code from {@link #PACKED}, counts a miss,
     * and goes on to the exit.
     */
    private void unpackExits(Label... labels) {
        for (Label to : labels) {
            Label unpack = to == null ? null : unpackFor.remove(to);
            if (unpack == null) {
                continue;
            }
            mv.visitLabel(unpack);
            mv.visitVarInsn(LLOAD, BASE);
            mv.visitVarInsn(ILOAD, PACKED);
            iconst(PACK_OFF);
            mv.visitInsn(IAND);
            mv.visitInsn(I2L);
            mv.visitInsn(LADD);
            mv.visitVarInsn(LSTORE, EXITPC);
            packedField(PACK_REFUND_SHIFT, PACK_REFUND);
            mv.visitVarInsn(ISTORE, REFUND);
            packedField(PACK_CODE_SHIFT, PACK_CODE);
            iconst(1);
            mv.visitInsn(ISUB);
            mv.visitVarInsn(ISTORE, CODE);
            mv.visitVarInsn(ILOAD, PACKED);
            iconst(PACK_MISS);
            mv.visitInsn(IAND);
            mv.visitJumpInsn(IFEQ, to);
            countMiss();
            mv.visitJumpInsn(GOTO, to);
        }
    }

    /** The exit for the current block's context. */
    private Label exitHere() {
        return ctx[block] < 0 ? exit : ctxExit[ctx[block]];
    }

    /**
     * The context whose registers code in context {@code c} finds in locals: in run, a loop
     * method's call is made from the outermost context (every register the region uses in a
     * local), which keeps those the loop does not use in their locals across the call.
     */
    private int home(int c) {
        return c >= 0 && emitting != c && inMethod[c] ? -1 : c;
    }

    /** True if register {@code u} (numbered as blockRegs) lives in a local in context {@code c}. */
    private boolean inContext(int c, int u) {
        if (c >= 0) {
            return ctxRegs[c][u];
        }
        return u < 33 ? u != 0 && u != 32 && used[u] : fUsed[u - 33];
    }

    private boolean isWritten(int u) {
        return u < 33 ? written[u] : fWritten[u - 33];
    }

    /** Stores the registers context {@code c} holds in locals that the region may write. */
    private void storeWritten(int c) {
        for (int u = 1; u < 65; u++) {
            if (ctxRegs[c][u] && isWritten(u)) {
                storeBack(u);
            }
        }
    }

    /** Stores register {@code u}'s local into h.x or h.f. */
    private void storeBack(int u) {
        mv.visitVarInsn(ALOAD, u < 33 ? X : F);
        iconst(u < 33 ? u : u - 33);
        mv.visitVarInsn(LLOAD, u < 33 ? reg(u) : freg(u - 33));
        mv.visitInsn(LASTORE);
    }

    /** Loads register {@code u}'s local from h.x or h.f. */
    private void reload(int u) {
        mv.visitVarInsn(ALOAD, u < 33 ? X : F);
        iconst(u < 33 ? u : u - 33);
        mv.visitInsn(LALOAD);
        mv.visitVarInsn(LSTORE, u < 33 ? reg(u) : freg(u - 33));
    }

    /** On an edge from context {@code from} to context {@code to}: the registers change homes. */
    private void transition(int from, int to) {
        from = home(from);
        to = home(to);
        if (from == to) {
            return;
        }
        for (int u = 1; u < 65; u++) {
            boolean here = inContext(from, u);
            boolean there = inContext(to, u);
            if (here && !there && isWritten(u)) {
                storeBack(u);
            } else if (!here && there) {
                reload(u);
            }
        }
    }

    /** Instructions of the current block from the current one on (not run when it faults). */
    private int notRun() {
        return r.counts[block] - k;
    }

    // ------------------------------------------------------------------ instructions

    private void load(int reg) {
        if (reg == 0) {
            mv.visitInsn(LCONST_0);
        } else {
            mv.visitVarInsn(LLOAD, reg(reg));
        }
    }

    private void store(int rd) {
        mv.visitVarInsn(LSTORE, reg(rd));
    }

    private void iconst(int v) {
        if (v >= -1 && v <= 5) {
            mv.visitInsn(ICONST_0 + v);
        } else if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
            mv.visitIntInsn(BIPUSH, v);
        } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            mv.visitIntInsn(SIPUSH, v);
        } else {
            mv.visitLdcInsn(v);
        }
    }

    private void lconst(long v) {
        if (v == 0) {
            mv.visitInsn(LCONST_0);
        } else if (v == 1) {
            mv.visitInsn(LCONST_1);
        } else {
            mv.visitLdcInsn(v);
        }
    }

    private void bin(int rd, int rs1, int rs2, int insn) {
        load(rs1);
        load(rs2);
        mv.visitInsn(insn);
        store(rd);
    }

    private void binImm(int rd, int rs1, long imm, int insn) {
        load(rs1);
        lconst(imm);
        mv.visitInsn(insn);
        store(rd);
    }

    private void shiftImm(int rd, int rs1, int sh, int insn) {
        load(rs1);
        iconst(sh);
        mv.visitInsn(insn);
        store(rd);
    }

    private void word(int rd, int rs1, int rs2, int insn) {
        load(rs1);
        mv.visitInsn(L2I);
        load(rs2);
        mv.visitInsn(L2I);
        mv.visitInsn(insn);
        mv.visitInsn(I2L);
        store(rd);
    }

    /** rd = (a < b) ? 1 : 0 from an LCMP result on the stack. */
    private void lessFromCmp(int rd) {
        iconst(31);
        mv.visitInsn(IUSHR);
        mv.visitInsn(I2L);
        store(rd);
    }

    /** Emits one instruction; true if it transferred control itself (a branch or jump). */
    private boolean insn(int p, int w, int imm) {
        int op = w & 0xff;
        int rd = (w >>> 8) & 63;
        int rs1 = (w >>> 14) & 31;
        int rs2 = (w >>> 19) & 31;
        int len = w >>> 29;
        switch (op) {
            case Op.LI:
            case Op.C_LI:
                lconst(imm);
                store(rd);
                return false;
            case Op.AUIPC:
                mv.visitVarInsn(LLOAD, BASE);
                lconst((long) p + imm);
                mv.visitInsn(LADD);
                store(rd);
                return false;
            case Op.JAL:
            case Op.C_JAL:
                mv.visitVarInsn(LLOAD, BASE);
                lconst(p + len);
                mv.visitInsn(LADD);
                store(rd);
                jumpTo(p + imm);
                return true;
            case Op.JALR:
            case Op.C_JALR:
                load(rs1);
                lconst(imm);
                mv.visitInsn(LADD);
                lconst(~1L);
                mv.visitInsn(LAND);
                mv.visitVarInsn(LSTORE, EXITPC);
                mv.visitVarInsn(LLOAD, BASE);
                lconst(p + len);
                mv.visitInsn(LADD);
                store(rd);
                iconst(Jit.EXIT_CONTINUE);
                mv.visitVarInsn(ISTORE, CODE);
                iconst(0);
                mv.visitVarInsn(ISTORE, REFUND);
                mv.visitJumpInsn(GOTO, exitHere());
                return true;
            case Op.BEQ:
            case Op.C_BEQ:
                branch(p, len, imm, rs1, rs2, false, IFEQ);
                return true;
            case Op.BNE:
            case Op.C_BNE:
                branch(p, len, imm, rs1, rs2, false, IFNE);
                return true;
            case Op.BLT:
                branch(p, len, imm, rs1, rs2, false, IFLT);
                return true;
            case Op.BGE:
                branch(p, len, imm, rs1, rs2, false, IFGE);
                return true;
            case Op.BLTU:
                branch(p, len, imm, rs1, rs2, true, IFLT);
                return true;
            case Op.BGEU:
                branch(p, len, imm, rs1, rs2, true, IFGE);
                return true;

            case Op.LD: case Op.C_LD: memLoad(p, rd, rs1, imm, 8, op); return false;
            case Op.LW: case Op.C_LW: case Op.LWU: memLoad(p, rd, rs1, imm, 4, op); return false;
            case Op.LH: case Op.LHU: memLoad(p, rd, rs1, imm, 2, op); return false;
            case Op.LB: case Op.LBU: memLoad(p, rd, rs1, imm, 1, op); return false;
            case Op.FLD: memLoad(p, rd & 31, rs1, imm, 8, op); return false;
            case Op.FLW: memLoad(p, rd & 31, rs1, imm, 4, op); return false;
            case Op.SD: case Op.C_SD: memStore(p, len, rs1, rs2, imm, 8, false); return false;
            case Op.SW: case Op.C_SW: memStore(p, len, rs1, rs2, imm, 4, false); return false;
            case Op.SH: memStore(p, len, rs1, rs2, imm, 2, false); return false;
            case Op.SB: memStore(p, len, rs1, rs2, imm, 1, false); return false;
            case Op.FSD: memStore(p, len, rs1, rs2, imm, 8, true); return false;
            case Op.FSW: memStore(p, len, rs1, rs2, imm, 4, true); return false;

            case Op.ADDI: case Op.C_ADDI: binImm(rd, rs1, imm, LADD); return false;
            case Op.XORI: binImm(rd, rs1, imm, LXOR); return false;
            case Op.ORI: binImm(rd, rs1, imm, LOR); return false;
            case Op.ANDI: case Op.C_ANDI: binImm(rd, rs1, imm, LAND); return false;
            case Op.SLTI:
                load(rs1);
                lconst(imm);
                mv.visitInsn(LCMP);
                lessFromCmp(rd);
                return false;
            case Op.SLTIU:
                load(rs1);
                lconst(Long.MIN_VALUE);
                mv.visitInsn(LXOR);
                lconst((long) imm ^ Long.MIN_VALUE);
                mv.visitInsn(LCMP);
                lessFromCmp(rd);
                return false;
            case Op.SLLI: case Op.C_SLLI: shiftImm(rd, rs1, imm, LSHL); return false;
            case Op.SRLI: case Op.C_SRLI: shiftImm(rd, rs1, imm, LUSHR); return false;
            case Op.SRAI: case Op.C_SRAI: shiftImm(rd, rs1, imm, LSHR); return false;
            case Op.ADD: case Op.C_ADD: bin(rd, rs1, rs2, LADD); return false;
            case Op.SUB: case Op.C_SUB: bin(rd, rs1, rs2, LSUB); return false;
            case Op.XOR: case Op.C_XOR: bin(rd, rs1, rs2, LXOR); return false;
            case Op.OR: case Op.C_OR: bin(rd, rs1, rs2, LOR); return false;
            case Op.AND: case Op.C_AND: bin(rd, rs1, rs2, LAND); return false;
            case Op.MUL: bin(rd, rs1, rs2, LMUL); return false;
            case Op.SLL:
            case Op.SRL:
            case Op.SRA:
                load(rs1);
                load(rs2);
                mv.visitInsn(L2I);
                mv.visitInsn(op == Op.SLL ? LSHL : op == Op.SRL ? LUSHR : LSHR);
                store(rd);
                return false;
            case Op.SLT:
                load(rs1);
                load(rs2);
                mv.visitInsn(LCMP);
                lessFromCmp(rd);
                return false;
            case Op.SLTU:
                load(rs1);
                lconst(Long.MIN_VALUE);
                mv.visitInsn(LXOR);
                load(rs2);
                lconst(Long.MIN_VALUE);
                mv.visitInsn(LXOR);
                mv.visitInsn(LCMP);
                lessFromCmp(rd);
                return false;
            case Op.ADDIW:
            case Op.C_ADDIW:
                load(rs1);
                lconst(imm);
                mv.visitInsn(LADD);
                mv.visitInsn(L2I);
                mv.visitInsn(I2L);
                store(rd);
                return false;
            case Op.SLLIW:
            case Op.SRLIW:
            case Op.SRAIW:
                load(rs1);
                mv.visitInsn(L2I);
                iconst(imm);
                mv.visitInsn(op == Op.SLLIW ? ISHL : op == Op.SRLIW ? IUSHR : ISHR);
                mv.visitInsn(I2L);
                store(rd);
                return false;
            case Op.ADDW: case Op.C_ADDW: word(rd, rs1, rs2, IADD); return false;
            case Op.SUBW: case Op.C_SUBW: word(rd, rs1, rs2, ISUB); return false;
            case Op.SLLW: word(rd, rs1, rs2, ISHL); return false;
            case Op.SRLW: word(rd, rs1, rs2, IUSHR); return false;
            case Op.SRAW: word(rd, rs1, rs2, ISHR); return false;
            case Op.MULW: word(rd, rs1, rs2, IMUL); return false;
            case Op.MULH: case Op.MULHSU: case Op.MULHU: case Op.DIV: case Op.DIVU: case Op.REM:
            case Op.REMU: case Op.DIVW: case Op.DIVUW: case Op.REMW: case Op.REMUW:
                iconst(op);
                load(rs1);
                load(rs2);
                mv.visitMethodInsn(INVOKESTATIC, HELPERS, "muldiv", "(IJJ)J", false);
                store(rd);
                return false;
            case Op.FENCE:
                return false;
            case Op.FP:
                if (!fpDirect(p, imm)) {
                    helper(p, len, imm, "fp", false);
                }
                return false;
            case Op.FMA:
                if (!fmaDirect(p, imm)) {
                    helper(p, len, imm, "fma", false);
                }
                return false;
            case Op.AMO:
                helper(p, len, imm, "amo", true);
                forgetSites();
                return false;
            default:
                if (op >= Op.SH1ADD && op <= Op.REV8) {
                    iconst(op);
                    load(rs1);
                    load(rs2);
                    iconst(imm);
                    mv.visitMethodInsn(INVOKESTATIC, HELPERS, "bitmanip", "(IJJI)J", false);
                    store(rd);
                    return false;
                }
                // the front end never puts anything else in a block
                throw new IllegalStateException("untranslatable op " + op + " at offset " + p);
        }
    }

    private void branch(int p, int len, int imm, int rs1, int rs2, boolean unsigned, int cond) {
        load(rs1);
        if (unsigned) {
            lconst(Long.MIN_VALUE);
            mv.visitInsn(LXOR);
        }
        load(rs2);
        if (unsigned) {
            lconst(Long.MIN_VALUE);
            mv.visitInsn(LXOR);
        }
        mv.visitInsn(LCMP);
        int t = p + imm;
        int b = t >= 0 && t < r.limit() ? r.blockAt(t) : -1;
        if (b > block && ctx[b] == ctx[block]) {
            mv.visitJumpInsn(cond, heads[b]);
            jumpTo(p + len);
        } else {
            Label taken = new Label();
            mv.visitJumpInsn(cond, taken);
            jumpTo(p + len);
            mv.visitLabel(taken);
            jumpTo(t);
        }
    }

    /** a = x[rs1] + imm into A. */
    private void address(int rs1, int imm) {
        load(rs1);
        lconst(imm);
        mv.visitInsn(LADD);
        mv.visitVarInsn(LSTORE, A);
    }

    private void memLoad(int p, int rd, int rs1, int imm, int size, int op) {
        address(rs1, imm);
        Label ok = new Label();
        int s = site < sites && siteOk[block] ? site++ : -1;
        Label slow = new Label();
        if (missExits) {
            int page = s >= 0 ? SITE0 + 3 * s + 2 : PG;
            Label hit = new Label();
            sitePage(s, page, size, RTAG, RDATA, hit, slow);
            mv.visitLabel(hit);
            mv.visitVarInsn(ALOAD, page);
            mv.visitVarInsn(LLOAD, A);
            mv.visitMethodInsn(INVOKESTATIC, RT, "get" + size, "([JJ)J", false);
            mv.visitVarInsn(LSTORE, V);
            mv.visitJumpInsn(GOTO, ok);
            mv.visitLabel(slow);
            missExit(p);
        } else if (s >= 0) {
            Label hit = new Label();
            sitePage(s, SITE0 + 3 * s + 2, size, RTAG, RDATA, hit, slow);
            mv.visitLabel(hit);
            mv.visitVarInsn(ALOAD, SITE0 + 3 * s + 2);
            mv.visitVarInsn(LLOAD, A);
            mv.visitMethodInsn(INVOKESTATIC, RT, "get" + size, "([JJ)J", false);
            mv.visitVarInsn(LSTORE, V);
            mv.visitJumpInsn(GOTO, ok);
            mv.visitLabel(slow);
            forgetSites();
        }
        if (!missExits) {
            mv.visitVarInsn(ALOAD, RTAG);
            mv.visitVarInsn(ALOAD, RDATA);
            mv.visitVarInsn(ALOAD, MEM);
            mv.visitVarInsn(LLOAD, A);
            String name = size == 8 ? "ld" : size == 4 ? "lw" : size == 2 ? "lh" : "lb";
            mv.visitMethodInsn(INVOKESTATIC, RT, name, "([J[[JL" + AS + ";J)J", false);
            mv.visitVarInsn(LSTORE, V);
            mv.visitVarInsn(ALOAD, MEM);
            mv.visitFieldInsn(GETFIELD, AS, "faultSignal", "I");
            mv.visitJumpInsn(IFEQ, ok);
            exitWith(p, notRun(), Cpu.EXIT_FAULT);
        }
        mv.visitLabel(ok);
        // extend and write the destination
        if (op == Op.FLD || op == Op.FLW) {
            mv.visitVarInsn(LLOAD, V);
            if (op == Op.FLW) {
                lconst(BOX);
                mv.visitInsn(LOR);
            }
            mv.visitVarInsn(LSTORE, freg(rd & 31));
            return;
        }
        extend(op, rd);
    }

    /** V sign- or zero-extended as load {@code op} does, into x[rd]. */
    private void extend(int op, int rd) {
        mv.visitVarInsn(LLOAD, V);
        switch (op) {
            case Op.LW: case Op.C_LW:
                mv.visitInsn(L2I);
                mv.visitInsn(I2L);
                break;
            case Op.LWU:
                lconst(0xffff_ffffL);
                mv.visitInsn(LAND);
                break;
            case Op.LH:
                mv.visitInsn(L2I);
                mv.visitInsn(I2S);
                mv.visitInsn(I2L);
                break;
            case Op.LHU:
                lconst(0xffffL);
                mv.visitInsn(LAND);
                break;
            case Op.LB:
                mv.visitInsn(L2I);
                mv.visitInsn(I2B);
                mv.visitInsn(I2L);
                break;
            case Op.LBU:
                lconst(0xffL);
                mv.visitInsn(LAND);
                break;
            default:
                break;
        }
        store(rd);
    }

    /** Pushes access A's TLB key: its page number, with the misaligned low bits on top (see Rt). */
    private void siteKey(int size) {
        mv.visitVarInsn(LLOAD, A);
        iconst(12);
        mv.visitInsn(LUSHR);
        if (size > 1) {
            mv.visitVarInsn(LLOAD, A);
            iconst(size == 8 ? 61 : size == 4 ? 62 : 63);
            mv.visitInsn(LSHL);
            mv.visitInsn(LOR);
        }
    }

    /** Every site's page forgotten (-1 is no key: a page number has its top 12 bits clear). */
    private void forgetSites() {
        for (int i = 0; i < sites; i++) {
            lconst(-1L);
            mv.visitVarInsn(LSTORE, SITE0 + 3 * i);
        }
    }

    /**
     * Finds the page of access A for site {@code s} (-1: a store without a site of its own, which
     * still looks its page up so that a slow one forgets the sites first): jumps to {@code hit}
     * when the site still holds it, else looks it up in the TLB {@code tag}/{@code data} into
     * local {@code page} and the site, and jumps to {@code slow} when the TLB does not hold it.
     * Falls through to {@code hit}'s code with the page in {@code page}.
     */
    private void sitePage(int s, int page, int size, int tag, int data, Label hit, Label slow) {
        siteKey(size);
        if (s >= 0) {
            mv.visitInsn(DUP2);
            mv.visitVarInsn(LSTORE, KEY);
            mv.visitVarInsn(LLOAD, SITE0 + 3 * s);
            mv.visitInsn(LCMP);
            mv.visitJumpInsn(IFEQ, hit);
        } else {
            mv.visitVarInsn(LSTORE, KEY);
        }
        // another page: through the TLB, and remember it
        mv.visitVarInsn(ALOAD, tag);
        mv.visitVarInsn(ALOAD, data);
        mv.visitVarInsn(LLOAD, KEY);
        mv.visitVarInsn(LLOAD, A);
        mv.visitMethodInsn(INVOKESTATIC, RT, "page", "([J[[JJJ)[J", false);
        mv.visitInsn(DUP);
        mv.visitVarInsn(ASTORE, page);
        mv.visitJumpInsn(IFNULL, slow);
        if (s >= 0) {
            mv.visitVarInsn(LLOAD, KEY);
            mv.visitVarInsn(LSTORE, SITE0 + 3 * s);
        }
    }

    /** Pushes the value a store writes: x[rs2], or f[rs2]'s raw bits. */
    private void storeValue(int rs2, boolean fp) {
        if (fp) {
            mv.visitVarInsn(LLOAD, freg(rs2));
        } else {
            load(rs2);
        }
    }

    private void memStore(int p, int len, int rs1, int rs2, int imm, int size, boolean fp) {
        int s = site < sites && siteOk[block] ? site++ : -1;
        address(rs1, imm);
        Label done = new Label();
        if (missExits) {
            int page = s >= 0 ? SITE0 + 3 * s + 2 : PG;
            Label hit = new Label();
            Label slow = new Label();
            sitePage(s, page, size, WTAG, WDATA, hit, slow);
            mv.visitLabel(hit);
            mv.visitVarInsn(ALOAD, page);
            mv.visitVarInsn(LLOAD, A);
            storeValue(rs2, fp);
            mv.visitMethodInsn(INVOKESTATIC, RT, "put" + size, "([JJJ)V", false);
            mv.visitJumpInsn(GOTO, done);
            mv.visitLabel(slow);
            missExit(p);
            mv.visitLabel(done);
            return;
        }
        if (sites > 0) {
            // in a region with sites every store finds its page first, so that one going the slow
            // way (a copy-on-write break) forgets the sites' pages before it
            int page = s >= 0 ? SITE0 + 3 * s + 2 : PG;
            Label hit = new Label();
            Label slow = new Label();
            sitePage(s, page, size, WTAG, WDATA, hit, slow);
            mv.visitLabel(hit);
            mv.visitVarInsn(ALOAD, page);
            mv.visitVarInsn(LLOAD, A);
            storeValue(rs2, fp);
            mv.visitMethodInsn(INVOKESTATIC, RT, "put" + size, "([JJJ)V", false);
            mv.visitJumpInsn(GOTO, done);
            mv.visitLabel(slow);
            forgetSites();
        }
        mv.visitVarInsn(ALOAD, WTAG);
        mv.visitVarInsn(ALOAD, WDATA);
        mv.visitVarInsn(ALOAD, THIS);
        mv.visitVarInsn(ALOAD, H);
        mv.visitVarInsn(LLOAD, A);
        storeValue(rs2, fp);
        String name = size == 8 ? "sd" : size == 4 ? "sw" : size == 2 ? "sh" : "sb";
        mv.visitMethodInsn(INVOKESTATIC, RT, name, "([J[[JL" + SUPER + ";L" + HART + ";JJ)I", false);
        storeOutcome(p, len);
        mv.visitLabel(done);
    }

    /**
     * An access the TLB does not hold: counted, and left to the interpreter, which fills the TLB
     * (or takes the fault) and comes back at the next entry.
     */
    private void missExit(int p) {
        exitWith(p, notRun(), Jit.EXIT_CONTINUE, true);
    }

    private void countMiss() {
        mv.visitVarInsn(ALOAD, THIS);
        mv.visitInsn(DUP);
        mv.visitFieldInsn(GETFIELD, SUPER, "misses", "I");
        iconst(1);
        mv.visitInsn(IADD);
        mv.visitFieldInsn(PUTFIELD, SUPER, "misses", "I");
    }

    /** Status of a store or AMO on the stack: 0 go on, 1 fault, 2 this page lost its decodes. */
    private void storeOutcome(int p, int len) {
        Label ok = new Label();
        mv.visitInsn(DUP);
        mv.visitJumpInsn(IFEQ, ok);
        Label invalid = new Label();
        iconst(1);
        mv.visitJumpInsn(IF_ICMPNE, invalid);
        exitWith(p, notRun(), Cpu.EXIT_FAULT);
        mv.visitLabel(invalid);
        exitAt(p + len, notRun() - 1);
        mv.visitLabel(ok);
        mv.visitInsn(POP);
    }

    /**
     * For an operation that rounds with the dynamic mode (its local, see {@link #loadFp}): leaves
     * the region as an illegal instruction (as the interpreter's helper would) if it is
     * reserved. Emitted before any operand is pushed (the exit needs an empty stack).
     */
    private void checkRoundingMode(int p, int inst) {
        if (((inst >>> 12) & 7) != 7) {
            return; // a static mode: 5 and 6 never get here, the decoder makes them illegal
        }
        Label ok = new Label();
        mv.visitVarInsn(ILOAD, RM);
        iconst(4);
        mv.visitJumpInsn(IF_ICMPLE, ok);
        mv.visitVarInsn(ALOAD, H);
        iconst(inst);
        mv.visitFieldInsn(PUTFIELD, HART, "badInstruction", "I");
        exitWith(p, notRun(), Cpu.EXIT_ILLEGAL);
        mv.visitLabel(ok);
    }

    /** Pushes the rounding mode {@link #checkRoundingMode} resolved. */
    private void pushRoundingMode(int inst) {
        int rm = (inst >>> 12) & 7;
        if (rm == 7) {
            mv.visitVarInsn(ILOAD, RM);
        } else {
            iconst(rm);
        }
    }

    /** Pushes f[reg] (raw bits), optionally with its sign flipped. */
    private void fload(int reg, boolean negate) {
        mv.visitVarInsn(LLOAD, freg(reg));
        if (negate) {
            lconst(Long.MIN_VALUE);
            mv.visitInsn(LXOR);
        }
    }

    /**
     * The binary64 operations matrix code lives on, as direct calls of the interpreter's own
     * arithmetic entries ({@code Fpu}, and {@code FpuJvm.fma64}, the host's fused multiply-add)
     * with the operands and rounding mode resolved here instead of decoded per execution: same
     * results and flags. False for everything else (the generic helper does it).
     */
    private boolean fpDirect(int p, int inst) {
        int rd = (inst >>> 7) & 31;
        int rs1 = (inst >>> 15) & 31;
        int rs2 = (inst >>> 20) & 31;
        int rm = (inst >>> 12) & 7;
        String name;
        switch (inst >>> 25) {
            case 0x01: name = "add64"; break;
            case 0x05: name = "sub64"; break;
            case 0x09: name = "mul64"; break;
            case 0x0d: name = "div64"; break;
            case 0x11: { // fsgnj.d / fsgnjn.d / fsgnjx.d (fmv.d, fneg.d, fabs.d)
                if (rm > 2) {
                    return false;
                }
                fload(rs1, false);
                lconst(Long.MAX_VALUE);
                mv.visitInsn(LAND);
                if (rm == 2) {
                    fload(rs1, false);
                    fload(rs2, false);
                    mv.visitInsn(LXOR);
                } else {
                    fload(rs2, rm == 1);
                }
                lconst(Long.MIN_VALUE);
                mv.visitInsn(LAND);
                mv.visitInsn(LOR);
                mv.visitVarInsn(LSTORE, freg(rd));
                return true;
            }
            default:
                return false;
        }
        checkRoundingMode(p, inst);
        mv.visitVarInsn(ALOAD, H);
        fload(rs1, false);
        fload(rs2, false);
        pushRoundingMode(inst);
        mv.visitMethodInsn(INVOKESTATIC, FPU, name, "(L" + HART + ";JJI)J", false);
        mv.visitVarInsn(LSTORE, freg(rd));
        return true;
    }

    /** fmadd.d / fmsub.d / fnmsub.d / fnmadd.d through the host's fma; false for binary32. */
    private boolean fmaDirect(int p, int inst) {
        if (((inst >>> 25) & 1) == 0) {
            return false;
        }
        int kind = (inst >>> 2) & 3; // 0 fmadd, 1 fmsub, 2 fnmsub, 3 fnmadd
        checkRoundingMode(p, inst);
        mv.visitVarInsn(ALOAD, H);
        fload((inst >>> 15) & 31, kind >= 2);
        fload((inst >>> 20) & 31, false);
        fload(inst >>> 27, kind == 1 || kind == 3);
        pushRoundingMode(inst);
        mv.visitMethodInsn(INVOKESTATIC, FPUJVM, "fma64", "(L" + HART + ";JJJI)J", false);
        mv.visitVarInsn(LSTORE, freg((inst >>> 7) & 31));
        return true;
    }

    /**
     * An instruction done by the interpreter's helper from its raw bits: the helper reads and
     * writes h.x, so the registers it may touch are stored before and the destination reloaded.
     */
    private void helper(int p, int len, int inst, String name, boolean faults) {
        int[] regs = {(inst >>> 15) & 31, (inst >>> 20) & 31, (inst >>> 7) & 31};
        for (int reg : regs) {
            if (reg != 0) {
                mv.visitVarInsn(ALOAD, X);
                iconst(reg);
                mv.visitVarInsn(LLOAD, reg(reg));
                mv.visitInsn(LASTORE);
            }
        }
        boolean fp = !name.equals("amo");
        if (fp) {
            // and h.f: the FP registers it may read, and its destination, which it may not write
            // (an FP instruction with an integer destination) and is reloaded after it
            for (int reg : new int[] {(inst >>> 15) & 31, (inst >>> 20) & 31, inst >>> 27, (inst >>> 7) & 31}) {
                mv.visitVarInsn(ALOAD, F);
                iconst(reg);
                mv.visitVarInsn(LLOAD, freg(reg));
                mv.visitInsn(LASTORE);
            }
        }
        mv.visitVarInsn(ALOAD, H);
        iconst(inst);
        mv.visitMethodInsn(INVOKESTATIC, HELPERS, name, "(L" + HART + ";I)Z", false);
        Label ok = new Label();
        mv.visitJumpInsn(IFNE, ok);
        if (faults) {
            exitWith(p, notRun(), Cpu.EXIT_FAULT);
        } else {
            mv.visitVarInsn(ALOAD, H);
            iconst(inst);
            mv.visitFieldInsn(PUTFIELD, HART, "badInstruction", "I");
            exitWith(p, notRun(), Cpu.EXIT_ILLEGAL);
        }
        mv.visitLabel(ok);
        int rd = regs[2];
        if (rd != 0) {
            mv.visitVarInsn(ALOAD, X);
            iconst(rd);
            mv.visitInsn(LALOAD);
            store(rd);
        }
        if (fp) {
            mv.visitVarInsn(ALOAD, F);
            iconst(rd);
            mv.visitInsn(LALOAD);
            mv.visitVarInsn(LSTORE, freg(rd));
        }
        if (faults) {
            mv.visitVarInsn(ALOAD, THIS);
            mv.visitMethodInsn(INVOKESTATIC, RT, "valid", "(L" + SUPER + ";)I", false);
            storeOutcome(p, len);
        }
    }
}
