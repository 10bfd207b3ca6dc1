package dev.friscy.cpu;

import dev.friscy.testing.Tools;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random straight-line and forward-branching programs (integer, M, Zba, Zbb, loads and stores,
 * whatever GNU as compresses) are assembled by the cross toolchain and run on qemu-riscv64 and
 * on our interpreter; the final registers and the scratch buffer must match byte for byte.
 * Skipped where the toolchain or qemu is missing.
 */
class RandomProgramTest {
    private static final String GCC = Tools.GCC;
    private static final String QEMU = Tools.QEMU;

    private static final String[] R = {"add", "sub", "sll", "slt", "sltu", "xor", "srl", "sra", "or", "and", "addw",
        "subw", "sllw", "srlw", "sraw", "mul", "mulh", "mulhsu", "mulhu", "div", "divu", "rem", "remu", "mulw", "divw",
        "divuw", "remw", "remuw", "sh1add", "sh2add", "sh3add", "sh1add.uw", "sh2add.uw", "sh3add.uw", "add.uw",
        "andn", "orn", "xnor", "max", "maxu", "min", "minu", "rol", "ror", "rolw", "rorw"};
    private static final String[] I = {"addi", "slti", "sltiu", "xori", "ori", "andi", "addiw"};
    private static final String[] SH64 = {"slli", "srli", "srai", "rori", "slli.uw"};
    private static final String[] SH32 = {"slliw", "srliw", "sraiw", "roriw"};
    private static final String[] UN = {"clz", "ctz", "cpop", "clzw", "ctzw", "cpopw", "sext.b", "sext.h", "zext.h",
        "orc.b", "rev8"};
    private static final String[] LD = {"lb", "lh", "lw", "ld", "lbu", "lhu", "lwu"};
    private static final String[] ST = {"sb", "sh", "sw", "sd"};
    private static final String[] AMO = {"amoswap", "amoadd", "amoxor", "amoand", "amoor", "amomin", "amomax",
        "amominu", "amomaxu", "sc"};
    private static final String[] BR = {"beq", "bne", "blt", "bge", "bltu", "bgeu"};

    @TempDir
    Path tmp;

    /** x2 (sp) is the buffer base and never written; x0 may be a destination (writes vanish). */
    private static String rd(Random r) {
        int n = r.nextInt(31);
        return "x" + (n >= 2 ? n + 1 : n);
    }

    private static String rs(Random r) {
        // bias towards s0/s1/a0..a5 so that many instructions are compressible
        return "x" + (r.nextInt(3) == 0 ? 8 + r.nextInt(8) : r.nextInt(32));
    }

