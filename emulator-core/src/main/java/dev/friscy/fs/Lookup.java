package dev.friscy.fs;

/**
 * The result of walking a path: the directory holding the last component, its name, and the
 * inode it names (null if it does not exist, for calls that create it).
 */
public final class Lookup {
    public final Inode dir;
    public final String name;
    public final Inode inode;
    /** The path ended in '/': the object must be (or be created as) a directory. */
    public final boolean trailingSlash;

    public Lookup(Inode dir, String name, Inode inode, boolean trailingSlash) {
        this.dir = dir;
        this.name = name;
        this.inode = inode;
        this.trailingSlash = trailingSlash;
    }

    /** True when the last component is "." or ".." (or the path is "/"): nothing to create or remove. */
    public boolean isDot() {
        return name.equals(".") || name.equals("..") || name.equals("/");
    }
}
