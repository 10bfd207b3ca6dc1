package dev.friscy.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.friscy.jit.Code;
import dev.friscy.jit.Jit;
import dev.friscy.jit.Region;
import dev.friscy.jit.Translator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Code that cannot run yet (the Worker's, while the browser compiles its module): its entries stay
 * out of the decodes until {@link Code#ready}, so the interpreter runs the page at full speed
 * meanwhile instead of stopping at each entry for nothing; once ready, they are patched in, but
 * only into the decodes the code was made from.
 */
class WaitingCodeTest {
    private static final int N = 500;

    /** Code that counts its entries and runs nothing (the interpreter then runs the instruction). */
    private static final class Waiting extends Code {
        boolean compiled;
        int entered;

        @Override
        public boolean runnable() {
            return compiled;
        }

        @Override
        public long run(Hart h, int block, long left) {
            entered++;
            h.jitExit = Jit.EXIT_CONTINUE;
            return left;
        }

        void compiledNow() {
            compiled = true;
            ready();
        }
    }

    @RegisterExtension
    final JitRestore jitRestore = new JitRestore();

    private final List<Waiting> made = new ArrayList<>();

    @BeforeEach
    void install() {
        Jit.install(new Translator() {
            @Override
            public Code translate(Region r) {
                Waiting c = new Waiting();
                made.add(c);
                return c;
            }

            @Override
            public int maxInstructions() {
                return 100;
            }
        }, 0); // at first sight: the page is translated when it is first entered
    }

    /** a0 += 1, N times, then ecall. */
    private static Machine loop() {
        return new Machine().load(new Asm()
                .addi(11, 0, N)
                .addi(10, 10, 1)
                .addi(11, 11, -1)
                .bne(11, 0, -8)
                .ecall());
    }

    private static void again(Machine m) {
        m.h.pc = Machine.CODE;
        m.h.x[10] = 0;
        m.runToEcall();
        assertEquals(N, m.x(10));
    }

    @Test
    void entriesWaitUntilTheCodeIsReady() {
        Machine m = loop();
        m.runToEcall();
        assertEquals(N, m.x(10));
        assertEquals(1, made.size(), "the page was translated once");
        Waiting c = made.get(0);
        assertEquals(0, c.entered, "the interpreter stopped at an entry of code that could not run");
        again(m);
        assertEquals(0, c.entered, "still waiting");
        assertEquals(1, made.size(), "no other region from its entries while it waits");
        c.compiledNow();
        again(m);
        // each round enters it (until Jit.review gives back code that runs nothing)
        assertTrue(c.entered > 0, "the ready code was not entered");
    }

    @Test
    void readyAfterTheDecodesWereDroppedPatchesNothingCurrent() {
        Machine m = loop();
        m.runToEcall();
        Waiting first = made.get(0);
        Cpu.flushAllDecodes(); // fence.i: the page is decoded (and translated) afresh when next run
        first.compiledNow();
        again(m);
        assertEquals(0, first.entered, "entries went into decodes the interpreter no longer runs");
        assertEquals(2, made.size(), "the fresh decodes were translated again");
        assertEquals(0, made.get(1).entered);
    }
}
