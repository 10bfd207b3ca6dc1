package dev.friscy.cpu;

import java.util.Random;

/**
 * Random RISC-V assembly programs for differential runs against qemu-riscv64 (assembled by the
 * cross toolchain, freestanding: raw system calls, no libc): straight-line and forward-branching
 * integer code ({@link #program}), the same in loops with calls ({@link #loopProgram}) and
 * floating point ({@link #fpProgram}). Used by {@link RandomProgramTest} on the JVM and by
 * e2e-tests' {@code RandomLoopsTest} in the page.
 */
public final class RandomPrograms {
    private RandomPrograms() {
    }

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


    /** x2 (sp) is the buffer base and never written; x0 may be a destination (writes vanish). */
    private static String rd(Random r) {
        int n = r.nextInt(31);
        return "x" + (n >= 2 ? n + 1 : n);
    }

    /** Destinations of {@link #loopProgram}: not sp, not the loop counters x29..x31. */
    private static final int[] LOOP_RD = registersBut(2, 29, 30, 31);
    /** In its functions, not ra either. */
    private static final int[] CALLEE_RD = registersBut(1, 2, 29, 30, 31);

    private static int[] registersBut(int... reserved) {
        java.util.List<Integer> regs = new java.util.ArrayList<>();
        outer:
        for (int i = 0; i < 32; i++) {
            for (int x : reserved) {
                if (x == i) {
                    continue outer;
                }
            }
            regs.add(i);
        }
        return regs.stream().mapToInt(Integer::intValue).toArray();
    }

    private static String rs(Random r) {
        // bias towards s0/s1/a0..a5 so that many instructions are compressible
        return "x" + (r.nextInt(3) == 0 ? 8 + r.nextInt(8) : r.nextInt(32));
    }

    /**
     * The start of {@link #program} and {@link #loopProgram}: sp at the middle of the scratch
     * buffer, x1..x31 random (with {@code fp} f0..f31 too), the buffer's reachable middle filled
     * with their patterns.
     */
    private static void start(Random r, StringBuilder s, boolean fp) {
        s.append(".option arch, +zba, +zbb\n.text\n.globl _start\n_start:\n");
        s.append("  lla sp, buf + 4096\n");
        for (int i = 1; i < 32; i++) {
            if (i != 2) {
                s.append("  li x").append(i).append(", ").append(r.nextLong()).append('\n');
            }
        }
        if (fp) {
            for (int i = 0; i < 32; i++) {
                s.append("  li t0, ").append(fpBits(r)).append("\n  fmv.d.x f").append(i).append(", t0\n");
            }
        }
        for (int k = 0; k < 256; k++) {
            s.append("  sd x").append(3 + k % 29).append(", ").append(k * 16 - 2048).append("(sp)\n");
        }
    }

    /** Stores x1..x31 at regs + 8 * i (with {@code fp} f0..f31 at regs + 256 + 8 * i and fcsr at regs). */
    private static void storeRegisters(StringBuilder s, boolean fp) {
        s.append("  lla x2, regs\n");
        for (int i = 1; i < 32; i++) {
            if (i != 2) {
                s.append("  sd x").append(i).append(", ").append(i * 8).append("(x2)\n");
            }
        }
        if (fp) {
            for (int i = 0; i < 32; i++) {
                s.append("  fsd f").append(i).append(", ").append(256 + i * 8).append("(x2)\n");
            }
            s.append("  frcsr t0\n  sd t0, 0(x2)\n");
        }
    }

    /** Destination registers: from {@code dests}, or ({@code null}) any but sp as {@link #rd} draws them. */
    private static java.util.function.Supplier<String> destinations(Random r, int[] dests) {
        return dests == null ? () -> rd(r) : () -> "x" + dests[r.nextInt(dests.length)];
    }

    public static String program(long seed, int count) {
        Random r = new Random(seed);
        StringBuilder s = new StringBuilder();
        start(r, s, false);
        int[] label = {0};
        for (int k = 0; k < count; k++) {
            one(r, s, label, null, "L");
        }
        // dump x1..x31 after the buffer, then write buffer and registers to stdout
        storeRegisters(s, false);
        s.append("  li a0, 1\n  lla a1, buf\n  li a2, 8192 + 256\n  li a7, 64\n  ecall\n");
        s.append("  li a0, 0\n  li a7, 93\n  ecall\n");
        s.append(".bss\n.balign 64\nbuf: .space 8192\nregs: .space 256\n");
        return s.toString();
    }

