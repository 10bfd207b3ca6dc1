package dev.friscy.fs;

import java.util.List;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * /dev/pts (devpts): a directory that lists the live pseudo-terminal slaves by number, and
 * ptmx. Its nodes are made and dropped by the kernel's pty table; numbers as Linux gives them
 * (root 1, ptmx 2, slave N is inode N + 3). Slave 0 is the console the page or command line
 * is the other end of.
 */
public final class DevPts {
    /** st_dev of devpts (an anonymous device, as Linux gives it). */
    public static final long DEV = 5;
    public static final long DEVPTS_SUPER_MAGIC = 0x1cd1;

    private DevPts() {
    }

    /** A node of devpts: a character device whose st_dev is devpts's. */
    public static final class Node extends Inode {
        Node(long ino, int mode) {
            super(ino, mode);
            this.nlink = 1;
        }

        @Override
        public void stat(Stat st) {
            super.stat(st);
            st.dev = DEV;
            st.blksize = 1024;
        }
    }

    /** The node of slave {@code index} (/dev/pts/N, major 136), owned by {@code uid}:{@code gid}, mode 0620. */
    public static Node slaveNode(int index, int uid, int gid, long now) {
        Node n = new Node(index + 3L, Inode.S_IFCHR | 0620);
        n.rdev = DevFs.makedev(DevFs.PTS_MAJOR, index);
        n.uid = uid;
        n.gid = gid;
        n.atimeNs = now;
        n.mtimeNs = now;
        n.ctimeNs = now;
        n.btimeNs = now;
        return n;
    }

    /**
     * The directory: {@code slave} finds the node of a live slave by number (null if none),
     * {@code names} lists them.
     */
    public static Inode directory(IntFunction<Inode> slave, Supplier<List<String>> names, long now) {
        Node ptmx = new Node(2, Inode.S_IFCHR); // mode 0: programs open /dev/ptmx, not this one
        ptmx.rdev = DevFs.makedev(DevFs.TTYAUX_MAJOR, 2);
        ptmx.atimeNs = now;
        ptmx.mtimeNs = now;
        ptmx.ctimeNs = now;
        ProcFs.Dir d = new ProcFs.Dir(1, 0755, name -> {
            if (name.equals("ptmx")) {
                return ptmx;
            }
            int n = parseIndex(name);
            return n < 0 ? null : slave.apply(n);
        }, () -> {
            List<String> l = names.get();
            l.add("ptmx");
            return l;
        });
        d.dev = DEV;
        d.atimeNs = now;
        d.mtimeNs = now;
        d.ctimeNs = now;
        return d;
    }

    /** "12" -> 12; -1 for anything that is not a plain decimal number (no sign, no leading zero). */
    static int parseIndex(String name) {
        int len = name.length();
        if (len == 0 || len > 7 || (name.charAt(0) == '0' && len > 1)) {
            return -1;
        }
        int v = 0;
        for (int i = 0; i < len; i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
