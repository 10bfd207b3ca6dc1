package dev.friscy.fs;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.kernel.Task;
import dev.friscy.kernel.UserMemory;
import dev.friscy.mem.IoBuffer;
import dev.friscy.waiter.WaitQueue;

import java.util.ArrayDeque;

/**
 * One end of a connected pair of AF_UNIX sockets (socketpair). Each direction is a
 * {@link PipeBuffer}; stream sockets move bytes, datagram and seqpacket sockets keep message
 * boundaries. Shutdown and close follow Linux: after the peer shuts down writing (or closes)
 * reads drain what is queued and then return 0; writing to a peer that cannot read is EPIPE
 * (ECONNREFUSED for datagrams, whose reads then simply wait: datagrams have no end of stream).
 */
public final class UnixSocket extends FileDescription {
    public static final int SOCK_STREAM = 1, SOCK_DGRAM = 2, SOCK_SEQPACKET = 5;
    public static final int SHUT_RD = 0, SHUT_WR = 1, SHUT_RDWR = 2;
    /** Linux's default socket buffer (net.core.wmem_default). */
    public static final int DEFAULT_BUFFER = 212992;

    private static long nextIno = 50000;

    public final int type;
    public final long ino = nextIno++;
    /** Bytes from the peer to us, and from us to the peer. */
    public final PipeBuffer in;
    public final PipeBuffer out;
    private final WaitQueue queue;
    private UnixSocket peer;
    private boolean shutRd;
    private boolean shutWr;
    /** SO_PEERCRED: who created the pair. */
    public int credPid;
    public int credUid;
    public int credGid;
    public boolean passCred;

    /** Descriptions passed with SCM_RIGHTS, attached to bytes [start, end) of the stream into this socket (for message sockets: start is the message number). */
    private static final class Rights {
        final long start;
        final long end;
        final FileDescription[] files;

        Rights(long start, long end, FileDescription[] files) {
            this.start = start;
            this.end = end;
            this.files = files;
        }
    }

    private final ArrayDeque<Rights> rights = new ArrayDeque<>();

    private UnixSocket(int type, int flags, PipeBuffer in, PipeBuffer out, WaitQueue queue) {
        super(OpenFlags.O_RDWR | (flags & OpenFlags.O_NONBLOCK));
        this.type = type;
        this.in = in;
        this.out = out;
        this.queue = queue;
    }

    /** A connected pair; {@code flags} may carry O_NONBLOCK. */
    public static UnixSocket[] pair(int type, int flags) {
        if (type != SOCK_STREAM && type != SOCK_DGRAM && type != SOCK_SEQPACKET) {
            throw new SyscallError(Errno.EPROTONOSUPPORT);
        }
        WaitQueue qa = new WaitQueue();
        WaitQueue qb = new WaitQueue();
        PipeBuffer ab = new PipeBuffer(qb, qa);
        PipeBuffer ba = new PipeBuffer(qa, qb);
        for (PipeBuffer p : new PipeBuffer[] {ab, ba}) {
            p.addReader();
            p.addWriter();
            p.setCapacity(DEFAULT_BUFFER, true);
            if (type != SOCK_STREAM) {
                p.keepRecords();
            }
        }
        UnixSocket a = new UnixSocket(type, flags, ba, ab, qa);
        UnixSocket b = new UnixSocket(type, flags, ab, ba, qb);
        a.peer = b;
        b.peer = a;
        return new UnixSocket[] {a, b};
    }

    public UnixSocket peer() {
        return peer;
    }

    private boolean records() {
        return type != SOCK_STREAM;
    }

    /** Length of the next message when it is longer than {@code len} (MSG_TRUNC reporting), else -1. */
    public int truncatedLength(int len) {
        if (!records()) {
            return -1;
        }
        int m = in.nextRecordLength();
        return m > len ? m : -1;
    }

    /** recv: {@code peek} keeps the data queued. Descriptions passed along with the data are closed. */
    public int receive(byte[] buf, int off, int len, boolean peek) {
        FileDescription[][] got = new FileDescription[1][];
        int n = receive(buf, off, len, peek, got);
        if (got[0] != null) {
            for (FileDescription f : got[0]) {
                f.decRef();
            }
        }
        return n;
    }

    /**
     * recvmsg: as {@link #receive(byte[], int, int, boolean)}, and {@code gotRights[0]} gets the
     * descriptions sent with the data read (the caller owns one reference to each). A read stops
     * at the end of a message that carried descriptions, as on Linux. A peek delivers none.
     */
    public int receive(byte[] buf, int off, int len, boolean peek, FileDescription[][] gotRights) {
        if (type == SOCK_DGRAM && !shutRd && in.nextRecordLength() < 0) {
            throw new SyscallError(Errno.EAGAIN); // a datagram socket never sees end of stream
        }
        Rights r = rights.peekFirst();
        if (records()) {
            boolean mine = r != null && r.start == in.recordsConsumed;
            int n = in.readRecord(buf, off, len, peek);
            if (mine && !peek) {
                gotRights[0] = rights.pollFirst().files;
            }
            return n;
        }
        if (r != null && r.start < in.consumed + len) {
            len = (int) Math.min(len, r.end - in.consumed);
        }
        int n = peek ? in.peek(buf, off, len) : in.read(IoBuffer.of(buf, off, len));
        if (r != null && !peek && r.start < in.consumed) {
            gotRights[0] = rights.pollFirst().files;
        }
        return n;
    }

