package dev.friscy.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.friscy.jit.Jit;
import dev.friscy.jit.Translator;
import dev.friscy.jit.jvm.JvmTranslator;
import dev.friscy.mem.AddressSpace;
import dev.friscy.mem.Prot;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The translator against the interpreter: the same program, run in the same budget slices, must
 * leave the same registers, pc, retired count and memory after every slice, whatever happens in
 * the middle of a region (faults, budget running out, self-modifying stores, fork, threads).
 */
class TranslatorTest {
    @RegisterExtension
    final JitRestore jitRestore = new JitRestore();

    /** One run's observable state after each slice. */
    private static List<String> trace(Machine m, long[] slices) {
        List<String> out = new ArrayList<>();
        for (long s : slices) {
            int why = Cpu.run(m.h, s);
            StringBuilder sb = new StringBuilder();
            sb.append("exit=").append(why).append(" pc=").append(Long.toHexString(m.h.pc)).append(" instret=")
                    .append(m.h.instret);
            for (int r = 1; r < 32; r++) {
                sb.append(' ').append(m.h.x[r]);
            }
            if (why == Cpu.EXIT_FAULT) {
                sb.append(" fault=").append(m.as.faultSignal).append('@').append(Long.toHexString(m.as.faultAddr));
                m.as.clearFault();
            }
            for (int k = 0; k < 64; k++) {
                sb.append(' ').append(m.peek(Machine.DATA + 8L * k, 8));
            }
            out.add(sb.toString());
            if (why == Cpu.EXIT_ECALL) {
                m.h.pc += 4;
            } else if (why != Cpu.EXIT_BUDGET) {
                break;
            }
        }
        return out;
    }

    /** Runs {@code program} on the interpreter and with translation at first sight; the traces must agree. */
    private static void same(Consumer<Machine> program, long[] slices) {
        Jit.install(null, 0);
        Machine a = new Machine();
        program.accept(a);
        List<String> interp = trace(a, slices);
        Jit.install(new JvmTranslator(), 0);
        Machine b = new Machine();
        program.accept(b);
        List<String> jit = trace(b, slices);
        assertTrue(Jit.regions > 0, "nothing was translated");
        assertEquals(String.join("\n", interp), String.join("\n", jit));
    }

    private static long[] randomSlices(long seed, int n, int max) {
        SplittableRandom r = new SplittableRandom(seed);
        long[] s = new long[n];
        for (int i = 0; i < n; i++) {
            s[i] = 1 + r.nextInt(max);
        }
        return s;
    }

    /** A loop with loads, stores, ALU ops and two branches; a1 counts down from 500. */
    private static Asm loop() {
        return new Asm()
                .li(10, Machine.DATA)   // a0 = data
                .addi(11, 0, 500)       // a1 = 500
                .andi(5, 11, 63)        // loop: t0 = a1 & 63
                .slli(5, 5, 3)
                .add(5, 5, 10)
                .ld(6, 5, 0)
                .add(6, 6, 11)
                .sd(6, 5, 0)
                .lw(7, 5, 4)
                .sh(7, 10, 2)
                .andi(28, 11, 3)
                .bne(28, 0, 8)          // skip the next one 3 times in 4
                .addi(29, 29, 1)
                .addi(11, 11, -1)
                .bne(11, 0, -48)
                .ecall();
    }

    @Test
    void budgetRunsOutInsideTranslatedLoops() {
        for (int seed = 0; seed < 6; seed++) {
            same(m -> m.load(loop()), randomSlices(seed, 400, seed < 3 ? 7 : 300));
        }
    }

    @Test
    void faultInTheMiddleOfABlockIsPrecise() {
        Asm a = new Asm()
                .li(10, Machine.DATA)
                .addi(11, 0, 20)
                .addi(5, 5, 1)          // loop
                .sd(5, 10, 0)
                .addi(11, 11, -1)
                .bne(11, 0, -12)
                .addi(6, 0, 7)
                .addi(7, 0, 9)
                .ld(8, 0, 16)           // address 16: unmapped
                .addi(9, 0, 1)
                .ecall();
        same(m -> m.load(a), new long[] {1000});
        same(m -> m.load(a), new long[] {50, 13, 1000});
        // a store fault into the read-only page, after a translated loop
        Asm b = new Asm()
                .li(10, Machine.RODATA)
                .addi(11, 0, 30)
                .addi(5, 5, 3)
                .addi(11, 11, -1)
                .bne(11, 0, -8)
                .addi(6, 0, 1)
                .sw(5, 10, 8)
                .ecall();
        same(m -> m.load(b), new long[] {1000});
    }

