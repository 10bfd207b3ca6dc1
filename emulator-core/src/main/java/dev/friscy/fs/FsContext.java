package dev.friscy.fs;

/** Per-process file-system context: root, working directory and umask (shared under CLONE_FS). */
public final class FsContext {
    public Inode root;
    public Inode cwd;
    public int umask = 022;

    public FsContext(Inode root, Inode cwd) {
        this.root = root;
        this.cwd = cwd;
    }

    public FsContext copy() {
        FsContext c = new FsContext(root, cwd);
        c.umask = umask;
        return c;
    }
}
