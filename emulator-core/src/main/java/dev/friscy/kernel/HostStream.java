package dev.friscy.kernel;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.fs.FileDescription;
import dev.friscy.fs.Inode;
import dev.friscy.fs.OpenFlags;
import dev.friscy.fs.Poll;
import dev.friscy.fs.Stat;
import dev.friscy.mem.IoBuffer;
import dev.friscy.waiter.WaitQueue;

/**
 * A guest fd connected to one of the host's own streams when the host's stdin/stdout are
 * not a terminal (the command line fed by a pipe): the guest sees a FIFO, as a program run
 * under a shell pipeline would, and no line discipline touches the bytes.
 */
public final class HostStream extends FileDescription {
    private final Kernel kernel;
    private final int which; // 0 stdin, 1 stdout, 2 stderr
    private final WaitQueue readers = new WaitQueue();
    private byte[] buf = new byte[4096];
    private int head;
    private int len;
    private boolean eof;

    HostStream(Kernel kernel, int which) {
        super(which == 0 ? OpenFlags.O_RDONLY : OpenFlags.O_WRONLY);
        this.kernel = kernel;
        this.which = which;
    }

    /** Host bytes arriving for the guest's stdin. */
    void feed(byte[] data, int off, int n) {
        if (len + n > buf.length - head) {
            byte[] nb = new byte[Math.max(buf.length, (len + n) * 2)];
            System.arraycopy(buf, head, nb, 0, len);
            buf = nb;
            head = 0;
        }
        System.arraycopy(data, off, buf, head + len, n);
        len += n;
        readers.wakeAll();
    }

    void endOfInput() {
        eof = true;
        readers.wakeAll();
    }

    @Override
    public int read(Task t, IoBuffer dst) {
        if (which != 0) {
            throw new SyscallError(Errno.EBADF);
        }
        if (len == 0) {
            if (eof) {
                return 0;
            }
            throw new SyscallError(Errno.EAGAIN);
        }
        int k = Math.min(dst.chunk(), len);
        byte[] b = new byte[k];
        System.arraycopy(buf, head, b, 0, k);
        head += k;
        len -= k;
        if (len == 0) {
            head = 0;
        }
        dst.copyOut(0, b, 0, k);
        return k;
    }

    @Override
    public int write(Task t, IoBuffer src) {
        if (which == 0) {
            throw new SyscallError(Errno.EBADF);
        }
        int n = src.chunk();
        byte[] b = src.copyIn(n);
        int off = 0;
        if (kernel.host.outputClosed(which == 2)) {
            throw new SyscallError(Errno.EPIPE); // the write path raises SIGPIPE
        }
        if (which == 2) {
            kernel.host.errorOutput(b, off, n);
        } else {
            kernel.host.consoleOutput(b, off, n);
        }
        return n;
    }

    @Override
    public int poll() {
        if (which != 0) {
            return Poll.OUT | Poll.WRNORM;
        }
        return len > 0 ? Poll.IN | Poll.RDNORM : eof ? Poll.IN | Poll.HUP : 0;
    }

    @Override
    public WaitQueue waitQueue() {
        return which == 0 ? readers : null;
    }

    @Override
    public void stat(Stat st) {
        st.dev = 12;
        st.ino = 100 + which;
        st.mode = Inode.S_IFIFO | 0600;
        st.nlink = 1;
        st.blksize = 4096;
    }

    @Override
    public String describe() {
        return "pipe:[" + (100 + which) + "]";
    }
}
