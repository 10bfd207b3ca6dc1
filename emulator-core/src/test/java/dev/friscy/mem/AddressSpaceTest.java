package dev.friscy.mem;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AddressSpaceTest {
    static final long BASE = 0x10000000L;

    @Test
    void forkSharesPagesUntilAWrite() {
        AddressSpace a = new AddressSpace();
        a.map(BASE, 3 * Page.SIZE, Prot.READ | Prot.WRITE, false, null, 0, null);
        assertTrue(a.store(BASE, 8, 0x1122334455667788L));
        assertTrue(a.store(BASE + Page.SIZE, 4, 7));
        AddressSpace b = a.fork();
        Page pa = a.pageForRead(BASE);
        Page pb = b.pageForRead(BASE);
        assertSame(pa, pb, "fork copies page tables, not pages");
        assertEquals(2, pa.sharers);
        assertTrue(b.store(BASE, 8, 42));
        assertEquals(0x1122334455667788L, a.load(BASE, 8), "parent unaffected by child's write");
        assertEquals(42, b.load(BASE, 8));
        assertNotSame(a.pageForRead(BASE), b.pageForRead(BASE));
        assertEquals(1, a.pageForRead(BASE).sharers);
        assertEquals(7, b.load(BASE + Page.SIZE, 4), "untouched pages still shared and readable");
        assertSame(a.pageForRead(BASE + Page.SIZE), b.pageForRead(BASE + Page.SIZE));
    }

    @Test
    void protectionsAndUnmappedAddressesFault() {
        AddressSpace a = new AddressSpace();
        a.map(BASE, Page.SIZE, Prot.READ, false, null, 0, null);
        assertFalse(a.store(BASE, 4, 1));
        assertEquals(AddressSpace.SIGSEGV, a.faultSignal);
        assertEquals(AddressSpace.SEGV_ACCERR, a.faultCode);
        a.clearFault();
        a.load(BASE + Page.SIZE, 4);
        assertEquals(AddressSpace.SEGV_MAPERR, a.faultCode);
        assertEquals(BASE + Page.SIZE, a.faultAddr);
    }

    @Test
    void misalignedAndPageCrossingAccessesWork() {
        AddressSpace a = new AddressSpace();
        a.map(BASE, 2 * Page.SIZE, Prot.READ | Prot.WRITE, false, null, 0, null);
        long addr = BASE + Page.SIZE - 3;
        assertTrue(a.store(addr, 8, 0x0102030405060708L));
        assertEquals(0x0102030405060708L, a.load(addr, 8));
        assertEquals(0x0708, a.load(addr, 2));
    }

    @Test
    void crossPageStoreThatFaultsChangesNothing() {
        AddressSpace a = new AddressSpace();
        a.map(BASE, Page.SIZE, Prot.READ | Prot.WRITE, false, null, 0, null);
        assertFalse(a.store(BASE + Page.SIZE - 2, 4, -1));
        a.clearFault();
        assertEquals(0, a.load(BASE + Page.SIZE - 2, 2));
    }

    @Test
    void unmapSplitsMappingsAndBrkGrowsAndShrinks() {
        AddressSpace a = new AddressSpace();
        a.map(BASE, 4 * Page.SIZE, Prot.READ | Prot.WRITE, false, null, 0, null);
        a.unmap(BASE + Page.SIZE, Page.SIZE);
        assertTrue(a.isMapped(BASE, BASE + Page.SIZE));
        assertFalse(a.isMapped(BASE, BASE + 2 * Page.SIZE));
        assertTrue(a.isMapped(BASE + 2 * Page.SIZE, BASE + 4 * Page.SIZE));
        a.brkStart = a.brk = 0x20000000L;
        assertEquals(0x20003000L, a.setBrk(0x20003000L));
        assertTrue(a.store(0x20002ff8L, 8, 5));
        assertEquals(0x20001000L, a.setBrk(0x20001000L));
        a.load(0x20002ff8L, 8);
        assertEquals(AddressSpace.SIGSEGV, a.faultSignal, "shrunk heap is unmapped");
    }

    /**
     * The VMA lookup's caches hold no mapping that an unmap, a move or a protection change
     * removed or replaced: the VMAs a change splits off are looked up on the way (munmap of a
     * mapping's first page left that page's piece as the last VMA found, and the next touch
     * there found it mapped).
     */
    @Test
    void whatAChangeUnmapsFaultsAtOnce() {
        AddressSpace a = new AddressSpace();
        a.map(BASE, 2 * Page.SIZE, Prot.READ | Prot.WRITE, false, null, 0, null);
        assertTrue(a.store(BASE, 8, 1));
        a.unmap(BASE, Page.SIZE);
        a.load(BASE, 8);
        assertEquals(AddressSpace.SIGSEGV, a.faultSignal, "the unmapped first page");
        assertEquals(AddressSpace.SEGV_MAPERR, a.faultCode);
        a.clearFault();
        assertTrue(a.store(BASE + Page.SIZE, 8, 2), "the rest stays mapped");

        AddressSpace b = new AddressSpace();
        b.map(BASE, 3 * Page.SIZE, Prot.READ | Prot.WRITE, false, null, 0, null);
        assertTrue(b.store(BASE, 8, 1));
        b.remap(BASE, Page.SIZE, BASE + 16 * Page.SIZE, Page.SIZE, false);
        b.load(BASE, 8);
        assertEquals(AddressSpace.SEGV_MAPERR, b.faultCode, "moved away by mremap");
        b.clearFault();
        assertEquals(1, b.load(BASE + 16 * Page.SIZE, 8));

        AddressSpace c = new AddressSpace();
        c.map(BASE, 3 * Page.SIZE, Prot.READ | Prot.WRITE, false, null, 0, null);
        assertTrue(c.store(BASE + Page.SIZE, 8, 1));
        assertTrue(c.protect(BASE + Page.SIZE, Page.SIZE, Prot.READ));
        assertFalse(c.store(BASE + Page.SIZE, 8, 2), "made read-only");
        assertEquals(AddressSpace.SEGV_ACCERR, c.faultCode);
        c.clearFault();
        assertTrue(c.store(BASE, 8, 3));
        assertTrue(c.store(BASE + 2 * Page.SIZE, 8, 3));
    }

    @Test
    void storesDropCachedDecodes() {
        AddressSpace a = new AddressSpace();
        a.map(BASE, Page.SIZE, Prot.READ | Prot.WRITE | Prot.EXEC, false, null, 0, null);
        Page p = a.pageForExec(BASE);
        p.decodedOps = new int[Page.SLOTS];
        p.decodedImm = new int[Page.SLOTS];
        assertTrue(a.store(BASE + 8, 4, 0x13));
        assertEquals(null, p.decodedOps, "a store to a decoded page invalidates its decodes");
    }
}
