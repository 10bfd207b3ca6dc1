package dev.friscy.mem;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Loads at every offset and size agree with the bytes stored, whether the read TLB is warm or cold. */
class MisalignedLoadTest {
    static final long BASE = 0x20000000L;

    @Test
    void everyOffsetAndSizeReadsTheStoredBytes() {
        AddressSpace a = new AddressSpace();
        a.map(BASE, 2 * Page.SIZE, Prot.READ | Prot.WRITE, false, null, 0, null);
        byte[] bytes = new byte[2 * Page.SIZE];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 131 + 7);
        }
        a.write(BASE, bytes, 0, bytes.length);
        int[] starts = {0, 1, 5, 7, 8, 13, Page.SIZE - 9, Page.SIZE - 8, Page.SIZE - 7, Page.SIZE - 3, Page.SIZE - 1};
        for (boolean cold : new boolean[] {true, false}) {
            for (int start : starts) {
                for (int size : new int[] {1, 2, 4, 8}) {
                    long expected = 0;
                    for (int k = size - 1; k >= 0; k--) {
                        expected = (expected << 8) | (bytes[start + k] & 0xff);
                    }
                    if (cold) {
                        a.flushTlb();
                    }
                    assertEquals(expected, a.load(BASE + start, size), "offset " + start + " size " + size + (cold ? " cold" : " warm"));
                }
            }
        }
    }
}
