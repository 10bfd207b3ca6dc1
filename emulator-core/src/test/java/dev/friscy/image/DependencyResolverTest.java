package dev.friscy.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DependencyResolverTest {
    private static final String PACKAGES = String.join("\n",
            "Package: app",
            "Version: 1.0",
            "Architecture: riscv64",
            "Pre-Depends: libc (>= 2.0)",
            "Depends: missing-thing | libfoo, awk, mail-transport-agent:any,",
            " oldlib (<< 2.0)",
            "Filename: pool/a/app.deb",
            "SHA256: 00",
            "",
            "Package: libc",
            "Version: 2.41",
            "Architecture: riscv64",
            "Depends: libgcc",
            "",
            "Package: libgcc",
            "Version: 14",
            "Architecture: riscv64",
            "Depends: libc (>= 2.35)",
            "",
            "Package: libfoo",
            "Version: 3",
            "Architecture: all",
            "",
            "Package: mawk",
            "Version: 1.3",
            "Architecture: riscv64",
            "Provides: awk",
            "",
            "Package: gawk",
            "Version: 5",
            "Architecture: riscv64",
            "Provides: awk",
            "",
            "Package: postfix",
            "Version: 3",
            "Architecture: riscv64",
            "Provides: mail-transport-agent",
            "",
            "Package: exim4",
            "Version: 4",
            "Architecture: riscv64",
            "Provides: mail-transport-agent",
            "",
            "Package: oldlib",
            "Version: 2.5",
            "Architecture: riscv64",
            "",
            "Package: oldlib",
            "Version: 1.5",
            "Architecture: riscv64",
            "",
            "Package: oldlib",
            "Version: 9.9",
            "Architecture: amd64",
            "",
            "Package: uses-gawk-first",
            "Version: 1",
            "Architecture: riscv64",
            "Depends: gawk | mawk, awk",
            "",
            "Package: wants-new-api",
            "Version: 1",
            "Architecture: riscv64",
            "Depends: api (>= 2)",
            "",
            "Package: api-old",
            "Version: 1",
            "Architecture: riscv64",
            "Provides: api (= 1)",
            "",
            "Package: api-new",
            "Version: 1",
            "Architecture: riscv64",
            "Provides: api (= 3)",
            "",
            "Package: broken",
            "Version: 1",
            "Architecture: riscv64",
            "Depends: nowhere | also-nowhere",
            "");

    private static List<String> resolve(String... names) throws ImageException {
        PackageIndex index = PackageIndex.parse("riscv64", PACKAGES);
        return DependencyResolver.resolve(index, List.of(names)).packages().stream()
                .map(p -> p.name() + "=" + p.version()).collect(Collectors.toList());
    }

    @Test
    void resolvesAlternativesVirtualsVersionsAndCycles() throws ImageException {
        List<String> got = resolve("app");
        // libc <-> libgcc is a cycle: each appears once, dependencies before dependents.
        assertEquals(List.of("libgcc=14", "libc=2.41", "libfoo=3", "gawk=5", "exim4=4", "oldlib=1.5", "app=1.0"), got);
    }

    @Test
    void alreadyChosenAlternativeWins() throws ImageException {
        // "gawk | mawk" picks gawk; the later "awk" is then satisfied by gawk's Provides.
        assertEquals(List.of("gawk=5", "uses-gawk-first=1"), resolve("uses-gawk-first"));
        // mawk requested first: "gawk | mawk" is satisfied by it, so gawk is not pulled in.
        assertEquals(List.of("mawk=1.3", "uses-gawk-first=1"), resolve("mawk", "uses-gawk-first"));
    }

    @Test
    void versionedProvidesAreChecked() throws ImageException {
        assertEquals(List.of("api-new=1", "wants-new-api=1"), resolve("wants-new-api"));
    }

    @Test
    void newestVersionForRequestedNamesAndOtherArchitecturesIgnored() throws ImageException {
        assertEquals(List.of("oldlib=2.5"), resolve("oldlib"));
    }

    @Test
    void virtualRootUsesAProvider() throws ImageException {
        assertEquals(List.of("gawk=5"), resolve("awk"));
    }

    @Test
    void missingPackageIsAnError() {
        ImageException e = assertThrows(ImageException.class, () -> resolve("no-such-package"));
        assertTrue(e.getMessage().contains("no-such-package"), e.getMessage());
    }

    @Test
    void unsatisfiableDependencyNamesIt() {
        ImageException e = assertThrows(ImageException.class, () -> resolve("broken"));
        assertTrue(e.getMessage().contains("nowhere | also-nowhere") && e.getMessage().contains("broken"), e.getMessage());
    }

    @Test
    void relationParsingStripsQualifiersAndRestrictions() {
        List<List<Relation>> g = Relation.parseGroups("a:any (>= 1:2.0~rc1) | b [amd64], c:native <!nocheck>");
        assertEquals(2, g.size());
        assertEquals(new Relation("a", ">=", "1:2.0~rc1"), g.get(0).get(0));
        assertEquals(new Relation("b", null, null), g.get(0).get(1));
        assertEquals(new Relation("c", null, null), g.get(1).get(0));
        assertTrue(g.get(0).get(0).acceptsVersion("1:2.0"));
        assertTrue(!g.get(0).get(0).acceptsVersion("2.0"));
    }
}