    static String program(long seed, int count) {
        Random r = new Random(seed);
        StringBuilder s = new StringBuilder();
        s.append(".option arch, +zba, +zbb\n.text\n.globl _start\n_start:\n");
        s.append("  lla sp, buf + 4096\n");
        for (int i = 1; i < 32; i++) {
            if (i != 2) {
                s.append("  li x").append(i).append(", ").append(r.nextLong()).append('\n');
            }
        }
        for (int k = 0; k < 256; k++) { // fill the reachable middle of the buffer with patterns
            s.append("  sd x").append(3 + k % 29).append(", ").append(k * 16 - 2048).append("(sp)\n");
        }
        int label = 0;
        for (int k = 0; k < count; k++) {
            int kind = r.nextInt(21);
            String d = rd(r);
            // a third of the ALU ops take the two-address form on x8..x15 that RVC can encode
            boolean c = r.nextInt(3) == 0;
            if (c) {
                d = "x" + (8 + r.nextInt(8));
            }
            String a1 = c ? d : rs(r);
            String a2 = c ? "x" + (8 + r.nextInt(8)) : rs(r);
            if (kind < 6) {
                s.append("  ").append(R[r.nextInt(R.length)]).append(' ').append(d).append(", ").append(a1)
                        .append(", ").append(a2);
            } else if (kind < 9) {
                int imm = r.nextBoolean() ? r.nextInt(64) - 32 : r.nextInt(4096) - 2048;
                s.append("  ").append(I[r.nextInt(I.length)]).append(' ').append(d).append(", ").append(a1)
                        .append(", ").append(imm);
            } else if (kind < 11) {
                boolean w = r.nextBoolean();
                String op = w ? SH32[r.nextInt(SH32.length)] : SH64[r.nextInt(SH64.length)];
                s.append("  ").append(op).append(' ').append(d).append(", ").append(a1).append(", ")
                        .append(r.nextInt(w ? 32 : 64));
            } else if (kind < 12) {
                s.append("  ").append(UN[r.nextInt(UN.length)]).append(' ').append(d).append(", ").append(rs(r));
            } else if (kind < 13) {
                s.append("  lui ").append(d).append(", ").append(r.nextInt(1 << 20));
            } else if (kind < 15) {
                int off = r.nextBoolean() ? r.nextInt(64) * 8 : r.nextInt(4000) - 2000; // aligned or anywhere
                s.append("  ").append(LD[r.nextInt(LD.length)]).append(' ').append(d).append(", ").append(off)
                        .append("(sp)");
            } else if (kind < 17) {
                int off = r.nextBoolean() ? r.nextInt(64) * 8 : r.nextInt(4000) - 2000;
                s.append("  ").append(ST[r.nextInt(ST.length)]).append(' ').append(rs(r)).append(", ").append(off)
                        .append("(sp)");
            } else if (kind < 19) {
                String lbl = "L" + label++;
                String a = rs(r);
                String b = r.nextBoolean() ? "x0" : rs(r);
                s.append("  ").append(BR[r.nextInt(BR.length)]).append(' ').append(a).append(", ").append(b)
                        .append(", ").append(lbl).append('\n');
                int skip = 1 + r.nextInt(3);
                for (int j = 0; j < skip; j++) {
                    s.append("  addi ").append(rd(r)).append(", ").append(rs(r)).append(", ").append(r.nextInt(64) - 32)
                            .append('\n');
                }
                s.append(lbl).append(":");
            } else if (kind == 20) {
                // atomics on the (aligned) word at sp; an LR/SC pair has only register ops between
                String w = r.nextBoolean() ? ".d" : ".w";
                if (r.nextInt(3) == 0) {
                    s.append("  lr").append(w).append(' ').append(d).append(", (sp)\n");
                    s.append("  add ").append(rd(r)).append(", ").append(rs(r)).append(", ").append(rs(r)).append('\n');
                    s.append("  sc").append(w).append(' ').append(rd(r)).append(", ").append(rs(r)).append(", (sp)");
                } else {
                    s.append("  ").append(AMO[r.nextInt(AMO.length)]).append(w).append(' ').append(d).append(", ")
                            .append(rs(r)).append(", (sp)");
                }
            } else {
                String lbl = "J" + label++;
                s.append("  jal ").append(r.nextBoolean() ? "x0" : d).append(", ").append(lbl).append('\n');
                s.append("  xori ").append(rd(r)).append(", ").append(rs(r)).append(", 1\n");
                s.append(lbl).append(":");
            }
            s.append('\n');
        }
        // dump x1..x31 after the buffer, then write buffer and registers to stdout
        s.append("  lla x2, regs\n");
        for (int i = 1; i < 32; i++) {
            if (i != 2) {
                s.append("  sd x").append(i).append(", ").append(i * 8).append("(x2)\n");
            }
        }
        s.append("  li a0, 1\n  lla a1, buf\n  li a2, 8192 + 256\n  li a7, 64\n  ecall\n");
        s.append("  li a0, 0\n  li a7, 93\n  ecall\n");
        s.append(".bss\n.balign 64\nbuf: .space 8192\nregs: .space 256\n");
        return s.toString();
    }

    private static final String[] FBIN = {"fadd", "fsub", "fmul", "fdiv", "fmin", "fmax", "fsgnj", "fsgnjn", "fsgnjx"};
    private static final String[] FCMP = {"feq", "flt", "fle"};
    private static final String[] FMA = {"fmadd", "fmsub", "fnmsub", "fnmadd"};
    private static final String[] RM = {"rne", "rtz", "rdn", "rup", "rmm", "dyn"};
    private static final String[] ICVT = {"w", "wu", "l", "lu"};

