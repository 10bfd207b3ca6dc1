package dev.friscy.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.friscy.testing.GuestRunner;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The M extension's divisions and multiplications at their edges (guest/basic/divide.c: MIN / -1,
 * division by zero, words whose upper half disagrees with their sign), first as a table, then hot
 * enough to be translated: the output must be qemu's, in each translator mode of the build.
 */
class DivideGuestTest {
    @TempDir
    Path tmp;

    @Test
    void edgesMatchQemu() {
        Path prog = GuestRunner.program("basic/divide");
        GuestRunner.Result ref = GuestRunner.qemu(prog, tmp);
        assertEquals(0, ref.status, "reference run under qemu failed — the test itself is wrong:\n" + ref);
        assertTrue(ref.stdout.contains("hash "), ref.toString());
        GuestRunner.Result r = GuestRunner.friscy(prog);
        assertEquals(ref.stdout, r.stdout, r.toString());
        assertEquals(0, r.status, r.toString());
    }
}
