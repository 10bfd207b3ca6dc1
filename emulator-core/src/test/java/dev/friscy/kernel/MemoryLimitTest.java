package dev.friscy.kernel;

import dev.friscy.cli.RunCommand;
import dev.friscy.image.TestImages;
import dev.friscy.testing.GuestRunner;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The session's memory limit (run --memory): a hog is killed by the OOM killer with Linux's
 * message while the shell that ran it stays alive and printing; /proc/meminfo and free report
 * the limit; a mapping larger than all memory fails ENOMEM while a PROT_NONE reservation works;
 * a fork bomb and a file system filled to the brim meet EAGAIN/ENOMEM/ENOSPC, never the host.
 */
class MemoryLimitTest {
    private static GuestRunner.Result shell(String memory, String script) {
        Path hog = GuestRunner.program("robust/hog");
        return GuestRunner.friscyArgs(List.of("--image", TestImages.busybox().toString(), "--memory", memory,
                "--add", hog + ":/bin/hog", "--", "/bin/sh", "-c", script), "", 300);
    }

    @Test
    void memoryHogIsKilledAndTheShellGoesOn() {
        GuestRunner.Result r = shell("64M", "hog; echo \"shell alive, hog status $?\"; hog; echo again $?; echo done");
        assertTrue(r.stdout.contains("hog: 16 MiB"), r.toString());
        assertTrue(r.stdout.contains("shell alive, hog status 137"), r.toString());
        assertTrue(r.stdout.contains("again 137"), r.toString());
        assertTrue(r.stdout.contains("done"), r.toString());
        assertTrue(r.stderr.contains("Out of memory: Killed process") && r.stderr.contains("(hog)"), r.toString());
        assertEquals(0, r.status, r.toString());
    }

    @Test
    void meminfoAndFreeReportTheLimit() {
        GuestRunner.Result r = shell("96M", "head -3 /proc/meminfo; free -k | head -2");
        assertTrue(r.stdout.contains("MemTotal:          98304 kB"), r.toString());
        assertTrue(r.stdout.matches("(?s).*Mem:\\s+98304\\s.*"), r.toString());
        assertEquals(0, r.status, r.toString());
    }

    @Test
    void mappingLargerThanMemoryIsRefused() {
        GuestRunner.Result r = shell("64M", "hog alloc");
        assertTrue(r.stdout.contains("1 TiB private writable mapping: Cannot allocate memory"), r.toString());
        assertTrue(r.stdout.contains("64 GiB PROT_NONE reservation: mapped"), r.toString());
    }

    @Test
    void fillingTheFileSystemGivesEnospcAndTheShellGoesOn() {
        GuestRunner.Result r = shell("64M", "dd if=/dev/zero of=/tmp/big bs=1M count=200 2>&1; "
                + "echo status $?; rm /tmp/big; echo after rm; hog alloc");
        assertTrue(r.stdout.contains("No space left on device"), r.toString());
        assertTrue(r.stdout.contains("after rm"), r.toString());
        assertTrue(r.stdout.contains("PROT_NONE reservation: mapped"), r.toString());
    }

    @Test
    void forkBombIsContained() {
        // a subshell forks until the process table or memory is full (busybox sh gives up there)
        GuestRunner.Result r = shell("64M", "(i=0; while [ $i -lt 400 ]; do sleep 2 & i=$((i+1)); done) 2>/dev/null; "
                + "echo alive; sleep 3; echo still alive; free -k | head -2 | tail -1");
        assertTrue(r.stdout.contains("alive\nstill alive"), r.toString());
        assertEquals(0, r.status, r.toString());
    }

    @Test
    void memoryOptionIsChecked() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RunCommand.parseForTest(new String[] {"--memory", "2M", "/bin/true"}));
        assertTrue(e.getMessage().contains("--memory must be between"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> RunCommand.parseForTest(new String[] {"--memory", "lots", "/bin/true"}));
        assertTrue(e.getMessage().contains("--memory wants a size"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> RunCommand.parseForTest(new String[] {"--max-procs", "100000", "/bin/true"}));
        assertEquals("--max-procs must be between 1 and 4096", e.getMessage());
    }
}
