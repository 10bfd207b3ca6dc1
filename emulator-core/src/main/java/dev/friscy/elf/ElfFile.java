package dev.friscy.elf;

/**
 * The parts of an ELF64 header and program headers that loading needs, validated: a file that
 * is not little-endian RISC-V 64, or whose headers point outside it, is refused.
 */
public final class ElfFile {
    public static final int ET_EXEC = 2;
    public static final int ET_DYN = 3;
    public static final int EM_RISCV = 243;
    public static final int PT_LOAD = 1;
    public static final int PT_INTERP = 3;
    public static final int PT_PHDR = 6;
    public static final int PT_GNU_STACK = 0x6474e551;
    public static final int PF_X = 1;
    public static final int PF_W = 2;
    public static final int PF_R = 4;

    public int type;
    public long entry;
    public long phoff;
    public int phentsize;
    public int phnum;
    public int flags;
    public Segment[] phdrs;
    public String interp;

    public static final class Segment {
        public int type;
        public int flags;
        public long offset;
        public long vaddr;
        public long filesz;
        public long memsz;
        public long align;
    }

    private static long u64(byte[] b, int o) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[o + i] & 0xff);
        }
        return v;
    }

    private static int u32(byte[] b, int o) {
        return (b[o] & 0xff) | (b[o + 1] & 0xff) << 8 | (b[o + 2] & 0xff) << 16 | (b[o + 3] & 0xff) << 24;
    }

    private static int u16(byte[] b, int o) {
        return (b[o] & 0xff) | (b[o + 1] & 0xff) << 8;
    }

    /** True if the first bytes look like any ELF file (to tell ENOEXEC cases apart). */
    public static boolean hasElfMagic(byte[] b, int len) {
        return len >= 4 && b[0] == 0x7f && b[1] == 'E' && b[2] == 'L' && b[3] == 'F';
    }

    public static ElfFile parse(ElfSource src) throws ElfException {
        long size = src.size();
        byte[] h = new byte[64];
        int n = src.read(0, h, 0, 64);
        if (!hasElfMagic(h, n)) {
            throw new ElfException("not an ELF file");
        }
        if (n < 64) {
            throw new ElfException("truncated ELF header");
        }
        if (h[4] != 2) {
            throw new ElfException("not a 64-bit ELF (class " + h[4] + ")");
        }
        if (h[5] != 1) {
            throw new ElfException("not a little-endian ELF");
        }
        ElfFile e = new ElfFile();
        e.type = u16(h, 16);
        int machine = u16(h, 18);
        if (machine != EM_RISCV) {
            throw new ElfException("not a RISC-V ELF (e_machine " + machine + ")");
        }
        if (e.type != ET_EXEC && e.type != ET_DYN) {
            throw new ElfException("not an executable or shared object (e_type " + e.type + ")");
        }
        e.entry = u64(h, 24);
        e.phoff = u64(h, 32);
        e.flags = u32(h, 48);
        e.phentsize = u16(h, 54);
        e.phnum = u16(h, 56);
        if (e.phentsize != 56) {
            throw new ElfException("bad program header size " + e.phentsize);
        }
        if (e.phnum == 0 || e.phnum > 256) {
            throw new ElfException("bad program header count " + e.phnum);
        }
        long phEnd = e.phoff + (long) e.phnum * 56;
        if (e.phoff < 0 || phEnd > size || phEnd < e.phoff) {
            throw new ElfException("program headers lie outside the file");
        }
        byte[] ph = new byte[e.phnum * 56];
        if (src.read(e.phoff, ph, 0, ph.length) != ph.length) {
            throw new ElfException("truncated program headers");
        }
        e.phdrs = new Segment[e.phnum];
        boolean anyLoad = false;
        for (int i = 0; i < e.phnum; i++) {
            int o = i * 56;
            Segment s = new Segment();
            s.type = u32(ph, o);
            s.flags = u32(ph, o + 4);
            s.offset = u64(ph, o + 8);
            s.vaddr = u64(ph, o + 16);
            s.filesz = u64(ph, o + 32);
            s.memsz = u64(ph, o + 40);
            s.align = u64(ph, o + 48);
            e.phdrs[i] = s;
            if (s.type == PT_LOAD) {
                anyLoad = true;
                if (s.filesz > s.memsz) {
                    throw new ElfException("segment " + i + ": file size exceeds memory size");
                }
                if (s.offset < 0 || s.filesz < 0 || s.offset + s.filesz > size || s.offset + s.filesz < s.offset) {
                    throw new ElfException("segment " + i + " lies outside the file");
                }
                if (s.vaddr < 0 || s.memsz < 0 || s.vaddr + s.memsz > (1L << 46) || s.vaddr + s.memsz < s.vaddr) {
                    throw new ElfException("segment " + i + " has an impossible address range");
                }
                if (((s.vaddr - s.offset) & 0xfff) != 0) {
                    throw new ElfException("segment " + i + ": address and offset are not congruent modulo the page size");
                }
            } else if (s.type == PT_INTERP) {
                if (s.filesz <= 1 || s.filesz > 4096 || s.offset < 0 || s.offset + s.filesz > size) {
                    throw new ElfException("bad PT_INTERP");
                }
                byte[] b = new byte[(int) s.filesz];
                src.read(s.offset, b, 0, b.length);
                int len = 0;
                while (len < b.length && b[len] != 0) {
                    len++;
                }
                e.interp = new String(b, 0, len, java.nio.charset.StandardCharsets.ISO_8859_1);
            }
        }
        if (!anyLoad) {
            throw new ElfException("no loadable segments");
        }
        return e;
    }

    /** Lowest and highest (exclusive) virtual address covered by PT_LOAD segments. */
    public long[] loadRange() {
        long lo = Long.MAX_VALUE;
        long hi = 0;
        for (Segment s : phdrs) {
            if (s.type == PT_LOAD) {
                lo = Math.min(lo, s.vaddr & ~0xfffL);
                hi = Math.max(hi, s.vaddr + s.memsz);
            }
        }
        return new long[] {lo, (hi + 0xfff) & ~0xfffL};
    }
}
