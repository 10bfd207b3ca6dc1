package dev.friscy.kernel;

import dev.friscy.errno.Errno;
import dev.friscy.image.TestImages;
import dev.friscy.testing.GuestRunner;
import dev.friscy.testing.TerminalSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real shells (busybox ash from the busybox image, dash from the Debian image) on the process model. */
class ShellTest {
    static Path image(String shell) {
        return shell.equals("dash") ? TestImages.debianShell() : TestImages.busybox();
    }

    static String shellPath(String shell) {
        return shell.equals("dash") ? "/bin/dash" : "/bin/sh";
    }

    static GuestRunner.Result sh(String shell, String script) {
        List<String> a = new ArrayList<>(List.of("--image", image(shell).toString(), "--", shellPath(shell), "-c", script));
        return GuestRunner.friscyArgs(a, "");
    }

    /** `run --events`: exec records name the program's arguments, so busybox applets re-executed through /proc/self/exe are told apart. */
    @ParameterizedTest
    @ValueSource(strings = {"busybox", "dash"})
    void execEventsCarryArgvAndComm(String shell) {
        GuestRunner.Result r = sh(shell, "sleep 0 'a b'; /bin/echo done");
        assertEquals("done\n", r.stdout, r.toString());
        String sleep = null;
        for (String e : r.events) {
            if (e.contains("\"type\":\"exec\"") && e.contains("\"argv\":[\"sleep\",\"0\",\"a b\"],\"argc\":3,")) {
                sleep = e;
            }
        }
        assertTrue(sleep != null, r.events.toString());
        // comm is the basename of the file executed (busybox's re-exec through /proc/self/exe makes it "exe")
        assertTrue(sleep.matches(".*\"comm\":\"(sleep|exe)\".*"), sleep);
    }

    /**
     * CPU time is host time spent running a process: `time` of a sleep shows almost none, of a busy
     * loop most of its real time (time reads it from wait4's rusage).
     */
    @Test
    void timeReportsCpuTimeOfChildren() {
        GuestRunner.Result r = sh("busybox", "time sleep 1; time sh -c 'i=0; while [ $i -lt 3000 ]; do i=$((i+1)); done'");
        Pattern p = Pattern.compile("real\\s+(\\d+)m\\s*([\\d.]+)s\\s+user\\s+(\\d+)m\\s*([\\d.]+)s\\s+sys\\s+(\\d+)m\\s*([\\d.]+)s");
        Matcher m = p.matcher(r.stderr);
        assertTrue(m.find(), r.toString());
        double real = Integer.parseInt(m.group(1)) * 60 + Double.parseDouble(m.group(2));
        double cpu = Double.parseDouble(m.group(4)) + Double.parseDouble(m.group(6));
        assertTrue(real >= 0.99 && cpu < 0.25, "time sleep 1: real " + real + " cpu " + cpu + "\n" + r);
        assertTrue(m.find(), r.toString());
        real = Integer.parseInt(m.group(1)) * 60 + Double.parseDouble(m.group(2));
        double user = Double.parseDouble(m.group(4));
        cpu = user + Double.parseDouble(m.group(6));
        assertTrue(real > 0.05 && cpu >= 0.5 * real && cpu <= real + 0.02 && user > 0,
                "busy loop: real " + real + " cpu " + cpu + "\n" + r);
    }

    @ParameterizedTest
    @ValueSource(strings = {"busybox", "dash"})
    void pipesRedirectsAndSubshells(String shell) {
        GuestRunner.Result r = sh(shell, "printf hi | cat; echo; sh -c 'echo x > /tmp/a'; cat /tmp/a; "
                + "echo abc | tr a-c A-C | sed s/B/b/ | cat | cat; (exit 3); echo st=$?; echo \"$(echo sub)\"; "
                + "yes | head -n 3");
        assertEquals("hi\nx\nAbC\nst=3\nsub\ny\ny\ny\n", r.stdout, r.toString());
        assertEquals(0, r.status, r.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"busybox", "dash"})
    void jobsTrapsKillAndWait(String shell) {
        GuestRunner.Result r = sh(shell, "sleep 30 & p=$!; kill -TERM $p; wait $p; echo killed=$?; "
                + "trap 'echo got-usr1' USR1; kill -USR1 $$; (sleep 0.1; echo bg) & wait; echo done; "
                + "ulimit -n; echo a b c | xargs -n 1 echo; find /etc -name passwd -exec echo found {} \\;");
        assertEquals("killed=143\ngot-usr1\nbg\ndone\n1024\na\nb\nc\nfound /etc/passwd\n", r.stdout, r.toString());
    }

    @Test
    void segfaultingChildGives139() {
        List<String> a = new ArrayList<>(List.of("--image", image("busybox").toString(), "--add",
                GuestRunner.program("basic/segv") + ":/bin/segv", "--", "/bin/sh", "-c", "/bin/segv; echo status=$?"));
        GuestRunner.Result r = GuestRunner.friscyArgs(a, "");
        assertTrue(r.stdout.contains("status=139"), r.toString());
    }

    @Test
    void forkBombIsContainedAndTheShellSurvives() {
        List<String> a = new ArrayList<>(List.of("--max-procs", "64", "--image", image("busybox").toString(), "--",
                "/bin/sh", "-c", "f() { f | f & }; (f) 2>/dev/null; sleep 1; kill -9 -1 2>/dev/null; sleep 0.2; "
                        + "echo survived; echo still $((1+1))"));
        GuestRunner.Result r = GuestRunner.friscyArgs(a, "");
        assertTrue(r.stdout.contains("survived\nstill 2\n"), r.toString());
    }

