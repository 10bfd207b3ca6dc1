package dev.friscy.net;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.fs.FileDescription;
import dev.friscy.fs.PipeBuffer;
import dev.friscy.fs.Poll;
import dev.friscy.kernel.Task;
import dev.friscy.mem.IoBuffer;
import dev.friscy.waiter.WaitQueue;

import java.util.ArrayDeque;

/**
 * A connection-oriented socket: SOCK_STREAM (AF_UNIX streams and TCP) and SOCK_SEQPACKET
 * (AF_UNIX). A connection is two {@link PipeBuffer}s, one per direction, shared by the two
 * ends, exactly like a socketpair; TCP over loopback is the same thing with internet names,
 * since nothing between the two ends can lose, reorder or delay a byte.
 *
 * connect() completes at once when the listener has room in its backlog (as Linux does: the
 * connection exists before accept takes it). When the backlog is full, an AF_UNIX connect waits
 * or fails EAGAIN; a TCP connect is in progress (EINPROGRESS), as Linux's is while it drops the
 * SYN and sends it again: it completes once the listener has room, is refused if the listener
 * closes, and times out (ETIMEDOUT) when Linux's retransmissions would have run out. Shutdown and close follow Linux: after the peer
 * shuts down writing (or closes) reads drain what is queued and then return 0; writing to a
 * peer that cannot read is EPIPE. A TCP end closed with unread data resets the connection
 * (the peer's next call gets ECONNRESET), as Linux's RST does.
 */
public final class StreamSocket extends Socket {
    static final int UNCONNECTED = 0, LISTENING = 1, CONNECTED = 2, CONNECTING = 3;
    /** Linux's net.core.somaxconn: the most a backlog may hold. */
    public static final int SOMAXCONN = 4096;

    int state;
    /** Bytes from the peer to us, and from us to the peer (null until connected). */
    PipeBuffer in;
    PipeBuffer out;
    StreamSocket peer;
    SockAddr remote;
    /** The peer's owner when the connection was made (SO_PEERCRED). */
    int peerPid, peerUid = -1, peerGid = -1;
    /** A non-blocking TCP connect was started and not yet reported by a second connect (EALREADY/0). */
    private boolean connectPending;
    /** Listening: connections made and not yet accepted. */
    private ArrayDeque<StreamSocket> backlog;
    private int backlogMax;
    /** connect() waits for room in this listener's backlog. */
    private StreamSocket waitingFor;
    /** Listening TCP: connects in progress for want of room in the backlog, oldest first. */
    private ArrayDeque<StreamSocket> synQueue;
    /** A TCP connect in progress: the listener whose backlog it waits for, the address it asked for, its time-out. */
    private StreamSocket synTo;
    private SockAddr synAddr;
    private SynTimeout synTimeout;
    /**
     * How long a TCP connect to a listener with a full backlog stays in progress: Linux sends the
     * SYN tcp_syn_retries (6) more times, 1, 2, 4, ... 64 s apart, then gives up with ETIMEDOUT.
     */
    static final long SYN_TIMEOUT_NS = 127_000_000_000L;
    /** A connection to the outside through the host's network, or null. */
    private HostStream host;
    /** SO_SNDBUF and SO_RCVBUF as set (0: never set). */
    private int sndBuf;
    private int rcvBuf;

    /** Descriptions and credentials passed with SCM_RIGHTS/SCM_CREDENTIALS, attached to bytes [start, end) of the stream into this socket (for seqpacket: start is the message number). */
    private static final class Segment {
        final long start;
        final long end;
        final FileDescription[] files;
        final Ancillary cred;

        Segment(long start, long end, FileDescription[] files, Ancillary cred) {
            this.start = start;
            this.end = end;
            this.files = files;
            this.cred = cred;
        }
    }

    private final ArrayDeque<Segment> segments = new ArrayDeque<>();

    public StreamSocket(Network net, int family, int type, int protocol, int flags) {
        super(net, family, type, protocol, flags);
    }

    /** A connected pair (socketpair); {@code flags} may carry O_NONBLOCK. */
    public static StreamSocket[] pair(Network net, int type, int flags, Task t) {
        StreamSocket a = new StreamSocket(net, SockAddr.AF_UNIX, type, 0, flags);
        StreamSocket b = new StreamSocket(net, SockAddr.AF_UNIX, type, 0, flags);
        a.setCred(t);
        b.setCred(t);
        join(a, b);
        return new StreamSocket[] {a, b};
    }

