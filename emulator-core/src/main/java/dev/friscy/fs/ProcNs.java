package dev.friscy.fs;

import dev.friscy.kernel.ThreadGroup;

import java.util.ArrayList;
import java.util.List;

/**
 * /proc/PID/ns: every process here lives in the one initial namespace of each kind (there are
 * no unshare or setns), so each link names that namespace, with the inode numbers Linux gives
 * its initial namespaces. Following a link reaches the namespace's nsfs file, whose st_dev and
 * st_ino are what programs compare to tell namespaces apart.
 */
final class ProcNs {
    /** st_dev of the namespace files (nsfs). */
    static final long NSFS_DEV = 3;
    private static final String[] KINDS = {"cgroup", "ipc", "mnt", "net", "pid", "pid_for_children", "time",
        "time_for_children", "user", "uts"};

    private ProcNs() {
    }

    /** Linux's inode numbers of the initial namespaces (include/linux/proc_ns.h). */
    static long inum(String kind) {
        switch (kind) {
            case "ipc":
                return 0xEFFFFFFFL;
            case "uts":
                return 0xEFFFFFFEL;
            case "user":
                return 0xEFFFFFFDL;
            case "pid":
            case "pid_for_children":
                return 0xEFFFFFFCL;
            case "cgroup":
                return 0xEFFFFFFBL;
            case "time":
            case "time_for_children":
                return 0xEFFFFFFAL;
            case "net":
                return 0xEFFFFFF9L;
            case "mnt":
                return 0xEFFFFFF8L;
            default:
                return 0;
        }
    }

    /** The nsfs file of one namespace. */
    static final class NsFile extends Inode {
        NsFile(long ino) {
            super(ino, S_IFREG | 0444);
            this.nlink = 1;
        }

        @Override
        public boolean mutable() {
            return false;
        }

        @Override
        public void stat(Stat st) {
            super.stat(st);
            st.dev = NSFS_DEV;
            st.size = 0;
        }
    }

    static ProcFs.Dir dir(long ino, ThreadGroup g) {
        return new ProcFs.Dir(ino, 0511, n -> {
            long inum = inum(n);
            if (inum == 0) {
                return null;
            }
            String type = n.endsWith("_for_children") ? n.substring(0, n.indexOf('_')) : n;
            NsFile nsFile = new NsFile(inum);
            return new MagicLink(ino + 1 + indexOf(n), type + ":[" + inum + "]") {
                @Override
                public Inode jump() {
                    return nsFile;
                }
            };
        }, () -> {
            List<String> l = new ArrayList<>();
            for (String k : KINDS) {
                l.add(k);
            }
            return l;
        });
    }

    private static int indexOf(String n) {
        for (int i = 0; i < KINDS.length; i++) {
            if (KINDS[i].equals(n)) {
                return i;
            }
        }
        return -1;
    }
}
