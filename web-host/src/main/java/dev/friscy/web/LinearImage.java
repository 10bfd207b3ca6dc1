package dev.friscy.web;

import dev.friscy.fs.TarSource;
import org.teavm.interop.Address;
import org.teavm.runtime.heap.Heap;

/**
 * The boot image, kept in linear memory in 1 MiB chunks that worker.js fills straight from its
 * decompression, and read lazily like an image file (file data stays here until the guest first
 * uses it). Why not Java arrays: converting node's 141 MB image from one JS array took 0.7-0.9 s,
 * and allocating it as 1 MiB Java arrays 0.5 s of garbage-collector pauses; copying each file into
 * pages at boot took another 1.2 s, for a run that reads a third of them.
 */
final class LinearImage implements TarSource {
    static final int SHIFT = 20;
    static final int CHUNK = 1 << SHIFT;

    private int[] chunks = new int[16];
    private long length;
    private final long max;

    /** An empty image that may grow to {@code max} bytes. */
    LinearImage(long max) {
        this.max = max;
    }

    /**
     * Where the next {@code n} bytes go (they must not cross a chunk: {@code n} at most
     * {@link #room}), or 0 if the image would grow past its limit or linear memory is full.
     */
    int reserve(int n) {
        if (n < 0 || n > room() || length + n > max) {
            return 0;
        }
        int c = (int) (length >>> SHIFT);
        if (c == chunks.length) {
            int[] m = new int[c * 2];
            System.arraycopy(chunks, 0, m, 0, c);
            chunks = m;
        }
        if (chunks[c] == 0) {
            Address a = Heap.alloc(CHUNK);
            if (a == null || a.toInt() == 0) {
                return 0;
            }
            chunks[c] = a.toInt();
        }
        return chunks[c] + (int) (length & (CHUNK - 1));
    }

    /** Gives the chunks back (a boot that failed before the image was imported). */
    void release() {
        for (int i = 0; i < chunks.length; i++) {
            if (chunks[i] != 0) {
                Heap.release(Address.fromInt(chunks[i]));
                chunks[i] = 0;
            }
        }
        length = 0;
    }

    /** Bytes that fit before the current chunk is full. */
    int room() {
        return CHUNK - (int) (length & (CHUNK - 1));
    }

    /** The {@code n} bytes written at {@link #reserve}'s address are part of the image now. */
    void commit(int n) {
        length += n;
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public void read(long pos, byte[] dst, int off, int len) {
        if (pos < 0 || len < 0 || pos > length - len) {
            throw new IndexOutOfBoundsException("read of " + len + " bytes at " + pos + " outside the image (" + length + " bytes)");
        }
        int done = 0;
        while (done < len) {
            long p = pos + done;
            int k = Math.min(len - done, CHUNK - (int) (p & (CHUNK - 1)));
            int a = chunks[(int) (p >>> SHIFT)] + (int) (p & (CHUNK - 1));
            int d = off + done;
            int i = 0;
            for (; i + 8 <= k; i += 8) {
                long v = Address.fromInt(a + i).getLong();
                dst[d + i] = (byte) v;
                dst[d + i + 1] = (byte) (v >>> 8);
                dst[d + i + 2] = (byte) (v >>> 16);
                dst[d + i + 3] = (byte) (v >>> 24);
                dst[d + i + 4] = (byte) (v >>> 32);
                dst[d + i + 5] = (byte) (v >>> 40);
                dst[d + i + 6] = (byte) (v >>> 48);
                dst[d + i + 7] = (byte) (v >>> 56);
            }
            for (; i < k; i++) {
                dst[d + i] = Address.fromInt(a + i).getByte();
            }
            done += k;
        }
    }

    @Override
    public boolean lazy() {
        return true;
    }
}
