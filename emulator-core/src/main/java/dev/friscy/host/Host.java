package dev.friscy.host;

/**
 * Everything the emulator core needs from the world outside it. The JVM command line and the
 * browser Worker each implement it; tests use an in-memory one. Nothing here may block.
 */
public interface Host {
    /** Bytes the guest wrote to the console (the terminal's output side). */
    void consoleOutput(byte[] buf, int off, int len);

    /** Bytes for the host's error stream when the guest's stderr is not the terminal. */
    default void errorOutput(byte[] buf, int off, int len) {
        consoleOutput(buf, off, len);
    }

    /**
     * True once the reader of the host's output stream (stderr if {@code errorStream}) has gone,
     * e.g. `friscy run ... | head -1` after head exits: guest writes there then fail with EPIPE
     * and SIGPIPE, as writes to a pipe without readers do.
     */
    default boolean outputClosed(boolean errorStream) {
        return false;
    }

    /** Monotonic clock in nanoseconds (any origin). */
    long monotonicNanos();

    /**
     * The clock that measures how long the host spends running a guest task, for its CPU time
     * (any origin, nanoseconds). The host has one thread, so its elapsed time while a task runs
     * is that task's time.
     */
    default long cpuClockNanos() {
        return monotonicNanos();
    }

    /** Wall clock in nanoseconds since the Unix epoch. */
    long realtimeNanos();

    /** The host's network for guest connections beyond loopback; null if guests get none (ENETUNREACH). */
    default HostNetwork network() {
        return null;
    }

    /** Fills {@code buf} with unpredictable bytes (getrandom, AT_RANDOM, /dev/urandom). */
    void randomBytes(byte[] buf, int off, int len);
}
