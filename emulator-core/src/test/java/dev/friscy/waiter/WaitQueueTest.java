package dev.friscy.waiter;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Exclusive waiters: one per wake-up, the first it satisfies, ordinary waiters all woken. */
class WaitQueueTest {
    private final List<String> woken = new ArrayList<>();

    private final class W implements Waiter {
        final String name;
        final List<WaitQueue> on = new ArrayList<>();

        W(String name) {
            this.name = name;
        }

        @Override
        public void wakeUp() {
            woken.add(name);
            for (WaitQueue q : on) {
                q.remove(this);
            }
        }
    }

    @Test
    void wakesEveryOrdinaryWaiterAndOneExclusive() {
        WaitQueue q = new WaitQueue();
        W a = new W("a"), b = new W("b"), x = new W("x"), y = new W("y");
        for (W w : new W[] {a, b, x, y}) {
            w.on.add(q);
        }
        q.add(a);
        q.add(b);
        q.addExclusive(x, () -> true);
        q.addExclusive(y, () -> true);
        q.wakeAll();
        assertEquals(List.of("a", "b", "x"), woken);
        woken.clear();
        q.wakeAll();
        assertEquals(List.of("y"), woken);
        assertTrue(q.isEmpty());
    }

    @Test
    void passesOverAnExclusiveWaiterTheEventDoesNotSatisfy() {
        WaitQueue q = new WaitQueue();
        W out = new W("out"), in = new W("in");
        q.addExclusive(out, () -> false);
        q.addExclusive(in, () -> true);
        q.wakeAll();
        assertEquals(List.of("in"), woken);
        woken.clear();
        q.wakeAll(); // nothing satisfied: the oldest still hears of it, so no wake-up is lost
        assertEquals(List.of("out"), woken);
    }

    @Test
    void anOrdinaryWaitWinsOverAnExclusiveOneOnTheSameQueue() {
        WaitQueue q = new WaitQueue();
        W a = new W("a"), x = new W("x");
        q.add(a);
        q.addExclusive(a, () -> true);
        q.addExclusive(x, () -> true);
        q.remove(a);
        assertEquals(1, q.snapshot().length);
        q.remove(x);
        assertTrue(q.isEmpty());
    }
}
