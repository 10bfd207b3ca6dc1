package dev.friscy.kernel;

import dev.friscy.testing.GuestRunner;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `run --profile`: samples where the guest's instructions go, without changing what it does. */
class PcProfileTest {
    @Test
    void samplesTheProgramsOwnCodeAtTheChunkRate() {
        String program = GuestRunner.program("bench/cpubench").toString();
        GuestRunner.Result plain = GuestRunner.friscyArgs(List.of("--", program, "1"), "");
        GuestRunner.Result r = GuestRunner.friscyArgs(List.of("--profile", "--", program, "1"), "");
        assertEquals(0, r.status, r.toString());
        // chunks end wherever the budget runs out: the program computes exactly what it did
        assertEquals(plain.stdout, r.stdout);
        assertFalse(plain.stderr.contains("friscy: profile"), plain.stderr);

        Matcher m = Pattern.compile("friscy: profile: (\\d+) samples").matcher(r.stderr);
        assertTrue(m.find(), r.stderr);
        long samples = Long.parseLong(m.group(1));
        // cpubench 1 runs ~69 M instructions, one sample per ~10,000 of them (fewer: system
        // calls end chunks without one)
        assertTrue(samples > 3_000 && samples < 10_000, "samples: " + samples);

        // a static binary: its own file takes (nearly) every sample, and its busiest pages are listed
        Matcher file = Pattern.compile("profile by file:\\n\\s+([0-9.]+)%\\s+(\\S+)").matcher(r.stderr);
        assertTrue(file.find(), r.stderr);
        assertTrue(file.group(2).endsWith("cpubench"), r.stderr);
        assertTrue(Double.parseDouble(file.group(1)) > 95, r.stderr);
        Matcher page = Pattern.compile("cumulative\\s+(\\S+)\\+0x([0-9a-f]+)").matcher(r.stderr);
        assertTrue(page.find(), r.stderr);
        assertTrue(page.group(1).endsWith("cpubench"), r.stderr);
        assertEquals(0, Long.parseLong(page.group(2), 16) & 0xfff, "a page's file offset: " + page.group(2));
    }
}
