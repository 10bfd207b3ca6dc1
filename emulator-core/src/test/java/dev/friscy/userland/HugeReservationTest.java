package dev.friscy.userland;

import dev.friscy.mem.AddressSpace;
import dev.friscy.mem.Prot;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reserving terabytes of address space (an ELF with a huge bss, a runtime's PROT_NONE arena at
 * a high hint) costs nothing until pages are touched; unmapping or exiting must not cost time
 * in proportion to the size either. friscy used to visit every page of the range when freeing
 * it: 32 TiB took 8 seconds here, 2^46 bytes half a minute.
 */
class HugeReservationTest {
    @Test
    void unmappingAHugeSparseMappingIsQuick() {
        AddressSpace as = new AddressSpace();
        long start = 1L << 40;
        long len = 1L << 45;
        as.map(start, len, Prot.READ | Prot.WRITE, false, null, 0, null);
        byte[] one = {42};
        for (long off = 0; off < len; off += 1L << 42) {
            assertTrue(as.poke(start + off, one, 0, 1), "touch at +" + off);
        }
        long t0 = System.nanoTime();
        as.unmap(start + (len >>> 1), len >>> 1);
        as.release();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < 5_000, "freeing 32 TiB with 8 resident pages took " + ms + " ms");
    }
}
