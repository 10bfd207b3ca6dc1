package dev.friscy.fs;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hand-made hostile tars: each ends in one clear TarException, quickly, and never loops or throws anything else. */
class HostileTarTest {
    /** One header block with a correct checksum. */
    static byte[] header(String name, char type, long size) {
        byte[] h = new byte[512];
        TarHeader.putString(h, 0, 100, name);
        TarHeader.putOctal(h, 100, 8, 0644);
        TarHeader.putOctal(h, 108, 8, 0);
        TarHeader.putOctal(h, 116, 8, 0);
        TarHeader.putOctal(h, 124, 12, size);
        TarHeader.putOctal(h, 136, 12, 0);
        h[156] = (byte) type;
        TarHeader.putString(h, 257, 6, "ustar");
        h[262] = 0;
        h[263] = '0';
        h[264] = '0';
        for (int k = 148; k < 156; k++) {
            h[k] = ' ';
        }
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        TarHeader.putOctal(h, 148, 7, sum);
        h[155] = ' ';
        return h;
    }

    /** A PAX record "LEN key=value\n" with the right LEN. */
    static String record(String key, String value) {
        String body = " " + key + "=" + value + "\n";
        int len = body.length() + 1;
        while (String.valueOf(len).length() + body.length() != len) {
            len++;
        }
        return len + body;
    }

    static byte[] paxEntry(char type, String records) {
        byte[] data = records.getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header("pax", type, data.length));
        out.writeBytes(data);
        out.writeBytes(new byte[(512 - data.length % 512) % 512]);
        return out.toByteArray();
    }

    static TarException refused(byte[] tar) {
        return assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(TarException.class, () -> TarImport.importInto(new Vfs(), tar)));
    }

    @Test
    void globalPaxSizeNear2to63DoesNotLoop() {
        // the 2.5 KB tar: dataOff + size wrapped negative, passed the bounds check and the
        // next header offset came back to the same header, for ever
        ByteArrayOutputStream t = new ByteArrayOutputStream();
        t.writeBytes(paxEntry('g', record("size", "9223372036854775296")));
        t.writeBytes(header("dir", 'D', 0));
        t.writeBytes(new byte[1024]);
        TarException e = refused(t.toByteArray());
        assertTrue(e.getMessage().startsWith("truncated tar"), e.getMessage());
    }

    @Test
    void paxSizesAtTheEdgesAreRefused() {
        for (String size : new String[] {"9223372036854775807", "9223372036854775808", "-1", "-9223372036854775808",
            "99999999999999999999", "2147483647", "2147483648"}) {
            ByteArrayOutputStream t = new ByteArrayOutputStream();
            t.writeBytes(paxEntry('x', record("size", size)));
            t.writeBytes(header("f", '0', 0));
            t.writeBytes(new byte[1024]);
            TarException e = refused(t.toByteArray());
            assertTrue(!e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void namesWithNulAreRefused() {
        for (String key : new String[] {"path", "linkpath"}) {
            ByteArrayOutputStream t = new ByteArrayOutputStream();
            t.writeBytes(paxEntry('x', record(key, "etc/pass\0wd")));
            t.writeBytes(header("f", key.equals("path") ? '0' : '2', 0));
            t.writeBytes(new byte[1024]);
            TarException e = refused(t.toByteArray());
            assertEquals("corrupt tar: NUL byte in a name at offset 1024", e.getMessage());
        }
    }

    @Test
    void badPaxRecordLengthsAreRefused() {
        for (String rec : new String[] {"1 x\n", "2 x\n", "3 x=1\n", "99999999999999999999 a=b\n", "0 a=b\n", "5 =b\n"}) {
            ByteArrayOutputStream t = new ByteArrayOutputStream();
            t.writeBytes(paxEntry('x', rec));
            t.writeBytes(header("f", '0', 0));
            t.writeBytes(new byte[1024]);
            refused(t.toByteArray());
        }
    }

    @Test
    void hugePathDepthIsRefused() {
        String deep = "a/".repeat(100_000) + "f";
        ByteArrayOutputStream t = new ByteArrayOutputStream();
        t.writeBytes(paxEntry('x', record("path", deep)));
        t.writeBytes(header("f", '0', 0));
        t.writeBytes(new byte[1024]);
        TarException e = refused(t.toByteArray());
        assertTrue(e.getMessage().contains("longer than"), e.getMessage());
    }
}
