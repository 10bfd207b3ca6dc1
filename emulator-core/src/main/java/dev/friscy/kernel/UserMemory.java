package dev.friscy.kernel;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.mem.AddressSpace;

import java.nio.charset.StandardCharsets;

/** Copies between guest memory and the kernel, failing the call with EFAULT on a bad address. */
public final class UserMemory {
    private UserMemory() {
    }

    public static byte[] read(Task t, long addr, int len) {
        byte[] b = new byte[len];
        if (len > 0 && !t.mm.read(addr, b, 0, len)) {
            t.mm.clearFault();
            throw new SyscallError(Errno.EFAULT);
        }
        return b;
    }

    public static void write(Task t, long addr, byte[] b, int off, int len) {
        if (len > 0 && !t.mm.write(addr, b, off, len)) {
            t.mm.clearFault();
            throw new SyscallError(Errno.EFAULT);
        }
    }

    public static void write(Task t, long addr, byte[] b) {
        write(t, addr, b, 0, b.length);
    }

    public static long load(Task t, long addr, int size) {
        AddressSpace as = t.mm;
        long v = as.load(addr, size);
        if (as.faultSignal != 0) {
            as.clearFault();
            throw new SyscallError(Errno.EFAULT);
        }
        return v;
    }

    public static long load64(Task t, long addr) {
        return load(t, addr, 8);
    }

    public static int load32(Task t, long addr) {
        return (int) load(t, addr, 4);
    }

    public static void store(Task t, long addr, int size, long v) {
        if (!t.mm.store(addr, size, v)) {
            t.mm.clearFault();
            throw new SyscallError(Errno.EFAULT);
        }
    }

    public static void store64(Task t, long addr, long v) {
        store(t, addr, 8, v);
    }

    public static void store32(Task t, long addr, int v) {
        store(t, addr, 4, v);
    }

    /** A NUL-terminated path (ENAMETOOLONG past PATH_MAX) as an ISO-8859-1 string. */
    public static String path(Task t, long addr) {
        if (addr == 0) {
            throw new SyscallError(Errno.EFAULT);
        }
        byte[] b = t.mm.readCString(addr, 4096);
        if (b == null) {
            boolean fault = t.mm.faultSignal != 0;
            t.mm.clearFault();
            throw new SyscallError(fault ? Errno.EFAULT : Errno.ENAMETOOLONG);
        }
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /** A NUL-terminated string of at most {@code max} bytes. */
    public static byte[] cstring(Task t, long addr, int max) {
        byte[] b = t.mm.readCString(addr, max);
        if (b == null) {
            boolean fault = t.mm.faultSignal != 0;
            t.mm.clearFault();
            throw new SyscallError(fault ? Errno.EFAULT : Errno.E2BIG);
        }
        return b;
    }

    /** A NULL-terminated array of string pointers (argv, envp); null pointer = empty. */
    public static byte[][] stringArray(Task t, long addr, int[] budget) {
        if (addr == 0) {
            return new byte[0][];
        }
        java.util.ArrayList<byte[]> list = new java.util.ArrayList<>();
        for (int i = 0; ; i++) {
            long p = load64(t, addr + 8L * i);
            if (p == 0) {
                break;
            }
            if (i > 0x7fff) {
                throw new SyscallError(Errno.E2BIG);
            }
            byte[] s = cstring(t, p, 131072);
            budget[0] -= s.length + 1 + 8;
            if (budget[0] < 0) {
                throw new SyscallError(Errno.E2BIG);
            }
            list.add(s);
        }
        return list.toArray(new byte[0][]);
    }
}
