package dev.friscy.web;

import dev.friscy.host.Host;
import dev.friscy.host.HostNetwork;
import org.teavm.jso.JSBody;

/**
 * The kernel's host inside the Web Worker: clocks from performance.now()/Date.now(), randomness
 * from crypto.getRandomValues, console output collected until the Worker drains it, and the
 * network through the relay when the page named one.
 */
final class BrowserHost implements Host {
    private byte[] out = new byte[4096];
    private int outLen;
    /** Null without a relay: guests then get ENETUNREACH beyond loopback at once. */
    final RelayNetwork relay;

    BrowserHost(String relayUrl) {
        relay = relayUrl == null || relayUrl.isEmpty() ? null : new RelayNetwork(relayUrl);
    }

    @Override
    public HostNetwork network() {
        return relay;
    }

    @Override
    public void consoleOutput(byte[] buf, int off, int len) {
        if (outLen + len > out.length) {
            byte[] bigger = new byte[Math.max(out.length * 2, outLen + len)];
            System.arraycopy(out, 0, bigger, 0, outLen);
            out = bigger;
        }
        System.arraycopy(buf, off, out, outLen, len);
        outLen += len;
    }

    /** Console bytes written since the last call (an empty array when none). */
    byte[] drainOutput() {
        byte[] r = new byte[outLen];
        System.arraycopy(out, 0, r, 0, outLen);
        outLen = 0;
        if (out.length > 1 << 20) {
            out = new byte[4096]; // don't keep a burst's buffer forever
        }
        return r;
    }

    int pendingOutput() {
        return outLen;
    }

    @Override
    public long monotonicNanos() {
        return (long) (performanceNow() * 1_000_000.0);
    }

    /** Date.now() when the wall clock was last anchored, and performance.now() then. */
    private double wallAnchorMs = Double.NaN;
    private double perfAnchorMs;

    /**
     * Date.now() counts whole milliseconds; the time since an anchor taken from it comes from
     * performance.now(), which has sub-millisecond steps. A wall clock that drifts from the anchored
     * time by more than a second (it was set, or the machine slept) is anchored afresh.
     */
    @Override
    public long realtimeNanos() {
        double perf = performanceNow();
        double wall = dateNow();
        if (Double.isNaN(wallAnchorMs) || Math.abs(wallAnchorMs + (perf - perfAnchorMs) - wall) > 1000.0) {
            wallAnchorMs = wall;
            perfAnchorMs = perf;
        }
        return (long) wallAnchorMs * 1_000_000L + (long) ((perf - perfAnchorMs) * 1_000_000.0);
    }

    @Override
    public void randomBytes(byte[] buf, int off, int len) {
        // getRandomValues accepts at most 65536 bytes per call.
        while (len > 0) {
            int n = Math.min(len, 65536);
            byte[] r = randomArray(n);
            System.arraycopy(r, 0, buf, off, n);
            off += n;
            len -= n;
        }
    }

    static double now() {
        return performanceNow();
    }

    @JSBody(script = "return performance.now();")
    private static native double performanceNow();

    @JSBody(script = "return Date.now();")
    private static native double dateNow();

    @JSBody(params = "n", script = "var a = new Int8Array(n); crypto.getRandomValues(a); return a;")
    private static native byte[] randomArray(int n);
}
