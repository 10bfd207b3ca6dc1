package dev.friscy.image;

/**
 * Debian version strings ([epoch:]upstream[-revision]) and their ordering as dpkg defines it:
 * digits compare numerically, other characters compare with letters before non-letters and
 * '~' sorting before everything, even the end of the string.
 */
public final class DebianVersion implements Comparable<DebianVersion> {
    private final long epoch;
    private final String upstream;
    private final String revision;
    private final String text;

    private DebianVersion(long epoch, String upstream, String revision, String text) {
        this.epoch = epoch;
        this.upstream = upstream;
        this.revision = revision;
        this.text = text;
    }

    public static DebianVersion parse(String text) {
        String s = text.trim();
        long epoch = 0;
        int colon = s.indexOf(':');
        if (colon > 0) {
            try {
                epoch = Long.parseLong(s.substring(0, colon));
            } catch (NumberFormatException e) {
                epoch = 0;
            }
            s = s.substring(colon + 1);
        }
        String revision = "";
        int dash = s.lastIndexOf('-');
        if (dash >= 0) {
            revision = s.substring(dash + 1);
            s = s.substring(0, dash);
        }
        return new DebianVersion(epoch, s, revision, text.trim());
    }

    public static int compare(String a, String b) {
        return parse(a).compareTo(parse(b));
    }

    @Override
    public int compareTo(DebianVersion o) {
        if (epoch != o.epoch) {
            return Long.compare(epoch, o.epoch);
        }
        int c = comparePart(upstream, o.upstream);
        return c != 0 ? c : comparePart(revision, o.revision);
    }

    /** Compares alternating non-digit and digit runs, as dpkg's verrevcmp does. */
    private static int comparePart(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() || j < b.length()) {
            int firstDiff = 0;
            while ((i < a.length() && !isDigit(a.charAt(i))) || (j < b.length() && !isDigit(b.charAt(j)))) {
                int ac = i < a.length() ? order(a.charAt(i)) : 0;
                int bc = j < b.length() ? order(b.charAt(j)) : 0;
                if (ac != bc) {
                    return ac - bc;
                }
                i++;
                j++;
            }
            while (i < a.length() && a.charAt(i) == '0') {
                i++;
            }
            while (j < b.length() && b.charAt(j) == '0') {
                j++;
            }
            while (i < a.length() && isDigit(a.charAt(i)) && j < b.length() && isDigit(b.charAt(j))) {
                if (firstDiff == 0) {
                    firstDiff = a.charAt(i) - b.charAt(j);
                }
                i++;
                j++;
            }
            if (i < a.length() && isDigit(a.charAt(i))) {
                return 1;
            }
            if (j < b.length() && isDigit(b.charAt(j))) {
                return -1;
            }
            if (firstDiff != 0) {
                return firstDiff;
            }
        }
        return 0;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** Sort weight of a non-digit character: '~' lowest, then end of string, letters, others. */
    private static int order(char c) {
        if (isDigit(c)) {
            return 0;
        }
        if (c == '~') {
            return -1;
        }
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
            return c;
        }
        return c + 256;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DebianVersion && compareTo((DebianVersion) o) == 0;
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
