package dev.friscy.fs;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.kernel.Task;
import dev.friscy.mem.IoBuffer;
import dev.friscy.waiter.WaitQueue;

/**
 * An anonymous pipe (pipe2) or an opened FIFO: one {@link PipeBuffer} and the descriptions of
 * its two ends. Each end is a separate open file description with its own status flags.
 */
public final class Pipe {
    /** Device number reported for pipes (Linux's pipefs is an anonymous block-less device). */
    public static final long PIPEFS_DEV = 0x0c;
    private static long nextIno = 1000;

    public final PipeBuffer buffer;
    public final long ino;
    public final WaitQueue readWait = new WaitQueue();
    public final WaitQueue writeWait = new WaitQueue();
    /**
     * The pipe's inode, as Linux's pipefs has one: a FIFO of mode 0600 owned by its creator's
     * fsuid and fsgid, whose mode, owner and times fchmod, fchown and futimens change through
     * either end. A FIFO opened by name reports its own inode instead (FifoFile).
     */
    private final Inode inode;

    /** {@code nowNs}: the creation time stat reports (realtime ns). */
    public Pipe(long nowNs) {
        this.buffer = new PipeBuffer(readWait, writeWait);
        this.ino = nextIno++;
        this.inode = new Inode(ino, Inode.S_IFIFO | 0600);
        inode.nlink = 1;
        inode.atimeNs = nowNs;
        inode.mtimeNs = nowNs;
        inode.ctimeNs = nowNs;
    }

    /** An anonymous pipe belongs to whoever made it (Linux: the creator's fsuid and fsgid). */
    public void owner(int uid, int gid) {
        inode.uid = uid;
        inode.gid = gid;
    }

    /** pipe2(O_DIRECT): every write of up to PIPE_BUF bytes is a packet, and a read takes one packet (the rest of it is lost). */
    private boolean packet;

    public void packetMode() {
        packet = true;
        buffer.keepRecords();
    }

    private int readPacket(IoBuffer dst) {
        byte[] b = new byte[Math.min(dst.chunk(), PipeBuffer.PIPE_BUF)];
        int n = buffer.readRecord(b, 0, b.length, false);
        dst.copyOut(0, b, 0, n);
        return n;
    }

    /** A long write goes as PIPE_BUF-sized packets; progress stays in {@code src} while the writer waits. */
    private int writePackets(IoBuffer src, boolean nonblock) {
        int len = src.length;
        int done = Math.min(Math.max(src.position(), 0), len);
        byte[] b = new byte[Math.min(PipeBuffer.PIPE_BUF, Math.max(len - done, 1))];
        while (done < len) {
            int k = Math.min(b.length, len - done);
            src.copyIn(done, b, 0, k);
            try {
                buffer.writeRecord(b, 0, k);
            } catch (SyscallError e) {
                if (done > 0 && (e.errno == Errno.EPIPE || e.errno == Errno.EAGAIN && nonblock)) {
                    return done;
                }
                throw e;
            }
            done += k;
            src.position(done);
        }
        return done;
    }

    /** A new description of the read end; {@code flags} are extra status flags (O_NONBLOCK). */
    public FileDescription openRead(int flags) {
        buffer.addReader();
        return new ReadEnd(OpenFlags.O_RDONLY | (flags & ~OpenFlags.O_ACCMODE));
    }

    public FileDescription openWrite(int flags) {
        buffer.addWriter();
        return new WriteEnd(OpenFlags.O_WRONLY | (flags & ~OpenFlags.O_ACCMODE));
    }

    /**
     * One description that is both a reader and a writer (a FIFO opened O_RDWR, which Linux
     * allows and which never blocks in open because it is its own other side).
     */
    public FileDescription openBoth(int flags) {
        buffer.addReader();
        buffer.addWriter();
        if (buffer.anyQueue == null) {
            buffer.anyQueue = new WaitQueue();
        }
        return new BothEnd(OpenFlags.O_RDWR | (flags & ~OpenFlags.O_ACCMODE));
    }

    /** Common to both ends: stat, pipe-size fcntl, FIONREAD. */
    public abstract class End extends FileDescription {
        End(int flags) {
            super(flags);
        }

        public Pipe pipe() {
            return Pipe.this;
        }

        @Override
        public void stat(Stat st) {
            inode.stat(st);
            st.dev = PIPEFS_DEV;
        }

        @Override
        public Inode attrInode() {
            return inode;
        }

        @Override
        public String describe() {
            return "pipe:[" + ino + "]";
        }

        @Override
        public long ioctl(Task t, int cmd, long arg) {
            return StreamIoctl.common(t, this, cmd, arg, buffer.available());
        }
    }

    final class ReadEnd extends End {
        ReadEnd(int flags) {
            super(flags);
        }

        @Override
        public int read(Task t, IoBuffer dst) {
            return packet ? readPacket(dst) : buffer.read(dst);
        }

        @Override
        public int poll() {
            int m = 0;
            if (buffer.readable()) {
                m |= Poll.IN | Poll.RDNORM;
            }
            if (buffer.writers == 0) {
                m |= Poll.HUP;
            }
            return m;
        }

        @Override
        public WaitQueue waitQueue() {
            return readWait;
        }

        @Override
        protected void release() {
            buffer.dropReader();
        }
    }

    final class WriteEnd extends End {
        WriteEnd(int flags) {
            super(flags);
        }

        @Override
        public int write(Task t, IoBuffer src) {
            return packet ? writePackets(src, (flags & OpenFlags.O_NONBLOCK) != 0)
                    : buffer.write(src, (flags & OpenFlags.O_NONBLOCK) != 0);
        }

        @Override
        public int poll() {
            int m = 0;
            if (buffer.writable()) {
                m |= Poll.OUT | Poll.WRNORM;
            }
            if (buffer.readers == 0) {
                m |= Poll.ERR;
            }
            return m;
        }

        @Override
        public WaitQueue waitQueue() {
            return writeWait;
        }

        @Override
        protected void release() {
            buffer.dropWriter();
        }
    }

    final class BothEnd extends End {
        BothEnd(int flags) {
            super(flags);
        }

        @Override
        public int read(Task t, IoBuffer dst) {
            return buffer.read(dst);
        }

        @Override
        public int write(Task t, IoBuffer src) {
            return buffer.write(src, (flags & OpenFlags.O_NONBLOCK) != 0);
        }

        @Override
        public int poll() {
            int m = 0;
            if (buffer.readable()) {
                m |= Poll.IN | Poll.RDNORM;
            }
            if (buffer.writable()) {
                m |= Poll.OUT | Poll.WRNORM;
            }
            return m;
        }

        @Override
        public WaitQueue waitQueue() {
            return buffer.anyQueue;
        }

        @Override
        protected void release() {
            buffer.dropReader();
            buffer.dropWriter();
        }
    }

    /** Throws EBADF unless {@code f} is an end of some pipe; returns that pipe. */
    public static Pipe of(FileDescription f) {
        if (f instanceof End) {
            return ((End) f).pipe();
        }
        throw new SyscallError(Errno.EBADF);
    }
}
