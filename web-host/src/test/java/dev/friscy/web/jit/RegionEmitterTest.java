package dev.friscy.web.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.friscy.cpu.Cpu;
import dev.friscy.cpu.Fpu;
import dev.friscy.cpu.Hart;
import dev.friscy.jit.Jit;
import dev.friscy.jit.Region;
import dev.friscy.jit.RegionBuilder;
import dev.friscy.mem.AddressSpace;
import dev.friscy.mem.Page;
import dev.friscy.mem.Prot;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Wasm back end against the interpreter: a guest program (assembled with Debian's RISC-V
 * binutils) becomes a region, its module runs under Node's WebAssembly with guest memory in a
 * JS array, and the interpreter then runs exactly as many instructions from the same state. The
 * registers, pc and memory must agree, and so must the exit (budget, fault) and its pc.
 */
class RegionEmitterTest {
    private static final long CODE = 0x10000;
    private static final long DATA = 0x20000;
    private static final HartLayout LAYOUT = new HartLayout(1024, 4096, 16, 0, false);

    @TempDir
    static Path tmp;

    @BeforeAll
    static void tools() throws Exception {
        boolean ok = runs("node", "--version") && runs("riscv64-linux-gnu-as", "--version");
        if (System.getenv("CI") != null && !ok) {
            fail("node and riscv64-linux-gnu-as are needed (apt-get install nodejs binutils-riscv64-linux-gnu)");
        }
        assumeTrue(ok, "node or riscv64-linux-gnu-as missing");
        Jit.install(null, 0);
    }

    /** Integer work of every kind in one loop: ALU, W ops, M (division edge cases), loads/stores. */
    private static final String LOOP = """
            li t0, 0
            li t1, 0x7fffffffffffffff
            addi t2, t1, 1           # MIN
        1:  ld a2, 0(a0)
            lw a3, 8(a0)
            lwu a4, 8(a0)
            lh a5, 12(a0)
            lhu a6, 12(a0)
            lb a7, 14(a0)
            lbu s2, 14(a0)
            add t0, t0, a2
            xor t0, t0, a3
            sub t0, t0, a4
            sll s3, a5, a1
            srl s4, a6, a1
            sra s5, a7, a1
            addw s6, a3, a4
            subw s7, a3, a5
            sllw s8, a3, a1
            srlw s9, a3, a1
            sraw s10, a3, a1
            slli s11, a2, 13
            srai s11, s11, 7
            srliw t3, a3, 3
            sraiw t4, a3, 5
            slliw t5, a3, 9
            mul t6, t0, a2
            mulw t6, t6, a3
            div a2, t0, a1
            divu a3, t0, a1
            rem a4, t0, a1
            remu a5, t0, a1
            divw a6, t0, a1
            divuw a7, t0, a1
            remw s2, t0, a1
            remuw s3, t0, a1
            div s4, t2, t4           # may hit MIN / x
            li s5, -1
            div s6, t2, s5           # MIN / -1
            rem s7, t2, s5
            divw s8, t2, s5
            remw s9, t2, s5
            div s10, t0, zero        # / 0
            rem s11, t0, zero
            divu t3, t0, zero
            remu t4, t0, zero
            divw t5, t0, zero
            remuw t6, t0, zero
            add t0, t0, s4
            add t0, t0, s6
            add t0, t0, s7
            add t0, t0, s10
            add t0, t0, s11
            xor t0, t0, t3
            add t0, t0, t4
            add t0, t0, t5
            add t0, t0, t6
            slt s2, t0, a2
            sltu s3, t0, a2
            slti s4, t0, -5
            sltiu s5, t0, 77
            andi s6, t0, 0x7f0
            ori s7, t0, -8
            xori s8, t0, 0x555
            or t0, t0, s2
            and s9, t0, s7
            add t0, t0, s3
            add t0, t0, s9
            add t0, t0, s8
            sd t0, 16(a0)
            sw t0, 24(a0)
            sh t0, 28(a0)
            sb t0, 30(a0)
            sd t0, 32(a0)
            addi a0, a0, 8
            addi a1, a1, -1
            blt a1, t1, 2f
            j 3f
        2:  bge a1, zero, 3f
            nop
        3:  beq a1, zero, 4f
            bne a1, zero, 1b
        4:  bltu a1, t1, 5f
        5:  bgeu a1, t1, 6f
            auipc s1, 0
            jal ra, 7f
        6:  ecall
        7:  ret
            """;

