package dev.friscy.kernel;

/** Per-process interval timers (ITIMER_REAL, used by alarm and setitimer). */
public final class Timers {
    /** Absolute monotonic expiry of ITIMER_REAL in ns, or 0 when disarmed. */
    public long realExpiry;
    /** Reload interval in ns, or 0 for a one-shot timer. */
    public long realInterval;
}
