package dev.friscy.image;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The packages of one architecture (plus "all"), by name and by what they provide. */
public final class PackageIndex {
    /** A package that provides a virtual name, with the version it provides (or null). */
    public record Provider(PackageEntry entry, Relation provided) {
    }

    private static final Comparator<PackageEntry> NEWEST_FIRST =
            (a, b) -> DebianVersion.compare(b.version(), a.version());

    private final String architecture;
    private final Map<String, List<PackageEntry>> byName = new HashMap<>();
    private final Map<String, List<Provider>> providers = new HashMap<>();
    private boolean sorted = true;

    public PackageIndex(String architecture) {
        this.architecture = architecture;
    }

    public static PackageIndex parse(String architecture, String packagesText) {
        PackageIndex index = new PackageIndex(architecture);
        try {
            index.addAll(new StringReader(packagesText));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return index;
    }

    /** Adds every stanza of a Packages file; other architectures are ignored. */
    public void addAll(Reader packagesText) throws IOException {
        ControlStanzas.forEach(packagesText, stanza -> {
            PackageEntry e = PackageEntry.fromStanza(stanza);
            if (e != null) {
                add(e);
            }
        });
    }

    public void add(PackageEntry e) {
        if (!e.architecture().equals(architecture) && !e.architecture().equals("all")) {
            return;
        }
        List<PackageEntry> same = byName.computeIfAbsent(e.name(), k -> new ArrayList<>());
        for (PackageEntry old : same) {
            if (old.version().equals(e.version())) {
                return; // listed in both binary-<arch> and binary-all
            }
        }
        same.add(e);
        for (Relation p : e.provides()) {
            providers.computeIfAbsent(p.name(), k -> new ArrayList<>()).add(new Provider(e, p));
        }
        sorted = false;
    }

    private void sortIfNeeded() {
        if (sorted) {
            return;
        }
        for (List<PackageEntry> l : byName.values()) {
            l.sort(NEWEST_FIRST);
        }
        Comparator<Provider> byProvider = Comparator.comparing((Provider p) -> p.entry().name())
                .thenComparing((a, b) -> NEWEST_FIRST.compare(a.entry(), b.entry()));
        for (List<Provider> l : providers.values()) {
            l.sort(byProvider);
        }
        sorted = true;
    }

    /** Real packages of this name, newest first. */
    public List<PackageEntry> versionsOf(String name) {
        sortIfNeeded();
        return byName.getOrDefault(name, List.of());
    }

    /** Packages providing this name, ordered by package name then newest first. */
    public List<Provider> providersOf(String name) {
        sortIfNeeded();
        return providers.getOrDefault(name, List.of());
    }

    /**
     * Names of the packages marked Essential: yes (in their newest version), sorted. Debian
     * packages never declare a dependency on these; their maintainer scripts simply use them.
     */
    public List<String> essentials() {
        sortIfNeeded();
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, List<PackageEntry>> e : byName.entrySet()) {
            if (!e.getValue().isEmpty() && e.getValue().get(0).essential()) {
                out.add(e.getKey());
            }
        }
        out.sort(null);
        return out;
    }

    public String architecture() {
        return architecture;
    }

    public int size() {
        return byName.size();
    }
}
