package dev.friscy.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {
    @TempDir
    Path dir;

    @Test
    void failureLeavesTargetAndNoTempFile() throws Exception {
        Path target = dir.resolve("img.tar");
        Files.writeString(target, "old");
        assertThrows(ImageException.class, () -> AtomicFile.write(target, out -> {
            out.write("half".getBytes(StandardCharsets.UTF_8));
            throw new ImageException("boom");
        }));
        assertEquals("old", Files.readString(target));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(1, s.count());
        }
    }

    @Test
    void concurrentWritersEachLeaveACompleteFile() throws Exception {
        Path target = dir.resolve("shared.tar");
        byte[] a = "A".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII);
        byte[] b = "B".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII);
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        List<Throwable> errors = new ArrayList<>();
        for (byte[] content : List.of(a, b, a, b)) {
            Thread t = new Thread(() -> {
                try {
                    start.await();
                    AtomicFile.write(target, out -> {
                        for (int i = 0; i < content.length; i += 4096) {
                            out.write(content, i, 4096);
                        }
                        return null;
                    });
                    byte[] seen = Files.readAllBytes(target);
                    assertTrue(seen.length == a.length && (seen[0] == 'A' || seen[0] == 'B'));
                    for (byte x : seen) {
                        if (x != seen[0]) {
                            throw new AssertionError("mixed content");
                        }
                    }
                } catch (Throwable e) {
                    synchronized (errors) {
                        errors.add(e);
                    }
                }
            });
            threads.add(t);
            t.start();
        }
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertTrue(errors.isEmpty(), errors.toString());
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(1, s.count());
        }
    }
}
