package dev.friscy.fs;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.mem.AddressSpace;
import dev.friscy.mem.IoBuffer;
import dev.friscy.mem.Prot;
import dev.friscy.waiter.WaitQueue;

import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PipeBufferTest {
    private static PipeBuffer open() {
        PipeBuffer p = new PipeBuffer(new WaitQueue(), new WaitQueue());
        p.addReader();
        p.addWriter();
        return p;
    }

    private static int errno(Runnable r) {
        return assertThrows(SyscallError.class, r::run).errno;
    }

    /** Random writes and reads of random sizes, through arrays and guest memory at every alignment, against a queue. */
    @Test
    void bytesComeOutInOrderWhateverTheSizesAndAlignments() {
        Random rnd = new Random(7);
        AddressSpace as = new AddressSpace();
        long base = 0x10000;
        as.map(base, 1 << 20, Prot.READ | Prot.WRITE, false, null, 0, "test");
        PipeBuffer p = open();
        ArrayDeque<Byte> model = new ArrayDeque<>();
        for (int round = 0; round < 5000; round++) {
            if (rnd.nextBoolean()) {
                int len = 1 + rnd.nextInt(rnd.nextInt(10) == 0 ? 20000 : 300);
                byte[] data = new byte[len];
                rnd.nextBytes(data);
                int n;
                try {
                    if (rnd.nextBoolean()) {
                        n = p.write(IoBuffer.of(data, 0, len), true);
                    } else {
                        long at = base + rnd.nextInt(8192);
                        assertTrue(as.write(at, data, 0, len));
                        n = p.write(IoBuffer.guest(as, at, len), true);
                    }
                } catch (SyscallError e) {
                    assertEquals(Errno.EAGAIN, e.errno);
                    assertTrue(len <= PipeBuffer.PIPE_BUF ? p.free() < len : p.free() == 0, "EAGAIN with room");
                    continue;
                }
                assertTrue(n == len || len > PipeBuffer.PIPE_BUF, "atomic write was split");
                for (int i = 0; i < n; i++) {
                    model.add(data[i]);
                }
            } else {
                int len = 1 + rnd.nextInt(rnd.nextInt(10) == 0 ? 70000 : 300);
                byte[] got = new byte[len];
                int n;
                try {
                    if (rnd.nextBoolean()) {
                        n = p.read(IoBuffer.of(got, 0, len));
                    } else {
                        long at = base + 16384 + rnd.nextInt(8192);
                        n = p.read(IoBuffer.guest(as, at, len));
                        assertTrue(as.read(at, got, 0, n));
                    }
                } catch (SyscallError e) {
                    assertEquals(Errno.EAGAIN, e.errno);
                    assertTrue(model.isEmpty());
                    continue;
                }
                assertEquals(Math.min(len, model.size()), n);
                for (int i = 0; i < n; i++) {
                    assertEquals((byte) model.poll(), got[i], "byte " + i + " of read in round " + round);
                }
            }
            assertEquals(model.size(), p.available());
        }
    }

    @Test
    void endOfStreamAndBrokenPipe() {
        PipeBuffer p = open();
        byte[] b = new byte[10];
        assertEquals(Errno.EAGAIN, errno(() -> p.read(IoBuffer.of(b, 0, 10))));
        p.write(IoBuffer.of(new byte[] {1, 2, 3}), false);
        p.dropWriter();
        assertEquals(3, p.read(IoBuffer.of(b, 0, 10)));
        assertEquals(0, p.read(IoBuffer.of(b, 0, 10)));
        PipeBuffer q = open();
        q.dropReader();
        assertEquals(Errno.EPIPE, errno(() -> q.write(IoBuffer.of(b, 0, 1), false)));
        assertEquals(0, q.write(IoBuffer.of(b, 0, 0), false));
    }

    @Test
    void capacityChangesKeepTheData() {
        PipeBuffer p = open();
        byte[] data = new byte[5000];
        new Random(1).nextBytes(data);
        byte[] skip = new byte[3000];
        p.write(IoBuffer.of(new byte[3000], 0, 3000), true);
        p.write(IoBuffer.of(data, 0, 5000), true);
        p.read(IoBuffer.of(skip, 0, 3000)); // the data now starts mid-ring
        assertEquals(Errno.EBUSY, errno(() -> p.setCapacity(4096, false)));
        assertEquals(8192, p.setCapacity(5000, false));
        assertEquals(Errno.EPERM, errno(() -> p.setCapacity(2 << 20, false)));
        assertEquals(4 << 20, p.setCapacity(3 << 20, true));
        byte[] got = new byte[5000];
        assertEquals(5000, p.read(IoBuffer.of(got, 0, 5000)));
        assertArrayEquals(data, got);
    }

    @Test
    void faultingGuestBufferIsEfaultAndMovesNothing() {
        AddressSpace as = new AddressSpace();
        PipeBuffer p = open();
        assertEquals(Errno.EFAULT, errno(() -> p.write(IoBuffer.guest(as, 0x5000, 10), true)));
        assertEquals(0, p.available());
        p.write(IoBuffer.of(new byte[] {9}, 0, 1), true);
        assertEquals(Errno.EFAULT, errno(() -> p.read(IoBuffer.guest(as, 0x5000, 1))));
        assertEquals(1, p.available(), "a failed copy-out consumes nothing");
    }

    @Test
    void messagesKeepTheirBoundaries() {
        PipeBuffer p = open();
        p.keepRecords();
        p.writeRecord("abc".getBytes(), 0, 3);
        p.writeRecord(new byte[0], 0, 0);
        p.writeRecord("defgh".getBytes(), 0, 5);
        byte[] b = new byte[10];
        assertEquals(3, p.readRecord(b, 0, 10, false));
        assertEquals(0, p.readRecord(b, 0, 10, false));
        assertEquals(5, p.nextRecordLength());
        assertEquals(2, p.readRecord(b, 0, 2, false));
        assertEquals(-1, p.nextRecordLength());
        assertEquals(0, p.available());
        assertEquals(Errno.EMSGSIZE, errno(() -> p.writeRecord(new byte[70000], 0, 70000)));
    }

    @Test
    void pipeEndsReportTheirKindAndReadiness() {
        Pipe pipe = new Pipe(0);
        FileDescription r = pipe.openRead(0);
        FileDescription w = pipe.openWrite(OpenFlags.O_NONBLOCK);
        Stat st = new Stat();
        r.stat(st);
        assertEquals(Inode.S_IFIFO, st.mode & Inode.S_IFMT);
        assertTrue(r.describe().startsWith("pipe:["));
        assertEquals(0, r.poll());
        assertEquals(Poll.OUT | Poll.WRNORM, w.poll());
        w.write(null, IoBuffer.of(new byte[1], 0, 1));
        assertEquals(Poll.IN | Poll.RDNORM, r.poll());
        w.decRef();
        assertEquals(Poll.IN | Poll.RDNORM | Poll.HUP, r.poll());
        Pipe other = new Pipe(0);
        FileDescription w2 = other.openWrite(0);
        other.openRead(0).decRef();
        assertEquals(Poll.OUT | Poll.WRNORM | Poll.ERR, w2.poll());
    }

    @Test
    void aReadWriteEndIsItsOwnOtherSide() {
        Pipe pipe = new Pipe(0);
        FileDescription rw = pipe.openBoth(0);
        assertEquals(Poll.OUT | Poll.WRNORM, rw.poll());
        long before = rw.waitQueue().wakeups;
        assertEquals(3, rw.write(null, IoBuffer.of(new byte[] {1, 2, 3}, 0, 3)));
        assertTrue(rw.waitQueue().wakeups > before, "its waiters hear of the data");
        assertEquals(Poll.IN | Poll.RDNORM | Poll.OUT | Poll.WRNORM, rw.poll());
        byte[] b = new byte[8];
        assertEquals(3, rw.read(null, IoBuffer.of(b, 0, 8)));
        assertEquals(Errno.EAGAIN, errno(() -> rw.read(null, IoBuffer.of(b, 0, 8))), "no EOF: it is a writer itself");
        FileDescription r = pipe.openRead(0);
        rw.decRef();
        assertEquals(0, r.read(null, IoBuffer.of(b, 0, 8)), "closing it leaves no writer");
    }

    /** A blocking write longer than PIPE_BUF that meets a full pipe keeps its progress and resumes from it. */
    @Test
    void aLongBlockingWriteResumesWhereItStopped() {
        PipeBuffer p = open();
        byte[] data = new byte[PipeBuffer.DEFAULT_CAPACITY + 5000];
        new Random(3).nextBytes(data);
        IoBuffer src = IoBuffer.of(data);
        assertEquals(Errno.EAGAIN, errno(() -> p.write(src, false)));
        assertEquals(PipeBuffer.DEFAULT_CAPACITY, src.position(), "progress kept for the re-run");
        byte[] got = new byte[data.length];
        assertEquals(PipeBuffer.DEFAULT_CAPACITY, p.read(IoBuffer.of(got, 0, PipeBuffer.DEFAULT_CAPACITY)));
        IoBuffer again = IoBuffer.of(data);
        again.position(src.position());
        assertEquals(data.length, p.write(again, false), "the re-run reports the whole write");
        assertEquals(5000, p.read(IoBuffer.of(got, PipeBuffer.DEFAULT_CAPACITY, 5000)));
        assertArrayEquals(data, got);
        IoBuffer short1 = IoBuffer.of(new byte[PipeBuffer.DEFAULT_CAPACITY + 1]);
        p.dropReader();
        assertEquals(Errno.EPIPE, errno(() -> p.write(short1, false)));
    }
}
