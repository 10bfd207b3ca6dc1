package dev.friscy.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Figures measured by the suite: reported on stdout and in target/e2e-benchmarks.txt, never asserted. */
final class Benchmarks {
    private Benchmarks() {
    }

    static synchronized void report(String name, String value) {
        String line = "friscy-benchmark: " + name + " = " + value;
        System.out.println(line);
        try {
            Path out = Path.of("target", "e2e-benchmarks.txt");
            Files.createDirectories(out.getParent());
            Files.writeString(out, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.out.println("(cannot write target/e2e-benchmarks.txt: " + e.getMessage() + ")");
        }
    }
}