    /**
     * Floating point on the host's operations: with NX already raised and RNE, every value here
     * stays normal and finite, so no instruction needs the exact path (the driver refuses it).
     */
    private static final String FP_LOOP = """
            li t0, 0x3fe8000000000000    # 0.75
            fmv.d.x fs0, t0
            li t0, 0x40490fdb            # pi as a single
            fmv.w.x fs1, t0
        1:  fcvt.d.w ft0, a1
            fadd.d ft0, ft0, fs0         # a1 + 0.75
            fmul.d ft1, ft0, ft0
            fdiv.d ft2, ft1, fs0
            fsqrt.d ft3, ft2
            fsub.d ft4, ft3, fs0
            fadd.d fs2, fs2, ft4
            fsgnj.d ft5, ft4, fs0
            fsgnjn.d ft6, ft4, fs0
            fsgnjx.d ft7, ft6, ft6
            fmin.d fa0, ft5, ft6
            fmax.d fa1, ft5, ft6
            feq.d s2, ft5, ft6
            flt.d s3, ft6, ft5
            fle.d s4, ft5, ft5
            fcvt.w.d s5, ft2, rtz
            fcvt.l.d s6, ft3
            fcvt.wu.d s7, ft1, rtz
            fcvt.lu.d s8, ft2, rne
            slli t1, a1, 40
            fcvt.d.l fa2, t1
            fcvt.d.lu fa3, t1
            fcvt.s.d fa4, ft3
            fadd.s fa5, fa4, fs1
            fmul.s fa6, fa5, fs1
            fdiv.s fa7, fa6, fs1
            fsqrt.s ft8, fa7
            fsub.s ft9, ft8, fs1
            fcvt.d.s ft10, ft9
            fmadd.d fs4, ft1, ft2, ft3
            fmsub.d fs5, ft1, fs0, ft0
            fnmsub.d fs6, ft3, ft3, ft2
            fnmadd.d fs7, fs4, fs0, ft1
            fadd.d fs2, fs2, fs4
            fadd.d fs2, fs2, fs5
            fadd.d fs2, fs2, fs6
            fadd.d fs2, fs2, fs7
            flt.s s9, fa4, fs1
            feq.s s10, fa4, fa4
            fmv.x.d s11, ft10
            fmv.x.w t2, fa7
            fsd ft10, 0(a0)
            fsw fa7, 8(a0)
            fld ft11, 16(a0)
            flw fs3, 24(a0)
            fsd fs2, 32(a0)
            add t3, t3, s5
            add t3, t3, s6
            add t3, t3, s7
            add t3, t3, s8
            add t3, t3, s9
            add t3, t3, s11
            add t3, t3, t2
            addi a0, a0, 8
            addi a1, a1, -1
            bne a1, zero, 1b
            ecall
            """;

    /** The register modes (WasmTranslator.xInMemory, fInMemory) each test runs in end at the default. */
    @AfterEach
    void defaultRegisters() {
        WasmTranslator.xInMemory = 1;
        WasmTranslator.fInMemory = 1;
    }

    /** x and f registers each in Wasm locals (0) or the hart block (1): 0, 1, 2, 3 as two bits. */
    @ParameterizedTest(name = "registers={0}")
    @ValueSource(ints = {0, 1, 2, 3})
    void floatingPointMatchesTheInterpreter(int registers) throws Exception {
        WasmTranslator.xInMemory = registers & 1;
        WasmTranslator.fInMemory = registers >> 1;
        Result r = compare(FP_LOOP, 100_000, DATA + 64);
        assertEquals(HartLayout.EXIT_CONTINUE, r.exit);
        assertTrue(r.ran > 1000, "the loop ran inside the region: " + r.ran);
        for (long budget : new long[]{3, 50, 333}) {
            compare(FP_LOOP, budget, DATA + 64);
        }
    }

    @ParameterizedTest(name = "xInMemory={0}")
    @ValueSource(ints = {0, 1})
    void loopMatchesTheInterpreter(int xInMemory) throws Exception {
        WasmTranslator.xInMemory = xInMemory;
        Result r = compare(LOOP, 100_000, DATA + 64);
        assertEquals(HartLayout.EXIT_CONTINUE, r.exit);
        assertTrue(r.ran > 3000, "the loop ran inside the region: " + r.ran);
    }

    @ParameterizedTest(name = "xInMemory={0}")
    @ValueSource(ints = {0, 1})
    void budgetRunningOutInsideTheLoop(int xInMemory) throws Exception {
        WasmTranslator.xInMemory = xInMemory;
        for (long budget : new long[]{0, 1, 5, 97, 301, 1000}) {
            compare(LOOP, budget, DATA + 64);
        }
    }

