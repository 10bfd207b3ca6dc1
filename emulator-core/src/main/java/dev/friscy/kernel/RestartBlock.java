package dev.friscy.kernel;

/**
 * What a blocked system call keeps across its re-runs (Linux's restart_block): one field per
 * kind of call, so no two calls give the same word two meanings. The dispatcher clears it
 * when the call completes, and signal delivery when it ends the call.
 */
final class RestartBlock {
    /**
     * poll, select, epoll_wait, rt_sigtimedwait, and reads and writes on a description with a
     * wait limit (a socket's SO_RCVTIMEO/SO_SNDTIMEO): absolute monotonic deadline (ns), -1 for none.
     */
    long timeout;
    /** nanosleep, clock_nanosleep: the time to sleep until, on the call's clock (ns). */
    long sleepUntil;
    /** A stream transfer (write, send to a pipe or stream socket; MSG_WAITALL receive): bytes already moved. */
    int transferred;
    /** A vfork parent: the child whose exec or exit it waits for. */
    int vforkChild;

    void clear() {
        timeout = 0;
        sleepUntil = 0;
        transferred = 0;
        vforkChild = 0;
    }
}
