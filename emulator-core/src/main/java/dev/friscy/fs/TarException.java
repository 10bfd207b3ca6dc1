package dev.friscy.fs;

/** A tar archive that cannot be read: the message is one line saying what is wrong and where. */
public final class TarException extends Exception {
    public TarException(String message) {
        super(oneLine(message));
    }

    /** Member names go into messages: a control character in one must not split the line. */
    private static String oneLine(String m) {
        StringBuilder sb = new StringBuilder(m.length());
        for (int i = 0; i < m.length(); i++) {
            char c = m.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                sb.append(c == '\n' ? "\\n" : "\\x").append(c == '\n' ? "" : Integer.toHexString(0x100 | c).substring(1));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