    @ParameterizedTest(name = "xInMemory={0}")
    @ValueSource(ints = {0, 1})
    void faultIsPreciseAndCharged(int xInMemory) throws Exception {
        WasmTranslator.xInMemory = xInMemory;
        // a0 walks off the end of the data page: the ld faults with the loop's state half updated
        Result r = compare(LOOP, 100_000, DATA + 4096 - 8 * 5);
        assertEquals(HartLayout.EXIT_FAULT, r.exit);
    }

    /**
     * Exits at a block's end that chain (a link cell, the pc cache) write back only what the way
     * to them may have changed: here registers written two and three blocks before the exit,
     * on either of two ways, must reach the hart.
     */
    private static final String EXITS = """
            addi t0, t0, 1
            addi a1, a1, -1
            beq a1, zero, 2f
            addi t1, t1, 5
            ld t2, 0(a0)
            bne a1, zero, 3f
        2:  addi t3, t3, 7
            la a2, 4f
            jalr zero, 0(a2)
        3:  addi t4, t4, 9
            jal ra, 4f
            nop
        4:  ecall
            """;

    @ParameterizedTest(name = "xInMemory={0}")
    @ValueSource(ints = {0, 1})
    void chainedExitsWriteBackWhatTheirWayChanged(int xInMemory) throws Exception {
        WasmTranslator.xInMemory = xInMemory;
        HartLayout linked = new HartLayout(1024, 4096, 16, 8192, false);
        for (String prog : new String[]{EXITS, "li a1, 1\n" + EXITS}) {
            for (long budget : new long[]{100_000, 2, 4, 7}) {
                int[] next = {0};
                compare(prog, budget, DATA + 64, linked, () -> next[0] < 16 ? next[0]++ : -1);
            }
            int[] next = {0};
            Result r = compare(prog, 100_000, DATA + 64, linked, () -> next[0] < 16 ? next[0]++ : -1);
            assertEquals(HartLayout.EXIT_CONTINUE, r.exit);
            assertEquals(CODE, r.pc & ~0xfffL, "left for the ecall");
            assertTrue(r.ran >= 8, "ran " + r.ran);
        }
    }

    /**
     * With the Worker's layout (inline TLB over Wasm GC arrays, which this test's runtime cannot
     * run): every branch hint still names an if or br_if, and the TLB lookups, groups and exits
     * have some.
     */
    @Test
    void branchHintsNameBranchesWithTheInlineTlb() throws Exception {
        HartLayout worker = new HartLayout(1024, 4096, 16, 8192, true);
        for (String prog : new String[]{LOOP, FP_LOOP, EXITS}) {
            Hart h = machine(assemble(prog), DATA + 64);
            Region region = RegionBuilder.build(h.as.pageForExec(CODE), new int[Page.SIZE + 2], null, 0, 600);
            assertNotNull(region);
            int[] next = {0};
            WasmBuf body = RegionEmitter.emit(region, worker, () -> next[0] < 16 ? next[0]++ : -1);
            assertTrue(body.hintCount > 3, "hints: " + body.hintCount);
            checkHints(body);
        }
    }

    private static void checkHints(WasmBuf body) {
        for (int k = 0; k < body.hintCount; k++) {
            // a hint names an if or br_if by its offset (V8 drops hints that do not)
            int at = body.hints[k] >>> 1;
            assertTrue(body.b[at] == Wasm.IF || body.b[at] == Wasm.BR_IF, "branch hint " + k + " at " + at);
            assertTrue(k == 0 || at > body.hints[k - 1] >>> 1, "hints in order");
        }
    }

    private record Result(int exit, long pc, long ran) {
    }

    private Result compare(String asm, long budget, long a0) throws Exception {
        return compare(asm, budget, a0, LAYOUT, () -> -1);
    }

