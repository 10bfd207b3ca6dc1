package dev.friscy.fs;

import dev.friscy.kernel.Task;

/**
 * Opens a named pipe. The pipe implementation installs one in {@link Vfs#fifos}; until then
 * opening a FIFO fails with ENXIO. It may keep the pipe in {@link Inode#fifoPipe}.
 */
public interface FifoOpener {
    FileDescription open(Task t, Inode fifo, String path, int flags);
}