    private static void join(StreamSocket a, StreamSocket b) {
        PipeBuffer ab = new PipeBuffer(b.queue, a.queue);
        PipeBuffer ba = new PipeBuffer(a.queue, b.queue);
        for (PipeBuffer p : new PipeBuffer[] {ab, ba}) {
            p.addReader();
            p.addWriter();
            p.setCapacity(DEFAULT_BUFFER, true);
            if (a.type == SOCK_SEQPACKET) {
                p.keepRecords();
            }
        }
        grow(ab, Math.max(a.sndBuf, b.rcvBuf));
        grow(ba, Math.max(b.sndBuf, a.rcvBuf));
        a.out = ab;
        a.in = ba;
        b.out = ba;
        b.in = ab;
        a.peer = b;
        b.peer = a;
        a.state = CONNECTED;
        b.state = CONNECTED;
        a.peerPid = b.credPid;
        a.peerUid = b.credUid;
        a.peerGid = b.credGid;
        b.peerPid = a.credPid;
        b.peerUid = a.credUid;
        b.peerGid = a.credGid;
    }

    public StreamSocket peer() {
        return peer;
    }

    private boolean records() {
        return type == SOCK_SEQPACKET;
    }

    private boolean tcp() {
        return family != SockAddr.AF_UNIX;
    }

    @Override
    public boolean listening() {
        return state == LISTENING;
    }

    // ------------------------------------------------------------------ connecting

    @Override
    public void listen(Task t, int backlog) {
        if (state == CONNECTED) {
            throw new SyscallError(Errno.EINVAL);
        }
        if (local == null) {
            if (!tcp()) {
                throw new SyscallError(Errno.EINVAL); // an AF_UNIX socket must be bound first
            }
            net.autobind(t, this);
        }
        // Linux clamps to somaxconn and lets one more than the backlog wait
        backlogMax = Math.max(0, Math.min(backlog < 0 ? SOMAXCONN : backlog, SOMAXCONN)) + 1;
        if (state != LISTENING) {
            this.backlog = new ArrayDeque<>();
            this.synQueue = new ArrayDeque<>();
            state = LISTENING;
            setCred(t);
        }
        admitPending(); // a larger backlog has room for connects in progress
        queue.wakeAll(); // connects waiting for room try again
    }

    @Override
    public Socket accept(Task t, int flags) {
        if (state != LISTENING) {
            throw new SyscallError(Errno.EINVAL);
        }
        StreamSocket s = backlog.pollFirst();
        if (s == null) {
            throw new SyscallError(Errno.EAGAIN);
        }
        s.flags = (s.flags & ~dev.friscy.fs.OpenFlags.O_NONBLOCK) | (flags & dev.friscy.fs.OpenFlags.O_NONBLOCK);
        admitPending();
        queue.wakeAll(); // room in the backlog for a waiting connect
        return s;
    }

    @Override
    public WaitQueue blockedOn() {
        return waitingFor == null ? null : waitingFor.queue;
    }

    @Override
    public void connect(Task t, SockAddr a, boolean nonblock) {
        waitingFor = null;
        if (state == LISTENING) {
            throw new SyscallError(tcp() ? Errno.EISCONN : Errno.EINVAL);
        }
        if (state == CONNECTING) {
            throw new SyscallError(nonblock ? Errno.EALREADY : Errno.EAGAIN);
        }
        if (connectPending) {
            // a second connect after a non-blocking one reports how it went (Linux: 0 once, then EISCONN)
            connectPending = false;
            if (state == CONNECTED) {
                return;
            }
            int e = takeError();
            throw new SyscallError(e != 0 ? e : Errno.ECONNABORTED);
        }
        if (state == CONNECTED) {
            throw new SyscallError(Errno.EISCONN);
        }
        if (tcp() && !a.isLocal()) {
            connectOutside(t, a, nonblock);
            return;
        }
        StreamSocket l;
        try {
            l = net.findListener(t, this, a);
        } catch (SyscallError e) {
            if (tcp() && nonblock && e.errno == Errno.ECONNREFUSED) {
                error = e.errno; // the reset arrives "later": poll and SO_ERROR report it
                connectPending = true;
                queue.wakeAll();
                throw new SyscallError(Errno.EINPROGRESS);
            }
            throw e;
        }
        if (l.backlog.size() >= l.backlogMax || (tcp() && !l.synQueue.isEmpty())) {
            if (!tcp() || t == null) {
                if (!nonblock && t != null) {
                    waitingFor = l;
                }
                // Linux's AF_UNIX answer (connect(2)); the host's own client (no task behind it:
                // net.HostClient) has no connect in progress to wait in and tries again later
                throw new SyscallError(Errno.EAGAIN);
            }
            // Linux drops the SYN and sends it again later: the connect is in progress until the
            // listener has room; a blocking caller waits for that (EAGAIN parks it)
            setCred(t);
            net.bindForConnect(t, this, a);
            state = CONNECTING;
            connectPending = true;
            synTo = l;
            synAddr = a;
            l.synQueue.addLast(this);
            synTimeout = new SynTimeout(this, t.kernel);
            t.kernel.timers.arm(synTimeout, t.kernel.uptimeNs() + SYN_TIMEOUT_NS, 0);
            throw new SyscallError(nonblock ? Errno.EINPROGRESS : Errno.EAGAIN);
        }
        setCred(t);
        if (tcp()) {
            net.bindForConnect(t, this, a);
        }
        establish(l, a);
        if (tcp() && nonblock) {
            connectPending = true; // Linux's TCP answers EINPROGRESS even when loopback is instant
            throw new SyscallError(Errno.EINPROGRESS);
        }
    }

