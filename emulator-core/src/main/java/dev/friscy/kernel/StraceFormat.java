package dev.friscy.kernel;

/**
 * Readable arguments for --strace: path names and written data shown as strings, read
 * before the call runs (execve replaces the memory they live in).
 */
final class StraceFormat {
    private StraceFormat() {
    }

    /** Which argument registers hold a path, by system call number. */
    private static int[] pathArgs(long nr) {
        switch ((int) nr) {
            case 56: case 79: case 48: case 439: case 78: case 34: case 35: case 53: case 54: case 88: case 291:
            case 33: case 5: case 6: case 7: case 8: case 9: case 10: case 11: case 12: case 13: case 14:
                return new int[] {1};
            case 221: case 49: case 51: case 45: case 43:
                return new int[] {0};
            case 281:
                return new int[] {1};
            case 36:
                return new int[] {0, 2};
            case 38: case 276: case 37:
                return new int[] {1, 3};
            default:
                return null;
        }
    }

    static String[] arguments(Task t, long nr) {
        long[] x = t.hart.x;
        String[] out = new String[6];
        int[] paths = pathArgs(nr);
        if (paths != null) {
            for (int i : paths) {
                out[i] = quoted(t, x[10 + i], 256);
            }
        }
        if (nr == 64) { // write(fd, buf, len)
            int n = (int) Math.min(Math.max(x[12], 0), 32);
            byte[] b = new byte[n];
            if (t.mm.read(x[11], b, 0, n)) {
                out[1] = escape(b, x[12] > n);
            } else {
                t.mm.clearFault();
            }
        }
        return out;
    }

    private static String quoted(Task t, long addr, int max) {
        if (addr == 0) {
            return "NULL";
        }
        byte[] b = t.mm.readCString(addr, max);
        boolean truncated = false;
        if (b == null) {
            t.mm.clearFault();
            b = new byte[max];
            if (!t.mm.read(addr, b, 0, max)) {
                t.mm.clearFault();
                return null;
            }
            truncated = true;
        }
        return escape(b, truncated);
    }

    private static String escape(byte[] b, boolean truncated) {
        StringBuilder sb = new StringBuilder("\"");
        for (byte c : b) {
            int v = c & 0xff;
            if (v == '\n') {
                sb.append("\\n");
            } else if (v == '"' || v == '\\') {
                sb.append('\\').append((char) v);
            } else if (v < 0x20 || v >= 0x7f) {
                sb.append("\\x").append(Character.forDigit(v >> 4, 16)).append(Character.forDigit(v & 15, 16));
            } else {
                sb.append((char) v);
            }
        }
        return sb.append(truncated ? "\"..." : "\"").toString();
    }
}
