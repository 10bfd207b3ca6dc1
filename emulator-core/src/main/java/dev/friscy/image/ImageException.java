package dev.friscy.image;

/**
 * A failure the user can act on (bad input, missing package, checksum mismatch, network error).
 * The message is one line and is printed as is by the command line, without a stack trace.
 */
public final class ImageException extends Exception {
    public ImageException(String message) {
        super(oneLine(message));
    }

    public ImageException(String message, Throwable cause) {
        super(oneLine(message), cause);
    }

    /**
     * Archive member names and JSON strings go into messages; a newline or escape sequence in one
     * (found by fuzzing) must not split the line or drive the terminal.
     */
    static String oneLine(String m) {
        if (m == null) {
            return null;
        }
        StringBuilder sb = null;
        for (int i = 0; i < m.length(); i++) {
            char c = m.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                if (sb == null) {
                    sb = new StringBuilder(m.substring(0, i));
                }
                sb.append(c == '\n' ? "\\n" : c == '\t' ? "\\t" : String.format("\\x%02x", (int) c));
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? m : sb.toString();
    }
}