    /** Makes the connection to listener {@code l} and queues the server's end in its backlog. */
    private void establish(StreamSocket l, SockAddr a) {
        StreamSocket srv = new StreamSocket(net, l.family, l.type, l.protocol, 0);
        srv.credPid = l.credPid;
        srv.credUid = l.credUid;
        srv.credGid = l.credGid;
        srv.passCred = l.passCred;
        srv.options.putAll(l.options);
        join(this, srv);
        if (tcp()) {
            srv.local = SockAddr.inet(l.family, Network.destination(a).ip, l.local.port);
            srv.remote = local.as(l.family);
            remote = SockAddr.inet(family, Network.destination(a).ip, a.port);
        } else {
            srv.local = l.local;
            srv.remote = local; // null: unnamed
            remote = l.local;
        }
        l.backlog.addLast(srv);
        l.queue.wakeAll();
    }

    /** Completes the TCP connects in progress that the backlog has room for now, oldest first. */
    private void admitPending() {
        if (synQueue == null) {
            return;
        }
        while (!synQueue.isEmpty() && backlog.size() < backlogMax) {
            StreamSocket c = synQueue.pollFirst();
            c.endSyn();
            c.establish(this, c.synAddr);
            c.synAddr = null;
            c.queue.wakeAll(); // writable now; a blocking connect returns 0
        }
    }

    /** No longer waiting for a listener's room: off its queue, the time-out disarmed. */
    private void endSyn() {
        if (synTo != null) {
            synTo.synQueue.remove(this);
            synTo = null;
        }
        if (synTimeout != null) {
            synTimeout.cancel();
            synTimeout = null;
        }
        state = UNCONNECTED;
    }

    /** A TCP connect in progress fails: the listener went away (ECONNREFUSED) or time ran out (ETIMEDOUT). */
    void synFailed(int errno) {
        if (synTo == null && synTimeout == null) {
            return;
        }
        endSyn();
        synAddr = null;
        error = errno;
        queue.wakeAll();
    }

    /** The end of the SYN retransmissions of a connect in progress (see {@link #SYN_TIMEOUT_NS}). */
    private static final class SynTimeout extends dev.friscy.kernel.TimerQueue.Timer {
        private final StreamSocket socket;
        private final dev.friscy.kernel.Kernel kernel;

        SynTimeout(StreamSocket socket, dev.friscy.kernel.Kernel kernel) {
            this.socket = socket;
            this.kernel = kernel;
        }

        @Override
        protected void expired(dev.friscy.kernel.Kernel k, long count) {
            socket.synFailed(Errno.ETIMEDOUT);
        }

        void cancel() {
            kernel.timers.disarm(this);
        }
    }

    /**
     * A connection through the host's network: EINPROGRESS when non-blocking, else EAGAIN
     * (the caller waits, and its re-run of connect finds the outcome in connectPending).
     */
    private void connectOutside(Task t, SockAddr a, boolean nonblock) {
        if (net.host == null) {
            throw new SyscallError(Errno.ENETUNREACH);
        }
        setCred(t);
        net.bindForConnect(t, this, a);
        HostStream h = new HostStream(this);
        int e = net.host.connect(a.ip, a.port, h);
        if (e != 0) {
            throw new SyscallError(e);
        }
        host = h;
        in = h.in;
        out = h.out;
        remote = a;
        state = CONNECTING;
        connectPending = true;
        throw new SyscallError(nonblock ? Errno.EINPROGRESS : Errno.EAGAIN);
    }

