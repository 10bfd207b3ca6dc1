package dev.friscy.kernel;

import dev.friscy.elf.ElfSource;
import dev.friscy.fs.Inode;
import dev.friscy.mem.MappedFile;

/** Lets the ELF loader read and map a file of the VFS. */
final class InodeElfSource implements ElfSource {
    private final Inode inode;

    InodeElfSource(Inode inode) {
        this.inode = inode;
    }

    @Override
    public int read(long pos, byte[] buf, int off, int len) {
        return inode.read(pos, buf, off, len);
    }

    @Override
    public long size() {
        return inode.size;
    }

    @Override
    public MappedFile mapping() {
        return inode;
    }
}
