package dev.friscy.image;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Reader for Debian control-file syntax (deb822): stanzas separated by blank lines, "Field: value"
 * lines, continuation lines starting with white space. Used for Packages indexes, Release files
 * and apt's *.sources files. Field names are case-insensitive.
 */
public final class ControlStanzas {
    private ControlStanzas() {
    }

    public static List<Map<String, String>> parse(String text) {
        List<Map<String, String>> out = new ArrayList<>();
        try {
            forEach(new StringReader(text), out::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Streams stanzas to {@code sink}, so a large index never exists as one string. */
    public static void forEach(Reader reader, Consumer<Map<String, String>> sink) throws IOException {
        BufferedReader in = reader instanceof BufferedReader ? (BufferedReader) reader : new BufferedReader(reader, 1 << 16);
        Map<String, String> current = null;
        String lastField = null;
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isBlank()) {
                if (current != null) {
                    sink.accept(current);
                    current = null;
                    lastField = null;
                }
                continue;
            }
            if (line.startsWith("#")) {
                continue;
            }
            char first = line.charAt(0);
            if (first == ' ' || first == '\t') {
                if (current != null && lastField != null) {
                    current.put(lastField, current.get(lastField) + "\n" + line.trim());
                }
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            if (current == null) {
                current = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            }
            lastField = line.substring(0, colon).trim();
            current.put(lastField, line.substring(colon + 1).trim());
        }
        if (current != null) {
            sink.accept(current);
        }
    }
}
