package dev.friscy.kernel;

import dev.friscy.fs.FileDescription;
import dev.friscy.fs.Inode;
import dev.friscy.fs.Stat;
import dev.friscy.mem.IoBuffer;
import dev.friscy.waiter.WaitQueue;

/** An open description of a terminal (the console or a pty slave): job-control checks, then the line discipline. */
public final class TtyFile extends FileDescription {
    final Terminal terminal;
    /** The node it was opened through when that is not the terminal's own (/dev/tty, /dev/console), else null. */
    private final Inode alias;

    TtyFile(Terminal terminal, int flags, Inode alias) {
        super(flags);
        this.terminal = terminal;
        this.alias = alias;
    }

    /** The terminal this describes. */
    public Terminal terminal() {
        return terminal;
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
        return TtyWrite.all(src, flags, (b, off, len) -> terminal.write(t, b, off, len));
    }

    @Override
    public int poll() {
        return terminal.poll();
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
    protected void release() {
        terminal.released(this);
    }

    @Override
    public void stat(Stat st) {
        (alias != null ? alias : terminal.node).stat(st);
    }

    @Override
    public Inode attrInode() {
        return alias != null ? alias : terminal.node;
    }

    @Override
    public String describe() {
        return alias != null ? alias.pathHint : terminal.path();
    }

    @Override
    public boolean isTty() {
        return true;
    }
}
