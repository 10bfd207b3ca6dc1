package dev.friscy.net;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.fs.PipeBuffer;
import dev.friscy.host.HostNetwork;
import dev.friscy.mem.IoBuffer;
import dev.friscy.waiter.WaitQueue;

/**
 * The kernel's half of a guest TCP connection to the outside: the guest socket has the usual
 * two rings, and the host's network pump is the other end of both (it fills the incoming one
 * and drains the outgoing one), so reads, writes, poll and shutdown work as on loopback.
 */
final class HostStream implements HostNetwork.Link {
    private final StreamSocket s;
    /** Host to guest, and guest to host. */
    final PipeBuffer in;
    final PipeBuffer out;
    boolean released;

    HostStream(StreamSocket s) {
        this.s = s;
        WaitQueue hostSide = new WaitQueue(); // the pump polls; nobody waits here
        in = new PipeBuffer(s.queue, hostSide);
        out = new PipeBuffer(hostSide, s.queue);
        for (PipeBuffer p : new PipeBuffer[] {in, out}) {
            p.addReader();
            p.addWriter();
            p.setCapacity(Socket.DEFAULT_BUFFER, true);
        }
    }

    @Override
    public void connected() {
        s.hostConnected();
    }

    @Override
    public void failed(int errno) {
        s.hostFailed(errno);
    }

    @Override
    public int room() {
        return in.readers == 0 ? -1 : in.free();
    }

    @Override
    public void deliver(byte[] b, int off, int len) {
        if (len > 0 && in.readers > 0) {
            try {
                in.write(IoBuffer.of(b, off, Math.min(len, in.free())), true);
            } catch (SyscallError e) {
                // EAGAIN: the pump asked room() first, so nothing is lost but what the guest refused
            }
        }
    }

    @Override
    public void remoteEof() {
        if (in.writers > 0) {
            in.dropWriter();
        }
    }

    @Override
    public int take(byte[] b, int off, int len) {
        if (out.available() == 0) {
            return 0;
        }
        try {
            return out.read(IoBuffer.of(b, off, len));
        } catch (SyscallError e) {
            return 0;
        }
    }

    @Override
    public boolean outputDone() {
        return out.writers == 0 && out.available() == 0;
    }

    @Override
    public boolean released() {
        return released;
    }

    /** The connection broke under the guest: it sees {@code errno} once, then end of stream and EPIPE. */
    void broken(int errno) {
        s.error = errno == 0 ? Errno.ECONNRESET : errno;
        remoteEof();
        if (out.readers > 0) {
            out.dropReader();
        }
    }
}
