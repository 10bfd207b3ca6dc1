package dev.friscy.net;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.fs.FileDescription;
import dev.friscy.fs.Inode;
import dev.friscy.fs.OpenFlags;
import dev.friscy.fs.Stat;
import dev.friscy.kernel.Task;
import dev.friscy.mem.IoBuffer;
import dev.friscy.waiter.WaitQueue;

/**
 * An open socket: what socket(2), socketpair(2) and accept(2) return. The kinds differ by
 * type ({@link StreamSocket} for SOCK_STREAM and SOCK_SEQPACKET, {@link DgramSocket} for
 * SOCK_DGRAM), the family (AF_UNIX, AF_INET, AF_INET6) only decides how addresses are named
 * and found ({@link Network}). Operations never block: they throw EAGAIN and the system-call
 * layer (SysSocket) parks the caller on {@link #waitQueue()} or {@link #blockedOn()}.
 */
public abstract class Socket extends FileDescription {
    public static final int SOCK_STREAM = 1, SOCK_DGRAM = 2, SOCK_RAW = 3, SOCK_SEQPACKET = 5;
    public static final int SHUT_RD = 0, SHUT_WR = 1, SHUT_RDWR = 2;
    public static final int MSG_OOB = 1, MSG_PEEK = 2, MSG_CTRUNC = 8, MSG_TRUNC = 0x20, MSG_DONTWAIT = 0x40,
            MSG_EOR = 0x80, MSG_WAITALL = 0x100, MSG_NOSIGNAL = 0x4000, MSG_MORE = 0x8000,
            MSG_CMSG_CLOEXEC = 0x40000000;
    public static final int IPPROTO_IP = 0, IPPROTO_TCP = 6, IPPROTO_UDP = 17, IPPROTO_IPV6 = 41;
    /** Linux's default socket buffer (net.core.wmem_default). */
    public static final int DEFAULT_BUFFER = 212992;

    private static long nextIno = 50000;

    public final Network net;
    public final int family;
    public final int type;
    public final int protocol;
    public final long ino = nextIno++;
    /**
     * The socket's inode, as Linux's sockfs has one: mode S_IFSOCK | 0777, owned by the fsuid and
     * fsgid of the task that made the socket (its first {@link #setCred}); fchmod, fchown and
     * futimens change it through the fd.
     */
    private final Inode inode = new Inode(ino, Inode.S_IFSOCK | 0777);
    private boolean owned;
    protected final WaitQueue queue = new WaitQueue();
    /** The bound (or automatically given) name; null while unnamed. */
    public SockAddr local;
    /** Runs when the socket is closed for good (the kernel's "unlisten" event). */
    public Runnable onRelease;
    /** An AF_UNIX socket bound to a path: its socket inode (a dev.friscy.fs.Inode). */
    public Object boundInode;
    /** A pending asynchronous error (SO_ERROR): reported, and cleared, by the next call that looks. */
    public int error;
    /** Who made this end (SO_PEERCRED gives the peer's): pid, euid, egid at socket/connect/listen. */
    public int credPid, credUid, credGid;
    public boolean passCred;
    /** SO_RCVTIMEO, SO_SNDTIMEO (ns; null: wait for ever) and SO_LINGER's seconds. */
    Long rcvTimeo;
    Long sndTimeo;
    int lingerSeconds;
    /** The option values kept for getsockopt (SO_REUSEADDR, TCP_NODELAY, ...): see {@link SocketOptions}. */
    final java.util.HashMap<Integer, Integer> options = new java.util.HashMap<>();
    protected boolean shutRd;
    protected boolean shutWr;

    protected Socket(Network net, int family, int type, int protocol, int flags) {
        super(OpenFlags.O_RDWR | (flags & OpenFlags.O_NONBLOCK));
        this.net = net;
        this.family = family;
        this.type = type;
        this.protocol = protocol;
        inode.nlink = 1;
    }

    /** Records the caller as this end's owner (SO_PEERCRED, SCM_CREDENTIALS defaults). */
    public void setCred(Task t) {
        if (t == null) {
            return;
        }
        credPid = t.pid();
        credUid = t.cred().euid;
        credGid = t.cred().egid;
        if (!owned) {
            owned = true;
            inode.uid = t.cred().fsuid;
            inode.gid = t.cred().fsgid;
        }
    }

    public boolean isInet() {
        return family == SockAddr.AF_INET || family == SockAddr.AF_INET6;
    }

    /** The error SO_ERROR reports, cleared on the way (sock_error). */
    public int takeError() {
        int e = error;
        error = 0;
        return e;
    }

    // ------------------------------------------------------------------ the socket calls

    /** bind(2): {@code a} is already parsed for this family (unix paths are resolved by {@link Network#paths}). */
    public void bind(Task t, SockAddr a) {
        net.bind(t, this, a);
    }

    public void listen(Task t, int backlog) {
        throw new SyscallError(Errno.EOPNOTSUPP);
    }

    /** accept(2): the next connection; EAGAIN while none waits. */
    public Socket accept(Task t, int flags) {
        throw new SyscallError(Errno.EOPNOTSUPP);
    }

