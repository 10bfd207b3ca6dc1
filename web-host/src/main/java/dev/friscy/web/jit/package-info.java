/**
 * The translator's Wasm back end, in the Worker: regions (see {@code dev.friscy.jit}) become Wasm
 * functions, emitted as bytes inside TeaVM's module ({@link dev.friscy.web.jit.RegionEmitter},
 * {@link dev.friscy.web.jit.ModuleWriter}), batched into one module per run slice and compiled by
 * the browser in the background while the interpreter keeps running them
 * ({@link dev.friscy.web.jit.WasmTranslator}, {@code worker.js}).
 *
 * <h2>Guest memory</h2>
 * Generated code reads and writes guest pages itself: a TLB copy ({@link
 * dev.friscy.web.jit.TranslatedTlb}) holds, per TLB index, the tag in the address space's encoding
 * and the page's own {@code long[]} storage as a Wasm GC {@code (array (mut i64))}, which a
 * compiler plugin ({@link dev.friscy.web.jit.teavm.RawArraysPlugin}) lets Java hand over. A hit is
 * a tag compare and one {@code array.get}/{@code array.set}; a miss calls TeaVM's exported helper,
 * which does the access as the interpreter would and copies the address space's entry. A run of
 * loads or stores of one size through one base register (a function saving or restoring its
 * registers) checks its page once and then accesses it without a tag compare each (an access
 * group, {@code RegionEmitter.group}); if the check fails, the run goes access by access.
 *
 * The design page proposed guest pages in linear memory (allocated from TeaVM's heap, reached
 * with {@code Address}), which the spike measured 1.8x faster than this (2,625 vs 1,421 MIPS on a
 * loop). It was not done: a page's {@code long[]} is the core's memory everywhere (page cache,
 * pipes, tar import, copy-on-write, fork, the JVM build), and linear-memory pages have no garbage
 * collector: every place a page is dropped would need an explicit free (shared pages counted),
 * where a miss is a leak and an extra free corrupts another process's memory. This way the core
 * is unchanged and the copy is exact by construction; the interpreter itself could move to
 * linear memory later behind {@code Page}.
 *
 * <h2>Branch hints</h2>
 * Each module carries a {@code metadata.code.branch_hint} section ({@link
 * dev.friscy.web.jit.ModuleWriter}): a TLB-copy miss, a helper's fault status, the budget running
 * short are marked unlikely, a chained exit finding its successor likely. V8 (Chromium 137 on)
 * then lays those paths out of line and spills there instead of on the way through: the shell
 * loop's regions took 0.87x the time. Hints on guessed conditions (guest branches, the one-page
 * cache that misses 40% of the time) made things slower.
 *
 * <h2>Floating point</h2>
 * f registers live in Wasm locals like x registers (the hart block carries them in and out). The
 * host's f64/f32 operations give RISC-V's result in RNE when no flag but NX can arise, which
 * generated code checks cheaply because programs run with NX already raised; FMA goes through a
 * certified emulation each module holds ({@link dev.friscy.web.jit.FmaFunction}); everything else
 * through the interpreter's exact code ({@link dev.friscy.web.jit.FpEmitter} has the rules).
 *
 * <h2>Leaving a region</h2>
 * Registers live in Wasm locals; the hart block in linear memory ({@link
 * dev.friscy.web.jit.HartLayout}) passes them between Java and generated code and from region to
 * region. An exit to a fixed address has a link cell: once Java has seen which translated block
 * it leads to, the exit tail-calls it ({@code return_call_indirect} over the shared table). A
 * {@code jalr} (returns, calls through pointers) looks its target up in a pc cache that Java fills
 * the same way. Cells and cache are forgotten whenever code or mappings may have changed. An exit
 * that lands on untranslated code returns to Java, which counts it in the page it landed in and,
 * once a page has seen enough of them, translates from there ({@code Jit.arrived},
 * {@link dev.friscy.web.jit.WasmTranslator#followTranslated}): code that translated code keeps
 * running into is hot, however seldom the interpreter enters it. Before the program settles into
 * a steady state such a page needs four times as many exits
 * ({@link dev.friscy.web.jit.WasmTranslator#followTranslatedUnsteady}): a start-up runs into the
 * rest of a big function (CPython's evaluation loop) everywhere, a few hundred times each. A page with no translations
 * waits for many more such exits, unless they come in a burst ({@code Jit.arrivedInBursts},
 * {@link dev.friscy.web.jit.WasmTranslator#followUntranslatedBurst}): a start-up leaves for cold
 * code everywhere, a long run for the same few pages again and again. Once most of what runs is
 * translated (a steady state, {@link dev.friscy.web.jit.WasmTranslator#followSteady}), such pages
 * need far fewer exits: what the interpreter still runs then is what translated code keeps
 * leaving for.
 */
package dev.friscy.web.jit;
