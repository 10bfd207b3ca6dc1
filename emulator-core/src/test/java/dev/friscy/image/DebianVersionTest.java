package dev.friscy.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DebianVersionTest {
    private static void less(String a, String b) {
        assertTrue(DebianVersion.compare(a, b) < 0, a + " < " + b);
        assertTrue(DebianVersion.compare(b, a) > 0, b + " > " + a);
    }

    @Test
    void ordersLikeDpkg() {
        less("1.0~rc1", "1.0");
        less("1.0", "1.0+b1");
        less("1.9", "1.10");
        less("2.0", "1:0.1");
        less("1.0-1", "1.0-2");
        less("2.41-12", "2.41-12+deb13u5");
        less("1.0~~", "1.0~");
        less("1.0a", "1.0+");
        less("9.7-3", "10.0-1");
        less("1:1.37.0-6", "1:1.37.0-6+b9");
        less("10.46-1~deb13u2", "10.46-1");
        assertEquals(0, DebianVersion.compare("1.0", "1.00"));
        assertEquals(0, DebianVersion.compare("0:1.0", "1.0"));
    }
}
