package dev.friscy.web.jit;

/**
 * A growable byte buffer with the encodings of the WebAssembly binary format (LEB128 integers,
 * names, sections). Plain Java: it runs inside TeaVM in the Worker and in JUnit on the JVM.
 */
final class WasmBuf {
    byte[] b;
    int n;
    /**
     * Branch hints for a function body (see {@link ModuleWriter}): the offset of each hinted
     * {@code if} or {@code br_if}, shifted left once, bit 0 set if its condition is likely true.
     */
    int[] hints = new int[16];
    int hintCount;

    WasmBuf() {
        this(256);
    }

    WasmBuf(int capacity) {
        b = new byte[capacity];
    }

    void clear() {
        n = 0;
        hintCount = 0;
    }

    /** Hints the {@code if} or {@code br_if} about to be written: its condition is (un)likely true. */
    WasmBuf hint(boolean likely) {
        if (hintCount == hints.length) {
            int[] nh = new int[hints.length * 2];
            System.arraycopy(hints, 0, nh, 0, hintCount);
            hints = nh;
        }
        hints[hintCount++] = n << 1 | (likely ? 1 : 0);
        return this;
    }

    private void room(int k) {
        if (n + k > b.length) {
            byte[] nb = new byte[Math.max(b.length * 2, n + k)];
            System.arraycopy(b, 0, nb, 0, n);
            b = nb;
        }
    }

    WasmBuf u8(int v) {
        room(1);
        b[n++] = (byte) v;
        return this;
    }

    /** Unsigned LEB128. */
    WasmBuf u32(long v) {
        room(10);
        do {
            int c = (int) (v & 0x7f);
            v >>>= 7;
            b[n++] = (byte) (v != 0 ? c | 0x80 : c);
        } while (v != 0);
        return this;
    }

    /** Signed LEB128 (i32.const and i64.const immediates). */
    WasmBuf s64(long v) {
        room(10);
        while (true) {
            int c = (int) (v & 0x7f);
            v >>= 7;
            if ((v == 0 && (c & 0x40) == 0) || (v == -1 && (c & 0x40) != 0)) {
                b[n++] = (byte) c;
                return this;
            }
            b[n++] = (byte) (c | 0x80);
        }
    }

    /** An ASCII name, length first. */
    WasmBuf name(String s) {
        u32(s.length());
        room(s.length());
        for (int i = 0; i < s.length(); i++) {
            b[n++] = (byte) s.charAt(i);
        }
        return this;
    }

    WasmBuf bytes(WasmBuf o) {
        room(o.n);
        System.arraycopy(o.b, 0, b, n, o.n);
        n += o.n;
        return this;
    }

    /** A section: id, byte size, contents. */
    WasmBuf section(int id, WasmBuf body) {
        u8(id);
        u32(body.n);
        return bytes(body);
    }

    byte[] toArray() {
        byte[] r = new byte[n];
        System.arraycopy(b, 0, r, 0, n);
        return r;
    }
}
