package dev.friscy.web.jit;

/**
 * Stands for the Wasm GC array {@code (array (mut i32))} that holds an {@code int[]}'s elements in
 * TeaVM's build (mapped by {@link dev.friscy.web.jit.teavm.RawArraysPlugin}): what the Worker's
 * interpreter keeps of a page's decode array.
 */
public final class RawI32 {
    private RawI32() {
    }
}
