package dev.friscy.tty;

import dev.friscy.testing.GuestRunner;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pseudo-terminals (guest/tty): the same portable source runs natively on the host's Linux
 * first (qemu-user passes ptys through but lacks TIOCGPKT, TIOCGSID and /proc/self/stat's
 * tty fields), so the checks are right about Linux, then on friscy. pty: the pair; ptyflow:
 * ^S/^Q output flow control (IXON, IXANY, held echo, TIOCPKT_STOP/START).
 */
class PtyContractsTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"pty", "ptyflow", "ptyioctl"})
    void contractHoldsOnFriscyAndLinux(String name) {
        GuestRunner.Result linux = GuestRunner.host(List.of(GuestRunner.nativeProgram("tty/" + name).toString()), tmp);
        assertTrue(linux.stdout.contains("ALL PASSED") && linux.status == 0,
                "the native run on the host's Linux failed — the test itself is wrong:\n" + linux);
        GuestRunner.Result r = GuestRunner.friscy(GuestRunner.program("tty/" + name));
        assertFalse(r.stdout.contains("FAIL"), r.toString());
        assertTrue(r.stdout.contains("ALL PASSED"), r.toString());
        assertEquals(0, r.status, r.toString());
    }
}
