package dev.friscy.web.jit;

import dev.friscy.jit.Code;
import dev.friscy.jit.Region;
import dev.friscy.jit.Translator;
import org.teavm.interop.Address;

/**
 * The Worker's back end: regions become Wasm functions, batched into modules. A region's code is
 * pending (the interpreter keeps running it) until its batch is compiled: when the batch is full,
 * or when the Worker calls {@link #flush} between its run steps, so one compile serves the many
 * regions a program's hot phase produces together.
 */
public final class WasmTranslator implements Translator {
    /** Regions per module at most. */
    static final int BATCH = 64;
    /** Instructions per region at most: keeps V8's compile of one function short. */
    static final int MAX_INSTRUCTIONS = 200;

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

    @Override
    public int maxInstructions() {
        return MAX_INSTRUCTIONS;
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

    /** Compiles the pending regions into one module and makes them runnable. */
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
        int first = WasmRuntime.install(scratch, m.n);
        for (int i = 0; i < pending; i++) {
            codes[i].slot = first < 0 ? WasmCode.DEAD : first + i;
            codes[i] = null;
            bodies[i] = null;
        }
        if (first < 0) {
            failures++;
        } else {
            modules++;
            moduleBytes += m.n;
        }
        pending = 0;
    }
}
