/**
 * The translator's front end and its contract with the back ends (JVM bytecode in
 * {@code dev.friscy.jit.jvm}, Wasm in the Worker). Plain Java: it compiles under TeaVM.
 *
 * <h2>How code gets translated</h2>
 * The interpreter ({@link dev.friscy.cpu.Cpu}) counts, per decoded code page, taken backward
 * branches inside the page (one counter in the page's decode array, counted without a branch,
 * {@link Jit#loopCost} each) and entries into it (a second counter; at threshold 0 or with
 * {@link Jit#countEntries} they take {@link Jit#entryCost} off the first one too). The counter is checked at page entry only (a loop that
 * never leaves its page is seen at the start of its next time slice); when it has run out the
 * interpreter calls {@link Jit#hot}. Past a threshold, code is hot because it loops: a page is
 * translated only if it saw at least {@link Jit#minLoop} backward branches per entry (call-heavy
 * code - a shell, node's start-up - runs a loop a few times per visit, and translated it runs a
 * few instructions per call, for a class HotSpot must compile), and the region is just the blocks
 * on a cycle through the position the page was entered at (none if it is on no cycle). At
 * threshold 0 (first sight, for tests) every page entry counts and the region is everything
 * reachable in the page from there. A back end that links calls ({@link Translator#linksCalls},
 * the JVM's) also gets: a loop that calls out of its page each time round (qsort's merge loop and
 * its comparator: the page is entered again with every return), if its page entries per 100
 * backward branches lie between {@link Jit#CALL_LOOP_MIN_ENTRIES} and {@link Jit#CALL_LOOP_ENTRIES},
 * or between {@link Jit#LONG_LOOP_MIN_ENTRIES} and {@link Jit#LONG_LOOP_ENTRIES} (a long loop that
 * calls out on most or all of its iterations: libgcc's frame-description walk at every static program's
 * start), it has at most {@link Jit#CALL_LOOP_MAX} instructions, and it stays hot for
 * {@link Jit#CALL_LOOP_ROUNDS} thresholds;
 * loops that leave the page for a fixed address and come back (a loop whose tail is in the next
 * page); when the hot position is on no loop, the first loop reachable from it; and the code such
 * translations keep calling ({@link Jit#linked}: after {@link Jit#LINK_THRESHOLD} calls that found
 * no translation in a page, what is reachable from the called position, up to the end of the
 * function, translated without the loop rule; its own calls make nothing more hot, so translation
 * does not spread from a loop through everything it reaches).
 * At the JVM's default threshold entries count too ({@link Jit#countEntries}: an entry weighs a
 * twentieth of a backward branch), for busy code: a page hot mostly by entries, a page whose
 * loops run too few times per entry, or a calling loop too big to take alone, that keeps coming
 * back hot for {@link Jit#busyRounds} thresholds (a shell's evaluation, its allocator and string
 * functions, in a long run) is translated from its hot position like a page at threshold 0, and
 * what it calls follows through {@link Jit#linked}. A short program's start-up rarely stays busy
 * that long, so it pays no compile time for it.
 * {@link Jit#hot} hands the {@link Region} to the installed
 * {@link Translator} and patches an {@code Op.JIT} pseudo-op over the first instruction of every
 * block of the region; for code that cannot run yet ({@link Code#runnable}: the Worker's, while the
 * browser compiles its module) only once the back end says it can ({@link Code#ready}), so that
 * the interpreter does not stop at those entries for nothing meanwhile.
 *
 * <h2>Running translated code</h2>
 * When the interpreter reaches a patched position (by fall-through, branch or page entry) it
 * stops, and {@code Cpu.run}'s driver hands over to {@code dev.friscy.cpu.Dispatch}, which calls
 * {@link Code#run} and, as long as the region leaves at the entry of another translation (found
 * through the execute TLB and the page's current decodes, like the interpreter finds an
 * instruction), calls that one straight away: regions chain without the interpreter in between.
 * Keeping these calls out of the interpreter's method matters on HotSpot: a call site that sees a
 * new class with every region, and branches first taken when translation starts, made C2
 * deoptimize and recompile the whole interpreter again and again. The JVM's regions also call out
 * themselves ({@code Dispatch.link}): a region leaving its page normally (a call, a jump or
 * fall-through into another page) writes its registers back and runs the code it leaves for,
 * region to region, until the guest comes back to its page (or to the page of a caller further
 * out: up to {@code Dispatch.MAX_LINK_DEPTH} such calls are active); then, if it came back to one
 * of its blocks with the region still valid and a whole region's worth of budget left, it reloads
 * its registers and goes on there, so a call and its return cost no trip through the dispatcher.
 * Anything else (a fault, the interpreter needed, too little budget) returns as the callee left
 * it. Translations that run less than {@link Jit#minRun} instructions per call are given back to
 * the interpreter after {@link Jit#REVIEW} calls, before HotSpot compiles their class
 * (translations that call out are looked at again up to {@link Jit#LINK_REVIEWS} times, while
 * what they call gets translated; entries made from translated code are not reviewed). A back end
 * whose regions run on into each other (the Worker's) sets {@link Jit#reinstate}: code given back
 * is patched in again, without translating it again, at its page's next hot event, and
 * {@link Jit#rehot} arms a page that has translations with a smaller counter so its other hot
 * entries follow sooner.
 *
 * <h2>What a region is</h2>
 * A set of basic blocks inside ONE 4 KiB code page, reachable from the hot position through
 * in-page branches and fall-through. A block is a straight run of instructions ending after a
 * branch, {@code jal} or {@code jalr}, before an instruction the interpreter must do itself
 * ({@code ecall}, {@code ebreak}, CSR access, {@code fence.i}, an illegal or page-crossing
 * instruction), before another block's start, or at the end of the page. FP, atomic,
 * multiply/divide and bit-manipulation instructions stay inside blocks and call the interpreter's
 * own helpers ({@link dev.friscy.cpu.Helpers}). A region never depends on the page's virtual
 * address: the page base comes from {@code h.pc} at entry, so one translation serves every
 * process mapping the same page (page-cache pages are shared after fork and exec).
 *
 * <h2>Exits and precise state</h2>
 * Translated code returns to the interpreter with every guest register it changed written back to
 * {@code h.x}, {@code h.pc} the exact next instruction, and the budget left. Exits:
 * {@link Jit#EXIT_CONTINUE} (leaving the region: a branch out of it, {@code jalr}, an instruction
 * it does not translate, the end of the page, not enough budget for the next block, or a store
 * that invalidated the region's own page), {@code Cpu.EXIT_FAULT} (pc is the faulting
 * instruction, {@code as.fault*} set by the slow path) and {@code Cpu.EXIT_ILLEGAL} (pc the
 * instruction, {@code h.badInstruction} its bits). Signals are delivered by the kernel after
 * {@code Cpu.run} returns, so at region exits.
 *
 * <h2>Budget</h2>
 * Translated code never runs past the budget it is given and charges exactly what it ran, so
 * {@code h.instret} and the kernel's time slices, timers and {@code ^C} work as with the
 * interpreter. Each block is charged its instruction count when it is entered (so loops are
 * charged on every iteration). A back end may check the budget less often than per block: the JVM
 * back end checks on entry and on back-edges that there is at least a whole region's worth left
 * (no path between two checks runs more), and otherwise exits with {@link Jit#EXIT_CONTINUE} at a
 * block start without charging it. The interpreter then finishes the budget exactly, instruction by
 * instruction (if nothing at all ran, it runs the original instruction from the page's plain
 * decodes). A fault refunds the instructions of its block not executed. The dispatcher gives one
 * call at most {@link Jit#SLICE} of budget.
 *
 * <h2>Invalidation</h2>
 * Translations hang off the page's decode array ({@link PageCode} in
 * {@link dev.friscy.mem.Page#jit}): whatever drops the decodes drops them too - a store to the
 * page (pages with decodes have no fast write path), {@code fence.i} (a new code epoch),
 * {@code riscv_flush_icache}, a write through the file system into a page-cache page. Unmapping
 * or protecting a page flushes the execute TLB, so no region is entered without the interpreter's
 * page lookup (a call out looks its callee up the same way; the caller goes on afterwards only if
 * its own page still has the decodes it was built from, in the current code epoch). Generated code that stores to its own page checks after every slow-path store
 * whether the page's decodes are still the ones it was built from, and exits if not.
 */
package dev.friscy.jit;