    void hostConnected() {
        if (state == CONNECTING) {
            state = CONNECTED;
            queue.wakeAll();
        }
    }

    void hostFailed(int errno) {
        if (state == CONNECTING) {
            state = UNCONNECTED;
            host = null;
            in = null;
            out = null;
            remote = null;
            error = errno;
        } else if (host != null) {
            host.broken(errno);
        }
        queue.wakeAll();
    }

    @Override
    public SockAddr peerName() {
        if (state != CONNECTED || (tcp() && peer == null && host == null)) {
            throw new SyscallError(Errno.ENOTCONN);
        }
        return remote != null ? remote : SockAddr.UNIX_UNNAMED;
    }

    // ------------------------------------------------------------------ data

    // ------------------------------------------------------------------ urgent data (MSG_OOB)

    /**
     * TCP urgent data coming in, as Linux keeps it: one mark, on the last byte of the latest
     * send(MSG_OOB); its stream position in {@link #in}, or -1. Reads stop at the mark; without
     * SO_OOBINLINE the marked byte is left out of the stream (recv(MSG_OOB) takes it), with it the
     * byte stays in line. The mark goes once a read passes it.
     */
    private long urgSeq = -1;
    private int urgByte;
    /** The marked byte is here and not yet taken by recv(MSG_OOB): POLLPRI. */
    private boolean urgValid;

    /**
     * TCP over loopback only. AF_UNIX streams answer EOPNOTSUPP, as a Linux built without
     * CONFIG_AF_UNIX_OOB does (Linux 5.15+ with it keeps one out-of-band byte there too), and so
     * do connections through the host's network or the page's relay, which carry bytes only.
     */
    @Override
    public boolean takesUrgent() {
        return tcp() && type == SOCK_STREAM && host == null;
    }

    @Override
    public void sendUrgent(Task t, int sent) {
        if (!takesUrgent()) {
            throw new SyscallError(Errno.EOPNOTSUPP);
        }
        if (sent <= 0 || peer == null || out == null) {
            return;
        }
        long pos = out.produced - 1;
        int b = out.byteAt(pos);
        if (b >= 0) {
            peer.urgentArrived(pos, b, t);
        }
    }

    private void urgentArrived(long pos, int b, Task sender) {
        if (urgSeq >= 0 && urgSeq == in.consumed && urgSeq < pos && !SocketOptions.oobInline(this)) {
            in.skip(1); // Linux drops the older urgent byte a reader stands at when a new mark comes
        }
        urgSeq = pos;
        urgByte = b;
        urgValid = true;
        queue.wakeAll();
        if (sender != null) {
            dev.friscy.kernel.SignalDelivery.sendToOwner(sender.kernel, this, dev.friscy.kernel.Signals.SIGURG);
        }
    }

    private void clearUrgent() {
        urgSeq = -1;
        urgValid = false;
    }

    @Override
    public int receiveUrgent(boolean peek) {
        if (!takesUrgent()) {
            throw new SyscallError(Errno.EOPNOTSUPP);
        }
        if (SocketOptions.oobInline(this) || !urgValid) {
            throw new SyscallError(Errno.EINVAL);
        }
        if (!peek) {
            urgValid = false;
        }
        return urgByte;
    }

    @Override
    public boolean atUrgentMark() {
        return urgSeq >= 0 && state == CONNECTED && urgSeq == in.consumed;
    }

    /** Length of the next message when it is longer than {@code len} (MSG_TRUNC reporting), else -1. */
    private int truncatedLength(int len) {
        if (!records()) {
            return -1;
        }
        int m = in.nextRecordLength();
        return m > len ? m : -1;
    }

    private void checkReceive() {
        if (state == CONNECTING) {
            throw new SyscallError(Errno.EAGAIN); // Linux waits for the connection (SYN_SENT)
        }
        if (state != CONNECTED) {
            throw new SyscallError(tcp() ? Errno.ENOTCONN : Errno.EINVAL);
        }
        if (error != 0 && in.available() == 0) {
            throw new SyscallError(takeError());
        }
    }

