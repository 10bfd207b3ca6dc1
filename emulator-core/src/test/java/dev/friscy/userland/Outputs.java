package dev.friscy.userland;

import dev.friscy.testing.GuestRunner;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Compares a friscy run with its reference, pointing at the first line that differs. */
final class Outputs {
    private Outputs() {
    }

    static void assertSame(GuestRunner.Result reference, GuestRunner.Result friscy, String what) {
        String[] want = reference.stdout.split("\n", -1);
        String[] got = friscy.stdout.split("\n", -1);
        int n = Math.min(want.length, got.length);
        int i = 0;
        while (i < n && want[i].equals(got[i])) {
            i++;
        }
        if (i < n || want.length != got.length) {
            StringBuilder sb = new StringBuilder(what).append(": friscy differs from qemu at line ").append(i + 1).append('\n');
            for (int k = Math.max(0, i - 3); k < Math.min(Math.max(want.length, got.length), i + 4); k++) {
                sb.append(k == i ? ">> " : "   ").append("qemu:   ").append(k < want.length ? want[k] : "<end>").append('\n');
                sb.append(k == i ? ">> " : "   ").append("friscy: ").append(k < got.length ? got[k] : "<end>").append('\n');
            }
            sb.append("friscy stderr:\n").append(friscy.stderr);
            assertEquals(reference.stdout, friscy.stdout, sb.toString());
        }
        assertEquals(reference.status, friscy.status, what + ": exit status\n" + friscy);
    }
}
