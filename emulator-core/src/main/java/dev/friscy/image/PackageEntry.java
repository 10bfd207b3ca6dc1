package dev.friscy.image;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One stanza of a Packages index, reduced to what installing the package needs. */
public record PackageEntry(
        String name,
        String version,
        String architecture,
        List<List<Relation>> depends,
        List<Relation> provides,
        String filename,
        long size,
        String sha256,
        boolean essential) {

    static PackageEntry fromStanza(Map<String, String> stanza) {
        String name = stanza.get("Package");
        if (name == null) {
            return null;
        }
        List<List<Relation>> depends = new ArrayList<>(Relation.parseGroups(stanza.get("Pre-Depends")));
        depends.addAll(Relation.parseGroups(stanza.get("Depends")));
        long size = -1;
        try {
            String s = stanza.get("Size");
            if (s != null) {
                size = Long.parseLong(s.trim());
            }
        } catch (NumberFormatException e) {
            size = -1;
        }
        return new PackageEntry(
                name.trim(),
                stanza.getOrDefault("Version", "0").trim(),
                stanza.getOrDefault("Architecture", "").trim(),
                depends,
                Relation.parseList(stanza.get("Provides")),
                stanza.get("Filename"),
                size,
                stanza.get("SHA256"),
                "yes".equalsIgnoreCase(stanza.getOrDefault("Essential", "").trim()));
    }

    @Override
    public String toString() {
        return name + " " + version + " (" + architecture + ")";
    }
}
