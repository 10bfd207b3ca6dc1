package dev.friscy.kernel;

import dev.friscy.mem.MappedFile;
import dev.friscy.mem.Page;

/**
 * The one read-only code page every process maps at {@link SignalFrame#TRAMPOLINE}: the
 * rt_sigreturn sequence that signal handlers return into (riscv64 has no SA_RESTORER in
 * glibc; Linux uses its vDSO for this).
 */
final class Trampoline implements MappedFile {
    static final Trampoline INSTANCE = new Trampoline();
    private final Page page = new Page();

    private Trampoline() {
        page.sharers = 0;
        page.pageCache = true;
        page.data[0] = (0x00000073L << 32) | 0x08b00893L; // li a7, 139 ; ecall
    }

    @Override
    public void readPage(long off, long[] dst) {
        System.arraycopy(page.data, 0, dst, 0, Page.LONGS);
    }

    @Override
    public Page sharedPage(long pgoff) {
        return page;
    }

    @Override
    public String mapName() {
        return "[vdso]";
    }
}
