package dev.friscy.kernel;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;

import java.nio.charset.StandardCharsets;

/**
 * The system as a whole: uname and host names, randomness, resource limits and usage,
 * sysinfo, the (single) CPU for the scheduler calls, membarrier and riscv_flush_icache.
 */
final class SysInfo {
    static final String SYSNAME = "Linux";
    static final String RELEASE = "6.12.0-friscy";
    static final String VERSION = "#1 SMP PREEMPT friscy";
    static final String MACHINE = "riscv64";
    /** CPU time is derived from retired instructions at this assumed rate. */
    static final long NS_PER_INSTRUCTION = 1;

    private SysInfo() {
    }

    static void register(SyscallTable t) {
        t.add(160, "uname", (task, buf, a1, a2, a3, a4, a5) -> uname(task, buf));
        t.add(161, "sethostname", (task, name, len, a2, a3, a4, a5) -> {
            task.kernel.hostname = setName(task, name, len);
            return 0;
        });
        t.add(162, "setdomainname", (task, name, len, a2, a3, a4, a5) -> {
            task.kernel.domainname = setName(task, name, len);
            return 0;
        });
        t.add(278, "getrandom", (task, buf, len, flags, a3, a4, a5) -> getrandom(task, buf, len, (int) flags));
        t.add(261, "prlimit64", (task, pid, res, nw, old, a4, a5) -> prlimit(task, (int) pid, (int) res, nw, old));
        t.add(163, "getrlimit", (task, res, old, a2, a3, a4, a5) -> prlimit(task, 0, (int) res, 0, old));
        t.add(164, "setrlimit", (task, res, nw, a2, a3, a4, a5) -> prlimit(task, 0, (int) res, nw, 0));
        t.add(179, "sysinfo", (task, buf, a1, a2, a3, a4, a5) -> sysinfo(task, buf));
        t.add(123, "sched_getaffinity", (task, pid, size, mask, a3, a4, a5) -> {
            if (size < 8 || (size & 7) != 0) {
                throw new SyscallError(Errno.EINVAL);
            }
            if (pid != 0 && task.kernel.task((int) pid) == null) {
                throw new SyscallError(Errno.ESRCH);
            }
            byte[] b = new byte[8];
            b[0] = 1;
            UserMemory.write(task, mask, b);
            return 8;
        });
        t.add(122, "sched_setaffinity", (task, pid, size, mask, a3, a4, a5) -> {
            if (pid != 0 && task.kernel.task((int) pid) == null) {
                throw new SyscallError(Errno.ESRCH);
            }
            if (size < 1 || (UserMemory.load(task, mask, 1) & 1) == 0) {
                throw new SyscallError(Errno.EINVAL); // the only CPU is CPU 0
            }
            return 0;
        });
        t.add(124, "sched_yield", (task, a0, a1, a2, a3, a4, a5) -> {
            task.yieldNow = true;
            return 0;
        });
        t.add(120, "sched_getscheduler", (task, pid, a1, a2, a3, a4, a5) -> {
            if (pid < 0 || pid != 0 && task.kernel.task((int) pid) == null) {
                throw new SyscallError(pid < 0 ? Errno.EINVAL : Errno.ESRCH);
            }
            return 0; // SCHED_OTHER
        });
        t.add(121, "sched_getparam", (task, pid, param, a2, a3, a4, a5) -> {
            if (pid < 0 || pid != 0 && task.kernel.task((int) pid) == null) {
                throw new SyscallError(pid < 0 ? Errno.EINVAL : Errno.ESRCH);
            }
            UserMemory.store32(task, param, 0);
            return 0;
        });
        t.add(119, "sched_setscheduler", (task, pid, policy, param, a3, a4, a5) -> {
            if (policy != 0 && policy != 3 && policy != 5) {
                throw new SyscallError(Errno.EPERM); // real-time policies are not offered
            }
            return 0;
        });
        t.add(118, "sched_setparam", (task, pid, param, a2, a3, a4, a5) -> {
            if (UserMemory.load32(task, param) != 0) {
                throw new SyscallError(Errno.EINVAL);
            }
            return 0;
        });
        t.add(125, "sched_get_priority_max", (task, policy, a1, a2, a3, a4, a5) -> policy == 1 || policy == 2 ? 99 : 0);
        t.add(126, "sched_get_priority_min", (task, policy, a1, a2, a3, a4, a5) -> policy == 1 || policy == 2 ? 1 : 0);
        t.add(168, "getcpu", (task, cpu, node, a2, a3, a4, a5) -> {
            if (cpu != 0) {
                UserMemory.store32(task, cpu, 0);
            }
            if (node != 0) {
                UserMemory.store32(task, node, 0);
            }
            return 0;
        });
        t.add(283, "membarrier", (task, cmd, flags, a2, a3, a4, a5) -> membarrier(task, (int) cmd));
        t.add(259, "riscv_flush_icache", (task, start, end, flags, a3, a4, a5) -> {
            if ((flags & ~1L) != 0) {
                throw new SyscallError(Errno.EINVAL);
            }
            dev.friscy.cpu.Cpu.flushIcache(task.mm, start, end);
            return 0;
        });
        t.add(92, "personality", (task, p, a1, a2, a3, a4, a5) -> {
            if (p != 0xffffffffL && (p & 0xff) != 0) {
                throw new SyscallError(Errno.EINVAL);
            }
            return 0;
        });
        t.add(90, "capget", (task, hdr, data, a2, a3, a4, a5) -> capget(task, hdr, data));
    }

