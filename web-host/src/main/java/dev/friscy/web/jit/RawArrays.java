package dev.friscy.web.jit;

import org.teavm.interop.Intrinsified;

/**
 * Hands TeaVM's own array storage to translated code and to the Worker's interpreter
 * (compile-time intrinsics of {@link dev.friscy.web.jit.teavm.RawArraysPlugin}; the Worker build
 * only, never the JVM). A Java array is a struct around its Wasm array in TeaVM's GC build, so
 * code that keeps the Wasm array in a local saves a dependent load at every access (V8 does not
 * hoist the struct's field out of a loop). An out-of-range index traps where Java would throw, so
 * callers index within bounds by construction (masked register numbers, TLB and page offsets).
 */
public final class RawArrays {
    private RawArrays() {
    }

    /** The elements of {@code a}: the very array Java code reads and writes. */
    @Intrinsified
    public static native RawI64 of(long[] a);

    /** The elements of {@code a}, or null if {@code a} is null. */
    @Intrinsified
    public static native RawI32 ints(int[] a);

    /** {@code a[i]}, bounds-checked as Java's. */
    @Intrinsified
    public static native int get(RawI32 a, int i);

    /** {@code a[i]}, bounds-checked as Java's. */
    @Intrinsified
    public static native long get(RawI64 a, int i);

    /** {@code a[i] = v}, bounds-checked as Java's. */
    @Intrinsified
    public static native void set(RawI32 a, int i, int v);

    /** {@code a[i] = v}, bounds-checked as Java's. */
    @Intrinsified
    public static native void set(RawI64 a, int i, long v);

    /** {@code pages[i]}: a page payload, or null. */
    @Intrinsified
    public static native RawI64 page(RawPages pages, int i);

    /** A table of {@code n} page payloads, all null. */
    @Intrinsified
    public static native RawPages newPages(int n);

    /** {@code pages[i] = of(page)}; {@code page} must not be null. */
    @Intrinsified
    public static native void setPage(RawPages pages, int i, long[] page);

    /** {@code pages[i] = null}. */
    @Intrinsified
    public static native void clearPage(RawPages pages, int i);
}
