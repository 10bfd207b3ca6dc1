package dev.friscy.waiter;

/**
 * Something parked on one or more {@link WaitQueue}s: in the kernel, a blocked task. Waking it
 * must take it off every queue it waits on, so a queue never wakes the same waiter twice.
 */
public interface Waiter {
    /** The event it waited for may have happened: make it runnable again to re-check. */
    void wakeUp();
}
