package dev.friscy.tty;

import dev.friscy.fs.FileDescription;
import dev.friscy.fs.Inode;
import dev.friscy.fs.Stat;
import dev.friscy.kernel.Task;
import dev.friscy.waiter.WaitQueue;

/** An open description of the terminal. */
public final class TtyFile extends FileDescription {
    private final Tty tty;

    TtyFile(Tty tty, int flags) {
        super(flags);
        this.tty = tty;
    }

    @Override
    public int read(byte[] buf, int off, int len) {
        return tty.read(buf, off, len);
    }

    @Override
    public int write(byte[] buf, int off, int len) {
        return tty.write(buf, off, len);
    }

    @Override
    public int poll() {
        return tty.poll();
    }

    @Override
    public WaitQueue waitQueue() {
        return tty.readers;
    }

    @Override
    public long ioctl(Task t, int cmd, long arg) {
        return tty.ioctl(t, this, cmd, arg);
    }

    @Override
    public void stat(Stat st) {
        st.dev = 5;
        st.ino = 3;
        st.mode = Inode.S_IFCHR | 0620;
        st.nlink = 1;
        st.rdev = (136L << 8); // /dev/pts/0
        st.blksize = 1024;
    }

    @Override
    public String describe() {
        return "/dev/pts/0";
    }

    @Override
    public boolean isTty() {
        return true;
    }
}
