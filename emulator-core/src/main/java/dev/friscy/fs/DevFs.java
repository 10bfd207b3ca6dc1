package dev.friscy.fs;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.kernel.Kernel;
import dev.friscy.kernel.Task;
import dev.friscy.net.NetFiles;

/**
 * Boot-time setup of the special directories: /dev with its device nodes, /proc (mounted
 * over whatever the image had there), /tmp; and opening device nodes by number.
 */
public final class DevFs {
    public static final int MEM_MAJOR = 1, TTYAUX_MAJOR = 5, PTS_MAJOR = 136;

    private DevFs() {
    }

    /** Linux's new_encode_dev. */
    public static long makedev(int major, int minor) {
        return (minor & 0xffL) | ((long) (major & 0xfff) << 8) | ((long) (minor & ~0xff) << 12);
    }

    public static int major(long dev) {
        return (int) ((dev >>> 8) & 0xfff);
    }

    public static int minor(long dev) {
        return (int) ((dev & 0xff) | ((dev >>> 12) & 0xfff00));
    }

    /** Creates /dev, /proc and /tmp if missing and installs the device nodes. Safe to call twice. */
    public static void populate(Kernel k) {
        Vfs vfs = k.vfs;
        if (vfs.root.btimeNs == 0) {
            // the root was made before the kernel gave the VFS its clock
            long now = vfs.now();
            vfs.root.btimeNs = now;
            vfs.root.atimeNs = now;
        }
        Inode dev = vfs.mkdirs("/dev", 0755);
        vfs.mkdirs("/tmp", 01777);
        vfs.mkdirs("/dev/shm", 01777);
        node(vfs, dev, "null", MEM_MAJOR, DeviceFile.NULL, 0666);
        node(vfs, dev, "zero", MEM_MAJOR, DeviceFile.ZERO, 0666);
        node(vfs, dev, "full", MEM_MAJOR, DeviceFile.FULL, 0666);
        node(vfs, dev, "random", MEM_MAJOR, DeviceFile.RANDOM, 0666);
        node(vfs, dev, "urandom", MEM_MAJOR, DeviceFile.URANDOM, 0666);
        node(vfs, dev, "tty", TTYAUX_MAJOR, 0, 0666);
        node(vfs, dev, "console", TTYAUX_MAJOR, 1, 0600);
        node(vfs, dev, "ptmx", TTYAUX_MAJOR, 2, 0666);
        mountDevPts(k, dev);
        symlink(vfs, dev, "stdin", "/proc/self/fd/0");
        symlink(vfs, dev, "stdout", "/proc/self/fd/1");
        symlink(vfs, dev, "stderr", "/proc/self/fd/2");
        symlink(vfs, dev, "fd", "/proc/self/fd");
        mountProc(k);
        vfs.fifos = new Fifos(k);
        NetFiles.populate(vfs, k.hostname, k.net.nameservers());
    }

    /** devpts on /dev/pts, over whatever directory the image had there. */
    private static void mountDevPts(Kernel k, Inode dev) {
        Inode old = dev.entries.get("pts");
        if (old == k.ptys.directory) {
            return;
        }
        if (old != null) {
            k.vfs.unlink(dev, "pts");
        }
        k.vfs.link(dev, "pts", k.ptys.directory);
    }

    private static void mountProc(Kernel k) {
        Vfs vfs = k.vfs;
        Inode old = vfs.root.entries.get("proc");
        if (old instanceof ProcFs.Dir) {
            return;
        }
        if (old != null) {
            vfs.unlink(vfs.root, "proc");
        }
        ProcFs proc = new ProcFs(k);
        vfs.link(vfs.root, "proc", proc.root);
        Inode sys = vfs.root.entries.get("sys");
        if (sys == null || sys.isDir() && sys.entries != null && sys.entries.isEmpty()) {
            if (sys != null) {
                vfs.unlink(vfs.root, "sys");
            }
            vfs.link(vfs.root, "sys", proc.sysfsRoot());
        }
    }

    private static void node(Vfs vfs, Inode dir, String name, int major, int minor, int perm) {
        Inode old = dir.entries.get(name);
        if (old != null) {
            if (old.isDir()) {
                return; // leave an image's odd choice alone rather than delete a tree
            }
            vfs.unlink(dir, name);
        }
        Inode i = vfs.newInode(Inode.S_IFCHR | perm);
        i.rdev = makedev(major, minor);
        vfs.link(dir, name, i);
    }

    private static void symlink(Vfs vfs, Inode dir, String name, String target) {
        Inode old = dir.entries.get(name);
        if (old != null) {
            if (old.isDir()) {
                return;
            }
            vfs.unlink(dir, name);
        }
        Inode i = vfs.newInode(Inode.S_IFLNK | 0777);
        i.target = target;
        vfs.link(dir, name, i);
    }

    /** Opens character device {@code i}; ENXIO for numbers no driver answers. */
    public static FileDescription open(Task t, Inode i, String path, int flags) {
        Kernel k = t.kernel;
        if (i.type() != Inode.S_IFCHR) {
            throw new SyscallError(Errno.ENXIO);
        }
        int major = major(i.rdev);
        int minor = minor(i.rdev);
        if (major == MEM_MAJOR && (minor == DeviceFile.NULL || minor == DeviceFile.ZERO || minor == DeviceFile.FULL
                || minor == DeviceFile.RANDOM || minor == DeviceFile.URANDOM)) {
            return new DeviceFile(i, path, minor, k.host, flags);
        }
        if (major == TTYAUX_MAJOR && minor == 0) {
            return k.ptys.openControlling(t, i, flags);
        }
        if (major == TTYAUX_MAJOR && minor == 1) {
            return k.tty.open(t, flags | OpenFlags.O_NOCTTY, i); // /dev/console never becomes a controlling terminal
        }
        if (major == TTYAUX_MAJOR && minor == 2) {
            return k.ptys.openMaster(t, i, flags);
        }
        if (major == PTS_MAJOR) {
            return k.ptys.openSlave(t, minor, flags);
        }
        throw new SyscallError(Errno.ENXIO);
    }
}
