package dev.friscy.fs;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.kernel.Task;
import dev.friscy.kernel.ThreadGroup;
import dev.friscy.mem.IoBuffer;
import dev.friscy.mem.AddressSpace;
import dev.friscy.mem.Page;
import dev.friscy.mem.Vma;

/**
 * /proc/PID/pagemap: one 64-bit entry per virtual page, read at offset (address / page size) * 8.
 * Bit 63 says the page is present, bit 61 that it is a file page or shared memory. There are
 * no physical frames here, so the frame-number bits read 0, as Linux shows them to readers
 * without CAP_SYS_ADMIN. Nothing is ever swapped (bit 62 stays 0).
 */
final class Pagemap extends NodeFile {
    static final long PRESENT = 1L << 63, FILE_OR_SHARED = 1L << 61;

    private final ThreadGroup process;
    private final AddressSpace mm;

    Pagemap(Inode inode, String path, ThreadGroup process, AddressSpace mm, int flags) {
        super(inode, path, flags);
        this.process = process;
        this.mm = mm;
    }

    @Override
    public int read(Task t, IoBuffer dst) {
        int n = pread(t, offset, dst);
        offset += n;
        return n;
    }

    @Override
    public int pread(Task t, long pos, IoBuffer dst) {
        int len = dst.chunk();
        byte[] buf = new byte[len];
        int n = entries(pos, buf, len);
        dst.copyOut(0, buf, 0, n);
        return n;
    }

    private int entries(long pos, byte[] buf, int len) {
        int off = 0;
        if (pos < 0 || (pos & 7) != 0 || (len & 7) != 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        if (process.isZombie()) {
            return 0; // its memory is gone
        }
        long vpn = pos >>> 3;
        long lastVpn = AddressSpace.VA_LIMIT >>> Page.SHIFT;
        int n = 0;
        Vma v = null;
        while (n < len && vpn < lastVpn) {
            long addr = vpn << Page.SHIFT;
            if (v == null || !v.contains(addr)) {
                v = mm.findVma(addr);
            }
            long e = 0;
            if (v != null && mm.residentPage(addr) != null) {
                e = PRESENT | (v.file != null ? FILE_OR_SHARED : 0);
            }
            for (int i = 0; i < 8; i++) {
                buf[off + n + i] = (byte) (e >>> (8 * i));
            }
            n += 8;
            vpn++;
        }
        return n;
    }

    @Override
    public long seek(long off, int whence) {
        long base = whence == RegularFile.SEEK_SET ? 0 : whence == RegularFile.SEEK_CUR ? offset : -1;
        if (base < 0 || base + off < 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        offset = base + off;
        return offset;
    }

    @Override
    public int poll() {
        return Poll.IN | Poll.RDNORM;
    }
}
