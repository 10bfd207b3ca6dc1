package dev.friscy.net;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.fs.Poll;
import dev.friscy.mem.AddressSpace;
import dev.friscy.mem.IoBuffer;
import dev.friscy.mem.Prot;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class UnixSocketTest {
    @Test
    void aHugeReadLengthCostsNoHugeBuffer() {
        AddressSpace as = new AddressSpace();
        as.map(0x10000, 0x1000, Prot.READ | Prot.WRITE, false, null, 0, "buf");
        Network net = new Network();
        Socket[][] pairs = {DgramSocket.pair(net, 0, null), StreamSocket.pair(net, Socket.SOCK_SEQPACKET, 0, null)};
        for (Socket[] p : pairs) {
            p[0].write(null, IoBuffer.of("big".getBytes()));
            assertEquals(3, p[1].read(null, IoBuffer.guest(as, 0x10000, 0x7ffff000)));
            assertEquals(Errno.EMSGSIZE, assertThrows(SyscallError.class,
                    () -> p[0].write(null, IoBuffer.guest(as, 0x10000, 0x7ffff000))).errno);
        }
    }

    @Test
    void shutdownDirections() {
        StreamSocket[] p = StreamSocket.pair(new Network(), Socket.SOCK_STREAM, 0, null);
        p[0].shutdown(Socket.SHUT_WR);
        assertEquals(Poll.RDHUP | Poll.IN | Poll.RDNORM | Poll.OUT | Poll.WRNORM | Poll.WRBAND, p[1].poll());
        assertEquals(0, p[1].read(null, IoBuffer.of(new byte[4])), "end of stream after the peer's SHUT_WR");
        assertEquals(Errno.EPIPE, assertThrows(SyscallError.class, () -> p[0].write(null, IoBuffer.of(new byte[1]))).errno);
        assertEquals(1, p[1].write(null, IoBuffer.of(new byte[1])), "the other direction still flows");
        p[1].decRef();
        assertEquals(Poll.HUP, p[0].poll() & Poll.HUP, "hang-up once the peer is gone");
    }
}
