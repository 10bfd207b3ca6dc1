package dev.friscy.web.jit.teavm;

import org.teavm.backend.wasm.TeaVMWasmGCHost;
import org.teavm.backend.wasm.generate.classes.WasmGCClassInfoProvider;
import org.teavm.backend.wasm.generate.classes.WasmGCCustomTypeMapper;
import org.teavm.backend.wasm.intrinsics.WasmGCInlineIntrinsic;
import org.teavm.backend.wasm.model.WasmArray;
import org.teavm.backend.wasm.model.WasmLocal;
import org.teavm.backend.wasm.model.WasmModule;
import org.teavm.backend.wasm.model.WasmType;
import org.teavm.backend.wasm.model.instruction.WasmConditional;
import org.teavm.backend.wasm.model.instruction.WasmInstructionBuilder;
import org.teavm.model.ValueType;
import org.teavm.vm.spi.TeaVMHost;
import org.teavm.vm.spi.TeaVMPlugin;

/**
 * A TeaVM compiler plugin (it runs in the build, never in the browser) that lets translated code
 * read guest pages where the core keeps them: in the {@code long[]} of each {@code Page}.
 *
 * TeaVM's Wasm GC build stores a {@code long[]} as a struct whose data field is an
 * {@code (array (mut i64))}. That array type is final and alone in its recursion group, so a
 * module generated at run time that declares the same type gets the same canonical type and can
 * take such arrays as arguments, keep them in globals and load and store through them with
 * {@code array.get}/{@code array.set}. This plugin maps {@link dev.friscy.web.jit.RawI64} to that
 * type, {@link dev.friscy.web.jit.RawI32} to {@code int[]}'s {@code (array (mut i32))} (read by the
 * Worker's interpreter), {@link dev.friscy.web.jit.RawPages} to a new {@code (array (mut (ref null $i64s)))} (a
 * table of page payloads), and implements {@link dev.friscy.web.jit.RawArrays}' methods inline.
 */
public final class RawArraysPlugin implements TeaVMPlugin {
    private static final String RAW_I64 = "dev.friscy.web.jit.RawI64";
    private static final String RAW_I32 = "dev.friscy.web.jit.RawI32";
    private static final String RAW_PAGES = "dev.friscy.web.jit.RawPages";
    private static final String RAW_ARRAYS = "dev.friscy.web.jit.RawArrays";

    private WasmModule module;
    private WasmArray pages;

    @Override
    public void install(TeaVMHost host) {
        TeaVMWasmGCHost gc = host.getExtension(TeaVMWasmGCHost.class);
        if (gc == null) {
            return; // another target: the translator's Wasm back end is not in it
        }
        gc.addCustomTypeMapperFactory(ctx -> {
            WasmGCClassInfoProvider classes = ctx.classInfoProvider();
            WasmModule mod = ctx.module();
            return (WasmGCCustomTypeMapper) name -> {
                if (name.equals(RAW_I64)) {
                    return i64s(classes).getReference();
                }
                if (name.equals(RAW_I32)) {
                    return i32s(classes).getReference();
                }
                if (name.equals(RAW_PAGES)) {
                    return pagesType(classes, mod).getReference();
                }
                return null;
            };
        });
        gc.contributeToCodeGen((ctx, registry) -> {
            WasmGCClassInfoProvider classes = ctx.classInfoProvider();
            WasmModule mod = ctx.module();
            WasmGCInlineIntrinsic intrinsic = (call, context, code) -> {
                var longArray = classes.getClassInfo(ValueType.arrayOf(ValueType.LONG)).getStructure();
                var args = call.getArguments();
                switch (call.getMethod().getName()) {
                    case "of":
                        context.generate(code, args.get(0));
                        code.structGet(longArray, WasmGCClassInfoProvider.ARRAY_DATA_FIELD_OFFSET);
                        break;
                    case "ints": {
                        // null stays null (a page's decode array may not exist yet)
                        var intArray = classes.getClassInfo(ValueType.arrayOf(ValueType.INTEGER)).getStructure();
                        WasmLocal tmp = context.tempVars().acquire(intArray.getReference());
                        context.generate(code, args.get(0));
                        code.teeLocal(tmp);
                        code.isNull();
                        WasmConditional c = code.conditional(i32s(classes).getReference());
                        new WasmInstructionBuilder(c.getThenBlock()).nullConst(i32s(classes).getReference());
                        new WasmInstructionBuilder(c.getElseBlock()).getLocal(tmp)
                                .structGet(intArray, WasmGCClassInfoProvider.ARRAY_DATA_FIELD_OFFSET);
                        context.tempVars().release(tmp);
                        break;
                    }
                    case "get":
                    case "set": {
                        // the element type is the first parameter's: RawI32 or RawI64
                        WasmArray elements = call.getMethod().parameterType(0).isObject(RAW_I32)
                                ? i32s(classes) : i64s(classes);
                        for (var arg : args) {
                            context.generate(code, arg);
                        }
                        if (call.getMethod().getName().equals("get")) {
                            code.arrayGet(elements);
                        } else {
                            code.arraySet(elements);
                        }
                        break;
                    }
                    case "page":
                        context.generate(code, args.get(0));
                        context.generate(code, args.get(1));
                        code.arrayGet(pagesType(classes, mod));
                        break;
                    case "newPages":
                        context.generate(code, args.get(0));
                        code.arrayNewDefault(pagesType(classes, mod));
                        break;
                    case "setPage":
                        context.generate(code, args.get(0));
                        context.generate(code, args.get(1));
                        context.generate(code, args.get(2));
                        code.structGet(longArray, WasmGCClassInfoProvider.ARRAY_DATA_FIELD_OFFSET);
                        code.arraySet(pagesType(classes, mod));
                        break;
                    case "clearPage":
                        context.generate(code, args.get(0));
                        context.generate(code, args.get(1));
                        code.nullConst(i64s(classes).getReference());
                        code.arraySet(pagesType(classes, mod));
                        break;
                    default:
                        throw new IllegalArgumentException("no intrinsic " + call.getMethod());
                }
            };
            registry.inlineIntrinsics().registerIntrinsic(RAW_ARRAYS, intrinsic);
        });
    }

    private static WasmArray i32s(WasmGCClassInfoProvider classes) {
        return classes.getPrimitiveArrayType(WasmType.INT32.asStorage());
    }

    private static WasmArray i64s(WasmGCClassInfoProvider classes) {
        return classes.getPrimitiveArrayType(WasmType.INT64.asStorage());
    }

    private WasmArray pagesType(WasmGCClassInfoProvider classes, WasmModule mod) {
        if (pages == null || module != mod) {
            pages = new WasmArray(null, i64s(classes).getReference().asStorage());
            mod.types.add(pages);
            module = mod;
        }
        return pages;
    }
}