    /** Interesting raw bit patterns for FP registers: specials, boundaries and random values. */
    private static long fpBits(Random r) {
        long[] special = {0, Long.MIN_VALUE, 0x7ff0000000000000L, 0xfff0000000000000L, 0x7ff8000000000000L,
            0x7ff4000000000000L, 0x0000000000000001L, 0x000fffffffffffffL, 0x3ff0000000000000L, 0xbfe0000000000000L,
            0x43e0000000000000L, 0xc3e0000000000000L, 0x41dfffffffc00000L, 0x4330000000000000L};
        int[] special32 = {0, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0x7fa00000, 1, 0x007fffff, 0x3f800000,
            0xbf000000, 0x4f000000, 0xcf000000, 0x5f000000, 0x4b000000};
        switch (r.nextInt(6)) {
            case 0: return special[r.nextInt(special.length)];
            case 1: return 0xffffffff00000000L | (special32[r.nextInt(special32.length)] & 0xffffffffL);
            case 2: return 0xffffffff00000000L | (r.nextInt() & 0xffffffffL); // boxed random single
            case 3: return Double.doubleToRawLongBits((r.nextDouble() - 0.5) * Math.pow(2, r.nextInt(200) - 100));
            case 4: return 0xffffffff00000000L
                    | (Float.floatToRawIntBits((float) ((r.nextDouble() - 0.5) * Math.pow(2, r.nextInt(80) - 40))) & 0xffffffffL);
            default: return r.nextLong(); // random double, or an improperly boxed single
        }
    }

