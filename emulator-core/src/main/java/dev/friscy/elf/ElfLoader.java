package dev.friscy.elf;

import dev.friscy.mem.AddressSpace;
import dev.friscy.mem.Page;
import dev.friscy.mem.Prot;

/** Maps an ELF's PT_LOAD segments into an address space. */
public final class ElfLoader {
    /** Where a position-independent main program goes (ELF_ET_DYN_BASE as riscv64 Linux places it). */
    public static final long PIE_BASE = 0x2aaaaab000L;

    private ElfLoader() {
    }

    /** What {@link #map} produced. */
    public static final class Mapped {
        public long bias;
        public long entry;
        /** Address of the program headers in guest memory (for AT_PHDR), or 0. */
        public long phdrAddr;
        /** First byte after the highest segment: where brk starts. */
        public long end;
    }

    /**
     * Maps every PT_LOAD segment of {@code e} at {@code bias} (0 for ET_EXEC). Text and
     * read-only data map the file's own pages copy-on-write; the bss is zero-filled.
     */
    public static Mapped map(AddressSpace as, ElfFile e, ElfSource src, long bias) throws ElfException {
        Mapped m = new Mapped();
        m.bias = bias;
        m.entry = e.entry + bias;
        long end = 0;
        for (ElfFile.Segment s : e.phdrs) {
            if (s.type != ElfFile.PT_LOAD || s.memsz == 0) {
                continue;
            }
            int prot = ((s.flags & ElfFile.PF_R) != 0 ? Prot.READ : 0)
                    | ((s.flags & ElfFile.PF_W) != 0 ? Prot.WRITE : 0)
                    | ((s.flags & ElfFile.PF_X) != 0 ? Prot.EXEC : 0);
            long vaddr = s.vaddr + bias;
            long start = vaddr & ~Page.MASK;
            long fileEnd = vaddr + s.filesz;
            long memEnd = vaddr + s.memsz;
            long fileMapEnd = (fileEnd + Page.MASK) & ~Page.MASK;
            long memMapEnd = (memEnd + Page.MASK) & ~Page.MASK;
            if (s.filesz > 0) {
                as.map(start, fileMapEnd - start, prot, false, src.mapping(), s.offset - (vaddr - start), null);
                if (s.memsz > s.filesz && fileEnd < fileMapEnd) {
                    // the page holding the end of the file data: bytes past it belong to the bss
                    byte[] z = new byte[(int) (fileMapEnd - fileEnd)];
                    if (!as.poke(fileEnd, z, 0, z.length)) {
                        throw new ElfException("cannot clear bss at 0x" + Long.toHexString(fileEnd));
                    }
                }
            } else {
                fileMapEnd = start;
            }
            if (memMapEnd > fileMapEnd) {
                as.map(fileMapEnd, memMapEnd - fileMapEnd, prot, false, null, 0, null);
            }
            end = Math.max(end, memEnd);
            if (s.offset <= e.phoff && e.phoff + (long) e.phnum * 56 <= s.offset + s.filesz) {
                m.phdrAddr = vaddr + (e.phoff - s.offset);
            }
        }
        for (ElfFile.Segment s : e.phdrs) {
            if (s.type == ElfFile.PT_PHDR) {
                m.phdrAddr = s.vaddr + bias;
            }
        }
        m.end = end;
        return m;
    }
}
