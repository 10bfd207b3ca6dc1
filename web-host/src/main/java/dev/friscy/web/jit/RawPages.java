package dev.friscy.web.jit;

/**
 * Stands for {@code (array (mut (ref null (array (mut i64)))))}: a table of page payloads that
 * translated code indexes like the TLB (mapped by {@link dev.friscy.web.jit.teavm.RawArraysPlugin}).
 */
public final class RawPages {
    private RawPages() {
    }
}
