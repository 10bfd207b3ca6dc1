package dev.friscy.cpu;

import dev.friscy.mem.AddressSpace;
import dev.friscy.mem.Page;

/**
 * The A extension: LR/SC with a single reservation per hart, and the AMOs. A hart runs
 * alone between scheduling points, so an AMO is simply a load and a store. Misaligned
 * atomics raise SIGBUS (BUS_ADRALN) as on Linux, which cannot emulate them.
 *
 * While a reservation is held its page is kept out of the write TLB, so that every store
 * to it takes {@link Cpu#storeSlow}, which breaks the reservation when it hits the granule.
 */
final class Amo {
    /** Loads and initializes this class (see Cpu's static initializer). */
    static void load() {
    }

    static final int BUS_ADRALN = 1;

    private Amo() {
    }

    /** Executes an A-extension instruction; returns false on a fault (reported in h.as). */
    static boolean exec(Hart h, int inst) {
        AddressSpace as = h.as;
        long[] x = h.x;
        int rd = (inst >>> 7) & 31;
        int xd = rd == 0 ? 32 : rd;
        int f5 = inst >>> 27;
        int size = ((inst >>> 12) & 7) == 3 ? 8 : 4;
        long a = x[(inst >>> 15) & 31];
        long b = x[(inst >>> 20) & 31];
        if ((a & (size - 1)) != 0) {
            as.faultSignal = AddressSpace.SIGBUS;
            as.faultCode = BUS_ADRALN;
            as.faultAddr = a;
            return false;
        }
        if (f5 == 0x02) { // LR
            long v = as.load(a, size);
            if (as.faultSignal != 0) {
                return false;
            }
            x[xd] = size == 4 ? (long) (int) v : v;
            h.reservation = a;
            as.dropWriteTlb(a >>> Page.SHIFT);
            return true;
        }
        if (f5 == 0x03) { // SC
            if (h.reservation != a) {
                h.reservation = -1;
                x[xd] = 1;
                return true;
            }
            if (!Cpu.storeSlow(h, a, size, b)) {
                return false;
            }
            h.reservation = -1;
            x[xd] = 0;
            return true;
        }
        long old = as.load(a, size);
        if (as.faultSignal != 0) {
            return false;
        }
        if (size == 4) {
            old = (int) old;
            b = (int) b;
        }
        long v;
        switch (f5) {
            case 0x01: v = b; break;
            case 0x00: v = old + b; break;
            case 0x04: v = old ^ b; break;
            case 0x0c: v = old & b; break;
            case 0x08: v = old | b; break;
            case 0x10: v = Math.min(old, b); break;
            case 0x14: v = Math.max(old, b); break;
            case 0x18: v = Long.compareUnsigned(old, b) < 0 ? old : b; break;
            default: v = Long.compareUnsigned(old, b) > 0 ? old : b; break;
        }
        if (!Cpu.storeSlow(h, a, size, v)) {
            return false;
        }
        x[xd] = old;
        return true;
    }
}
