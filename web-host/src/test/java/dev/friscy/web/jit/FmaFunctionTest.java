package dev.friscy.web.jit;

import static dev.friscy.web.jit.Wasm.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.friscy.cpu.Fpu;
import dev.friscy.cpu.Hart;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated modules' fused multiply-add ({@link FmaFunction}) under Node's WebAssembly against
 * the interpreter's exact {@code Fpu.fma64} in RNE: wherever it answers, the bits must be the same.
 * Operands: random exponents around the window's edges, short significands (exact products,
 * ties), cancellations, signs.
 */
class FmaFunctionTest {
    @TempDir
    Path tmp;

    @Test
    void agreesWithTheExactPath() throws Exception {
        boolean node = runs("node", "--version");
        if (System.getenv("CI") != null && !node) {
            fail("node is needed (apt-get install nodejs)");
        }
        assumeTrue(node, "node missing");

        WasmBuf m = new WasmBuf(1024);
        m.u8(0).u8('a').u8('s').u8('m').u8(1).u8(0).u8(0).u8(0);
        WasmBuf t = new WasmBuf();
        t.u32(1).u8(T_FUNC).u32(3).u8(T_I64).u8(T_I64).u8(T_I64).u32(1).u8(T_I64);
        m.section(SEC_TYPE, t);
        m.section(SEC_FUNCTION, new WasmBuf().u32(1).u32(0));
        m.section(SEC_EXPORT, new WasmBuf().u32(1).name("fma").u8(0).u32(0));
        WasmBuf body = FmaFunction.body();
        m.section(SEC_CODE, new WasmBuf().u32(1).u32(body.n).bytes(body));
        Path mod = tmp.resolve("fma.wasm");
        Files.write(mod, m.toArray());

        Random rnd = new Random(20261203);
        int n = 200_000;
        long[][] v = new long[n][];
        StringBuilder in = new StringBuilder();
        for (int i = 0; i < n; i++) {
            long a = operand(rnd);
            long b = operand(rnd);
            long c = operand(rnd);
            if (i % 5 == 0) {
                // c close to -(a*b): cancellation
                c = Double.doubleToRawLongBits(-(Double.longBitsToDouble(a) * Double.longBitsToDouble(b)))
                        ^ (rnd.nextInt(4));
            }
            v[i] = new long[]{a, b, c};
            in.append(String.format("%016x %016x %016x%n", a, b, c));
        }
        Path triples = tmp.resolve("triples.txt");
        Files.writeString(triples, in);
        Path driver = tmp.resolve("run-fma.js");
        try (InputStream s = getClass().getResourceAsStream("run-fma.js")) {
            Files.write(driver, s.readAllBytes());
        }
        Process p = new ProcessBuilder("node", driver.toString(), mod.toString(), triples.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        String[] lines = out.split("\n");
        assertEquals(n, lines.length);
        int decided = 0;
        for (int i = 0; i < n; i++) {
            long got = Long.parseUnsignedLong(lines[i], 16);
            if (got == FmaFunction.NO) {
                continue;
            }
            decided++;
            Hart h = new Hart();
            long want = Fpu.fma64(h, v[i][0], v[i][1], v[i][2], 0);
            assertEquals(Long.toHexString(want), Long.toHexString(got),
                    String.format("fma(%016x, %016x, %016x)", v[i][0], v[i][1], v[i][2]));
            assertEquals(0, h.fflags & ~Fpu.NX, "only NX can arise where it answers");
        }
        assertTrue(decided > n / 2, "answered " + decided + " of " + n);
    }

    /** Random signs and exponents across (and past) the window, significands full or short. */
    private static long operand(Random rnd) {
        long sign = rnd.nextBoolean() ? Long.MIN_VALUE : 0;
        int e = rnd.nextInt(10) == 0 ? rnd.nextInt(2048) : 1023 + rnd.nextInt(200) - 100;
        long frac = rnd.nextLong() & 0x000fffffffffffffL;
        if (rnd.nextInt(3) == 0) {
            frac &= 0x000fff0000000000L; // short: exact products and ties
        }
        return sign | ((long) e << 52) | frac;
    }

    private static boolean runs(String... cmd) {
        try {
            Process p = new ProcessBuilder(new ArrayList<>(List.of(cmd))).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
