package dev.friscy.web.jit;

import static dev.friscy.web.jit.Wasm.*;

/**
 * Assembles region functions into one module. It imports the shared linear memory
 * ({@code env.memory}), the shared function table ({@code t.tbl}, for tail calls between regions)
 * and TeaVM's helper exports ({@code h.*}), and exports its functions as {@code f0, f1, ...}.
 *
 * With the inline TLB, the module also declares the Wasm GC types of TeaVM's {@code long[]}
 * payload and of a page table ({@link #T_I64S}, {@link #T_PAGES}), holds the TLB copy in four
 * globals ({@link #G_RTAG} ...) and exports {@code bind}, which the Worker calls once after
 * instantiating it with the arrays of {@link TranslatedTlb}.
 */
final class ModuleWriter {
    /** Helper imports in function-index order, with their type indices (see {@link #types}). */
    static final String[] HELPERS = {"ld", "st", "call", "alu", "fp", "fl"};

    private ModuleWriter() {
    }

    /** With the inline TLB: {@code (array (mut i64))}, a page's longs and a tag array. */
    static final int T_I64S = 6;
    /** {@code (array (mut (ref null $i64s)))}: page payloads by TLB index. */
    static final int T_PAGES = 7;
    private static final int T_BIND = 8;
    /** The globals holding the TLB copy: read tags, read pages, write tags, write pages. */
    static final int G_RTAG = 0;
    static final int G_RPAGES = 1;
    static final int G_WTAG = 2;
    static final int G_WPAGES = 3;
    private static final int[] GLOBAL_TYPES = {T_I64S, T_PAGES, T_I64S, T_PAGES};

    /** The type index of each helper import (fl's is the last type, see {@link #types}). */
    private static int helperType(int i, boolean inlineTlb) {
        return i < 5 ? new int[] {1, 2, 4, 5, 3}[i] : inlineTlb ? 10 : 7;
    }

    private static void types(WasmBuf m, boolean inlineTlb) {
        WasmBuf t = new WasmBuf();
        t.u32(inlineTlb ? 11 : 8);
        func(t, new int[]{T_I32}, T_I32);                                 // 0: region (block) -> exit
        func(t, new int[]{T_I64, T_I32}, T_I64);                          // 1: ld(a, kind) -> value
        func(t, new int[]{T_I64, T_I64, T_I32}, T_I32);                   // 2: st(a, v, size) -> status
        func(t, new int[]{T_I32, T_I64, T_I64, T_I64}, T_I64);            // 3: fp(inst, a, b, c) -> result
        func(t, new int[]{T_I32, T_I32, T_I64, T_I64, T_I64}, T_I64);     // 4: call(inst, kind, x1, x2, xd) -> xd
        func(t, new int[]{T_I32, T_I64, T_I64, T_I32}, T_I64);            // 5: alu(op, a, b, imm) -> value
        if (inlineTlb) {
            // each alone in its own recursion group and final, as TeaVM declares them
            t.u8(T_ARRAY).u8(T_I64).u8(1);                                // 6: $i64s
            t.u8(T_ARRAY).u8(T_REF_NULL).u32(T_I64S).u8(1);               // 7: $pages
            t.u8(T_FUNC).u32(4);                                          // 8: bind(rTag, rPages, wTag, wPages)
            for (int g : GLOBAL_TYPES) {
                t.u8(T_REF_NULL).u32(g);
            }
            t.u32(0);
        }
        func(t, new int[]{T_I64, T_I64, T_I64}, T_I64);                   // fma (see FmaFunction)
        t.u8(T_FUNC).u32(0).u32(0);                                       // fl() (see helperType)
        m.section(SEC_TYPE, t);
    }

    private static void func(WasmBuf t, int[] params, int result) {
        t.u8(T_FUNC).u32(params.length);
        for (int p : params) {
            t.u8(p);
        }
        t.u32(1).u8(result);
    }

