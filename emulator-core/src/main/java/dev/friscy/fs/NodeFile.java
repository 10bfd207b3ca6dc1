package dev.friscy.fs;

/**
 * A description opened through a node of the file system by a path: fstat, the node (locks,
 * fchmod, ...) and the name /proc/PID/fd shows come from them.
 */
public abstract class NodeFile extends FileDescription {
    protected final Inode inode;
    protected final String path;

    protected NodeFile(Inode inode, String path, int flags) {
        super(flags);
        this.inode = inode;
        this.path = path;
    }

    @Override
    public void stat(Stat st) {
        inode.stat(st);
    }

    @Override
    public Inode inode() {
        return inode;
    }

    @Override
    public String describe() {
        return path;
    }

    /** The path, marked as Linux marks a file or directory unlinked since it was opened. */
    protected final String pathOrDeleted() {
        return inode.nlink == 0 ? path + " (deleted)" : path;
    }
}
