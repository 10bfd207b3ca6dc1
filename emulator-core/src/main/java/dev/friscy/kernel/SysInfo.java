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

    private SysInfo() {
    }

    static long sys_uname(Task task, long buf, long a1, long a2, long a3, long a4, long a5) {
        return uname(task, buf);
    }

    static long sys_sethostname(Task task, long name, long len, long a2, long a3, long a4, long a5) {
        task.kernel.hostname = setName(task, name, len);
        return 0;
    }

    static long sys_setdomainname(Task task, long name, long len, long a2, long a3, long a4, long a5) {
        task.kernel.domainname = setName(task, name, len);
        return 0;
    }

    static long sys_getrandom(Task task, long buf, long len, long flags, long a3, long a4, long a5) {
        return getrandom(task, buf, len, (int) flags);
    }

    static long sys_prlimit64(Task task, long pid, long res, long nw, long old, long a4, long a5) {
        return prlimit(task, (int) pid, (int) res, nw, old);
    }

    static long sys_getrlimit(Task task, long res, long old, long a2, long a3, long a4, long a5) {
        return prlimit(task, 0, (int) res, 0, old);
    }

    static long sys_setrlimit(Task task, long res, long nw, long a2, long a3, long a4, long a5) {
        return prlimit(task, 0, (int) res, nw, 0);
    }

    static long sys_sysinfo(Task task, long buf, long a1, long a2, long a3, long a4, long a5) {
        return sysinfo(task, buf);
    }

    static long sys_sched_getaffinity(Task task, long pid, long size, long mask, long a3, long a4, long a5) {
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
    }

    static long sys_sched_setaffinity(Task task, long pid, long size, long mask, long a3, long a4, long a5) {
        if (pid != 0 && task.kernel.task((int) pid) == null) {
            throw new SyscallError(Errno.ESRCH);
        }
        if (size < 1 || (UserMemory.load(task, mask, 1) & 1) == 0) {
            throw new SyscallError(Errno.EINVAL); // the only CPU is CPU 0
        }
        return 0;
    }

    static long sys_sched_yield(Task task, long a0, long a1, long a2, long a3, long a4, long a5) {
        task.yieldNow = true;
        return 0;
    }

    static long sys_sched_getscheduler(Task task, long pid, long a1, long a2, long a3, long a4, long a5) {
        if (pid < 0 || pid != 0 && task.kernel.task((int) pid) == null) {
            throw new SyscallError(pid < 0 ? Errno.EINVAL : Errno.ESRCH);
        }
        return 0; // SCHED_OTHER
    }

    static long sys_sched_getparam(Task task, long pid, long param, long a2, long a3, long a4, long a5) {
        if (pid < 0 || pid != 0 && task.kernel.task((int) pid) == null) {
            throw new SyscallError(pid < 0 ? Errno.EINVAL : Errno.ESRCH);
        }
        UserMemory.store32(task, param, 0);
        return 0;
    }

    static long sys_sched_setscheduler(Task task, long pid, long policy, long param, long a3, long a4, long a5) {
        if (policy != 0 && policy != 3 && policy != 5) {
            throw new SyscallError(Errno.EPERM); // real-time policies are not offered
        }
        return 0;
    }

    static long sys_sched_setparam(Task task, long pid, long param, long a2, long a3, long a4, long a5) {
        if (UserMemory.load32(task, param) != 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        return 0;
    }

    static long sys_sched_get_priority_max(Task task, long policy, long a1, long a2, long a3, long a4, long a5) {
        return policy == 1 || policy == 2 ? 99 : 0;
    }

    static long sys_sched_get_priority_min(Task task, long policy, long a1, long a2, long a3, long a4, long a5) {
        return policy == 1 || policy == 2 ? 1 : 0;
    }

    static long sys_getcpu(Task task, long cpu, long node, long a2, long a3, long a4, long a5) {
        if (cpu != 0) {
            UserMemory.store32(task, cpu, 0);
        }
        if (node != 0) {
            UserMemory.store32(task, node, 0);
        }
        return 0;
    }

    static long sys_membarrier(Task task, long cmd, long flags, long a2, long a3, long a4, long a5) {
        return membarrier(task, (int) cmd);
    }

    static long sys_riscv_flush_icache(Task task, long start, long end, long flags, long a3, long a4, long a5) {
        if ((flags & ~1L) != 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        dev.friscy.cpu.Cpu.flushIcache(task.mm, start, end);
        return 0;
    }

    static long sys_personality(Task task, long p, long a1, long a2, long a3, long a4, long a5) {
        if (p != 0xffffffffL && (p & 0xff) != 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        return 0;
    }

    static long sys_capget(Task task, long hdr, long data, long a2, long a3, long a4, long a5) {
        return capget(task, hdr, data);
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
