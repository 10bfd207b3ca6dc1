package dev.friscy.kernel;

import dev.friscy.fs.FdTable;
import dev.friscy.fs.FsContext;
import dev.friscy.mem.AddressSpace;
import dev.friscy.mem.Prot;

/** Test fixture: a process with an address space and fd table but no program, for calling system calls directly. */
public final class FsTestTask {
    /** Start of the scratch memory every fixture task has mapped read-write. */
    public static final long SCRATCH = 0x100000;
    public static final long SCRATCH_SIZE = 4 << 20;

    private FsTestTask() {
    }

    public static Task create(Kernel k, int uid, int gid) {
        ThreadGroup g = k.newProcess();
        Task t = g.leader();
        g.pgid = g.pid;
        g.sid = g.pid;
        g.cred.uid = g.cred.euid = g.cred.suid = g.cred.fsuid = uid;
        g.cred.gid = g.cred.egid = g.cred.sgid = g.cred.fsgid = gid;
        g.argv = new byte[][] {"test".getBytes(), "arg".getBytes()};
        t.comm = "test";
        t.mm = new AddressSpace();
        t.hart.as = t.mm;
        t.mm.map(SCRATCH, SCRATCH_SIZE, Prot.READ | Prot.WRITE, false, null, 0, "[scratch]");
        t.files = new FdTable();
        t.fs = new FsContext(k.vfs.root, k.vfs.root);
        t.sighand = new SignalActions();
        k.current = t;
        return t;
    }

    /** Makes {@code t} the caller (what /proc/self resolves to). */
    public static void makeCurrent(Task t) {
        t.kernel.current = t;
    }
}
