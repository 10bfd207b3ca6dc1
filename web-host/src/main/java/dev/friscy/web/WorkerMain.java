package dev.friscy.web;

import dev.friscy.cpu.Cpu;
import dev.friscy.cpu.WorkerInterpreter;
import dev.friscy.errno.Errno;
import dev.friscy.mem.AddressSpace;
import dev.friscy.jit.Jit;
import dev.friscy.kernel.Kernel;
import dev.friscy.kernel.ProcessSnapshot;
import dev.friscy.preview.Previews;
import dev.friscy.web.jit.RawTlb;
import dev.friscy.web.jit.WasmTranslator;
import dev.friscy.web.jit.WasmRuntime;
import org.teavm.jso.JSExport;

/**
 * The Wasm module's exports, called by web/src/site/worker.js. One kernel per Worker. Every export catches
 * what the core throws and turns it into a status plus {@link #friscy_last_error()}, so a bad image
 * or an emulator bug reaches the page as an error message instead of killing the Worker.
 */
public final class WorkerMain {
    /** {@link #friscy_run} results beyond Kernel.RUN_MORE/RUN_IDLE/RUN_EXITED (0, 1, 2). */
    public static final int RUN_NOT_BOOTED = -1;
    public static final int RUN_CRASHED = -2;

    /**
     * Every {@link #friscy_run} result by name, as a JSON object: the one place the Worker
     * learns them from, so its switch names no number of its own.
     */
    @JSExport
    public static String friscy_run_results() {
        return "{\"MORE\":" + Kernel.RUN_MORE + ",\"IDLE\":" + Kernel.RUN_IDLE + ",\"EXITED\":" + Kernel.RUN_EXITED
                + ",\"NOT_BOOTED\":" + RUN_NOT_BOOTED + ",\"CRASHED\":" + RUN_CRASHED + "}";
    }

    /** Instructions per kernel.run call; the time budget is checked between calls. */
    private static final long STEP = 50_000;

    private static BrowserHost host;
    private static Kernel kernel;
    private static String lastError = "";
    /** Bytes of guest memory for the next boot; 0 for Kernel.DEFAULT_MEMORY. */
    private static long memory;
    /** The relay's WebSocket URL for the next boot; "" for none. */
    private static String relayUrl = "";
    private static WasmTranslator translator;
    /** Browser requests to guest web servers in flight (web/src/site/worker-preview.js). */
    private static Previews previews;

    private WorkerMain() {
    }

    public static void main(String[] args) {
        // Nothing to do at load: the Worker calls friscy_boot once it has the image.
    }

    /**
     * The boot message's memory option, in bytes, before {@link #friscy_boot}: "" if accepted,
     * else why not.
     */
    @JSExport
    public static String friscy_set_memory(double bytes) {
        if (!(bytes >= Boot.MIN_MEMORY && bytes <= Boot.MAX_MEMORY)) {
            return "boot: memory must be between " + (Boot.MIN_MEMORY >> 20) + " MiB and " + (Boot.MAX_MEMORY >> 20) + " MiB";
        }
        memory = (long) bytes;
        return "";
    }

    /** The relay guests reach the network through (worker.js checked it is a ws: or wss: URL); before boot. */
    @JSExport
    public static String friscy_set_relay(String url) {
        if (kernel != null) {
            return "the relay is chosen before boot";
        }
        relayUrl = url == null ? "" : url;
        return "";
    }

    /** A relay WebSocket's event (RelayNetwork.EV_*), from worker-net.js. */
    @JSExport
    public static void friscy_net_event(int id, int kind, byte[] data) {
        if (kernel == null || host.relay == null) {
            return;
        }
        try {
            host.relay.event(id, kind, data == null ? new byte[0] : data);
        } catch (Throwable t) {
            lastError = describe(t);
        }
    }

    /** The image, as worker.js hands it over before boot (see {@link LinearImage}). */
    private static LinearImage image;
    private static int imageReserved;