    @Override
    public int receive(Task t, byte[] buf, int off, int len, int flags, Ancillary out) {
        checkReceive();
        boolean peek = (flags & MSG_PEEK) != 0;
        if (passCred && !tcp()) {
            out.setCred(peerPid, peerUid, peerGid);
        }
        Segment r = segments.peekFirst();
        if (records()) {
            boolean mine = r != null && r.start == in.recordsConsumed;
            int full = truncatedLength(len);
            int n = in.readRecord(buf, off, len, peek);
            out.fullLength = full;
            if (mine) {
                take(peek ? segments.peekFirst() : segments.pollFirst(), out, peek);
            }
            return n;
        }
        // like Linux, a read runs into a stretch that carried control data, takes it, and stops at its end
        if (r != null && r.start < in.consumed + len) {
            len = (int) Math.min(len, r.end - in.consumed);
        }
        int skip = 0;
        if (urgSeq >= 0) {
            // TCP urgent data: a read stops at the mark; at it, the marked byte is left out
            long ahead = urgSeq - in.consumed;
            if (ahead < 0) {
                clearUrgent();
            } else if (ahead == 0) {
                if (!SocketOptions.oobInline(this) && in.available() > 0) {
                    if (peek) {
                        skip = 1;
                    } else {
                        in.skip(1);
                        clearUrgent();
                    }
                }
            } else if (ahead < len) {
                len = (int) ahead;
            }
        }
        int n = peek ? (skip > 0 ? in.peekFrom(skip, buf, off, len) : in.peek(buf, off, len))
                : in.read(IoBuffer.of(buf, off, len));
        if (!peek && urgSeq >= 0 && in.consumed > urgSeq) {
            clearUrgent();
        }
        if (r != null && r.start < (peek ? in.consumed + n : in.consumed)) {
            take(peek ? r : segments.pollFirst(), out, peek);
        }
        return n;
    }

    private static void take(Segment s, Ancillary out, boolean peek) {
        if (s.cred != null) {
            out.setCred(s.cred.pid, s.cred.uid, s.cred.gid);
        }
        if (!peek && s.files != null) {
            out.rights = s.files;
        }
    }

    /** read(2): a plain byte stream goes straight into guest memory; messages and passed descriptions through a kernel array. */
    @Override
    public int read(Task t, IoBuffer dst) {
        if (dst.inGuest() && !records() && segments.isEmpty() && state == CONNECTED && error == 0 && urgSeq < 0) {
            return in.read(dst);
        }
        return super.read(t, dst);
    }

    private void checkSend() {
        if (state == CONNECTING) {
            throw new SyscallError(Errno.EAGAIN); // Linux waits for the connection (sk_stream_wait_connect)
        }
        if (state != CONNECTED) {
            throw new SyscallError(tcp() ? Errno.EPIPE : Errno.ENOTCONN);
        }
        if (error != 0) {
            throw new SyscallError(takeError());
        }
        if (shutWr) {
            throw new SyscallError(Errno.EPIPE);
        }
    }

    @Override
    public int send(Task t, IoBuffer src, int flags, SockAddr to, Ancillary anc, boolean nonblock) {
        if (to != null && !tcp()) {
            throw new SyscallError(state == CONNECTED ? Errno.EISCONN : Errno.EOPNOTSUPP);
        }
        if (records()) {
            int len = src.length;
            if (len > out.capacity()) {
                throw new SyscallError(Errno.EMSGSIZE);
            }
            checkSend();
            byte[] b = src.inGuest() ? src.copyIn(len) : null;
            int n = b != null ? out.writeRecord(b, 0, len) : out.writeRecord(src.array(), src.arrayOffset(), len);
            attach(out.recordsProduced - 1, 0, anc);
            return n;
        }
        checkSend();
        long before = out.produced;
        try {
            return out.write(src, nonblock);
        } finally {
            if (out.produced > before) {
                attach(before, out.produced, anc);
            }
        }
    }

    /** Hands the control data of a send to the peer, attached to what the send moved. */
    private void attach(long start, long end, Ancillary anc) {
        if (anc == null || (anc.rights == null && !anc.hasCred) || peer == null) {
            return;
        }
        Ancillary cred = null;
        if (anc.hasCred) {
            cred = new Ancillary();
            cred.setCred(anc.pid, anc.uid, anc.gid);
        }
        peer.segments.add(new Segment(start, end, anc.rights, cred));
        anc.rights = null;
        anc.hasCred = false;
    }

