package dev.friscy.web.jit;

import dev.friscy.mem.AddressSpace;
import dev.friscy.mem.TlbMirror;

/**
 * The Worker's {@link TlbMirror}: the TLB's page payloads as tables of Wasm arrays, which the
 * Worker's interpreter reads with one {@code array.get} where {@code rData[ti]} costs a load, a
 * cast and the array object's data field.
 */
public final class RawTlb implements TlbMirror {
    public final RawPages r = RawArrays.newPages(AddressSpace.TLB_SIZE);
    public final RawPages w = RawArrays.newPages(AddressSpace.TLB_SIZE);

    @Override
    public void fill(int i, long[] data, boolean write) {
        RawArrays.setPage(r, i, data);
        if (write) {
            RawArrays.setPage(w, i, data);
        }
    }

    @Override
    public void clear(boolean writeOnly) {
        // the tags are gone already; this lets the pages go
        for (int i = 0; i < AddressSpace.TLB_SIZE; i++) {
            RawArrays.clearPage(w, i);
            if (!writeOnly) {
                RawArrays.clearPage(r, i);
            }
        }
    }
}
