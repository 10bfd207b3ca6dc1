package dev.friscy.testing;

import dev.friscy.host.Host;

import java.io.ByteArrayOutputStream;

/** The tests' one fake host: a settable clock, deterministic "random" bytes, console captured. */
public final class TestHost implements Host {
    public long now = 1_700_000_000_000_000_000L;
    public final ByteArrayOutputStream console = new ByteArrayOutputStream();

    @Override
    public void consoleOutput(byte[] buf, int off, int len) {
        console.write(buf, off, len);
    }

    @Override
    public long monotonicNanos() {
        return now;
    }

    @Override
    public long realtimeNanos() {
        return now;
    }

    @Override
    public void randomBytes(byte[] buf, int off, int len) {
        for (int i = 0; i < len; i++) {
            buf[off + i] = (byte) (0x5a + i);
        }
    }
}
