package dev.friscy.net;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.fs.OpenFlags;
import dev.friscy.mem.IoBuffer;

/**
 * A TCP connection the host opens into the guest's loopback, to a port a guest listens on (the
 * page's preview of a guest web server). The host holds the client end: an ordinary loopback
 * socket with no task behind it, so the guest accepts a normal connection from 127.0.0.1 (or
 * ::1) and an ephemeral port, and sees resets, half-closes and back-pressure as from any peer.
 *
 * Nothing here blocks or waits: the host calls in between runs of the kernel (reads and writes
 * wake the guest as a peer's would) and simply tries again later when a call moved nothing.
 */
public final class HostClient {
    private final StreamSocket s;
    private final Ancillary scratch = new Ancillary();
    private boolean closed;

    private HostClient(StreamSocket s) {
        this.s = s;
    }

    /**
     * Connects to {@code port} on the guest's loopback: 127.0.0.1 first, then ::1 (a server bound
     * to the IPv6 loopback only), as a browser tries "localhost". Throws ECONNREFUSED when nobody
     * listens there, EAGAIN while the listener's backlog is full (try again later), EINVAL for a
     * port outside 1..65535.
     */
    public static HostClient connect(Network net, int port) {
        if (port < 1 || port > 65535) {
            throw new SyscallError(Errno.EINVAL);
        }
        SyscallError refused = null;
        for (int family : new int[] {SockAddr.AF_INET, SockAddr.AF_INET6}) {
            StreamSocket c = new StreamSocket(net, family, Socket.SOCK_STREAM, Socket.IPPROTO_TCP, OpenFlags.O_NONBLOCK);
            byte[] ip = family == SockAddr.AF_INET ? SockAddr.LOOP4 : SockAddr.LOOP6;
            try {
                // the blocking form answers at once for loopback: connected, ECONNREFUSED, or
                // EAGAIN for a full backlog (a non-blocking TCP connect would hide all three
                // behind EINPROGRESS)
                c.connect(null, SockAddr.inet(family, ip, port), false);
                return new HostClient(c);
            } catch (SyscallError e) {
                c.decRef();
                if (e.errno != Errno.ECONNREFUSED) {
                    throw e;
                }
                refused = e;
            }
        }
        throw refused;
    }

    /**
     * Sends what fits now: returns how many bytes went in (0 while the guest has not read enough
     * to make room). Throws EPIPE once the guest has shut down reading or closed, ECONNRESET
     * if it reset the connection.
     */
    public int write(byte[] b, int off, int len) {
        check();
        if (len == 0) {
            return 0;
        }
        try {
            return s.send(null, IoBuffer.of(b, off, len), 0, null, null, true);
        } catch (SyscallError e) {
            if (e.errno == Errno.EAGAIN) {
                return 0;
            }
            throw e;
        }
    }

    /** Shuts down the sending side (the guest reads end of stream after what was sent). */
    public void finishWriting() {
        check();
        s.shutdown(Socket.SHUT_WR);
    }

    /**
     * Takes what the guest sent: the number of bytes, 0 while nothing is there yet, -1 at end of
     * stream (the guest shut down writing or closed). Throws ECONNRESET if it reset the connection.
     */
    public int read(byte[] b, int off, int len) {
        check();
        if (len == 0) {
            return 0;
        }
        try {
            int n = s.receive(null, b, off, len, 0, scratch);
            return n == 0 ? -1 : n;
        } catch (SyscallError e) {
            if (e.errno == Errno.EAGAIN) {
                return 0;
            }
            throw e;
        }
    }

    /** The host end's address as the guest sees its peer (getpeername on the accepted socket). */
    public SockAddr localName() {
        return s.name();
    }

    /**
     * Closes the host end. Like any TCP close with unread data (the host gave up on a response),
     * that resets the connection: the guest's next call on it fails ECONNRESET.
     */
    public void close() {
        if (!closed) {
            closed = true;
            s.decRef();
        }
    }

    public boolean isClosed() {
        return closed;
    }

    private void check() {
        if (closed) {
            throw new SyscallError(Errno.EBADF);
        }
    }
}
