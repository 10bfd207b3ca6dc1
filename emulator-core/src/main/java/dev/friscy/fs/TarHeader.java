package dev.friscy.fs;

import java.nio.charset.StandardCharsets;

/** The fields of one ustar/GNU header block, and the numeric encodings tar uses. */
final class TarHeader {
    static final int BLOCK = 512;

    private TarHeader() {
    }

    static String str(byte[] b, int off, int len) {
        int n = 0;
        while (n < len && b[off + n] != 0) {
            n++;
        }
        return new String(b, off, n, StandardCharsets.ISO_8859_1);
    }

    /** An octal field (NUL/space padded) or GNU base-256 (top bit of the first byte set). */
    static long number(byte[] b, int off, int len, long at, String field) throws TarException {
        if ((b[off] & 0x80) != 0) {
            long v = b[off] & 0x3f;
            if ((b[off] & 0x40) != 0) {
                v |= ~0x3fL; // negative
            }
            for (int i = 1; i < len; i++) {
                if (i > 8 && v != 0 && v != -1) {
                    throw new TarException("corrupt tar header at offset " + at + ": " + field + " too large");
                }
                v = (v << 8) | (b[off + i] & 0xff);
            }
            return v;
        }
        long v = 0;
        int i = 0;
        while (i < len && (b[off + i] == ' ' || b[off + i] == 0)) {
            i++;
        }
        boolean any = false;
        for (; i < len; i++) {
            int c = b[off + i];
            if (c == 0 || c == ' ') {
                break;
            }
            if (c < '0' || c > '7') {
                throw new TarException("corrupt tar header at offset " + at + ": bad " + field + " field");
            }
            v = (v << 3) | (c - '0');
            any = true;
        }
        return any ? v : 0;
    }

    static boolean checksumOk(byte[] b, int off, long at) throws TarException {
        long stored = number(b, off + 148, 8, at, "checksum");
        long unsigned = 8 * ' ';
        for (int i = 0; i < 148; i++) {
            unsigned += b[off + i] & 0xff;
        }
        for (int i = 156; i < BLOCK; i++) {
            unsigned += b[off + i] & 0xff;
        }
        if (stored == unsigned) {
            return true;
        }
        // some old tars summed signed bytes
        long signed = 8 * ' ';
        for (int i = 0; i < BLOCK; i++) {
            signed += (i >= 148 && i < 156) ? 0 : b[off + i];
        }
        return stored == signed;
    }

    /** Fills in the checksum of a header block being written (the field counts as spaces while summing). */
    static void putChecksum(byte[] h) {
        for (int k = 148; k < 156; k++) {
            h[k] = ' ';
        }
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += h[i] & 0xff;
        }
        putOctal(h, 148, 7, sum);
        h[155] = ' ';
    }

    static boolean isZero(byte[] b, int off) {
        for (int i = 0; i < BLOCK; i++) {
            if (b[off + i] != 0) {
                return false;
            }
        }
        return true;
    }

    static void putString(byte[] h, int off, int len, String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(b, 0, h, off, Math.min(len, b.length));
    }

    /** Octal, NUL-terminated, zero-padded to fill the field. */
    static void putOctal(byte[] h, int off, int len, long v) {
        String s = Long.toOctalString(v);
        StringBuilder sb = new StringBuilder();
        for (int i = s.length(); i < len - 1; i++) {
            sb.append('0');
        }
        sb.append(s);
        putString(h, off, len - 1, sb.toString());
        h[off + len - 1] = 0;
    }

    static boolean fitsOctal(long v, int len) {
        return v >= 0 && v < (1L << (3 * (len - 1)));
    }
}
