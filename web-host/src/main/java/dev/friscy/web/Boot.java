package dev.friscy.web;

import dev.friscy.fs.DevFs;
import dev.friscy.fs.Inode;
import dev.friscy.fs.TarException;
import dev.friscy.fs.TarImport;
import dev.friscy.fs.TarSource;
import dev.friscy.fs.Vfs;
import dev.friscy.host.Host;
import dev.friscy.kernel.Kernel;
import dev.friscy.kernel.ProcessEvents;
import org.teavm.jso.JSBody;

/** Builds the file system from the image tar and starts init on the terminal. */
final class Boot {
    static final int MAX_PROCESSES = 256;
    /** Why the stored changes of the file system could not all be replayed at the last boot, or "". */
    static String restoreProblem = "";

    private Boot() {
    }

    /** A booted kernel, or the reason there is none. */
    static final class Result {
        final Kernel kernel;
        final String error;

        Result(Kernel kernel, String error) {
            this.kernel = kernel;
            this.error = error;
        }
    }

    /** Guest memory the Worker may give a session (the boot message's memory option), in bytes. */
    static final long MIN_MEMORY = 16L << 20;
    static final long MAX_MEMORY = 4L << 30;

    static Result boot(Host host, TarSource imageTar, String[] argv, String[] env, String cwd, int cols, int rows,
            long memory) {
        if (argv.length == 0) {
            return new Result(null, "no program to run");
        }
        Vfs vfs = new Vfs();
        try {
            for (String w : TarImport.importInto(vfs, imageTar)) {
                consoleWarn("friscy: image: " + w);
            }
        } catch (TarException e) {
            return new Result(null, "the image is not a usable tar archive: " + e.getMessage());
        }
        // The directories every system has, whatever the image holds.
        vfs.mkdirs("/dev", 0755);
        vfs.mkdirs("/proc", 0555);
        Inode tmp = vfs.mkdirs("/tmp", 01777);
        tmp.mode = Inode.S_IFDIR | 01777;

        Kernel k = new Kernel(host, vfs, MAX_PROCESSES, ProcessEvents.DEFAULT_CAPACITY);
        try {
            k.setMemoryLimit(memory > 0 ? memory : Kernel.DEFAULT_MEMORY);
        } catch (Kernel.BootException e) {
            return new Result(null, e.getMessage());
        }
        // the stored changes, replayed once the file system has the kernel's clock
        restoreProblem = PageFiles.afterImage(vfs);
        DevFs.populate(k);
        k.diagnostics = Boot::consoleWarn;
        k.resize(cols, rows);
        try {
            k.startInit(argv[0], argv, env, cwd, true);
        } catch (Kernel.BootException e) {
            return new Result(null, e.getMessage());
        }
        return new Result(k, "");
    }

    @JSBody(params = "s", script = "console.warn(s);")
    static native void consoleWarn(String s);
}
