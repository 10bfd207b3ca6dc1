package dev.friscy.kernel;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcessEventsTest {
    @Test
    void recordsCarryTheSpecFieldsInOrder() {
        ProcessEvents e = new ProcessEvents(16);
        e.spawn(5, 2, 1, 1, 1);
        e.exec(6, 2, "/bin/e\"cho", new byte[][] {"echo".getBytes(), "a b".getBytes()}, "e\"cho");
        e.exit(7, 2, 1, 256);
        e.waitWakeup(8, 1, 2, 256);
        e.reap(8, 2, 1);
        String json = e.drain();
        assertEquals("[{\"seq\":1,\"type\":\"spawn\",\"pid\":2,\"t\":5,\"ppid\":1,\"pgid\":1,\"sid\":1},"
                + "{\"seq\":2,\"type\":\"exec\",\"pid\":2,\"t\":6,\"path\":\"/bin/e\\\"cho\","
                + "\"argv\":[\"echo\",\"a b\"],\"argc\":2,\"comm\":\"e\\\"cho\"},"
                + "{\"seq\":3,\"type\":\"exit\",\"pid\":2,\"t\":7,\"ppid\":1,\"status\":256},"
                + "{\"seq\":4,\"type\":\"wait_wakeup\",\"pid\":1,\"t\":8,\"child\":2,\"status\":256},"
                + "{\"seq\":5,\"type\":\"reap\",\"pid\":2,\"t\":8,\"by\":1}]", json);
        assertEquals("[]", e.drain(), "drain clears");
    }

    @Test
    void overflowDropsOldestAndSaysHowMany() {
        ProcessEvents e = new ProcessEvents(3);
        for (int i = 1; i <= 5; i++) {
            e.reap(0, i, 0);
        }
        String json = e.drain();
        assertTrue(json.startsWith("[{\"type\":\"dropped\",\"count\":2},{\"seq\":3,"), json);
        assertTrue(json.endsWith("\"pid\":5,\"t\":0,\"by\":0}]"), json);
        e.reap(0, 6, 0);
        assertTrue(e.drain().startsWith("[{\"seq\":6,"), "the dropped record appears once");
    }

    @Test
    void controlCharactersInPathsAreEscaped() {
        ProcessEvents e = new ProcessEvents(4);
        e.exec(0, 1, "/a\nb\u00ff", new byte[0][], "b");
        assertTrue(e.drain().contains("\"path\":\"/a\\u000ab\\u00ff\""));
    }

    @Test
    void execArgvIsBoundedAndDecodedAsUtf8() {
        ProcessEvents e = new ProcessEvents(4);
        byte[][] argv = new byte[40][];
        for (int i = 0; i < argv.length; i++) {
            argv[i] = ("a" + i).getBytes(StandardCharsets.UTF_8);
        }
        argv[1] = "x".repeat(300).getBytes(StandardCharsets.UTF_8);
        argv[2] = "gr\u00fc\u00df".getBytes(StandardCharsets.UTF_8);
        e.exec(0, 1, "/bin/x", argv, "x");
        String json = e.drain();
        assertTrue(json.contains("\"argv\":[\"a0\",\"" + "x".repeat(256) + "\",\"gr\\u00fc\\u00df\",\"a3\","), json);
        assertTrue(json.contains("\"a31\"],\"argc\":40,"), json);
        assertTrue(!json.contains("\"a32\""), json);
    }
}
