package dev.friscy.image;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A decompressed stream that may not grow past a cap: a few megabytes of crafted gzip expand
 * to gigabytes, and everything the image tool reads ends up in memory.
 */
final class CappedInputStream extends FilterInputStream {
    private final long cap;
    private final String what;
    private long count;

    CappedInputStream(InputStream in, long cap, String what) {
        super(in);
        this.cap = cap;
        this.what = what;
    }

    private void account(long n) throws IOException {
        if (n > 0) {
            count += n;
            if (count > cap) {
                throw new IOException(what + " expands to more than " + (cap >> 20) + " MiB (a decompression bomb?)");
            }
        }
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        account(b < 0 ? 0 : 1);
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        account(n);
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long k = super.skip(n);
        account(k);
        return k;
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