    /**
     * Attaches descriptions (one reference each, taken over) to what this socket just sent:
     * the bytes [start, end) of its outgoing stream, or its last message.
     */
    public void attachRights(long start, long end, FileDescription[] files) {
        if (records()) {
            start = out.recordsProduced - 1;
        }
        peer.rights.add(new Rights(start, end, files));
    }

    /** read(2): a plain byte stream goes straight into guest memory; messages and passed descriptions through a kernel array. */
    @Override
    public int read(Task t, IoBuffer dst) {
        if (!dst.inGuest()) {
            return receive(dst.array(), dst.arrayOffset(), dst.length, false);
        }
        if (records() || !rights.isEmpty()) {
            int len = dst.length;
            byte[] b = new byte[Math.min(len, in.capacity())]; // no message or read is longer
            int n = receive(b, 0, len, false);
            dst.copyOut(0, b, 0, n);
            return n;
        }
        return in.read(dst);
    }

    @Override
    public int write(Task t, IoBuffer src) {
        return send(src, (flags & OpenFlags.O_NONBLOCK) != 0);
    }

    private void checkSend() {
        if (shutWr) {
            throw new SyscallError(Errno.EPIPE);
        }
        if (type == SOCK_DGRAM && out.readers == 0) {
            throw new SyscallError(Errno.ECONNREFUSED);
        }
    }

    /**
     * send: EPIPE (the caller raises SIGPIPE unless MSG_NOSIGNAL) or ECONNREFUSED for
     * datagrams; a stream blocks part-way as a pipe does ({@link PipeBuffer#write}).
     */
    public int send(IoBuffer src, boolean nonblock) {
        if (records() && src.inGuest()) {
            int len = src.length;
            if (len > out.capacity()) {
                throw new SyscallError(Errno.EMSGSIZE);
            }
            byte[] b = src.copyIn(len);
            checkSend();
            return out.writeRecord(b, 0, len);
        }
        checkSend();
        if (records()) {
            return out.writeRecord(src.array(), src.arrayOffset(), src.length);
        }
        return out.write(src, nonblock);
    }

    public void shutdown(int how) {
        if (how < SHUT_RD || how > SHUT_RDWR) {
            throw new SyscallError(Errno.EINVAL);
        }
        if ((how == SHUT_RD || how == SHUT_RDWR) && !shutRd) {
            shutRd = true;
            in.dropReader();
            queue.wakeAll();
        }
        if ((how == SHUT_WR || how == SHUT_RDWR) && !shutWr) {
            shutWr = true;
            out.dropWriter();
            queue.wakeAll();
        }
    }

    @Override
    protected void release() {
        shutdown(SHUT_RDWR);
        // descriptions in flight to this socket are closed with it
        while (!rights.isEmpty()) {
            for (FileDescription f : rights.pollFirst().files) {
                f.decRef();
            }
        }
    }

    @Override
    public int poll() {
        int m = 0;
        boolean rcvShut = in.readShut();
        boolean sndShut = shutWr || out.readers == 0;
        if (type == SOCK_DGRAM) {
            rcvShut = shutRd;
        }
        if (rcvShut) {
            m |= Poll.RDHUP | Poll.IN | Poll.RDNORM;
        }
        if (rcvShut && sndShut) {
            m |= Poll.HUP;
        }
        if (in.readable()) {
            m |= Poll.IN | Poll.RDNORM;
        }
        if (sndShut || out.writable()) {
            m |= Poll.OUT | Poll.WRNORM | Poll.WRBAND;
        }
        return m;
    }

    @Override
    public WaitQueue waitQueue() {
        return queue;
    }

    @Override
    public long ioctl(Task t, int cmd, long arg) {
        if (cmd == 0x5411) { // SIOCOUTQ (TIOCOUTQ): bytes not yet read by the peer
            UserMemory.store32(t, arg, out.available());
            return 0;
        }
        int readable = records() ? Math.max(in.nextRecordLength(), 0) : in.available();
        return StreamIoctl.common(t, this, cmd, arg, readable);
    }

    @Override
    public void stat(Stat st) {
        st.dev = Pipe.PIPEFS_DEV + 2;
        st.ino = ino;
        st.mode = Inode.S_IFSOCK | 0777;
        st.nlink = 1;
        st.blksize = 4096;
    }

    @Override
    public String describe() {
        return "socket:[" + ino + "]";
    }
}