    /**
     * The branch hint section (a custom section V8 reads since Chromium 137; others ignore it):
     * which conditions in the regions are almost never true (a TLB miss, a fault, the budget
     * running out). TurboFan then lays those paths out of line and does its spilling there,
     * not on the way through.
     */
    private static void branchHints(WasmBuf m, WasmBuf[] bodies, int count) {
        int funcs = 0;
        for (int i = 0; i < count; i++) {
            funcs += bodies[i].hintCount > 0 ? 1 : 0;
        }
        if (funcs == 0 || WasmTranslator.branchHints == 0) {
            return;
        }
        WasmBuf h = new WasmBuf(4096);
        h.name("metadata.code.branch_hint");
        h.u32(funcs);
        for (int i = 0; i < count; i++) {
            WasmBuf b = bodies[i];
            if (b.hintCount == 0) {
                continue;
            }
            h.u32(RegionEmitter.F_FMA + 1 + i);
            h.u32(b.hintCount);
            for (int k = 0; k < b.hintCount; k++) {
                h.u32(b.hints[k] >>> 1).u32(1).u8(b.hints[k] & 1);
            }
        }
        m.section(SEC_CUSTOM, h);
    }

    /** A complete module holding {@code count} functions whose bodies are {@code bodies[0..count)}. */
    static WasmBuf module(WasmBuf[] bodies, int count, boolean inlineTlb) {
        WasmBuf m = new WasmBuf(4096);
        m.u8(0).u8('a').u8('s').u8('m').u8(1).u8(0).u8(0).u8(0);
        types(m, inlineTlb);

        WasmBuf imp = new WasmBuf();
        imp.u32(2 + HELPERS.length);
        imp.name("env").name("memory").u8(0x02).u8(0x00).u32(0); // memory, min 0 pages, no max
        imp.name("t").name("tbl").u8(0x01).u8(T_FUNCREF).u8(0x00).u32(0);
        for (int i = 0; i < HELPERS.length; i++) {
            imp.name("h").name(HELPERS[i]).u8(0x00).u32(helperType(i, inlineTlb));
        }
        m.section(SEC_IMPORT, imp);

        WasmBuf fn = new WasmBuf();
        fn.u32(1 + count + (inlineTlb ? 1 : 0));
        fn.u32(inlineTlb ? 9 : 6); // the fma function first: RegionEmitter.F_FMA
        for (int i = 0; i < count; i++) {
            fn.u32(0);
        }
        if (inlineTlb) {
            fn.u32(T_BIND);
        }
        m.section(SEC_FUNCTION, fn);

        if (inlineTlb) {
            WasmBuf gl = new WasmBuf();
            gl.u32(GLOBAL_TYPES.length);
            for (int g : GLOBAL_TYPES) {
                gl.u8(T_REF_NULL).u32(g).u8(1);  // mutable
                gl.u8(REF_NULL).u32(g).u8(END);  // initially null
            }
            m.section(SEC_GLOBAL, gl);
        }

        WasmBuf ex = new WasmBuf();
        ex.u32(count + (inlineTlb ? 1 : 0));
        for (int i = 0; i < count; i++) {
            ex.name("f" + i).u8(0x00).u32(RegionEmitter.F_FMA + 1 + i);
        }
        if (inlineTlb) {
            ex.name("bind").u8(0x00).u32(RegionEmitter.F_FMA + 1 + count);
        }
        m.section(SEC_EXPORT, ex);

        branchHints(m, bodies, count);

        WasmBuf code = new WasmBuf(4096);
        code.u32(1 + count + (inlineTlb ? 1 : 0));
        WasmBuf fma = FmaFunction.body();
        code.u32(fma.n);
        code.bytes(fma);
        for (int i = 0; i < count; i++) {
            code.u32(bodies[i].n);
            code.bytes(bodies[i]);
        }
        if (inlineTlb) {
            WasmBuf bind = new WasmBuf();
            bind.u32(0); // no locals
            for (int g = 0; g < GLOBAL_TYPES.length; g++) {
                bind.u8(LOCAL_GET).u32(g).u8(GLOBAL_SET).u32(g);
            }
            bind.u8(END);
            code.u32(bind.n);
            code.bytes(bind);
        }
        m.section(SEC_CODE, code);
        return m;
    }
}