    /** Before boot: starts a new image, dropping what an earlier, failed boot handed over. */
    @JSExport
    public static void friscy_image_begin() {
        if (kernel == null && image != null) {
            image.release();
            image = null;
        }
        imageReserved = 0;
    }

    /**
     * Before boot: where worker.js writes the image's next bytes, at most {@code n} and no more than
     * fit in the current chunk (it writes {@code min(n, friscy_image_room())}), then calls
     * {@link #friscy_image_append}. 0 if the image would be larger than the guest's memory or
     * linear memory is full ({@link #friscy_last_error} says which).
     */
    @JSExport
    public static int friscy_image_reserve(int n) {
        if (kernel != null) {
            return 0;
        }
        if (image == null) {
            image = new LinearImage(memory > 0 ? memory : Kernel.DEFAULT_MEMORY);
        }
        int k = Math.min(n, image.room());
        int a = image.reserve(k);
        imageReserved = a == 0 ? 0 : k;
        if (a == 0) {
            long max = memory > 0 ? memory : Kernel.DEFAULT_MEMORY;
            lastError = image.length() + k > max
                    ? "the image is larger than the guest's memory (" + (max >> 20) + " MiB)"
                    : "no room left for the image in the Worker's memory (" + (image.length() >> 20) + " MiB taken)";
        }
        return a;
    }

    /** How many bytes the address {@link #friscy_image_reserve} gives takes. */
    @JSExport
    public static int friscy_image_room() {
        return image == null ? LinearImage.CHUNK : image.room();
    }

    /** Before boot: the {@code n} bytes written at the reserved address are part of the image. */
    @JSExport
    public static String friscy_image_append(int n) {
        if (kernel != null || image == null || n < 0 || n > imageReserved) {
            return "image: append of " + n + " bytes without room reserved for them";
        }
        image.commit(n);
        imageReserved = 0;
        return "";
    }

    /**
     * Imports the image (see {@link #friscy_image_append}) into a fresh file system and starts
     * init. {@code argv} and {@code env} are NUL-separated lists. Returns "" on success, else a
     * message for the user.
     */
    @JSExport
    public static String friscy_boot(String argv, String env, String cwd, int cols, int rows) {
        try {
            if (kernel != null) {
                return "already booted";
            }
            if (image == null || image.length() == 0) {
                return "the image is empty";
            }
            // the interpreter generated for this build from Cpu.interpret (see Cpu.Interpreter), and
            // the copy of every address space's TLB it reads guest memory through: before the
            // first address space, and only here, in the Worker (the JVM's tests call this class too)
            AddressSpace.mirrors = RawTlb::new;
            Cpu.useInterpreter(new WorkerInterpreter());
            BrowserHost h = new BrowserHost(relayUrl);
            Boot.Result r = Boot.boot(h, image, split(argv), split(env), cwd, Math.max(cols, 1), Math.max(rows, 1),
                    memory);
            if (r.kernel == null) {
                return r.error;
            }
            host = h;
            kernel = r.kernel;
            previews = new Previews(kernel.net);
            return "";
        } catch (Throwable t) {
            kernel = null;
            return describe(t);
        }
    }

    /**
     * Turns the translator on or off. Before boot. A negative {@code threshold} is the default,
     * {@link WasmTranslator#THRESHOLD}; 0 translates at first sight.
     */
    @JSExport
    public static String friscy_jit(boolean on, int threshold) {
        if (kernel != null) {
            return "the translator is chosen before boot";
        }
        try {
            if (!on) {
                translator = null;
                Jit.install(null, 0);
            } else {
                translator = new WasmTranslator();
                Jit.install(translator, threshold < 0 ? WasmTranslator.THRESHOLD : threshold);
                // regions chain into each other here (link cells, the pc cache), so code that is
                // entered often pays off too, not only loops: page entries count, and a region
                // is everything reachable from the hot entry. Code that runs little per call from
                // the interpreter is given back, and patched in again at its page's next hot
                // event (by then its neighbours are often translated, and it runs on into them)
                Jit.entryCost = 1;
                Jit.minLoop = 0;
                Jit.loopsOnly = false;
                Jit.minRun = WasmTranslator.MIN_RUN;
                Jit.reinstate = true;
                // a page hot once is entered at several places: each of the others needs fewer entries
                Jit.rehot = WasmTranslator.REHOT;
            }
            return "";
        } catch (Throwable t) {
            translator = null;
            Jit.install(null, 0);
            return describe(t);
        }
    }

