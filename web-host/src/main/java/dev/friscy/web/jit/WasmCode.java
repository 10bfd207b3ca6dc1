package dev.friscy.web.jit;

import dev.friscy.cpu.Hart;
import dev.friscy.jit.Code;
import dev.friscy.jit.Jit;

/** One translated region: a function in the shared table, or still waiting for its module. */
final class WasmCode extends Code {
    /** Table slot; {@link #PENDING} until the batch is compiled, {@link #DEAD} if it never will be. */
    int slot = PENDING;
    static final int PENDING = -1;
    static final int DEAD = -2;

    /** Only once its module is in the table: until then its entries are not patched in (Code#ready). */
    @Override
    public boolean runnable() {
        return slot >= 0;
    }

    @Override
    public long run(Hart h, int block, long left) {
        if (slot < 0) {
            // cannot happen (entries are patched in once the module is ready); should it, the
            // interpreter runs the original instructions and the call does not count (Jit.review)
            calls--;
            h.jitExit = Jit.EXIT_CONTINUE;
            return left;
        }
        return WasmRuntime.enter(h, this, block, left);
    }
}
