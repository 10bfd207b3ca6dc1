package dev.friscy.kernel;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.fs.FdTable;
import dev.friscy.fs.Vfs;
import dev.friscy.host.Host;
import dev.friscy.mem.AddressSpace;
import dev.friscy.mem.Prot;
import dev.friscy.testing.TestHost;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The choices friscy makes where Linux could do more: stated, and held to. */
class SysSocketTest {
    private static Task task() {
        Host host = new TestHost();
        Kernel k = new Kernel(host, new Vfs());
        Task t = k.newProcess().leader();
        t.mm = new AddressSpace();
        t.mm.map(0x10000, 0x10000, Prot.READ | Prot.WRITE, false, null, 0, "test");
        t.files = new FdTable();
        t.sighand = new SignalActions();
        return t;
    }

    private static long call(Task t, int nr, long... a) {
        long[] x = new long[6];
        System.arraycopy(a, 0, x, 0, a.length);
        t.kernel.current = t;
        try {
            return t.kernel.syscalls.get(nr).call(t, x[0], x[1], x[2], x[3], x[4], x[5]);
        } catch (SyscallError e) {
            return -e.errno;
        }
    }

    @Test
    void familiesWithoutSupportAreRefused() {
        Task t = task();
        for (int family : new int[] {16 /* AF_NETLINK */, 17 /* AF_PACKET */, 99}) {
            assertEquals(-Errno.EAFNOSUPPORT, call(t, 198, family, 1, 0), "family " + family);
        }
        assertEquals(-Errno.EINVAL, call(t, 198, 2, 1 | 0x100, 0), "unknown type flags");
        assertEquals(-Errno.EPROTONOSUPPORT, call(t, 198, 2, 3, 255), "no raw sockets");
    }

    @Test
    void socketpairWorksAndOtherSocketCallsAnswerHonestly() {
        Task t = task();
        assertEquals(0, call(t, 199, 1, 1, 0, 0x10000));
        int fd = UserMemory.load32(t, 0x10000);
        assertEquals(-Errno.EINVAL, call(t, 201, fd, 5), "listen on a connected pair");
        UserMemory.store32(t, 0x10100, 1); // AF_UNIX, unnamed
        assertEquals(-Errno.EISCONN, call(t, 203, fd, 0x10100, 2), "connect on a connected pair");
        long efd = call(t, 19, 0, 0);
        assertEquals(-Errno.ENOTSOCK, call(t, 210, efd, 1), "shutdown on an eventfd");
        assertEquals(-Errno.EOPNOTSUPP, call(t, 199, 2, 1, 0, 0x10000), "no internet socketpairs");
    }
}
