package dev.friscy.mem;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;

/**
 * Where a read's bytes go or a write's come from (gVisor's IOSequence, reduced to one span):
 * either a kernel array or a range of guest memory. File operations take one, so the same
 * code serves read(2) straight into a guest buffer and the kernel's own transfers (sendfile,
 * splice-like copies) into an array.
 *
 * A stream that can block part-way through a long write (a pipe) keeps its progress in
 * {@link #position}: the syscall layer saves it when the task parks and sets it again when
 * the call re-runs, so the stream continues where it stopped.
 */
public final class IoBuffer {
    /**
     * Most that descriptions without a direct path move per call through a kernel array;
     * callers loop, as they must for short transfers anyway.
     */
    public static final int CHUNK = 1 << 20;

    private final byte[] array;
    private final int arrayOffset;
    private final AddressSpace space;
    private final long address;
    /** Bytes in the span. */
    public final int length;
    private int position;

    private IoBuffer(byte[] array, int arrayOffset, AddressSpace space, long address, int length) {
        this.array = array;
        this.arrayOffset = arrayOffset;
        this.space = space;
        this.address = address;
        this.length = length;
    }

    public static IoBuffer of(byte[] a) {
        return new IoBuffer(a, 0, null, 0, a.length);
    }

    public static IoBuffer of(byte[] a, int off, int len) {
        return new IoBuffer(a, off, null, 0, len);
    }

    public static IoBuffer guest(AddressSpace as, long addr, int len) {
        return new IoBuffer(null, 0, as, addr, len);
    }

    public boolean inGuest() {
        return space != null;
    }

    /** For guest spans: the address space and start address. */
    public AddressSpace space() {
        return space;
    }

    public long address() {
        return address;
    }

    /** For kernel spans: the array and the offset of the span's first byte in it. */
    public byte[] array() {
        return array;
    }

    public int arrayOffset() {
        return arrayOffset;
    }

    /** Bytes of the span already transferred by earlier runs of a blocked call. */
    public int position() {
        return position;
    }

    public void position(int p) {
        position = p;
    }

    /** {@link #length}, capped at {@link #CHUNK}: the size of a kernel array standing in for this span. */
    public int chunk() {
        return Math.min(length, CHUNK);
    }

    /** Stores {@code n} bytes of {@code src} at offset {@code at} of the span; EFAULT if guest memory there is not writable. */
    public void copyOut(int at, byte[] src, int off, int n) {
        if (n <= 0) {
            return;
        }
        if (space == null) {
            System.arraycopy(src, off, array, arrayOffset + at, n);
        } else if (!space.write(address + at, src, off, n)) {
            space.clearFault();
            throw new SyscallError(Errno.EFAULT);
        }
    }

    /** Loads {@code n} bytes at offset {@code at} of the span into {@code dst}; EFAULT if guest memory there is not readable. */
    public void copyIn(int at, byte[] dst, int off, int n) {
        if (n <= 0) {
            return;
        }
        if (space == null) {
            System.arraycopy(array, arrayOffset + at, dst, off, n);
        } else if (!space.read(address + at, dst, off, n)) {
            space.clearFault();
            throw new SyscallError(Errno.EFAULT);
        }
    }

    /** The first {@code n} bytes of the span as a new kernel array. */
    public byte[] copyIn(int n) {
        byte[] b = new byte[n];
        copyIn(0, b, 0, n);
        return b;
    }
}
