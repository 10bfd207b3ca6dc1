package dev.friscy.userland;

import dev.friscy.cli.RunCommand;
import dev.friscy.image.TestImages;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `friscy run ... | head -1`: when the reader of friscy's stdout goes away, the guest's writes
 * to it fail as writes to a pipe without readers do (SIGPIPE, or EPIPE if ignored) instead of
 * `yes` running forever into the void.
 */
class ClosedOutputTest {
    /** Like a pipe whose reader exited after reading a little. */
    static final class ClosingPipe extends OutputStream {
        int taken;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (taken > 1000) {
                throw new IOException("Broken pipe");
            }
            taken += len;
        }
    }

    static int run(String script, ByteArrayOutputStream err) {
        RunCommand.Options o = RunCommand.parseForTest(new String[] {"--image", TestImages.busybox().toString(), "--",
                "/bin/sh", "-c", script});
        try (PrintStream ps = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            return RunCommand.execute(o, new ByteArrayInputStream(new byte[0]), new ClosingPipe(), ps, null);
        }
    }

    @Test
    void writerIsKilledBySigpipe() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = run("yes; echo yes-status=$? >&2; exec yes", err);
        // as pid 1, `yes` is a namespace's init: Linux drops its default-action SIGPIPE, so it sees EPIPE and exits 1
        assertEquals(1, status, err.toString());
        assertTrue(err.toString().contains("yes-status=141"), err.toString());
    }

    @Test
    void ignoredSigpipeGivesEpipe() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = run("trap '' PIPE; yes; echo yes-status=$? >&2", err);
        assertEquals(0, status, err.toString());
        assertTrue(err.toString().contains("Broken pipe") && err.toString().contains("yes-status=1"), err.toString());
    }
}
