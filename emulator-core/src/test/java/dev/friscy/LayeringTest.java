package dev.friscy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The package layering the README describes, held by reading the sources. */
class LayeringTest {
    private static final Path MAIN = Path.of("src/main/java/dev/friscy");
    private static final Pattern USE = Pattern.compile("dev\\.friscy\\.([a-z]+)\\.[A-Z]");

    /** Every use of another friscy package by {@code pkg}, as "File.java: other". */
    private static List<String> uses(String pkg) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(MAIN.resolve(pkg))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Matcher m = USE.matcher(Files.readString(f));
                while (m.find()) {
                    if (!m.group(1).equals(pkg)) {
                        out.add(f.getFileName() + ": " + m.group(1));
                    }
                }
            }
        }
        return out;
    }

    private static List<String> usesOutside(String pkg, String... allowed) throws IOException {
        List<String> bad = new ArrayList<>();
        for (String u : uses(pkg)) {
            if (!List.of(allowed).contains(u.substring(u.indexOf(": ") + 2))) {
                bad.add(u);
            }
        }
        return bad;
    }

    @Test
    void leafPackagesUseNothing() throws IOException {
        assertEquals(List.of(), usesOutside("errno"));
        assertEquals(List.of(), usesOutside("waiter"));
        assertEquals(List.of(), usesOutside("host"));
    }

    @Test
    void theRelayKnowsNoKernel() throws IOException {
        assertEquals(List.of(), usesOutside("relay", "errno", "host"));
    }

    @Test
    void thePreviewGoesThroughSockets() throws IOException {
        assertEquals(List.of(), usesOutside("preview", "errno", "net", "kernel"));
    }

    @Test
    void theLineDisciplineKnowsNoKernel() throws IOException {
        assertEquals(List.of(), usesOutside("tty", "errno", "waiter"));
    }

    @Test
    void onlyTheKernelKnowsWhichTaskIsRunning() throws IOException {
        List<String> bad = new ArrayList<>();
        for (String pkg : new String[] {"fs", "tty", "mem", "cpu", "elf"}) {
            try (Stream<Path> files = Files.list(MAIN.resolve(pkg))) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    if (Files.readString(f).matches("(?s).*\\.current\\b.*")) {
                        bad.add(pkg + "/" + f.getFileName());
                    }
                }
            }
        }
        assertEquals(List.of(), bad, "file operations get their caller passed in");
    }
}
