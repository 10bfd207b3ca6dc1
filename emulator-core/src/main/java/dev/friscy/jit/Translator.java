package dev.friscy.jit;

/**
 * A back end: turns a {@link Region} into runnable {@link Code}. Installed with
 * {@link Jit#install}; the JVM host plugs in the bytecode back end, the Worker the Wasm one, so
 * the core itself never reaches either.
 */
public interface Translator {
    /**
     * Translates {@code r}; null if this back end will not. The front end then retries with
     * smaller regions from the same entry (so a back end with a code-size limit returns null for
     * a region too big), and leaves the entry to the interpreter if none is taken. Called on the
     * interpreter's thread, between instructions.
     */
    Code translate(Region r);

    /**
     * The most instructions a region may hold for this back end (e.g. to keep a JVM method under
     * HotSpot's huge-method limit).
     */
    int maxInstructions();

    /**
     * The most instructions of a region made for code that translated code calls
     * ({@link Jit#linked}): what is reachable from its entry, mostly cold, so less than
     * {@link #maxInstructions()} suits a back end that pays compile time per instruction.
     */
    default int maxLinked() {
        return maxInstructions();
    }

    /**
     * True if this back end's code calls the code it leaves for directly and goes on when the guest
     * comes back (the JVM's, through {@code Dispatch.link}): then a loop that calls out of its page
     * each time round (a merge loop and its comparator) is worth translating, and so is what it
     * calls ({@link Jit#linked}); see {@link Jit#hot}.
     */
    default boolean linksCalls() {
        return false;
    }

    /**
     * True if outside code should enter this back end's regions only where it enters by nature
     * ({@link Region#keepEntries}); false: at every block.
     */
    default boolean fewEntries() {
        return false;
    }

    /**
     * The most budget one call into this back end's code gets ({@link Jit#slice}). The JVM's
     * returns every {@link Jit#SLICE} instructions so that HotSpot sees its code as hot; a back
     * end whose code the host compiles ahead of running it need not.
     */
    default long slice() {
        return Jit.SLICE;
    }

    /**
     * True if this back end's regions may run on into the next page ({@link Region#page2}): a
     * loop that straddles a page boundary is then built as one region.
     */
    default boolean spansPages() {
        return false;
    }

    /**
     * The same region as {@code c} translated again with its memory accesses' slow paths in
     * line instead of leaving on a TLB miss (see Jit#missed); null if this back end has none.
     */
    default Code withoutMissExits(Code c) {
        return null;
    }
}