    private static String setName(Task t, long name, long len) {
        if (t.cred().euid != 0) {
            throw new SyscallError(Errno.EPERM);
        }
        if (len < 0 || len > 64) {
            throw new SyscallError(Errno.EINVAL);
        }
        return new String(UserMemory.read(t, name, (int) len), StandardCharsets.ISO_8859_1);
    }

    static long uname(Task t, long buf) {
        byte[] b = new byte[65 * 6];
        String[] f = {SYSNAME, t.kernel.hostname, RELEASE, VERSION, MACHINE, t.kernel.domainname};
        for (int i = 0; i < 6; i++) {
            byte[] s = f[i].getBytes(StandardCharsets.ISO_8859_1);
            System.arraycopy(s, 0, b, 65 * i, Math.min(64, s.length));
        }
        UserMemory.write(t, buf, b);
        return 0;
    }

    static long getrandom(Task t, long buf, long len, int flags) {
        if ((flags & ~7) != 0 || (flags & 6) == 6) {
            throw new SyscallError(Errno.EINVAL);
        }
        int n = (int) Math.min(len, 33554431);
        if (n < 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        byte[] b = new byte[n];
        t.kernel.host.randomBytes(b, 0, n);
        UserMemory.write(t, buf, b);
        return n;
    }

    static long prlimit(Task t, int pid, int res, long nw, long old) {
        if (res < 0 || res >= Rlimits.COUNT) {
            throw new SyscallError(Errno.EINVAL);
        }
        ThreadGroup g = SysIdentity.lookup(t, pid);
        long[] cur = g.rlimits[res];
        long[] next = null;
        if (nw != 0) {
            long soft = UserMemory.load64(t, nw);
            long hard = UserMemory.load64(t, nw + 8);
            if (Long.compareUnsigned(soft, hard) > 0) {
                throw new SyscallError(Errno.EINVAL);
            }
            if (Long.compareUnsigned(hard, cur[1]) > 0 && t.cred().euid != 0) {
                throw new SyscallError(Errno.EPERM);
            }
            if (res == Rlimits.NOFILE && Long.compareUnsigned(hard, 1 << 20) > 0) {
                throw new SyscallError(Errno.EPERM);
            }
            next = new long[] {soft, hard};
        }
        if (old != 0) {
            UserMemory.store64(t, old, cur[0]);
            UserMemory.store64(t, old + 8, cur[1]);
        }
        if (next != null) {
            g.rlimits[res] = next;
            if (res == Rlimits.NOFILE) {
                for (Task o : g.tasks) {
                    o.files.limit = (int) Math.min(next[0] < 0 ? 1 << 20 : next[0], 1 << 20);
                }
            }
        }
        return 0;
    }

    static long sysinfo(Task t, long buf) {
        byte[] b = new byte[112];
        long up = t.kernel.uptimeNs() / 1_000_000_000L;
        SignalFrame.putLong(b, 0, up);
        long total = 4L << 30;
        long used = 0;
        for (ThreadGroup g : t.kernel.processes()) {
            Task l = g.leader();
            if (l != null && l.mm != null) {
                used += l.mm.residentPages() * 4096;
            }
        }
        SignalFrame.putLong(b, 32, total);
        SignalFrame.putLong(b, 40, Math.max(0, total - used));
        SignalFrame.putLong(b, 48, 0);
        SignalFrame.putLong(b, 56, 0);
        SignalFrame.putLong(b, 64, 0);
        SignalFrame.putLong(b, 72, 0);
        b[80] = (byte) t.kernel.processCount();
        b[81] = (byte) (t.kernel.processCount() >> 8);
        SignalFrame.putInt(b, 104, 1);
        UserMemory.write(t, buf, b);
        return 0;
    }

    /** struct rusage: user time from retired instructions, the rest zero. */
    static void writeRusage(Task t, long addr, long instructions) {
        byte[] b = new byte[144];
        long ns = instructions * NS_PER_INSTRUCTION;
        SignalFrame.putLong(b, 0, ns / 1_000_000_000L);
        SignalFrame.putLong(b, 8, (ns / 1000) % 1_000_000L);
        UserMemory.write(t, addr, b);
    }

    static long membarrier(Task t, int cmd) {
        // one CPU: every barrier is already satisfied once the call returns
        switch (cmd) {
            case 0: // QUERY
                return 1 | 8 | 16 | 32 | 64 | 128;
            case 1: case 8: case 16: case 32: case 64: case 128:
                return 0;
            default:
                throw new SyscallError(Errno.EINVAL);
        }
    }

    static long capget(Task t, long hdr, long data) {
        int version = UserMemory.load32(t, hdr);
        if (version != 0x20080522 && version != 0x20071026 && version != 0x19980330) {
            UserMemory.store32(t, hdr, 0x20080522);
            throw new SyscallError(Errno.EINVAL);
        }
        if (data != 0) {
            boolean root = t.cred().euid == 0;
            int words = version == 0x19980330 ? 1 : 2;
            for (int i = 0; i < words; i++) {
                int v = root ? (i == 0 ? -1 : 0x1ff) : 0;
                UserMemory.store32(t, data + 12L * i, v);
                UserMemory.store32(t, data + 12L * i + 4, v);
                UserMemory.store32(t, data + 12L * i + 8, 0);
            }
        }
        return 0;
    }
}