    /**
     * connect(2). Throws EAGAIN when the caller must wait (on {@link #blockedOn()}) and
     * EINPROGRESS for a non-blocking TCP connect, which completes in the background.
     */
    public abstract void connect(Task t, SockAddr a, boolean nonblock);

    /** getsockname(2): the bound name, or the family's unnamed/any address. */
    public SockAddr name() {
        if (local != null) {
            return local;
        }
        if (family == SockAddr.AF_UNIX) {
            return SockAddr.UNIX_UNNAMED;
        }
        return SockAddr.inet(family, family == SockAddr.AF_INET ? SockAddr.ANY4 : SockAddr.ANY6, 0);
    }

    /** getpeername(2); ENOTCONN when there is no peer. */
    public abstract SockAddr peerName();

    /**
     * sendto/sendmsg: sends {@code src} (to {@code to} if given) with the control data in
     * {@code anc}; EAGAIN when it must wait, EPIPE for the caller to raise SIGPIPE.
     */
    public abstract int send(Task t, IoBuffer src, int flags, SockAddr to, Ancillary anc, boolean nonblock);

    /**
     * recvfrom/recvmsg into a kernel array: at most {@code len} bytes at {@code off}; the
     * sender, passed descriptions and credentials go into {@code out}. EAGAIN when nothing is
     * there yet; 0 at end of stream.
     */
    public abstract int receive(Task t, byte[] b, int off, int len, int flags, Ancillary out);

    public abstract void shutdown(int how);

    /** The queue a blocked connect waits on besides this socket's own (a full listener's). */
    public WaitQueue blockedOn() {
        return null;
    }

    /** SO_SNDBUF/SO_RCVBUF as reported; {@code set} stores a (Linux-doubled, clamped) size. */
    public abstract int bufferSize(boolean send);

    public abstract void setBufferSize(boolean send, int bytes);

    public boolean listening() {
        return false;
    }

    /** Bytes that a read would return now (FIONREAD) and bytes not yet read by the peer (SIOCOUTQ). */
    public abstract int readableBytes();

    public abstract int unsentBytes();

    // ------------------------------------------------------------------ the file side

    @Override
    public int write(Task t, IoBuffer src) {
        return send(t, src, 0, null, null, (flags & OpenFlags.O_NONBLOCK) != 0);
    }

    @Override
    public int read(Task t, IoBuffer dst) {
        // no read returns more than a buffer holds: a huge length costs no huge array
        byte[] b = new byte[Math.min(dst.length, Math.min(Math.max(bufferSize(false), 65536), IoBuffer.CHUNK))];
        Ancillary a = new Ancillary();
        int n = receive(t, b, 0, Math.min(b.length, dst.length), 0, a);
        a.dropRights(); // read(2) has nowhere to put passed descriptions: Linux closes them
        dst.copyOut(0, b, 0, n);
        return n;
    }

    @Override
    public WaitQueue waitQueue() {
        return queue;
    }

    @Override
    public long waitLimitNs(boolean write) {
        return SocketOptions.timeout(this, write);
    }

    /** True if the next byte a read would return is TCP urgent data's mark (SIOCATMARK). */
    public boolean atUrgentMark() {
        return false;
    }

    /**
     * send(MSG_OOB) moved its bytes: the last one is urgent data. Only TCP has urgent data;
     * other sockets refuse MSG_OOB (as Linux's UDP, AF_UNIX datagram and seqpacket sockets do).
     */
    public void sendUrgent(Task t, int sent) {
        throw new SyscallError(Errno.EOPNOTSUPP);
    }

    /** Whether send(MSG_OOB) is accepted at all (checked before any byte moves). */
    public boolean takesUrgent() {
        return false;
    }

    /** recv(MSG_OOB): the urgent byte; EINVAL when there is none to take, EOPNOTSUPP where urgent data does not exist. */
    public int receiveUrgent(boolean peek) {
        throw new SyscallError(Errno.EOPNOTSUPP);
    }

    @Override
    public long ioctl(Task t, int cmd, long arg) {
        if (cmd == 0x5411) { // SIOCOUTQ (TIOCOUTQ)
            dev.friscy.kernel.UserMemory.store32(t, arg, unsentBytes());
            return 0;
        }
        if (Interfaces.handles(cmd)) {
            return Interfaces.ioctl(t, cmd, arg);
        }
        if (cmd == 0x8905) { // SIOCATMARK: is the next byte to read the urgent one
            dev.friscy.kernel.UserMemory.store32(t, arg, atUrgentMark() ? 1 : 0);
            return 0;
        }
        return dev.friscy.fs.StreamIoctl.common(t, this, cmd, arg, readableBytes());
    }

    @Override
    public void stat(Stat st) {
        inode.stat(st);
        st.dev = dev.friscy.fs.Pipe.PIPEFS_DEV + 2; // sockfs
    }

    @Override
    public Inode attrInode() {
        return inode;
    }

    @Override
    public String describe() {
        return "socket:[" + ino + "]";
    }

    @Override
    protected void release() {
        net.unbind(this);
        if (onRelease != null) {
            onRelease.run();
            onRelease = null;
        }
    }
}
