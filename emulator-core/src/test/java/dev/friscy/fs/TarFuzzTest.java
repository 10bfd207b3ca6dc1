package dev.friscy.fs;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz target: the tar reader that boots both the CLI and the browser (a dropped .tar,
 * ?image=). Any input must import or fail with one TarException; nothing else may escape, and
 * it must end (Jazzer reports a hang as a timeout). In `mvn verify` it replays the seeds in
 * TarFuzzTestInputs; `JAZZER_FUZZ=1 mvn test -Dtest=TarFuzzTest` fuzzes (see README).
 */
class TarFuzzTest {
    @FuzzTest(maxDuration = "10m")
    void importArbitraryTar(byte[] tar) {
        try {
            TarImport.importInto(new Vfs(), tar);
        } catch (TarException expected) {
            if (expected.getMessage() == null || expected.getMessage().contains("\n")) {
                throw new AssertionError("a tar error must be one line: " + expected.getMessage());
            }
        }
    }
}
