package dev.friscy.mem;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Page's bulk copies (a long at a time where aligned) agree with byte-by-byte access at every offset and length. */
class PageCopyTest {
    @Test
    void bulkCopiesMatchSingleBytes() {
        Random rnd = new Random(3);
        for (int round = 0; round < 3000; round++) {
            Page p = new Page();
            for (int i = 0; i < Page.SIZE; i++) {
                p.putByte(i, rnd.nextInt(256));
            }
            int off = rnd.nextInt(Page.SIZE);
            int len = rnd.nextInt(Page.SIZE - off + 1);
            int dstOff = rnd.nextInt(16);
            byte[] got = new byte[dstOff + len + 16];
            p.read(off, got, dstOff, len);
            for (int i = 0; i < len; i++) {
                assertEquals((byte) p.getByte(off + i), got[dstOff + i], "read at " + off + "+" + i);
            }
            assertEquals(0, got[dstOff + len], "read wrote past its length");

            byte[] src = new byte[len + 8];
            rnd.nextBytes(src);
            Page q = new Page();
            int[] before = new int[Page.SIZE];
            for (int i = 0; i < Page.SIZE; i++) {
                q.putByte(i, rnd.nextInt(256));
                before[i] = q.getByte(i);
            }
            q.write(off, src, 3, Math.min(len, src.length - 3));
            int n = Math.min(len, src.length - 3);
            byte[] expect = new byte[Page.SIZE];
            byte[] actual = new byte[Page.SIZE];
            for (int i = 0; i < Page.SIZE; i++) {
                expect[i] = (byte) (i >= off && i < off + n ? src[3 + i - off] : before[i]);
                actual[i] = (byte) q.getByte(i);
            }
            assertArrayEquals(expect, actual, "write at " + off + " len " + n);
        }
    }
}