    static String fpProgram(long seed, int count) {
        Random r = new Random(seed);
        StringBuilder s = new StringBuilder();
        s.append(".text\n.globl _start\n_start:\n  lla sp, buf + 4096\n");
        for (int i = 0; i < 32; i++) {
            s.append("  li t0, ").append(fpBits(r)).append("\n  fmv.d.x f").append(i).append(", t0\n");
        }
        for (int i = 1; i < 32; i++) {
            if (i != 2) {
                long v = r.nextInt(4) == 0 ? r.nextLong() : r.nextInt(2000) - 1000;
                s.append("  li x").append(i).append(", ").append(v).append('\n');
            }
        }
        for (int k = 0; k < count; k++) {
            String p = r.nextBoolean() ? ".d" : ".s";
            String fd = "f" + r.nextInt(32);
            String fa = "f" + r.nextInt(32);
            String fb = "f" + r.nextInt(32);
            String rm = RM[r.nextInt(RM.length)];
            int kind = r.nextInt(16);
            if (kind < 4) {
                String op = FBIN[r.nextInt(FBIN.length)];
                boolean rounds = op.startsWith("fadd") || op.startsWith("fsub") || op.startsWith("fmul")
                        || op.startsWith("fdiv");
                s.append("  ").append(op).append(p).append(' ').append(fd).append(", ").append(fa).append(", ").append(fb);
                if (rounds) {
                    s.append(", ").append(rm);
                }
            } else if (kind < 5) {
                s.append("  fsqrt").append(p).append(' ').append(fd).append(", ").append(fa).append(", ").append(rm);
            } else if (kind < 7) {
                s.append("  ").append(FMA[r.nextInt(FMA.length)]).append(p).append(' ').append(fd).append(", ")
                        .append(fa).append(", ").append(fb).append(", f").append(r.nextInt(32)).append(", ").append(rm);
            } else if (kind < 8) {
                s.append("  ").append(FCMP[r.nextInt(FCMP.length)]).append(p).append(' ').append(rd(r)).append(", ")
                        .append(fa).append(", ").append(fb);
            } else if (kind < 9) {
                s.append("  fclass").append(p).append(' ').append(rd(r)).append(", ").append(fa);
            } else if (kind < 10) {
                s.append("  fcvt.").append(ICVT[r.nextInt(4)]).append(p).append(' ').append(rd(r)).append(", ")
                        .append(fa).append(", ").append(rm);
            } else if (kind < 11) {
                String src = ICVT[r.nextInt(4)];
                s.append("  fcvt").append(p).append('.').append(src).append(' ').append(fd).append(", ").append(rs(r));
                if (!(p.equals(".d") && src.startsWith("w"))) { // int32 -> double is exact: no rm operand
                    s.append(", ").append(rm);
                }
            } else if (kind < 12) {
                s.append(p.equals(".d") ? "  fcvt.d.s " : "  fcvt.s.d ").append(fd).append(", ").append(fa)
                        .append(p.equals(".d") ? "" : ", " + rm);
            } else if (kind < 13) {
                s.append(r.nextBoolean() ? "  fmv.x" + (p.equals(".d") ? ".d " : ".w ") + rd(r) + ", " + fa
                        : "  fmv" + (p.equals(".d") ? ".d" : ".w") + ".x " + fd + ", " + rs(r));
            } else if (kind < 14) {
                int off = r.nextInt(500) * 8 - 2000;
                s.append(r.nextBoolean() ? "  fl" + (p.equals(".d") ? "d " : "w ") + fd + ", " + off + "(sp)"
                        : "  fs" + (p.equals(".d") ? "d " : "w ") + fa + ", " + off + "(sp)");
            } else if (kind < 15) {
                s.append("  fsrmi ").append(rd(r)).append(", ").append(r.nextInt(5)); // a valid dynamic mode
            } else {
                s.append(r.nextBoolean() ? "  frflags " + rd(r) : "  fsflags " + rd(r) + ", " + rs(r));
            }
            s.append('\n');
        }
        s.append("  lla x2, regs\n");
        for (int i = 1; i < 32; i++) {
            if (i != 2) {
                s.append("  sd x").append(i).append(", ").append(i * 8).append("(x2)\n");
            }
        }
        for (int i = 0; i < 32; i++) {
            s.append("  fsd f").append(i).append(", ").append(256 + i * 8).append("(x2)\n");
        }
        s.append("  frcsr t0\n  sd t0, 0(x2)\n");
        s.append("  li a0, 1\n  lla a1, buf\n  li a2, 8192 + 512\n  li a7, 64\n  ecall\n");
        s.append("  li a0, 0\n  li a7, 93\n  ecall\n");
        s.append(".bss\n.balign 64\nbuf: .space 8192\nregs: .space 512\n");
        return s.toString();
    }

    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13, 14})
    void floatingPointMatchesQemu(long seed) throws Exception {
        Tools.requireOnPath(GCC, QEMU);
        Files.writeString(tmp.resolve("fp.S"), fpProgram(seed, 2000));
        exec(tmp, GCC, "-static", "-nostdlib", "-march=rv64gc", "-o", "fp", "fp.S");
        byte[] expected = exec(tmp, QEMU, "./fp");
        assertEquals(8192 + 512, expected.length);
        Hart h = CpuBench.loadFreestanding(Files.readAllBytes(tmp.resolve("fp")));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, CpuBench.runFreestanding(h, out, 10_000_000L));
        byte[] got = out.toByteArray();
        for (int i = 0; i < 64; i++) {
            long e = 0;
            long g = 0;
            for (int k = 7; k >= 0; k--) {
                e = (e << 8) | (expected[8192 + i * 8 + k] & 0xff);
                g = (g << 8) | (got[8192 + i * 8 + k] & 0xff);
            }
            String what = i == 0 ? "fcsr" : i < 32 ? "x" + i : "f" + (i - 32);
            assertEquals(Long.toHexString(e), Long.toHexString(g), what + " (seed " + seed + ")");
        }
        assertArrayEquals(expected, got, "scratch buffer (seed " + seed + ")");
    }

    private static byte[] exec(Path dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timeout: " + String.join(" ", cmd));
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ":\n" + new String(out, StandardCharsets.UTF_8));
        return out;
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4})
    void matchesQemu(long seed) throws Exception {
        Tools.requireOnPath(GCC, QEMU);
        Files.writeString(tmp.resolve("fuzz.S"), program(seed, 3000));
        exec(tmp, GCC, "-static", "-nostdlib", "-march=rv64gc_zba_zbb", "-o", "fuzz", "fuzz.S");
        byte[] expected = exec(tmp, QEMU, "./fuzz");
        assertEquals(8192 + 256, expected.length);
        Hart h = CpuBench.loadFreestanding(Files.readAllBytes(tmp.resolve("fuzz")));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, CpuBench.runFreestanding(h, out, 10_000_000L));
        byte[] got = out.toByteArray();
        for (int i = 0; i < 32; i++) {
            long e = 0;
            long g = 0;
            for (int k = 7; k >= 0; k--) {
                e = (e << 8) | (expected[8192 + i * 8 + k] & 0xff);
                g = (g << 8) | (got[8192 + i * 8 + k] & 0xff);
            }
            assertEquals(Long.toHexString(e), Long.toHexString(g), "x" + i + " (seed " + seed + ")");
        }
        assertArrayEquals(expected, got, "scratch buffer (seed " + seed + ")");
    }
}
