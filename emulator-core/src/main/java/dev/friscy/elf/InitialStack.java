package dev.friscy.elf;

import dev.friscy.mem.AddressSpace;

import java.nio.charset.StandardCharsets;

/**
 * Builds the initial process stack as the Linux ELF loader lays it out: argc, argv pointers,
 * envp pointers, the auxiliary vector, then the strings and AT_RANDOM bytes above them.
 */
public final class InitialStack {
    public static final int AT_NULL = 0, AT_PHDR = 3, AT_PHENT = 4, AT_PHNUM = 5, AT_PAGESZ = 6, AT_BASE = 7,
            AT_FLAGS = 8, AT_ENTRY = 9, AT_UID = 11, AT_EUID = 12, AT_GID = 13, AT_EGID = 14, AT_PLATFORM = 15,
            AT_HWCAP = 16, AT_CLKTCK = 17, AT_SECURE = 23, AT_RANDOM = 25, AT_HWCAP2 = 26, AT_EXECFN = 31;

    /** I, M, A, F, D, C as letter bits (bit n = 'A' + n). */
    public static final long HWCAP_RV64IMAFDC = (1L << ('I' - 'A')) | (1L << ('M' - 'A')) | (1L << ('A' - 'A'))
            | (1L << ('F' - 'A')) | (1L << ('D' - 'A')) | (1L << ('C' - 'A'));

    private InitialStack() {
    }

    /** The values that go into the auxiliary vector. */
    public static final class Aux {
        public long phdr;
        public int phnum;
        public long base;
        public long entry;
        public int uid, euid, gid, egid;
        public byte[] random = new byte[16];
        public byte[] execfn;
    }

    /** Writes the stack below {@code top}; returns the initial sp (16-byte aligned). */
    public static long build(AddressSpace as, long top, byte[][] argv, byte[][] envp, Aux aux) throws ElfException {
        long sp = top;
        sp -= 16;
        long random = sp;
        put(as, random, aux.random);
        byte[] platform = "riscv64\0".getBytes(StandardCharsets.ISO_8859_1);
        sp -= platform.length;
        long platformAddr = sp;
        put(as, sp, platform);
        sp -= aux.execfn.length + 1;
        long execfnAddr = sp;
        put(as, sp, cstr(aux.execfn));
        long[] envAddrs = new long[envp.length];
        for (int i = envp.length - 1; i >= 0; i--) {
            sp -= envp[i].length + 1;
            envAddrs[i] = sp;
            put(as, sp, cstr(envp[i]));
        }
        long[] argAddrs = new long[argv.length];
        for (int i = argv.length - 1; i >= 0; i--) {
            sp -= argv[i].length + 1;
            argAddrs[i] = sp;
            put(as, sp, cstr(argv[i]));
        }
        long[] auxv = {
            AT_PHDR, aux.phdr, AT_PHENT, 56, AT_PHNUM, aux.phnum, AT_PAGESZ, 4096, AT_BASE, aux.base,
            AT_FLAGS, 0, AT_ENTRY, aux.entry, AT_UID, aux.uid, AT_EUID, aux.euid, AT_GID, aux.gid,
            AT_EGID, aux.egid, AT_SECURE, 0, AT_RANDOM, random, AT_HWCAP, HWCAP_RV64IMAFDC, AT_HWCAP2, 0,
            AT_CLKTCK, 100, AT_PLATFORM, platformAddr, AT_EXECFN, execfnAddr, AT_NULL, 0
        };
        int words = 1 + argv.length + 1 + envp.length + 1 + auxv.length;
        sp -= (long) words * 8;
        sp &= ~15L;
        long p = sp;
        p = putLong(as, p, argv.length);
        for (long a : argAddrs) {
            p = putLong(as, p, a);
        }
        p = putLong(as, p, 0);
        for (long a : envAddrs) {
            p = putLong(as, p, a);
        }
        p = putLong(as, p, 0);
        for (long a : auxv) {
            p = putLong(as, p, a);
        }
        return sp;
    }

    private static byte[] cstr(byte[] s) {
        byte[] b = new byte[s.length + 1];
        System.arraycopy(s, 0, b, 0, s.length);
        return b;
    }

    private static void put(AddressSpace as, long addr, byte[] b) throws ElfException {
        if (!as.write(addr, b, 0, b.length)) {
            throw new ElfException("arguments and environment do not fit on the stack");
        }
    }

    private static long putLong(AddressSpace as, long addr, long v) throws ElfException {
        if (!as.store(addr, 8, v)) {
            throw new ElfException("arguments and environment do not fit on the stack");
        }
        return addr + 8;
    }
}
