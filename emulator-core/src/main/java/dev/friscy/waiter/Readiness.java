package dev.friscy.waiter;

/**
 * Whether an exclusive waiter would find what it waits for now (an EPOLLEXCLUSIVE item's
 * events): a wake-up passes over exclusive waiters it would not satisfy, as Linux's epoll
 * callback declines a wake-up whose events its item does not want.
 */
public interface Readiness {
    boolean ready();
}
