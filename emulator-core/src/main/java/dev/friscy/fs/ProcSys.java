package dev.friscy.fs;

import dev.friscy.errno.Errno;
import dev.friscy.kernel.Kernel;
import dev.friscy.kernel.Sysctl;
import dev.friscy.kernel.SysvIpc;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * /proc/sys (the sysctl files programs read and root tunes) and /proc/sysvipc. A writable
 * file is root's (mode 0644); a write is parsed and checked as Linux does and takes effect at
 * once, because the kernel enforces these values ({@link Sysctl}, {@link SysvIpc}).
 */
final class ProcSys {
    private final Kernel k;
    private final long ino;
    private String bootId;

    ProcSys(Kernel k, long ino) {
        this.k = k;
        this.ino = ino;
    }

    /** One directory's files, in order, with their inode numbers. */
    private final class Files {
        final TreeMap<String, Supplier<ProcFs.FileNode>> files = new TreeMap<>();
        final TreeMap<String, Supplier<Inode>> dirs = new TreeMap<>();
        final long base;
        int next = 1;

        Files(long base) {
            this.base = base;
        }

        Files ro(String name, Supplier<String> text) {
            long i = base + next++;
            files.put(name, () -> new ProcFs.FileNode(i, 0444, text));
            return this;
        }

        Files rw(String name, Supplier<String> text, Function<String, Integer> writer) {
            long i = base + next++;
            files.put(name, () -> {
                ProcFs.FileNode f = new ProcFs.FileNode(i, 0644, text);
                f.writer = writer;
                return f;
            });
            return this;
        }

        Files dir(String name, Supplier<Inode> d) {
            dirs.put(name, d);
            return this;
        }

        ProcFs.Dir build(long dirIno) {
            return new ProcFs.Dir(dirIno, 0555, n -> {
                Supplier<ProcFs.FileNode> f = files.get(n);
                if (f != null) {
                    return f.get();
                }
                Supplier<Inode> d = dirs.get(n);
                return d == null ? null : d.get();
            }, () -> {
                List<String> l = new ArrayList<>(files.keySet());
                l.addAll(dirs.keySet());
                l.sort(null);
                return l;
            });
        }
    }

    private static String line(long v) {
        return v + "\n";
    }

    private static String unsignedLine(long v) {
        return Long.toUnsignedString(v) + "\n";
    }

    /** An int tunable between lo and hi (proc_dointvec_minmax). */
    private static Integer intIn(String s, long lo, long hi, java.util.function.IntConsumer set) {
        Long v = Sysctl.parse(s);
        if (v == null || v < lo || v > hi) {
            return Errno.EINVAL;
        }
        set.accept((int) (long) v);
        return 0;
    }

    /** An unsigned long tunable (proc_doulongvec_minmax). */
    private static Integer ulong(String s, java.util.function.LongConsumer set) {
        String t = s.trim();
        if (t.isEmpty() || t.length() > 20) {
            return Errno.EINVAL;
        }
        // decimal digits into 64 unsigned bits (TeaVM has no Long.parseUnsignedLong)
        long v = 0;
        for (int i = 0; i < t.length(); i++) {
            int d = t.charAt(i) - '0';
            if (d < 0 || d > 9 || Long.compareUnsigned(v, 0x1999999999999999L) > 0) {
                return Errno.EINVAL;
            }
            long next = v * 10 + d;
            if (Long.compareUnsigned(next, v * 10) < 0) {
                return Errno.EINVAL; // past 2^64 - 1
            }
            v = next;
        }
        set.accept(v);
        return 0;
    }

    /** /proc/sys */
    Inode dir() {
        if (bootId == null) {
            bootId = ProcFs.uuid(k);
        }
        Sysctl sc = k.sysctl;
        SysvIpc ipc = k.ipc;
        ProcFs.Dir random = new Files(ino + 20)
                .ro("uuid", () -> ProcFs.uuid(k) + "\n")
                .ro("boot_id", () -> bootId + "\n")
                .build(ino + 19);
        ProcFs.Dir vm = new Files(ino + 30)
                .ro("overcommit_memory", () -> "0\n")
                .rw("max_map_count", () -> line(sc.maxMapCount), sc::setMaxMapCount)
                .build(ino + 29);
        ProcFs.Dir fs = new Files(ino + 40)
                .rw("pipe-max-size", () -> line(sc.pipeMaxSize), sc::setPipeMaxSize)
                .rw("pipe-user-pages-soft", () -> line(sc.pipeUserPagesSoft), sc::setPipeUserPagesSoft)
                .rw("pipe-user-pages-hard", () -> line(sc.pipeUserPagesHard), sc::setPipeUserPagesHard)
                .rw("lease-break-time", () -> line(sc.leaseBreakTime), sc::setLeaseBreakTime)
                .build(ino + 39);
        ProcFs.Dir pty = new Files(ino + 50)
                .ro("max", () -> line(dev.friscy.kernel.Ptys.MAX))
                .ro("nr", () -> line(k.ptys.inUse()))
                .build(ino + 49);
        ProcFs.Dir kernel = new Files(ino + 60)
                .dir("random", () -> random)
                .dir("pty", () -> pty)
                .rw("hostname", () -> k.hostname + "\n", s -> {
                    String h = s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
                    k.hostname = h.length() > 64 ? h.substring(0, 64) : h;
                    return 0;
                })
                .ro("osrelease", () -> ProcFs.OS_RELEASE + "\n")
                .ro("ostype", () -> "Linux\n")
                .rw("pid_max", () -> line(sc.pidMax), sc::setPidMax)
                .rw("threads-max", () -> line(k.threadsMax()), sc::setThreadsMax)
                .rw("tainted", () -> line(sc.tainted), sc::setTainted)
                .rw("core_pattern", () -> sc.corePattern + "\n", sc::setCorePattern)
                .rw("shmmax", () -> unsignedLine(ipc.shmmax), s -> ulong(s, v -> ipc.shmmax = v))
                .rw("shmall", () -> unsignedLine(ipc.shmall), s -> ulong(s, v -> ipc.shmall = v))
                .rw("shmmni", () -> line(ipc.shmmni), s -> intIn(s, 0, 1 << 15, v -> ipc.shmmni = v))
                .rw("sem", ipc::semLimits, s -> ipc.setSemLimits(s) ? 0 : Errno.EINVAL)
                .rw("msgmax", () -> line(ipc.msgmax), s -> intIn(s, 0, Integer.MAX_VALUE, v -> ipc.msgmax = v))
                .rw("msgmnb", () -> line(ipc.msgmnb), s -> intIn(s, 0, Integer.MAX_VALUE, v -> ipc.msgmnb = v))
                .rw("msgmni", () -> line(ipc.msgmni), s -> intIn(s, 0, 1 << 15, v -> ipc.msgmni = v))
                .build(ino + 59);
        return new Files(ino + 90)
                .dir("kernel", () -> kernel)
                .dir("vm", () -> vm)
                .dir("fs", () -> fs)
                .build(ino);
    }

    /** /proc/sysvipc */
    Inode sysvipc(long base) {
        SysvIpc ipc = k.ipc;
        return new Files(base + 1)
                .ro("shm", ipc::shmText)
                .ro("sem", ipc::semText)
                .ro("msg", ipc::msgText)
                .build(base);
    }
}
