package dev.friscy.fs;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.mem.AddressSpace;
import dev.friscy.mem.IoBuffer;
import dev.friscy.mem.Page;
import dev.friscy.waiter.WaitQueue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One direction of a byte stream: a bounded ring buffer with counts of readers and writers
 * attached to it. Pipes use one; a connected pair of Unix sockets uses two.
 *
 * Blocking follows Linux pipes: a read on an empty buffer waits while a writer exists and
 * returns 0 once none does; a write with no reader fails EPIPE; a write of at most
 * {@link #PIPE_BUF} bytes goes in whole or not at all; a longer blocking write goes in piece
 * by piece and returns only when all of it is in (or the readers are gone).
 *
 * The ring holds longs laid out like guest pages, so bytes move between guest memory and
 * the ring with System.arraycopy whenever source and destination agree modulo 8 (they do for
 * the usual aligned buffers and sizes), not a byte at a time.
 */
public final class PipeBuffer {
    /** Default capacity (Linux: 16 pages). */
    public static final int DEFAULT_CAPACITY = 65536;
    /** Writes up to this size are atomic. */
    public static final int PIPE_BUF = 4096;
    /** Largest F_SETPIPE_SZ an unprivileged process may ask for (/proc/sys/fs/pipe-max-size). */
    public static final int MAX_CAPACITY = 1 << 20;

    /** Where readers wait (woken when data arrives or the writers leave). */
    public final WaitQueue readerQueue;
    /** Where writers wait (woken when space frees up or the readers leave). */
    public final WaitQueue writerQueue;
    /** Also woken on every change, for descriptions that both read and write (a FIFO opened O_RDWR). */
    public WaitQueue anyQueue;

    /** capacity/8 longs, allocated on the first write. */
    private long[] ring;
    /** Byte index of the oldest byte in the ring. */
    private int head;
    private int count;
    private int capacity = DEFAULT_CAPACITY;
    public int readers;
    public int writers;
    /** Bytes and messages ever queued and ever taken: positions in the stream (SCM_RIGHTS uses them). */
    public long produced;
    public long consumed;
    public long recordsProduced;
    public long recordsConsumed;
    /** Datagram mode: lengths of the whole messages in the ring, oldest at recHead. */
    private int[] records;
    private int recHead;
    private int recCount;

    public PipeBuffer(WaitQueue readerQueue, WaitQueue writerQueue) {
        this.readerQueue = readerQueue;
        this.writerQueue = writerQueue;
    }

    public int available() {
        return count;
    }

    public int capacity() {
        return capacity;
    }

    public int free() {
        return capacity - count;
    }

    /** True when nothing more can arrive, or nobody may read any more. */
    public boolean readShut() {
        return readers == 0 || writers == 0;
    }

    /** F_SETPIPE_SZ: rounds up to a power-of-two number of pages; EBUSY if the data would not fit. */
    public int setCapacity(long size, boolean privileged) {
        return setCapacity(size, privileged, MAX_CAPACITY);
    }

    /** F_SETPIPE_SZ with the /proc/sys/fs/pipe-max-size in force ({@code max} bytes for the unprivileged). */
    public int setCapacity(long size, boolean privileged, long max) {
        if (size < 0 || size > Integer.MAX_VALUE) {
            throw new SyscallError(Errno.EINVAL);
        }
        int want = 4096;
        while (want < size) {
            want <<= 1;
        }
        if (want > max && !privileged) {
            throw new SyscallError(Errno.EPERM);
        }
        if (want > (1 << 28)) {
            throw new SyscallError(Errno.ENOMEM);
        }
        if (want < count) {
            throw new SyscallError(Errno.EBUSY);
        }
        if (ring != null && want != capacity) {
            long[] n = new long[want >>> 3];
            for (int i = 0; i < count; i++) {
                putByte(n, i, getByte(ring, wrap(head + i)));
            }
            ring = n;
            head = 0;
        }
        boolean grew = want > capacity;
        capacity = want;
        if (grew) {
            wakeWriters();
        }
        return want;
    }

    private void wakeReaders() {
        readerQueue.wakeAll();
        if (anyQueue != null) {
            anyQueue.wakeAll();
        }
    }

    private void wakeWriters() {
        writerQueue.wakeAll();
        if (anyQueue != null) {
            anyQueue.wakeAll();
        }
    }

    // ------------------------------------------------------------------ byte moving

    private static int getByte(long[] a, int i) {
        return (int) (a[i >>> 3] >>> ((i & 7) << 3)) & 0xff;
    }

    private static void putByte(long[] a, int i, int v) {
        int w = i >>> 3;
        int sh = (i & 7) << 3;
        a[w] = (a[w] & ~(0xffL << sh)) | ((long) (v & 0xff) << sh);
    }

    /** Copies {@code len} bytes between two page-like long arrays at byte offsets. */
    static void copyBytes(long[] from, int fromOff, long[] to, int toOff, int len) {
        if (((fromOff ^ toOff) & 7) == 0) {
            while (len > 0 && (fromOff & 7) != 0) {
                putByte(to, toOff++, getByte(from, fromOff++));
                len--;
            }
            int longs = len >>> 3;
            System.arraycopy(from, fromOff >>> 3, to, toOff >>> 3, longs);
            fromOff += longs << 3;
            toOff += longs << 3;
            len -= longs << 3;
        }
        while (len > 0) {
            putByte(to, toOff++, getByte(from, fromOff++));
            len--;
        }
    }

    /** Packs bytes of {@code src} into the long array at byte offset {@code toOff} (the aligned middle in bulk). */
    private static void fromBytes(byte[] src, int off, long[] to, int toOff, int len) {
        while (len > 0 && (toOff & 7) != 0) {
            putByte(to, toOff++, src[off++]);
            len--;
        }
        int longs = len >>> 3;
        if (longs > 0) {
            ByteBuffer.wrap(src, off, longs << 3).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(to, toOff >>> 3, longs);
            off += longs << 3;
            toOff += longs << 3;
            len -= longs << 3;
        }
        while (len > 0) {
            putByte(to, toOff++, src[off++]);
            len--;
        }
    }

    private static void toBytes(long[] from, int fromOff, byte[] dst, int off, int len) {
        while (len > 0 && (fromOff & 7) != 0) {
            dst[off++] = (byte) getByte(from, fromOff++);
            len--;
        }
        int longs = len >>> 3;
        if (longs > 0) {
            ByteBuffer.wrap(dst, off, longs << 3).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().put(from, fromOff >>> 3, longs);
            off += longs << 3;
            fromOff += longs << 3;
            len -= longs << 3;
        }
        while (len > 0) {
            dst[off++] = (byte) getByte(from, fromOff++);
            len--;
        }
    }

    private int wrap(int i) {
        return i >= capacity ? i - capacity : i;
    }

    /**
     * Moves {@code len} bytes at ring position {@code pos} to or from a kernel array or guest
     * memory. Returns how many moved: fewer only when guest memory faults (the fault is cleared).
     */
    private int transfer(boolean in, int pos, byte[] arr, int off, AddressSpace as, long addr, int len) {
        int done = 0;
        while (done < len) {
            int rp = wrap(pos + done);
            int n = Math.min(len - done, capacity - rp);
            if (as == null) {
                if (in) {
                    fromBytes(arr, off + done, ring, rp, n);
                } else {
                    toBytes(ring, rp, arr, off + done, n);
                }
                done += n;
                continue;
            }
            long a = addr + done;
            Page p = in ? as.pageForRead(a) : as.pageForWrite(a);
            if (p == null) {
                as.clearFault();
                return done;
            }
            int po = (int) (a & Page.MASK);
            n = Math.min(n, Page.SIZE - po);
            if (in) {
                copyBytes(p.data, po, ring, rp, n);
            } else {
                copyBytes(ring, rp, p.data, po, n);
            }
            done += n;
        }
        return done;
    }

    /** Appends; returns bytes taken (fewer only on a guest fault). */
    private int append(byte[] src, int off, AddressSpace as, long addr, int len) {
        if (ring == null) {
            ring = new long[capacity >>> 3];
        }
        int n = transfer(true, wrap(head + count), src, off, as, addr, len);
        count += n;
        produced += n;
        return n;
    }

    /** Copies from the front; consumes what was copied if {@code take}. */
    private int takeOut(byte[] dst, int off, AddressSpace as, long addr, int len, boolean take) {
        int n = transfer(false, head, dst, off, as, addr, len);
        if (take) {
            consume(n);
        }
        return n;
    }

    private void consume(int n) {
        head = wrap(head + n);
        count -= n;
        consumed += n;
        if (count == 0) {
            head = 0;
        }
    }

    // ------------------------------------------------------------------ stream reads and writes

    /**
     * Reads up to {@code len} bytes. Returns 0 at end of stream; throws EAGAIN when the caller
     * has to wait.
     */
    public int read(IoBuffer dst) {
        if (dst.inGuest()) {
            return read(null, 0, dst.space(), dst.address(), dst.length, false); // EFAULT if nothing could be stored
        }
        return read(dst.array(), dst.arrayOffset(), null, 0, dst.length, false);
    }

    /** Copies up to {@code len} bytes without consuming them (MSG_PEEK). */
    public int peek(byte[] dst, int off, int len) {
        return read(dst, off, null, 0, len, true);
    }

    private int read(byte[] dst, int off, AddressSpace as, long addr, int len, boolean peek) {
        if (len == 0) {
            return 0;
        }
        if (count == 0) {
            if (readShut()) {
                return 0;
            }
            throw new SyscallError(Errno.EAGAIN);
        }
        int n = takeOut(dst, off, as, addr, Math.min(len, count), !peek);
        if (n == 0) {
            throw new SyscallError(Errno.EFAULT);
        }
        if (!peek) {
            wakeWriters();
        }
        return n;
    }

    /** Copies up to {@code len} bytes from {@code skip} bytes into what is buffered, consuming nothing. */
    public int peekFrom(int skip, byte[] dst, int off, int len) {
        if (skip >= count) {
            if (readShut()) {
                return 0;
            }
            throw new SyscallError(Errno.EAGAIN);
        }
        return transfer(false, wrap(head + skip), dst, off, null, 0, Math.min(len, count - skip));
    }

    /** The byte at stream position {@code pos} while it is buffered, else -1. */
    public int byteAt(long pos) {
        if (pos < consumed || pos >= produced) {
            return -1;
        }
        byte[] one = new byte[1];
        transfer(false, wrap(head + (int) (pos - consumed)), one, 0, null, 0, 1);
        return one[0] & 0xff;
    }

    /** Drops up to {@code len} buffered bytes. */
    public int skip(int len) {
        int n = Math.min(len, count);
        consume(n);
        if (n > 0) {
            wakeWriters();
        }
        return n;
    }

    /**
     * Writes the bytes of {@code src} from {@code src.position()} on, and returns how many of
     * them are in (counting the ones earlier runs moved). Throws EPIPE when nobody can read (the
     * caller raises SIGPIPE), EFAULT when guest memory gives nothing, EAGAIN when the caller has
     * to wait. A blocking write that has to wait part-way leaves its progress in
     * {@code src.position()}: the syscall layer keeps it while the task waits and hands it back
     * when the call re-runs, so the write continues where it left off.
     */
    public int write(IoBuffer src, boolean nonblock) {
        int len = src.length;
        int done = Math.min(Math.max(src.position(), 0), len);
        if (len == 0) {
            return 0;
        }
        if (readers == 0 || writers == 0) {
            if (done > 0) {
                return done;
            }
            throw new SyscallError(Errno.EPIPE);
        }
        int remaining = len - done;
        int free = capacity - count;
        int n;
        if (len <= PIPE_BUF) {
            n = free >= remaining ? remaining : 0;
        } else {
            n = Math.min(free, remaining);
        }
        if (n > 0) {
            int moved = src.inGuest() ? append(null, 0, src.space(), src.address() + done, n)
                    : append(src.array(), src.arrayOffset() + done, null, 0, n);
            done += moved;
            src.position(done);
            if (moved > 0) {
                wakeReaders();
            }
            if (moved < n) {
                if (done > 0) {
                    return done;
                }
                throw new SyscallError(Errno.EFAULT);
            }
        }
        if (done == len) {
            return len;
        }
        if (nonblock && done > 0) {
            return done;
        }
        throw new SyscallError(Errno.EAGAIN);
    }

    // ------------------------------------------------------------------ messages

    /** Keeps message boundaries from now on (datagram and seqpacket sockets). */
    public void keepRecords() {
        records = new int[16];
    }

    /** Length of the next whole message, or -1 if none is queued. */
    public int nextRecordLength() {
        return recCount == 0 ? -1 : records[recHead];
    }

    /** Queues one whole message: EMSGSIZE if it can never fit, EAGAIN while there is no room. */
    public int writeRecord(byte[] src, int off, int len) {
        if (readers == 0 || writers == 0) {
            throw new SyscallError(Errno.EPIPE);
        }
        if (len > capacity) {
            throw new SyscallError(Errno.EMSGSIZE);
        }
        if (capacity - count < len || recCount == 4096) {
            throw new SyscallError(Errno.EAGAIN);
        }
        if (recCount == records.length) {
            int[] n = new int[records.length * 2];
            for (int i = 0; i < recCount; i++) {
                n[i] = records[(recHead + i) % records.length];
            }
            records = n;
            recHead = 0;
        }
        records[(recHead + recCount) % records.length] = len;
        recCount++;
        recordsProduced++;
        if (len > 0) {
            append(src, off, null, 0, len);
        }
        wakeReaders();
        return len;
    }

    /**
     * Copies up to {@code len} bytes of the next message; unless {@code peek}, drops the whole
     * message (the rest of a longer one is lost, as with datagrams). Throws EAGAIN when none is
     * queued and the writer may still send; returns 0 at end of stream.
     */
    public int readRecord(byte[] dst, int off, int len, boolean peek) {
        if (recCount == 0) {
            if (readShut()) {
                return 0;
            }
            throw new SyscallError(Errno.EAGAIN);
        }
        int mlen = records[recHead];
        int n = Math.min(len, mlen);
        if (n > 0) {
            takeOut(dst, off, null, 0, n, false);
        }
        if (!peek) {
            consume(mlen);
            recHead = (recHead + 1) % records.length;
            recCount--;
            recordsConsumed++;
            wakeWriters();
        }
        return n;
    }

    // ------------------------------------------------------------------ readiness and ends

    public boolean readable() {
        return count > 0 || recCount > 0;
    }

    /** Linux reports a pipe writable when an atomic write would go in. */
    public boolean writable() {
        return capacity - count >= Math.min(PIPE_BUF, capacity);
    }

    public void addReader() {
        readers++;
    }

    public void addWriter() {
        writers++;
    }

    public void dropReader() {
        if (--readers == 0) {
            wakeWriters();
        }
    }

    public void dropWriter() {
        if (--writers == 0) {
            wakeReaders();
        }
    }
}
