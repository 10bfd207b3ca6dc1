package dev.friscy.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mirror discovery; host names here are reserved test names (.invalid), not real mirrors. */
class DebianMirrorTest {
    @TempDir
    Path apt;

    @Test
    void environmentWins() throws Exception {
        Files.writeString(apt.resolve("sources.list"), "deb http://one.invalid/debian trixie main\n");
        assertEquals("file:///srv/mirror", DebianMirror.find(Map.of(DebianMirror.ENV, "file:///srv/mirror/"), apt));
    }

    @Test
    void oneLineFormatSkipsSecuritySourcesAndOtherRepos() throws Exception {
        Files.writeString(apt.resolve("sources.list"), String.join("\n",
                "# comment",
                "deb-src http://src.invalid/debian trixie main",
                "deb http://sec.invalid/debian-security trixie-security main",
                "deb [arch=amd64] https://vendor.invalid/apt stable main",
                "deb [ signed-by=/k.gpg ] http://archive.invalid/debian/ trixie main contrib",
                ""));
        assertEquals("http://archive.invalid/debian", DebianMirror.find(Map.of(), apt));
    }

    @Test
    void deb822SourcesFiles() throws Exception {
        Path d = apt.resolve("sources.list.d");
        Files.createDirectories(d);
        Files.writeString(d.resolve("a-vendor.sources"), "Types: deb\nURIs: https://vendor.invalid/node_20.x\nSuites: nodistro\n");
        Files.writeString(d.resolve("debian.sources"), String.join("\n",
                "Types: deb",
                "URIs: http://off.invalid/debian",
                "Suites: trixie",
                "Enabled: no",
                "",
                "Types: deb deb-src",
                "# http://snapshot.invalid/archive/debian/20250520T000000Z",
                "URIs: http://sec.invalid/debian",
                "Suites: trixie-security",
                "",
                "Types: deb",
                "URIs: http://archive.invalid/debian",
                "Suites: trixie trixie-updates",
                "Components: main",
                ""));
        assertEquals("http://archive.invalid/debian", DebianMirror.find(Map.of(), apt));
    }

    @Test
    void noMirrorIsAClearError() throws IOException {
        Files.writeString(apt.resolve("sources.list"), "deb cdrom:[Debian]/ trixie main\n");
        assertNull(DebianMirror.fromAptConfig(apt));
        ImageException e = assertThrows(ImageException.class, () -> DebianMirror.find(Map.of(), apt));
        assertTrue(e.getMessage().contains(DebianMirror.ENV), e.getMessage());
    }
}
