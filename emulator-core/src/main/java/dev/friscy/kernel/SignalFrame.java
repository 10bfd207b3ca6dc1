package dev.friscy.kernel;

import dev.friscy.cpu.Hart;

/**
 * The riscv64 Linux signal frame (struct rt_sigframe: siginfo then ucontext) that handlers
 * see and rt_sigreturn reads back. Offsets follow the kernel's uapi headers.
 */
final class SignalFrame {
    static final int SIGINFO_SIZE = 128;
    static final int UC_FLAGS = 0;
    static final int UC_LINK = 8;
    static final int UC_STACK = 16; // ss_sp, ss_flags (+pad), ss_size
    static final int UC_SIGMASK = 40;
    static final int UC_MCONTEXT = 176; // after 1024 bits of sigset room, 16-aligned
    static final int MC_FP = UC_MCONTEXT + 256; // after pc and x1..x31
    static final int MC_FCSR = MC_FP + 256;
    static final int UCONTEXT_SIZE = MC_FP + 528;
    static final int FRAME_SIZE = SIGINFO_SIZE + UCONTEXT_SIZE;

    /** Where every process has `li a7, 139; ecall` (rt_sigreturn), mapped by exec. */
    static final long TRAMPOLINE = 0x3f_ffff_f000L;

    private SignalFrame() {
    }

    static void writeSiginfo(Task t, long addr, SigInfo i) {
        byte[] b = new byte[SIGINFO_SIZE];
        putInt(b, 0, i.signo);
        putInt(b, 4, i.errno);
        putInt(b, 8, i.code);
        int sig = i.signo;
        boolean fault = i.code > 0 && i.code < 0x80 && (sig == Signals.SIGSEGV || sig == Signals.SIGBUS
                || sig == Signals.SIGILL || sig == Signals.SIGFPE || sig == Signals.SIGTRAP);
        if (fault) {
            putLong(b, 16, i.addr);
        } else if (i.sigpoll) {
            putLong(b, 16, i.band);
            putInt(b, 24, i.fd);
        } else if (i.code == SigInfo.SI_TIMER) {
            putInt(b, 16, i.timerId);
            putInt(b, 20, i.overrun);
            putLong(b, 24, i.value);
        } else {
            putInt(b, 16, i.pid);
            putInt(b, 20, i.uid);
            if (sig == Signals.SIGCHLD) {
                putInt(b, 24, i.status);
            } else {
                putLong(b, 24, i.value);
            }
        }
        UserMemory.write(t, addr, b);
    }

    /** Builds the frame below {@code sp}; returns the frame address (the handler's sp). */
    static long push(Task t, long sp, SigInfo info, long oldMask) {
        Hart h = t.hart;
        long frame = (sp - FRAME_SIZE) & ~15L;
        long uc = frame + SIGINFO_SIZE;
        writeSiginfo(t, frame, info);
        byte[] b = new byte[UCONTEXT_SIZE];
        putLong(b, UC_FLAGS, 0);
        putLong(b, UC_LINK, 0);
        putLong(b, UC_STACK, t.altStackSp);
        putInt(b, UC_STACK + 8, t.altStackFlags);
        putLong(b, UC_STACK + 16, t.altStackSize);
        putLong(b, UC_SIGMASK, oldMask);
        putLong(b, UC_MCONTEXT, h.pc);
        for (int r = 1; r < 32; r++) {
            putLong(b, UC_MCONTEXT + 8 * r, h.x[r]);
        }
        for (int r = 0; r < 32; r++) {
            putLong(b, MC_FP + 8 * r, h.f[r]);
        }
        putInt(b, MC_FCSR, (h.frm << 5) | h.fflags);
        UserMemory.write(t, uc, b);
        return frame;
    }

    /** Restores registers and mask from the frame at {@code frame}; false if it is unreadable. */
    static void pop(Task t, long frame) {
        Hart h = t.hart;
        byte[] b = UserMemory.read(t, frame + SIGINFO_SIZE, UCONTEXT_SIZE);
        h.pc = getLong(b, UC_MCONTEXT);
        for (int r = 1; r < 32; r++) {
            h.x[r] = getLong(b, UC_MCONTEXT + 8 * r);
        }
        for (int r = 0; r < 32; r++) {
            h.f[r] = getLong(b, MC_FP + 8 * r);
        }
        int fcsr = getInt(b, MC_FCSR);
        h.fflags = fcsr & 0x1f;
        h.frm = (fcsr >> 5) & 7;
        t.sigmask = getLong(b, UC_SIGMASK) & ~Signals.UNBLOCKABLE;
        long ssSp = getLong(b, UC_STACK);
        int ssFlags = getInt(b, UC_STACK + 8);
        long ssSize = getLong(b, UC_STACK + 16);
        if (!SysSignal.onAltStack(t, h.x[2])) {
            // as Linux's restore_altstack: a bad stack_t is ignored here rather than killing
            if ((ssFlags & ~SysSignal.SS_AUTODISARM) == SysSignal.SS_DISABLE || ssSize >= SysSignal.MINSIGSTKSZ) {
                t.altStackSp = ssSp;
                t.altStackSize = ssSize;
                t.altStackFlags = ssFlags;
            }
        }
        h.reservation = -1;
    }

    static void putInt(byte[] b, int o, int v) {
        b[o] = (byte) v;
        b[o + 1] = (byte) (v >> 8);
        b[o + 2] = (byte) (v >> 16);
        b[o + 3] = (byte) (v >> 24);
    }

    static void putLong(byte[] b, int o, long v) {
        for (int i = 0; i < 8; i++) {
            b[o + i] = (byte) (v >> (8 * i));
        }
    }

    static int getInt(byte[] b, int o) {
        return (b[o] & 0xff) | (b[o + 1] & 0xff) << 8 | (b[o + 2] & 0xff) << 16 | (b[o + 3] & 0xff) << 24;
    }

    static long getLong(byte[] b, int o) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[o + i] & 0xff);
        }
        return v;
    }
}
