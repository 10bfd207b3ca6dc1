package dev.friscy.kernel;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.fs.DevPts;
import dev.friscy.fs.FileDescription;
import dev.friscy.fs.Inode;
import dev.friscy.fs.OpenFlags;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The pseudo-terminal table (devpts and /dev/ptmx): numbers pairs, lists their slaves in
 * /dev/pts, and answers which terminal a session controls. Number 0 is the console's.
 */
public final class Ptys {
    /** /proc/sys/kernel/pty/max: Linux's default. */
    public static final int MAX = 4096;

    private final Kernel kernel;
    /** Pairs in use, by number: from the master's open until the master and every slave closed. */
    private final TreeMap<Integer, Pty> pairs = new TreeMap<>();
    /** Pairs whose slave is listed in /dev/pts (until the master closes). */
    private final TreeMap<Integer, Pty> listed = new TreeMap<>();
    /** /dev/pts, made at boot. */
    public final Inode directory;

    Ptys(Kernel kernel) {
        this.kernel = kernel;
        this.directory = DevPts.directory(this::node, this::names, kernel.realtimeNs());
    }

    /** Pairs in use now (/proc/sys/kernel/pty/nr). */
    public int inUse() {
        return pairs.size();
    }

    private Inode node(int index) {
        if (index == 0) {
            return kernel.tty.node;
        }
        Pty p = listed.get(index);
        return p == null ? null : p.slave.node;
    }

    private List<String> names() {
        List<String> l = new ArrayList<>();
        l.add("0");
        for (Integer i : listed.keySet()) {
            l.add(Integer.toString(i));
        }
        return l;
    }

    /** open("/dev/ptmx"): a new pair, its slave locked; {@code ptmx} is the node opened (for fstat). */
    public FileDescription openMaster(Task t, Inode ptmx, int flags) {
        if (pairs.size() >= MAX) {
            throw new SyscallError(Errno.ENOSPC);
        }
        int index = 1;
        for (Integer used : pairs.keySet()) {
            if (used != index) {
                break;
            }
            index++;
        }
        int uid = t == null ? 0 : t.tg.cred.fsuid;
        int gid = t == null ? 0 : t.tg.cred.fsgid;
        Pty p = new Pty(kernel, index, uid, gid);
        pairs.put(index, p);
        listed.put(index, p);
        return new PtyMaster(p, ptmx, flags);
    }

    /** open("/dev/pts/N"): EIO while the pair is locked, ENXIO for a number not in use. */
    public FileDescription openSlave(Task t, int index, int flags) {
        if (index == 0) {
            return kernel.tty.open(t, flags);
        }
        Pty p = listed.get(index);
        if (p == null) {
            throw new SyscallError(Errno.ENXIO);
        }
        if (p.locked) {
            throw new SyscallError(Errno.EIO);
        }
        return p.slave.open(t, flags);
    }

    /**
     * /dev/tty: the caller's controlling terminal, never made one by this open. ENXIO when its
     * session has none, except that the console answers while no session has it.
     */
    public FileDescription openControlling(Task t, Inode tty, int flags) {
        Terminal c = controlling(t.tg.sid);
        if (c == null && kernel.tty.session() == 0) {
            c = kernel.tty;
        }
        if (c == null) {
            throw new SyscallError(Errno.ENXIO);
        }
        return c.open(t, flags | OpenFlags.O_NOCTTY, tty);
    }

    /** TIOCGPTPEER: a slave description straight from the master, with no path walk. */
    FileDescription openPeer(Task t, Pty p, int flags) {
        if (p.locked) {
            throw new SyscallError(Errno.EIO);
        }
        return p.slave.open(t, flags & (OpenFlags.O_ACCMODE | OpenFlags.O_NOCTTY | OpenFlags.O_NONBLOCK));
    }

    /** The master closed: the slave's name goes. */
    void unlist(Pty p) {
        listed.remove(p.index);
    }

    /** Master and slaves all closed: the number is free again. */
    void free(Pty p) {
        if (pairs.get(p.index) == p) {
            pairs.remove(p.index);
        }
    }

    /** The terminal that session {@code sid} controls, or null. */
    public Terminal controlling(int sid) {
        if (sid == 0) {
            return null;
        }
        if (kernel.tty.session() == sid) {
            return kernel.tty;
        }
        for (Pty p : pairs.values()) {
            if (p.slave.session() == sid) {
                return p.slave;
            }
        }
        return null;
    }

    /** A process died: a session leader's death hangs up the terminal its session controls. */
    void processExited(ThreadGroup g) {
        if (g.pid != g.sid) {
            return;
        }
        Terminal c = controlling(g.sid);
        if (c != null) {
            c.processExited(g);
        }
    }
}
