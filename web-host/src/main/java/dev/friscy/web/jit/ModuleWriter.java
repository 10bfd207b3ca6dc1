package dev.friscy.web.jit;

import static dev.friscy.web.jit.Wasm.*;

/**
 * Assembles region functions into one module. It imports the shared linear memory
 * ({@code env.memory}), the shared function table ({@code t.tbl}, for tail calls between regions)
 * and TeaVM's helper exports ({@code h.*}), and exports its functions as {@code f0, f1, ...}.
 */
final class ModuleWriter {
    /** Helper imports in function-index order, with their type indices (see {@link #types}). */
    static final String[] HELPERS = {"ld", "st", "fld", "fst", "call", "alu"};
    private static final int[] HELPER_TYPES = {1, 2, 3, 3, 4, 5};

    private ModuleWriter() {
    }

    private static void types(WasmBuf m) {
        WasmBuf t = new WasmBuf();
        t.u32(6);
        func(t, new int[]{T_I32}, T_I32);                                 // 0: region (block) -> exit
        func(t, new int[]{T_I64, T_I32}, T_I64);                          // 1: ld(a, kind) -> value
        func(t, new int[]{T_I64, T_I64, T_I32}, T_I32);                   // 2: st(a, v, size) -> status
        func(t, new int[]{T_I64, T_I32, T_I32}, T_I32);                   // 3: fld/fst(a, kind, freg) -> status
        func(t, new int[]{T_I32, T_I32, T_I64, T_I64, T_I64}, T_I64);     // 4: call(inst, kind, x1, x2, xd) -> xd
        func(t, new int[]{T_I32, T_I64, T_I64, T_I32}, T_I64);            // 5: alu(op, a, b, imm) -> value
        m.section(SEC_TYPE, t);
    }

    private static void func(WasmBuf t, int[] params, int result) {
        t.u8(T_FUNC).u32(params.length);
        for (int p : params) {
            t.u8(p);
        }
        t.u32(1).u8(result);
    }

    /** A complete module holding {@code count} functions whose bodies are {@code bodies[0..count)}. */
    static WasmBuf module(WasmBuf[] bodies, int count) {
        WasmBuf m = new WasmBuf(4096);
        m.u8(0).u8('a').u8('s').u8('m').u8(1).u8(0).u8(0).u8(0);
        types(m);

        WasmBuf imp = new WasmBuf();
        imp.u32(2 + HELPERS.length);
        imp.name("env").name("memory").u8(0x02).u8(0x00).u32(0); // memory, min 0 pages, no max
        imp.name("t").name("tbl").u8(0x01).u8(T_FUNCREF).u8(0x00).u32(0);
        for (int i = 0; i < HELPERS.length; i++) {
            imp.name("h").name(HELPERS[i]).u8(0x00).u32(HELPER_TYPES[i]);
        }
        m.section(SEC_IMPORT, imp);

        WasmBuf fn = new WasmBuf();
        fn.u32(count);
        for (int i = 0; i < count; i++) {
            fn.u32(0);
        }
        m.section(SEC_FUNCTION, fn);

        WasmBuf ex = new WasmBuf();
        ex.u32(count);
        for (int i = 0; i < count; i++) {
            ex.name("f" + i).u8(0x00).u32(RegionEmitter.IMPORTED_FUNCS + i);
        }
        m.section(SEC_EXPORT, ex);

        WasmBuf code = new WasmBuf(4096);
        code.u32(count);
        for (int i = 0; i < count; i++) {
            code.u32(bodies[i].n);
            code.bytes(bodies[i]);
        }
        m.section(SEC_CODE, code);
        return m;
    }
}
