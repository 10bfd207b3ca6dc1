package dev.friscy.fs;

import dev.friscy.kernel.Errno;
import dev.friscy.kernel.Kernel;
import dev.friscy.kernel.SyscallError;
import dev.friscy.kernel.Task;
import dev.friscy.kernel.WaitQueue;

/**
 * One direction of a byte stream: a bounded ring buffer with counts of readers and writers
 * attached to it. Pipes use one; a connected pair of Unix stream sockets uses two.
 *
 * Blocking follows Linux pipes: a read on an empty buffer waits while a writer exists and
 * returns 0 once none does; a write with no reader fails EPIPE; a write of at most
 * {@link #PIPE_BUF} bytes goes in whole or not at all; a longer blocking write goes in piece
 * by piece and returns only when all of it is in (or the readers are gone).
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
    /** For a blocking write's progress across restarts; null in unit tests (short writes then). */
    private final Kernel kernel;

    private byte[] ring = new byte[0];
    private int head;
    private int count;
    private int capacity = DEFAULT_CAPACITY;
    public int readers;
    public int writers;
    /** Datagram mode: lengths of the whole messages in the ring, oldest at recHead. */
    private int[] records;
    private int recHead;
    private int recCount;

    public PipeBuffer(Kernel kernel, WaitQueue readerQueue, WaitQueue writerQueue) {
        this.kernel = kernel;
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

    /** True when neither side can move data any more in the reading direction. */
    public boolean readShut() {
        return readers == 0 || writers == 0;
    }

    /** F_SETPIPE_SZ: rounds up to a power-of-two number of pages; EBUSY if the data would not fit. */
    public int setCapacity(long size, boolean privileged) {
        if (size < 0 || size > Integer.MAX_VALUE) {
            throw new SyscallError(Errno.EINVAL);
        }
        int want = 4096;
        while (want < size) {
            want <<= 1;
        }
        if (want > MAX_CAPACITY && !privileged) {
            throw new SyscallError(Errno.EPERM);
        }
        if (want > (1 << 28)) {
            throw new SyscallError(Errno.ENOMEM);
        }
        if (want < count) {
            throw new SyscallError(Errno.EBUSY);
        }
        if (ring.length > want) {
            resize(want);
        }
        boolean grew = want > capacity;
        capacity = want;
        if (grew) {
            writerQueue.wakeAll();
        }
        return want;
    }

    private void resize(int size) {
        byte[] n = new byte[size];
        copyOut(n, 0, count, false);
        ring = n;
        head = 0;
    }

    /** Copies {@code len} bytes from the front into {@code dst}; consumes them if {@code take}. */
    private void copyOut(byte[] dst, int off, int len, boolean take) {
        int first = Math.min(len, ring.length - head);
        System.arraycopy(ring, head, dst, off, first);
        if (len > first) {
            System.arraycopy(ring, 0, dst, off + first, len - first);
        }
        if (take) {
            head += len;
            if (head >= ring.length) {
                head -= ring.length;
            }
            count -= len;
            if (count == 0) {
                head = 0;
            }
        }
    }

    private void append(byte[] src, int off, int len) {
        if (count + len > ring.length) {
            // grow lazily: most pipes carry a few bytes, and a fresh pipe should cost little
            int n = Math.max(ring.length, 4096);
            while (n < count + len) {
                n <<= 1;
            }
            resize(Math.min(n, capacity));
        }
        int tail = head + count;
        if (tail >= ring.length) {
            tail -= ring.length;
        }
        int first = Math.min(len, ring.length - tail);
        System.arraycopy(src, off, ring, tail, first);
        if (len > first) {
            System.arraycopy(src, off + first, ring, 0, len - first);
        }
        count += len;
    }

    /**
     * Reads up to {@code len} bytes. Returns 0 at end of stream; throws EAGAIN when the caller
     * has to wait.
     */
    public int read(byte[] dst, int off, int len) {
        if (len == 0) {
            return 0;
        }
        if (count == 0) {
            if (readShut()) {
                return 0;
            }
            throw new SyscallError(Errno.EAGAIN);
        }
        int n = Math.min(len, count);
        copyOut(dst, off, n, true);
        writerQueue.wakeAll();
        return n;
    }

    /** Copies up to {@code len} bytes without consuming them (MSG_PEEK). */
    public int peek(byte[] dst, int off, int len) {
        if (len == 0) {
            return 0;
        }
        if (count == 0) {
            if (readShut()) {
                return 0;
            }
            throw new SyscallError(Errno.EAGAIN);
        }
        int n = Math.min(len, count);
        copyOut(dst, off, n, false);
        return n;
    }

    /** Drops up to {@code len} buffered bytes (MSG_TRUNC on a stream). */
    public int skip(int len) {
        int n = Math.min(len, count);
        head = (head + n) % Math.max(ring.length, 1);
        count -= n;
        if (count == 0) {
            head = 0;
        }
        if (n > 0) {
            writerQueue.wakeAll();
        }
        return n;
    }

    /**
     * Writes {@code src[off..off+len)}. Throws EPIPE when nobody can read (the caller raises
     * SIGPIPE), EAGAIN when the caller has to wait. A blocking write that has to wait part-way
     * records the bytes already written in the task's {@code restartState}, so the re-run call
     * (which passes the same buffer again) continues where it left off.
     */
    public int write(byte[] src, int off, int len, boolean nonblock) {
        Task t = kernel != null ? kernel.current : null;
        int done = 0;
        if (t != null && t.restarting) {
            done = (int) Math.min(Math.max(t.restartState, 0), len);
        }
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
            append(src, off + done, n);
            done += n;
            readerQueue.wakeAll();
        }
        if (done == len) {
            return len;
        }
        if (nonblock || t == null) {
            if (done > 0) {
                return done;
            }
            throw new SyscallError(Errno.EAGAIN);
        }
        t.restartState = done;
        throw new SyscallError(Errno.EAGAIN);
    }

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
        if (len > 0) {
            append(src, off, len);
        }
        readerQueue.wakeAll();
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
        copyOut(dst, off, n, false);
        if (!peek) {
            skip(mlen);
            recHead = (recHead + 1) % records.length;
            recCount--;
            writerQueue.wakeAll();
        }
        return n;
    }

    /** Readiness of the reading side as poll bits (without HUP/RDHUP policy, which callers add). */
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
            writerQueue.wakeAll();
        }
    }

    public void dropWriter() {
        if (--writers == 0) {
            readerQueue.wakeAll();
        }
    }
}
