package dev.friscy.kernel;

import java.util.ArrayList;

/**
 * Pending signals: a bit per signal, one siginfo for a standard signal (a second instance
 * merges into the first) and a queue for real-time signals.
 */
public final class SignalQueue {
    public long mask;
    private final ArrayList<SigInfo> infos = new ArrayList<>();

    /** Signal instances queued (what RLIMIT_SIGPENDING counts). */
    public int size() {
        return infos.size();
    }

    public boolean has(int sig) {
        return (mask & Signals.bit(sig)) != 0;
    }

    public void add(SigInfo info) {
        int sig = info.signo;
        if (sig < Signals.SIGRTMIN && has(sig)) {
            return;
        }
        mask |= Signals.bit(sig);
        infos.add(info);
    }

    /** Removes and returns the oldest instance of {@code sig}, or null. */
    public SigInfo take(int sig) {
        SigInfo found = null;
        int remaining = 0;
        for (int i = 0; i < infos.size(); i++) {
            SigInfo s = infos.get(i);
            if (s.signo == sig) {
                if (found == null) {
                    found = s;
                    infos.remove(i);
                    i--;
                } else {
                    remaining++;
                }
            }
        }
        if (remaining == 0) {
            mask &= ~Signals.bit(sig);
        }
        return found;
    }

    public void discard(int sig) {
        while (take(sig) != null) {
            // drop every instance
        }
        mask &= ~Signals.bit(sig);
    }

    public void clear() {
        infos.clear();
        mask = 0;
    }
}