    /**
     * Sets the translator's policy knobs, for measuring (scripts/browser-bench's TUNE): a list of
     * name=value, comma separated: maxInstructions, followTranslated, followTranslatedUnsteady, followUntranslated,
     * followUntranslatedBurst, followSteady, steadyShare (0-16), burstWindowShift (10-40), inlineExits (0/1), branchHints (0/1), groupHelpers (0/1) and {@link Jit#tune}'s knobs. After {@link #friscy_jit}, before boot.
     */
    @JSExport
    public static String friscy_jit_tune(String knobs) {
        if (kernel != null) {
            return "the translator is tuned before boot";
        }
        for (String kv : knobs.split(",")) {
            if (kv.isEmpty()) {
                continue;
            }
            int eq = kv.indexOf('=');
            int v;
            try {
                v = Integer.parseInt(kv.substring(eq + 1));
            } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
                return "jitTune: not name=number: " + kv;
            }
            String name = eq < 0 ? "" : kv.substring(0, eq);
            String wrong = WasmTranslator.tune(name, v);
            if (wrong == null && !Jit.tune(name, v)) {
                return "jitTune: unknown knob " + kv;
            }
            if (wrong != null && !wrong.isEmpty()) {
                return "jitTune: " + wrong + ": " + kv;
            }
        }
        return "";
    }

    /** What the translator did, for the curious (the Worker logs it when init exits). */
    @JSExport
    public static String friscy_jit_stats() {
        if (translator == null) {
            return "translator off";
        }
        return "regions " + Jit.regions + " (" + Jit.instructions + " instructions, " + Jit.failed + " refused) in "
                + WasmTranslator.modules + " modules (" + WasmTranslator.moduleBytes + " bytes, "
                + WasmTranslator.failures + " failed), translating took " + (Jit.nanos / 1_000_000) + " ms; "
                + Jit.entries + " entries ran " + Jit.executed + " instructions, " + Jit.dropped + " dropped, " + Jit.reinstated + " reinstated; " + WasmRuntime.stats();
    }

    /** Runs the kernel for about {@code sliceMs} milliseconds of host time. */
    @JSExport
    public static int friscy_run(double sliceMs) {
        if (kernel == null) {
            return RUN_NOT_BOOTED;
        }
        try {
            double start = BrowserHost.now();
            while (true) {
                int r = kernel.run(STEP);
                // what guests wrote goes to the relay; what they read made room for what waits
                if (host.relay != null && host.relay.pump() && r == Kernel.RUN_IDLE) {
                    r = Kernel.RUN_MORE; // bytes or an end reached a guest: it may run again
                }
                if (r != Kernel.RUN_MORE || BrowserHost.now() - start >= sliceMs || host.pendingOutput() > 1 << 16) {
                    if (translator != null && translator.pending() > 0) {
                        // regions found hot in this slice are compiled while the next ones run
                        translator.flush();
                    }
                    return r;
                }
            }
        } catch (Throwable t) {
            lastError = describe(t);
            kernel = null;
            return RUN_CRASHED;
        }
    }

    @JSExport
    public static void friscy_stdin(byte[] data) {
        if (kernel == null) {
            return;
        }
        try {
            kernel.consoleInput(data, 0, data.length);
        } catch (Throwable t) {
            lastError = describe(t);
        }
    }

    @JSExport
    public static void friscy_resize(int cols, int rows) {
        if (kernel == null || cols <= 0 || rows <= 0) {
            return;
        }
        try {
            kernel.resize(cols, rows);
        } catch (Throwable t) {
            lastError = describe(t);
        }
    }

    /** Console output since the last call. */
    @JSExport
    public static byte[] friscy_drain_output() {
        return host == null ? new byte[0] : host.drainOutput();
    }

    /** Pending process events as a JSON array string (the records ProcessEvents describes), then cleared. */
    @JSExport
    public static String friscy_drain_process_events() {
        if (kernel == null) {
            return "[]";
        }
        try {
            return kernel.drainProcessEvents();
        } catch (Throwable t) {
            lastError = describe(t);
            return "[]";
        }
    }

    /** Milliseconds from now until the kernel's next timer deadline; -1 if none. */
    @JSExport
    public static double friscy_next_deadline_ms() {
        if (kernel == null) {
            return -1;
        }
        long d = kernel.nextDeadline();
        if (d < 0) {
            return -1;
        }
        double ms = (d - host.monotonicNanos()) / 1_000_000.0;
        return ms < 0 ? 0 : ms;
    }

    /** init's wait status once friscy_run returned RUN_EXITED. */
    @JSExport
    public static int friscy_exit_status() {
        return kernel == null ? 0 : kernel.initStatus();
    }

    @JSExport
    public static String friscy_last_error() {
        String e = lastError;
        lastError = "";
        return e;
    }

    private static String[] split(String list) {
        if (list == null || list.isEmpty()) {
            return new String[0];
        }
        int n = 1;
        for (int i = 0; i < list.length(); i++) {
            if (list.charAt(i) == '\0') {
                n++;
            }
        }
        String[] r = new String[n];
        int k = 0;
        int from = 0;
        for (int i = 0; i <= list.length(); i++) {
            if (i == list.length() || list.charAt(i) == '\0') {
                r[k++] = list.substring(from, i);
                from = i + 1;
            }
        }
        return r;
    }

    static String describe(Throwable t) {
        String m = t.getMessage();
        String name = t.getClass().getName();
        return m == null ? name : name + ": " + m;
    }

    // ------------------------------------------------------------------ the page's tools
    // (process panel, files in and out, browser storage of the file system: PageFiles)

    /** The process table as JSON (ProcessSnapshot.json); "[]" before boot. */
    @JSExport
    public static String friscy_processes() {
        if (kernel == null) {
            return "[]";
        }
        try {
            return ProcessSnapshot.json(kernel);
        } catch (Throwable t) {
            lastError = describe(t);
            return "[]";
        }
    }

    /** Sends signal {@code sig} to process {@code pid}; "" or the errno name (EINVAL, ESRCH). */
    @JSExport
    public static String friscy_signal(int pid, int sig) {
        if (kernel == null) {
            return "not booted";
        }
        try {
            int e = ProcessSnapshot.signal(kernel, pid, sig);
            return e == 0 ? "" : Errno.name(e);
        } catch (Throwable t) {
            return describe(t);
        }
    }

    /** The working directory of the terminal's foreground process (the shell), or "". */
    @JSExport
    public static String friscy_foreground_cwd() {
        if (kernel == null) {
            return "";
        }
        String cwd = ProcessSnapshot.foregroundCwd(kernel);
        return cwd == null ? "" : cwd;
    }

    /** Writes (or, with append, extends) a regular file; "" or an error message. */
    @JSExport
    public static String friscy_write_file(String path, byte[] data, int mode, boolean append) {
        if (kernel == null) {
            return "not booted";
        }
        try {
            return PageFiles.writeFile(kernel, path, data, mode, append);
        } catch (Throwable t) {
            return describe(t);
        }
    }

    /** "file", "dir", "other" or the errno name of why {@code path} does not resolve. */
    @JSExport
    public static String friscy_path_kind(String path) {
        if (kernel == null) {
            return "ENOENT";
        }
        try {
            return PageFiles.kind(kernel, path);
        } catch (Throwable t) {
            return describe(t);
        }
    }

    /** A regular file's bytes (empty when it is not one: ask friscy_path_kind first). */
    @JSExport
    public static byte[] friscy_read_file(String path) {
        byte[] b = kernel == null ? null : PageFiles.readFile(kernel, path);
        return b == null ? new byte[0] : b;
    }

    /** A directory as a tar ("/": the whole file system, the --save format); empty if not a directory. */
    @JSExport
    public static byte[] friscy_export_tar(String path) {
        byte[] b = kernel == null ? null : PageFiles.exportTar(kernel, path);
        return b == null ? new byte[0] : b;
    }

    /** Before friscy_boot: a stored delta to replay after the image (deleted: NUL-separated paths). */
    @JSExport
    public static void friscy_add_overlay(byte[] tar, String deleted) {
        PageFiles.addOverlay(tar, split(deleted));
    }

    /** "" or why the stored deltas could not all be replayed at boot. */
    @JSExport
    public static String friscy_restore_problem() {
        return Boot.restoreProblem;
    }

    /**
     * Computes which paths changed since the last committed delta (or since the image); returns
     * how many. friscy_delta_slice then gives their tar a piece at a time, friscy_delta_deleted the
     * paths removed; friscy_delta_commit marks it stored.
     */
    @JSExport
    public static int friscy_delta(boolean sinceImage) {
        if (kernel == null) {
            return 0;
        }
        return PageFiles.delta(sinceImage);
    }

    /** The next at most {@code max} bytes of the delta's tar; empty once it has ended. */
    @JSExport
    public static byte[] friscy_delta_slice(int max) {
        return PageFiles.deltaSlice(max);
    }

    @JSExport
    public static String friscy_delta_deleted() {
        return PageFiles.deltaDeleted();
    }

    @JSExport
    public static int friscy_delta_changed() {
        return PageFiles.deltaChanged();
    }

    @JSExport
    public static void friscy_delta_commit() {
        PageFiles.commit();
    }

    /** sync/fsync calls since the last call (the Worker saves the file system then). */
    @JSExport
    public static int friscy_take_sync_requests() {
        if (kernel == null) {
            return 0;
        }
        int n = kernel.syncRequests;
        kernel.syncRequests = 0;
        return n;
    }

    // ------------------------------------------------------------------ the preview of guest web servers
    // (one browser request each, as a connection into the guest's loopback: dev.friscy.preview)

    /**
     * Starts a request to guest port {@code port}: {@code fields} are "name: value" lines, {@code
     * body} may be empty. Returns its number (&gt; 0), or -1 when the system is not running; its
     * progress, and any error as an HTTP status, comes from {@link #friscy_preview_pump}.
     */
    @JSExport
    public static int friscy_preview_open(int port, String method, String target, String fields, byte[] body,
            double timeoutMs) {
        if (kernel == null || previews == null) {
            return -1;
        }
        try {
            return previews.open(port, method, target, fields, body == null || body.length == 0 ? null : body,
                    (long) BrowserHost.now(), (long) timeoutMs);
        } catch (Throwable t) {
            lastError = describe(t);
            return -1;
        }
    }

    /** What is new with request {@code id}, as JSON (Previews.pump). */
    @JSExport
    public static String friscy_preview_pump(int id) {
        if (kernel == null || previews == null) {
            return "{\"error\":{\"status\":503,\"message\":\"the guest system is not running\"}}";
        }
        try {
            return previews.pump(id, (long) BrowserHost.now());
        } catch (Throwable t) {
            lastError = describe(t);
            return "{\"error\":{\"status\":500,\"message\":\"the emulator failed on this request\"}}";
        }
    }

    /** Up to {@code max} body bytes of request {@code id}. */
    @JSExport
    public static byte[] friscy_preview_body(int id, int max) {
        return previews == null ? new byte[0] : previews.body(id, max);
    }

    /** Ends request {@code id} (done, failed, or abandoned by the browser). */
    @JSExport
    public static void friscy_preview_close(int id) {
        if (previews == null) {
            return;
        }
        try {
            previews.close(id);
        } catch (Throwable t) {
            lastError = describe(t);
        }
    }
}
