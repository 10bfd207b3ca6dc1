package dev.friscy.kernel;

import dev.friscy.testing.GuestRunner;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The guest/io programs check the blocking I/O and time contracts from inside a guest: pipes,
 * poll/select/epoll, eventfd, socketpair, clocks, sleeps, timers, CPU time accounting, futexes. Each must pass under
 * qemu (so the checks themselves are right about Linux) and on friscy, with the same PASS lines.
 */
class GuestIoTest {
    private static void check(String name, long friscyTimeoutSec) throws Exception {
        Path exe = GuestRunner.program("io/" + name);
        GuestRunner.Result ref = GuestRunner.qemu(exe, null);
        assertEquals(0, ref.status, "guest/io/" + name + " fails under qemu, so the test itself is wrong:\n" + ref);
        GuestRunner.Result got = GuestRunner.friscyArgs(List.of("--", exe.toString()), "", friscyTimeoutSec);
        for (String line : got.stdout.split("\n")) {
            if (line.startsWith("INFO")) {
                System.out.println(name + " on friscy: " + line);
            }
        }
        List<String> failed = new ArrayList<>();
        for (String line : got.stdout.split("\n")) {
            if (line.startsWith("FAIL")) {
                failed.add(line);
            }
        }
        for (String line : got.stdout.split("\n")) {
            if (line.startsWith("NOT-PROVIDED")) {
                failed.add(line + " (friscy must provide it; only an older reference may lack it)");
            }
        }
        assertTrue(failed.isEmpty(), name + " on friscy:\n" + String.join("\n", failed) + "\n\n" + got);
        // friscy passes every check the reference passes, and may pass checks of calls the reference lacks
        List<String> missing = passes(ref.stdout);
        missing.removeAll(passes(got.stdout));
        assertTrue(missing.isEmpty(), name + ": friscy did not pass " + missing + "\n" + got);
        assertEquals(0, got.status, name + " on friscy:\n" + got);
    }

    private static List<String> passes(String out) {
        List<String> p = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.startsWith("PASS")) {
                p.add(line);
            }
        }
        return p;
    }

    @Test
    void pipes() throws Exception {
        check("pipe", 300);
    }

    @Test
    void pollSelectEpollEventfd() throws Exception {
        check("poll", 300);
    }

    @Test
    void clocksSleepsTimers() throws Exception {
        check("time", 300);
    }

    @Test
    void cpuTimeAccounting() throws Exception {
        check("cputime", 300);
    }

    @Test
    void futexes() throws Exception {
        check("futex", 300);
    }

    @Test
    void socketPairs() throws Exception {
        check("socket", 300);
    }
}
