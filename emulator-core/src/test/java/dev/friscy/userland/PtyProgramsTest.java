package dev.friscy.userland;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real programs on a pseudo-terminal: trixie's python3 pty module (glibc's forkpty and
 * login_tty) drives a shell through the master, against the same tree under qemu-user, whose
 * ptys are the host's.
 */
class PtyProgramsTest {
    @Test
    void pythonPtyForkDrivesAShell() {
        String out = ProgramsTest.compare("pty-python.sh");
        assertTrue(out.contains("got 'helo\\n'") && out.contains("33 99") && out.contains("read secret") && !out.contains("\nsecret<CR>")
                && out.contains("master read ends with EIO"), out);
    }
}
