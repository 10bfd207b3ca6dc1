package dev.friscy.mem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The Worker's interpreter reads guest memory through {@link AddressSpace#mirror} wherever the
 * address space's own tag matches, so every entry with a valid tag must name the same page in the
 * mirror as in rData/wData, through copy-on-write after fork, protection changes, unmapping, TLB
 * conflicts and flushes. Random operations, the invariant checked after each.
 */
class TlbMirrorTest {
    private static final long BASE = 0x10000000L;
    /** Pages 0-3 and their TLB twins (1024 pages on): each pair competes for one entry. */
    private static final long[] PAGES = {0, 1, 2, 3, AddressSpace.TLB_SIZE, AddressSpace.TLB_SIZE + 1,
        AddressSpace.TLB_SIZE + 2, AddressSpace.TLB_SIZE + 3};

    static final class Copy implements TlbMirror {
        final long[][] r = new long[AddressSpace.TLB_SIZE][];
        final long[][] w = new long[AddressSpace.TLB_SIZE][];
        int fills;

        @Override
        public void fill(int i, long[] data, boolean write) {
            fills++;
            r[i] = data;
            if (write) {
                w[i] = data;
            }
        }

        @Override
        public void clear(boolean writeOnly) {
            java.util.Arrays.fill(w, null);
            if (!writeOnly) {
                java.util.Arrays.fill(r, null);
            }
        }
    }

    @Test
    void everyValidEntryNamesTheSamePageInTheMirror() {
        TlbMirror.Factory before = AddressSpace.mirrors;
        AddressSpace.mirrors = Copy::new;
        try {
            for (int seed = 1; seed <= 20; seed++) {
                run(new Random(seed));
            }
        } finally {
            AddressSpace.mirrors = before;
        }
    }

    private static void run(Random rnd) {
        List<AddressSpace> spaces = new ArrayList<>();
        AddressSpace first = new AddressSpace();
        for (long p : PAGES) {
            first.map(BASE + p * Page.SIZE, Page.SIZE, Prot.READ | Prot.WRITE, false, null, 0, null);
        }
        spaces.add(first);
        int fills = 0;
        for (int step = 0; step < 2000; step++) {
            AddressSpace a = spaces.get(rnd.nextInt(spaces.size()));
            long page = BASE + PAGES[rnd.nextInt(PAGES.length)] * Page.SIZE;
            long addr = page + (rnd.nextInt(Page.SIZE / 8) * 8L);
            switch (rnd.nextInt(10)) {
                case 0, 1, 2 -> a.load(addr, 8);
                case 3, 4, 5 -> {
                    long v = rnd.nextLong();
                    if (a.store(addr, 8, v)) {
                        assertEquals(v, a.load(addr, 8));
                    }
                }
                case 6 -> {
                    if (spaces.size() < 6) {
                        spaces.add(a.fork());
                    }
                }
                case 7 -> a.protect(page, Page.SIZE, rnd.nextBoolean() ? Prot.READ : Prot.READ | Prot.WRITE);
                case 8 -> {
                    a.unmap(page, Page.SIZE);
                    a.map(page, Page.SIZE, Prot.READ | Prot.WRITE, false, null, 0, null);
                }
                default -> {
                    if (rnd.nextBoolean()) {
                        a.flushTlb();
                    } else {
                        a.dropWriteTlb(page >>> Page.SHIFT);
                    }
                }
            }
            a.clearFault();
            for (AddressSpace s : spaces) {
                fills += check(s);
            }
        }
        assertTrue(fills > 0, "no entry was ever valid");
    }

    /** Asserts the invariant for {@code a}; returns how many entries are valid. */
    private static int check(AddressSpace a) {
        Copy m = (Copy) a.mirror;
        assertNotNull(m, "an address space made while a factory is set has a mirror");
        int valid = 0;
        for (int i = 0; i < AddressSpace.TLB_SIZE; i++) {
            if (a.rTag[i] != -1) {
                valid++;
                assertTrue(a.rData[i] == m.r[i], "read entry " + i + " names another page in the mirror");
            }
            if (a.wTag[i] != -1) {
                valid++;
                assertTrue(a.wData[i] == m.w[i], "write entry " + i + " names another page in the mirror");
            }
        }
        return valid;
    }
}
