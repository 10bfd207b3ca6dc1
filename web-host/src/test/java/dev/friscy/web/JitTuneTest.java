package dev.friscy.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.friscy.jit.Jit;
import dev.friscy.web.jit.WasmTranslator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The page's {@code jitTune} option: knobs of either back end, and clear refusals. */
class JitTuneTest {
    private final int steadyShare = WasmTranslator.steadyShare;
    private final int maxInstructions = WasmTranslator.maxInstructions;
    private final int minRun = Jit.minRun;

    @AfterEach
    void restore() {
        WasmTranslator.steadyShare = steadyShare;
        WasmTranslator.maxInstructions = maxInstructions;
        Jit.minRun = minRun;
    }

    @Test
    void setsTheWorkersKnobsAndTheCoresKnobs() {
        assertEquals("", WorkerMain.friscy_jit_tune("maxInstructions=77,minRun=5,steadyShare=3"));
        assertEquals(77, WasmTranslator.maxInstructions);
        assertEquals(5, Jit.minRun);
        assertEquals(3, WasmTranslator.steadyShare);
    }

    @Test
    void refusesWhatItCannotSet() {
        assertEquals("jitTune: unknown knob speed=11", WorkerMain.friscy_jit_tune("speed=11"));
        assertEquals("jitTune: not name=number: maxInstructions=lots", WorkerMain.friscy_jit_tune("maxInstructions=lots"));
        assertEquals("jitTune: steadyShare must be 0-16: steadyShare=17", WorkerMain.friscy_jit_tune("steadyShare=17"));
        assertEquals(steadyShare, WasmTranslator.steadyShare);
    }
}
