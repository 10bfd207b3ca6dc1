package dev.friscy.elf;

import dev.friscy.mem.MappedFile;

/** Where an ELF file's bytes come from: positional reads, plus the file to map segments from. */
public interface ElfSource {
    int read(long pos, byte[] buf, int off, int len);

    long size();

    MappedFile mapping();
}
