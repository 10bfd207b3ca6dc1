package dev.friscy.web.jit;

/**
 * Stands for the Wasm GC array {@code (array (mut i64))} that holds a {@code long[]}'s elements in
 * TeaVM's build (mapped by {@link dev.friscy.web.jit.teavm.RawArraysPlugin}); only passed on.
 */
public final class RawI64 {
    private RawI64() {
    }
}