    @Test
    void storesIntoTheRunningCodeTakeEffect() {
        // code patches the immediate of an addi later in its own page, inside a hot loop
        Consumer<Machine> prog = m -> {
            m.as.map(0x80000, 0x1000, Prot.READ | Prot.WRITE | Prot.EXEC, false, null, 0, "rwx");
            Asm a = new Asm()
                    .li(10, Machine.DATA)
                    .addi(11, 0, 40)
                    .li(14, 0x28293)        // addi t0, t0, 0 (the immediate goes in bits 20..31)
                    .auipc(12, 0)           // a2 = address of this auipc
                    .slli(13, 11, 20)       // loop: a3 = addi t0, t0, a1
                    .op(6, 0, 13, 13, 14)
                    .sw(13, 12, 24)         // patch the addi at auipc + 24
                    .addi(0, 0, 0)
                    .addi(0, 0, 0)
                    .addi(5, 5, 0)          // patched: t0 += a1
                    .addi(11, 11, -1)
                    .bne(11, 0, -28)
                    .sd(5, 10, 0)
                    .ecall();
            m.load(0x80000, a);
        };
        same(prog, new long[] {100000});
        same(prog, randomSlices(42, 300, 9));
        Jit.install(new JvmTranslator(), 0);
        Machine m = new Machine();
        prog.accept(m);
        Cpu.run(m.h, 100000);
        assertEquals(40 * 41 / 2, m.peek(Machine.DATA, 8), "every patch seen");
    }

    @Test
    void fenceIAndFlushDropTranslations() {
        Jit.install(new JvmTranslator(), 0);
        Machine m = new Machine();
        m.load(new Asm().addi(11, 0, 10).addi(5, 5, 1).addi(11, 11, -1).bne(11, 0, -8).ecall()).runToEcall();
        assertEquals(10, m.x(5));
        // rewrite "addi t0, t0, 1" to "addi t0, t0, 2" behind the decoder's back, then flush
        long[] data = m.as.residentPage(Machine.CODE).data;
        data[0] = (data[0] & 0xffffffffL) | ((Asm.i(0x13, 0, 5, 5, 2) & 0xffffffffL) << 32);
        Cpu.flushIcache(m.as, Machine.CODE, Machine.CODE + 8);
        m.h.pc = Machine.CODE;
        m.runToEcall();
        assertEquals(30, m.x(5));
        data[0] = (data[0] & 0xffffffffL) | ((Asm.i(0x13, 0, 5, 5, 3) & 0xffffffffL) << 32);
        Cpu.flushAllDecodes();
        m.h.pc = Machine.CODE;
        m.runToEcall();
        assertEquals(60, m.x(5));
    }

    @Test
    void forkedChildSharesTranslationsButNotData() {
        // expected: the loop run once (parent) and twice (the child continues from the parent's data)
        Jit.install(null, 0);
        Machine ref = new Machine();
        ref.load(loop()).runToEcall();
        long[] once = words(ref);
        ref.h.pc = Machine.CODE;
        ref.runToEcall();
        long[] twice = words(ref);

        Jit.install(new JvmTranslator(), 0);
        Machine m = new Machine();
        m.load(loop()).runToEcall();
        long regions = Jit.regions;
        AddressSpace child = m.as.fork();
        Hart c = new Hart();
        c.copyFrom(m.h);
        c.as = child;
        c.pc = Machine.CODE;
        assertEquals(Cpu.EXIT_ECALL, Cpu.run(c, 1_000_000));
        assertEquals(regions, Jit.regions, "the child reused the parent's translations");
        long[] childWords = new long[64];
        for (int k = 0; k < 64; k++) {
            child.clearFault();
            childWords[k] = child.load(Machine.DATA + 8L * k, 8);
        }
        assertArrayEquals(twice, childWords, "child data");
        assertArrayEquals(once, words(m), "parent data untouched");
    }

    private static long[] words(Machine m) {
        long[] w = new long[64];
        for (int k = 0; k < 64; k++) {
            w[k] = m.peek(Machine.DATA + 8L * k, 8);
        }
        return w;
    }

