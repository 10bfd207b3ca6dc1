package dev.friscy.fs;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.kernel.Task;
import dev.friscy.kernel.UserMemory;
import dev.friscy.mem.AddressSpace;
import dev.friscy.mem.Prot;
import dev.friscy.mem.Vma;

import java.nio.charset.StandardCharsets;

/**
 * ioctl(PROCMAP_QUERY) on an open /proc/PID/maps (Linux 6.11): one mapping, found by address
 * and permissions, described in a struct procmap_query without parsing the text. Build IDs
 * are not read (build_id_size comes back 0, as Linux answers for a file without one).
 */
final class ProcmapQuery {
    /** _IOWR('f', 17, struct procmap_query): 104 bytes. */
    static final int PROCMAP_QUERY = 0xC0686611;
    static final int SIZE = 104;
    static final long READABLE = 0x01, WRITABLE = 0x02, EXECUTABLE = 0x04, SHARED = 0x08, COVERING_OR_NEXT = 0x10,
            FILE_BACKED = 0x20, VALID = 0x3f;
    private static final int PATH_MAX = 4096;

    private ProcmapQuery() {
    }

    static long ioctl(Task t, AddressSpace mm, int cmd, long arg) {
        if (cmd != PROCMAP_QUERY) {
            throw new SyscallError(Errno.ENOTTY);
        }
        long usize = UserMemory.load64(t, arg);
        if (usize > 4096) {
            throw new SyscallError(Errno.E2BIG);
        }
        if (usize < 24) {
            throw new SyscallError(Errno.EINVAL); // must reach query_addr
        }
        byte[] in = UserMemory.read(t, arg, (int) usize);
        for (int i = SIZE; i < usize; i++) {
            if (in[i] != 0) {
                throw new SyscallError(Errno.E2BIG); // a newer struct's fields this kernel does not know
            }
        }
        byte[] k = new byte[SIZE];
        System.arraycopy(in, 0, k, 0, (int) Math.min(SIZE, usize));
        long flags = get64(k, 8);
        long addr = get64(k, 16);
        int nameSize = get32(k, 80);
        int buildIdSize = get32(k, 84);
        long nameAddr = get64(k, 88);
        long buildIdAddr = get64(k, 96);
        if ((flags & ~VALID) != 0 || (nameSize != 0) != (nameAddr != 0) || (buildIdSize != 0) != (buildIdAddr != 0)) {
            throw new SyscallError(Errno.EINVAL);
        }
        if (mm == null) {
            throw new SyscallError(Errno.ESRCH);
        }
        Vma v = find(mm, addr, flags);
        if (v == null) {
            throw new SyscallError(Errno.ENOENT);
        }
        put64(k, 24, v.start);
        put64(k, 32, v.end);
        long vf = ((v.prot & Prot.READ) != 0 ? READABLE : 0) | ((v.prot & Prot.WRITE) != 0 ? WRITABLE : 0)
                | ((v.prot & Prot.EXEC) != 0 ? EXECUTABLE : 0) | (v.shared ? SHARED : 0);
        put64(k, 40, vf);
        put64(k, 48, 4096);
        if (v.file != null) {
            put64(k, 56, v.fileOffset);
            if (v.file instanceof Inode) {
                Stat st = new Stat();
                ((Inode) v.file).stat(st);
                put64(k, 64, st.ino);
                put32(k, 72, DevFs.major(st.dev));
                put32(k, 76, DevFs.minor(st.dev));
            }
        }
        put32(k, 84, 0); // no build ID read
        byte[] name = null;
        if (nameSize != 0) {
            String n = v.name != null ? v.name : v.file != null ? v.file.mapName() : null;
            if (n == null) {
                put32(k, 80, 0);
            } else {
                byte[] b = n.getBytes(StandardCharsets.ISO_8859_1);
                if (b.length + 1 > Math.min(nameSize & 0xffffffffL, PATH_MAX)) {
                    throw new SyscallError(Errno.ENAMETOOLONG);
                }
                name = new byte[b.length + 1];
                System.arraycopy(b, 0, name, 0, b.length);
                put32(k, 80, name.length);
            }
        }
        if (name != null) {
            UserMemory.write(t, nameAddr, name);
        }
        UserMemory.write(t, arg, k, 0, (int) Math.min(SIZE, usize));
        return 0;
    }

    /** Linux's query_matching_vma: the mapping covering addr, or with COVERING_OR_NEXT the first after it that matches. */
    private static Vma find(AddressSpace mm, long addr, long flags) {
        for (Vma v : mm.vmas()) {
            if (Long.compareUnsigned(v.end, addr) <= 0) {
                continue;
            }
            boolean ok = ((flags & FILE_BACKED) == 0 || v.file != null)
                    && ((flags & READABLE) == 0 || (v.prot & Prot.READ) != 0)
                    && ((flags & WRITABLE) == 0 || (v.prot & Prot.WRITE) != 0)
                    && ((flags & EXECUTABLE) == 0 || (v.prot & Prot.EXEC) != 0)
                    && ((flags & SHARED) == 0 || v.shared);
            if (ok && ((flags & COVERING_OR_NEXT) != 0 || Long.compareUnsigned(v.start, addr) <= 0)) {
                return v;
            }
            if ((flags & COVERING_OR_NEXT) == 0) {
                return null;
            }
        }
        return null;
    }

    private static long get64(byte[] b, int o) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[o + i] & 0xff);
        }
        return v;
    }

    private static int get32(byte[] b, int o) {
        return (b[o] & 0xff) | (b[o + 1] & 0xff) << 8 | (b[o + 2] & 0xff) << 16 | (b[o + 3] & 0xff) << 24;
    }

    private static void put64(byte[] b, int o, long v) {
        for (int i = 0; i < 8; i++) {
            b[o + i] = (byte) (v >>> (8 * i));
        }
    }

    private static void put32(byte[] b, int o, int v) {
        for (int i = 0; i < 4; i++) {
            b[o + i] = (byte) (v >>> (8 * i));
        }
    }
}
