package dev.friscy.cpu;

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
        GuestRunner.sameAsQemu(GuestRunner.program("basic/divide"), tmp, "hash ");
    }
}
