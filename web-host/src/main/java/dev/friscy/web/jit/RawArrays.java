package dev.friscy.web.jit;

import org.teavm.interop.Intrinsified;

/**
 * Hands TeaVM's own {@code long[]} storage to translated code (compile-time intrinsics of
 * {@link dev.friscy.web.jit.teavm.RawArraysPlugin}; the Worker build only, never the JVM).
 */
public final class RawArrays {
    private RawArrays() {
    }

    /** The elements of {@code a}: the very array Java code reads and writes. */
    @Intrinsified
    public static native RawI64 of(long[] a);

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