    private Result compare(String asm, long budget, long a0, HartLayout layout, RegionEmitter.Cells cells) throws Exception {
        byte[] code = assemble(asm);
        Hart wasmHart = machine(code, a0);
        Page pg = wasmHart.as.pageForExec(CODE);
        int[] ops = new int[Page.SIZE + 2];
        Region region = RegionBuilder.build(pg, ops, null, 0, 600);
        assertNotNull(region);
        WasmBuf body = RegionEmitter.emit(region, layout, cells);
        checkHints(body);
        WasmBuf module = ModuleWriter.module(new WasmBuf[]{body}, 1, false);
        Path mod = tmp.resolve("region.wasm");
        Files.write(mod, module.toArray());

        byte[] data = new byte[Page.SIZE];
        assertTrue(wasmHart.as.read(DATA, data, 0, data.length));
        StringBuilder st = new StringBuilder("{\"hart\":" + layout.hart + ",\"links\":" + layout.links + ",\"x\":[");
        for (int i = 0; i < 32; i++) {
            st.append(i == 0 ? "" : ",").append('"').append(wasmHart.x[i]).append('"');
        }
        st.append("],\"f\":[");
        for (int i = 0; i < 32; i++) {
            st.append(i == 0 ? "" : ",").append('"').append(wasmHart.f[i]).append('"');
        }
        // NX raised, frm RNE: the FP fast paths apply
        st.append("],\"fpok\":3,\"pc\":\"").append(CODE).append("\",\"left\":\"").append(budget).append("\",\"block\":")
                .append(region.entry).append(",\"memBase\":\"").append(DATA).append("\",\"mem\":\"")
                .append(Base64.getEncoder().encodeToString(data)).append("\"}");
        Path state = tmp.resolve("state.json");
        Files.writeString(state, st);
        Path driver = tmp.resolve("run-region.js");
        try (InputStream in = getClass().getResourceAsStream("run-region.js")) {
            Files.write(driver, in.readAllBytes());
        }
        String out = exec(List.of("node", driver.toString(), mod.toString(), state.toString()));

        long left = Long.parseLong(field(out, "left"));
        long pc = Long.parseLong(field(out, "pc"));
        int exit = Integer.parseInt(field(out, "exit"));
        long ran = budget - left;
        assertTrue(ran >= 0 && left >= 0, out);

        Hart h = machine(code, a0);
        int why = Cpu.run(h, ran);
        String where = "budget " + budget + ", ran " + ran;
        if (exit == HartLayout.EXIT_FAULT) {
            // the interpreter faults at the same instruction after the same count
            assertEquals(Cpu.EXIT_BUDGET, why, where);
            assertEquals(Cpu.EXIT_FAULT, Cpu.run(h, 1), where);
        } else {
            assertEquals(Cpu.EXIT_BUDGET, why, where);
        }
        assertEquals(h.pc, pc, where + ": pc");
        Matcher m = Pattern.compile("\"x\":\\[([^\\]]*)\\]").matcher(out);
        assertTrue(m.find(), out);
        String[] xs = m.group(1).replace("\"", "").split(",");
        for (int i = 1; i < 32; i++) {
            assertEquals(h.x[i], Long.parseLong(xs[i]), where + ": x" + i);
        }
        m = Pattern.compile("\"f\":\\[([^\\]]*)\\]").matcher(out);
        assertTrue(m.find(), out);
        String[] fs = m.group(1).replace("\"", "").split(",");
        for (int i = 0; i < 32; i++) {
            assertEquals(h.f[i], Long.parseLong(fs[i]), where + ": f" + i);
        }
        assertEquals(Fpu.NX, h.fflags, where + ": only NX, raised before");
        byte[] want = new byte[Page.SIZE];
        assertTrue(h.as.read(DATA, want, 0, want.length));
        byte[] got = Base64.getDecoder().decode(field(out, "mem"));
        assertEquals(Base64.getEncoder().encodeToString(want), Base64.getEncoder().encodeToString(got), where + ": memory");
        return new Result(exit, pc, ran);
    }

    private static Hart machine(byte[] code, long a0) {
        AddressSpace as = new AddressSpace();
        as.map(CODE, Page.SIZE, Prot.READ | Prot.EXEC, false, null, 0, "code");
        as.map(DATA, Page.SIZE, Prot.READ | Prot.WRITE, false, null, 0, "data");
        assertTrue(as.poke(CODE, code, 0, code.length));
        byte[] data = new byte[Page.SIZE];
        long seed = 0x9e3779b97f4a7c15L;
        for (int i = 0; i < data.length; i++) {
            seed = seed * 6364136223846793005L + 1442695040888963407L;
            data[i] = (byte) (seed >>> 56);
        }
        assertTrue(as.write(DATA, data, 0, data.length));
        Hart h = new Hart();
        h.as = as;
        h.pc = CODE;
        h.x[10] = a0;
        h.x[11] = 40;
        h.fflags = Fpu.NX;
        return h;
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"?([^\",}]*)").matcher(json);
        assertTrue(m.find(), name + " in " + json);
        return m.group(1);
    }

    private static byte[] assemble(String asm) throws Exception {
        Path s = tmp.resolve("prog.s");
        Path o = tmp.resolve("prog.o");
        Path bin = tmp.resolve("prog.bin");
        Files.writeString(s, ".option norelax\n.text\n" + asm);
        exec(List.of("riscv64-linux-gnu-as", "-march=rv64gc", "-o", o.toString(), s.toString()));
        exec(List.of("riscv64-linux-gnu-objcopy", "-O", "binary", "-j", ".text", o.toString(), bin.toString()));
        return Files.readAllBytes(bin);
    }

    private static boolean runs(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static String exec(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(cmd)).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timed out: " + cmd);
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), cmd + ": " + text);
        return text;
    }
}
