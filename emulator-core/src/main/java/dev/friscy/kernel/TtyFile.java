package dev.friscy.kernel;

import dev.friscy.fs.FileDescription;
import dev.friscy.fs.Inode;
import dev.friscy.fs.Poll;
import dev.friscy.fs.Stat;
import dev.friscy.mem.IoBuffer;
import dev.friscy.waiter.WaitQueue;

/** An open description of the terminal: the caller's job-control checks, then the line discipline. */
public final class TtyFile extends FileDescription {
    private final Terminal terminal;

    TtyFile(Terminal terminal, int flags) {
        super(flags);
        this.terminal = terminal;
    }

    @Override
    public int read(Task t, IoBuffer dst) {
        byte[] b = new byte[dst.chunk()];
        int n = terminal.read(t, b, 0, b.length);
        dst.copyOut(0, b, 0, n);
        return n;
    }

    @Override
    public int write(Task t, IoBuffer src) {
        byte[] b = src.copyIn(src.chunk());
        return terminal.write(t, b, 0, b.length);
    }

    @Override
    public int poll() {
        int r = Poll.OUT | Poll.WRNORM; // output never waits: the host takes it all
        if (terminal.ldisc.readable()) {
            r |= Poll.IN | Poll.RDNORM;
        }
        return r;
    }

    @Override
    public WaitQueue waitQueue() {
        return terminal.ldisc.readers;
    }

    @Override
    public long ioctl(Task t, int cmd, long arg) {
        return terminal.ioctl(t, cmd, arg);
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
