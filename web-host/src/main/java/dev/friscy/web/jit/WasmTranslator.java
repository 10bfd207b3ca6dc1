package dev.friscy.web.jit;

import dev.friscy.jit.Code;
import dev.friscy.jit.Jit;
import dev.friscy.jit.Region;
import dev.friscy.jit.Translator;
import java.util.ArrayList;
import org.teavm.interop.Address;

/**
 * The Worker's back end: regions become Wasm functions, batched into modules. A region's code is
 * pending (the interpreter keeps running it) until its batch is compiled: when the batch is full,
 * or when the Worker calls {@link #flush} between its run steps, so one compile serves the many
 * regions a program's hot phase produces together.
 */
public final class WasmTranslator implements Translator {
    /**
     * Page entries and taken backward branches a page sees before the code it is entered at is
     * translated (the Worker's default, see WorkerMain.friscy_jit). High enough that code run a
     * few thousand times (node's start-up) stays interpreted: translating it costs more than it
     * saves; busybox sh's loop enters its pages far more often.
     */
    public static final int THRESHOLD = 300000;
    /**
     * Instructions a call from the interpreter must run on average for its code to stay (see
     * Jit.review): lower than the JVM's, since a region here runs on into its translated
     * neighbours, and code given back comes back at its page's next hot event.
     */
    public static final int MIN_RUN = 32;
    /** The counter of a page with translations (Jit.rehot): its other entries come sooner. */
    public static final int REHOT = 30000;
    /** Regions per module at most. */
    static final int BATCH = 64;
    /**
     * Instructions per region at most: keeps V8's compile of one function short. V8 compiles
     * (and tiers up) the generated modules on its background threads, which on a 2-core machine
     * take CPU from the Worker: busybox sh's 100k loop made them spend 6.9-8.3 s of CPU with
     * regions of up to 200 instructions (1.5 MB of Wasm), 4.8-5.0 s with 100 (1.2 MB), against
     * 0.9 s interpreted; the loop took 8.5-9.3 s instead of 9.6-11.6 s, cpubench no slower.
     */
    public static int maxInstructions = 100;
    /**
     * Where translated code leaves for untranslated code, that code is translated after this
     * many such exits into its page ({@link Jit#arrived}): a page that has translations
     * already, or one that has none. The page's own counter makes one region from wherever it
     * runs out, and the review gives back regions entered from Java for few instructions, so
     * code that translated code keeps running into (a callee, the side of a branch a region
     * did not take in) stayed interpreted: busybox sh's 100k loop left translated code 2.5 M
     * times for ~300 M of its 1.47 G instructions interpreted, half the Worker's time. Pages without translations need many more exits, since a
     * program's start-up leaves for cold code everywhere: at 256 node -e made 1,742 regions
     * (8.7 MB of Wasm) and ran 2x slower; at 16,384 151 regions, as many as without.
     */
    public static int followTranslated = Jit.LINK_THRESHOLD;
    /**
     * {@link #followTranslated} while the program is not in a steady state ({@link
     * WasmRuntime#steady}): a start-up's translated code leaves for the rest of a big function
     * (CPython's evaluation loop, spread over many pages) everywhere, once or a few hundred
     * times each, and translating each of those ways cost more than it saved. Set to {@link
     * #followTranslated}'s 256 it was one rule for both (see docs/performance.md). With
     * {@link #followSteady} 0 no state counts as steady, so this one applies throughout.
     */
    public static int followTranslatedUnsteady = 1024;
    public static int followUntranslated = 16384;
    /**
     * Exits into a page without translations that come this close together, {@code
     * followUntranslatedBurst} within one window of {@code 1 << burstWindowShift} guest
     * instructions (one per 4 k instructions), get it translated without waiting for {@link
     * #followUntranslated}: a long run takes some ways out into such pages in bursts, a
     * start-up's exits into cold code are spread out. busybox sh's 100k loop leaves for ~100 such
     * places; a few come in bursts and are translated early, most are spread over the whole run
     * (~190 per window) and still wait for the total (sh 0.96x of the Worker's CPU with this
     * rule, node -e unchanged; see docs/performance.md). Rates tried on both: 1,024 exits in all
     * for every page gave sh 0.87x of the Worker's CPU but node -e 1,100 regions instead of 180
     * and 1.5x its time; bursts of 1,024, 2,048 or 3,072 per window, 512 per 4 M and 256 per
     * 1 M instructions also made node 250-510 regions; 4,096 per 16 M leaves node as it was.
     */
    public static int followUntranslatedBurst = 4096;
    public static int burstWindowShift = 24;
    /**
     * Exits into a page without translations needed while the program is in a steady state: in
     * the last window of {@code 1 << burstWindowShift} guest instructions, at least {@code
     * steadyShare}/16 of them ran translated ({@link WasmRuntime#steady}). Then what is still
     * interpreted is mostly code translated code keeps leaving for, in short visits that cost
     * far more per instruction than the regions around them. busybox sh's 100k loop runs 34%,
     * 70%, then 85-94% of each window translated while ~20 such pages collect their 16,384 exits
     * (~1,200 per window each, under the burst rate) over its first 250 M instructions; with
     * this rule they are translated from its fourth window on. node -e runs 0-40% of most
     * windows translated (a few start-up windows more), so its policy stays as it was. 0 turns
     * the rule off.
     */
    public static int followSteady = 512;
    /**
     * 1: exits at a block's end write back what their way may have changed and chain in place
     * (RegionEmitter.exitHere); 0: through the shared epilogue, every register the region writes.
     */
    public static int inlineExits = 1;
    /** 1: modules carry branch hints (ModuleWriter.branchHints); 0: none. */
    public static int branchHints = 1;
    /** 1: an access group that cannot take its page goes access by access through the helpers. */
    public static int groupHelpers = 1;
    public static int steadyShare = 12;
    /**
     * 1: translated code keeps the x registers in the hart block, every use a load and every
     * write a store (RegionEmitter); 0: in Wasm locals, loaded at entry and written back at exits.
     */
    public static int xInMemory = 1;
    /** The same for the f registers: 1 in the hart block (the default), 0 in Wasm locals. */
    public static int fInMemory = 1;

