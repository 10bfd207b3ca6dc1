package dev.friscy.kernel;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.friscy.elf.ElfException;
import dev.friscy.elf.ElfFile;
import dev.friscy.elf.ElfLoader;
import dev.friscy.fs.Inode;
import dev.friscy.fs.Vfs;
import dev.friscy.mem.AddressSpace;
import dev.friscy.mem.MemoryAccount;

/**
 * Fuzz target: the ELF loader, as exec uses it (parse the headers, map the segments into a
 * fresh address space with a 64 MiB budget). Any file must load or fail with one ElfException.
 */
class ElfFuzzTest {
    @FuzzTest(maxDuration = "10m")
    void loadArbitraryElf(byte[] file) {
        Vfs vfs = new Vfs();
        Inode i = vfs.newInode(Inode.S_IFREG | 0755);
        i.write(0, file, 0, file.length);
        AddressSpace as = new AddressSpace();
        if (!as.attach(new MemoryAccount(64 << 8))) {
            throw new AssertionError("64 MiB account refused an address space");
        }
        try {
            ElfFile e = ElfFile.parse(new InodeElfSource(i));
            long bias = e.type == ElfFile.ET_DYN ? ElfLoader.PIE_BASE : 0;
            ElfLoader.map(as, e, new InodeElfSource(i), bias);
        } catch (ElfException expected) {
            if (expected.getMessage() == null || expected.getMessage().contains("\n")) {
                throw new AssertionError("an ELF error must be one line: " + expected.getMessage());
            }
        } finally {
            as.release();
        }
    }
}
