package dev.friscy.image;

import java.util.TreeMap;

/**
 * One file system object of an image being assembled. Hard links are several directory entries
 * naming the same Inode. Only the fields of its kind are used.
 */
final class Inode {
    enum Kind { DIRECTORY, REGULAR, SYMLINK, CHAR_DEVICE, BLOCK_DEVICE, FIFO }

    final Kind kind;
    int mode;           // permission bits incl. setuid/setgid/sticky (07777)
    long uid;
    long gid;
    byte[] data;        // REGULAR
    String linkTarget;  // SYMLINK
    int devMajor;       // devices
    int devMinor;
    final TreeMap<String, Inode> children; // DIRECTORY, sorted so output order is fixed

    Inode(Kind kind, int mode, long uid, long gid) {
        this.kind = kind;
        this.mode = mode & 07777;
        this.uid = uid;
        this.gid = gid;
        this.children = kind == Kind.DIRECTORY ? new TreeMap<>() : null;
    }

    static Inode directory(int mode, long uid, long gid) {
        return new Inode(Kind.DIRECTORY, mode, uid, gid);
    }

    static Inode regular(int mode, long uid, long gid, byte[] data) {
        Inode i = new Inode(Kind.REGULAR, mode, uid, gid);
        i.data = data;
        return i;
    }

    static Inode symlink(String target, long uid, long gid) {
        Inode i = new Inode(Kind.SYMLINK, 0777, uid, gid);
        i.linkTarget = target;
        return i;
    }

    boolean isDirectory() {
        return kind == Kind.DIRECTORY;
    }
}
