package dev.friscy.mem;

/** A virtual memory area: a page-aligned range with one protection and one backing. */
public final class Vma {
    public long start;
    public long end;
    public int prot;
    public final boolean shared;
    /** Null for anonymous memory. */
    public final MappedFile file;
    /** File offset that corresponds to {@link #start}. */
    public long fileOffset;
    /** A label for /proc/pid/maps such as [heap] or [stack]; may be null. */
    public String name;
    /** mlock / MAP_LOCKED (VM_LOCKED): counted in VmLck. Nothing is paged out either way. */
    public boolean locked;
    /** MAP_GROWSDOWN (VM_GROWSDOWN): a fault just below it extends it downwards, as a stack. */
    public boolean growsDown;

    public Vma(long start, long end, int prot, boolean shared, MappedFile file, long fileOffset, String name) {
        this.start = start;
        this.end = end;
        this.prot = prot;
        this.shared = shared;
        this.file = file;
        this.fileOffset = fileOffset;
        this.name = name;
    }

    public boolean contains(long addr) {
        return addr >= start && addr < end;
    }

    Vma slice(long s, long e) {
        Vma v = new Vma(s, e, prot, shared, file, file == null ? 0 : fileOffset + (s - start), name);
        v.locked = locked;
        v.growsDown = growsDown;
        return v;
    }
}