    @Test
    void threadsSharingAnAddressSpaceInterleave() {
        // two harts, one address space, each adding 1 to a shared counter with amoadd.d 300 times
        for (String mode : new String[] {"off", "0"}) {
            JvmTranslator.install(mode);
            Machine m = new Machine();
            Asm a = new Asm()
                    .li(10, Machine.DATA)
                    .addi(11, 0, 300)
                    .addi(12, 0, 1)
                    .amo(0, 8, 13, 10, 12)   // amoadd.d a3, a2, (a0)
                    .addi(14, 14, 1)
                    .addi(11, 11, -1)
                    .bne(11, 0, -12)
                    .ecall();
            m.load(a);
            Hart t = new Hart();
            t.as = m.as;
            t.pc = Machine.CODE;
            SplittableRandom r = new SplittableRandom(7);
            boolean doneA = false;
            boolean doneB = false;
            while (!doneA || !doneB) {
                if (!doneA) {
                    doneA = Cpu.run(m.h, 1 + r.nextInt(20)) == Cpu.EXIT_ECALL;
                }
                if (!doneB) {
                    doneB = Cpu.run(t, 1 + r.nextInt(20)) == Cpu.EXIT_ECALL;
                }
            }
            assertEquals(600, m.peek(Machine.DATA, 8), mode);
            assertEquals(300, m.x(14), mode);
            assertEquals(300, t.x[14], mode);
        }
    }

    @Test
    void randomSlicesOverFpAndAtomics() {
        Asm a = new Asm()
                .li(10, Machine.DATA)
                .addi(11, 0, 200)
                .addi(12, 0, 3)
                .opfp(0x69, 0, 1, 11, 0)    // fcvt.d.w f1, a1
                .opfp(0x69, 0, 2, 12, 0)    // fcvt.d.w f2, a2
                .opfp(0x09, 7, 3, 1, 2)     // fmul.d f3, f1, f2
                .fsd(3, 10, 8)
                .fld(4, 10, 8)
                .opfp(0x61, 1, 13, 4, 0)    // fcvt.w.d a3, f4, rtz
                .amo(0, 8, 14, 10, 13)      // amoadd.d a4, a3, (a0)
                .addi(11, 11, -1)
                .bne(11, 0, -32)
                .ecall();
        same(m -> m.load(a), randomSlices(3, 500, 11));
        same(m -> m.load(a), new long[] {1_000_000});
    }

    @Test
    void translatedCodeMatchesTheInterpreterBitForBit() {
        long[] slices = randomSlices(9, 50, 5000);
        for (int s = 0; s < 3; s++) {
            final int seed = s;
            same(m -> m.load(RandomCode.program(seed)), slices);
        }
    }

    /** Random straight-line ALU code in a counted loop, over every translated integer op. */
    static final class RandomCode {
        static Asm program(int seed) {
            SplittableRandom r = new SplittableRandom(seed);
            Asm a = new Asm().li(10, Machine.DATA).addi(11, 0, 100);
            for (int reg = 5; reg < 10; reg++) {
                a.li(reg, r.nextLong());
            }
            int body = 0;
            Asm b = new Asm();
            for (int k = 0; k < 40; k++) {
                int rd = 5 + r.nextInt(5);
                int x = 5 + r.nextInt(5);
                int y = 5 + r.nextInt(5);
                switch (r.nextInt(12)) {
                    case 0: b.add(rd, x, y); break;
                    case 1: b.sub(rd, x, y); break;
                    case 2: b.op(1, 0, rd, x, y); break;        // sll
                    case 3: b.op(2, 0, rd, x, y); break;        // slt
                    case 4: b.op(3, 0, rd, x, y); break;        // sltu
                    case 5: b.op(5, 0x20, rd, x, y); break;     // sra
                    case 6: b.op32(0, 0, rd, x, y); break;      // addw
                    case 7: b.op32(5, 0x20, rd, x, y); break;   // sraw
                    case 8: b.op(0, 1, rd, x, y); break;        // mul
                    case 9: b.op(4, 1, rd, x, y); break;        // div
                    case 10: b.sltiu(rd, x, r.nextInt(4096) - 2048); break;
                    default: b.sraiw(rd, x, r.nextInt(32)); break;
                }
                body += 4;
            }
            byte[] code = b.bytes();
            for (int k = 0; k < b.size(); k += 4) {
                a.w32((code[k] & 0xff) | (code[k + 1] & 0xff) << 8 | (code[k + 2] & 0xff) << 16 | (code[k + 3] & 0xff) << 24);
            }
            a.sd(5, 10, 0).sd(6, 10, 8).sd(7, 10, 16).addi(11, 11, -1).bne(11, 0, -(body + 16)).ecall();
            return a;
        }
    }
}
