package dev.friscy.fs;

import dev.friscy.kernel.Task;
import dev.friscy.mem.IoBuffer;
import dev.friscy.waiter.WaitQueue;

/**
 * An open FIFO: the I/O of an end of its pipe, but the identity of the FIFO's inode (fstat,
 * fchmod, /proc/pid/fd, locks), as Linux has it. Status flags live here and are handed to
 * the pipe end before each operation.
 */
final class FifoFile extends FileDescription {
    private final FileDescription end;
    private final Inode fifo;
    private final String path;

    FifoFile(FileDescription end, Inode fifo, String path) {
        super(end.flags);
        this.end = end;
        this.fifo = fifo;
        this.path = path;
    }

    private FileDescription sync() {
        end.flags = flags;
        return end;
    }

    @Override
    public int read(Task t, IoBuffer dst) {
        return sync().read(t, dst);
    }

    @Override
    public int write(Task t, IoBuffer src) {
        return sync().write(t, src);
    }

    @Override
    public int poll() {
        return end.poll();
    }

    @Override
    public WaitQueue waitQueue() {
        return end.waitQueue();
    }

    @Override
    public long ioctl(Task t, int cmd, long arg) {
        return sync().ioctl(t, cmd, arg);
    }

    @Override
    public void stat(Stat st) {
        fifo.stat(st);
    }

    @Override
    public Inode inode() {
        return fifo;
    }

    @Override
    public String describe() {
        return fifo.nlink == 0 ? path + " (deleted)" : path;
    }

    @Override
    protected void release() {
        end.decRef();
    }
}
