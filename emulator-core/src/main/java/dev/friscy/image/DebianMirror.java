package dev.friscy.image;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Finds the Debian archive to download from: {@code FRISCY_DEBIAN_MIRROR} if set, else the first
 * http(s) Debian archive in the host's apt configuration ({@code sources.list}, then
 * {@code sources.list.d/*.list} and {@code *.sources} by file name). Security and other
 * non-archive repositories are skipped. No mirror is built in.
 */
public final class DebianMirror {
    public static final String ENV = "FRISCY_DEBIAN_MIRROR";

    private DebianMirror() {
    }

    public static String find() throws ImageException {
        return find(System.getenv(), Path.of("/etc/apt"));
    }

    public static String find(Map<String, String> env, Path aptDir) throws ImageException {
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return stripSlash(fromEnv.trim());
        }
        String found = fromAptConfig(aptDir);
        if (found == null) {
            throw new ImageException("no Debian mirror: set " + ENV + " (e.g. an http(s) or file: URL of a"
                    + " Debian archive) or configure one in " + aptDir.resolve("sources.list"));
        }
        return found;
    }

    static String fromAptConfig(Path aptDir) {
        List<Path> files = new ArrayList<>();
        files.add(aptDir.resolve("sources.list"));
        Path dir = aptDir.resolve("sources.list.d");
        if (Files.isDirectory(dir)) {
            List<Path> parts = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                for (Path p : ds) {
                    String n = p.getFileName().toString();
                    if (n.endsWith(".list") || n.endsWith(".sources")) {
                        parts.add(p);
                    }
                }
            } catch (IOException e) {
                // unreadable configuration: fall through to what was found
            }
            parts.sort(null);
            files.addAll(parts);
        }
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                continue;
            }
            String text;
            try {
                text = Files.readString(f, StandardCharsets.UTF_8);
            } catch (IOException e) {
                continue;
            }
            String uri = f.getFileName().toString().endsWith(".sources") ? fromDeb822(text) : fromOneLine(text);
            if (uri != null) {
                return uri;
            }
        }
        return null;
    }

    /** One-line format: {@code deb [options] URI suite component...}. */
    static String fromOneLine(String text) {
        for (String raw : text.split("\n")) {
            String line = raw.replaceAll("#.*", "").trim();
            if (!line.startsWith("deb ") && !line.startsWith("deb\t")) {
                continue;
            }
            line = line.substring(4).replaceAll("\\[[^\\]]*\\]", " ").trim();
            String[] words = line.split("\\s+");
            if (words.length >= 2 && isDebianArchive(words[0], List.of(words[1]))) {
                return stripSlash(words[0]);
            }
        }
        return null;
    }

    /** deb822 format: stanzas with Types, URIs, Suites and optional Enabled. */
    static String fromDeb822(String text) {
        for (Map<String, String> s : ControlStanzas.parse(text)) {
            String types = s.getOrDefault("Types", "");
            if (!Arrays.asList(types.trim().split("\\s+")).contains("deb")) {
                continue;
            }
            if (s.getOrDefault("Enabled", "yes").trim().equalsIgnoreCase("no")) {
                continue;
            }
            List<String> suites = Arrays.asList(s.getOrDefault("Suites", "").trim().split("\\s+"));
            for (String uri : s.getOrDefault("URIs", "").trim().split("\\s+")) {
                if (isDebianArchive(uri, suites)) {
                    return stripSlash(uri);
                }
            }
        }
        return null;
    }

    /** An http(s) URI with a path segment "debian" (not debian-security) and no security suite. */
    static boolean isDebianArchive(String uri, List<String> suites) {
        URI u;
        try {
            u = URI.create(uri);
        } catch (IllegalArgumentException e) {
            return false;
        }
        String scheme = u.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
            return false;
        }
        for (String suite : suites) {
            if (suite.endsWith("-security") || suite.endsWith("/updates")) {
                return false;
            }
        }
        String path = u.getPath() == null ? "" : u.getPath();
        for (String segment : path.split("/")) {
            if (segment.equals("debian")) {
                return true;
            }
        }
        return false;
    }

    static String stripSlash(String uri) {
        String s = uri;
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }
}
