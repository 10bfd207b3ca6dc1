package dev.friscy.kernel;

import dev.friscy.fs.FileDescription;

/**
 * The owner of a description (fcntl F_SETOWN, F_SETOWN_EX) hears of events on it: SIGIO, or
 * the F_SETSIG signal, which also carries the reason (si_code POLL_IN, POLL_MSG, ...) as
 * Linux's send_sigio does.
 */
final class FileOwner {
    /** si_code reasons of an F_SETSIG signal. */
    static final int POLL_IN = 1, POLL_MSG = 3;
    /** POLLIN | POLLRDNORM: the band of an input event. */
    private static final int POLLIN_BAND = 0x41;

    private FileOwner() {
    }

    /** Signals the description's owner, if it has one. */
    static void signal(Kernel k, FileDescription f, int reason) {
        if (f.ownerId == 0) {
            return;
        }
        int sig = f.ioSignal != 0 ? f.ioSignal : Signals.SIGIO;
        SigInfo info = SigInfo.of(sig, f.ioSignal != 0 ? reason : SigInfo.SI_KERNEL);
        if (f.ioSignal != 0) {
            info.sigpoll = true;
            info.band = reason == POLL_MSG ? POLLIN_BAND | 0x400 : POLLIN_BAND; // | POLLMSG
            info.fd = f.asyncFd;
        }
        if (f.ownerType == SysLock.F_OWNER_TID) {
            Task o = k.task(f.ownerId);
            if (o != null && o.state != Task.DEAD) {
                SignalDelivery.sendToTask(k, o, info);
            }
        } else if (f.ownerType == SysLock.F_OWNER_PGRP) {
            SignalDelivery.sendToGroup(k, f.ownerId, info);
        } else {
            ThreadGroup g = k.process(f.ownerId);
            if (g != null) {
                SignalDelivery.sendToProcess(k, g, info);
            }
        }
    }
}
