package dev.friscy.fs;

import dev.friscy.errno.SyscallError;
import dev.friscy.kernel.FsTestTask;
import dev.friscy.kernel.Kernel;
import dev.friscy.kernel.Task;
import dev.friscy.testing.TestHost;

import java.nio.charset.StandardCharsets;

/** Calls system calls by number for a fixture task, with a bump allocator in its scratch memory. */
final class Guest {
    final TestHost host;
    final Vfs vfs;
    final Kernel kernel;
    final Task task;
    private long next = FsTestTask.SCRATCH;

    Guest() {
        this(0, 0);
    }

    Guest(int uid, int gid) {
        host = new TestHost();
        vfs = new Vfs();
        kernel = new Kernel(host, vfs);
        DevFs.populate(kernel);
        task = FsTestTask.create(kernel, uid, gid);
    }

    private Guest(Guest shared, int uid, int gid) {
        host = shared.host;
        vfs = shared.vfs;
        kernel = shared.kernel;
        task = FsTestTask.create(kernel, uid, gid);
    }

    /** Another process in the same kernel, with other credentials. */
    Guest other(int uid, int gid) {
        return new Guest(this, uid, gid);
    }

    /** The raw result (>= 0, or -errno). */
    long call(int nr, long... a) {
        long[] x = new long[6];
        System.arraycopy(a, 0, x, 0, a.length);
        FsTestTask.makeCurrent(task);
        try {
            return kernel.syscalls.get(nr).call(task, x[0], x[1], x[2], x[3], x[4], x[5]);
        } catch (SyscallError e) {
            return -e.errno;
        }
    }

    long alloc(int len) {
        long a = next;
        next += (len + 15) & ~15;
        return a;
    }

    long str(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        long a = alloc(b.length + 1);
        task.mm.write(a, b, 0, b.length);
        task.mm.write(a + b.length, new byte[1], 0, 1);
        return a;
    }

    long bytes(byte[] b) {
        long a = alloc(b.length);
        task.mm.write(a, b, 0, b.length);
        return a;
    }

    byte[] read(long addr, int len) {
        byte[] b = new byte[len];
        task.mm.read(addr, b, 0, len);
        return b;
    }

    long u64(long addr) {
        return task.mm.load(addr, 8);
    }

    int u32(long addr) {
        return (int) task.mm.load(addr, 4);
    }

    int u16(long addr) {
        return (int) task.mm.load(addr, 2) & 0xffff;
    }

    void put64(long addr, long v) {
        task.mm.store(addr, 8, v);
    }

    // convenience wrappers
    static final int AT_FDCWD = -100;

    long open(String path, int flags, int mode) {
        return call(56, AT_FDCWD, str(path), flags, mode);
    }

    long open(String path, int flags) {
        return open(path, flags, 0);
    }

    long write(long fd, String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return call(64, fd, bytes(b), b.length);
    }

    String readAll(long fd) {
        StringBuilder sb = new StringBuilder();
        long buf = alloc(4096);
        while (true) {
            long n = call(63, fd, buf, 4096);
            if (n <= 0) {
                if (n < 0) {
                    throw new AssertionError("read failed: " + n);
                }
                return sb.toString();
            }
            sb.append(new String(read(buf, (int) n), StandardCharsets.ISO_8859_1));
        }
    }

    String cat(String path) {
        long fd = open(path, OpenFlags.O_RDONLY);
        if (fd < 0) {
            throw new AssertionError("open " + path + " failed: " + fd);
        }
        String s = readAll(fd);
        call(57, fd);
        return s;
    }

    /** newfstatat into a fresh buffer; returns the buffer address (or throws on error). */
    long stat(String path, int flags) {
        long buf = alloc(128);
        long r = call(79, AT_FDCWD, str(path), buf, flags);
        if (r != 0) {
            throw new AssertionError("stat " + path + " failed: " + r);
        }
        return buf;
    }

    int mode(String path) {
        return u32(stat(path, 0) + 16);
    }
}
