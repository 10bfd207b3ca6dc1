package dev.friscy.mem;

/**
 * A copy of an address space's read and write TLB data ({@link AddressSpace#rData},
 * {@link AddressSpace#wData}) kept by another build of the interpreter in a form it reads faster:
 * the Worker's holds the pages' Wasm arrays themselves, which need no cast when read from the
 * table (see {@code Cpu.Interpreter}). The address space writes it wherever it fills its own, so
 * an entry whose tag matches names the same page in both. The JVM has none.
 */
public interface TlbMirror {
    /** Entry {@code i} of the read TLB (and of the write TLB too if {@code write}) is now {@code data}. */
    void fill(int i, long[] data, boolean write);

    /** Forgets the write TLB's entries, and the read TLB's too unless {@code writeOnly}. */
    void clear(boolean writeOnly);

    /** Makes each new address space's mirror. */
    interface Factory {
        TlbMirror create();
    }
}
