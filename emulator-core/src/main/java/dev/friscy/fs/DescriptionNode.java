package dev.friscy.fs;

/**
 * Stands in the path walk for an open description that has no inode of its own (a pipe or the
 * terminal reached through /proc/self/fd/N): stat reports the description, and opening it
 * reopens the description.
 */
public final class DescriptionNode extends Inode {
    public final FileDescription description;

    public DescriptionNode(long ino, FileDescription description) {
        super(ino, 0);
        this.description = description;
        Stat st = new Stat();
        description.stat(st);
        this.mode = st.mode;
        this.uid = st.uid;
        this.gid = st.gid;
        this.nlink = 1;
    }

    @Override
    public void stat(Stat st) {
        description.stat(st);
    }
}