    /**
     * Appends one random instruction (or a forward branch or jump over a few, or an LR/SC pair)
     * to {@code s}. Destinations come from {@code dests} ({@code null}: any but sp, drawn as
     * {@link #rd} draws them, so {@link #program}'s seeds keep their programs); labels are
     * {@code prefix} and a number from {@code label[0]}.
     */
    private static void one(Random r, StringBuilder s, int[] label, int[] dests, String prefix) {
        java.util.function.Supplier<String> rdOf = destinations(r, dests);
        {
            int kind = r.nextInt(21);
            String d = rdOf.get();
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
                String op = UN[r.nextInt(UN.length)];
                if (dests != null && op.equals("ctzw")) {
                    // Debian bookworm's qemu (7.2) gives ctzw of a value whose low word is zero
                    // as 32 + ctz of the high word, not 32; loops make such values (slli.uw by 32
                    // or more), so they take ctz. CpuBitmanipTest checks ctzw's zero case.
                    op = "ctz";
                }
                s.append("  ").append(op).append(' ').append(d).append(", ").append(rs(r));
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
                String lbl = prefix + label[0]++;
                String a = rs(r);
                String b = r.nextBoolean() ? "x0" : rs(r);
                s.append("  ").append(BR[r.nextInt(BR.length)]).append(' ').append(a).append(", ").append(b)
                        .append(", ").append(lbl).append('\n');
                int skip = 1 + r.nextInt(3);
                for (int j = 0; j < skip; j++) {
                    s.append("  addi ").append(rdOf.get()).append(", ").append(rs(r)).append(", ").append(r.nextInt(64) - 32)
                            .append('\n');
                }
                s.append(lbl).append(":");
            } else if (kind == 20) {
                // atomics on the (aligned) word at sp; an LR/SC pair has only register ops between
                String w = r.nextBoolean() ? ".d" : ".w";
                if (r.nextInt(3) == 0) {
                    s.append("  lr").append(w).append(' ').append(d).append(", (sp)\n");
                    s.append("  add ").append(rdOf.get()).append(", ").append(rs(r)).append(", ").append(rs(r)).append('\n');
                    s.append("  sc").append(w).append(' ').append(rdOf.get()).append(", ").append(rs(r)).append(", (sp)");
                } else {
                    s.append("  ").append(AMO[r.nextInt(AMO.length)]).append(w).append(' ').append(d).append(", ")
                            .append(rs(r)).append(", (sp)");
                }
            } else {
                String lbl = prefix + "j" + label[0]++;
                s.append("  jal ").append(r.nextBoolean() ? "x0" : d).append(", ").append(lbl).append('\n');
                s.append("  xori ").append(rdOf.get()).append(", ").append(rs(r)).append(", 1\n");
                s.append(lbl).append(":");
            }
            s.append('\n');
        }
    }

    /**
     * A random program that loops, for the translators: its code runs many times, so hot pages
     * are translated at the default thresholds too, and its regions have what straight-line code
     * lacks: back-edges (a block looping to itself, loops of several blocks through forward
     * branches, a loop nested in another), calls from loops to functions on other pages and their
     * returns, budget checks on back-edges, and registers live around all of these. Everything
     * runs {@code repeat} times (counter x29); each loop runs its body 1..2000 times (x31), an
     * inner loop 1..16 times (x30); functions ({@code jal ra}) do not touch ra or the counters.
     * It prints the scratch buffer and x1..x31 in hex (text, so a terminal passes it unchanged).
     */
    public static String loopProgram(long seed, int count, int repeat) {
        return loopProgram(seed, count, repeat, false);
    }

    /** Hex characters {@link #loopProgram} prints: the buffer and the registers, and a newline. */
    public static int loopOutputLength(boolean fp) {
        return 2 * (8192 + (fp ? 512 : 256)) + 1;
    }

    /**
     * With {@code fp}, a third of the instructions are F and D ones ({@link #fpProgram}'s, on
     * random f registers, with random static and dynamic rounding modes), and the dump has f0..f31
     * and fcsr too: f registers live across back-edges and exits as well.
     */
    public static String loopProgram(long seed, int count, int repeat, boolean fp) {
        Random r = new Random(seed);
        StringBuilder s = new StringBuilder();
        start(r, s, fp);
        int functions = 4;
        int[] label = {0};
        s.append("  li x29, ").append(repeat).append("\nrepeat:\n");
        int k = 0;
        while (k < count) {
            int what = r.nextInt(4);
            if (what == 0) {
                int n = 1 + r.nextInt(20);
                for (int j = 0; j < n; j++) {
                    oneOf(r, s, label, LOOP_RD, "S", fp);
                }
                k += n;
                continue;
            }
            String top = "top" + label[0]++;
            int times = 1 + r.nextInt(r.nextBoolean() ? 16 : 2000);
            s.append("  li x31, ").append(times).append('\n').append(top).append(":\n");
            int n = 1 + r.nextInt(r.nextInt(3) == 0 ? 4 : 40);
            boolean inner = r.nextInt(3) == 0;
            int innerAt = r.nextInt(n);
            for (int j = 0; j < n; j++) {
                if (j == innerAt && inner) {
                    String itop = "in" + label[0]++;
                    s.append("  li x30, ").append(1 + r.nextInt(16)).append('\n').append(itop).append(":\n");
                    int m = 1 + r.nextInt(10);
                    for (int q = 0; q < m; q++) {
                        oneOf(r, s, label, LOOP_RD, "I", fp);
                    }
                    s.append("  addi x30, x30, -1\n  bnez x30, ").append(itop).append('\n');
                    k += m + 2;
                }
                if (r.nextInt(12) == 0) {
                    s.append("  jal ra, fn").append(r.nextInt(functions)).append('\n');
                } else {
                    oneOf(r, s, label, LOOP_RD, "B", fp);
                }
            }
            s.append("  addi x31, x31, -1\n  bnez x31, ").append(top).append('\n');
            k += n + 2;
        }
        s.append("  addi x29, x29, -1\n  bnez x29, repeat\n");
        // dump x1..x31 after the buffer, then print buffer and registers in hex
        storeRegisters(s, fp);
        int dumped = 8192 + (fp ? 512 : 256);
        s.append("  lla s0, buf\n  li s1, ").append(dumped).append("\n  lla s2, hex\n  lla s3, digits\n");
        s.append("hexloop:\n  lbu t0, 0(s0)\n  srli t1, t0, 4\n  andi t0, t0, 15\n  add t1, s3, t1\n  lbu t1, 0(t1)\n");
        s.append("  add t0, s3, t0\n  lbu t0, 0(t0)\n  sb t1, 0(s2)\n  sb t0, 1(s2)\n  addi s0, s0, 1\n");
        s.append("  addi s2, s2, 2\n  addi s1, s1, -1\n  bnez s1, hexloop\n  li t0, 10\n  sb t0, 0(s2)\n");
        s.append("  li a0, 1\n  lla a1, hex\n  li a2, ").append(2 * dumped + 1).append("\n  li a7, 64\n  ecall\n");
        s.append("  li a0, 0\n  li a7, 93\n  ecall\n");
        // the functions start on a page of their own
        s.append("  .balign 4096\n");
        for (int fn = 0; fn < functions; fn++) {
            s.append("fn").append(fn).append(":\n");
            int n = 1 + r.nextInt(30);
            for (int j = 0; j < n; j++) {
                oneOf(r, s, label, CALLEE_RD, "F", fp);
            }
            s.append("  ret\n");
        }
        s.append(".section .rodata\ndigits: .ascii \"0123456789abcdef\"\n");
        s.append(".bss\n.balign 64\nbuf: .space 8192\nregs: .space ").append(dumped - 8192).append("\nhex: .space ")
                .append(2 * dumped + 1).append('\n');
        return s.toString();
    }

    private static void oneOf(Random r, StringBuilder s, int[] label, int[] dests, String prefix, boolean fp) {
        if (fp && r.nextInt(3) == 0) {
            oneFp(r, s, dests);
        } else {
            one(r, s, label, dests, prefix);
        }
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

    public static String fpProgram(long seed, int count) {
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
            oneFp(r, s, null);
        }
        storeRegisters(s, true);
        s.append("  li a0, 1\n  lla a1, buf\n  li a2, 8192 + 512\n  li a7, 64\n  ecall\n");
        s.append("  li a0, 0\n  li a7, 93\n  ecall\n");
        s.append(".bss\n.balign 64\nbuf: .space 8192\nregs: .space 512\n");
        return s.toString();
    }

    /** Appends one random F or D instruction (destinations of integer results as in {@link #one}). */
    private static void oneFp(Random r, StringBuilder s, int[] dests) {
        java.util.function.Supplier<String> rdOf = destinations(r, dests);
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
            s.append("  ").append(FCMP[r.nextInt(FCMP.length)]).append(p).append(' ').append(rdOf.get()).append(", ")
                    .append(fa).append(", ").append(fb);
        } else if (kind < 9) {
            s.append("  fclass").append(p).append(' ').append(rdOf.get()).append(", ").append(fa);
        } else if (kind < 10) {
            s.append("  fcvt.").append(ICVT[r.nextInt(4)]).append(p).append(' ').append(rdOf.get()).append(", ")
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
            s.append(r.nextBoolean() ? "  fmv.x" + (p.equals(".d") ? ".d " : ".w ") + rdOf.get() + ", " + fa
                    : "  fmv" + (p.equals(".d") ? ".d" : ".w") + ".x " + fd + ", " + rs(r));
        } else if (kind < 14) {
            int off = r.nextInt(500) * 8 - 2000;
            s.append(r.nextBoolean() ? "  fl" + (p.equals(".d") ? "d " : "w ") + fd + ", " + off + "(sp)"
                    : "  fs" + (p.equals(".d") ? "d " : "w ") + fa + ", " + off + "(sp)");
        } else if (kind < 15) {
            s.append("  fsrmi ").append(rdOf.get()).append(", ").append(r.nextInt(5)); // a valid dynamic mode
        } else {
            s.append(r.nextBoolean() ? "  frflags " + rdOf.get() : "  fsflags " + rdOf.get() + ", " + rs(r));
        }
        s.append('\n');
    }

    /**
     * Compares {@link #loopProgram}'s dumps: x1..x31 (f0..f31 and fcsr with {@code fp}) one by one,
     * for a message that names the register, then the whole buffer.
     */
    public static void assertSameRegisters(String expected, String got, boolean fp, String what) {
        if (got.length() != expected.length()) {
            throw new AssertionError(what + ": printed " + got.length() + " characters, expected " + expected.length()
                    + " (starts: " + got.substring(0, Math.min(80, got.length())) + ")");
        }
        for (int i = fp ? 0 : 1; i < (fp ? 64 : 32); i++) {
            int at = 2 * (8192 + i * 8);
            String e = expected.substring(at, at + 16);
            String g = got.substring(at, at + 16);
            if (!e.equals(g)) {
                String reg = i == 0 ? "fcsr" : i < 32 ? "x" + i : "f" + (i - 32);
                throw new AssertionError(what + ": " + reg + " (little-endian hex) expected " + e + " but was " + g);
            }
        }
        assertSameHex(expected, got, what + ", scratch buffer");
    }

    /**
     * Fails at the first character where {@code got} differs from {@code expected} (hex dumps of
     * ~17 KB: the message shows 64 characters around it, not the whole dumps).
     */
    public static void assertSameHex(String expected, String got, String what) {
        int n = Math.min(expected.length(), got.length());
        int i = 0;
        while (i < n && expected.charAt(i) == got.charAt(i)) {
            i++;
        }
        if (i == n && expected.length() == got.length()) {
            return;
        }
        int from = Math.max(0, i - 32);
        throw new AssertionError(what + ": first difference at byte " + i / 2 + " of the dump; expected ..."
                + expected.substring(from, Math.min(expected.length(), i + 32)) + "... but was ..."
                + got.substring(from, Math.min(got.length(), i + 32)) + "...");
    }
}
