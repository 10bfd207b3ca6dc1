package dev.friscy.cpu;

import dev.friscy.jit.Jit;
import dev.friscy.jit.Translator;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Puts the translator back as it was after each test (the one installed, its threshold, and the
 * policy knobs tests turn), so a test's back end or policy never leaks into the next test class.
 * Register it with {@code @RegisterExtension}; it saves before the class's own {@code @BeforeEach}
 * runs and restores after its {@code @AfterEach}.
 */
final class JitRestore implements BeforeEachCallback, AfterEachCallback {
    private Translator translator;
    private int threshold;
    private int minRun;
    private boolean reinstate;
    private int rehot;
    private boolean followExits;
    private int busyRounds;

    @Override
    public void beforeEach(ExtensionContext context) {
        translator = Jit.translator();
        threshold = Jit.threshold();
        minRun = Jit.minRun;
        reinstate = Jit.reinstate;
        rehot = Jit.rehot;
        followExits = Jit.followExits;
        busyRounds = Jit.busyRounds;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Jit.install(translator, threshold); // also puts back the knobs install sets (entryCost, plainTail, ...)
        Jit.minRun = minRun;
        Jit.reinstate = reinstate;
        Jit.rehot = rehot;
        Jit.followExits = followExits;
        Jit.busyRounds = busyRounds;
    }
}
