package dev.friscy.fs;

/** The fields of struct stat / statx that the file system reports. */
public final class Stat {
    public long dev;
    public long ino;
    public int mode;
    public int nlink;
    public int uid;
    public int gid;
    public long rdev;
    public long size;
    public int blksize = 4096;
    public long blocks;
    public long atimeNs;
    public long mtimeNs;
    public long ctimeNs;
    public long btimeNs;
}
