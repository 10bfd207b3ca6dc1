package dev.friscy.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.friscy.cpu.RandomPrograms;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random programs that loop (RandomPrograms.loopProgram: nested loops of random integer,
 * memory, atomic, branchy and, for some seeds, F and D code, calls to functions on another page) run in the page as on
 * qemu-riscv64: the Worker's translator gets back-edges, loops of several blocks, exits written in
 * place, access groups, chained calls and returns through the pc cache, all with registers live
 * across them. Each seed runs translated at first sight, with the default policy and interpreted
 * only; the printed buffer and registers must equal qemu's.
 */
class RandomLoopsTest {
    @TempDir
    Path tmp;

    /**
     * Seeds, F and D or not, translator on or off, threshold (-1: the page's default). A longer
     * campaign: {@code -Dfriscy.loops.seeds=FROM-TO} runs those seeds instead, translated at first
     * sight, once hot pages have had 2,000 backward branches (translated while their loops run) and
     * by default, every other one with F and D.
     */
    static Stream<Arguments> cases() {
        String range = System.getProperty("friscy.loops.seeds", "");
        if (range.isEmpty()) {
            return Stream.of(Arguments.of(31L, false, true, 0), Arguments.of(31L, false, true, -1),
                    Arguments.of(31L, false, false, -1), Arguments.of(32L, true, true, 0), Arguments.of(32L, true, true, -1),
                    Arguments.of(32L, true, false, -1), Arguments.of(33L, false, true, 0), Arguments.of(34L, true, true, 0));
        }
        String[] ends = range.split("-");
        long from = Long.parseLong(ends[0]);
        long to = Long.parseLong(ends[ends.length - 1]);
        return LongStream.rangeClosed(from, to).boxed().flatMap(seed -> Stream.of(
                Arguments.of(seed, seed % 2 == 0, true, 0), Arguments.of(seed, seed % 2 == 0, true, 2000),
                Arguments.of(seed, seed % 2 == 0, true, -1)));
    }

    @ParameterizedTest(name = "seed {0}, fp {1}, jit {2}, threshold {3}")
    @MethodSource("cases")
    void loopsMatchQemu(long seed, boolean fp, boolean jit, int threshold) throws Exception {
        Path source = tmp.resolve("loops.S");
        Path prog = tmp.resolve("loops");
        Files.writeString(source, RandomPrograms.loopProgram(seed, 3000, 16, fp));
        CpuBenchTest.exec(List.of("riscv64-linux-gnu-gcc", "-static", "-nostdlib", "-march=rv64gc_zba_zbb",
                "-o", prog.toString(), source.toString()));
        String expected = CpuBenchTest.exec(List.of("qemu-riscv64-static", prog.toString()));
        assertEquals(RandomPrograms.loopOutputLength(fp), expected.length());

        byte[] tar = CpuBenchTest.singleFileTar("loops", Files.readAllBytes(prog));
        PageProgram.Result r = PageProgram.run("loops", tar, jit, threshold);
        assertEquals(0, r.status(), "seed " + seed + ": exit status (null: no exit within 120 s, or the emulator stopped) " + r.errors());
        RandomPrograms.assertSameRegisters(expected, r.out(), fp, "seed " + seed);
    }
}