    /**
     * Sets the Worker back end's knob {@code name} (the page's {@code jitTune}): "" if set, what
     * is wrong with the value, or null if this back end has no such knob (then it may be
     * {@link Jit#tune}'s).
     */
    public static String tune(String name, int v) {
        switch (name) {
            case "maxInstructions": maxInstructions = v; break;
            case "followTranslated": followTranslated = v; break;
            case "followTranslatedUnsteady": followTranslatedUnsteady = v; break;
            case "followUntranslated": followUntranslated = v; break;
            case "followUntranslatedBurst": followUntranslatedBurst = v; break;
            case "groupHelpers": groupHelpers = v; break;
            case "branchHints": branchHints = v; break;
            case "inlineExits": inlineExits = v; break;
            case "xInMemory": xInMemory = v; break;
            case "fInMemory": fInMemory = v; break;
            case "followSteady": followSteady = v; break;
            case "steadyShare":
                if (v < 0 || v > 16) {
                    return "steadyShare must be 0-16";
                }
                steadyShare = v;
                break;
            case "burstWindowShift":
                if (v < 10 || v > 40) {
                    return "burstWindowShift must be 10-40";
                }
                burstWindowShift = v;
                break;
            default: return null;
        }
        return "";
    }

    private final WasmBuf[] bodies = new WasmBuf[BATCH];
    private final WasmCode[] codes = new WasmCode[BATCH];
    private int pending;
    private int scratch;
    private int scratchSize;

    // statistics
    public static int modules;
    public static long moduleBytes;
    public static int failures;

    public WasmTranslator() {
        WasmRuntime.init();
    }

    /**
     * The whole budget: V8 compiles a module before its code runs, so nothing is gained by
     * returning to Java every {@link Jit#SLICE} instructions, and each return cost a region that
     * would not start for lack of budget and a round trip through the interpreter.
     */
    @Override
    public long slice() {
        return Long.MAX_VALUE;
    }

    @Override
    public int maxInstructions() {
        return maxInstructions;
    }

    @Override
    public Code translate(Region r) {
        if (pending == BATCH) {
            flush();
        }
        WasmBuf body;
        try {
            body = RegionEmitter.emit(r, WasmRuntime.layout, WasmRuntime::newCell);
        } catch (IllegalStateException e) {
            return null;
        }
        WasmCode c = new WasmCode();
        bodies[pending] = body;
        codes[pending] = c;
        pending++;
        return c;
    }

    /** Regions waiting for their module. */
    public int pending() {
        return pending;
    }

    /** Batches being compiled, by batch number (in flight at once: a few). */
    private static final ArrayList<WasmCode[]> inFlight = new ArrayList<>();
    private static final ArrayList<Integer> inFlightIds = new ArrayList<>();
    private static int nextBatch;

    /** Starts compiling the pending regions as one module; they run as Wasm once it is ready. */
    public void flush() {
        if (pending == 0) {
            return;
        }
        WasmBuf m = ModuleWriter.module(bodies, pending, WasmRuntime.layout.inlineTlb);
        if (m.n > scratchSize) {
            if (scratchSize > 0) {
                org.teavm.runtime.heap.Heap.release(Address.fromInt(scratch));
            }
            scratchSize = Math.max(m.n, 64 << 10);
            scratch = org.teavm.runtime.heap.Heap.alloc(scratchSize).toInt();
        }
        for (int i = 0; i < m.n; i++) {
            Address.fromInt(scratch + i).putByte(m.b[i]);
        }
        WasmCode[] batch = new WasmCode[pending];
        for (int i = 0; i < pending; i++) {
            batch[i] = codes[i];
            codes[i] = null;
            bodies[i] = null;
        }
        int id = nextBatch++;
        inFlight.add(batch);
        inFlightIds.add(id);
        moduleBytes += m.n;
        pending = 0;
        WasmRuntime.compile(scratch, m.n, id);
    }

    /** Batch {@code id} is ready from table slot {@code first} on, or failed ({@code first < 0}). */
    static void installed(int id, int first) {
        int k = inFlightIds.indexOf(id);
        if (k < 0) {
            return;
        }
        WasmCode[] batch = inFlight.remove(k);
        inFlightIds.remove(k);
        for (int i = 0; i < batch.length; i++) {
            batch[i].slot = first < 0 ? WasmCode.DEAD : first + i;
            if (first >= 0) {
                batch[i].ready(); // its entries go in now (a failed batch's never do)
            }
        }
        if (first < 0) {
            failures++;
        } else {
            modules++;
        }
    }
}
