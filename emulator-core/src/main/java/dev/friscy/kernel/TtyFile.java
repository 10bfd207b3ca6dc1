package dev.friscy.kernel;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.fs.FileDescription;
import dev.friscy.fs.Inode;
import dev.friscy.fs.OpenFlags;
import dev.friscy.fs.Stat;
import dev.friscy.mem.IoBuffer;
import dev.friscy.waiter.WaitQueue;

/** An open description of a terminal (the console or a pty slave): job-control checks, then the line discipline. */
public final class TtyFile extends FileDescription {
    /** Most bytes one pass hands the line discipline (a long write loops, waiting between passes if it must). */
    private static final int PASS = 4096;

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

    /**
     * A terminal write takes everything unless non-blocking (Linux's tty_write loops): when a pty
     * master's buffer fills part-way, the progress stays in {@code src} while the writer waits.
     */
    @Override
    public int write(Task t, IoBuffer src) {
        int len = src.length;
        int done = Math.min(Math.max(src.position(), 0), len);
        byte[] b = new byte[Math.min(PASS, Math.max(len - done, 1))];
        while (done < len) {
            int k = Math.min(b.length, len - done);
            src.copyIn(done, b, 0, k);
            int n;
            try {
                n = terminal.write(t, b, 0, k);
            } catch (SyscallError e) {
                if (e.errno == Errno.EAGAIN && done > 0 && (flags & OpenFlags.O_NONBLOCK) != 0) {
                    return done;
                }
                throw e;
            }
            done += n;
            src.position(done);
        }
        return done;
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
        terminal.released();
    }

    @Override
    public void stat(Stat st) {
        (alias != null ? alias : terminal.node).stat(st);
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
