package dev.friscy.cpu;

import dev.friscy.jit.Code;
import dev.friscy.jit.Jit;
import dev.friscy.jit.PageCode;
import dev.friscy.mem.AddressSpace;
import dev.friscy.mem.Page;

/**
 * Runs translated code from region to region: when a region leaves at a pc where another
 * translation starts, that one is called straight away, without going back through the
 * interpreter. The next region is found the way the interpreter finds an instruction (execute TLB,
 * the page's current decodes, their JIT pseudo-op), so unmapping, {@code mprotect}, stores to code,
 * {@code fence.i} and {@code riscv_flush_icache} stop chaining exactly as they stop the interpreter.
 */
final class Dispatch {
    private static final int TLB_MASK = AddressSpace.TLB_MASK;

    private Dispatch() {
    }

    /**
     * Runs translated code from {@code h.pc}, a JIT entry, while the next pc is one too. Returns the
     * budget left and adds what ran to {@code h.instret}; {@code h.jitExit} says how it stopped
     * ({@link Jit#EXIT_CONTINUE}: keep interpreting at {@code h.pc}). Returns {@code left} unchanged
     * only if nothing at all ran.
     */
    static long run(Hart h, long left) {
        AddressSpace as = h.as;
        long[] xTag = as.xTag;
        Page[] xPage = as.xPage;
        long start = left;
        h.jitExit = Jit.EXIT_CONTINUE;
        while (left > 0) {
            long pc = h.pc;
            long vpn = pc >>> Page.SHIFT;
            int xi = (int) vpn & TLB_MASK;
            if (xTag[xi] != vpn) {
                break; // the interpreter does the page lookup and its checks
            }
            Page pg = xPage[xi];
            int[] ops = pg.decodedOps;
            int pos = (int) pc & (Page.SIZE - 1);
            if (ops == null || pg.decodeEpoch != Cpu.codeEpoch || (ops[pos] & 0xff) != Op.JIT) {
                break;
            }
            PageCode jc = pg.jit;
            if (jc == null || jc.ops != ops) {
                break;
            }
            if (left != start) {
                Jit.chained++; // a region entered straight from another one
            }
            int e = ops[pos + 1];
            // at most SLICE at a time: a call that loops for long would run in the host's
            // bytecode interpreter until the host compiles loops on stack (OSR) very late
            long give = left < Jit.SLICE ? left : Jit.SLICE;
            Code code = jc.codes[e & 0xffff];
            long l = code.run(h, e >>> 16, give) + (left - give);
            long ran = left - l;
            Jit.entries++;
            code.ran += ran;
            if (++code.calls == Jit.REVIEW) {
                Jit.review(jc, e & 0xffff);
            }
            left = l;
            if (ran == 0 || h.jitExit != Jit.EXIT_CONTINUE) {
                break;
            }
        }
        Jit.executed += start - left;
        h.instret += start - left;
        return left;
    }
}
