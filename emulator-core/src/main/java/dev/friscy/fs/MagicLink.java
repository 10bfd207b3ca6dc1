package dev.friscy.fs;

/**
 * A /proc link such as /proc/pid/fd/3, /proc/pid/exe or /proc/pid/cwd. Its text (readlink)
 * is a description, but following it goes straight to the object it refers to, as Linux does:
 * that is how /dev/stdin reaches a pipe and how a deleted file stays reachable.
 */
public abstract class MagicLink extends Inode {
    protected MagicLink(long ino, String text) {
        super(ino, S_IFLNK | 0777);
        this.target = text;
        this.nlink = 1;
    }

    /** The object the link refers to (a {@link DescriptionNode} for objects without an inode). */
    public abstract Inode jump();

    @Override
    public void stat(Stat st) {
        super.stat(st);
        st.dev = ProcFs.PROC_DEV;
        st.size = 64;
    }
}
