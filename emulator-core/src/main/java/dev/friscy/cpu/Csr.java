package dev.friscy.cpu;

import java.util.function.LongSupplier;

/**
 * Zicsr for user mode: the FP control/status CSRs and the read-only counters.
 * Unknown CSRs, and writes to read-only ones, are illegal instructions.
 */
public final class Csr {
    /** Loads and initializes this class (see Cpu's static initializer). */
    static void load() {
    }

    public static final int FFLAGS = 0x001;
    public static final int FRM = 0x002;
    public static final int FCSR = 0x003;
    public static final int CYCLE = 0xc00;
    public static final int TIME = 0xc01;
    public static final int INSTRET = 0xc02;

    /** The mtime rate Linux advertises to riscv64 user space (timebase-frequency). */
    public static final long TIME_HZ = 10_000_000L;

    /** Monotonic clock behind rdtime; replaceable (tests, a host with its own clock). */
    public static LongSupplier monotonicNanos = System::nanoTime;

    private Csr() {
    }

    /**
     * Executes a CSR instruction. {@code retired} is the instret value before it.
     * Returns false if illegal (nothing is changed then).
     */
    static boolean exec(Hart h, int inst, long retired) {
        int rd = (inst >>> 7) & 31;
        int f3 = (inst >>> 12) & 7;
        int src = (inst >>> 15) & 31;
        int csr = inst >>> 20;
        long operand = (f3 & 4) != 0 ? src : h.x[src];
        int kind = f3 & 3; // 1 write, 2 set, 3 clear
        boolean writes = kind == 1 || src != 0;
        long old;
        switch (csr) {
            case FFLAGS: old = h.fflags; break;
            case FRM: old = h.frm; break;
            case FCSR: old = (h.frm << 5) | h.fflags; break;
            case CYCLE:
            case INSTRET:
                old = retired;
                break;
            case TIME:
                old = monotonicNanos.getAsLong() / (1_000_000_000L / TIME_HZ);
                break;
            default:
                return false;
        }
        if (writes) {
            if ((csr >>> 10) == 3) {
                return false; // read-only
            }
            long v = kind == 1 ? operand : kind == 2 ? old | operand : old & ~operand;
            switch (csr) {
                case FFLAGS: h.fflags = (int) v & 0x1f; break;
                case FRM: h.frm = (int) v & 7; break;
                default:
                    h.fflags = (int) v & 0x1f;
                    h.frm = (int) (v >>> 5) & 7;
                    break;
            }
        }
        if (rd != 0) {
            h.x[rd] = old;
        }
        return true;
    }
}