    @Test
    void eventsMatchWhatHappened() {
        GuestRunner.Result r = sh("busybox", "/bin/true; echo $$");
        Map<Integer, List<String>> byPid = new HashMap<>();
        Pattern p = Pattern.compile("\"type\":\"(\\w+)\",\"pid\":(\\d+)");
        long lastSeq = 0;
        Pattern seqP = Pattern.compile("\"seq\":(\\d+)");
        for (String line : r.events) {
            Matcher m = p.matcher(line);
            assertTrue(m.find(), line);
            byPid.computeIfAbsent(Integer.parseInt(m.group(2)), k -> new ArrayList<>()).add(m.group(1));
            Matcher s = seqP.matcher(line);
            assertTrue(s.find());
            long seq = Long.parseLong(s.group(1));
            assertTrue(seq > lastSeq, "seq increases");
            lastSeq = seq;
        }
        // init: spawn, exec, exit; the /bin/true child: spawn, exec, exit, reap, and init's wait_wakeup for it
        List<String> init = byPid.get(1);
        assertEquals(List.of("spawn", "exec", "wait_wakeup", "exit"), init, r.events.toString());
        int children = 0;
        for (Map.Entry<Integer, List<String>> e : byPid.entrySet()) {
            if (e.getKey() != 1) {
                children++;
                assertEquals(List.of("spawn", "exec", "exit", "reap"), e.getValue(), r.events.toString());
            }
        }
        assertEquals(1, children, r.events.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"busybox", "dash"})
    void interactivePromptAndCtrlC(String shell) throws Exception {
        TerminalSession s = new TerminalSession(image(shell), 256, shellPath(shell), "-i");
        s.waitForPrompt(20000);
        s.type("echo hello\r");
        s.waitFor("hello\r\n", 20000);
        s.waitForPrompt(20000);
        s.type("sleep 100\r");
        // let sleep start, then ^C only the foreground job; the prompt must come back
        s.waitFor("sleep 100\r\n", 20000);
        s.waitForIdleProcess("sleep", 20000);
        s.type("\u0003");
        s.waitForPrompt(20000);
        s.type("echo after\r");
        s.waitFor("after\r\n", 20000);
        s.type("stty size\r");
        s.waitFor("24 80", 20000);
        s.kernel.resize(100, 40);
        s.type("stty size\r");
        s.waitFor("40 100", 20000);
    }

    /** The page's process panel: the table as JSON, and signals sent from outside the guest. */
    @Test
    void processSnapshotAndSignalsFromTheHost() throws Exception {
        TerminalSession s = new TerminalSession(image("busybox"), 256, "/bin/sh", "-i");
        s.waitForPrompt(20000);
        s.type("sleep 30\r");
        s.waitFor("sleep 30\r\n", 20000);
        s.waitForIdleProcess("sleep", 20000);
        String json = ProcessSnapshot.json(s.kernel);
        Matcher m = Pattern.compile("\\{\"pid\":(\\d+),\"ppid\":1,[^}]*\"state\":\"S\",\"comm\":\"(sleep|exe)\","
                + "\"argv\":\\[\"sleep\",\"30\"\\],\"argc\":2,\"threads\":1,\"utimeMs\":\\d+,\"stimeMs\":\\d+}").matcher(json);
        assertTrue(m.find(), json);
        int pid = Integer.parseInt(m.group(1));
        assertTrue(json.startsWith("[{\"pid\":1,\"ppid\":0,"), json);

        assertEquals(Errno.EINVAL, ProcessSnapshot.signal(s.kernel, pid, 0));
        assertEquals(Errno.EINVAL, ProcessSnapshot.signal(s.kernel, pid, 65));
        assertEquals(Errno.ESRCH, ProcessSnapshot.signal(s.kernel, 4000, Signals.SIGKILL));
        assertEquals(0, ProcessSnapshot.signal(s.kernel, pid, Signals.SIGSTOP));
        s.waitFor("Stopped", 20000); // the shell saw it stop (wait4 WUNTRACED)
        s.waitForPrompt(20000);
        assertTrue(ProcessSnapshot.json(s.kernel).contains("{\"pid\":" + pid + ",\"ppid\":1,\"pgid\":" + pid
                + ",\"sid\":1,\"state\":\"T\""), ProcessSnapshot.json(s.kernel));
        assertEquals(0, ProcessSnapshot.signal(s.kernel, pid, Signals.SIGKILL));
        s.type("\r");
        s.waitFor("Killed", 20000);
        s.waitForPrompt(20000);
        assertTrue(!ProcessSnapshot.json(s.kernel).contains("{\"pid\":" + pid + ","), ProcessSnapshot.json(s.kernel));
        assertEquals("/", ProcessSnapshot.foregroundCwd(s.kernel));
    }

    @ParameterizedTest
    @ValueSource(strings = {"busybox", "dash"})
    void jobControlStopAndResume(String shell) throws Exception {
        TerminalSession s = new TerminalSession(image(shell), 256, shellPath(shell), "-i");
        s.waitForPrompt(20000);
        s.type("sleep 30\r");
        s.waitFor("sleep 30\r\n", 20000);
        s.waitForIdleProcess("sleep", 20000);
        s.type("\u001a");
        s.waitForPrompt(20000);
        s.type("jobs\r");
        s.waitFor("sleep 30", 20000);
        s.waitForPrompt(20000);
        s.type("kill %1; echo k=$?\r");
        s.waitFor("k=0", 20000);
    }
}
