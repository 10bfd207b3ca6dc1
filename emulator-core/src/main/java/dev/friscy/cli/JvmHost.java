package dev.friscy.cli;

import dev.friscy.host.Host;
import dev.friscy.host.HostNetwork;

import java.io.IOException;
import java.io.OutputStream;
import java.security.SecureRandom;

/** The host on the JVM: console to stdout/stderr, system clocks, SecureRandom. */
public final class JvmHost implements Host {
    private final OutputStream out;
    private final OutputStream err;
    private final SecureRandom random = new SecureRandom();
    private boolean outDirty;
    private boolean outClosed;
    private boolean errClosed;
    /** Guest connections beyond loopback (run --net host, --net-map); null: none. */
    HostNetwork network;

    public JvmHost(OutputStream out, OutputStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public void consoleOutput(byte[] buf, int off, int len) {
        try {
            out.write(buf, off, len);
            outDirty = true;
        } catch (IOException e) {
            // the reader went away (e.g. `| head`): the guest's next write gets EPIPE
            outClosed = true;
        }
    }

    @Override
    public void errorOutput(byte[] buf, int off, int len) {
        try {
            flush();
            err.write(buf, off, len);
            err.flush();
        } catch (IOException e) {
            errClosed = true;
        }
    }

    public void flush() {
        if (outDirty) {
            try {
                out.flush();
            } catch (IOException e) {
                outClosed = true;
            }
            outDirty = false;
        }
    }

    @Override
    public boolean outputClosed(boolean errorStream) {
        return errorStream ? errClosed : outClosed;
    }

    @Override
    public long monotonicNanos() {
        return System.nanoTime();
    }

    @Override
    public long realtimeNanos() {
        // Instant.now() reads the wall clock to the nanosecond (currentTimeMillis would end every
        // time in 000000, which `date +%N` shows)
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    @Override
    public void randomBytes(byte[] buf, int off, int len) {
        byte[] b = new byte[len];
        random.nextBytes(b);
        System.arraycopy(b, 0, buf, off, len);
    }

    @Override
    public HostNetwork network() {
        return network;
    }
}
