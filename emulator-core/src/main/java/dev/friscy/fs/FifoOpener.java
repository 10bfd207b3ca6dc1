package dev.friscy.fs;

import dev.friscy.kernel.Task;

/**
 * Opens a named pipe ({@link Fifos}, installed in {@link Vfs#fifos} at boot; without one,
 * opening a FIFO fails with ENXIO). State may be kept in {@link Inode#fifoPipe}.
 */
public interface FifoOpener {
    /** The new description, or null after parking {@code t} until the other end opens (the call re-runs). */
    FileDescription open(Task t, Inode fifo, String path, int flags);
}
