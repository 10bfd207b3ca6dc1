package dev.friscy.kernel;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.friscy.fs.DevFs;
import dev.friscy.fs.TarException;
import dev.friscy.fs.TarImport;
import dev.friscy.fs.Vfs;
import dev.friscy.host.Host;
import dev.friscy.image.TestImages;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/**
 * Fuzz target: what the Worker's messages reach in the core, in the order web-host's
 * WorkerMain feeds them (boot: image tar, argv, env, cwd, cols, rows, memory; then stdin,
 * resize and run slices). The image is the busybox test image, possibly with fuzzed bytes
 * appended or spliced in. Whatever the messages say, the kernel must boot or refuse with a
 * message, and run without a Java exception (a contained one counts as a failure here).
 */
class WorkerMessagesFuzzTest {
    private static byte[] image;

    private static byte[] image() {
        if (image == null) {
            try {
                image = Files.readAllBytes(TestImages.busybox());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return image;
    }

    /** A host with a fake clock that moves on every reading, and discarded output. */
    static final class FuzzHost implements Host {
        long now = 1_000_000_000L;

        @Override
        public void consoleOutput(byte[] buf, int off, int len) {
        }

        @Override
        public long monotonicNanos() {
            return now += 1000;
        }

        @Override
        public long realtimeNanos() {
            return 1_700_000_000_000_000_000L + now;
        }

        @Override
        public void randomBytes(byte[] buf, int off, int len) {
            for (int i = 0; i < len; i++) {
                buf[off + i] = (byte) (i * 31 + 7);
            }
        }
    }

    @FuzzTest(maxDuration = "10m")
    void bootThenMessages(FuzzedDataProvider data) {
        byte[] tar = image();
        if (data.consumeBoolean()) {
            // a damaged image: some bytes of it replaced
            tar = tar.clone();
            int n = data.consumeInt(0, 16);
            for (int i = 0; i < n; i++) {
                tar[data.consumeInt(0, tar.length - 1)] = data.consumeByte();
            }
        }
        Vfs vfs = new Vfs();
        try {
            TarImport.importInto(vfs, tar);
        } catch (TarException refused) {
            return; // the Worker reports it to the page
        }
        vfs.mkdirs("/dev", 0755);
        vfs.mkdirs("/proc", 0555);
        vfs.mkdirs("/tmp", 01777);
        Kernel k = new Kernel(new FuzzHost(), vfs, data.consumeInt(1, 64), ProcessEvents.DEFAULT_CAPACITY);
        try {
            k.setMemoryLimit((long) data.consumeInt(16, 128) << 20);
        } catch (Kernel.BootException refused) {
            return;
        }
        DevFs.populate(k);
        k.resize(data.consumeInt(-5, 500), data.consumeInt(-5, 500));
        String[] argv = {data.pickValue(new String[] {"/bin/sh", "/bin/busybox", "/bin/cat", "/nonexistent", ""}),
            data.consumeString(20), data.consumeString(20)};
        String[] env = {"PATH=/bin:/sbin:/usr/bin", data.consumeString(30)};
        String cwd = data.pickValue(new String[] {"/", "/tmp", "/bin/sh", "/nonexistent", "", data.consumeString(10)});
        try {
            k.startInit(argv[0], argv, env, cwd, true);
        } catch (Kernel.BootException refused) {
            return;
        }
        for (int m = 0; m < 24 && data.remainingBytes() > 0; m++) {
            switch (data.consumeInt(0, 3)) {
                case 0: {
                    byte[] in = data.consumeBytes(64);
                    k.consoleInput(in, 0, in.length);
                    break;
                }
                case 1:
                    k.resize(data.consumeInt(-5, 1000), data.consumeInt(-5, 1000));
                    break;
                case 2:
                    k.consoleEof();
                    break;
                default:
                    break;
            }
            if (k.run(200_000) == Kernel.RUN_EXITED) {
                break;
            }
        }
        if (k.internalErrors != 0) {
            throw new AssertionError("the kernel contained " + k.internalErrors + " internal error(s)");
        }
    }
}