    @Override
    public void shutdown(int how) {
        if (how < SHUT_RD || how > SHUT_RDWR) {
            throw new SyscallError(Errno.EINVAL);
        }
        if (state == LISTENING && tcp() && how != SHUT_WR) {
            stopListening();
            state = UNCONNECTED;
            if (onRelease != null) {
                onRelease.run(); // no longer listening: the "unlisten" event
                onRelease = null;
            }
            return;
        }
        if (state != CONNECTED) {
            if (tcp()) {
                throw new SyscallError(Errno.ENOTCONN);
            }
            shutRd |= how != SHUT_WR;
            shutWr |= how != SHUT_RD;
            return;
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

    private void stopListening() {
        StreamSocket s;
        while ((s = synQueue == null ? null : synQueue.peekFirst()) != null) {
            s.synFailed(Errno.ECONNREFUSED); // the next SYN finds no listener: a reset
        }
        while ((s = backlog.pollFirst()) != null) {
            if (tcp() && s.peer != null) {
                s.peer.error = Errno.ECONNRESET; // never accepted: the client is reset
            }
            s.decRef();
        }
        queue.wakeAll();
    }

    @Override
    protected void release() {
        if (host != null) {
            host.released = true;
        }
        if (state == LISTENING) {
            stopListening();
        } else if (synTo != null) {
            endSyn();
        } else if (state == CONNECTED) {
            if (tcp() && peer != null && (in.available() > 0 || SocketOptions.abortiveClose(this))) {
                peer.error = Errno.ECONNRESET; // unread data or SO_LINGER 0: Linux answers with a reset
            }
            shutdown(SHUT_RDWR);
        }
        // descriptions in flight to this socket are closed with it
        while (!segments.isEmpty()) {
            FileDescription[] fs = segments.pollFirst().files;
            if (fs != null) {
                for (FileDescription f : fs) {
                    f.decRef();
                }
            }
        }
        super.release();
    }

    // ------------------------------------------------------------------ readiness, sizes

    @Override
    public int poll() {
        int m = error != 0 ? Poll.ERR : 0;
        if (state == LISTENING) {
            return m | (backlog.isEmpty() ? 0 : Poll.IN | Poll.RDNORM);
        }
        if (state == CONNECTING) {
            return m;
        }
        if (state != CONNECTED) {
            m |= Poll.OUT | Poll.WRNORM | Poll.HUP;
            if (error != 0 || connectPending) {
                m |= Poll.IN | Poll.RDNORM | Poll.RDHUP; // a refused connect: everything is over
            }
            return m;
        }
        boolean rcvShut = in.readShut();
        boolean sndShut = shutWr || out.readers == 0;
        if (rcvShut) {
            m |= Poll.RDHUP | Poll.IN | Poll.RDNORM;
        }
        if (rcvShut && sndShut) {
            m |= Poll.HUP;
        }
        if (in.readable() && !(urgSeq == in.consumed && in.available() == 1 && !SocketOptions.oobInline(this))) {
            m |= Poll.IN | Poll.RDNORM; // (only the left-out urgent byte is no data to read)
        }
        if (urgValid) {
            m |= Poll.PRI;
        }
        if (sndShut || out.writable()) {
            m |= Poll.OUT | Poll.WRNORM | (tcp() ? 0 : Poll.WRBAND);
        }
        return m;
    }

    /**
     * SO_SNDBUF/SO_RCVBUF report what was asked (doubled, as Linux does), or the ring's size
     * while nobody asked. A ring only ever grows: a connection buffers at least the default.
     */
    @Override
    public int bufferSize(boolean send) {
        int asked = send ? sndBuf : rcvBuf;
        if (asked > 0) {
            return asked;
        }
        PipeBuffer p = send ? out : in;
        return p == null ? DEFAULT_BUFFER : p.capacity();
    }

    @Override
    public void setBufferSize(boolean send, int bytes) {
        if (send) {
            sndBuf = bytes;
        } else {
            rcvBuf = bytes;
        }
        grow(send ? out : in, bytes);
    }

    private static void grow(PipeBuffer p, int bytes) {
        if (p != null && bytes > p.capacity()) {
            p.setCapacity(bytes, true);
        }
    }

    @Override
    public int readableBytes() {
        if (state != CONNECTED) {
            return 0;
        }
        return records() ? Math.max(in.nextRecordLength(), 0) : in.available();
    }

    @Override
    public int unsentBytes() {
        return state == CONNECTED ? out.available() : 0;
    }
}
