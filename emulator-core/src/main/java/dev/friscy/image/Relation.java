package dev.friscy.image;

import java.util.ArrayList;
import java.util.List;

/**
 * One package relation such as {@code libc6 (>= 2.38)}. Architecture qualifiers ({@code :any},
 * {@code :native}) are dropped: an image holds one architecture. A relation field is a list of
 * groups; a group lists alternatives ({@code a | b}).
 */
public record Relation(String name, String op, String version) {

    public boolean hasVersion() {
        return op != null;
    }

    /** Whether a package (or a versioned Provides) of version {@code candidate} satisfies this. */
    public boolean acceptsVersion(String candidate) {
        if (op == null) {
            return true;
        }
        if (candidate == null) {
            return false;
        }
        int c = DebianVersion.compare(candidate, version);
        switch (op) {
            case "<<": return c < 0;
            case "<=": case "<": return c <= 0;
            case "=": return c == 0;
            case ">=": case ">": return c >= 0;
            case ">>": return c > 0;
            default: return false;
        }
    }

    /** Parses a Depends-style field into groups of alternatives. Empty or null text gives none. */
    public static List<List<Relation>> parseGroups(String field) {
        List<List<Relation>> groups = new ArrayList<>();
        if (field == null || field.isBlank()) {
            return groups;
        }
        for (String groupText : field.split(",")) {
            List<Relation> alternatives = new ArrayList<>();
            for (String alt : groupText.split("\\|")) {
                Relation r = parseOne(alt);
                if (r != null) {
                    alternatives.add(r);
                }
            }
            if (!alternatives.isEmpty()) {
                groups.add(alternatives);
            }
        }
        return groups;
    }

    /** Parses a Provides-style field: a flat list without alternatives. */
    public static List<Relation> parseList(String field) {
        List<Relation> out = new ArrayList<>();
        for (List<Relation> group : parseGroups(field)) {
            out.addAll(group);
        }
        return out;
    }

    static Relation parseOne(String text) {
        String s = text.trim();
        // Architecture restrictions [..] and build profiles <..> never matter for binary installs.
        s = s.replaceAll("\\[[^\\]]*\\]", "").replaceAll("<[^>]*>", "").trim();
        if (s.isEmpty()) {
            return null;
        }
        String op = null;
        String version = null;
        int paren = s.indexOf('(');
        if (paren >= 0) {
            int close = s.indexOf(')', paren);
            String inside = s.substring(paren + 1, close < 0 ? s.length() : close).trim();
            s = s.substring(0, paren).trim();
            int i = 0;
            while (i < inside.length() && "<>=".indexOf(inside.charAt(i)) >= 0) {
                i++;
            }
            op = i == 0 ? "=" : inside.substring(0, i);
            version = inside.substring(i).trim();
        }
        int colon = s.indexOf(':');
        if (colon >= 0) {
            s = s.substring(0, colon);
        }
        s = s.trim();
        return s.isEmpty() ? null : new Relation(s, op, version);
    }

    @Override
    public String toString() {
        return op == null ? name : name + " (" + op + " " + version + ")";
    }
}
