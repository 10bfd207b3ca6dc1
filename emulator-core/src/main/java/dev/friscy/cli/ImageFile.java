package dev.friscy.cli;

import dev.friscy.fs.TarSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An image tar read in place: the import reads its headers, and each file's data is read from
 * here when the guest first uses it, so a short program in a large image starts without reading
 * the whole archive. The channel stays open for the run; replacing the file (as --save does, by
 * rename) leaves this copy readable, but changing it in place during a run is not supported.
 * Small reads go through a read-ahead window, so the header scan costs few system calls.
 */
final class ImageFile implements TarSource, AutoCloseable {
    private static final int WINDOW = 1 << 14;

    private final FileChannel ch;
    private final long length;
    private final byte[] window = new byte[WINDOW];
    private long windowPos = -1;
    private int windowLen;
    /** Bytes read from the host file so far (FRISCY_STATS reports it). */
    long bytesRead;

    ImageFile(Path path) throws IOException {
        ch = FileChannel.open(path, StandardOpenOption.READ);
        length = ch.size();
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public boolean lazy() {
        return true;
    }

    @Override
    public void read(long pos, byte[] dst, int off, int len) throws IOException {
        if (pos < 0 || len < 0 || pos > length - len) {
            throw new IOException("read of " + len + " bytes at " + pos + " outside the image (" + length + " bytes)");
        }
        if (len <= WINDOW / 4) {
            if (windowPos < 0 || pos < windowPos || pos + len > windowPos + windowLen) {
                windowLen = (int) Math.min(WINDOW, length - pos);
                readFully(pos, window, 0, windowLen);
                windowPos = pos;
            }
            System.arraycopy(window, (int) (pos - windowPos), dst, off, len);
            return;
        }
        readFully(pos, dst, off, len);
    }

    private void readFully(long pos, byte[] dst, int off, int len) throws IOException {
        bytesRead += len;
        ByteBuffer bb = ByteBuffer.wrap(dst, off, len);
        while (bb.hasRemaining()) {
            int n = ch.read(bb, pos + (bb.position() - off));
            if (n < 0) {
                // the image shrank under us
                throw new IOException("the image ended early (changed during the run?)");
            }
        }
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }
}
